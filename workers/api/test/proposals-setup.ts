import { beforeAll, expect } from "vitest";
import { goldenScenario } from "./fixtures.ts";
import { createOrg, send, type TestOrg } from "./helpers.ts";

/**
 * Proposals in workerd against a real local D1: create, edit, issue, new version, the
 * immutability trigger, the PDF, hash regeneration, share links (create, open without an
 * account, revoke, expire) and a tenant matrix over every /proposals route.
 *
 * The shared setup of proposals-lifecycle.test.ts and proposals-sharing.test.ts (issue 20: one
 * suite split in two).
 */
/** A valid 1 × 1 PNG (the smallest complete PNG: signature, IHDR, IDAT, IEND). */
export const PNG_1X1 =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

export interface VersionBody {
  proposalId: string;
  version: number;
  status: "draft" | "issued";
  contentHash: string;
  priceBookVersion: string;
  engineVersion: string;
  issuedAt: string | null;
  inputs: { customerName: string; notes: string; issuedAt: string | null; vendor: { logo: unknown } };
  outputs: {
    executiveSummary: string[];
    assumptions: { source: string }[];
    comparison: { rows: unknown[] };
    headline: { recommendedOptionId: string };
  };
}
export interface ProposalBody {
  id: string;
  planId: string;
  latestVersion: number;
  revision: number;
  current: VersionBody;
}

export function proposalFields(customerName = "Contoso Ltd"): Record<string, unknown> {
  return {
    title: "Inference capacity 2027-2031",
    customerName,
    preparedBy: "Jane Doe",
    vendor: {
      name: "Northwind Systems",
      accentColor: "#1F5FBF",
      logo: { contentType: "image/png", dataBase64: PNG_1X1 },
    },
    notes: "Quoted server price valid until 31 Dec 2026.",
    paperSize: "A4",
  };
}

export async function createPlan(org: TestOrg): Promise<string> {
  const scenario = (await (await send("POST", "/scenarios", { scenario: goldenScenario() }, org.adminKey)).json()) as {
    id: string;
  };
  const response = await send("POST", `/scenarios/${scenario.id}/plans`, {}, org.adminKey);
  expect(response.status).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

export async function createProposal(org: TestOrg, planId: string, customerName?: string): Promise<ProposalBody> {
  const response = await send("POST", "/proposals", { planId, ...proposalFields(customerName) }, org.adminKey);
  const text = await response.text();
  expect(response.status, text).toBe(201);
  expect(response.headers.get("etag")).toBe('"1"');
  return JSON.parse(text) as ProposalBody;
}

export async function issue(org: TestOrg, id: string): Promise<ProposalBody> {
  const response = await send("POST", `/proposals/${id}/issue`, {}, org.adminKey);
  const text = await response.text();
  expect(response.status, text).toBe(200);
  return JSON.parse(text) as ProposalBody;
}

export async function bytesOf(response: Response): Promise<Uint8Array> {
  return new Uint8Array(await response.arrayBuffer());
}

export let org: TestOrg;
export let other: TestOrg;
export let planId: string;

/** Registers the file's beforeAll: the vendor organisation with a plan, and another organisation. */
export function setUpProposalOrgs(): void {
  beforeAll(async () => {
    org = await createOrg("Vendor");
    other = await createOrg("Other");
    planId = await createPlan(org);
  });
}
