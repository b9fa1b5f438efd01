import { type InferSelectModel, type SQL, and, asc, eq, isNull } from "drizzle-orm";
import type { SQLiteColumn, SQLiteInsertValue, SQLiteTable, SQLiteUpdateSetSource } from "drizzle-orm/sqlite-core";
import type { PageCursor } from "../pagination.ts";
import { type Db, type Statement, afterCursor, clearAssert, isAssertFailure, runBatch } from "./db.ts";

/**
 * One hashed, expiring, revocable link service over any link table (docs/reliability.md §2.6):
 * export links to a plan (`services/export-links.ts`) and share links to an issued proposal
 * version (`services/proposals-share.ts`) are the same thing over two tables. The URL carries a
 * 256-bit random token; only its SHA-256 (`token_hash`, unique) is stored. A link points at one
 * resource of one organisation (its "parent": a plan, a proposal), expires at `expires_at`, and
 * can be revoked; validity (not revoked, not expired) is checked on every lookup. The token
 * itself is made and hashed by the routes; this module only stores and finds hashes.
 */

/** The columns every hashed-link table has (ISO 8601 UTC text instants). */
export type HashedLinkTable = SQLiteTable & {
  id: SQLiteColumn;
  orgId: SQLiteColumn;
  tokenHash: SQLiteColumn;
  createdByKeyId: SQLiteColumn;
  createdAt: SQLiteColumn;
  expiresAt: SQLiteColumn;
  revokedAt: SQLiteColumn;
};

/** What every new link row carries besides its parent-specific fields. */
export interface NewHashedLinkBase {
  id: string;
  orgId: string;
  tokenHash: string;
  createdByKeyId: string;
  /** ISO 8601 UTC. */
  createdAt: string;
  /** ISO 8601 UTC. */
  expiresAt: string;
}

/** The fields every link DTO shows (never the token or its hash). */
export interface HashedLinkDtoBase {
  id: string;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
}

/** The common parts of a stored link row. */
interface StoredLinkBase extends NewHashedLinkBase {
  revokedAt: string | null;
}

export interface HashedLinkConfig<
  TTable extends HashedLinkTable,
  TNew extends NewHashedLinkBase,
  TScope extends object,
  TTarget extends object,
> {
  table: TTable;
  /** The column naming the one resource a link points at: lists and revocation are scoped by it. */
  parentId: SQLiteColumn;
  /**
   * The guarded-batch precondition of `create` (`assertExactlyOne` in services/db.ts): the parent
   * exists in the link's organisation (and may be linked to). When it fails, nothing is stored.
   */
  guard: (db: Db, row: TNew) => Statement;
  /** The parent-specific DTO fields, shown between `id` and `createdAt` (e.g. `planId`, `format`). */
  scope: (row: InferSelectModel<TTable> | TNew) => TScope;
  /** What a valid link resolves to besides `orgId` and `expiresAt` (e.g. `planId`, `format`). */
  target: (row: InferSelectModel<TTable>) => TTarget;
}

/** A link as the API shows it: `{ id, …scope, createdAt, expiresAt, revokedAt }`. */
export type HashedLinkDto<TScope> = { id: string } & TScope & Omit<HashedLinkDtoBase, "id">;

/** A valid link looked up by token hash: `{ orgId, …target, expiresAt }`. */
export type HashedLinkTarget<TTarget> = { orgId: string } & TTarget & { expiresAt: string };

export interface HashedLinkService<TNew, TScope, TTarget> {
  /** The DTO of a link as `create` stores it (not yet revoked). */
  newDto(row: TNew): HashedLinkDto<TScope>;
  /** Insert a link after the guard, with `extra` statements in the same batch. False when the guard fails. */
  create(db: Db, row: TNew, extra: Statement[]): Promise<boolean>;
  /** One page (limit + 1 rows, oldest first by `(created_at, id)`) of a parent's links in the organisation. */
  list(
    db: Db,
    orgId: string,
    parentId: string,
    limit: number,
    cursor: PageCursor | null,
  ): Promise<HashedLinkDto<TScope>[]>;
  /** Revoke a link of the organisation's parent (idempotent: the first revocation instant stays). Null when there is no such link. */
  revoke(db: Db, orgId: string, parentId: string, linkId: string, now: string): Promise<HashedLinkDto<TScope> | null>;
  /** The link with this token hash if still valid at `now` (not revoked, `expires_at` after `now`); else null. */
  findValid(db: Db, tokenHash: string, now: string): Promise<HashedLinkTarget<TTarget> | null>;
}

/**
 * Build the link service of one table. Instants are ISO 8601 UTC strings, compared as text
 * (they sort correctly); a link is valid at `now` when `revokedAt` is null and `now < expiresAt`.
 */
export function hashedLinkService<
  TTable extends HashedLinkTable,
  TNew extends NewHashedLinkBase,
  TScope extends object,
  TTarget extends object,
>(config: HashedLinkConfig<TTable, TNew, TScope, TTarget>): HashedLinkService<TNew, TScope, TTarget> {
  const { table, parentId } = config;

  const toDto = (row: InferSelectModel<TTable> | TNew): HashedLinkDto<TScope> => {
    const base = row as StoredLinkBase | NewHashedLinkBase;
    return {
      id: base.id,
      ...config.scope(row),
      createdAt: base.createdAt,
      expiresAt: base.expiresAt,
      revokedAt: "revokedAt" in base ? base.revokedAt : null,
    };
  };

  const scoped = (orgId: string, parent: string, linkId: string): SQL | undefined =>
    and(eq(table.orgId, orgId), eq(parentId, parent), eq(table.id, linkId));

  return {
    newDto: toDto,

    async create(db, row, extra) {
      try {
        await runBatch(db, [
          config.guard(db, row),
          db.insert(table).values({ ...row, revokedAt: null } as SQLiteInsertValue<TTable>),
          ...extra,
          clearAssert(db),
        ]);
        return true;
      } catch (error) {
        if (isAssertFailure(error)) return false;
        throw error;
      }
    },

    async list(db, orgId, parent, limit, cursor) {
      const rows = await db
        .select()
        .from(table as SQLiteTable)
        .where(and(eq(table.orgId, orgId), eq(parentId, parent), afterCursor(table.createdAt, table.id, cursor)))
        .orderBy(asc(table.createdAt), asc(table.id))
        .limit(limit + 1);
      return (rows as InferSelectModel<TTable>[]).map(toDto);
    },

    async revoke(db, orgId, parent, linkId, now) {
      const where = scoped(orgId, parent, linkId);
      await db
        .update(table)
        .set({ revokedAt: now } as SQLiteUpdateSetSource<TTable>)
        .where(and(where, isNull(table.revokedAt)));
      const rows = await db
        .select()
        .from(table as SQLiteTable)
        .where(where)
        .limit(1);
      const row = rows[0] as InferSelectModel<TTable> | undefined;
      return row ? toDto(row) : null;
    },

    async findValid(db, tokenHash, now) {
      const rows = await db
        .select()
        .from(table as SQLiteTable)
        .where(eq(table.tokenHash, tokenHash))
        .limit(1);
      const row = rows[0] as InferSelectModel<TTable> | undefined;
      if (!row) return null;
      const base = row as StoredLinkBase;
      if (base.revokedAt !== null || base.expiresAt <= now) return null;
      return { orgId: base.orgId, ...config.target(row), expiresAt: base.expiresAt };
    },
  };
}
