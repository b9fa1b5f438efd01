// Sources as records (ADR 030): write `source_ids` into the data files and any new record into
// sources.csv, from each row's free-text source, then regenerate the source register in SOURCES.md.
// Idempotent: a row whose `source_ids` is filled is left alone, a reference already in sources.csv
// keeps its id, hand edits to sources.csv stay. Review new records by hand (titles, kind).
//   npm run catalog:source-ids                      every converted file
//   npm run catalog:source-ids -- model_architecture.csv benchmark_rounds.csv inference_throughput.csv
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { DATA_DIR } from "../src/build/files.ts";
import { convertSourceIds } from "../src/build/source-convert.ts";
import { writeSourceRegister } from "../src/build/source-register.ts";

const manifest = JSON.parse(readFileSync(path.join(DATA_DIR, "manifest.json"), "utf8")) as { dataAsOf: string };
const requested = process.argv.slice(2).filter((arg) => arg.endsWith(".csv"));
const result = convertSourceIds(
  DATA_DIR,
  (file) => readFileSync(path.join(DATA_DIR, file), "utf8"),
  requested,
  manifest.dataAsOf,
);
for (const [file, text] of Object.entries(result.texts)) {
  writeFileSync(path.join(DATA_DIR, file), text);
  console.log(`${file}: ${result.filled[file] ?? 0} rows given source ids`);
}
writeFileSync(path.join(DATA_DIR, "sources.csv"), result.sourcesText);
writeSourceRegister(result.records);
console.log(`sources.csv: ${result.records.length} records (${result.added} new); SOURCES.md register rewritten`);
