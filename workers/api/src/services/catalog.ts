import { and, asc, eq, gt, type SQL } from "drizzle-orm";
import type { SQLiteColumn, SQLiteTable } from "drizzle-orm/sqlite-core";
import {
  catalogAccelerators,
  catalogCloudOffers,
  catalogFigures,
  catalogGenerations,
  catalogModels,
  catalogRegions,
  catalogServers,
  catalogThroughputPoints,
  priceBooks,
  priceBookVersions,
} from "@aifp/db";
import {
  priceBookRowCounts,
  priceBookRows,
  priceBookVersionId,
  PUBLIC_PRICE_BOOK_ID,
  type CatalogRow,
  type CatalogTableName,
  type PriceBook,
} from "@aifp/catalog";
import type { Db, Statement } from "./db.ts";
import { jsonText, runBatch } from "./db.ts";

/** D1 allows at most 100 bound parameters per statement: rows per INSERT = floor(99 / columns). */
const MAX_PARAMS_PER_STATEMENT = 99;
/** Keep each batch well under D1's limits; a version is written in several batches while a draft. */
const STATEMENTS_PER_BATCH = 40;

const TABLES: Record<CatalogTableName, SQLiteTable> = {
  catalog_accelerators: catalogAccelerators,
  catalog_models: catalogModels,
  catalog_servers: catalogServers,
  catalog_cloud_offers: catalogCloudOffers,
  catalog_throughput_points: catalogThroughputPoints,
  catalog_regions: catalogRegions,
  catalog_generations: catalogGenerations,
  catalog_figures: catalogFigures,
};

/** A version row as the API shows it. */
export interface PriceBookVersionDto {
  id: string;
  priceBookId: string;
  version: string;
  status: string;
  contentHash: string;
  dataAsOf: string;
  schemaVersion: number;
  rowCounts: Record<string, number>;
  rowCount: number;
  createdAt: string;
  publishedAt: string | null;
  retiredAt: string | null;
}

export interface PriceBookDto {
  id: string;
  name: string;
  orgId: string | null;
  latestPublishedVersion: string | null;
  createdAt: string;
}

/** What `seedPublishedBook` did. */
export type SeedOutcome = "published" | "already-published";

/** Seeding found the same version with other content: the data changed without a new version. */
export class VersionContentConflict extends Error {
  constructor(version: string, stored: string, built: string) {
    super(
      `price book version ${version} is already stored with content ${stored.slice(0, 12)}…, the built book has ${built.slice(0, 12)}…; bump packages/catalog/data/manifest.json`,
    );
    this.name = "VersionContentConflict";
  }
}

function snakeToCamelRow(row: CatalogRow): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(row).map(([key, value]) => [
      key.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase()),
      // `data_json` is already JSON text (the price book's own serialisation): stored as it is.
      key === "data_json" && typeof value === "string" ? jsonText(value) : value,
    ]),
  );
}

/**
 * Write a built price book into D1 as a published version of the public book, idempotently:
 * an identical published version is left alone; a leftover draft of the same version is
 * cleared and rewritten; rows go in chunked multi-row INSERTs (≤ 99 bound parameters each)
 * while the version is a draft, then one guarded UPDATE publishes it (a trigger checks the row
 * count, and from then on triggers refuse any change to the version or its rows).
 */
export async function seedPublishedBook(db: Db, book: PriceBook, nowIso: string): Promise<SeedOutcome> {
  const versionId = priceBookVersionId(PUBLIC_PRICE_BOOK_ID, book.version);
  const existing = await db.select().from(priceBookVersions).where(eq(priceBookVersions.id, versionId)).get();
  if (existing && existing.status !== "draft") {
    if (existing.contentHash !== book.contentHash)
      throw new VersionContentConflict(book.version, existing.contentHash, book.contentHash);
    return "already-published";
  }
  const counts = priceBookRowCounts(book);
  const statements: Statement[] = [];
  statements.push(
    db
      .insert(priceBooks)
      .values({
        id: PUBLIC_PRICE_BOOK_ID,
        orgId: null,
        name: "Public price book",
        basePriceBookId: null,
        createdAt: nowIso,
      })
      .onConflictDoNothing(),
  );
  if (existing) {
    // A draft left by an interrupted seed: drafts are mutable, so clear it and start over.
    for (const table of Object.values(TABLES))
      statements.push(db.delete(table).where(eq(versionIdColumn(table), versionId)));
    statements.push(db.delete(priceBookVersions).where(eq(priceBookVersions.id, versionId)));
  }
  statements.push(
    db.insert(priceBookVersions).values({
      id: versionId,
      priceBookId: PUBLIC_PRICE_BOOK_ID,
      version: book.version,
      status: "draft",
      contentHash: book.contentHash,
      dataAsOf: book.dataAsOf,
      schemaVersion: book.schemaVersion,
      rowCountsJson: counts.perTable,
      rowCount: counts.total,
      createdAt: nowIso,
      publishedAt: null,
      retiredAt: null,
    }),
  );
  await runBatch(db, statements);

  const inserts: Statement[] = [];
  const rows = priceBookRows(book);
  for (const [name, list] of Object.entries(rows) as [CatalogTableName, CatalogRow[]][]) {
    const table = TABLES[name];
    const columns = Object.keys(list[0] ?? {}).length + 1;
    const perStatement = Math.max(1, Math.floor(MAX_PARAMS_PER_STATEMENT / columns));
    for (let start = 0; start < list.length; start += perStatement) {
      const chunk = list.slice(start, start + perStatement).map((row) => ({ ...snakeToCamelRow(row), versionId }));
      inserts.push(db.insert(table).values(chunk));
    }
  }
  for (let start = 0; start < inserts.length; start += STATEMENTS_PER_BATCH) {
    await runBatch(db, inserts.slice(start, start + STATEMENTS_PER_BATCH));
  }
  await runBatch(db, [
    db
      .update(priceBookVersions)
      .set({ status: "published", publishedAt: nowIso })
      .where(and(eq(priceBookVersions.id, versionId), eq(priceBookVersions.status, "draft"))),
  ]);
  return "published";
}

function versionIdColumn(table: SQLiteTable): SQLiteColumn {
  return (table as unknown as { versionId: SQLiteColumn }).versionId;
}

function toVersionDto(row: typeof priceBookVersions.$inferSelect): PriceBookVersionDto {
  return {
    id: row.id,
    priceBookId: row.priceBookId,
    version: row.version,
    status: row.status,
    contentHash: row.contentHash,
    dataAsOf: row.dataAsOf,
    schemaVersion: row.schemaVersion,
    rowCounts: row.rowCountsJson,
    rowCount: row.rowCount,
    createdAt: row.createdAt,
    publishedAt: row.publishedAt,
    retiredAt: row.retiredAt,
  };
}

/**
 * The published version to read: the given version string of the public book, or its latest
 * published one (versions are "YYYY.MM.DD", so the text order is the date order). Null if none.
 */
export async function publishedVersion(db: Db, version: string | null): Promise<PriceBookVersionDto | null> {
  const where = and(
    eq(priceBookVersions.priceBookId, PUBLIC_PRICE_BOOK_ID),
    eq(priceBookVersions.status, "published"),
    version === null ? undefined : eq(priceBookVersions.version, version),
  );
  const rows = await db.select().from(priceBookVersions).where(where).orderBy(asc(priceBookVersions.version)).all();
  const row = rows.at(-1);
  return row ? toVersionDto(row) : null;
}

/** Public price books (org books are not listed without an org key), keyset-paginated by id. */
export async function listPriceBooks(db: Db, afterId: string | null, limit: number): Promise<PriceBookDto[]> {
  const books = await db
    .select()
    .from(priceBooks)
    .where(and(eq(priceBooks.id, PUBLIC_PRICE_BOOK_ID), afterId === null ? undefined : gt(priceBooks.id, afterId)))
    .orderBy(asc(priceBooks.id))
    .limit(limit + 1)
    .all();
  const out: PriceBookDto[] = [];
  for (const book of books) {
    const versions = await db
      .select({ version: priceBookVersions.version })
      .from(priceBookVersions)
      .where(and(eq(priceBookVersions.priceBookId, book.id), eq(priceBookVersions.status, "published")))
      .orderBy(asc(priceBookVersions.version))
      .all();
    out.push({
      id: book.id,
      name: book.name,
      orgId: book.orgId,
      latestPublishedVersion: versions.at(-1)?.version ?? null,
      createdAt: book.createdAt,
    });
  }
  return out;
}

/** One version of a public book (any status), or null. */
export async function getPriceBookVersion(
  db: Db,
  priceBookId: string,
  version: string,
): Promise<PriceBookVersionDto | null> {
  const row = await db
    .select()
    .from(priceBookVersions)
    .innerJoin(priceBooks, eq(priceBooks.id, priceBookVersions.priceBookId))
    .where(
      and(
        eq(priceBookVersions.priceBookId, priceBookId),
        eq(priceBookVersions.version, version),
        eq(priceBooks.id, PUBLIC_PRICE_BOOK_ID),
      ),
    )
    .get();
  return row ? toVersionDto(row.price_book_versions) : null;
}

/** The catalog lists the API serves, with their key column and filterable columns. */
export const CATALOG_LISTS = {
  accelerators: {
    table: catalogAccelerators,
    key: catalogAccelerators.key,
    filters: {
      vendor: catalogAccelerators.vendor,
      generation: catalogAccelerators.generation,
      status: catalogAccelerators.status,
    },
  },
  servers: {
    table: catalogServers,
    key: catalogServers.id,
    filters: {
      vendor: catalogServers.vendor,
      accelerator: catalogServers.accelerator,
      cooling: catalogServers.cooling,
      formFactor: catalogServers.formFactor,
    },
  },
  cloudOffers: {
    table: catalogCloudOffers,
    key: catalogCloudOffers.id,
    filters: {
      provider: catalogCloudOffers.provider,
      providerKind: catalogCloudOffers.providerKind,
      accelerator: catalogCloudOffers.accelerator,
      commitment: catalogCloudOffers.commitment,
    },
  },
  throughput: {
    table: catalogThroughputPoints,
    key: catalogThroughputPoints.id,
    filters: {
      model: catalogThroughputPoints.model,
      accelerator: catalogThroughputPoints.accelerator,
      source: catalogThroughputPoints.source,
      scenario: catalogThroughputPoints.scenario,
    },
  },
  regions: { table: catalogRegions, key: catalogRegions.code, filters: {} },
  models: { table: catalogModels, key: catalogModels.key, filters: { architecture: catalogModels.architecture } },
  generations: {
    table: catalogGenerations,
    key: catalogGenerations.key,
    filters: { vendor: catalogGenerations.vendor, status: catalogGenerations.status },
  },
} as const;

export type CatalogListName = keyof typeof CATALOG_LISTS;

/**
 * One page of a catalog list of a published version: rows whose key is after `afterKey`, in
 * key order, matching every given filter (exact match), at most `limit + 1` (the caller turns
 * the extra row into `nextCursor`). Returns each row's key and its stored entity.
 */
export async function listCatalog(
  db: Db,
  list: CatalogListName,
  versionId: string,
  filters: Record<string, string | undefined>,
  afterKey: string | null,
  limit: number,
): Promise<{ key: string; data: unknown }[]> {
  const spec = CATALOG_LISTS[list];
  const conditions: (SQL | undefined)[] = [eq(versionIdColumn(spec.table), versionId)];
  for (const [name, column] of Object.entries(spec.filters) as [string, SQLiteColumn][]) {
    const value = filters[name];
    if (value !== undefined) conditions.push(eq(column, value));
  }
  if (afterKey !== null) conditions.push(gt(spec.key, afterKey));
  const dataJson = (spec.table as unknown as { dataJson: SQLiteColumn }).dataJson;
  const rows = (await db
    .select({ key: spec.key, dataJson })
    .from(spec.table)
    .where(and(...conditions))
    .orderBy(asc(spec.key))
    .limit(limit + 1)
    .all()) as { key: string; dataJson: unknown }[];
  return rows.map((row) => ({ key: row.key, data: row.dataJson }));
}

/** Figures of one kind (facility, default, token_price, street_price) of a version, by id. */
export async function listFigures(
  db: Db,
  versionId: string,
  kind: (typeof catalogFigures.$inferSelect)["kind"],
): Promise<unknown[]> {
  const rows = await db
    .select({ dataJson: catalogFigures.dataJson })
    .from(catalogFigures)
    .where(and(eq(catalogFigures.versionId, versionId), eq(catalogFigures.kind, kind)))
    .orderBy(asc(catalogFigures.id))
    .all();
  return rows.map((row) => row.dataJson);
}
