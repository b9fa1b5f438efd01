import { sql } from "drizzle-orm";
import { check, index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { organisations } from "./tenancy.ts";

/**
 * Price books (docs/reliability.md §2.9). The public book (`org_id` NULL) is seeded from
 * `@aifp/catalog`'s built `price-book.json`; organisations may own private books layered on top
 * (their quotes override public figures in their scenarios). A book has versions; a version is
 * `draft` while its rows are written, then `published` (immutable: SQLite triggers in the
 * migration abort any UPDATE/DELETE of the version and any INSERT/UPDATE/DELETE of its rows),
 * and may later be `retired` (status change only, still immutable).
 *
 * Each catalog entity is stored as indexed columns for the API filters plus `data_json`, the full
 * entity with every figure's provenance (value, unit, source, asOf, confidence, derived, method).
 */

export const priceBooks = sqliteTable(
  "price_books",
  {
    id: text("id").primaryKey(),
    /** NULL for the public book; the owning organisation for a private one. */
    orgId: text("org_id").references(() => organisations.id),
    name: text("name").notNull(),
    /** A private book's base (the public book it layers on). */
    basePriceBookId: text("base_price_book_id"),
    createdAt: text("created_at").notNull(),
  },
  (table) => [index("price_books_org_idx").on(table.orgId, table.createdAt, table.id)],
);

export const priceBookVersions = sqliteTable(
  "price_book_versions",
  {
    id: text("id").primaryKey(),
    priceBookId: text("price_book_id")
      .notNull()
      .references(() => priceBooks.id),
    /** The catalog version, "YYYY.MM.DD". */
    version: text("version").notNull(),
    status: text("status", { enum: ["draft", "published", "retired"] }).notNull(),
    /** SHA-256 hex of the canonical book content (`PriceBook.contentHash`). */
    contentHash: text("content_hash").notNull(),
    dataAsOf: text("data_as_of").notNull(),
    schemaVersion: integer("schema_version").notNull(),
    /** Rows expected per entity table, JSON object; publishing checks the stored counts against it. */
    rowCountsJson: text("row_counts_json", { mode: "json" }).$type<Record<string, number>>().notNull(),
    rowCount: integer("row_count").notNull(),
    createdAt: text("created_at").notNull(),
    publishedAt: text("published_at"),
    retiredAt: text("retired_at"),
  },
  (table) => [
    uniqueIndex("price_book_versions_book_version_unique").on(table.priceBookId, table.version),
    index("price_book_versions_book_created_idx").on(table.priceBookId, table.createdAt, table.id),
    check("price_book_versions_status_check", sql`${table.status} IN ('draft', 'published', 'retired')`),
  ],
);

const versionRef = () =>
  text("version_id")
    .notNull()
    .references(() => priceBookVersions.id);

export const catalogAccelerators = sqliteTable(
  "catalog_accelerators",
  {
    versionId: versionRef(),
    key: text("key").notNull(),
    vendor: text("vendor").notNull(),
    generation: text("generation").notNull(),
    /** `shipping` with a datasheet row, `no-spec` (key seen in prices/benchmarks only) or `announced`. */
    status: text("status").notNull(),
    dataJson: text("data_json", { mode: "json" }).$type<unknown>().notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.versionId, table.key] }),
    index("catalog_accelerators_vendor_idx").on(table.versionId, table.vendor, table.key),
  ],
);

export const catalogModels = sqliteTable(
  "catalog_models",
  {
    versionId: versionRef(),
    key: text("key").notNull(),
    architecture: text("architecture").notNull(),
    dataJson: text("data_json", { mode: "json" }).$type<unknown>().notNull(),
  },
  (table) => [primaryKey({ columns: [table.versionId, table.key] })],
);

export const catalogServers = sqliteTable(
  "catalog_servers",
  {
    versionId: versionRef(),
    id: text("id").notNull(),
    vendor: text("vendor").notNull(),
    accelerator: text("accelerator").notNull(),
    cooling: text("cooling").notNull(),
    formFactor: text("form_factor").notNull(),
    dataJson: text("data_json", { mode: "json" }).$type<unknown>().notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.versionId, table.id] }),
    index("catalog_servers_vendor_idx").on(table.versionId, table.vendor, table.id),
    index("catalog_servers_accelerator_idx").on(table.versionId, table.accelerator, table.id),
  ],
);

export const catalogCloudOffers = sqliteTable(
  "catalog_cloud_offers",
  {
    versionId: versionRef(),
    id: text("id").notNull(),
    provider: text("provider").notNull(),
    providerKind: text("provider_kind").notNull(),
    accelerator: text("accelerator").notNull(),
    commitment: text("commitment").notNull(),
    dataJson: text("data_json", { mode: "json" }).$type<unknown>().notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.versionId, table.id] }),
    index("catalog_cloud_offers_accelerator_idx").on(table.versionId, table.accelerator, table.id),
    index("catalog_cloud_offers_kind_idx").on(table.versionId, table.providerKind, table.id),
  ],
);

export const catalogThroughputPoints = sqliteTable(
  "catalog_throughput_points",
  {
    versionId: versionRef(),
    id: text("id").notNull(),
    model: text("model").notNull(),
    accelerator: text("accelerator").notNull(),
    source: text("source").notNull(),
    scenario: text("scenario").notNull(),
    dataJson: text("data_json", { mode: "json" }).$type<unknown>().notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.versionId, table.id] }),
    index("catalog_throughput_model_idx").on(table.versionId, table.model, table.accelerator, table.id),
    index("catalog_throughput_accelerator_idx").on(table.versionId, table.accelerator, table.id),
  ],
);

export const catalogRegions = sqliteTable(
  "catalog_regions",
  {
    versionId: versionRef(),
    code: text("code").notNull(),
    /** Electricity price of the default customer class, USD/kWh (NULL when none was captured). */
    electricityUsdPerKwh: real("electricity_usd_per_kwh"),
    dataJson: text("data_json", { mode: "json" }).$type<unknown>().notNull(),
  },
  (table) => [primaryKey({ columns: [table.versionId, table.code] })],
);

export const catalogGenerations = sqliteTable(
  "catalog_generations",
  {
    versionId: versionRef(),
    key: text("key").notNull(),
    vendor: text("vendor").notNull(),
    status: text("status").notNull(),
    dataJson: text("data_json", { mode: "json" }).$type<unknown>().notNull(),
  },
  (table) => [primaryKey({ columns: [table.versionId, table.key] })],
);

/** Facility figures, operating defaults, token prices and street prices: `kind` + `id`. */
export const catalogFigures = sqliteTable(
  "catalog_figures",
  {
    versionId: versionRef(),
    kind: text("kind", { enum: ["facility", "default", "token_price", "street_price"] }).notNull(),
    id: text("id").notNull(),
    dataJson: text("data_json", { mode: "json" }).$type<unknown>().notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.versionId, table.kind, table.id] }),
    check("catalog_figures_kind_check", sql`${table.kind} IN ('facility', 'default', 'token_price', 'street_price')`),
  ],
);

/**
 * An organisation's custom quote for a server SKU or cloud offer, overriding the public price in
 * that organisation's scenarios while valid. Admins write them through `/api/v1/quotes`
 * (workers/api/src/routes/quotes.ts); `@aifp/catalog`'s `resolveScenario` applies them.
 */
export const orgQuotes = sqliteTable(
  "org_quotes",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id")
      .notNull()
      .references(() => organisations.id),
    /** The organisation's private price book the quote belongs to (NULL: directly on the org). */
    priceBookId: text("price_book_id").references(() => priceBooks.id),
    targetKind: text("target_kind", { enum: ["sku", "offer"] }).notNull(),
    targetId: text("target_id").notNull(),
    /** USD per server (sku) or per instance-hour (offer); NULL: discount on the public price. */
    unitPriceUsd: real("unit_price_usd"),
    /** Fraction 0–1 off the unit price (or the public price). */
    discount: real("discount").notNull().default(0),
    /** Last valid day, YYYY-MM-DD (inclusive). */
    validUntil: text("valid_until").notNull(),
    note: text("note"),
    /** Optimistic-concurrency version (the ETag), 1 on creation, +1 per update (migration 0005). */
    version: integer("version").notNull().default(1),
    /** Who created it: the user id (web session) or API key id (migration 0005; NULL before). */
    createdBy: text("created_by"),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (table) => [
    index("org_quotes_org_created_idx").on(table.orgId, table.createdAt, table.id),
    index("org_quotes_org_target_idx").on(table.orgId, table.targetKind, table.targetId),
    check("org_quotes_target_kind_check", sql`${table.targetKind} IN ('sku', 'offer')`),
    check("org_quotes_discount_check", sql`${table.discount} >= 0 AND ${table.discount} < 1`),
    check("org_quotes_price_check", sql`${table.unitPriceUsd} IS NULL OR ${table.unitPriceUsd} > 0`),
  ],
);

/** Entity tables whose rows a published version freezes (the migration adds a trigger trio per table). */
export const CATALOG_ROW_TABLES = [
  "catalog_accelerators",
  "catalog_models",
  "catalog_servers",
  "catalog_cloud_offers",
  "catalog_throughput_points",
  "catalog_regions",
  "catalog_generations",
  "catalog_figures",
] as const;
