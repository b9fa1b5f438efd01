import { type SQL, and, asc, eq, gte, lt, sql } from "drizzle-orm";
import { assertTable, orgQuotes } from "@aifp/db";
import type { OrgQuote } from "@aifp/catalog";
import type { PageCursor } from "../pagination.ts";
import {
  type Db,
  type Statement,
  afterCursor,
  assertExactlyOne,
  clearAssert,
  isAssertFailure,
  runBatch,
} from "./db.ts";

/**
 * An organisation's custom quotes (issue #4): its private prices for server SKUs and cloud
 * offers of the public book, stored in `org_quotes` with a version for If-Match. The routes
 * validate (the target exists in the public book, the date is real and not past); this module
 * only reads and writes rows, always scoped by organisation.
 */

/** Most quotes one organisation may hold (422 `too_many_quotes` beyond). */
export const MAX_QUOTES_PER_ORG = 500;

/** A quote row as stored (`org_quotes`). */
export type QuoteRow = typeof orgQuotes.$inferSelect;

/** The writable fields of a quote. */
export interface QuoteFields {
  unitPriceUsd: number | null;
  discount: number;
  /** Last valid day, YYYY-MM-DD (inclusive). */
  validUntil: string;
  note: string | null;
}

/** A new quote: id, creator and timestamp made by the caller, so the response can be built first. */
export interface NewQuote extends QuoteFields {
  id: string;
  orgId: string;
  targetKind: "sku" | "offer";
  targetId: string;
  createdBy: string;
  createdAt: string;
}

/** The row `createQuote` stores for `quote` (version 1). */
export function newQuoteRow(quote: NewQuote): QuoteRow {
  return {
    id: quote.id,
    orgId: quote.orgId,
    priceBookId: null,
    targetKind: quote.targetKind,
    targetId: quote.targetId,
    unitPriceUsd: quote.unitPriceUsd,
    discount: quote.discount,
    validUntil: quote.validUntil,
    note: quote.note,
    version: 1,
    createdBy: quote.createdBy,
    createdAt: quote.createdAt,
    updatedAt: quote.createdAt,
  };
}

/**
 * Insert a quote at version 1 with `extra` statements (audit, idempotency completion), as one
 * batch guarded by the per-organisation cap: `_assert` holds only while the organisation has
 * fewer than {@link MAX_QUOTES_PER_ORG} quotes, so concurrent creations cannot pass the cap.
 * @returns `too_many` when the organisation already holds the maximum (nothing written).
 */
export async function createQuote(
  db: Db,
  quote: NewQuote,
  extra: Statement[],
): Promise<{ kind: "created" } | { kind: "too_many" }> {
  const underCap = db.insert(assertTable).select(
    db
      .select({ ok: sql<number>`(count(*) < ${MAX_QUOTES_PER_ORG})`.as("ok") })
      .from(orgQuotes)
      .where(eq(orgQuotes.orgId, quote.orgId)),
  );
  try {
    await runBatch(db, [underCap, db.insert(orgQuotes).values(newQuoteRow(quote)), ...extra, clearAssert(db)]);
    return { kind: "created" };
  } catch (error) {
    if (isAssertFailure(error)) return { kind: "too_many" };
    throw error;
  }
}

/** One quote of the organisation, or null (another organisation's is null too). */
export async function getQuote(db: Db, orgId: string, id: string): Promise<QuoteRow | null> {
  const rows = await db
    .select()
    .from(orgQuotes)
    .where(and(eq(orgQuotes.orgId, orgId), eq(orgQuotes.id, id)))
    .limit(1);
  return rows[0] ?? null;
}

/** Filters of the quote list. `status` compares `validUntil` with `today` (YYYY-MM-DD, UTC). */
export interface QuoteFilter {
  targetKind?: "sku" | "offer";
  targetId?: string;
  status: "valid" | "expired" | "all";
  today: string;
}

/** One page (limit + 1 rows, for `toPage`) of the organisation's quotes by (created_at, id). */
export async function listQuotes(
  db: Db,
  orgId: string,
  filter: QuoteFilter,
  limit: number,
  cursor: PageCursor | null,
): Promise<QuoteRow[]> {
  const conditions: (SQL | undefined)[] = [
    eq(orgQuotes.orgId, orgId),
    filter.targetKind === undefined ? undefined : eq(orgQuotes.targetKind, filter.targetKind),
    filter.targetId === undefined ? undefined : eq(orgQuotes.targetId, filter.targetId),
    filter.status === "valid"
      ? gte(orgQuotes.validUntil, filter.today)
      : filter.status === "expired"
        ? lt(orgQuotes.validUntil, filter.today)
        : undefined,
    afterCursor(orgQuotes.createdAt, orgQuotes.id, cursor),
  ];
  return db
    .select()
    .from(orgQuotes)
    .where(and(...conditions))
    .orderBy(asc(orgQuotes.createdAt), asc(orgQuotes.id))
    .limit(limit + 1);
}

/**
 * Every quote of the organisation as the resolver takes them (`OrgQuote`), ordered by id, for
 * applying to a plan or an evaluation; the resolver itself decides which are valid on the plan's
 * start date. At most {@link MAX_QUOTES_PER_ORG} rows.
 */
export async function quotesForResolution(db: Db, orgId: string): Promise<OrgQuote[]> {
  const rows = await db
    .select()
    .from(orgQuotes)
    .where(eq(orgQuotes.orgId, orgId))
    .orderBy(asc(orgQuotes.id))
    .limit(MAX_QUOTES_PER_ORG);
  return rows.map(toOrgQuote);
}

/** A stored quote as the resolver's `OrgQuote` record (what a plan pins). */
export function toOrgQuote(row: QuoteRow): OrgQuote {
  return {
    id: row.id,
    orgId: row.orgId,
    target: { kind: row.targetKind, id: row.targetId },
    unitPriceUsd: row.unitPriceUsd,
    discount: row.discount,
    validUntil: row.validUntil,
    note: row.note,
  };
}

export type QuoteWriteOutcome = { kind: "done" } | { kind: "not_found" } | { kind: "conflict"; currentVersion: number };

/**
 * Replace the writable fields of a quote at `expectedVersion` and bump its version, as one
 * guarded batch with `extra` (audit, idempotency completion): of N concurrent updates at one
 * version exactly one commits and the others change nothing.
 */
export async function updateQuote(
  db: Db,
  orgId: string,
  id: string,
  expectedVersion: number,
  next: QuoteFields & { updatedAt: string },
  extra: Statement[],
): Promise<QuoteWriteOutcome> {
  const where = and(eq(orgQuotes.orgId, orgId), eq(orgQuotes.id, id), eq(orgQuotes.version, expectedVersion));
  try {
    await runBatch(db, [
      assertExactlyOne(db, orgQuotes, where),
      db
        .update(orgQuotes)
        .set({
          unitPriceUsd: next.unitPriceUsd,
          discount: next.discount,
          validUntil: next.validUntil,
          note: next.note,
          updatedAt: next.updatedAt,
          version: expectedVersion + 1,
        })
        .where(where),
      ...extra,
      clearAssert(db),
    ]);
    return { kind: "done" };
  } catch (error) {
    if (!isAssertFailure(error)) throw error;
    return outcomeAfterMiss(db, orgId, id);
  }
}

/**
 * Delete a quote (with `expectedVersion`, only that version) with `extra` statements (audit) in
 * the same guarded batch. Plans that applied it keep their pinned copy.
 */
export async function deleteQuote(
  db: Db,
  orgId: string,
  id: string,
  expectedVersion: number | null,
  extra: Statement[],
): Promise<QuoteWriteOutcome> {
  const where = and(
    eq(orgQuotes.orgId, orgId),
    eq(orgQuotes.id, id),
    expectedVersion === null ? undefined : eq(orgQuotes.version, expectedVersion),
  );
  try {
    await runBatch(db, [
      assertExactlyOne(db, orgQuotes, where),
      db.delete(orgQuotes).where(where),
      ...extra,
      clearAssert(db),
    ]);
    return { kind: "done" };
  } catch (error) {
    if (!isAssertFailure(error)) throw error;
    return outcomeAfterMiss(db, orgId, id);
  }
}

async function outcomeAfterMiss(db: Db, orgId: string, id: string): Promise<QuoteWriteOutcome> {
  const current = await getQuote(db, orgId, id);
  return current === null ? { kind: "not_found" } : { kind: "conflict", currentVersion: current.version };
}
