import { and, asc, eq, gt, isNull, or, sql } from "drizzle-orm";
import { apiKeys, assertTable, organisations } from "@aifp/db";
import type { PageCursor } from "../pagination.ts";
import type { Principal } from "../principal.ts";
import type { Role } from "../schemas.ts";
import {
  type Db,
  type Statement,
  assertExactlyOne,
  clearAssert,
  isAssertFailure,
  nowIso,
  runBatch,
  afterCursor,
} from "./db.ts";

/** A stored key as the API shows it (never the hash). */
export interface ApiKeyDto {
  id: string;
  name: string;
  start: string;
  role: Role;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
}

/** Why a bearer token was refused (the response says only "unauthenticated"). */
export type KeyLookup = { ok: true; principal: Principal } | { ok: false; reason: "unknown" | "revoked" | "expired" };

type KeyRow = typeof apiKeys.$inferSelect;

/** Map a row to its DTO: field by field, so `key_hash` can never leak. */
export function toApiKeyDto(row: KeyRow): ApiKeyDto {
  return {
    id: row.id,
    name: row.name,
    start: row.start,
    role: row.role,
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
    revokedAt: row.revokedAt,
  };
}

/**
 * How long an isolate may reuse a successful key lookup (docs/reliability.md §2.6 allows ≤ 60 s).
 * A revocation through this isolate takes effect at once; through another isolate within this
 * many milliseconds. Expiry is re-checked on every request.
 */
export const KEY_CACHE_TTL_MS = 10_000;
const KEY_CACHE_MAX_ENTRIES = 1_000;
const keyCache = new Map<string, { principal: Principal; expiresAt: string | null; cachedAtMs: number }>();

/** Forget cached lookups of a key (called when it is revoked). */
export function forgetCachedKey(keyId: string): void {
  for (const [hash, entry] of keyCache) if (entry.principal.id === keyId) keyCache.delete(hash);
}

/**
 * Look a bearer token up by its SHA-256 (hex), with a short per-isolate cache of valid keys
 * (see {@link KEY_CACHE_TTL_MS}); unknown, revoked and expired keys are never cached.
 */
export async function findPrincipalByKeyHash(db: Db, keyHash: string, now: string): Promise<KeyLookup> {
  const cached = keyCache.get(keyHash);
  const nowMs = Date.parse(now);
  if (cached && nowMs - cached.cachedAtMs < KEY_CACHE_TTL_MS) {
    if (cached.expiresAt === null || cached.expiresAt > now) return { ok: true, principal: cached.principal };
    keyCache.delete(keyHash);
    return { ok: false, reason: "expired" };
  }
  const lookup = await lookUpKey(db, keyHash, now);
  if (lookup.ok) {
    if (keyCache.size >= KEY_CACHE_MAX_ENTRIES) keyCache.delete(keyCache.keys().next().value as string);
    keyCache.set(keyHash, { principal: lookup.principal, expiresAt: lookup.expiresAt, cachedAtMs: nowMs });
  } else keyCache.delete(keyHash);
  return lookup.ok ? { ok: true, principal: lookup.principal } : lookup;
}

async function lookUpKey(
  db: Db,
  keyHash: string,
  now: string,
): Promise<
  | { ok: true; principal: Principal; expiresAt: string | null }
  | { ok: false; reason: "unknown" | "revoked" | "expired" }
> {
  const rows = await db
    .select({
      id: apiKeys.id,
      orgId: apiKeys.orgId,
      role: apiKeys.role,
      start: apiKeys.start,
      expiresAt: apiKeys.expiresAt,
      revokedAt: apiKeys.revokedAt,
      createdByUserId: apiKeys.createdByUserId,
    })
    .from(apiKeys)
    .where(eq(apiKeys.keyHash, keyHash))
    .limit(1);
  const row = rows[0];
  if (!row) return { ok: false, reason: "unknown" };
  if (row.revokedAt !== null) return { ok: false, reason: "revoked" };
  if (row.expiresAt !== null && row.expiresAt <= now) return { ok: false, reason: "expired" };
  return {
    ok: true,
    principal: {
      kind: "key",
      id: row.id,
      orgId: row.orgId,
      role: row.role,
      createdByUserId: row.createdByUserId,
    },
    expiresAt: row.expiresAt,
  };
}

/** Values of a new key row (the id and hash are made by the caller, so a batch can include it). */
export interface NewKey {
  id: string;
  orgId: string;
  name: string;
  keyHash: string;
  start: string;
  role: Role;
  createdAt: string;
  expiresAt: string | null;
  /** The person whose authority made it (see the `api_keys.created_by_user_id` column); null: none. */
  createdByUserId: string | null;
}

/** Most active keys one organisation may hold (each has its own rate-limit budget). */
export const MAX_ACTIVE_KEYS_PER_ORG = 25;

/** The person behind a caller, for a key it creates: a session's user, or a key's own creator. */
export function creatorOf(principal: Principal): string | null {
  return principal.kind === "session" ? principal.id : (principal.createdByUserId ?? null);
}

/**
 * `_assert` gets 1 while the organisation holds fewer than {@link MAX_ACTIVE_KEYS_PER_ORG}
 * active keys: put before the INSERT of a new key, it refuses the one too many.
 */
export function assertKeyRoom(db: Db, orgId: string, now: string): Statement {
  return db.insert(assertTable).select(
    db
      .select({ ok: sql<number>`count(*) < ${MAX_ACTIVE_KEYS_PER_ORG}`.as("ok") })
      .from(apiKeys)
      .where(
        and(
          eq(apiKeys.orgId, orgId),
          isNull(apiKeys.revokedAt),
          or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, now)),
        ),
      ),
  );
}

/** The INSERT of a new key, for a batch. */
export function insertKeyStatement(db: Db, key: NewKey): Statement {
  return db.insert(apiKeys).values({
    id: key.id,
    orgId: key.orgId,
    name: key.name,
    keyHash: key.keyHash,
    start: key.start,
    role: key.role,
    createdAt: key.createdAt,
    expiresAt: key.expiresAt,
    revokedAt: null,
    createdByUserId: key.createdByUserId,
  });
}

/** The DTO of a key about to be inserted. */
export function newKeyDto(key: NewKey): ApiKeyDto {
  return {
    id: key.id,
    name: key.name,
    start: key.start,
    role: key.role,
    createdAt: key.createdAt,
    expiresAt: key.expiresAt,
    revokedAt: null,
  };
}

/**
 * Create a key in an organisation (plus any extra statements, e.g. the idempotency completion);
 * null when the organisation already holds {@link MAX_ACTIVE_KEYS_PER_ORG} active keys.
 */
export async function createKey(db: Db, key: NewKey, extra: Statement[] = []): Promise<ApiKeyDto | null> {
  try {
    await runBatch(db, [
      assertKeyRoom(db, key.orgId, key.createdAt),
      clearAssert(db),
      insertKeyStatement(db, key),
      ...extra,
    ]);
  } catch (error) {
    if (isAssertFailure(error)) return null;
    throw error;
  }
  return newKeyDto(key);
}

/** One page of an organisation's keys, ordered by (created_at, id). */
export async function listKeys(db: Db, orgId: string, limit: number, cursor: PageCursor | null): Promise<ApiKeyDto[]> {
  const rows = await db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.orgId, orgId), afterCursor(apiKeys.createdAt, apiKeys.id, cursor)))
    .orderBy(asc(apiKeys.createdAt), asc(apiKeys.id))
    .limit(limit + 1);
  return rows.map(toApiKeyDto);
}

/** One key of the organisation, or null (another organisation's key is null too). */
export async function getKey(db: Db, orgId: string, keyId: string): Promise<ApiKeyDto | null> {
  const rows = await db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.orgId, orgId), eq(apiKeys.id, keyId)))
    .limit(1);
  return rows[0] ? toApiKeyDto(rows[0]) : null;
}

/**
 * Revoke a key of the organisation (idempotent: revoking twice keeps the first time, and only
 * the first writes `audit`, in the same batch as the revocation). Returns null when the
 * organisation has no such key.
 */
export async function revokeKey(db: Db, orgId: string, keyId: string, audit: Statement): Promise<ApiKeyDto | null> {
  forgetCachedKey(keyId);
  const active = and(eq(apiKeys.orgId, orgId), eq(apiKeys.id, keyId), isNull(apiKeys.revokedAt));
  try {
    await runBatch(db, [
      assertExactlyOne(db, apiKeys, active),
      clearAssert(db),
      db.update(apiKeys).set({ revokedAt: nowIso() }).where(active),
      audit,
    ]);
  } catch (error) {
    if (!isAssertFailure(error)) throw error;
  }
  // Again after the write: a request racing the UPDATE may have re-cached the key.
  forgetCachedKey(keyId);
  return getKey(db, orgId, keyId);
}

/** Does the organisation exist? (For the org read route.) */
export async function getOrganisation(
  db: Db,
  orgId: string,
): Promise<{ id: string; name: string; createdAt: string } | null> {
  const rows = await db
    .select({ id: organisations.id, name: organisations.name, createdAt: organisations.createdAt })
    .from(organisations)
    .where(eq(organisations.id, orgId))
    .limit(1);
  return rows[0] ?? null;
}

/**
 * Create an organisation and its first admin key in one batch; with `admin` (a signed-in
 * caller), that person becomes its first admin member too, within their organisation cap
 * (`guard`, a guarded-batch assertion). Null when the guard refused.
 */
export async function createOrganisationWithKey(
  db: Db,
  org: { id: string; name: string; createdAt: string },
  key: NewKey,
  extra: Statement[] = [],
  admin: { guard: Statement; membership: Statement } | null = null,
): Promise<ApiKeyDto | null> {
  try {
    await runBatch(db, [
      ...(admin ? [admin.guard, clearAssert(db)] : []),
      db.insert(organisations).values({ id: org.id, name: org.name, createdAt: org.createdAt }),
      ...(admin ? [admin.membership] : []),
      insertKeyStatement(db, key),
      ...extra,
    ]);
  } catch (error) {
    if (admin && isAssertFailure(error)) return null;
    throw error;
  }
  return newKeyDto(key);
}
