import { env } from "cloudflare:test";
import { beforeAll, expect } from "vitest";
import { priceBook } from "@aifp/catalog";
import { smallScenario } from "./fixtures.ts";
import { createKey, createOrg, send, type TestOrg } from "./helpers.ts";

/**
 * Organisation quotes in workerd against a real local D1: CRUD with ETag/If-Match, every refusal,
 * roles and tenancy, concurrency, idempotent creation, and the quotes applied to plans (pinned in
 * the plan's input, so deleting a quote changes neither the plan nor its proposal's
 * verification) and to /evaluate, /optimise and /risk with a key.
 *
 * The shared setup of quotes-crud.test.ts and quotes-applied.test.ts (issue 20: one suite split in two).
 */

/** A server of the public book with a price, and one without (for discount-only refusals). */
export const SKU = "dell-poweredge-xe9680";
export const SKU_WITHOUT_PRICE = priceBook.servers.find((server) => server.priceUsd === null)?.id as string;
/** A cloud offer of the public book. */
export const OFFER = "lambda-gpu-8x-h100-sxm-80gb-none";
export const PUBLIC_SKU_PRICE = priceBook.servers.find((server) => server.id === SKU)?.priceUsd?.value as number;
export const PUBLIC_OFFER_PRICE = priceBook.cloudOffers.find((offer) => offer.id === OFFER)?.priceUsdPerHour
  .value as number;

export interface QuoteBody {
  id: string;
  targetKind: "sku" | "offer";
  targetId: string;
  targetName: string;
  unit: string;
  unitPriceUsd: number | null;
  discount: number;
  effectiveUnitPriceUsd: number | null;
  publicUnitPriceUsd: number | null;
  publicPriceBookVersion: string;
  validUntil: string;
  note: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface UsedFigure {
  path: string;
  value: number;
  origin: string;
  ref: string;
  source: string;
}

export function isoDay(offsetDays: number): string {
  return new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
}

/** A 1-year scenario with a server SKU from the book (price from the book or a quote) and an API option. */
export function buildScenario(startMonth = "2027-01"): Record<string, unknown> {
  const base = smallScenario("quoted build");
  return {
    ...base,
    startMonth,
    site: { electricityUsdPerKwh: 0.08, pue: 1.3 },
    options: [
      { kind: "build", id: "xe9680", sku: SKU, outputTokensPerSecondPerGpu: 1500 },
      { kind: "api", id: "api-a", usdPerMillionInputTokens: 0.6, usdPerMillionOutputTokens: 0.6 },
    ],
  };
}

export function quoteBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    targetKind: "sku",
    targetId: SKU,
    unitPriceUsd: 265000,
    discount: 0.05,
    validUntil: "2027-03-31",
    note: "Dell quote Q-1234",
    ...overrides,
  };
}

export async function createQuote(key: string, overrides: Record<string, unknown> = {}): Promise<QuoteBody> {
  const response = await send("POST", "/quotes", quoteBody(overrides), key);
  const text = await response.text();
  expect(response.status, text).toBe(201);
  return JSON.parse(text) as QuoteBody;
}

export async function quoteCount(orgId: string): Promise<number> {
  const row = await env.DB.prepare("SELECT count(*) AS n FROM org_quotes WHERE org_id = ?").bind(orgId).first<{
    n: number;
  }>();
  return row?.n ?? 0;
}

export let org: TestOrg;
export let other: TestOrg;
export let editorKey: string;
export let viewerKey: string;

/** Registers the file's beforeAll: two organisations, an editor (member) key and a viewer key. */
export function setUpQuoteOrgs(): void {
  beforeAll(async () => {
    org = await createOrg("Quotes");
    other = await createOrg("Other");
    editorKey = (await createKey(org.adminKey, "member")).key;
    const viewer = await send("POST", "/keys", { name: "viewer", role: "viewer" }, org.adminKey);
    expect(viewer.status).toBe(201);
    viewerKey = ((await viewer.json()) as { key: string }).key;
  });
}
