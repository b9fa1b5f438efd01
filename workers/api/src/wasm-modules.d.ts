// A `.wasm` file imported by the Worker is a compiled WebAssembly.Module: wrangler's default
// module rule (CompiledWasm for `**/*.wasm`), also in the vitest workerd pool.
declare module "*.wasm" {
  const module: WebAssembly.Module;
  export default module;
}
