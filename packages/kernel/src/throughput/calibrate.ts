/**
 * Calibration of the physical performance model (`perf-model.ts`) on measured throughput.
 *
 * Model, in log space, for every frontier point i of accelerator a, model m, source s:
 *
 *   ln T_i = ln T_phys(a, m, lengths_i, u_i; θ) + r_a + r_m + r_s + ε_i
 *
 * - θ: six global efficiencies / overheads (`PerfParams`) plus any MLPerf dataset length not
 *   published (`MLPERF_INPUT_TOKENS`, `MLPERF_OUTPUT_TOKENS`: today only Llama 3.1 8B's mean
 *   output), fitted by Nelder–Mead on the weighted squared residuals;
 * - r_a, r_m, r_s: how much better or worse an accelerator (software maturity), a model and a
 *   benchmark source (MLPerf / TensorRT-LLM / InferenceX) run than the physics says, fitted by
 *   backfitting with a ridge of {@link RIDGE_PSEUDO_OBSERVATIONS} pseudo-observations at 0.
 *
 * Each series (accelerator × model × lengths × precision × source) weighs about the same
 * whatever its number of points (weights 1/√n). Deterministic: same data, same fit.
 */
import type { AcceleratorSpec, ModelArchitecture } from "../reference-data.ts";
import { DEFAULT_PERF_PARAMS, ttftOverheadScale, type PerfParams } from "./perf-model.ts";
import { median } from "./roofline.ts";
import { SERVING_STACKS } from "./stack.ts";
import type { ThroughputData } from "./throughput-at.ts";
import {
  MLPERF_OUTPUT_TOKENS,
  MLPERF_INPUT_TOKENS,
  PRIOR_WEIGHT,
  GLOBAL_COUNT,
  type SourceLevel,
  type Exclusion,
  MODEL_FEATURES,
  modelFeatures,
  type PerfCalibration,
} from "./calibration-keys.ts";
import { ttftObservations, prefillMs, observations, type TtftObservation } from "./observations.ts";
import { type Layout, unpack, physicsResidual, fitEffects, nelderMead, vectorOf } from "./calibration-fit.ts";

// The calibration's keys, types and observations live in their own modules; re-exported so
// importers keep one entry point.
export {
  RIDGE_PSEUDO_OBSERVATIONS,
  MLPERF_OUTPUT_TOKENS,
  MLPERF_INPUT_TOKENS,
  FEATURE_RIDGE,
  PRIOR_WEIGHT,
  sourceKind,
  architectureKey,
  architectureFor,
  releasePrecision,
  modelClass,
  MODEL_FEATURES,
  modelFeatures,
  architectureSignature,
  stackTerms,
} from "./calibration-keys.ts";
export type { SourceKind, SourceLevel, Exclusion, Observation, PerfCalibration } from "./calibration-keys.ts";
export { TTFT_MAX_CONCURRENCY, ttftObservations, prefillMs, observations } from "./observations.ts";
export type { TtftObservation } from "./observations.ts";

/** Fits the calibration on `data`, optionally leaving out one model, a set of models or one accelerator entirely. */
export function calibratePerformance(
  data: ThroughputData,
  exclude: Exclusion | null = null,
  warmStart: PerfCalibration | null = null,
): PerfCalibration {
  const obs = observations(data, exclude);
  const benchmarks = [...new Set(obs.flatMap((o) => (o.benchmark ? [o.benchmark] : [])))].sort();
  const layout: Layout = {
    benchmarks,
    outputFitted: benchmarks.filter((b) => MLPERF_OUTPUT_TOKENS[b] == null),
    stacks: SERVING_STACKS.filter((stack) => obs.some((o) => o.stack === stack)),
    mtp: obs.some((o) => o.mtp),
    datasets: [...new Set(obs.flatMap((o) => (o.dataset ? [o.dataset.name] : [])))].sort(),
  };
  const start = [
    Math.log(DEFAULT_PERF_PARAMS.bandwidthEfficiency),
    Math.log(DEFAULT_PERF_PARAMS.computeEfficiency),
    Math.log(DEFAULT_PERF_PARAMS.prefillEfficiency),
    Math.log(DEFAULT_PERF_PARAMS.stepOverheadMs),
    Math.log(DEFAULT_PERF_PARAMS.collectiveLatencyUs),
    Math.log(DEFAULT_PERF_PARAMS.perTokenOverheadUs),
  ];
  for (const b of benchmarks) {
    if (MLPERF_INPUT_TOKENS[b] == null) start.push(Math.log(MLPERF_OUTPUT_TOKENS[b] ?? 256));
    if (MLPERF_OUTPUT_TOKENS[b] == null) start.push(Math.log(256));
  }
  for (let i = 0; i < layout.stacks.length; i++)
    start.push(Math.log(10), Math.log(DEFAULT_PERF_PARAMS.perTokenOverheadUs));
  if (layout.mtp) start.push(Math.log(1.5));
  for (let i = 0; i < layout.datasets.length; i++) start.push(Math.log(512));
  // A weak prior keeps each global near its typical published value (DEFAULT_PERF_PARAMS) when
  // the data cannot tell it apart from the accelerator and model factors.
  const priorWeight = PRIOR_WEIGHT * obs.reduce((sum, o) => sum + o.weight, 0);
  const objective = (x: number[]) => {
    const { params, lengths, stacks, datasetInputs } = unpack(x, layout);
    const residuals = obs.map((o) => physicsResidual(o, params, lengths, stacks, datasetInputs));
    let prior = 0;
    for (let i = 0; i < GLOBAL_COUNT; i++) prior += (x[i]! - start[i]!) ** 2;
    return fitEffects(obs, residuals).sse + priorWeight * prior;
  };
  // A refit that leaves a little out starts from the full fit and takes smaller, fewer steps.
  const initial = warmStart ? vectorOf(warmStart, layout, start) : start;
  const best =
    obs.length === 0
      ? start
      : nelderMead(objective, initial, warmStart ? 0.15 : 0.4, (warmStart ? 10 : 25) * start.length);
  const unpacked = unpack(best, layout);
  const { lengths, stacks, datasetInputs } = unpacked;
  // The params' own per-layer latency is TensorRT-LLM's: the planning default (`planningStack`).
  const params: PerfParams = {
    ...unpacked.params,
    layerStepLatencyUs: stacks.layerLatencyUs.trtllm ?? 0,
    perTokenOverheadUs: stacks.perTokenUs.trtllm ?? unpacked.params.perTokenOverheadUs,
  };
  const residuals = obs.map((o) => physicsResidual(o, params, lengths, stacks, datasetInputs));
  const { effects, sse } = fitEffects(obs, residuals);
  const totalWeight = obs.reduce((s, o) => s + o.weight, 0);
  const record = (map: Map<string, number>) =>
    Object.fromEntries([...map.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
  const sourceEffects = {
    mlperf: 0,
    trtllm: 0,
    inferencex: 0,
    "inferencex-disagg": 0,
    mlenergy: 0,
    ...record(effects.source),
  } as Record<SourceLevel, number>;
  const acceleratorEffects = record(effects.accelerator);
  const ttft = ttftObservations(data, exclude);
  const ttftFit = fitTtft(ttft, params, acceleratorEffects);
  return {
    params,
    benchmarkLengths: lengths,
    acceleratorEffects,
    ttftOverheadMs: ttftFit.overheadMs,
    ttftPrefillScale: ttftFit.prefillScale,
    ttftOverheadScaleRange:
      ttft.length > 0
        ? {
            min: Math.min(...ttft.map((o) => ttftOverheadScale(o.architecture))),
            max: Math.max(...ttft.map((o) => ttftOverheadScale(o.architecture))),
          }
        : null,
    ttftObservationCount: ttft.length,
    featureCoefficients: Object.fromEntries(MODEL_FEATURES.map((name, i) => [name, effects.coefficients[i]!])),
    modelEffects: record(effects.model),
    sourceEffects,
    datasetInputTokens: datasetInputs,
    acceleratorArchitecture: Object.fromEntries(obs.map((o) => [o.accelerator, o.architectureFamily])),
    observationCount: obs.length,
    rmsResidualLn: totalWeight > 0 ? Math.sqrt(sse / totalWeight) : 0,
    excluded: exclude,
    stackLayerLatencyUs: stacks.layerLatencyUs,
    stackPerTokenUs: stacks.perTokenUs,
    mtpTokensPerStep: stacks.mtpTokensPerStep,
  };
}

/**
 * The time-to-first-token law on measured TTFTs: `TTFT = overhead · ttftOverheadScale(model) +
 * prefillScale · prefill(model)`, both fitted by least absolute log error (a median-like fit:
 * a few queued runs do not pull it). The throughput fit sets the prefill's pace only through
 * its share of GPU time in long runs; one prompt on an idle queue runs at its own pace, which
 * the TTFTs at two prompt lengths (1k, 8k) tell apart from the fixed overhead. Without TTFTs:
 * overhead 0, scale 1.
 */
export function fitTtft(
  ttft: readonly TtftObservation[],
  params: PerfParams,
  acceleratorEffects: Record<string, number>,
): { overheadMs: number; prefillScale: number } {
  if (ttft.length === 0) return { overheadMs: 0, prefillScale: 1 };
  const rows = ttft.map((o) => ({
    // Quoted at the reference size; each model pays it scaled by layers × width (`ttftOverheadScale`).
    scale: ttftOverheadScale(o.architecture),
    prefill: prefillMs(o, params, acceleratorEffects[o.accelerator] ?? 0),
    lnMeasured: Math.log(o.measuredMs),
  }));
  // Start: scale 1 and the median overhead left after the prefill (the law before the fit).
  const startOverhead = Math.max(1, median(rows.map((r) => (Math.exp(r.lnMeasured) - r.prefill) / r.scale)));
  const loss = (x: number[]) =>
    rows.reduce(
      (sum, r) => sum + Math.abs(Math.log(Math.exp(x[0]!) * r.scale + Math.exp(x[1]!) * r.prefill) - r.lnMeasured),
      0,
    );
  const [lnOverhead, lnScale] = nelderMead(loss, [Math.log(startOverhead), 0], 0.3, 400);
  return { overheadMs: Math.exp(lnOverhead!), prefillScale: Math.exp(lnScale!) };
}

/**
 * The accelerator factor for a prediction: its own fitted effect; else the mean over fitted
 * accelerators of the same datasheet architecture (a sibling chip: B300 from B200/GB200), named
 * in `basis`; else none (datasheet only).
 */
export function acceleratorFactor(
  calibration: PerfCalibration,
  spec: AcceleratorSpec,
): { ln: number; basis: "fitted" | "architecture" | "datasheet"; siblings: string[] } {
  const own = calibration.acceleratorEffects[spec.key];
  if (own !== undefined) return { ln: own, basis: "fitted", siblings: [] };
  const siblings = Object.keys(calibration.acceleratorEffects).filter(
    (key) => calibration.acceleratorArchitecture[key] === spec.architecture,
  );
  if (siblings.length === 0) return { ln: 0, basis: "datasheet", siblings };
  const mean = siblings.reduce((s, key) => s + calibration.acceleratorEffects[key]!, 0) / siblings.length;
  return { ln: mean, basis: "architecture", siblings };
}

/** Source level a planning answer uses: the mean of the maximum-throughput benchmarks (MLPerf, TensorRT-LLM). */
export function planningSourceLn(calibration: PerfCalibration): number {
  return (calibration.sourceEffects.mlperf + calibration.sourceEffects.trtllm) / 2;
}

/** The model factor's shared part for an architecture: Σ coefficient × feature (ln). */
export function featureLn(calibration: PerfCalibration, architecture: ModelArchitecture): number {
  const features = modelFeatures(architecture);
  return MODEL_FEATURES.reduce((sum, name, i) => sum + (calibration.featureCoefficients[name] ?? 0) * features[i]!, 0);
}
