/**
 * The Worker the workerd tests run (vitest.config.ts `main`): the API Worker as deployed, plus the
 * compute Worker's `Compute` entrypoint, which the test config's COMPUTE binding points at
 * (ADR 029). Deployed, they are two Workers; here one, so the tests need no build step. The
 * calls still cross a real service binding (RPC, structured clone), as deployed.
 */
export { default } from "../src/index.ts";
export { Compute } from "../../compute/src/index.ts";
