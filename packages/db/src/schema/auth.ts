import { sql } from "drizzle-orm";
import { check, index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { ROLES, organisations } from "./tenancy.ts";

/**
 * Accounts (docs/accounts.md, docs/decisions/010-auth-library.md).
 *
 * `users`, `sessions`, `accounts` and `verifications` are better-auth's core tables, read and
 * written only by better-auth through its drizzle adapter. Their instants are integers
 * (milliseconds since the epoch, drizzle `timestamp_ms`) because better-auth hands the adapter
 * `Date` objects; the project's own tables keep ISO 8601 text. Passwords live in
 * `accounts.password` as better-auth's scrypt hash (`salt:key`, hex; N = 16384, r = 16, p = 1).
 *
 * `memberships`, `invitations` and `audit_events` are ours: who belongs to which organisation
 * with which role, invitation links (only SHA-256 of the token is stored), and the audit log of
 * sensitive actions. IDs are random and prefixed (`usr_`, `ses_`, `acc_`, `ver_`, `mbr_`,
 * `inv_`, `aud_`).
 */

/** A person who can sign in to the web app. `email` is stored lower-cased and unique. */
export const users = sqliteTable(
  "users",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    email: text("email").notNull(),
    emailVerified: integer("email_verified", { mode: "boolean" }).notNull().default(false),
    image: text("image"),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (table) => [uniqueIndex("users_email_unique").on(table.email)],
);

/**
 * Web sessions. The browser holds the token in an HttpOnly, Secure, SameSite=Strict cookie
 * (signed with the server secret). `active_org_id` is the organisation the session works in;
 * the role is read from `memberships` on every request, so a role change or removal applies at once.
 */
export const sessions = sqliteTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    token: text("token").notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
    ipAddress: text("ip_address"),
    userAgent: text("user_agent"),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    activeOrgId: text("active_org_id"),
  },
  (table) => [
    uniqueIndex("sessions_token_unique").on(table.token),
    index("sessions_user_idx").on(table.userId),
    // Housekeeping prunes expired sessions (workers/api/src/services/housekeeping.ts).
    index("sessions_expires_idx").on(table.expiresAt),
  ],
);

/** Sign-in methods of a user; for email and password, `password` holds the scrypt hash. */
export const accounts = sqliteTable(
  "accounts",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id").notNull(),
    providerId: text("provider_id").notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    accessToken: text("access_token"),
    refreshToken: text("refresh_token"),
    idToken: text("id_token"),
    accessTokenExpiresAt: integer("access_token_expires_at", { mode: "timestamp_ms" }),
    refreshTokenExpiresAt: integer("refresh_token_expires_at", { mode: "timestamp_ms" }),
    scope: text("scope"),
    password: text("password"),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (table) => [index("accounts_user_idx").on(table.userId)],
);

/** better-auth's short-lived verification values (unused flows stay empty). */
export const verifications = sqliteTable(
  "verifications",
  {
    id: text("id").primaryKey(),
    identifier: text("identifier").notNull(),
    value: text("value").notNull(),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (table) => [
    index("verifications_identifier_idx").on(table.identifier),
    index("verifications_expires_idx").on(table.expiresAt),
  ],
);

/**
 * Who belongs to which organisation, and as what: `viewer` reads; `editor` also changes
 * scenarios, plans and proposals; `admin` also manages members, invitations, API keys, price
 * books and quotes, and reads the audit log.
 */
export const memberships = sqliteTable(
  "memberships",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id")
      .notNull()
      .references(() => organisations.id),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: text("role", { enum: ROLES }).notNull(),
    createdAt: text("created_at").notNull(),
  },
  (table) => [
    uniqueIndex("memberships_org_user_unique").on(table.orgId, table.userId),
    index("memberships_org_created_idx").on(table.orgId, table.createdAt, table.id),
    index("memberships_user_idx").on(table.userId, table.createdAt),
    check("memberships_role_check", sql`${table.role} IN ('viewer', 'editor', 'admin')`),
  ],
);

/**
 * Invitations by link: an admin creates one for a role and copies the link (no email is sent).
 * The link carries a 256-bit random token; only its SHA-256 is stored. Single use, expiring,
 * revocable.
 */
export const invitations = sqliteTable(
  "invitations",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id")
      .notNull()
      .references(() => organisations.id),
    role: text("role", { enum: ROLES }).notNull(),
    tokenHash: text("token_hash").notNull(),
    note: text("note"),
    createdById: text("created_by_id").notNull(),
    createdAt: text("created_at").notNull(),
    expiresAt: text("expires_at").notNull(),
    acceptedAt: text("accepted_at"),
    acceptedByUserId: text("accepted_by_user_id"),
    revokedAt: text("revoked_at"),
  },
  (table) => [
    uniqueIndex("invitations_token_hash_unique").on(table.tokenHash),
    index("invitations_org_created_idx").on(table.orgId, table.createdAt, table.id),
    index("invitations_expires_idx").on(table.expiresAt),
    check("invitations_role_check", sql`${table.role} IN ('viewer', 'editor', 'admin')`),
  ],
);

/**
 * The audit log of sensitive actions, per organisation, append-only (a trigger in the migration
 * refuses UPDATE and DELETE). `actor_kind`: `session` (a signed-in person, `actor_id` = user id),
 * `key` (`actor_id` = API key id) or `system`. `detail_json` never holds a secret.
 */
export const auditEvents = sqliteTable(
  "audit_events",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id")
      .notNull()
      .references(() => organisations.id),
    createdAt: text("created_at").notNull(),
    actorKind: text("actor_kind", { enum: ["session", "key", "system"] }).notNull(),
    actorId: text("actor_id").notNull(),
    action: text("action").notNull(),
    targetKind: text("target_kind").notNull(),
    targetId: text("target_id").notNull(),
    detailJson: text("detail_json", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
  },
  (table) => [
    index("audit_events_org_created_idx").on(table.orgId, table.createdAt, table.id),
    check("audit_events_actor_kind_check", sql`${table.actorKind} IN ('session', 'key', 'system')`),
  ],
);
