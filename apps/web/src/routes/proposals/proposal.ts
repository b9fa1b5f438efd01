/**
 * Proposals in the web app: the shapes the API returns (`/api/v1/proposals`, docs/proposals.md)
 * and the few calls the proposal pages make. Requests carry the session cookie (same origin);
 * the API decides what the person's role allows (editors create and issue, viewers read).
 */
import { apiJson } from "#lib/account.svelte.ts";

export type PaperSize = "A4" | "Letter";

export interface ProposalLogo {
  contentType: "image/png" | "image/jpeg";
  dataBase64: string;
  widthPx: number;
  heightPx: number;
}

export interface ProposalInputs {
  proposalId: string;
  version: number;
  title: string;
  customerName: string;
  preparedBy: string;
  vendor: { name: string; accentColor: string; logo: ProposalLogo | null };
  notes: string;
  paperSize: PaperSize;
  plan: { id: string; name: string; createdAt: string };
  risk: { samples: number; seed: number } | null;
  issuedAt: string | null;
}

export interface ChartSeries {
  id: string;
  label: string;
  points: { x: number; y: number }[];
}

export interface ComparisonRow {
  optionId: string;
  label: string;
  kind: "build" | "lease" | "api";
  lcotUsdPerMillionTokens: number;
  lcotUsdPerMillionOutputTokens: number;
  npvCostUsd: number;
  tcoUsd: number;
  paybackMonths?: number | null;
  irrPerYear?: number | null;
  powerCapExceededMonths: number;
  recommended: boolean;
}

export interface ProposalContent {
  headline: {
    recommendedOptionId: string;
    recommendedLabel: string;
    source: "optimiser" | "pure-strategy";
    lcotUsdPerMillionTokens: number;
    npvCostUsd: number;
    runnerUp: { optionId: string; label: string; lcotUsdPerMillionTokens: number; npvCostUsd: number } | null;
    savingsUsd: number | null;
    /** P10–P90 of the recommendation from the risk band (absent on older versions, null without one). */
    risk?: { samples: number; p10: number; p90: number; probabilityCheapest: number } | null;
  };
  executiveSummary: string[];
  workload: { startMonth: string; horizonYears: number; discountRatePerYear: number; powerCapKw: number | null };
  recommendation: {
    label: string;
    periods: {
      start: string;
      months: number;
      servers: { optionId: string; label: string; owned: number; bought: number }[];
      leased: { optionId: string; label: string; instances: number }[];
      apiShare: number;
      gpus: number;
      facilityKw: number | null;
    }[];
    notes: string[];
  };
  lineItems: {
    optionLabel: string;
    description: string;
    unitPriceUsd: number | null;
    unit: string;
    quantity: number | null;
    amountUsd: number;
    basis: string;
    source: string;
    asOf: string;
    confidence: string;
  }[];
  comparison: { baselineOptionId: string | null; rows: ComparisonRow[] };
  charts: {
    costPerTokenByYear: ChartSeries[];
    cumulativeCash: {
      series: ChartSeries[];
      paybacks: { optionId: string; baselineOptionId: string; month: number }[];
    };
    fleetVsPowerCap: { capKw: number | null; series: ChartSeries[] };
    riskBand: null | {
      samples: number;
      seed: number;
      rows: { optionId: string; label: string; p10: number; p50: number; p90: number; probabilityCheapest: number }[];
    };
  };
  assumptions: {
    path: string;
    label: string;
    value: number;
    unit: string;
    source: string;
    asOf: string;
    confidence: string;
    origin: string;
    derived: boolean;
    method: string | null;
  }[];
  versions: {
    priceBookVersion: string;
    priceBookContentHash: string;
    kernelVersion: string;
    planId: string;
    planInputHash: string;
  };
  warnings: string[];
  disclaimer: string;
}

export interface ProposalVersion {
  proposalId: string;
  version: number;
  status: "draft" | "issued";
  contentHash: string;
  priceBookVersion: string;
  engineVersion: string;
  createdAt: string;
  updatedAt: string;
  issuedAt: string | null;
  inputs: ProposalInputs;
  outputs: ProposalContent;
}

export interface Proposal {
  id: string;
  planId: string;
  latestVersion: number;
  revision: number;
  createdAt: string;
  updatedAt: string;
  current: ProposalVersion;
}

export interface ShareLink {
  id: string;
  version: number;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
  url?: string | null;
  pdfUrl?: string | null;
}

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

/** Largest logo the API accepts (256 KiB), checked here first so the person hears it at once. */
export const MAX_LOGO_BYTES = 256 * 1024;

export function formBody(form: ProposalForm): Record<string, unknown> {
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
    const query: string = `/plans?scenarioId=${encodeURIComponent(scenarioId)}&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
    const { data } = await apiJson<{ data: { id: string }[]; nextCursor: string | null }>("GET", query);
    last = data.data[data.data.length - 1]?.id ?? last;
    if (!data.nextCursor) break;
    cursor = data.nextCursor;
  }
  return last;
}
