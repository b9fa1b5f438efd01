/**
 * Proposals in the web app: the shapes the API returns (`/api/v1/proposals`, docs/proposals.md)
 * and the few calls the proposal pages make. Requests carry the session cookie (same origin);
 * the API decides what the person's role allows (editors create and issue, viewers read).
 */
import type {
  ChartSeries,
  CreateProposalBody,
  CreatedShareLink,
  PaperSize,
  Proposal,
  ProposalContent,
  ProposalInputs,
  ProposalVersion,
  ShareLink,
} from "@aifp/contracts/api";
import { api, type ApiAnswer } from "#lib/api-client.ts";

export type {
  ChartSeries,
  CreatedShareLink,
  PaperSize,
  Proposal,
  ProposalContent,
  ProposalInputs,
  ProposalVersion,
  ShareLink,
};

/** What the sales engineer types (the API validates it again and names any bad field). */
export interface ProposalForm {
  title: string;
  customerName: string;
  preparedBy: string;
  vendorName: string;
  accentColor: string;
  logo: { contentType: "image/png" | "image/jpeg"; dataBase64: string } | null;
  notes: string;
  paperSize: PaperSize;
  riskBand: boolean;
}

/** Monte Carlo settings of a proposal's risk band: 500 samples, seed 1 (seeded, so reproducible). */
export const PROPOSAL_RISK = { samples: 500, seed: 1 } as const;

/**
 * Largest logo the API accepts (256 KiB, `MAX_LOGO_BYTES` of `@aifp/contracts/api`), checked here
 * first so the person hears it at once. A copy of the number, not an import: the contracts' value
 * module carries every wire schema, which the page does not need (types-only imports are free).
 */
export const MAX_LOGO_BYTES = 256 * 1024;

export function formBody(form: ProposalForm): Omit<CreateProposalBody, "planId"> {
  return {
    title: form.title,
    customerName: form.customerName,
    preparedBy: form.preparedBy,
    vendor: { name: form.vendorName, accentColor: form.accentColor, logo: form.logo },
    notes: form.notes,
    paperSize: form.paperSize,
    risk: form.riskBand ? PROPOSAL_RISK : null,
  };
}

/** Read a chosen logo file: PNG or JPEG, at most 256 KiB, as base64 (the API checks the bytes again). */
export async function readLogo(file: File): Promise<ProposalForm["logo"]> {
  if (file.type !== "image/png" && file.type !== "image/jpeg") throw new Error("Choose a PNG or JPEG image.");
  if (file.size > MAX_LOGO_BYTES)
    throw new Error(`The logo is ${Math.ceil(file.size / 1024)} KiB; the limit is 256 KiB.`);
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return { contentType: file.type, dataBase64: btoa(binary) };
}

/** The newest plan of a scenario saved in the organisation, or null when it has none. */
export async function latestPlanOf(scenarioId: string): Promise<string | null> {
  let cursor: string | null = null;
  let last: string | null = null;
  for (let page = 0; page < 20; page++) {
    const { data }: ApiAnswer<"GET /plans"> = await api("GET /plans", {
      query: { scenarioId, limit: 100, ...(cursor ? { cursor } : {}) },
    });
    last = data.data[data.data.length - 1]?.id ?? last;
    if (!data.nextCursor) break;
    cursor = data.nextCursor;
  }
  return last;
}
