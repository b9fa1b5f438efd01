import * as v from "valibot";

/** Largest logo accepted, bytes of the decoded image (256 KiB: a crisp print logo fits easily). */
export const MAX_LOGO_BYTES = 256 * 1024;

/**
 * Wire schemas of proposals and their share links. Writes are strict (unknown keys are a 400
 * naming the key); text has byte caps; the logo is size-capped here and type-checked by
 * `logo.ts` (magic bytes, dimensions).
 */

const nonBlank = (what: string) => v.check((value: string) => value.trim().length > 0, `expected a non-empty ${what}`);

/** One line of display text: 1–`maxBytes` bytes of UTF-8, not only spaces. */
const Line = (what: string, maxBytes = 200) =>
  v.pipe(
    v.string(`expected ${what} as text`),
    nonBlank(what),
    v.maxBytes(maxBytes, `expected at most ${maxBytes} bytes`),
  );

/** "#rrggbb", stored lower-case. */
export const AccentColorSchema = v.pipe(
  v.string('expected a colour as "#rrggbb"'),
  v.regex(/^#[0-9a-fA-F]{6}$/, 'expected a colour as "#rrggbb", e.g. "#1f5fbf"'),
  v.transform((value) => value.toLowerCase()),
);

/** Base64 characters of the largest logo (4 characters per 3 bytes). */
export const MAX_LOGO_BASE64_CHARS = Math.ceil(MAX_LOGO_BYTES / 3) * 4;

export const LogoInputSchema = v.strictObject({
  contentType: v.picklist(["image/png", "image/jpeg"], 'expected "image/png" or "image/jpeg" (no SVG)'),
  dataBase64: v.pipe(
    v.string("expected the image as base64 text"),
    v.maxLength(
      MAX_LOGO_BASE64_CHARS,
      `expected at most ${MAX_LOGO_BYTES} bytes of image (${MAX_LOGO_BASE64_CHARS} base64 characters)`,
    ),
  ),
});

export const PaperSizeSchema = v.picklist(["A4", "Letter"], 'expected "A4" or "Letter"');

export const VendorSchema = v.strictObject({
  name: Line("vendor name"),
  accentColor: AccentColorSchema,
  /** Absent or null: no logo. */
  logo: v.optional(v.nullable(LogoInputSchema)),
});

/** Most Monte Carlo samples a proposal asks for (a proposal is a document, not a batch run). */
export const MAX_PROPOSAL_RISK_SAMPLES = 2000;

export const ProposalRiskSchema = v.strictObject({
  samples: v.pipe(
    v.number("expected a number"),
    v.integer("expected a whole number of samples"),
    v.minValue(100, "expected a number >= 100"),
    v.maxValue(MAX_PROPOSAL_RISK_SAMPLES, `expected a number <= ${MAX_PROPOSAL_RISK_SAMPLES}`),
  ),
  seed: v.pipe(
    v.number("expected a number"),
    v.integer("expected a whole number"),
    v.minValue(-(2 ** 31), "expected a number >= -2147483648"),
    v.maxValue(2 ** 31 - 1, "expected a number <= 2147483647"),
  ),
});

const fieldEntries = {
  title: Line("title"),
  customerName: Line("customer name"),
  preparedBy: Line("name of who prepared it"),
  vendor: VendorSchema,
  notes: v.optional(v.pipe(v.string("expected notes as text"), v.maxBytes(4000, "expected at most 4000 bytes"))),
  paperSize: v.optional(PaperSizeSchema),
  /** A seeded Monte Carlo for the risk band; absent or null: no risk band. */
  risk: v.optional(v.nullable(ProposalRiskSchema)),
};

/** `POST /proposals`: the plan and what the sales engineer enters. */
export const CreateProposalBodySchema = v.strictObject({
  planId: v.pipe(v.string("expected a plan id"), v.regex(/^pln_[0-9a-z]{1,40}$/, 'expected a plan id ("pln_…")')),
  ...fieldEntries,
});

/** `PATCH /proposals/{id}`: any of the fields; an issued proposal gets a new draft version. */
export const PatchProposalBodySchema = v.pipe(
  v.strictObject({
    title: v.optional(fieldEntries.title),
    customerName: v.optional(fieldEntries.customerName),
    preparedBy: v.optional(fieldEntries.preparedBy),
    vendor: v.optional(VendorSchema),
    notes: fieldEntries.notes,
    paperSize: fieldEntries.paperSize,
    risk: fieldEntries.risk,
  }),
  v.check((body) => Object.keys(body).length > 0, "expected at least one field to change"),
);

/** `POST /proposals/{id}/issue`: nothing to send (an empty object or no body). */
export const IssueProposalBodySchema = v.strictObject({});

/** Default and longest lifetime of a share link: 30 days, at most 90 (docs/proposals.md). */
export const DEFAULT_SHARE_TTL_SECONDS = 30 * 24 * 3600;
export const MAX_SHARE_TTL_SECONDS = 90 * 24 * 3600;
export const MIN_SHARE_TTL_SECONDS = 60;

export const CreateShareLinkBodySchema = v.strictObject({
  /** Lifetime in seconds (60 s to 90 days; default 30 days). */
  expiresInSeconds: v.optional(
    v.pipe(
      v.number("expected a number"),
      v.integer("expected a whole number of seconds"),
      v.minValue(MIN_SHARE_TTL_SECONDS, `expected a number >= ${MIN_SHARE_TTL_SECONDS}`),
      v.maxValue(MAX_SHARE_TTL_SECONDS, `expected a number <= ${MAX_SHARE_TTL_SECONDS} (90 days)`),
    ),
  ),
  /** The issued version to share; default the latest issued one. */
  version: v.optional(
    v.pipe(
      v.number("expected a number"),
      v.integer("expected a whole number"),
      v.minValue(1, "expected a number >= 1"),
    ),
  ),
});

// --- responses (documentation; the services build them field by field) ----------------------

export const ProposalVersionSummarySchema = v.object({
  proposalId: v.string(),
  version: v.number(),
  status: v.picklist(["draft", "issued"]),
  priceBookVersion: v.string(),
  engineVersion: v.string(),
  /** SHA-256 (hex) of the canonical JSON of {inputs, price_book_version, engine_version, outputs}. */
  contentHash: v.string(),
  createdAt: v.string(),
  updatedAt: v.string(),
  issuedAt: v.nullable(v.string()),
});

export const ProposalVersionSchema = v.object({
  ...ProposalVersionSummarySchema.entries,
  inputs: v.unknown(),
  outputs: v.unknown(),
});

export const ProposalSummarySchema = v.object({
  id: v.string(),
  planId: v.string(),
  latestVersion: v.number(),
  revision: v.number(),
  createdAt: v.string(),
  updatedAt: v.string(),
});

export const ProposalSchema = v.object({ ...ProposalSummarySchema.entries, current: ProposalVersionSchema });

export const VerificationSchema = v.object({
  proposalId: v.string(),
  version: v.number(),
  storedHash: v.string(),
  regeneratedHash: v.nullable(v.string()),
  matches: v.boolean(),
  planInputHashMatches: v.nullable(v.boolean()),
  reason: v.nullable(v.string()),
});

export const ShareLinkSchema = v.object({
  id: v.string(),
  proposalId: v.string(),
  version: v.number(),
  createdAt: v.string(),
  expiresAt: v.string(),
  revokedAt: v.nullable(v.string()),
});

export const CreatedShareLinkSchema = v.object({
  ...ShareLinkSchema.entries,
  /** The page a customer opens (no account needed); shown once. */
  url: v.nullable(v.string()),
  /** The PDF behind the same token; shown once. */
  pdfUrl: v.nullable(v.string()),
});

/** What a share link shows: the proposal version only, nothing else of the organisation. */
export const SharedProposalSchema = v.object({
  version: v.number(),
  issuedAt: v.nullable(v.string()),
  contentHash: v.string(),
  priceBookVersion: v.string(),
  engineVersion: v.string(),
  expiresAt: v.string(),
  inputs: v.unknown(),
  outputs: v.unknown(),
});

export type ProposalVersionSummary = v.InferOutput<typeof ProposalVersionSummarySchema>;
export type ProposalSummary = v.InferOutput<typeof ProposalSummarySchema>;
export type Verification = v.InferOutput<typeof VerificationSchema>;
export type ShareLink = v.InferOutput<typeof ShareLinkSchema>;
export type CreatedShareLink = v.InferOutput<typeof CreatedShareLinkSchema>;
/** What a client sends to `POST /proposals` and `PATCH /proposals/{id}`. */
export type CreateProposalBody = v.InferInput<typeof CreateProposalBodySchema>;
export type PatchProposalBody = v.InferInput<typeof PatchProposalBodySchema>;
export type CreateShareLinkBody = v.InferInput<typeof CreateShareLinkBodySchema>;
