import type { D1Migration } from "@cloudflare/vitest-plugin";
import type { Env as WorkerEnv } from "../src/env.ts";
import type * as WorkerModule from "../src/index.ts";

declare global {
  namespace Cloudflare {
    interface Env extends WorkerEnv {
      TEST_MIGRATIONS: D1Migration[];
      /** test/fuzz-*.test.ts: the seed to replay ("" = fresh) and payloads per route ("" = 10,000). */
      FUZZ_SEED: string;
      FUZZ_RUNS: string;
    }
    interface GlobalProps {
      mainModule: typeof WorkerModule;
    }
  }
}
