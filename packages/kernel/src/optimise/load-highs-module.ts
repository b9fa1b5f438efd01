/**
 * Loading HiGHS from an already-compiled WebAssembly module: the Worker path (workerd imports
 * `highs/runtime` — the `.wasm` — as a CompiledWasm module) and any host that compiles the
 * module itself. No I/O: the caller passes the package's loader and the module.
 *
 * Why not the loader's own `wasmModule` option: `highs` 1.15.3's runtime reads
 * `instantiateWasm` (Emscripten's hook) and ignores `wasmModule`. And where `nodejs_compat` is on
 * (vitest's workerd pool), `globalThis.process` makes the loader think it runs in Node and read
 * the file from disk: the process global is hidden while the loader starts (docs/architecture.md).
 */
import type { MilpSolver } from "./solver.ts";

/** Emscripten's hook: instantiate the module with these imports and call `done` with the instance. */
export type InstantiateWasm = (imports: object, done: (instance: object) => void) => object;

/** The part of the `highs` package's default export this needs (its typed options lack `instantiateWasm`, its runtime reads it). */
export type HighsPackageLoader = (options: {
  locateFile?: (file: string) => string;
  instantiateWasm?: InstantiateWasm;
}) => Promise<MilpSolver>;

interface WebAssemblyLike {
  instantiate(module: object, imports: object): Promise<object>;
}

/**
 * Initialises HiGHS from a compiled module: `loadHighsFromWasmModule(highsLoader, highsWasm)`
 * with `import highsLoader from "highs"` and `import highsWasm from "highs/runtime"` (Worker).
 * @returns the solver to pass to `optimise({ solver })`.
 */
export function loadHighsFromWasmModule(loader: HighsPackageLoader, wasmModule: object): Promise<MilpSolver> {
  const webAssembly = (globalThis as unknown as { WebAssembly: WebAssemblyLike }).WebAssembly;
  const instantiateWasm: InstantiateWasm = (imports, done) => {
    void webAssembly.instantiate(wasmModule, imports).then(done);
    return {};
  };
  const scope = globalThis as { process?: unknown };
  const descriptor = Object.getOwnPropertyDescriptor(scope, "process");
  if (descriptor?.configurable)
    Object.defineProperty(scope, "process", { value: undefined, configurable: true, writable: true });
  try {
    // The loader decides "Node or not" synchronously when called; the process global is back right after.
    return loader({ instantiateWasm });
  } finally {
    if (descriptor?.configurable) Object.defineProperty(scope, "process", descriptor);
  }
}
