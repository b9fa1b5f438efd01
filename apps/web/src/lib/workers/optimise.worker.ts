/**
 * Web Worker: the optimiser (HiGHS, WebAssembly) off the page's main thread. HiGHS loads on the
 * first request only (`highs/runtime?url` is the `.wasm` as a hashed asset; docs/optimiser.md
 * "Loading HiGHS"), so neither the first page nor the wizard pays for it.
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

function loadSolver(): Promise<MilpSolver> {
  solver ??= highsLoader({ locateFile: () => wasmUrl }).catch((error: unknown) => {
    solver = null;
    throw error;
  });
  return solver;
}

scope.onmessage = (event) => {
  const request = event.data;
  if (request.type !== "optimise") return;
  void (async () => {
    try {
      const highs = await loadSolver();
      const started = performance.now();
      const result = optimise({ scenario: request.scenario, solver: highs, settings: request.settings });
      scope.postMessage({ type: "optimised", id: request.id, result, solveMs: performance.now() - started });
    } catch (error) {
      scope.postMessage({ type: "failed", id: request.id, failure: failureOf(error) });
    }
  })();
};
