/**
 * `evaluate`: cost model v1 (cost-model.md), one scenario in, one result out, every option
 * evaluated as a pure strategy (the whole demand served by that one option).
 *
 * The arithmetic runs in the allocation-free core (core.ts) on a workspace reused from call to
 * call; this module only validates the scenario and builds the public result objects at the end.
 */
import type { OptionSlot } from "./core.ts";
import { paybackOf, presentValueEnd, runCore, sumOf, Workspace } from "./core.ts";
import { ScenarioError, type ScenarioIssue } from "./errors.ts";
import { irrPerYear } from "./finance.ts";
import type {
  ApiOptionResult,
  BuildOptionResult,
  Comparison,
  EvaluateResult,
  LeaseOptionResult,
  OptionResult,
} from "./result.ts";
import type { Scenario } from "./scenario.ts";
import { HOURS_PER_MONTH } from "./time.ts";
import { LazyTables } from "./evaluate-tables.ts";
import { validateScenario, type ValidatedOption, type ValidatedScenario } from "./validate.ts";
import { KERNEL_VERSION } from "./version.ts";

/**
 * The workspace of `evaluate`: grown to the largest scenario seen and reused, so a call allocates
 * only its result. Safe because `evaluate` is synchronous: no other call can run in between.
 */
const sharedWorkspace = new Workspace();

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
  return evaluateValidated(validateScenario(scenario), sharedWorkspace);
}

/** `evaluate` of an already validated scenario, in a given workspace (the risk analysis keeps its own). */
export function evaluateValidated(resolved: ValidatedScenario, workspace: Workspace): EvaluateResult {
  runCore(resolved, workspace);
  const options: OptionResult[] = [];
  const tables = new LazyTables(resolved, options, workspace);
  const totalTokens = sumOf(workspace.tokens, workspace.months); // undiscounted, for every build option
  resolved.options.forEach((option, index) => {
    const slot = workspace.slots[index] as OptionSlot;
    const result =
      option.kind === "build"
        ? buildResult(option.id, slot, option, resolved, workspace, tables, totalTokens)
        : option.kind === "lease"
          ? leaseResult(option.id, slot, option, resolved, workspace, tables)
          : apiResult(option.id, slot, workspace, tables);
    options.push(result);
    assertFinite(result, index);
  });

  return {
    kernelVersion: KERNEL_VERSION,
    scenarioName: resolved.name,
    startMonth: resolved.startMonth,
    horizonMonths: resolved.months,
    hoursPerMonth: HOURS_PER_MONTH,
    options,
    comparisons: compare(resolved, options, workspace),
    warnings: resolved.warnings,
  };
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
function timeShareSplit(
  npvCostUsd: number,
  prefillTps: number | null,
  decodeTps: number,
  resolved: ValidatedScenario,
  ws: Workspace,
): CostSplit {
  const { inputTokensPerRequest, outputTokensPerRequest } = resolved.workload;
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
      ws.discountedInputTokens > 0 ? ((share * npvCostUsd) / ws.discountedInputTokens) * 1e6 : null,
    splitLcotUsdPerMillionOutputTokens: (((1 - share) * npvCostUsd) / ws.discountedOutputTokens) * 1e6,
    costSplitBasis: `GPU time per request: prefill ${inputTokensPerRequest} input tokens at ${prefillTps} tokens/s per GPU, decode ${outputTokensPerRequest} output tokens at ${decodeTps} tokens/s per GPU; cost shared in proportion to time`,
  };
}

function buildResult(
  id: string,
  slot: OptionSlot,
  option: Extract<ValidatedOption, { kind: "build" }>,
  resolved: ValidatedScenario,
  ws: Workspace,
  tables: LazyTables,
  totalTokens: number,
): BuildOptionResult {
  const { discount, months } = ws;
  const gpuHours = slot.discountedGpuHours;
  // Every sum of the option's columns in one pass over the months: each total adds the same
  // terms in the same order as a loop of its own would (presentValueEnd, sumOf).
  let totalKwh = 0;
  let capexPv = 0;
  let resalePv = 0;
  let energyPv = 0;
  let facilityPv = 0;
  let maintenancePv = 0;
  let softwarePv = 0;
  let staffPv = 0;
  let otherPv = 0;
  for (let m = 0; m < months; m++) {
    const startOfMonth = discount[m] as number;
    const endOfMonth = discount[m + 1] as number;
    totalKwh += slot.kwh[m] as number;
    capexPv += (slot.capexUsd[m] as number) * startOfMonth;
    resalePv += (slot.resaleUsd[m] as number) * startOfMonth;
    energyPv += (slot.energyUsd[m] as number) * endOfMonth;
    facilityPv += (slot.facilityUsd[m] as number) * endOfMonth;
    maintenancePv += (slot.maintenanceUsd[m] as number) * endOfMonth;
    softwarePv += (slot.softwareUsd[m] as number) * endOfMonth;
    staffPv += (slot.staffUsd[m] as number) * endOfMonth;
    otherPv += (slot.otherUsd[m] as number) * endOfMonth;
  }
  const capitalPv = capexPv - resalePv - slot.residualUsd * (discount[months] as number);
  const npvCostUsd = slot.npvCostUsd;
  const result: Omit<BuildOptionResult, "yearly" | "monthly"> = {
    id,
    kind: "build",
    npvCostUsd,
    tcoUsd: slot.tcoUsd,
    lcotUsdPerMillionTokens: slot.lcotUsdPerMillionTokens,
    lcotUsdPerMillionOutputTokens: slot.lcotUsdPerMillionOutputTokens,
    residualUsd: slot.residualUsd,
    effectiveUsdPerGpuHour: slot.effectiveUsdPerGpuHour,
    tokensPerKwh: totalTokens / totalKwh,
    gramsCo2PerMillionTokens: ((totalKwh * resolved.site.gridCarbonGPerKwh) / totalTokens) * 1e6,
    outputTokensPerSecondPerMw:
      (option.gpusPerServer * option.outputTokensPerSecondPerGpu) / ((option.kw * resolved.site.pue) / 1000),
    powerCapExceededMonths: powerCapMonthsOf(slot),
    gpuHourCostSplitUsd: {
      capitalUsd: capitalPv / gpuHours,
      energyUsd: energyPv / gpuHours,
      facilityUsd: facilityPv / gpuHours,
      maintenanceUsd: maintenancePv / gpuHours,
      softwareUsd: softwarePv / gpuHours,
      staffUsd: staffPv / gpuHours,
      otherUsd: otherPv / gpuHours,
    },
    discountedTokens: ws.discountedTokens,
    discountedInputTokens: ws.discountedInputTokens,
    discountedOutputTokens: ws.discountedOutputTokens,
    ...timeShareSplit(npvCostUsd, option.inputTokensPerSecondPerGpu, option.outputTokensPerSecondPerGpu, resolved, ws),
  };
  return tables.attach(result as BuildOptionResult);
}

function leaseResult(
  id: string,
  slot: OptionSlot,
  option: Extract<ValidatedOption, { kind: "lease" }>,
  resolved: ValidatedScenario,
  ws: Workspace,
  tables: LazyTables,
): LeaseOptionResult {
  const npvCostUsd = slot.npvCostUsd;
  const result: Omit<LeaseOptionResult, "yearly" | "monthly"> = {
    id,
    kind: "lease",
    npvCostUsd,
    tcoUsd: slot.tcoUsd,
    lcotUsdPerMillionTokens: slot.lcotUsdPerMillionTokens,
    lcotUsdPerMillionOutputTokens: slot.lcotUsdPerMillionOutputTokens,
    residualUsd: 0,
    effectiveUsdPerGpuHour: slot.effectiveUsdPerGpuHour,
    tokensPerKwh: null,
    gramsCo2PerMillionTokens: null,
    outputTokensPerSecondPerMw: null,
    discountedTokens: ws.discountedTokens,
    discountedInputTokens: ws.discountedInputTokens,
    discountedOutputTokens: ws.discountedOutputTokens,
    ...timeShareSplit(npvCostUsd, option.inputTokensPerSecondPerGpu, option.outputTokensPerSecondPerGpu, resolved, ws),
  };
  return tables.attach(result as LeaseOptionResult);
}

function apiResult(id: string, slot: OptionSlot, ws: Workspace, tables: LazyTables): ApiOptionResult {
  const { discount, months } = ws;
  const inputPv = presentValueEnd(slot.apiInputUsd, discount, months);
  const outputPv = presentValueEnd(slot.apiOutputUsd, discount, months);
  const result: Omit<ApiOptionResult, "yearly" | "monthly"> = {
    id,
    kind: "api",
    npvCostUsd: slot.npvCostUsd,
    tcoUsd: slot.tcoUsd,
    lcotUsdPerMillionTokens: slot.lcotUsdPerMillionTokens,
    lcotUsdPerMillionOutputTokens: slot.lcotUsdPerMillionOutputTokens,
    residualUsd: 0,
    effectiveUsdPerGpuHour: null,
    tokensPerKwh: null,
    gramsCo2PerMillionTokens: null,
    outputTokensPerSecondPerMw: null,
    discountedTokens: ws.discountedTokens,
    discountedInputTokens: ws.discountedInputTokens,
    discountedOutputTokens: ws.discountedOutputTokens,
    inputCostShare: inputPv + outputPv > 0 ? inputPv / (inputPv + outputPv) : 0,
    splitLcotUsdPerMillionInputTokens: ws.discountedInputTokens > 0 ? (inputPv / ws.discountedInputTokens) * 1e6 : null,
    splitLcotUsdPerMillionOutputTokens: (outputPv / ws.discountedOutputTokens) * 1e6,
    costSplitBasis: "API prices: input tokens at the input price, output tokens at the output price",
  };
  return tables.attach(result as ApiOptionResult);
}

/** The months over the site's power cap, as a list. */
function powerCapMonthsOf(slot: OptionSlot): number[] {
  const months: number[] = [];
  for (let i = 0; i < slot.powerCapCount; i++) months.push(slot.powerCapMonths[i] as number);
  return months;
}

/** Every build option against the baseline (cost-model.md "Comparisons"). */
function compare(resolved: ValidatedScenario, options: OptionResult[], ws: Workspace): Comparison[] {
  const baselineIndex = resolved.baselineIndex;
  if (baselineIndex === null) return [];
  const baseline = options[baselineIndex] as OptionResult;
  const baselineSlot = ws.slots[baselineIndex] as OptionSlot;
  const comparisons: Comparison[] = [];
  const months = ws.months;
  const difference = ws.scratch.subarray(0, months);
  options.forEach((option, index) => {
    if (option.kind !== "build" || index === baselineIndex) return;
    const optionSlot = ws.slots[index] as OptionSlot;
    for (let m = 0; m < months; m++)
      difference[m] = (baselineSlot.cashUsd[m] as number) - (optionSlot.cashUsd[m] as number);
    // The horizon residuals count in the last month: the build option's as its gain, a build baseline's as its.
    difference[months - 1] = (difference[months - 1] as number) + optionSlot.residualUsd - baselineSlot.residualUsd;
    comparisons.push({
      baselineOptionId: baseline.id,
      optionId: option.id,
      paybackMonths: paybackOf(baselineSlot, optionSlot, months),
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
