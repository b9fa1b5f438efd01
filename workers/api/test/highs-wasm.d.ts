// `highs/runtime` is the package's `highs.wasm`; wrangler (and the workerd test pool) import a
// `.wasm` as a compiled WebAssembly.Module (the default CompiledWasm module rule).
declare module "highs/runtime" {
  const module: WebAssembly.Module;
  export default module;
}
