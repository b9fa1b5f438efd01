import { canonicalJson } from "@aifp/formats";
import type { DefaultFigure, PriceBook, SourceFile } from "../types.ts";
import { slug } from "../slug.ts";
import { readAccelerators } from "./book-accelerators.ts";
import { readCloudOffers } from "./book-cloud.ts";
import { bookContext } from "./book-context.ts";
import { byKey, CatalogBuildError, figure, sha256, unique } from "./book-figures.ts";
import { readModelArchitectures, readModels } from "./book-models.ts";
import { readServers } from "./book-servers.ts";
import { readFacility, readRegions } from "./book-sites.ts";
import { readThroughputPoints } from "./book-throughput.ts";
import { readGenerations } from "./book-generations.ts";
import * as S from "./schemas.ts";
import { buildTokenPrices } from "./token-prices.ts";

export { slug };

/** The data files a price book is built from, by file name (relative to `packages/catalog/data`). */
export const CATALOG_FILES = [
  "sources.csv",
  "accelerators.csv",
  "accelerator_aliases.csv",
  "gpu_specs.csv",
  "models.csv",
  "model_architecture.csv",
  "benchmark_rounds.csv",
  "inference_throughput.csv",
  "server_skus.csv",
  "server_accelerators.csv",
  "server_price_basis.csv",
  "street_prices.csv",
  "chassis_share.csv",
  "cloud_gpu_prices.csv",
  "energy.csv",
  "facility.csv",
  "generations.csv",
  "defaults.csv",
  "token_prices.csv",
] as const;

export type CatalogFileName = (typeof CATALOG_FILES)[number];

export interface CatalogManifest {
  /** Compilation date of the data, YYYY-MM-DD; the version is this date as YYYY.MM.DD. */
  dataAsOf: string;
  schemaVersion: number;
}

export { CatalogBuildError, figure, parseConfidenceTag, weakest } from "./book-figures.ts";

/** JSON with object keys sorted recursively: the canonical form hashed into `contentHash` (one function, @aifp/formats). */
export { canonicalJson };

/**
 * Build the public price book from the catalog's CSV texts (pure apart from hashing).
 * Every row is validated (a bad cell throws {@link CatalogRowError} naming file, line and
 * column); keys are normalised through `accelerators.csv` and its alias tables; gaps are filled
 * only where a cited rule allows it, each such figure marked derived with its method.
 */
export function buildPriceBook(files: Record<CatalogFileName, string>, manifest: CatalogManifest): PriceBook {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(manifest.dataAsOf))
    throw new CatalogBuildError("manifest.dataAsOf: expected YYYY-MM-DD");
  const dataAsOf = manifest.dataAsOf;
  const ctx = bookContext(files, dataAsOf);
  const { read, idsAt, sourceRegister } = ctx;
  const { accelerators, acceleratorKeysWithoutSpec, specOfKey, requireAccelerator, alias } = readAccelerators(ctx);
  const { models, apiOnlyModels, modelByBenchmark } = readModels(ctx);
  const { architectureRows, knownModelKeys, modelArchitectures } = readModelArchitectures(ctx, models);
  const throughputPoints = readThroughputPoints(ctx, { modelByBenchmark, knownModelKeys, architectureRows, alias });
  const { streetPrices, servers } = readServers(ctx, { requireAccelerator, specOfKey });
  const cloudOffers = readCloudOffers(ctx, alias);
  const regions = readRegions(ctx);
  const facility = readFacility(ctx);
  const generations = readGenerations(ctx, { requireAccelerator, specOfKey });

  // --- defaults and token prices -------------------------------------------------------------
  const defaultRows = read("defaults.csv", S.DefaultRow);
  unique("defaults.csv", defaultRows, (row) => row.key, "key");
  const defaults: DefaultFigure[] = defaultRows.map(({ line, row }) => ({
    key: row.key,
    figure: figure(
      row.value,
      row.unit,
      `defaults.csv line ${line}: ${row.source}`,
      row.as_of,
      row.confidence,
      row.derived_method,
      idsAt("defaults.csv", line),
    ),
    low: row.low,
    high: row.high,
    notes: row.notes,
  }));
  const { tokenPrices, apiPriceTrend } = buildTokenPrices(
    read("token_prices.csv", S.TokenPriceRow),
    new Set([...models.map((model) => model.key), ...apiOnlyModels.map((model) => model.key)]),
    (line) => idsAt("token_prices.csv", line),
  );

  const fileList: SourceFile[] = CATALOG_FILES.map((name) => ({
    path: `data/${name}`,
    sha256: sha256(files[name]),
    rows: Math.max(0, readRowCount(name, files[name])),
  }));

  const body: Omit<PriceBook, "contentHash"> = {
    version: dataAsOf.replaceAll("-", "."),
    schemaVersion: manifest.schemaVersion,
    dataAsOf,
    files: fileList,
    accelerators: byKey(accelerators, (item) => item.key),
    acceleratorKeysWithoutSpec: byKey(acceleratorKeysWithoutSpec, (item) => item.key),
    models: byKey(models, (item) => item.key),
    modelArchitectures: byKey(modelArchitectures, (item) => item.key),
    apiOnlyModels: byKey(apiOnlyModels, (item) => item.key),
    throughputPoints: byKey(
      throughputPoints,
      (item) => `${item.model}|${item.accelerator}|${item.source}|${item.scenario}|${item.id}`,
    ),
    servers: byKey(servers, (item) => item.id),
    cloudOffers: byKey(cloudOffers, (item) => item.id),
    regions,
    facility: byKey(facility, (item) => item.id),
    generations: byKey(generations, (item) => item.key),
    defaults: byKey(defaults, (item) => item.key),
    tokenPrices: byKey(tokenPrices, (item) => item.id),
    apiPriceTrend,
    streetPrices: byKey(streetPrices, (item) => item.accelerator),
    sources: [...sourceRegister.values()].sort((a, b) => a.id.localeCompare(b.id)),
  };
  assertNoFutureDates(body, dataAsOf);
  const contentHash = sha256(canonicalJson(body));
  return { ...body, contentHash };
}

function readRowCount(name: string, text: string): number {
  // Records, not physical lines: quoted cells may span lines.
  let count = 0;
  let inQuotes = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    if (char === '"') inQuotes = !inQuotes;
    else if (char === "\n" && !inQuotes) count += 1;
  }
  if (text.length > 0 && !text.endsWith("\n")) count += 1;
  void name;
  return count - 1;
}

/** No figure may be dated after the data set itself (catches typos such as 2062). */
function assertNoFutureDates(value: unknown, dataAsOf: string, path = "book"): void {
  if (Array.isArray(value)) {
    value.forEach((item, index) => assertNoFutureDates(item, dataAsOf, `${path}[${index}]`));
    return;
  }
  if (value === null || typeof value !== "object") return;
  const record = value as Record<string, unknown>;
  if (typeof record.asOf === "string" && typeof record.unit === "string") {
    const asOf = record.asOf;
    if (asOf.slice(0, dataAsOf.length) > dataAsOf)
      throw new CatalogBuildError(`${path}.asOf ${asOf} is after the data date ${dataAsOf}`);
  }
  for (const [key, item] of Object.entries(record)) assertNoFutureDates(item, dataAsOf, `${path}.${key}`);
}
