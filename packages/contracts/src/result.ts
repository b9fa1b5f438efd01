/**
 * Wire schema of `evaluate`'s result (cost-model.md "Results" and "Comparisons", plus the
 * kernel's documented extensions). Strict: the schema and the kernel's `EvaluateResult` type are
 * checked against each other at compile time, and the golden results are parsed in the tests.
 */
import type { EvaluateResult } from "@aifp/kernel";
import * as v from "valibot";

const usd = v.pipe(v.number(), v.finite());
const count = v.pipe(v.number(), v.finite(), v.minValue(0));
const fraction = v.pipe(v.number(), v.finite(), v.minValue(0), v.maxValue(1));
const nullableNumber = v.nullable(usd);
const wholeCount = v.pipe(v.number(), v.integer(), v.minValue(0));

export const IssueSchema = v.strictObject({ path: v.string(), message: v.string() });

const monthBase = {
  month: wholeCount,
  capexUsd: usd,
  resaleUsd: usd,
  tokens: count,
  outputTokens: count,
  cashUsd: usd,
};

export const BuildMonthSchema = v.strictObject({
  ...monthBase,
  energyUsd: usd,
  facilityUsd: usd,
  maintenanceUsd: usd,
  softwareUsd: usd,
  staffUsd: usd,
  otherUsd: usd,
  servers: wholeCount,
  gpus: wholeCount,
  utilization: fraction,
  kwh: count,
  serversBought: wholeCount,
  serversRetired: wholeCount,
});

export const LeaseMonthSchema = v.strictObject({
  ...monthBase,
  leaseUsd: usd,
  softwareUsd: usd,
  instances: wholeCount,
  gpus: wholeCount,
  priceUsdPerInstanceHour: usd,
});

export const ApiMonthSchema = v.strictObject({ ...monthBase, apiUsd: usd });

export const YearSummarySchema = v.strictObject({
  year: wholeCount,
  startMonth: v.string(),
  months: wholeCount,
  capitalUsd: usd,
  energyUsd: usd,
  facilityUsd: usd,
  maintenanceUsd: usd,
  softwareUsd: usd,
  staffUsd: usd,
  otherUsd: usd,
  leaseUsd: usd,
  apiUsd: usd,
  totalUsd: usd,
  residualUsd: usd,
  tokens: count,
  outputTokens: count,
  npvCostUsd: usd,
  lcotUsdPerMillionTokens: usd,
});

export const GpuHourCostSplitSchema = v.strictObject({
  capitalUsd: usd,
  energyUsd: usd,
  facilityUsd: usd,
  maintenanceUsd: usd,
  softwareUsd: usd,
  staffUsd: usd,
  otherUsd: usd,
});

const optionBase = {
  id: v.string(),
  npvCostUsd: usd,
  tcoUsd: usd,
  residualUsd: usd,
  lcotUsdPerMillionTokens: usd,
  lcotUsdPerMillionOutputTokens: usd,
  discountedTokens: count,
  discountedInputTokens: count,
  discountedOutputTokens: count,
  inputCostShare: v.nullable(fraction),
  splitLcotUsdPerMillionInputTokens: nullableNumber,
  splitLcotUsdPerMillionOutputTokens: nullableNumber,
  costSplitBasis: v.string(),
  yearly: v.array(YearSummarySchema),
};

export const BuildOptionResultSchema = v.strictObject({
  ...optionBase,
  kind: v.literal("build"),
  effectiveUsdPerGpuHour: usd,
  tokensPerKwh: usd,
  gramsCo2PerMillionTokens: usd,
  outputTokensPerSecondPerMw: usd,
  powerCapExceededMonths: v.array(wholeCount),
  gpuHourCostSplitUsd: GpuHourCostSplitSchema,
  monthly: v.array(BuildMonthSchema),
});

export const LeaseOptionResultSchema = v.strictObject({
  ...optionBase,
  kind: v.literal("lease"),
  effectiveUsdPerGpuHour: usd,
  tokensPerKwh: v.null(),
  gramsCo2PerMillionTokens: v.null(),
  outputTokensPerSecondPerMw: v.null(),
  monthly: v.array(LeaseMonthSchema),
});

export const ApiOptionResultSchema = v.strictObject({
  ...optionBase,
  kind: v.literal("api"),
  effectiveUsdPerGpuHour: v.null(),
  tokensPerKwh: v.null(),
  gramsCo2PerMillionTokens: v.null(),
  outputTokensPerSecondPerMw: v.null(),
  monthly: v.array(ApiMonthSchema),
});

export const OptionResultSchema = v.variant("kind", [
  BuildOptionResultSchema,
  LeaseOptionResultSchema,
  ApiOptionResultSchema,
]);

export const ComparisonSchema = v.strictObject({
  baselineOptionId: v.string(),
  optionId: v.string(),
  paybackMonths: v.nullable(v.pipe(v.number(), v.integer(), v.minValue(1))),
  npvSavingsUsd: usd,
  irrPerYear: nullableNumber,
});

/** The result of `evaluate` on the wire. */
export const EvaluateResultSchema = v.strictObject({
  kernelVersion: v.string(),
  scenarioName: v.string(),
  startMonth: v.string(),
  horizonMonths: wholeCount,
  hoursPerMonth: usd,
  options: v.array(OptionResultSchema),
  comparisons: v.array(ComparisonSchema),
  warnings: v.array(IssueSchema),
});

export type EvaluateResultWire = v.InferOutput<typeof EvaluateResultSchema>;

// The schema and the kernel's type must describe the same shape: both directions compile.
const kernelToWire = (result: EvaluateResult): EvaluateResultWire => result;
const wireToKernel = (result: EvaluateResultWire): EvaluateResult => result;
void kernelToWire;
void wireToKernel;
