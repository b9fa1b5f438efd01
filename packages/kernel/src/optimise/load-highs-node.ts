/**
 * Loads HiGHS (WebAssembly) in Node for the CLI, tests and benchmarks. Not part of the pure
 * kernel: it reads `highs.wasm` from node_modules. The Worker and the browser load it their
 * own way and pass the instance to `optimise` (docs/optimiser.md "Loading HiGHS").
 */
import highsLoader from "highs";
import type { MilpSolver } from "./solver.ts";

let loading: Promise<MilpSolver> | undefined;

/**
 * The HiGHS solver for Node, loaded once per process (about 50 ms) and reused: each `solve`
 * creates a fresh native model, so calls never share state.
 */
export function loadHighsNode(): Promise<MilpSolver> {
  const promise: Promise<MilpSolver> = loading ?? highsLoader();
  loading = promise;
  return promise;
}
