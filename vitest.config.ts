import { defineConfig } from "vitest/config";

// One `vitest run` covers every layer: pure unit tests in Node, API tests inside workerd
// against a real local D1, and end-to-end tests that start the Worker and drive Chromium.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: [
            "packages/**/*.test.ts",
            "scripts/**/*.test.ts",
            "apps/web/src/**/*.test.ts",
            "workers/api/src/**/*.test.ts",
          ],
          environment: "node",
          // A test's own limit, not a speed assertion: CLI processes and MILP solves take seconds on a busy machine.
          testTimeout: 30_000,
        },
      },
      "workers/api/vitest.config.ts",
      {
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.test.ts"],
          environment: "node",
          globalSetup: ["test/e2e/global-setup.ts"],
          testTimeout: 120_000,
          // The browser waits on a real Worker on a shared 2-core machine: poll generously.
          expect: { poll: { timeout: 20_000, interval: 100 } },
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
