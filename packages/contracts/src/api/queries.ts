import * as v from "valibot";
import { PaperSizeSchema } from "./proposals.ts";
import { ListQuotesQuerySchema, QuotesModeSchema } from "./quotes.ts";

/**
 * The query strings of the API, as valibot object schemas (issue 20, ADR 040): the API validates
 * `c.req.query()` with them and the OpenAPI document's query `parameters` are generated from
 * them, each entry's `v.description` becoming the parameter's description. Query values arrive
 * as strings: a number is a string pipe that transforms to one and then says what it is
 * (`v.number()`, `v.integer()`, bounds), which is what the document shows.
 */

/**
 * The schema the released v1 document shows for a parameter whose validation is stricter than
 * what was published (e.g. `{ type: "string" }` for a filter checked as 1–64 characters):
 * publishing the real bound now would be a tightening the compatibility gate refuses (ADR 013),
 * so the document keeps the released schema while the API validates the real one.
 */
export function releasedAs<TInput>(jsonSchema: Record<string, unknown>) {
  return v.metadata<TInput, { releasedAs: Record<string, unknown> }>({ releasedAs: jsonSchema });
}

/** The released documentation of every free-text filter: a string. */
const RELEASED_STRING = { type: "string" };

export const DEFAULT_PAGE_LIMIT = 50;
export const MAX_PAGE_LIMIT = 100;

const LIMIT_MESSAGE = `expected a whole number from 1 to ${MAX_PAGE_LIMIT}`;

/** `?limit=` of every list: digits only (no `1e2`, no `+5`), 1–100. */
export const PageLimitSchema = v.pipe(
  v.string(),
  v.regex(/^\d{1,3}$/, LIMIT_MESSAGE),
  v.transform(Number),
  v.number(),
  v.integer(),
  v.minValue(1, LIMIT_MESSAGE),
  v.maxValue(MAX_PAGE_LIMIT, LIMIT_MESSAGE),
  v.description(`Page size, 1–${MAX_PAGE_LIMIT} (default ${DEFAULT_PAGE_LIMIT}); more is a 400.`),
);

/** The keyset pagination of every list (`limit`, `cursor`); the API decodes the cursor. */
export const PageQueryEntries = {
  limit: v.optional(PageLimitSchema),
  cursor: v.optional(v.pipe(v.string(), v.description("The `nextCursor` of the previous page (opaque)."))),
};

export const PageQuerySchema = v.object(PageQueryEntries);

/** `?quotes=` on the stateless planning routes (`/evaluate`, `/optimise`, `/risk`). */
export const PlanningQuerySchema = v.object({
  quotes: v.pipe(
    QuotesModeSchema.entries.quotes,
    v.description(
      "`none`: public figures only. Default (`org`): with an API key or session, the caller's organisation quotes replace public prices while valid on the plan's start (`usedFigures` origin `quote`); anonymous callers always get public figures.",
    ),
  ),
});

/** `GET /quotes`: a page, filtered by target and validity. */
export const QuoteListQuerySchema = v.object({
  ...PageQueryEntries,
  targetKind: v.pipe(
    ListQuotesQuerySchema.entries.targetKind,
    v.description("`sku` or `offer`: only quotes for that kind of target."),
  ),
  targetId: v.pipe(
    ListQuotesQuerySchema.entries.targetId,
    v.description("Only quotes for this server or cloud offer id."),
    releasedAs(RELEASED_STRING),
  ),
  status: v.pipe(
    ListQuotesQuerySchema.entries.status,
    v.description("`valid` (validUntil is today, UTC, or later), `expired`, or `all` (default)."),
  ),
});

/** An id filter of a list (`?scenarioId=`, `?planId=`): at most 64 bytes. */
const idFilter = (description: string) =>
  v.optional(v.pipe(v.string(), v.maxBytes(64, "expected at most 64 bytes"), v.description(description)));

/** `GET /plans`. */
export const PlanListQuerySchema = v.object({
  ...PageQueryEntries,
  scenarioId: idFilter("Only plans of this scenario"),
});

/** `GET /proposals`. */
export const ProposalListQuerySchema = v.object({
  ...PageQueryEntries,
  planId: idFilter("Only proposals of this plan"),
});

/** `?paper=` of a proposal PDF. */
const PaperQueryEntries = {
  paper: v.optional(
    v.pipe(PaperSizeSchema, v.description('Paper size: "A4" or "Letter" (default: the proposal\'s own)')),
  ),
};

/** `GET /proposals/shared/{token}/proposal.pdf`. */
export const SharedPdfQuerySchema = v.object(PaperQueryEntries);

/** `GET /proposals/{id}.pdf`: paper size and a version number (default the latest). */
export const ProposalPdfQuerySchema = v.object({
  ...PaperQueryEntries,
  version: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^[1-9]\d{0,8}$/, "expected a version number (1, 2, …)"),
      v.transform(Number),
      v.number(),
      v.integer(),
      v.minValue(1),
      v.description("Version number (default: the latest)"),
    ),
  ),
});

const FilterValue = v.pipe(
  v.string(),
  v.minLength(1, "expected a non-empty value"),
  v.maxLength(64, "expected at most 64 characters"),
);
const oneOf = <const TValues extends readonly [string, ...string[]]>(values: TValues) =>
  v.picklist(values, `expected one of ${values.join(", ")}`);

/** `?version=` of the public catalog reads: a published price-book version. */
const VersionQueryEntry = v.optional(
  v.pipe(
    v.string(),
    v.regex(/^\d{4}\.\d{2}\.\d{2}$/, "expected a price-book version such as 2026.11.22"),
    v.description("Pin a published price-book version (YYYY.MM.DD); default the latest"),
    releasedAs(RELEASED_STRING),
  ),
);

/** A catalog filter: exact match on one column, documented as a plain string. */
function filter<TSchema extends v.GenericSchema<string>>(schema: TSchema, description: string) {
  return v.optional(v.pipe(schema, v.description(description), releasedAs(RELEASED_STRING)));
}
const equals = (name: string) => `Only rows whose ${name} equals this`;

/** The filters each catalog list accepts (exact match); anything else in the query is a 400. */
const CATALOG_FILTERS = {
  accelerators: {
    vendor: filter(FilterValue, equals("vendor")),
    generation: filter(FilterValue, equals("generation")),
    status: filter(oneOf(["shipping", "no-spec", "announced"] as const), equals("status")),
  },
  servers: {
    vendor: filter(FilterValue, equals("vendor")),
    accelerator: filter(FilterValue, equals("accelerator")),
    cooling: filter(oneOf(["air", "liquid", "hybrid"] as const), equals("cooling")),
    formFactor: filter(oneOf(["server", "rack"] as const), equals("formFactor")),
  },
  cloudOffers: {
    provider: filter(FilterValue, equals("provider")),
    providerKind: filter(oneOf(["hyperscaler", "neocloud", "marketplace"] as const), equals("providerKind")),
    accelerator: filter(FilterValue, equals("accelerator")),
    commitment: filter(oneOf(["none", "1y", "3y", "capacity_block", "spot_only"] as const), equals("commitment")),
  },
  throughput: {
    model: filter(FilterValue, equals("model")),
    accelerator: filter(FilterValue, equals("accelerator")),
    source: filter(FilterValue, equals("source")),
    scenario: filter(oneOf(["offline", "server", "interactive"] as const), equals("scenario")),
  },
  regions: {},
  models: { architecture: filter(oneOf(["dense", "moe"] as const), equals("architecture")) },
  generations: {
    vendor: filter(FilterValue, equals("vendor")),
    status: filter(oneOf(["shipping", "announced"] as const), equals("status")),
  },
};

/** A catalog list's name (`GET /catalog/<path>`). */
export type CatalogList = keyof typeof CATALOG_FILTERS;

/** The names of a catalog list's filters, in the order the document lists them. */
export function catalogFilterNames(list: CatalogList): string[] {
  return Object.keys(CATALOG_FILTERS[list]);
}

/** `GET /catalog/<list>`: a page, a price-book version and the list's filters; nothing else. */
export function catalogQuerySchema<TList extends CatalogList>(list: TList) {
  return v.strictObject({ ...PageQueryEntries, version: VersionQueryEntry, ...CATALOG_FILTERS[list] });
}

/** `GET /catalog/token-prices`. */
export const TokenPriceQuerySchema = v.strictObject({
  ...PageQueryEntries,
  version: VersionQueryEntry,
  model: filter(FilterValue, "Only prices of this catalog model key (e.g. llama3.3-70b)"),
  provider: filter(FilterValue, "Only prices of this provider, by name or slug (e.g. Groq, aws-bedrock)"),
  status: filter(
    v.picklist(["current", "superseded"] as const, "expected one of current, superseded"),
    "current (offered now) or superseded (dated history)",
  ),
});
