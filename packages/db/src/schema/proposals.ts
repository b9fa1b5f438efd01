import { sql } from "drizzle-orm";
import { check, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { organisations } from "./tenancy.ts";

/**
 * Proposals (issue #8, docs/reliability.md §2.6 and §2.9): a sales engineer turns a stored plan into a
 * branded proposal for a customer. A proposal is a sequence of versions; a version is a draft
 * until it is issued, and immutable from then on (triggers in the migration abort any UPDATE or
 * DELETE of an issued version with `proposal_immutable`). Changing an issued proposal makes a
 * new draft version. Each version stores its inputs, its generated content (outputs), the
 * price-book and kernel versions it was computed with, and
 * `content_hash = SHA-256(canonical JSON of {inputs, price_book_version, engine_version, outputs})`.
 * Every row carries `org_id`; IDs are random and prefixed (`prp_…`, `shr_…`).
 */

/**
 * One proposal: which plan it presents and which version is the latest. `revision` goes up on
 * every write (edit, issue, new version): `ETag: "<revision>"` / `If-Match` guard lost updates.
 */
export const proposals = sqliteTable(
  "proposals",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id")
      .notNull()
      .references(() => organisations.id),
    planId: text("plan_id").notNull(),
    latestVersion: integer("latest_version").notNull(),
    revision: integer("revision").notNull(),
    createdByKeyId: text("created_by_key_id").notNull(),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (table) => [
    uniqueIndex("proposals_org_id_unique").on(table.orgId, table.id),
    index("proposals_org_created_idx").on(table.orgId, table.createdAt, table.id),
    index("proposals_org_plan_idx").on(table.orgId, table.planId, table.createdAt, table.id),
    check("proposals_latest_version_check", sql`${table.latestVersion} >= 1`),
    check("proposals_revision_check", sql`${table.revision} >= 1`),
  ],
);

/**
 * One version of a proposal. `inputs_json` (customer, prepared by, vendor branding with the logo,
 * title, notes, paper size, the plan id and its input hash, the issue instant) and
 * `outputs_json` (executive summary, recommended configuration, line items, comparison, chart
 * series, assumptions, versions, disclaimer) are canonical JSON. `status`: `draft` (editable) or
 * `issued` (frozen by trigger).
 */
export const proposalVersions = sqliteTable(
  "proposal_versions",
  {
    orgId: text("org_id")
      .notNull()
      .references(() => organisations.id),
    proposalId: text("proposal_id").notNull(),
    version: integer("version").notNull(),
    status: text("status", { enum: ["draft", "issued"] }).notNull(),
    inputsJson: text("inputs_json", { mode: "json" }).$type<unknown>().notNull(),
    outputsJson: text("outputs_json", { mode: "json" }).$type<unknown>().notNull(),
    priceBookVersion: text("price_book_version").notNull(),
    engineVersion: text("engine_version").notNull(),
    contentHash: text("content_hash").notNull(),
    createdByKeyId: text("created_by_key_id").notNull(),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
    issuedAt: text("issued_at"),
    issuedByKeyId: text("issued_by_key_id"),
  },
  (table) => [
    primaryKey({ columns: [table.proposalId, table.version] }),
    index("proposal_versions_org_idx").on(table.orgId, table.proposalId, table.version),
    check("proposal_versions_status_check", sql`${table.status} IN ('draft', 'issued')`),
    check("proposal_versions_version_check", sql`${table.version} >= 1`),
    check(
      "proposal_versions_issued_check",
      sql`(${table.status} = 'issued') = (${table.issuedAt} IS NOT NULL AND ${table.issuedByKeyId} IS NOT NULL)`,
    ),
  ],
);

/**
 * Read-only share links for customers: one issued version of one proposal, expiring and
 * revocable. Only `SHA-256(token)` is stored (docs/reliability.md §2.6), like export links.
 */
export const proposalShareLinks = sqliteTable(
  "proposal_share_links",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id")
      .notNull()
      .references(() => organisations.id),
    proposalId: text("proposal_id").notNull(),
    version: integer("version").notNull(),
    tokenHash: text("token_hash").notNull(),
    createdByKeyId: text("created_by_key_id").notNull(),
    createdAt: text("created_at").notNull(),
    expiresAt: text("expires_at").notNull(),
    revokedAt: text("revoked_at"),
  },
  (table) => [
    uniqueIndex("proposal_share_links_token_hash_unique").on(table.tokenHash),
    index("proposal_share_links_org_proposal_idx").on(table.orgId, table.proposalId, table.createdAt, table.id),
    // Housekeeping prunes by expiry (workers/api/src/services/housekeeping.ts).
    index("proposal_share_links_expires_idx").on(table.expiresAt),
  ],
);
