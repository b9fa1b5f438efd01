/**
 * `evaluate`: cost model v1 (cost-model.md), one scenario in, one result out, every option
 * evaluated as a pure strategy (the whole demand served by that one option).
 */
import { evaluateApi, type ApiCashflows } from "../api.ts";
import { evaluateBuild, type BuildCashflows } from "./build.ts";
import type { OptionCashflows } from "../cashflows.ts";
import { computeDemand, type Demand } from "../demand.ts";
import { ScenarioError, type ScenarioIssue } from "../errors.ts";
import { netPresentCost, paybackMonths, presentValueEndOfMonth, presentValueStartOfMonth, sum } from "../finance.ts";
import { irrPerYear } from "./finance.ts";
import { evaluateLease, type LeaseCashflows } from "../lease.ts";
import type {
  ApiMonth,
  ApiOptionResult,
  BuildMonth,
  BuildOptionResult,
  Comparison,
  EvaluateResult,
  LeaseMonth,
  LeaseOptionResult,
  OptionResult,
  YearSummary,
} from "../result.ts";
import type { Scenario } from "../scenario.ts";
import { discountFactors, HOURS_PER_MONTH, monthLabel, MONTHS_PER_YEAR } from "../time.ts";
import { validateScenario, type ValidatedOption, type ValidatedScenario } from "../validate.ts";
import { KERNEL_VERSION } from "../version.ts";

/**
 * Evaluates every option of a scenario over its horizon and compares each build option with the
 * baseline (cost-model.md, the contract; docs/kernel.md explains every figure).
 *
 * Conventions: 730 h months; yearly rates compound monthly; capital flows discounted at the
 * start of their month (`v ** m`), operating costs and tokens at the end (`v ** (m + 1)`), the
 * horizon residual at `v ** M`, with `v = (1 + discountRatePerYear) ** (−1/12)`.
 *
 * @param scenario The scenario; numbers must be inline (catalog references are not resolved here).
 * @returns Per option: monthly cash flows, NPV and TCO (USD), levelised cost per million tokens,
 *   effective USD per GPU-hour, energy and carbon figures, yearly breakdown; comparisons with
 *   payback (months), NPV savings (USD) and IRR (per year).
 * @throws ScenarioError `invalid` naming every bad field, or `infeasible` saying why the scenario
 *   cannot be served (e.g. zero throughput) or computed (figures beyond float64).
 */
export function evaluate(scenario: Scenario): EvaluateResult {
  const resolved = validateScenario(scenario);
  const months = resolved.months;
  const discount = discountFactors(resolved.discountRatePerYear, months);
  const demand = computeDemand(resolved.workload, months);
  const discountedTokens = presentValueEndOfMonth(demand.tokens, discount);
  const discountedInputTokens = presentValueEndOfMonth(demand.inputTokens, discount);
  const discountedOutputTokens = presentValueEndOfMonth(demand.outputTokens, discount);
  const context: Context = {
    resolved,
    demand,
    discount,
    discountedTokens,
    discountedInputTokens,
    discountedOutputTokens,
  };

  const flows: OptionCashflows[] = [];
  const options: OptionResult[] = [];
  resolved.options.forEach((option, index) => {
    const evaluated = evaluateOption(option, context);
    flows.push(evaluated.flows);
    options.push(evaluated.result);
    assertFinite(evaluated.result, index);
  });

  return {
    kernelVersion: KERNEL_VERSION,
    scenarioName: resolved.name,
    startMonth: resolved.startMonth,
    horizonMonths: months,
    hoursPerMonth: HOURS_PER_MONTH,
    options,
    comparisons: compare(resolved, options, flows),
    warnings: resolved.warnings,
  };
}

interface Context {
  resolved: ValidatedScenario;
  demand: Demand;
  discount: Float64Array;
  discountedTokens: number;
  discountedInputTokens: number;
  discountedOutputTokens: number;
}

interface Common {
  npvCostUsd: number;
  tcoUsd: number;
  lcotUsdPerMillionTokens: number;
  lcotUsdPerMillionOutputTokens: number;
}

function commonFigures(flows: OptionCashflows, context: Context): Common {
  const npvCostUsd = netPresentCost(flows, context.discount);
  const tcoUsd = sum(flows.cashUsd) - flows.residualUsd;
  return {
    npvCostUsd,
    tcoUsd,
    lcotUsdPerMillionTokens: (npvCostUsd / context.discountedTokens) * 1e6,
    lcotUsdPerMillionOutputTokens: (npvCostUsd / context.discountedOutputTokens) * 1e6,
  };
}

/** Σ gpus(m) × 730 × v^(m+1): the discounted GPU-hours effective $/GPU-hour divides by. */
function discountedGpuHours(flows: OptionCashflows, discount: Float64Array): number {
  return presentValueEndOfMonth(flows.gpus, discount) * HOURS_PER_MONTH;
}

interface CostSplit {
  inputCostShare: number | null;
  splitLcotUsdPerMillionInputTokens: number | null;
  splitLcotUsdPerMillionOutputTokens: number | null;
  costSplitBasis: string;
}

/**
 * Input/output split by GPU time per phase (landscape.md §6.1): per request
 * `t_prefill = ISL / prefillTps`, `t_decode = OSL / decodeTps` (decodeTps = the option's
 * outputTokensPerSecondPerGpu); the input share of the cost is `t_prefill / (t_prefill + t_decode)`.
 */
function timeShareSplit(npvCostUsd: number, prefillTps: number | null, decodeTps: number, context: Context): CostSplit {
  const { inputTokensPerRequest, outputTokensPerRequest } = context.resolved.workload;
  if (prefillTps === null) {
    return {
      inputCostShare: null,
      splitLcotUsdPerMillionInputTokens: null,
      splitLcotUsdPerMillionOutputTokens: null,
      costSplitBasis:
        "not available: the option gives no inputTokensPerSecondPerGpu (prefill rate), so GPU time cannot be shared between input and output tokens; lcotUsdPerMillionOutputTokens charges the whole cost to output tokens",
    };
  }
  const prefillSeconds = inputTokensPerRequest / prefillTps;
  const decodeSeconds = outputTokensPerRequest / decodeTps;
  const share = prefillSeconds / (prefillSeconds + decodeSeconds);
  return {
    inputCostShare: share,
    splitLcotUsdPerMillionInputTokens:
      context.discountedInputTokens > 0 ? ((share * npvCostUsd) / context.discountedInputTokens) * 1e6 : null,
    splitLcotUsdPerMillionOutputTokens: (((1 - share) * npvCostUsd) / context.discountedOutputTokens) * 1e6,
    costSplitBasis: `GPU time per request: prefill ${inputTokensPerRequest} input tokens at ${prefillTps} tokens/s per GPU, decode ${outputTokensPerRequest} output tokens at ${decodeTps} tokens/s per GPU; cost shared in proportion to time`,
  };
}

function evaluateOption(option: ValidatedOption, context: Context): { flows: OptionCashflows; result: OptionResult } {
  const { resolved, demand } = context;
  if (option.kind === "build") {
    const flows = evaluateBuild(option, resolved.site, demand);
    return {
      flows,
      result: buildResult(
        option.id,
        flows,
        option.gpusPerServer,
        option.outputTokensPerSecondPerGpu,
        option.kw,
        option.inputTokensPerSecondPerGpu,
        context,
      ),
    };
  }
  if (option.kind === "lease") {
    const flows = evaluateLease(option, demand);
    return {
      flows,
      result: leaseResult(
        option.id,
        flows,
        option.outputTokensPerSecondPerGpu,
        option.inputTokensPerSecondPerGpu,
        context,
      ),
    };
  }
  const flows = evaluateApi(option, demand);
  return { flows, result: apiResult(option.id, flows, context) };
}

function buildResult(
  id: string,
  flows: BuildCashflows,
  gpusPerServer: number,
  outputTokensPerSecondPerGpu: number,
  kw: number,
  prefillTps: number | null,
  context: Context,
): BuildOptionResult {
  const { demand, discount, resolved } = context;
  const common = commonFigures(flows, context);
  const gpuHours = discountedGpuHours(flows, discount);
  const totalKwh = sum(flows.kwh);
  const totalTokens = sum(demand.tokens);
  const capitalPv =
    presentValueStartOfMonth(flows.capexUsd, discount) -
    presentValueStartOfMonth(flows.resaleUsd, discount) -
    flows.residualUsd * (discount[flows.months] as number);
  const monthly: BuildMonth[] = new Array<BuildMonth>(flows.months);
  for (let m = 0; m < flows.months; m++) {
    monthly[m] = {
      month: m,
      capexUsd: flows.capexUsd[m] as number,
      resaleUsd: flows.resaleUsd[m] as number,
      energyUsd: flows.energyUsd[m] as number,
      facilityUsd: flows.facilityUsd[m] as number,
      maintenanceUsd: flows.maintenanceUsd[m] as number,
      softwareUsd: flows.softwareUsd[m] as number,
      staffUsd: flows.staffUsd[m] as number,
      otherUsd: flows.otherUsd[m] as number,
      servers: flows.servers[m] as number,
      gpus: flows.gpus[m] as number,
      utilization: flows.utilization[m] as number,
      kwh: flows.kwh[m] as number,
      tokens: demand.tokens[m] as number,
      outputTokens: demand.outputTokens[m] as number,
      cashUsd: flows.cashUsd[m] as number,
      serversBought: flows.serversBought[m] as number,
      serversRetired: flows.serversRetired[m] as number,
    };
  }
  return {
    id,
    kind: "build",
    ...common,
    residualUsd: flows.residualUsd,
    effectiveUsdPerGpuHour: common.npvCostUsd / gpuHours,
    tokensPerKwh: totalTokens / totalKwh,
    gramsCo2PerMillionTokens: ((totalKwh * resolved.site.gridCarbonGPerKwh) / totalTokens) * 1e6,
    outputTokensPerSecondPerMw: (gpusPerServer * outputTokensPerSecondPerGpu) / ((kw * resolved.site.pue) / 1000),
    powerCapExceededMonths: flows.powerCapExceededMonths,
    gpuHourCostSplitUsd: {
      capitalUsd: capitalPv / gpuHours,
      energyUsd: presentValueEndOfMonth(flows.energyUsd, discount) / gpuHours,
      facilityUsd: presentValueEndOfMonth(flows.facilityUsd, discount) / gpuHours,
      maintenanceUsd: presentValueEndOfMonth(flows.maintenanceUsd, discount) / gpuHours,
      softwareUsd: presentValueEndOfMonth(flows.softwareUsd, discount) / gpuHours,
      staffUsd: presentValueEndOfMonth(flows.staffUsd, discount) / gpuHours,
      otherUsd: presentValueEndOfMonth(flows.otherUsd, discount) / gpuHours,
    },
    discountedTokens: context.discountedTokens,
    discountedInputTokens: context.discountedInputTokens,
    discountedOutputTokens: context.discountedOutputTokens,
    ...timeShareSplit(common.npvCostUsd, prefillTps, outputTokensPerSecondPerGpu, context),
    yearly: yearlySummaries(flows, context),
    monthly,
  };
}

function leaseResult(
  id: string,
  flows: LeaseCashflows,
  outputTokensPerSecondPerGpu: number,
  prefillTps: number | null,
  context: Context,
): LeaseOptionResult {
  const { demand, discount } = context;
  const common = commonFigures(flows, context);
  const monthly: LeaseMonth[] = new Array<LeaseMonth>(flows.months);
  for (let m = 0; m < flows.months; m++) {
    monthly[m] = {
      month: m,
      capexUsd: 0,
      resaleUsd: 0,
      leaseUsd: flows.leaseUsd[m] as number,
      softwareUsd: flows.softwareUsd[m] as number,
      instances: flows.instances[m] as number,
      gpus: flows.gpus[m] as number,
      tokens: demand.tokens[m] as number,
      outputTokens: demand.outputTokens[m] as number,
      cashUsd: flows.cashUsd[m] as number,
      priceUsdPerInstanceHour: flows.priceUsdPerInstanceHour[m] as number,
    };
  }
  return {
    id,
    kind: "lease",
    ...common,
    residualUsd: 0,
    effectiveUsdPerGpuHour: common.npvCostUsd / discountedGpuHours(flows, discount),
    tokensPerKwh: null,
    gramsCo2PerMillionTokens: null,
    outputTokensPerSecondPerMw: null,
    discountedTokens: context.discountedTokens,
    discountedInputTokens: context.discountedInputTokens,
    discountedOutputTokens: context.discountedOutputTokens,
    ...timeShareSplit(common.npvCostUsd, prefillTps, outputTokensPerSecondPerGpu, context),
    yearly: yearlySummaries(flows, context),
    monthly,
  };
}

function apiResult(id: string, flows: ApiCashflows, context: Context): ApiOptionResult {
  const { demand, discount } = context;
  const common = commonFigures(flows, context);
  const inputPv = presentValueEndOfMonth(flows.apiInputUsd, discount);
  const outputPv = presentValueEndOfMonth(flows.apiOutputUsd, discount);
  const monthly: ApiMonth[] = new Array<ApiMonth>(flows.months);
  for (let m = 0; m < flows.months; m++) {
    monthly[m] = {
      month: m,
      capexUsd: 0,
      resaleUsd: 0,
      apiUsd: flows.apiUsd[m] as number,
      tokens: demand.tokens[m] as number,
      outputTokens: demand.outputTokens[m] as number,
      cashUsd: flows.cashUsd[m] as number,
    };
  }
  return {
    id,
    kind: "api",
    ...common,
    residualUsd: 0,
    effectiveUsdPerGpuHour: null,
    tokensPerKwh: null,
    gramsCo2PerMillionTokens: null,
    outputTokensPerSecondPerMw: null,
    discountedTokens: context.discountedTokens,
    discountedInputTokens: context.discountedInputTokens,
    discountedOutputTokens: context.discountedOutputTokens,
    inputCostShare: inputPv + outputPv > 0 ? inputPv / (inputPv + outputPv) : 0,
    splitLcotUsdPerMillionInputTokens:
      context.discountedInputTokens > 0 ? (inputPv / context.discountedInputTokens) * 1e6 : null,
    splitLcotUsdPerMillionOutputTokens: (outputPv / context.discountedOutputTokens) * 1e6,
    costSplitBasis: "API prices: input tokens at the input price, output tokens at the output price",
    yearly: yearlySummaries(flows, context),
    monthly,
  };
}

/** Per plan year: undiscounted lines, the year's present cost (residual in the final year) and its levelised cost. */
function yearlySummaries(flows: OptionCashflows, context: Context): YearSummary[] {
  const { demand, discount, resolved } = context;
  const months = flows.months;
  const years: YearSummary[] = [];
  for (let first = 0; first < months; first += MONTHS_PER_YEAR) {
    const last = Math.min(first + MONTHS_PER_YEAR, months);
    const isFinal = last === months;
    const year: YearSummary = {
      year: first / MONTHS_PER_YEAR,
      startMonth: monthLabel(resolved.startMonth, first),
      months: last - first,
      capitalUsd: 0,
      energyUsd: 0,
      facilityUsd: 0,
      maintenanceUsd: 0,
      softwareUsd: 0,
      staffUsd: 0,
      otherUsd: 0,
      leaseUsd: 0,
      apiUsd: 0,
      totalUsd: 0,
      residualUsd: isFinal ? flows.residualUsd : 0,
      tokens: 0,
      outputTokens: 0,
      npvCostUsd: isFinal ? -flows.residualUsd * (discount[months] as number) : 0,
      lcotUsdPerMillionTokens: 0,
    };
    let discountedTokens = 0;
    for (let m = first; m < last; m++) {
      const capital = (flows.capexUsd[m] as number) - (flows.resaleUsd[m] as number);
      year.capitalUsd += capital;
      year.energyUsd += flows.energyUsd[m] as number;
      year.facilityUsd += flows.facilityUsd[m] as number;
      year.maintenanceUsd += flows.maintenanceUsd[m] as number;
      year.softwareUsd += flows.softwareUsd[m] as number;
      year.staffUsd += flows.staffUsd[m] as number;
      year.otherUsd += flows.otherUsd[m] as number;
      year.leaseUsd += flows.leaseUsd[m] as number;
      year.apiUsd += flows.apiUsd[m] as number;
      year.totalUsd += flows.cashUsd[m] as number;
      year.tokens += demand.tokens[m] as number;
      year.outputTokens += demand.outputTokens[m] as number;
      year.npvCostUsd += capital * (discount[m] as number) + (flows.opexUsd[m] as number) * (discount[m + 1] as number);
      discountedTokens += (demand.tokens[m] as number) * (discount[m + 1] as number);
    }
    year.lcotUsdPerMillionTokens = (year.npvCostUsd / discountedTokens) * 1e6;
    years.push(year);
  }
  return years;
}

/** Every build option against the baseline (cost-model.md "Comparisons"). */
function compare(resolved: ValidatedScenario, options: OptionResult[], flows: OptionCashflows[]): Comparison[] {
  const baselineIndex = resolved.baselineIndex;
  if (baselineIndex === null) return [];
  const baseline = options[baselineIndex] as OptionResult;
  const baselineFlows = flows[baselineIndex] as OptionCashflows;
  const comparisons: Comparison[] = [];
  const months = resolved.months;
  options.forEach((option, index) => {
    if (option.kind !== "build" || index === baselineIndex) return;
    const optionFlows = flows[index] as OptionCashflows;
    const difference = new Float64Array(months);
    for (let m = 0; m < months; m++)
      difference[m] = (baselineFlows.cashUsd[m] as number) - (optionFlows.cashUsd[m] as number);
    // The horizon residuals count in the last month: the build option's as its gain, a build baseline's as its.
    difference[months - 1] = (difference[months - 1] as number) + optionFlows.residualUsd - baselineFlows.residualUsd;
    comparisons.push({
      baselineOptionId: baseline.id,
      optionId: option.id,
      paybackMonths: paybackMonths(baselineFlows.cashUsd, optionFlows.cashUsd),
      npvSavingsUsd: baseline.npvCostUsd - option.npvCostUsd,
      irrPerYear: irrPerYear(difference),
    });
  });
  return comparisons;
}

const CHECKED_FIGURES = [
  "npvCostUsd",
  "tcoUsd",
  "residualUsd",
  "lcotUsdPerMillionTokens",
  "lcotUsdPerMillionOutputTokens",
  "effectiveUsdPerGpuHour",
] as const;

/** Never NaN or Infinity: figures beyond float64 (absurd demand or prices) are an infeasible scenario. */
function assertFinite(result: OptionResult, index: number): void {
  const issues: ScenarioIssue[] = [];
  for (const key of CHECKED_FIGURES) {
    const value = result[key];
    if (value !== null && !Number.isFinite(value)) {
      issues.push({
        path: `options.${index}`,
        message: `${key} is beyond the range of float64 numbers: the demand, prices or horizon are too large to evaluate`,
      });
      break;
    }
  }
  if (issues.length > 0) throw new ScenarioError("infeasible", issues);
}
