import type { PriceBook } from "./types.ts";

/** One database row: snake_case column → value. */
export type CatalogRow = Record<string, string | number | null>;

/** The entity tables of a stored price-book version (see `packages/db/src/schema/catalog.ts`). */
export type CatalogTableName =
  | "catalog_accelerators"
  | "catalog_models"
  | "catalog_servers"
  | "catalog_cloud_offers"
  | "catalog_throughput_points"
  | "catalog_regions"
  | "catalog_generations"
  | "catalog_figures";

/**
 * The rows one price-book version stores, per table, without `version_id` (the writer adds it):
 * indexed filter columns plus `data_json`, the full entity with every figure's provenance.
 * Deterministic: rows keep the book's order.
 */
export function priceBookRows(book: PriceBook): Record<CatalogTableName, CatalogRow[]> {
  const json = (value: unknown) => JSON.stringify(value);
  return {
    catalog_accelerators: [
      ...book.accelerators.map((item) => ({
        key: item.key,
        vendor: item.vendor,
        generation: item.generation,
        status: "shipping",
        data_json: json({ ...item, hasSpec: true }),
      })),
      ...book.acceleratorKeysWithoutSpec.map((item) => ({
        key: item.key,
        vendor: item.vendor,
        generation: item.generation,
        status: item.status === "announced" ? "announced" : "no-spec",
        data_json: json({ ...item, hasSpec: false }),
      })),
    ],
    catalog_models: book.models.map((item) => ({
      key: item.key,
      architecture: item.architecture,
      data_json: json(item),
    })),
    catalog_servers: book.servers.map((item) => ({
      id: item.id,
      vendor: item.vendor,
      accelerator: item.accelerator,
      cooling: item.cooling,
      form_factor: item.formFactor,
      data_json: json(item),
    })),
    catalog_cloud_offers: book.cloudOffers.map((item) => ({
      id: item.id,
      provider: item.provider,
      provider_kind: item.providerKind,
      accelerator: item.accelerator,
      commitment: item.commitment,
      data_json: json(item),
    })),
    catalog_throughput_points: book.throughputPoints.map((item) => ({
      id: item.id,
      model: item.model,
      accelerator: item.accelerator,
      source: item.source,
      scenario: item.scenario,
      data_json: json(item),
    })),
    catalog_regions: book.regions.map((item) => ({
      code: item.code,
      electricity_usd_per_kwh:
        item.electricity.find((price) => price.customerClass === item.defaultCustomerClass)?.usdPerKwh.value ?? null,
      data_json: json(item),
    })),
    catalog_generations: book.generations.map((item) => ({
      key: item.key,
      vendor: item.vendor,
      status: item.status,
      data_json: json(item),
    })),
    catalog_figures: [
      ...book.facility.map((item) => ({ kind: "facility", id: item.id, data_json: json(item) })),
      ...book.defaults.map((item) => ({ kind: "default", id: item.key, data_json: json(item) })),
      ...book.tokenPrices.map((item) => ({ kind: "token_price", id: item.id, data_json: json(item) })),
      ...book.streetPrices.map((item) => ({ kind: "street_price", id: item.accelerator, data_json: json(item) })),
    ],
  };
}

/** Row counts per table and in total, as stored on the version row. */
export function priceBookRowCounts(book: PriceBook): { perTable: Record<CatalogTableName, number>; total: number } {
  const rows = priceBookRows(book);
  const perTable = Object.fromEntries(Object.entries(rows).map(([table, list]) => [table, list.length])) as Record<
    CatalogTableName,
    number
  >;
  return { perTable, total: Object.values(perTable).reduce((sum, count) => sum + count, 0) };
}

/** Id of the public price book in every database. */
export const PUBLIC_PRICE_BOOK_ID = "pbk_public";

/**
 * Id of a version row: deterministic from book id and version (so seeding is idempotent),
 * opaque to clients. FNV-1a 64-bit over the text, hex.
 */
export function priceBookVersionId(bookId: string, version: string): string {
  let hash = 0xcbf29ce484222325n;
  for (const char of `${bookId}@${version}`) {
    hash ^= BigInt(char.codePointAt(0) ?? 0);
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return `pbv_${hash.toString(16).padStart(16, "0")}`;
}
