import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { freePort, prepareLocal, type RunningWorker, startWorker } from "../../scripts/lib/dev-server.ts";

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

let worker: RunningWorker | undefined;
let stateDir: string | undefined;

/**
 * Once per run: build the SPA, migrate and seed a throwaway local D1, start the real Worker
 * with `wrangler dev`, and hand its URL to every e2e test file.
 */
export async function setup(project: TestProject): Promise<void> {
  stateDir = await mkdtemp(path.join(os.tmpdir(), "planner-e2e-"));
  await prepareLocal({ persistTo: stateDir, quiet: true });
  worker = await startWorker({ port: await freePort(), persistTo: stateDir });
  project.provide("baseUrl", worker.url);
}

export async function teardown(): Promise<void> {
  await worker?.stop();
  if (stateDir) await rm(stateDir, { recursive: true, force: true });
}
