/**
 * The organisation's custom quotes in the web app: typed wrappers over `/api/v1/quotes` (see the
 * API contract in docs/api.md), the pure rules the planner needs to apply them (which quote
 * applies on a date, how its source reads), and the parsing of the "Add a quote" form.
 *
 * No runes here: the engine chunk imports the pure helpers, and it runs in unit tests too.
 * The API decides what is valid (ranges, dates, targets); the form only turns typed text into
 * numbers and leaves every other rule to the API's field errors.
 */
import type { OrgQuote } from "@aifp/catalog";
import type { CreateQuoteBody, PatchQuoteBody, Quote, QuoteTargetKind } from "@aifp/contracts/api";
import { api, type ApiAnswer, ApiRequestError } from "./api-client.ts";
import { formatAsOf, formatPercent, formatUsd, formatUsdPerHour } from "./format.ts";

export type { Quote, QuoteTargetKind };

/** The writable fields of a quote as the form produces them (POST body, every field given). */
export type QuoteDraft = Required<CreateQuoteBody>;

/** A PATCH body: a subset of the writable fields (the target never changes). */
export type QuotePatch = PatchQuoteBody;

/** Which quotes to list: still valid today (UTC), expired, or all. */
export type QuoteStatus = "valid" | "expired" | "all";

/** Largest page the list asks for; the loop follows `nextCursor` to the end. */
const PAGE_LIMIT = 100;
/** The API caps an organisation at 500 quotes; a few pages more than that means a cursor loop. */
const MAX_PAGES = 20;

/**
 * Every quote of the signed-in organisation with this status, oldest first, following the
 * keyset cursor through all pages.
 */
export async function listQuotes(status: QuoteStatus = "all"): Promise<Quote[]> {
  const all: Quote[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < MAX_PAGES; page++) {
    const { data }: ApiAnswer<"GET /quotes"> = await api("GET /quotes", {
      query: { limit: PAGE_LIMIT, status, ...(cursor ? { cursor } : {}) },
    });
    all.push(...data.data);
    cursor = data.nextCursor;
    if (!cursor) return all;
  }
  throw new Error(`The list of quotes did not end after ${MAX_PAGES} pages; reload the page.`);
}

/** One quote, fresh from the API (its `version` is what `If-Match` needs). */
export async function getQuote(id: string): Promise<Quote> {
  return (await api("GET /quotes/{id}", { params: { id } })).data;
}

/**
 * Create a quote (admins). `idempotencyKey` makes a retry of the same request safe: the API
 * replays the first answer instead of creating a second quote.
 */
export async function createQuote(draft: QuoteDraft, idempotencyKey: string): Promise<Quote> {
  return (await api("POST /quotes", { body: draft, headers: { "Idempotency-Key": idempotencyKey } })).data;
}

/** Change a quote (admins), only if it is still at `version` (else 409 {@link isVersionConflict}). */
export async function updateQuote(id: string, version: number, patch: QuotePatch): Promise<Quote> {
  return (await api("PATCH /quotes/{id}", { params: { id }, body: patch, headers: { "If-Match": `"${version}"` } }))
    .data;
}

/** Delete a quote (admins), only if it is still at `version`. */
export async function deleteQuote(id: string, version: number): Promise<void> {
  await api("DELETE /quotes/{id}", { params: { id }, headers: { "If-Match": `"${version}"` } });
}

/** True when the API refused a write because someone else changed the quote first (409). */
export function isVersionConflict(error: unknown): boolean {
  return error instanceof ApiRequestError && error.status === 409;
}

/** Today's date in UTC as YYYY-MM-DD (the API's "valid" means validUntil ≥ this). */
export function todayUtc(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** True when the quote's last valid day is before `today` (YYYY-MM-DD, UTC). */
export function isExpired(quote: Pick<Quote, "validUntil">, today: string): boolean {
  return quote.validUntil < today;
}

/** The resolver's record of an API quote of organisation `orgId`. */
export function toOrgQuote(quote: Quote, orgId: string): OrgQuote {
  return {
    id: quote.id,
    orgId,
    target: { kind: quote.targetKind, id: quote.targetId },
    unitPriceUsd: quote.unitPriceUsd,
    discount: quote.discount,
    validUntil: quote.validUntil,
    note: quote.note,
  };
}

/**
 * The quotes the planner applies for organisation `orgId`: every quote still valid today (all
 * pages of `GET /quotes?status=valid`), as the resolver's records.
 */
export async function loadPlannerQuotes(orgId: string): Promise<OrgQuote[]> {
  return (await listQuotes("valid")).map((quote) => toOrgQuote(quote, orgId));
}

/** A unit price in words with its unit: "$265,000" for a server, "$98.32 per hour" for an offer. */
function priceWords(kind: QuoteTargetKind, usd: number): string {
  return kind === "sku" ? formatUsd(usd) : `${formatUsdPerHour(usd)} per hour`;
}

/**
 * Where a quoted figure comes from, as the assumptions table and the wizard show it:
 * source "Your organisation's quote (Dell Q-1234), valid until 31 Mar 2027", and how the
 * price was reached when a discount applies ("public price $289,000 less a 5% discount").
 */
export function orgQuoteProvenance(
  quote: OrgQuote,
  publicUnitPriceUsd: number | null,
): { source: string; asOf: null; confidence: null; method: string | null } {
  const note = quote.note?.trim() ? ` (${quote.note.trim()})` : "";
  let method: string | null = null;
  if (quote.discount !== 0) {
    const base = quote.unitPriceUsd ?? publicUnitPriceUsd;
    const what = quote.unitPriceUsd === null ? "public price" : "quoted price";
    method =
      base === null
        ? null
        : `${what} ${priceWords(quote.target.kind, base)} less a ${formatPercent(quote.discount, 2)} discount`;
  }
  return {
    source: `Your organisation's quote${note}, valid until ${formatAsOf(quote.validUntil)}`,
    asOf: null,
    confidence: null,
    method,
  };
}

// ---------------------------------------------------------------------------------------------
// The "Add a quote" / "Change a quote" form
// ---------------------------------------------------------------------------------------------

/** What the person typed, as text (nothing typed is lost while they fix it). */
export interface QuoteForm {
  targetKind: QuoteTargetKind;
  targetId: string;
  /** Quoted price in USD per unit; empty: the discount applies to the public price. */
  unitPrice: string;
  /** Discount in percent (5 = 5 %); empty: no discount. */
  discountPercent: string;
  /** YYYY-MM-DD, as a date input gives it. */
  validUntil: string;
  note: string;
}

/** Form field names, one per API field (`targetId`, `unitPriceUsd`, `discount`, `validUntil`, `note`). */
export type QuoteFormField = "targetId" | "unitPriceUsd" | "discount" | "validUntil" | "note";

export type ParsedQuoteForm =
  { ok: true; draft: QuoteDraft } | { ok: false; errors: Partial<Record<QuoteFormField, string>> };

/** Reads a typed number: commas and spaces as thousands separators, "$" and "%" allowed. */
function typedNumber(text: string): number | null | "invalid" {
  const cleaned = text.trim().replace(/[\s,$%]/g, "");
  if (cleaned === "") return null;
  const value = Number(cleaned);
  return Number.isFinite(value) ? value : "invalid";
}

/**
 * Turns the form's text into the API's body. Only what the browser must do itself is checked
 * here (a target is chosen, numbers are numbers, the discount typed in % becomes a fraction);
 * ranges, dates and limits are the API's rules and come back as its field errors.
 */
export function parseQuoteForm(form: QuoteForm): ParsedQuoteForm {
  const errors: Partial<Record<QuoteFormField, string>> = {};
  if (!form.targetId) {
    errors.targetId =
      form.targetKind === "sku" ? "Choose the server this quote is for." : "Choose the cloud offer this quote is for.";
  }
  const unitPrice = typedNumber(form.unitPrice);
  if (unitPrice === "invalid")
    errors.unitPriceUsd = `“${form.unitPrice}” is not a number: type a price such as 265000.`;
  const discountPercent = typedNumber(form.discountPercent);
  if (discountPercent === "invalid") {
    errors.discount = `“${form.discountPercent}” is not a number: type a percentage such as 5.`;
  }
  if (!form.validUntil.trim()) errors.validUntil = "Give the last day the quote is valid.";
  if (Object.keys(errors).length > 0 || unitPrice === "invalid" || discountPercent === "invalid") {
    return { ok: false, errors };
  }
  const note = form.note.trim();
  return {
    ok: true,
    draft: {
      targetKind: form.targetKind,
      targetId: form.targetId,
      unitPriceUsd: unitPrice,
      // Percent → fraction; rounding removes float noise (5.1 % → 0.051, not 0.050999…).
      discount: discountPercent === null ? 0 : Number((discountPercent / 100).toPrecision(12)),
      validUntil: form.validUntil.trim(),
      note: note === "" ? null : note,
    },
  };
}

/** The form filled from an existing quote, for editing. */
export function formOfQuote(quote: Quote): QuoteForm {
  return {
    targetKind: quote.targetKind,
    targetId: quote.targetId,
    unitPrice: quote.unitPriceUsd === null ? "" : String(quote.unitPriceUsd),
    discountPercent: quote.discount === 0 ? "" : String(Number((quote.discount * 100).toPrecision(12))),
    validUntil: quote.validUntil,
    note: quote.note ?? "",
  };
}

/** Only the fields that differ from the quote: a PATCH never re-sends an unchanged expired date. */
export function changedFields(quote: Quote, draft: QuoteDraft): QuotePatch {
  const patch: QuotePatch = {};
  if (draft.unitPriceUsd !== quote.unitPriceUsd) patch.unitPriceUsd = draft.unitPriceUsd;
  if (draft.discount !== quote.discount) patch.discount = draft.discount;
  if (draft.validUntil !== quote.validUntil) patch.validUntil = draft.validUntil;
  if (draft.note !== quote.note) patch.note = draft.note;
  return patch;
}

const QUOTE_FORM_FIELDS: readonly QuoteFormField[] = ["targetId", "unitPriceUsd", "discount", "validUntil", "note"];

/**
 * The API's field errors mapped onto the form's fields (`unitPriceUsd`, `discount`, …); issues
 * that name no form field (the body as a whole, a header) come back in `other`. A discount
 * message about fractions is restated in percent, as the field is typed.
 */
export function quoteApiErrors(error: unknown): {
  fields: Partial<Record<QuoteFormField, string>>;
  other: string[];
} {
  const fields: Partial<Record<QuoteFormField, string>> = {};
  const other: string[] = [];
  if (!(error instanceof ApiRequestError)) return { fields, other };
  for (const issue of error.body?.error.issues ?? []) {
    const field = QUOTE_FORM_FIELDS.find(
      (name) => issue.path === name || issue.path.startsWith(`${name}.`) || issue.path.endsWith(`.${name}`),
    );
    if (!field) other.push(issue.path ? `${issue.path}: ${issue.message}` : issue.message);
    else fields[field] ??= field === "discount" ? discountInPercent(issue.message) : issue.message;
  }
  return { fields, other };
}

/**
 * A discount message about fractions restated in percent, as the field is typed: the API's range
 * "0 <= discount < 1" becomes "from 0 % up to, not including, 100 %"; other numbers × 100.
 */
function discountInPercent(message: string): string {
  if (/0 <= discount < 1\b/.test(message)) return "expected a percentage from 0 % up to, not including, 100 %";
  return message.replace(
    /(>=|<=|>|<|got) (-?\d+(?:\.\d+)?(?:e[-+]?\d+)?)(?![\d"%])/gi,
    (_match, operator: string, number: string) => `${operator} ${Number((Number(number) * 100).toPrecision(10))} %`,
  );
}
