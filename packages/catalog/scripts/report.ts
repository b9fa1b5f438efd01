// Print the catalog coverage report and write it to docs/catalog-coverage.md (`npm run catalog:report`).
import { writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { priceBook } from "../src/index.ts";
import { coverageReport } from "../src/report.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const report = coverageReport(priceBook);
const target = path.join(root, "docs", "catalog-coverage.md");
writeFileSync(target, report);
console.log(report);
console.log(`\n(written to ${path.relative(process.cwd(), target)})`);
