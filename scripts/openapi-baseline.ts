// `npm run openapi:baseline`: write docs/openapi/v1-baseline.json, the released v1 contract the
// compatibility gate (workers/api/test/openapi-compat.test.ts) compares the live spec against.
//
// Why a short-lived `wrangler dev` and not an import: the spec is generated from the route
// modules' own `documented()` calls, and the Worker's module graph imports the HiGHS solver as a
// `.wasm` ES module, which only workerd (or wrangler's bundler) can load, not Node. Serving it
// exactly as production does also means the baseline is the document clients actually get.
// The Worker gets its own temporary D1 directory (removed afterwards) and a free loopback port;
// `/api/v1/openapi.json` reads nothing from the database.
//
// Run it only on a deliberate contract release (see docs/api.md, "Compatibility"): it accepts
// whatever the current spec is, breaking changes included.
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import * as prettier from "prettier";
import { freePort, repoRoot, startWorker } from "./lib/dev-server.ts";

/** Where the baseline lives, relative to the repository root. */
export const BASELINE_FILE = "docs/openapi/v1-baseline.json";

async function main(): Promise<void> {
  // wrangler dev refuses a missing `[assets] directory`; the API does not need the SPA built.
  mkdirSync(path.join(repoRoot, "apps/web/build"), { recursive: true });
  const persistTo = mkdtempSync(path.join(tmpdir(), "aifp-openapi-"));
  const worker = await startWorker({ port: await freePort(), persistTo });
  try {
    const response = await fetch(`${worker.url}/api/v1/openapi.json`);
    if (!response.ok) throw new Error(`GET /api/v1/openapi.json answered ${response.status}`);
    const document = (await response.json()) as { openapi?: unknown; paths?: Record<string, unknown> };
    if (document.openapi !== "3.1.0" || typeof document.paths !== "object" || document.paths === null)
      throw new Error("GET /api/v1/openapi.json did not return an OpenAPI 3.1 document with paths");
    const file = path.join(repoRoot, BASELINE_FILE);
    mkdirSync(path.dirname(file), { recursive: true });
    // Formatted as `npm run lint` (prettier --check) expects it.
    const options = (await prettier.resolveConfig(file)) ?? {};
    await writeFile(file, await prettier.format(JSON.stringify(document), { ...options, filepath: file }));
    const operations = Object.values(document.paths).reduce<number>(
      (total, item) => total + Object.keys(item as object).length,
      0,
    );
    console.log(`${BASELINE_FILE}: ${Object.keys(document.paths).length} paths, ${operations} operations`);
  } finally {
    await worker.stop();
    rmSync(persistTo, { recursive: true, force: true });
  }
}

await main();
