/**
 * The optimiser and risk workers, one of each for the whole app (not one per results page): the
 * wizard's last steps start them (`warmUpCompute`), so the worker scripts, the kernel and HiGHS
 * (3.5 MB of WebAssembly) are loaded and compiled off the main thread before the person asks for
 * a result, and going back to the wizard and on to the results again does not reload them.
 */
import { createOptimiseClient, type OptimiseClient } from "../optimise-client.ts";
import { createRiskClient, type RiskClient } from "../risk-client.ts";

let optimiser: OptimiseClient | null = null;
let risk: RiskClient | null = null;

/** The app's optimiser worker client. */
export function optimiseClient(): OptimiseClient {
  optimiser ??= createOptimiseClient();
  return optimiser;
}

/** The app's risk worker client. */
export function riskClient(): RiskClient {
  risk ??= createRiskClient();
  return risk;
}

let warmed = false;

/** Start both workers and load HiGHS in the background, once. */
export function warmUpCompute(): void {
  if (warmed || typeof Worker === "undefined") return;
  warmed = true;
  optimiseClient().warm();
  riskClient().warm();
}
