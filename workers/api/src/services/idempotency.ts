import { and, eq } from "drizzle-orm";
import { idempotencyKeys } from "@aifp/db";
import { type Db, type Statement } from "./db.ts";

/** How long a first request holds its key before a retry may take over (docs/reliability.md §2.5). */
export const IDEMPOTENCY_LEASE_MS = 60_000;

/** A stored response to replay. */
export interface StoredResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

export type BeginResult =
  { kind: "started" } | { kind: "replay"; response: StoredResponse } | { kind: "mismatch" } | { kind: "in_progress" };

/**
 * Claim an idempotency key for this request (Stripe's semantics, draft-ietf-httpapi-
 * idempotency-key-header): INSERT … ON CONFLICT DO NOTHING; when the key exists, a different
 * request hash is a mismatch (422), a live lease is in progress (409), a completed row replays,
 * and an expired lease is taken over by a guarded UPDATE (so two retries cannot both take it).
 */
export async function beginIdempotency(
  db: Db,
  claim: { orgId: string; key: string; principalId: string; methodPath: string; requestHash: string },
  nowMs: number,
): Promise<BeginResult> {
  const now = new Date(nowMs).toISOString();
  const lockedUntil = new Date(nowMs + IDEMPOTENCY_LEASE_MS).toISOString();
  const inserted = await db
    .insert(idempotencyKeys)
    .values({
      orgId: claim.orgId,
      key: claim.key,
      principalId: claim.principalId,
      methodPath: claim.methodPath,
      requestHash: claim.requestHash,
      state: "in_progress",
      status: null,
      responseJson: null,
      lockedUntil,
      createdAt: now,
    })
    .onConflictDoNothing()
    .run();
  if (inserted.meta.changes === 1) return { kind: "started" };

  const rows = await db
    .select()
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.orgId, claim.orgId), eq(idempotencyKeys.key, claim.key)))
    .limit(1);
  const row = rows[0];
  // Deleted between our INSERT and SELECT (the first request failed): the caller may retry.
  if (!row) return { kind: "in_progress" };
  if (row.requestHash !== claim.requestHash) return { kind: "mismatch" };
  if (row.state === "completed" && row.status !== null && row.responseJson !== null) {
    const stored = row.responseJson;
    return { kind: "replay", response: { status: row.status, headers: stored.headers, body: stored.body } };
  }
  if (row.lockedUntil > now) return { kind: "in_progress" };
  const takeover = await db
    .update(idempotencyKeys)
    .set({ lockedUntil })
    .where(
      and(
        eq(idempotencyKeys.orgId, claim.orgId),
        eq(idempotencyKeys.key, claim.key),
        eq(idempotencyKeys.state, "in_progress"),
        eq(idempotencyKeys.lockedUntil, row.lockedUntil),
      ),
    )
    .run();
  return takeover.meta.changes === 1 ? { kind: "started" } : { kind: "in_progress" };
}

/**
 * The statement that completes a claimed key with its response: it goes into the same batch as
 * the resource writes, so the resource and the stored response commit together or not at all.
 */
export function completeIdempotencyStatement(db: Db, orgId: string, key: string, response: StoredResponse): Statement {
  return db
    .update(idempotencyKeys)
    .set({
      state: "completed",
      status: response.status,
      responseJson: { headers: response.headers, body: response.body },
    })
    .where(
      and(eq(idempotencyKeys.orgId, orgId), eq(idempotencyKeys.key, key), eq(idempotencyKeys.state, "in_progress")),
    );
}

/** Release a claimed key after the request failed, so a retry runs it afresh. */
export async function abandonIdempotency(db: Db, orgId: string, key: string): Promise<void> {
  await db
    .delete(idempotencyKeys)
    .where(
      and(eq(idempotencyKeys.orgId, orgId), eq(idempotencyKeys.key, key), eq(idempotencyKeys.state, "in_progress")),
    );
}
