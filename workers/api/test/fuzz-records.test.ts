import { describeFuzz } from "./fuzz-harness.ts";

/**
 * Schema-driven fuzzing of every write route (docs/reliability.md §3.2, issue #19): valid bodies
 * mutated so they are certainly invalid (dropped required key, wrong type, protected or unknown
 * key, out-of-range number, malformed or non-JSON body, oversize, deep nesting, huge arrays,
 * hostile strings riding along), {@link RUNS} per route, sent through the Worker's own fetch
 * handler inside workerd in concurrent batches. Checks: 0 × 5xx, every response a 4xx in the
 * error envelope with a requestId, no SQL or stack leaks, and not one row changed in any table.
 *
 * Replay: every run prints its seed; `FUZZ_SEED=<seed> npx vitest run --project workers
 * test/fuzz-records.test.ts` regenerates the same payloads (`FUZZ_RUNS=<n>` changes the count per
 * route; both reach workerd as bindings, workers/api/vitest.config.ts).
 *
 * This file: the routes that store records (orgs, keys, scenarios, plans, links,
 * quotes). The runner, the routes and the
 * payload generator: fuzz-harness.ts, fuzz-targets.ts, fuzz-payloads.ts (issue 20: one file split).
 */

describeFuzz("test/fuzz-records.test.ts");
