import { type SQL, and, eq, lt, or, sql } from "drizzle-orm";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";
import { exportLinks, idempotencyKeys, invitations, proposalShareLinks, sessions, verifications } from "@aifp/db";
import type { Db } from "./db.ts";

/**
 * Scheduled housekeeping (the cron in wrangler.toml): tables that only ever gain rows are
 * pruned in small, bounded batches so they cannot grow forever. Plans, scenarios, proposals and
 * the audit log are never touched; only rows no request can use any more are deleted.
 * Retention is documented in docs/api.md ("Retention").
 */

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * How long an idempotency key is remembered: at least 24 h (docs/reliability.md §2.5, "pruned by cron
 * after ≥ 24 h"; Stripe keeps keys 24 h). A retry within 24 h of the first request replays it.
 */
export const IDEMPOTENCY_RETENTION_MS = 24 * HOUR_MS;

/**
 * How long an expired (or revoked and since expired) export or share link stays after its
 * expiry, so the UI can still list it as "expired" rather than have it vanish: 30 days.
 */
export const EXPIRED_LINK_RETENTION_MS = 30 * DAY_MS;

/** How long an invitation stays after its expiry (pending, accepted or revoked alike): 30 days. */
export const EXPIRED_INVITATION_RETENTION_MS = 30 * DAY_MS;

/**
 * Rows per DELETE statement. D1 runs one statement at a time per database, so each is kept
 * small (500 rows is a few milliseconds) and requests are never queued behind a long delete.
 */
export const HOUSEKEEPING_BATCH_ROWS = 500;

/**
 * Batches per table per run: at most 10 × 500 = 5,000 rows per table per run. A table that
 * still has prunable rows after that is reported in `backlog` and finished by the next runs.
 */
export const HOUSEKEEPING_MAX_BATCHES_PER_TABLE = 10;

/** Rows deleted per table in one run. */
export interface HousekeepingCounts {
  idempotencyKeys: number;
  exportLinks: number;
  proposalShareLinks: number;
  invitations: number;
  sessions: number;
  verifications: number;
}

export type HousekeepingTable = keyof HousekeepingCounts;

/** What one run did. */
export interface HousekeepingResult {
  /** Rows deleted per table. */
  deleted: HousekeepingCounts;
  /** Tables that hit the batch cap and may still hold prunable rows (the next run goes on). */
  backlog: HousekeepingTable[];
  /** Tables whose delete failed, with the error message (the other tables still ran). */
  failed: Partial<Record<HousekeepingTable, string>>;
}

export interface HousekeepingOptions {
  /** Rows per DELETE statement (default {@link HOUSEKEEPING_BATCH_ROWS}). */
  batchRows?: number;
  /** DELETE statements per table per run (default {@link HOUSEKEEPING_MAX_BATCHES_PER_TABLE}). */
  maxBatchesPerTable?: number;
}

interface Rule {
  table: SQLiteTable;
  /** Which rows may go at `nowMs` (milliseconds since the epoch). */
  prunable: (nowMs: number) => SQL | undefined;
}

const isoAt = (ms: number): string => new Date(ms).toISOString();

/** The pruning rules, one per table. Our tables store ISO 8601 text; better-auth's store epoch ms. */
const RULES: Record<HousekeepingTable, Rule> = {
  idempotencyKeys: {
    table: idempotencyKeys,
    // Completed keys after 24 h; an in-progress key only once its lease has lapsed too (a
    // retry that took the lease over is still running and must keep its row).
    prunable: (nowMs) =>
      and(
        lt(idempotencyKeys.createdAt, isoAt(nowMs - IDEMPOTENCY_RETENTION_MS)),
        or(eq(idempotencyKeys.state, "completed"), lt(idempotencyKeys.lockedUntil, isoAt(nowMs))),
      ),
  },
  exportLinks: {
    table: exportLinks,
    prunable: (nowMs) => lt(exportLinks.expiresAt, isoAt(nowMs - EXPIRED_LINK_RETENTION_MS)),
  },
  proposalShareLinks: {
    table: proposalShareLinks,
    prunable: (nowMs) => lt(proposalShareLinks.expiresAt, isoAt(nowMs - EXPIRED_LINK_RETENTION_MS)),
  },
  invitations: {
    table: invitations,
    prunable: (nowMs) => lt(invitations.expiresAt, isoAt(nowMs - EXPIRED_INVITATION_RETENTION_MS)),
  },
  sessions: {
    table: sessions,
    // better-auth refuses an expired session anyway; nothing can revive it.
    prunable: (nowMs) => lt(sessions.expiresAt, new Date(nowMs)),
  },
  verifications: {
    table: verifications,
    prunable: (nowMs) => lt(verifications.expiresAt, new Date(nowMs)),
  },
};

/** The tables housekeeping prunes, in the order it visits them. */
export const HOUSEKEEPING_TABLES = Object.keys(RULES) as HousekeepingTable[];

function positiveInteger(value: number, field: string): number {
  if (!Number.isInteger(value) || value < 1)
    throw new RangeError(`${field}: expected a positive integer, got ${value}`);
  return value;
}

/**
 * Delete what no request can use any more, in bounded batches: for each table, up to
 * `maxBatchesPerTable` statements of the form
 * `DELETE FROM t WHERE rowid IN (SELECT rowid FROM t WHERE <prunable> LIMIT batchRows)`
 * (D1 has no `DELETE … LIMIT`), stopping early when a batch deletes fewer than `batchRows`.
 *
 * Rules at `nowMs` (milliseconds since the epoch): idempotency keys created more than 24 h ago
 * (completed, or in progress with a lapsed lease); export and proposal share links that expired
 * more than 30 days ago; invitations that expired more than 30 days ago; expired better-auth
 * sessions and verification values. Idempotent: a second run at the same instant deletes nothing.
 * A failing table is reported in `failed` and does not stop the others.
 */
export async function runHousekeeping(
  db: Db,
  nowMs: number,
  options: HousekeepingOptions = {},
): Promise<HousekeepingResult> {
  if (!Number.isFinite(nowMs)) throw new RangeError(`nowMs: expected milliseconds since the epoch, got ${nowMs}`);
  const batchRows = positiveInteger(options.batchRows ?? HOUSEKEEPING_BATCH_ROWS, "batchRows");
  const maxBatches = positiveInteger(
    options.maxBatchesPerTable ?? HOUSEKEEPING_MAX_BATCHES_PER_TABLE,
    "maxBatchesPerTable",
  );
  const result: HousekeepingResult = {
    deleted: {
      idempotencyKeys: 0,
      exportLinks: 0,
      proposalShareLinks: 0,
      invitations: 0,
      sessions: 0,
      verifications: 0,
    },
    backlog: [],
    failed: {},
  };
  for (const name of HOUSEKEEPING_TABLES) {
    const { table, prunable } = RULES[name];
    const where = prunable(nowMs);
    try {
      let batches = 0;
      let lastChanges = 0;
      do {
        const outcome = await db.run(
          sql`DELETE FROM ${table} WHERE rowid IN (SELECT rowid FROM ${table} WHERE ${where} LIMIT ${batchRows})`,
        );
        lastChanges = outcome.meta.changes;
        result.deleted[name] += lastChanges;
        batches += 1;
      } while (lastChanges === batchRows && batches < maxBatches);
      if (lastChanges === batchRows) result.backlog.push(name);
    } catch (error) {
      result.failed[name] = error instanceof Error ? error.message : String(error);
    }
  }
  return result;
}
