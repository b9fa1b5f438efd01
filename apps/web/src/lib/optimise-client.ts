/**
 * The page's side of the optimiser Web Worker (`workers/optimise.worker.ts`): requests answered
 * by id, the solver's phase reported as it goes, and a cancel that terminates the worker (a MILP
 * solve cannot be interrupted from inside; the next request starts a fresh worker). One client
 * is shared by every page (`compute/clients.ts`), so HiGHS loaded during the wizard is still
 * there on the results page.
 */
import type { OptimiseResult, OptimiseSettings, Scenario } from "@aifp/kernel";
import type { SolverPhase, WorkerFailure, WorkerRequest, WorkerResponse } from "./workers/protocol.ts";

/** A worker's answer: the result, or why there is none. */
export type Outcome<T> = { ok: true; result: T } | { ok: false; failure: WorkerFailure };

/** An optimiser run in progress. */
export interface OptimiseRun {
  /** Resolves when the run completes, fails or is cancelled (`failure.kind === "cancelled"`). */
  done: Promise<Outcome<OptimiseResult> & { solveMs?: number }>;
  /** Stops the run at once (the worker is terminated). */
  cancel(): void;
}

export interface OptimiseClient {
  /** Optimise `scenario` (a resolved scenario, numbers inline) with `settings`. */
  optimise(scenario: Scenario, settings: OptimiseSettings, onPhase?: (phase: SolverPhase) => void): OptimiseRun;
  /** Starts the worker and loads HiGHS now, so the first real request does not wait for it. */
  warm(): void;
  /** Stops the worker; pending requests answer with an error. */
  dispose(): void;
}

/** A plain copy that can cross `postMessage` (reactive proxies cannot). */
export function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** Starts the optimiser client; its worker starts on the first request or `warm()`. */
export function createOptimiseClient(): OptimiseClient {
  let worker: Worker | null = null;
  const pending = new Map<number, (response: WorkerResponse) => void>();
  let nextId = 1;
  const failAll = (failure: WorkerFailure) => {
    for (const [id, resolve] of [...pending]) resolve({ type: "failed", id, failure });
    pending.clear();
  };
  const stop = () => {
    worker?.terminate();
    worker = null;
  };
  const started = (): Worker => {
    if (worker) return worker;
    const created = new Worker(new URL("./workers/optimise.worker.ts", import.meta.url), { type: "module" });
    created.onmessage = (event: MessageEvent<WorkerResponse>) => pending.get(event.data.id)?.(event.data);
    created.onerror = (event) => {
      stop();
      failAll({ kind: "error", message: `the optimiser stopped: ${event.message || "worker error"}` });
    };
    worker = created;
    return created;
  };
  return {
    optimise(scenario, settings, onPhase) {
      const id = nextId++;
      const done = new Promise<Outcome<OptimiseResult> & { solveMs?: number }>((resolve) => {
        pending.set(id, (response) => {
          if (response.type === "phase") {
            onPhase?.(response.phase);
            return;
          }
          if (response.type === "optimised") resolve({ ok: true, result: response.result, solveMs: response.solveMs });
          else if (response.type === "failed") resolve({ ok: false, failure: response.failure });
          else return;
          pending.delete(id);
        });
      });
      const request: WorkerRequest = { type: "optimise", id, scenario: plain(scenario), settings: plain(settings) };
      started().postMessage(request);
      return {
        done,
        cancel() {
          const resolve = pending.get(id);
          if (!resolve) return;
          // Other requests on the same worker (none in practice: the page runs one at a time) fail too.
          stop();
          resolve({ type: "failed", id, failure: { kind: "cancelled", done: 0 } });
          pending.delete(id);
          failAll({ kind: "cancelled", done: 0 });
        },
      };
    },
    warm() {
      started().postMessage({ type: "warm", id: nextId++ } satisfies WorkerRequest);
    },
    dispose() {
      failAll({ kind: "error", message: "the page was closed" });
      stop();
    },
  };
}
