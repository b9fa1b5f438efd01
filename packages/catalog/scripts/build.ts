// Build the public price book: packages/catalog/data/*.csv → packages/catalog/generated/price-book.json.
// Deterministic (sorted keys and rows, no clock): run it after editing any data file and commit the result.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { calibratePerformance } from "@aifp/kernel";
import { buildFromDataDir, CALIBRATION_PATH, GENERATED_PATH, serialiseBook } from "../src/build/files.ts";
import { canonicalJson } from "../src/build/book.ts";
import { CatalogRowError } from "../src/build/csv.ts";

try {
  const book = buildFromDataDir();
  mkdirSync(path.dirname(GENERATED_PATH), { recursive: true });
  writeFileSync(GENERATED_PATH, serialiseBook(book));
  // The throughput performance model is fitted once here (seconds), not at every throughputAt call.
  const calibration = calibratePerformance(book);
  writeFileSync(CALIBRATION_PATH, `${canonicalJson({ priceBookContentHash: book.contentHash, calibration }, 1)}\n`);
  console.log(
    `price book ${book.version} (sha256 ${book.contentHash.slice(0, 12)}…): ${book.accelerators.length} accelerators, ` +
      `${book.models.length} models, ${book.throughputPoints.length} throughput points, ${book.servers.length} servers, ` +
      `${book.cloudOffers.length} cloud offers, ${book.regions.length} regions, ${book.facility.length} facility figures, ` +
      `${book.generations.length} generations, ${book.defaults.length} defaults → ${path.relative(process.cwd(), GENERATED_PATH)}`,
  );
} catch (error) {
  if (error instanceof CatalogRowError) {
    console.error(`catalog build failed: ${error.message}`);
    process.exit(1);
  }
  throw error;
}
