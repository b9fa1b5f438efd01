import { sql } from "drizzle-orm";
import { check, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/**
 * Tenancy tables (docs/reliability.md §2.5–§2.7): organisations, their API keys, idempotency keys,
 * saved scenarios (optimistic concurrency through `version`), immutable plans and signed export
 * links. Every tenant row carries `org_id`; IDs are random and prefixed (`org_…`, `key_…`,
 * `scn_…`, `pln_…`, `lnk_…`). Instants are ISO 8601 UTC strings (`2026-11-22T02:26:09.123Z`),
 * which sort correctly as text and make the keyset cursor `(created_at, id)` exact.
 */

/** Roles of members and API keys, lowest first (the CHECK constraints below list the same). */
export const ROLES = ["viewer", "editor", "admin"] as const;
/** What a signed export link serves. */
export const EXPORT_FORMATS = ["monthly.csv", "summary.csv", "xlsx"] as const;

/** A completed idempotent request's stored response, replayed verbatim (`response_json`). */
export interface StoredResponseJson {
  headers: Record<string, string>;
  body: unknown;
}

/** An organisation: the unit of tenancy. Everything stored belongs to exactly one. */
export const organisations = sqliteTable("organisations", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  createdAt: text("created_at").notNull(),
});

/**
 * API keys. Only `SHA-256(key)` is stored (hex, unique); `start` is the display prefix
 * (`aifp_live_` + 6 characters) for lists and logs. A key is shown once at creation.
 * `role`, as for members (auth.ts `memberships`): `viewer` reads; `editor` also writes scenarios,
 * plans and proposals; `admin` also manages members, keys and price books (migration 0003 turned
 * the former `member` into `editor`).
 */
export const apiKeys = sqliteTable(
  "api_keys",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id")
      .notNull()
      .references(() => organisations.id),
    name: text("name").notNull(),
    keyHash: text("key_hash").notNull(),
    start: text("start").notNull(),
    role: text("role", { enum: ROLES }).notNull(),
    createdAt: text("created_at").notNull(),
    expiresAt: text("expires_at"),
    revokedAt: text("revoked_at"),
    /**
     * The person whose authority made the key (`usr_…`): the signed-in admin who created it, or
     * the creator of the key that created it. Null for keys made at sign-up or by an operator
     * script. When that person leaves the organisation, their keys are revoked with them.
     */
    createdByUserId: text("created_by_user_id"),
  },
  (table) => [
    uniqueIndex("api_keys_key_hash_unique").on(table.keyHash),
    index("api_keys_org_created_idx").on(table.orgId, table.createdAt, table.id),
    index("api_keys_org_creator_idx").on(table.orgId, table.createdByUserId),
    check("api_keys_role_check", sql`${table.role} IN ('viewer', 'editor', 'admin')`),
  ],
);

/**
 * Idempotency keys with Stripe's semantics (docs/reliability.md §2.5): one row per (org, key);
 * `request_hash` = SHA-256 of method, path and canonical body; `in_progress` rows hold a lease
 * until `locked_until`; `completed` rows replay `status` + `response_json`.
 */
export const idempotencyKeys = sqliteTable(
  "idempotency_keys",
  {
    orgId: text("org_id")
      .notNull()
      .references(() => organisations.id),
    key: text("key").notNull(),
    principalId: text("principal_id").notNull(),
    methodPath: text("method_path").notNull(),
    requestHash: text("request_hash").notNull(),
    state: text("state", { enum: ["in_progress", "completed"] }).notNull(),
    status: integer("status"),
    responseJson: text("response_json", { mode: "json" }).$type<StoredResponseJson>(),
    lockedUntil: text("locked_until").notNull(),
    createdAt: text("created_at").notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.orgId, table.key] }),
    index("idempotency_keys_created_idx").on(table.createdAt),
    check("idempotency_keys_state_check", sql`${table.state} IN ('in_progress', 'completed')`),
  ],
);

/**
 * Saved scenarios: the validated scenario JSON (cost-model.md's shape) plus a `version` that
 * every update bumps; `ETag: "<version>"` / `If-Match` guard against lost updates.
 */
export const scenarios = sqliteTable(
  "scenarios",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id")
      .notNull()
      .references(() => organisations.id),
    name: text("name").notNull(),
    scenarioJson: text("scenario_json", { mode: "json" }).$type<unknown>().notNull(),
    /** The web planner's own inputs (its wizard state), so the web app reopens the scenario; null from API clients. */
    webPlanJson: text("web_plan_json", { mode: "json" }).$type<unknown>(),
    version: integer("version").notNull(),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (table) => [
    uniqueIndex("scenarios_org_id_unique").on(table.orgId, table.id),
    index("scenarios_org_created_idx").on(table.orgId, table.createdAt, table.id),
    check("scenarios_version_check", sql`${table.version} >= 1`),
  ],
);

/**
 * Plans: an evaluated scenario pinned to the price-book version, the kernel version and the
 * SHA-256 of the canonical input it was computed from. Immutable: triggers in the migration
 * abort any UPDATE or DELETE (`plan_immutable`). No foreign key to scenarios on purpose: a plan
 * outlives the scenario it came from.
 */
export const plans = sqliteTable(
  "plans",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id")
      .notNull()
      .references(() => organisations.id),
    scenarioId: text("scenario_id").notNull(),
    scenarioVersion: integer("scenario_version").notNull(),
    name: text("name").notNull(),
    priceBookVersion: text("price_book_version").notNull(),
    kernelVersion: text("kernel_version").notNull(),
    inputHash: text("input_hash").notNull(),
    inputJson: text("input_json", { mode: "json" }).$type<unknown>().notNull(),
    resultJson: text("result_json", { mode: "json" }).$type<unknown>().notNull(),
    createdAt: text("created_at").notNull(),
  },
  (table) => [
    uniqueIndex("plans_org_id_unique").on(table.orgId, table.id),
    index("plans_org_created_idx").on(table.orgId, table.createdAt, table.id),
    index("plans_org_scenario_idx").on(table.orgId, table.scenarioId, table.createdAt, table.id),
  ],
);

/**
 * Signed export links for tools that cannot send headers (Google Sheets `IMPORTDATA`, Excel
 * Power Query): read-only, one plan, one format, expiring, revocable. Only `SHA-256(token)` is
 * stored.
 */
export const exportLinks = sqliteTable(
  "export_links",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id")
      .notNull()
      .references(() => organisations.id),
    planId: text("plan_id").notNull(),
    format: text("format", { enum: EXPORT_FORMATS }).notNull(),
    tokenHash: text("token_hash").notNull(),
    createdByKeyId: text("created_by_key_id").notNull(),
    createdAt: text("created_at").notNull(),
    expiresAt: text("expires_at").notNull(),
    revokedAt: text("revoked_at"),
  },
  (table) => [
    uniqueIndex("export_links_token_hash_unique").on(table.tokenHash),
    index("export_links_org_plan_idx").on(table.orgId, table.planId, table.createdAt, table.id),
    // Housekeeping prunes by expiry (workers/api/src/services/housekeeping.ts).
    index("export_links_expires_idx").on(table.expiresAt),
    check("export_links_format_check", sql`${table.format} IN ('monthly.csv', 'summary.csv', 'xlsx')`),
  ],
);
