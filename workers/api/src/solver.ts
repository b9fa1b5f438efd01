/**
 * HiGHS (the MILP solver, WebAssembly) for the optimiser, loaded once per Worker isolate: the
 * `.wasm` is imported as a CompiledWasm module (wrangler's default module rule for `**\/*.wasm`)
 * and instantiated through `loadHighsFromWasmModule` (docs/optimiser.md "Loading HiGHS"). The
 * first optimise request in an isolate pays the instantiation; later ones reuse the instance.
 *
 * Why a relative path and not `highs/runtime` (the package's export of the same file): wrangler
 * matches its module rules against the import specifier, and "highs/runtime" does not end in
 * `.wasm`, so `wrangler dev` / `wrangler deploy` stop with "No loader is configured for .wasm
 * files" (vitest's workerd pool resolves it either way). npm workspaces hoist `highs` (a
 * dependency of @aifp/kernel) to the repository's root `node_modules`.
 */
import highsLoader from "highs";
import highsWasm from "../../../node_modules/highs/build/highs.wasm";
import { loadHighsFromWasmModule, type MilpSolver } from "@aifp/kernel";

let loading: Promise<MilpSolver> | null = null;

/** The isolate's HiGHS instance, instantiated on first use. A failed load is retried by the next call. */
export function isolateSolver(): Promise<MilpSolver> {
  loading ??= loadHighsFromWasmModule(highsLoader, highsWasm).catch((error: unknown) => {
    loading = null;
    throw error;
  });
  return loading;
}

/**
 * Drops the isolate's instance after a solver failure (a WebAssembly trap can leave the
 * Emscripten heap unusable): the next request instantiates a fresh one.
 */
export function discardIsolateSolver(): void {
  loading = null;
}
