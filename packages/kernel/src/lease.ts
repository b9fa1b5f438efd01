/**
 * Lease option (cloud or neo-cloud instances), cost-model.md "Lease option".
 */
import { emptyCashflows, totalCashflows, type OptionCashflows } from "./cashflows.ts";
import type { Demand } from "./demand.ts";
import { ceilWithTolerance } from "./rules.ts";
import { HOURS_PER_MONTH, MONTHS_PER_YEAR } from "./time.ts";
import type { ValidatedLeaseOption } from "./validate.ts";

/** Lease columns beyond the common cash flows. */
export interface LeaseCashflows extends OptionCashflows {
  /** Instances running all month: ceil(gpusNeeded / G), 1e-9 relative tolerance. */
  instances: Float64Array;
  /** Price of one instance-hour in the month, USD. */
  priceUsdPerInstanceHour: Float64Array;
}

/**
 * Evaluates one lease option:
 * - `instances(m) = ceil(gpusNeeded(m) / G)`, `gpusNeeded(m) = peakOutTps(m) / (T × targetUtilization)`;
 * - price on demand `π × (1 + δ) ** (m / 12)`; with a term of k years the price is fixed per
 *   block of 12k months: `π × (1 + δ) ** (12k × floor(m / 12k) / 12)`;
 * - cost `instances × price × 730` plus `softwareUsdPerGpuYear / 12 × instances × G`.
 * v1 follows the contract literally: the instance count follows demand month by month even
 * under a term (the commitment fixes the price, not the count).
 */
export function evaluateLease(option: ValidatedLeaseOption, demand: Demand): LeaseCashflows {
  const months = demand.months;
  const flows: LeaseCashflows = {
    ...emptyCashflows(months),
    instances: new Float64Array(months),
    priceUsdPerInstanceHour: new Float64Array(months),
  };
  const G = option.gpusPerInstance;
  const T = option.outputTokensPerSecondPerGpu;
  const base = 1 + option.priceChangePerYear;
  const block = option.termMonths;
  const monthlySoftwarePerInstance = (option.softwareUsdPerGpuYear / 12) * G;
  for (let m = 0; m < months; m++) {
    const gpusNeeded = (demand.peakOutputTokensPerSecond[m] as number) / (T * demand.targetUtilization);
    const instances = ceilWithTolerance(gpusNeeded / G);
    const pricedMonth = block > 0 ? block * Math.floor(m / block) : m;
    const price = option.priceUsdPerInstanceHour * base ** (pricedMonth / MONTHS_PER_YEAR);
    flows.instances[m] = instances;
    flows.priceUsdPerInstanceHour[m] = price;
    flows.gpus[m] = instances * G;
    flows.leaseUsd[m] = instances * price * HOURS_PER_MONTH;
    flows.softwareUsd[m] = monthlySoftwarePerInstance * instances;
  }
  totalCashflows(flows);
  return flows;
}
