/**
 * The page's side of the optimiser Web Worker (`workers/optimise.worker.ts`): one worker per
 * results page, created on first use, requests answered by id. The worker loads HiGHS on its
 * first request, so opening the results page costs nothing until the "Best plan" section asks.
 */
import type { OptimiseResult, OptimiseSettings, Scenario } from "@aifp/kernel";
import type { WorkerFailure, WorkerRequest, WorkerResponse } from "./workers/protocol.ts";

/** A worker's answer: the result, or why there is none. */
export type Outcome<T> = { ok: true; result: T } | { ok: false; failure: WorkerFailure };

export interface OptimiseClient {
  /** Optimise `scenario` (a resolved scenario, numbers inline) with `settings`. */
  optimise(scenario: Scenario, settings: OptimiseSettings): Promise<Outcome<OptimiseResult> & { solveMs?: number }>;
  /** Stops the worker; pending requests answer with an error. */
  dispose(): void;
}

/** A plain copy that can cross `postMessage` (reactive proxies cannot). */
export function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** Starts the optimiser worker. */
export function createOptimiseClient(): OptimiseClient {
  const worker = new Worker(new URL("./workers/optimise.worker.ts", import.meta.url), { type: "module" });
  const pending = new Map<number, (response: WorkerResponse) => void>();
  let nextId = 1;
  worker.onmessage = (event: MessageEvent<WorkerResponse>) => {
    const resolve = pending.get(event.data.id);
    if (!resolve) return;
    pending.delete(event.data.id);
    resolve(event.data);
  };
  const failAll = (message: string) => {
    for (const [id, resolve] of pending) resolve({ type: "failed", id, failure: { kind: "error", message } });
    pending.clear();
  };
  worker.onerror = (event) => failAll(`the optimiser stopped: ${event.message || "worker error"}`);
  return {
    optimise(scenario, settings) {
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, (response) => {
          if (response.type === "optimised") resolve({ ok: true, result: response.result, solveMs: response.solveMs });
          else if (response.type === "failed") resolve({ ok: false, failure: response.failure });
        });
        const request: WorkerRequest = { type: "optimise", id, scenario: plain(scenario), settings: plain(settings) };
        worker.postMessage(request);
      });
    },
    dispose() {
      failAll("the page was closed");
      worker.terminate();
    },
  };
}
