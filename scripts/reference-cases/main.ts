/** `npm run reference:cases`: rewrites docs/reference-cases.md from the catalog defaults. */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { formattedReferenceCases } from "./format.ts";

const target = fileURLToPath(new URL("../../docs/reference-cases.md", import.meta.url));
writeFileSync(target, await formattedReferenceCases(target));
console.log(`wrote ${target}`);
