/** The signed-in organisation's quotes: the price a field shows, the source of a quoted figure, expiry notes. */
import { applicableQuote, quotedUnitPriceUsd, type OrgQuote, type UsedFigure } from "@aifp/catalog";
import { formatAsOf } from "../format.ts";
import { orgQuoteProvenance } from "../org-quotes.ts";
import type { PlanInput } from "../plan.ts";
import { book, type FieldDefault, type Provenance } from "./book.ts";
import { nextMonth } from "./plan-settings.ts";

/** The day quotes must still be valid on for a plan: the first day of its start month, as the resolver reads it. */
function planQuoteDate(plan: PlanInput): string {
  return `${plan.values.startMonth?.trim() || nextMonth()}-01`;
}

/** Public price of a quote's target in the book: USD per server, or USD per instance-hour; null when none. */
function publicUnitPriceUsd(kind: "sku" | "offer", id: string): number | null {
  if (kind === "sku") return book.servers.find((item) => item.id === id)?.priceUsd?.value ?? null;
  return book.cloudOffers.find((item) => item.id === id)?.priceUsdPerHour.value ?? null;
}

/** The organisation's quoted price for a server / instance price field, when a quote applies on the plan's start. */
export function orgQuoteDefault(fieldId: string, plan: PlanInput, orgQuotes: readonly OrgQuote[]): FieldDefault | null {
  if (orgQuotes.length === 0) return null;
  const kind = fieldId.startsWith("quote.server.") ? "sku" : fieldId.startsWith("quote.offer.") ? "offer" : null;
  if (!kind) return null;
  const targetId = fieldId.slice(kind === "sku" ? "quote.server.".length : "quote.offer.".length);
  const quote = applicableQuote(orgQuotes, kind, targetId, planQuoteDate(plan));
  if (!quote) return null;
  const publicUsd = publicUnitPriceUsd(kind, targetId);
  const value = quotedUnitPriceUsd(quote, publicUsd);
  return value === null ? null : { value, provenance: orgQuoteProvenance(quote, publicUsd), fromOrgQuote: true };
}

/** The source of a figure the resolver took from one of the organisation's quotes, in plain words; null otherwise. */
export function orgQuoteSource(figure: UsedFigure, orgQuotes: readonly OrgQuote[]): Provenance | null {
  if (figure.origin !== "quote" || !figure.ref.startsWith("quote:")) return null;
  const quote = orgQuotes.find((item) => item.id === figure.ref.slice("quote:".length));
  return quote ? orgQuoteProvenance(quote, publicUnitPriceUsd(quote.target.kind, quote.target.id)) : null;
}

/** The resolver's note on a quote that expires before the plan starts, in plain words (other notes unchanged). */
export function plainQuoteNote(note: string, orgQuotes: readonly OrgQuote[]): string {
  const match =
    /^Quote (\S+) for .* expired on (\d{4}-\d{2}-\d{2}), before the plan starts on (\d{4}-\d{2}-\d{2})/.exec(note);
  const quote = match ? orgQuotes.find((item) => item.id === match[1]) : undefined;
  if (!match || !quote) return note;
  const target =
    quote.target.kind === "sku"
      ? book.servers.find((item) => item.id === quote.target.id)
      : book.cloudOffers.find((item) => item.id === quote.target.id);
  const name = !target
    ? quote.target.id
    : "vendor" in target
      ? `${target.vendor} ${target.sku}`
      : `${target.provider} ${target.instanceType}`;
  const why = quote.note?.trim() ? ` (${quote.note.trim()})` : "";
  return `Your organisation's quote for ${name}${why} is valid until ${formatAsOf(match[2])}, before this plan starts (${formatAsOf(match[3]?.slice(0, 7))}): the public price is used.`;
}
