import * as v from "valibot";

/**
 * Wire schemas of an organisation's custom quotes (issue #4, ADR 012): the bodies `POST` and
 * `PATCH /quotes` take and the quote the API returns.
 */

// --- dates ----------------------------------------------------------------------------------

/** Today as YYYY-MM-DD in UTC: the day a quote's `validUntil` may not be before. */
export function todayUtc(): string {
  return new Date().toISOString().slice(0, 10);
}

/** True for a real calendar day written YYYY-MM-DD (2027-02-29 is not one). */
function isCalendarDate(text: string): boolean {
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

// --- schemas --------------------------------------------------------------------------------

/** Longest quote note, in characters (Unicode code points). */
export const MAX_QUOTE_NOTE_CHARS = 500;
/** Highest unit price a quote may carry, USD (a GB300 NVL72 rack lists at ~3.5 M USD). */
export const MAX_QUOTE_UNIT_PRICE_USD = 1e9;

export const TargetKindSchema = v.picklist(
  ["sku", "offer"],
  'expected "sku" (a server SKU) or "offer" (a cloud offer)',
);

const UnitPriceSchema = v.nullable(
  v.pipe(
    v.number("expected a number of USD or null"),
    v.gtValue(0, "expected a number > 0"),
    v.maxValue(MAX_QUOTE_UNIT_PRICE_USD, `expected a number <= ${MAX_QUOTE_UNIT_PRICE_USD}`),
  ),
);

const DiscountSchema = v.pipe(
  v.number("expected a fraction 0 <= discount < 1"),
  v.minValue(0, "expected a fraction 0 <= discount < 1 (0.05 is 5 % off)"),
  v.ltValue(1, "expected a fraction 0 <= discount < 1 (0.05 is 5 % off)"),
);

const ValidUntilSchema = v.pipe(
  v.string("expected a date YYYY-MM-DD"),
  v.regex(/^\d{4}-\d{2}-\d{2}$/, "expected a date YYYY-MM-DD"),
  v.check(isCalendarDate, "expected a real calendar date YYYY-MM-DD"),
  v.check(
    (date: string) => date >= todayUtc(),
    () => `expected today (${todayUtc()}, UTC) or a later date`,
  ),
);

const NoteSchema = v.nullable(
  v.pipe(
    v.string("expected a string or null"),
    v.check(
      (note: string) => [...note].length <= MAX_QUOTE_NOTE_CHARS,
      `expected at most ${MAX_QUOTE_NOTE_CHARS} characters`,
    ),
  ),
);

/** `POST /quotes`: a quote for a server SKU or cloud offer of the public book. */
export const CreateQuoteBodySchema = v.strictObject({
  targetKind: TargetKindSchema,
  /** The id of a server (`sku`) or cloud offer (`offer`) in the public price book. */
  targetId: v.pipe(
    v.string("expected the id of a server or cloud offer of the public price book"),
    v.minLength(1, "expected the id of a server or cloud offer of the public price book"),
    v.maxLength(200, "expected at most 200 characters"),
  ),
  /** USD per server (sku) or per instance-hour (offer); null/absent: the discount applies to the public price. */
  unitPriceUsd: v.optional(UnitPriceSchema),
  /** Fraction off the unit price (or the public price), 0 <= d < 1; default 0. */
  discount: v.optional(DiscountSchema),
  /** Last day the quote is valid, YYYY-MM-DD (inclusive), not before today (UTC). */
  validUntil: ValidUntilSchema,
  note: v.optional(NoteSchema),
});

/** `PATCH /quotes/{id}`: any non-empty subset of the writable fields (the target never changes). */
export const PatchQuoteBodySchema = v.pipe(
  v.strictObject({
    unitPriceUsd: v.optional(UnitPriceSchema),
    discount: v.optional(DiscountSchema),
    validUntil: v.optional(ValidUntilSchema),
    note: v.optional(NoteSchema),
  }),
  v.check(
    (body) => Object.keys(body).length > 0,
    "expected at least one of unitPriceUsd, discount, validUntil, note (the target of a quote cannot change: create a new quote)",
  ),
);

/** A quote as the API returns it. */
export const QuoteSchema = v.object({
  id: v.string(),
  targetKind: TargetKindSchema,
  targetId: v.string(),
  /** The target's name in the public book (its id when the book no longer has it). */
  targetName: v.string(),
  /** `USD per server` (sku) or `USD per instance-hour` (offer). */
  unit: v.string(),
  unitPriceUsd: v.nullable(v.number()),
  discount: v.number(),
  /**
   * (unitPriceUsd ?? publicUnitPriceUsd) × (1 − discount): the price the planner uses while the
   * quote is valid. Null only when the quote has no unit price and the book no longer prices it.
   */
  effectiveUnitPriceUsd: v.nullable(v.number()),
  /** The public book's price of the target (null when the book has none). */
  publicUnitPriceUsd: v.nullable(v.number()),
  publicPriceBookVersion: v.string(),
  validUntil: v.string(),
  note: v.nullable(v.string()),
  version: v.pipe(v.number(), v.integer()),
  createdAt: v.string(),
  updatedAt: v.string(),
});
export type QuoteDto = v.InferOutput<typeof QuoteSchema>;

export const ListQuotesQuerySchema = v.object({
  targetKind: v.optional(TargetKindSchema),
  targetId: v.optional(v.pipe(v.string(), v.maxLength(200, "expected at most 200 characters"))),
  status: v.optional(v.picklist(["valid", "expired", "all"], 'expected "valid", "expired" or "all"'), "all"),
});

export const QuotesModeSchema = v.object({
  quotes: v.optional(v.picklist(["org", "none"], 'expected "none" (public figures only) or "org"'), "org"),
});

export type Quote = v.InferOutput<typeof QuoteSchema>;
export type QuoteTargetKind = v.InferOutput<typeof TargetKindSchema>;
/** What a client sends to `POST /quotes`. */
export type CreateQuoteBody = v.InferInput<typeof CreateQuoteBodySchema>;
/** What a client sends to `PATCH /quotes/{id}`. */
export type PatchQuoteBody = v.InferInput<typeof PatchQuoteBodySchema>;
