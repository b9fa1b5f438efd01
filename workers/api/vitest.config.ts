import path from "node:path";
import { fileURLToPath } from "node:url";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineProject } from "vitest/config";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");

// API tests run inside workerd with the real Worker (root wrangler.toml) and a real local D1;
// migrations are applied by test/setup.ts from the TEST_MIGRATIONS binding.
export default defineProject(async () => {
  const migrations = await readD1Migrations(path.join(root, "packages/db/migrations"));
  return {
    plugins: [
      cloudflareTest({
        wrangler: { configPath: path.join(root, "wrangler.toml") },
        // The API Worker with the compute Worker's entrypoint beside it (test/worker.ts, ADR 029).
        main: path.join(here, "test/worker.ts"),
        // A fixed, test-only session secret (production sets its own with `wrangler secret put`).
        miniflare: {
          // The test runner carries each module to workerd in one WebSocket message, capped at
          // 1 MiB unless this flag is on; @cantoo/fontkit (the PDF font engine, 0.56 MB) with its
          // inline source map is larger. Test-only: a deployed Worker is one bundle, no WebSocket.
          compatibilityFlags: ["nodejs_compat", "increase_websocket_message_size"],
          // COMPUTE points at the compute entrypoint exported beside the API (a service binding
          // to this Worker's own name is a binding to itself in the pool).
          serviceBindings: { COMPUTE: { name: "ai-factory-planner", entrypoint: "Compute" } },
          bindings: {
            TEST_MIGRATIONS: migrations,
            BETTER_AUTH_SECRET: "test-only-secret-0123456789abcdefghijklmnop",
            // The fuzz suite's seed and payloads per route (test/fuzz-*.test.ts): empty = a fresh
            // seed and 10,000. `FUZZ_SEED=<logged seed>` replays a failing run.
            FUZZ_SEED: process.env.FUZZ_SEED ?? "",
            FUZZ_RUNS: process.env.FUZZ_RUNS ?? "",
          },
        },
      }),
    ],
    test: {
      name: "workers",
      root: here,
      include: ["test/**/*.test.ts"],
      setupFiles: ["./test/setup.ts"],
      // A test's own limit, not a speed assertion (benchmarks measure speed): requests into workerd
      // with real D1 and HiGHS solves take seconds when the shared 2-core machine is busy.
      testTimeout: 30_000,
    },
  };
});
