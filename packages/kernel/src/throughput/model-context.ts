/**
 * The performance model's side of `throughputAt`: the calibrated context of an accelerator ×
 * model, its curve at given lengths, times to first token, and the physical-limit message.
 */
import type { AcceleratorSpec, ModelArchitecture, ThroughputPoint } from "../reference-data.ts";
import {
  acceleratorFactor,
  architectureFor,
  architectureKey,
  releasePrecision,
  stackTerms,
  MLPERF_INPUT_TOKENS,
  MLPERF_OUTPUT_TOKENS,
  type PerfCalibration,
} from "./calibrate.ts";
import { planningStack, stackCurvePoint, type StackTerms } from "./stack.ts";
import {
  chipFigures,
  curvePoint,
  servingFamilies,
  timeToFirstTokenMs,
  ttftOverheadScale,
  type ChipFigures,
  type CurvePoint,
  type WorkloadCost,
  type CostFamily,
} from "./perf-model.ts";
import { precisionFamily, type LengthMatch, type PrecisionFamily } from "./series.ts";
import type { ThroughputData } from "./throughput-types.ts";
import { formatRate } from "./measured-reading.ts";

/** Default precision family for an estimate without one: see `throughputAt`. */
export function defaultFamily(
  spec: AcceleratorSpec,
  model: string,
  points: readonly ThroughputPoint[],
): PrecisionFamily {
  const measured = new Set(points.filter((p) => p.model === model).map((p) => precisionFamily(p.precision)));
  if (spec.fp4DenseTflops !== null && measured.has("fp4")) return "fp4";
  if (spec.fp8DenseTflops !== null && measured.has("fp8")) return "fp8";
  if (spec.fp8DenseTflops !== null && !measured.has("fp16")) return "fp8";
  return "fp16";
}

/** Everything the performance model needs for one accelerator × model × precision. */
export interface ModelContext {
  chip: ChipFigures;
  architecture: ModelArchitecture;
  architectureFromRow: boolean;
  calibration: PerfCalibration;
  /** The accelerator's fitted (or borrowed) ln factor: applies to prefill as to decode. */
  acceleratorLn: number;
  /** Precision the weights are held in (`servingFamilies`): the serving precision, or 4-bit on a chip without FP4. */
  costFamily: CostFamily;
}

export function modelContext(
  data: ThroughputData,
  spec: AcceleratorSpec | null,
  model: string,
  family: PrecisionFamily | null,
  calibration: () => PerfCalibration,
): ModelContext | null {
  if (spec === null || family === null) return null;
  const families = servingFamilies(spec, family, releasePrecision(data, model));
  const chip = chipFigures(spec, families.chip);
  const resolved = architectureFor(data, model);
  if (chip === null || resolved === null) return null;
  const full = calibration();
  // Planning answers assume the vendor's usual maximum-throughput stack (TensorRT-LLM on NVIDIA,
  // vLLM on AMD): its fitted per-layer step latency and per-token overhead.
  const planning = stackTerms(full, planningStack(spec.vendor, spec.key), false);
  const fitted: PerfCalibration = {
    ...full,
    params: {
      ...full.params,
      layerStepLatencyUs: planning.layerStepLatencyUs,
      perTokenOverheadUs: planning.perTokenOverheadUs ?? full.params.perTokenOverheadUs,
    },
  };
  return {
    chip,
    architecture: resolved.architecture,
    architectureFromRow: resolved.fromRow,
    calibration: fitted,
    costFamily: families.cost,
    acceleratorLn: acceleratorFactor(fitted, spec).ln,
  };
}

/** The fixed time-to-first-token overhead this model pays, ms (`ttftOverheadScale`). */
export function ttftOverheadFor(context: ModelContext): number {
  const calibration = context.calibration;
  return calibration.ttftOverheadMs * ttftOverheadScale(context.architecture, calibration.ttftOverheadScaleRange);
}

/** Time to first token on `n` GPUs with an idle queue: fixed overhead + the prompt's prefill. */
export function ttftMs(context: ModelContext, cost: WorkloadCost, n: number): number {
  return (
    ttftOverheadFor(context) +
    (context.calibration.ttftPrefillScale ?? 1) *
      timeToFirstTokenMs(context.chip, cost, context.calibration.params, n) *
      Math.exp(-context.acceleratorLn)
  );
}

/** Lengths the physics uses for a measured series: nominal, else the MLPerf dataset's fitted lengths. */
export function seriesLengths(
  match: LengthMatch,
  model: string,
  calibration: PerfCalibration,
): { input: number; output: number } {
  if (match.measuredInputTokens !== null && match.measuredOutputTokens !== null)
    return { input: match.measuredInputTokens, output: match.measuredOutputTokens };
  const fitted = calibration.benchmarkLengths[architectureKey(model)];
  if (fitted) return fitted;
  const output = MLPERF_OUTPUT_TOKENS[architectureKey(model)] ?? 256;
  return { input: MLPERF_INPUT_TOKENS[architectureKey(model)] ?? output, output };
}

/** Group sizes whose idle-queue time to first token meets the target (all, without a target). */
export function ttftGroups(context: ModelContext, cost: WorkloadCost, ttftTargetMs: number | null): number[] {
  if (ttftTargetMs === null) return context.chip.groups;
  return context.chip.groups.filter((n) => ttftMs(context, cost, n) <= ttftTargetMs);
}

export function modelCurve(
  context: ModelContext,
  cost: WorkloadCost,
  interactivity: number,
  groups: number[],
  terms: StackTerms | null = null,
): CurvePoint | null {
  if (groups.length === 0) return null;
  if (terms !== null)
    return stackCurvePoint({ ...context.chip, groups }, cost, context.calibration.params, interactivity, terms);
  return curvePoint({ ...context.chip, groups }, cost, context.calibration.params, interactivity);
}

export function limitMessage(limit: { interactivity: number; groupSize: number } | null): string {
  return limit === null
    ? "the weights fit on no parallel group of this accelerator"
    : `the physical limit is ${formatRate(limit.interactivity)} tok/s/user (one user on ${limit.groupSize} GPU${limit.groupSize > 1 ? "s" : ""} streaming the active weights and KV cache at full HBM bandwidth)`;
}
