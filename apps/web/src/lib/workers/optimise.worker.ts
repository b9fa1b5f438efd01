/**
 * Web Worker: the optimiser (HiGHS, WebAssembly) off the page's main thread. HiGHS loads on the
 * first request, or earlier on a `warm` request the wizard's last steps send
 * (`compute/clients.ts`), so neither the first page nor the wizard's first steps pay for it
 * (docs/optimiser.md "Loading HiGHS"). A run is cancelled by terminating the worker: a MILP
 * solve cannot be interrupted from inside.
 */
import highsLoader from "highs";
import wasmUrl from "highs/runtime?url";
import { optimise, type MilpSolver } from "@aifp/kernel";
import { failureOf, type WorkerRequest, type WorkerResponse } from "./protocol.ts";

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<WorkerRequest>) => void) | null;
  postMessage(message: WorkerResponse): void;
};

let solver: Promise<MilpSolver> | null = null;
let loaded = false;

function loadSolver(): Promise<MilpSolver> {
  solver ??= highsLoader({ locateFile: () => wasmUrl }).then(
    (highs) => {
      loaded = true;
      return highs;
    },
    (error: unknown) => {
      solver = null;
      throw error;
    },
  );
  return solver;
}

scope.onmessage = (event) => {
  const request = event.data;
  if (request.type === "warm") {
    // A failed warm-up is retried by the first real request, which reports the error.
    loadSolver().catch(() => undefined);
    return;
  }
  if (request.type !== "optimise") return;
  void (async () => {
    try {
      if (!loaded) scope.postMessage({ type: "phase", id: request.id, phase: "loading-solver" });
      const highs = await loadSolver();
      scope.postMessage({ type: "phase", id: request.id, phase: "solving" });
      const started = performance.now();
      const result = optimise({ scenario: request.scenario, solver: highs, settings: request.settings });
      scope.postMessage({ type: "optimised", id: request.id, result, solveMs: performance.now() - started });
    } catch (error) {
      scope.postMessage({ type: "failed", id: request.id, failure: failureOf(error) });
    }
  })();
};
