import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { buildPriceBook, canonicalJson, CATALOG_FILES, type CatalogFileName, type CatalogManifest } from "./book.ts";
import type { PriceBook } from "../types.ts";

/** `packages/catalog`, found relative to this file (no absolute paths in the repo). */
export const CATALOG_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const DATA_DIR = path.join(CATALOG_ROOT, "data");
export const GENERATED_PATH = path.join(CATALOG_ROOT, "generated", "price-book.json");
/** The throughput calibration fitted on the generated book (see `@aifp/kernel` calibratePerformance). */
export const CALIBRATION_PATH = path.join(CATALOG_ROOT, "generated", "throughput-calibration.json");

/** Read every catalog CSV and the manifest from `packages/catalog/data`. */
export function readCatalogFiles(dataDir: string = DATA_DIR): {
  files: Record<CatalogFileName, string>;
  manifest: CatalogManifest;
} {
  const files = Object.fromEntries(
    CATALOG_FILES.map((name) => [name, readFileSync(path.join(dataDir, name), "utf8")]),
  ) as Record<CatalogFileName, string>;
  const manifest = JSON.parse(readFileSync(path.join(dataDir, "manifest.json"), "utf8")) as CatalogManifest;
  return { files, manifest };
}

/** Build the book from the data directory. */
export function buildFromDataDir(dataDir: string = DATA_DIR): PriceBook {
  const { files, manifest } = readCatalogFiles(dataDir);
  return buildPriceBook(files, manifest);
}

/** The exact text written to `generated/price-book.json`: canonical (sorted keys), one-space indented, newline-terminated. */
export function serialiseBook(book: PriceBook): string {
  return `${canonicalJson(book, 1)}\n`;
}
