/**
 * Monthly cash-flow columns of one option, as computed by `build.ts`, `lease.ts` and `api.ts`.
 * Columns (typed arrays, one entry per plan month) rather than objects per month keep
 * `evaluate` cheap enough to rerun on every slider move.
 */

/** The cost lines of cost model v1, in the order they are reported. */
export const COST_LINES = [
  "energyUsd",
  "facilityUsd",
  "maintenanceUsd",
  "softwareUsd",
  "staffUsd",
  "otherUsd",
  "leaseUsd",
  "apiUsd",
] as const;

export type CostLine = (typeof COST_LINES)[number];

/** Money columns (USD per month) and physical columns of one option. */
export interface OptionCashflows {
  months: number;
  /** Capital spent on purchases in the month (start of month), USD. */
  capexUsd: Float64Array;
  /** Resale proceeds of hardware retired in the month (start of month), USD. */
  resaleUsd: Float64Array;
  /** Operating cost lines (end of month), USD. Lines that do not apply to a kind stay 0. */
  energyUsd: Float64Array;
  facilityUsd: Float64Array;
  maintenanceUsd: Float64Array;
  softwareUsd: Float64Array;
  staffUsd: Float64Array;
  otherUsd: Float64Array;
  leaseUsd: Float64Array;
  apiUsd: Float64Array;
  /** Sum of the operating lines. */
  opexUsd: Float64Array;
  /** capex − resale + opex: the cash paid in the month (the horizon residual excluded). */
  cashUsd: Float64Array;
  /** GPUs running in the month (build: servers × GPUs per server; lease: instances × GPUs per instance; api: 0). */
  gpus: Float64Array;
  /** Value of hardware still owned at the horizon, USD, undiscounted (build only; else 0). */
  residualUsd: number;
}

/** Allocates zeroed columns for `months` months. */
export function emptyCashflows(months: number): OptionCashflows {
  return {
    months,
    capexUsd: new Float64Array(months),
    resaleUsd: new Float64Array(months),
    energyUsd: new Float64Array(months),
    facilityUsd: new Float64Array(months),
    maintenanceUsd: new Float64Array(months),
    softwareUsd: new Float64Array(months),
    staffUsd: new Float64Array(months),
    otherUsd: new Float64Array(months),
    leaseUsd: new Float64Array(months),
    apiUsd: new Float64Array(months),
    opexUsd: new Float64Array(months),
    cashUsd: new Float64Array(months),
    gpus: new Float64Array(months),
    residualUsd: 0,
  };
}

/** Fills `opexUsd` (sum of the operating lines) and `cashUsd` (capex − resale + opex). */
export function totalCashflows(flows: OptionCashflows): void {
  for (let m = 0; m < flows.months; m++) {
    const opex =
      (flows.energyUsd[m] as number) +
      (flows.facilityUsd[m] as number) +
      (flows.maintenanceUsd[m] as number) +
      (flows.softwareUsd[m] as number) +
      (flows.staffUsd[m] as number) +
      (flows.otherUsd[m] as number) +
      (flows.leaseUsd[m] as number) +
      (flows.apiUsd[m] as number);
    flows.opexUsd[m] = opex;
    flows.cashUsd[m] = (flows.capexUsd[m] as number) - (flows.resaleUsd[m] as number) + opex;
  }
}
