/**
 * The page's side of the risk Web Worker (`workers/risk.worker.ts`): the tornado at once, the
 * Monte Carlo with progress and a cancel. One client is shared by every page
 * (`compute/clients.ts`); its worker starts on the first request or on `warm()`.
 */
import type { MonteCarloResult, Scenario, SensitivityResult } from "@aifp/kernel";
import { plain, type Outcome } from "./optimise-client.ts";
import type { WorkerRequest, WorkerResponse } from "./workers/protocol.ts";

/** A Monte Carlo run in progress. */
export interface MonteCarloRun {
  /** Resolves when the run completes, fails or is cancelled (`failure.kind === "cancelled"`). */
  done: Promise<Outcome<MonteCarloResult>>;
  /** Asks the worker to stop; it does so within one chunk of samples. */
  cancel(): void;
}

export interface RiskClient {
  sensitivity(scenario: Scenario): Promise<Outcome<SensitivityResult>>;
  monteCarlo(
    scenario: Scenario,
    options: { samples: number; seed: number },
    onProgress: (progress: { done: number; total: number }) => void,
  ): MonteCarloRun;
  /** Starts the worker now (it loads the kernel), so the first real request does not wait for it. */
  warm(): void;
  dispose(): void;
}

/** Starts the risk worker. */
export function createRiskClient(): RiskClient {
  let worker: Worker | null = null;
  const handlers = new Map<number, (response: WorkerResponse) => void>();
  let nextId = 1;
  const failAll = (message: string) => {
    for (const [id, handle] of [...handlers]) handle({ type: "failed", id, failure: { kind: "error", message } });
    handlers.clear();
  };
  const started = (): Worker => {
    if (worker) return worker;
    const created = new Worker(new URL("./workers/risk.worker.ts", import.meta.url), { type: "module" });
    created.onmessage = (event: MessageEvent<WorkerResponse>) => handlers.get(event.data.id)?.(event.data);
    created.onerror = (event) => {
      created.terminate();
      worker = null;
      failAll(`the risk analysis stopped: ${event.message || "worker error"}`);
    };
    worker = created;
    return created;
  };
  const post = (request: WorkerRequest) => started().postMessage(request);
  return {
    sensitivity(scenario) {
      const id = nextId++;
      return new Promise((resolve) => {
        handlers.set(id, (response) => {
          if (response.type === "sensitivity") resolve({ ok: true, result: response.result });
          else if (response.type === "failed") resolve({ ok: false, failure: response.failure });
          else return;
          handlers.delete(id);
        });
        post({ type: "sensitivity", id, scenario: plain(scenario) });
      });
    },
    monteCarlo(scenario, options, onProgress) {
      const id = nextId++;
      const done = new Promise<Outcome<MonteCarloResult>>((resolve) => {
        handlers.set(id, (response) => {
          if (response.type === "progress") {
            onProgress({ done: response.done, total: response.total });
            return;
          }
          if (response.type === "monteCarlo") resolve({ ok: true, result: response.result });
          else if (response.type === "failed") resolve({ ok: false, failure: response.failure });
          else return;
          handlers.delete(id);
        });
      });
      post({ type: "monteCarlo", id, scenario: plain(scenario), samples: options.samples, seed: options.seed });
      return { done, cancel: () => post({ type: "cancel", id }) };
    },
    warm() {
      started();
    },
    dispose() {
      failAll("the page was closed");
      worker?.terminate();
      worker = null;
    },
  };
}
