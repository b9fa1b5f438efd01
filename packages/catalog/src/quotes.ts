/**
 * The rules by which an organisation's quote replaces a public price, in one place: the resolver
 * (`resolveScenario`), the API's quote answers and the web planner's wizard all call these, so
 * the price a person sees next to a field is the price the results use.
 *
 * Exported as `@aifp/catalog/quotes` as well as from the package root: it carries no price-book
 * data, so the web's first page can use it without loading the book.
 */
import type { OrgQuote } from "./resolve.ts";

/** Latest `validUntil` first; ties by id, so the choice never depends on input order. */
function latestFirst(a: OrgQuote, b: OrgQuote): number {
  if (a.validUntil !== b.validUntil) return a.validUntil < b.validUntil ? 1 : -1;
  return a.id < b.id ? -1 : 1;
}

/** The organisation's quotes for one target, latest-expiring first. */
function quotesFor(quotes: readonly OrgQuote[], kind: "sku" | "offer", targetId: string): OrgQuote[] {
  return quotes.filter((quote) => quote.target.kind === kind && quote.target.id === targetId).sort(latestFirst);
}

/**
 * The quote that applies to a target on `onDate` (YYYY-MM-DD, the first day of the plan's start
 * month): among the target's quotes still valid that day, the latest-expiring; ties by id.
 */
export function applicableQuote(
  quotes: readonly OrgQuote[],
  kind: "sku" | "offer",
  targetId: string,
  onDate: string,
): OrgQuote | null {
  return quotesFor(quotes, kind, targetId).find((quote) => quote.validUntil >= onDate) ?? null;
}

/**
 * The target's latest quote that expired before `onDate`, when none applies on that day (the
 * resolver then uses the public price and says so); null otherwise.
 */
export function expiredQuote(
  quotes: readonly OrgQuote[],
  kind: "sku" | "offer",
  targetId: string,
  onDate: string,
): OrgQuote | null {
  const forTarget = quotesFor(quotes, kind, targetId);
  if (forTarget.some((quote) => quote.validUntil >= onDate)) return null;
  return forTarget[0] ?? null;
}

/**
 * The unit price a quote gives, USD per server (sku) or per instance-hour (offer):
 * (quoted unit price, or else the public price) × (1 − discount). Null when neither price exists.
 */
export function quotedUnitPriceUsd(
  quote: Pick<OrgQuote, "unitPriceUsd" | "discount">,
  publicUnitPriceUsd: number | null,
): number | null {
  const base = quote.unitPriceUsd ?? publicUnitPriceUsd;
  return base === null ? null : base * (1 - quote.discount);
}
