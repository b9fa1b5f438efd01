/**
 * The result of `evaluate` (cost-model.md "Results, per option" and "Comparisons"), plus the
 * extensions documented in docs/kernel.md (yearly breakdown, $/GPU-hour split, input/output
 * cost split). Field names and meanings of the contract are fixed; extensions only add fields.
 * Money in USD (float64, never rounded), tokens as counts, energy in kWh.
 */
import type { ScenarioIssue } from "./errors.ts";

/** Fields every month of every option carries. */
export interface MonthBase {
  /** Plan month index, 0-based. */
  month: number;
  /** Capital spent in the month (start of month), USD. */
  capexUsd: number;
  /** Resale proceeds in the month (start of month), USD. */
  resaleUsd: number;
  /** Tokens served (input + output). */
  tokens: number;
  /** Output tokens served. */
  outputTokens: number;
  /** Cash paid in the month: capex − resale + operating costs, USD (horizon residual excluded). */
  cashUsd: number;
}

export interface BuildMonth extends MonthBase {
  energyUsd: number;
  facilityUsd: number;
  maintenanceUsd: number;
  softwareUsd: number;
  staffUsd: number;
  otherUsd: number;
  /** Servers alive after buying: fleet(m). */
  servers: number;
  /** fleet(m) × GPUs per server. */
  gpus: number;
  /** Average load of the fleet, 0–1. */
  utilization: number;
  /** Facility energy, kWh (IT × PUE). */
  kwh: number;
  /** Extension: servers bought this month. */
  serversBought: number;
  /** Extension: servers retired (resold) at the start of this month. */
  serversRetired: number;
}

export interface LeaseMonth extends MonthBase {
  leaseUsd: number;
  softwareUsd: number;
  instances: number;
  gpus: number;
  /** Extension: price of one instance-hour this month, USD. */
  priceUsdPerInstanceHour: number;
}

export interface ApiMonth extends MonthBase {
  apiUsd: number;
}

/** Extension: one plan year of an option, undiscounted money by cost line plus its levelised cost. */
export interface YearSummary {
  /** Plan year index, 0-based (months 12y .. 12y + 11). */
  year: number;
  /** First calendar month of the plan year, "YYYY-MM". */
  startMonth: string;
  /** Months in this plan year (12, fewer only for a final partial year). */
  months: number;
  /** Capital net of resale: Σ (capex − resale), USD. The horizon residual is in `residualUsd`. */
  capitalUsd: number;
  energyUsd: number;
  facilityUsd: number;
  maintenanceUsd: number;
  softwareUsd: number;
  staffUsd: number;
  otherUsd: number;
  leaseUsd: number;
  apiUsd: number;
  /** Cash of the year: capitalUsd + every operating line, USD (= Σ monthly cashUsd). */
  totalUsd: number;
  /** Value of hardware still owned at the horizon (final year only, else 0), USD, undiscounted. */
  residualUsd: number;
  tokens: number;
  outputTokens: number;
  /** Present value (at plan start) of this year's costs, net of the residual in the final year, USD. Σ over years = npvCostUsd. */
  npvCostUsd: number;
  /** This year's levelised cost: npvCostUsd / Σ tokens v^(m+1) of the year × 1e6, USD per million tokens. */
  lcotUsdPerMillionTokens: number;
}

/**
 * Extension (build): the levelised all-in USD per GPU-hour split by cost line, each part
 * `NPV(line) / Σ gpus(m) × 730 × v^(m+1)`; the parts add up to `effectiveUsdPerGpuHour`.
 */
export interface GpuHourCostSplit {
  /** Capex net of resale and of the horizon residual. */
  capitalUsd: number;
  energyUsd: number;
  facilityUsd: number;
  maintenanceUsd: number;
  softwareUsd: number;
  staffUsd: number;
  otherUsd: number;
}

interface OptionResultBase {
  id: string;
  /** NPV of cost at plan start, USD: Σ (capex − resale) v^m + Σ opex v^(m+1) − residual v^M. */
  npvCostUsd: number;
  /** The same, undiscounted, USD. */
  tcoUsd: number;
  /** Value of hardware still owned at the horizon, undiscounted, USD (0 for lease and api). */
  residualUsd: number;
  /** Levelised cost of a token: npvCostUsd / Σ tokens v^(m+1) × 1e6, USD per million tokens. */
  lcotUsdPerMillionTokens: number;
  /** Whole cost per output token: npvCostUsd / Σ outputTokens v^(m+1) × 1e6, USD per million output tokens. */
  lcotUsdPerMillionOutputTokens: number;
  /** Tokens served per kWh of facility energy (build; null otherwise). */
  tokensPerKwh: number | null;
  /** Grams CO2 per million tokens (build; null otherwise). */
  gramsCo2PerMillionTokens: number | null;
  /** Output tokens/s per MW of facility power at full load: G × T / (kw × PUE / 1000) (build; null otherwise). */
  outputTokensPerSecondPerMw: number | null;
  /** Extension: Σ tokens v^(m+1), the discounted token count levelised costs divide by. */
  discountedTokens: number;
  /** Extension: Σ inputTokens v^(m+1). */
  discountedInputTokens: number;
  /** Extension: Σ outputTokens v^(m+1). */
  discountedOutputTokens: number;
  /** Extension: fraction 0–1 of npvCostUsd attributed to input tokens; null when no basis is given. */
  inputCostShare: number | null;
  /** Extension: cost of input tokens only, USD per million input tokens; null when no basis (see costSplitBasis). */
  splitLcotUsdPerMillionInputTokens: number | null;
  /** Extension: cost of output tokens only, USD per million output tokens; null when no basis. */
  splitLcotUsdPerMillionOutputTokens: number | null;
  /** Extension: how the input/output split was made, or why it is not available. */
  costSplitBasis: string;
  /** Extension: per plan year breakdown. */
  yearly: YearSummary[];
}

export interface BuildOptionResult extends OptionResultBase {
  kind: "build";
  /** Levelised all-in USD per GPU-hour: npvCostUsd / Σ gpus × 730 × v^(m+1). */
  effectiveUsdPerGpuHour: number;
  tokensPerKwh: number;
  gramsCo2PerMillionTokens: number;
  outputTokensPerSecondPerMw: number;
  /** Months (0-based) where fleet × kw × PUE exceeds the site's power cap. */
  powerCapExceededMonths: number[];
  /** Extension: effectiveUsdPerGpuHour by cost line. */
  gpuHourCostSplitUsd: GpuHourCostSplit;
  monthly: BuildMonth[];
}

export interface LeaseOptionResult extends OptionResultBase {
  kind: "lease";
  effectiveUsdPerGpuHour: number;
  tokensPerKwh: null;
  gramsCo2PerMillionTokens: null;
  outputTokensPerSecondPerMw: null;
  monthly: LeaseMonth[];
}

export interface ApiOptionResult extends OptionResultBase {
  kind: "api";
  effectiveUsdPerGpuHour: null;
  tokensPerKwh: null;
  gramsCo2PerMillionTokens: null;
  outputTokensPerSecondPerMw: null;
  monthly: ApiMonth[];
}

export type OptionResult = BuildOptionResult | LeaseOptionResult | ApiOptionResult;

/** A build option against the baseline (cost-model.md "Comparisons"). */
export interface Comparison {
  baselineOptionId: string;
  optionId: string;
  /** Smallest k >= 1 with cumulative (cashA − cashB) through month k − 1 >= 0; null if none in the horizon. */
  paybackMonths: number | null;
  /** npvCostA − npvCostB, USD: positive when the build option is cheaper. */
  npvSavingsUsd: number;
  /** Yearly IRR of cashA − cashB (B's residual added, A's subtracted, in the last month); null when undefined. */
  irrPerYear: number | null;
}

export interface EvaluateResult {
  /** Version of the kernel that computed this result (semver). */
  kernelVersion: string;
  scenarioName: string;
  startMonth: string;
  horizonMonths: number;
  /** Hours in every month (730). */
  hoursPerMonth: number;
  options: OptionResult[];
  comparisons: Comparison[];
  /** Inputs accepted but without effect, e.g. a salary without serversPerFte. */
  warnings: ScenarioIssue[];
}
