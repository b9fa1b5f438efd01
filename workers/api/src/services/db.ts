import { type SQL, and, eq, gt, or, sql } from "drizzle-orm";
import { type DrizzleD1Database, drizzle } from "drizzle-orm/d1";
import type { BatchItem } from "drizzle-orm/batch";
import type { SQLiteColumn, SQLiteTable } from "drizzle-orm/sqlite-core";
import type { PageCursor } from "../pagination.ts";
import { assertTable } from "@aifp/db";
import * as schema from "@aifp/db/schema";

/**
 * The drizzle handle every service takes first (services are the only code that touches D1).
 * It carries the schema, so `*_json` columns come back parsed and typed and enum columns typed
 * (ADR 036).
 */
export type Db = DrizzleD1Database<typeof schema>;

/** One statement of an atomic `db.batch()`. */
export type Statement = BatchItem<"sqlite">;

/** Wrap the D1 binding in drizzle (cheap: no connection, no I/O). */
export function openDb(d1: D1Database): Db {
  return drizzle(d1, { schema });
}

/**
 * A `*_json` column's value written as this exact text. Drizzle's json mode would stringify the
 * value again; texts that callers already serialised (a plan's canonical input, whose SHA-256 is
 * stored beside it, its result, a proposal version's canonical inputs and outputs, scenario
 * bodies, the price book's `data_json`) are written byte for byte as given (ADR 036).
 */
export function jsonText(text: string): SQL {
  return sql`${text}`;
}

/**
 * The guarded-batch precondition (docs/reliability.md §2.3): inserts `COUNT(*)` of rows matching
 * `where` in `table` into `_assert`, whose CHECK (ok = 1) fails on 0 (or on 2+) and rolls the
 * whole batch back.
 */
export function assertExactlyOne(db: Db, table: SQLiteTable, where: SQL | undefined): Statement {
  // An INSERT … SELECT builder (not `db.run(sql)`): drizzle's D1 batch cannot bind raw statements.
  return db.insert(assertTable).select(
    db
      .select({ ok: sql<number>`count(*)`.as("ok") })
      .from(table)
      .where(where),
  );
}

/** The last statement of every guarded batch: `_assert` is always empty afterwards. */
export function clearAssert(db: Db): Statement {
  return db.delete(assertTable);
}

/** Run statements as one D1 transaction (all or nothing). */
export async function runBatch(db: Db, statements: Statement[]): Promise<void> {
  const [first, ...rest] = statements;
  if (first === undefined) return;
  await db.batch([first, ...rest]);
}

function messagesOf(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current instanceof Error && depth < 5; depth++) {
    parts.push(current.message);
    current = current.cause;
  }
  return parts.join(" | ");
}

/** True when a batch failed because its `_assert` precondition did not hold. */
export function isAssertFailure(error: unknown): boolean {
  return /CHECK constraint failed: assert_ok/.test(messagesOf(error));
}

/** True when a statement hit a UNIQUE or PRIMARY KEY constraint. */
export function isUniqueViolation(error: unknown): boolean {
  return /UNIQUE constraint failed|PRIMARY KEY/.test(messagesOf(error));
}

/** True when a trigger refused to change an immutable plan. */
export function isPlanImmutable(error: unknown): boolean {
  return /plan_immutable/.test(messagesOf(error));
}

/** Now as an ISO 8601 UTC instant with milliseconds (sorts as text). */
export function nowIso(): string {
  return new Date().toISOString();
}

/**
 * The keyset predicate of a `(created_at, id)` ascending page (docs/reliability.md §2.12): rows
 * strictly after the cursor's row. Undefined on the first page, so it drops out of `and(…)`.
 */
export function afterCursor(createdAt: SQLiteColumn, id: SQLiteColumn, cursor: PageCursor | null): SQL | undefined {
  if (!cursor) return undefined;
  return or(gt(createdAt, cursor.after), and(eq(createdAt, cursor.after), gt(id, cursor.id)));
}
