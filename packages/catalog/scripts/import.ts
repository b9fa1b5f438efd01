// Refresh cloud prices from a provider price list or a community price-index export (ADR 016):
//   npm run catalog:import -- FILE [--source "repo path@commit or page URL"] [--write]
// Prints the difference against packages/catalog/data/cloud_gpu_prices.csv (new, changed and gone
// rows, the biggest moves) and rows refused for lacking a source or date. With --write it checks
// the new file still builds into a price book, then writes it; run `npm run catalog:build` after.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { buildPriceBook } from "../src/build/book.ts";
import { DATA_DIR, readCatalogFiles } from "../src/build/files.ts";
import { withSourceIds } from "../src/build/source-convert.ts";
import { applyImport, diffImport, formatDiff, readCloudRows } from "../src/import-diff.ts";
import { parseImport } from "../src/import.ts";

const args = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : undefined;
};
const positional = args.filter(
  (arg, index) => !arg.startsWith("--") && !["--source", "--data"].includes(args[index - 1] ?? ""),
);
const file = positional[0];
if (!file) {
  console.error('usage: npm run catalog:import -- FILE [--source "where it was read"] [--write] [--data DIR]');
  process.exit(2);
}
const dataDir = flag("--data") ?? DATA_DIR;
const target = path.join(dataDir, "cloud_gpu_prices.csv");
try {
  const parsed = parseImport(path.basename(file), readFileSync(file, "utf8"), { source: flag("--source") });
  const currentText = readFileSync(target, "utf8");
  const diff = diffImport(readCloudRows(currentText), parsed.rows);
  console.log(formatDiff(parsed, diff));
  if (args.includes("--write")) {
    const asOf =
      parsed.rows
        .map((row) => row.as_of)
        .sort()
        .at(-1) ?? "";
    // New and re-sourced rows are cited by id (ADR 030): new source records go to sources.csv.
    const cited = withSourceIds(dataDir, "cloud_gpu_prices.csv", applyImport(currentText, diff, asOf), asOf);
    const nextText = cited.text;
    const { files, manifest } = readCatalogFiles(dataDir);
    // Throws naming the bad row.
    buildPriceBook({ ...files, "cloud_gpu_prices.csv": nextText, "sources.csv": cited.sourcesText }, manifest);
    writeFileSync(target, nextText);
    writeFileSync(path.join(dataDir, "sources.csv"), cited.sourcesText);
    console.log(
      `\nwritten ${path.relative(process.cwd(), target)}; now run npm run catalog:build and npm run catalog:report`,
    );
  } else {
    console.log("\n(dry run: add --write to update the data file)");
  }
  if (parsed.refused.length > 0) process.exit(1);
} catch (error) {
  console.error(`catalog import failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(2);
}
