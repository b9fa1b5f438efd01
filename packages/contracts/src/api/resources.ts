import { OptimiseSettingsSchema } from "../optimise.ts";
import * as v from "valibot";

/**
 * Wire schemas of the API's own resources (organisations, keys, scenarios as stored objects,
 * plans, export links). The scenario itself and the evaluation result are `@aifp/contracts`'
 * schemas; these wrap them. Write schemas are strict (unknown keys, `__proto__` included, are a
 * 400 naming the key); strings have byte caps (docs/reliability.md §2.2). Every response goes
 * through a DTO built field by field in the services, so hashes never leave the database.
 */

/** Most bytes of a stored scenario JSON (D1 rows ≤ 2 MB; our cap 512 KB, docs/reliability.md S9). */
export const MAX_SCENARIO_JSON_BYTES = 512 * 1024;

/**
 * Most bytes of a stored plan's input + result JSON. D1 rows are limited to 2,000,000 bytes in
 * production (not enforced by local workerd), and the idempotency row stores the response again.
 */
export const MAX_PLAN_JSON_BYTES = 1_800_000;

const nonBlank = (what: string) => v.check((value: string) => value.trim().length > 0, `expected a non-empty ${what}`);

/** A display name: 1–200 bytes of UTF-8, not only spaces. */
export const NameSchema = v.pipe(
  v.string("expected a string"),
  nonBlank("name"),
  v.maxBytes(200, "expected at most 200 bytes"),
);

/**
 * Roles of members and API keys, weakest first: `viewer` reads; `editor` also changes scenarios,
 * plans and proposals; `admin` also manages members, invitations, API keys, price books and
 * quotes, and reads the audit log (docs/accounts.md).
 */
export const ROLES = ["viewer", "editor", "admin"] as const;
export const RoleSchema = v.picklist(ROLES, 'expected "viewer", "editor" or "admin"');
export type Role = v.InferOutput<typeof RoleSchema>;

/**
 * A role as clients may send it: `member`, the name before roles were split, still means
 * `editor` (what a member key could do), so existing scripts keep working.
 */
export const RoleInputSchema = v.pipe(
  v.picklist([...ROLES, "member"], 'expected "viewer", "editor" or "admin"'),
  v.transform((role): Role => (role === "member" ? "editor" : role)),
);

/** True when `role` may do what `needed` allows (viewer < editor < admin). */
export function roleAtLeast(role: Role, needed: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(needed);
}

export const CreateOrgBodySchema = v.strictObject({
  name: NameSchema,
  /** Name of the first (admin) key; default "bootstrap". */
  keyName: v.optional(NameSchema),
});

export const CreateKeyBodySchema = v.strictObject({
  name: NameSchema,
  /** Default `editor`; `member` is accepted as a synonym of `editor`. */
  role: v.optional(RoleInputSchema),
  /** Lifetime in days (1–3650); absent = no expiry. */
  expiresInDays: v.optional(
    v.pipe(
      v.number("expected a number"),
      v.integer("expected a whole number of days"),
      v.minValue(1, "expected a number >= 1"),
      v.maxValue(3650, "expected a number <= 3650"),
    ),
  ),
});

export const OrgSchema = v.object({
  id: v.string(),
  name: v.string(),
  createdAt: v.string(),
});

export const ApiKeySchema = v.object({
  id: v.string(),
  name: v.string(),
  /** Display prefix (`aifp_live_` + 6 characters): enough to recognise, useless to attack. */
  start: v.string(),
  role: RoleSchema,
  createdAt: v.string(),
  expiresAt: v.nullable(v.string()),
  revokedAt: v.nullable(v.string()),
});

/**
 * A key as returned once, at creation: the plaintext `key` is never shown again (an
 * Idempotency-Key replay of the creation answers `key: null`, since no plaintext is stored).
 */
export const CreatedApiKeySchema = v.object({ ...ApiKeySchema.entries, key: v.nullable(v.string()) });

export const CreatedOrgSchema = v.object({ organisation: OrgSchema, apiKey: CreatedApiKeySchema });

export const PageSchema = <TItem extends v.GenericSchema>(item: TItem) =>
  v.object({ data: v.array(item), nextCursor: v.nullable(v.string()) });

export const ScenarioSummarySchema = v.object({
  id: v.string(),
  name: v.string(),
  version: v.pipe(v.number(), v.integer()),
  createdAt: v.string(),
  updatedAt: v.string(),
});

export const PlanSummarySchema = v.object({
  id: v.string(),
  name: v.string(),
  scenarioId: v.string(),
  scenarioVersion: v.pipe(v.number(), v.integer()),
  priceBookVersion: v.string(),
  kernelVersion: v.string(),
  /** SHA-256 (hex) of the canonical JSON (RFC 8785 style: sorted keys) of `input`. */
  inputHash: v.string(),
  createdAt: v.string(),
});

export const ExportFormatSchema = v.picklist(
  ["monthly.csv", "summary.csv", "xlsx"],
  'expected "monthly.csv", "summary.csv" or "xlsx"',
);
export type ExportFormat = v.InferOutput<typeof ExportFormatSchema>;

/** Default and longest lifetime of a signed export link (docs/decisions: export-link lifetime). */
export const DEFAULT_LINK_TTL_SECONDS = 24 * 3600;
export const MAX_LINK_TTL_SECONDS = 7 * 24 * 3600;
export const MIN_LINK_TTL_SECONDS = 60;

export const CreateLinkBodySchema = v.strictObject({
  format: ExportFormatSchema,
  expiresInSeconds: v.optional(
    v.pipe(
      v.number("expected a number"),
      v.integer("expected a whole number of seconds"),
      v.minValue(MIN_LINK_TTL_SECONDS, `expected a number >= ${MIN_LINK_TTL_SECONDS}`),
      v.maxValue(MAX_LINK_TTL_SECONDS, `expected a number <= ${MAX_LINK_TTL_SECONDS} (7 days)`),
    ),
  ),
});

export const ExportLinkSchema = v.object({
  id: v.string(),
  planId: v.string(),
  format: ExportFormatSchema,
  createdAt: v.string(),
  expiresAt: v.string(),
  revokedAt: v.nullable(v.string()),
});

/** A link as returned once, at creation: `url` carries the token, never shown again (null in an Idempotency-Key replay). */
export const CreatedExportLinkSchema = v.object({ ...ExportLinkSchema.entries, url: v.nullable(v.string()) });

/** A plan's `optimise` option: `true` (the optimiser's defaults), `false` (evaluate only) or settings. */
export const PlanOptimiseOptionSchema = v.union([v.boolean(), OptimiseSettingsSchema], (issue) => {
  // Name the setting at fault: the object branch's own issues, paths relative to `optimise`.
  const depth = issue.path?.length ?? 0;
  const inner = (issue.issues ?? [])
    .filter((sub) => (sub.path?.length ?? 0) > depth)
    .map(
      (sub) =>
        `${(sub.path ?? [])
          .slice(depth)
          .map((item) => String(item.key))
          .join(".")}: ${sub.message}`,
    );
  return `expected true, false or an object of optimiser settings${inner.length > 0 ? `; ${inner.join("; ")}` : ""}`;
});

export const CreatePlanBodySchema = v.strictObject({
  /** Plan name; default: the scenario's name. */
  name: v.optional(NameSchema),
  /** Also optimise the fleet plan and store it beside the evaluation (`result.optimisation`). */
  optimise: v.optional(PlanOptimiseOptionSchema),
});

export const ErrorEnvelopeSchema = v.object({
  error: v.object({
    code: v.string(),
    message: v.string(),
    requestId: v.string(),
    issues: v.array(v.object({ path: v.string(), message: v.string() })),
  }),
});

export type Org = v.InferOutput<typeof OrgSchema>;
export type ApiKey = v.InferOutput<typeof ApiKeySchema>;
export type CreatedApiKey = v.InferOutput<typeof CreatedApiKeySchema>;
export type CreatedOrg = v.InferOutput<typeof CreatedOrgSchema>;
/** One page of a keyset-paginated list (`?limit=&cursor=`). */
export interface Page<TItem> {
  data: TItem[];
  nextCursor: string | null;
}
export type ScenarioSummary = v.InferOutput<typeof ScenarioSummarySchema>;
export type PlanSummary = v.InferOutput<typeof PlanSummarySchema>;
export type ExportLink = v.InferOutput<typeof ExportLinkSchema>;
export type CreatedExportLink = v.InferOutput<typeof CreatedExportLinkSchema>;
/** What a client sends to `POST /keys` (`member` still accepted as a role). */
export type CreateKeyBody = v.InferInput<typeof CreateKeyBodySchema>;
export type CreatePlanBody = v.InferInput<typeof CreatePlanBodySchema>;
/** The one error envelope of every 4xx/5xx answer: `{ error: { code, message, requestId, issues[] } }`. */
export type ErrorEnvelope = v.InferOutput<typeof ErrorEnvelopeSchema>;
