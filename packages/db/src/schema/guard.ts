import { sql } from "drizzle-orm";
import { check, integer, sqliteTable } from "drizzle-orm/sqlite-core";

/**
 * The guarded-batch assertion table (docs/reliability.md §2.3). D1 has no interactive transactions,
 * so a batch's first statement inserts `COUNT(*)` of its precondition here: 0 fails the CHECK
 * and rolls the whole batch back. Always empty after a batch.
 */
export const assertTable = sqliteTable("_assert", { ok: integer("ok").notNull() }, (table) => [
  check("assert_ok", sql`${table.ok} = 1`),
]);
