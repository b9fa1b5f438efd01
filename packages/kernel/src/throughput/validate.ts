/**
 * Held-out accuracy of the performance model (`npm run throughput:validate`):
 *
 * - leave-one-model-out (LOMO): refit without any point of model m, predict every point of m
 *   from its architecture, the accelerators' fitted factors and its architecture class's factor;
 * - leave-one-accelerator-out (LOAO): refit without any point of accelerator a, predict every
 *   point of a from its datasheet (and its sibling chips' factor when the same architecture is
 *   measured) and the models' fitted factors;
 * - extrapolation: for every series measured at two or more interactivities, hide its fastest
 *   point and extrapolate to it from the next one along the model's curve, as `throughputAt`
 *   answers a target beyond the last measured point;
 * - prefill: predicted time to first token against InferenceX runs at low concurrency (little
 *   queueing), each accelerator's predicted by the refit without it (the fixed TTFT overhead and
 *   the accelerator factor come from the others).
 *
 * Errors are `(predicted − measured) / measured`. Deterministic.
 */
import {
  acceleratorFactor,
  featureLn,
  calibratePerformance,
  observations,
  prefillMs,
  ttftObservations,
  MLPERF_INPUT_TOKENS,
  MLPERF_OUTPUT_TOKENS,
  type Observation,
  stackTerms,
  type PerfCalibration,
} from "./calibrate.ts";
import { ttftOverheadScale, workloadCost } from "./perf-model.ts";
import { stackCurvePoint } from "./stack.ts";
import { datasetLengths } from "./calibration-fit.ts";
import { median } from "./roofline.ts";
import type { ThroughputData } from "./throughput-at.ts";

/** Tolerance an extrapolation must land within to count as a hit. */
export const EXTRAPOLATION_TOLERANCE = 0.25;

/** The lengths an observation's physics uses under a calibration (MLPerf: the fitted dataset lengths; never fitted: ISL = OSL). */
export function observationLengths(o: Observation, calibration: PerfCalibration): { input: number; output: number } {
  if (o.lengths) return o.lengths;
  const dataset = datasetLengths(o, calibration.datasetInputTokens);
  if (dataset) return dataset;
  const fitted = o.benchmark ? calibration.benchmarkLengths[o.benchmark] : undefined;
  if (fitted) return fitted;
  const output = (o.benchmark ? MLPERF_OUTPUT_TOKENS[o.benchmark] : null) ?? 256;
  return { input: (o.benchmark ? MLPERF_INPUT_TOKENS[o.benchmark] : null) ?? output, output };
}

/** Physics × fitted factors for an observation; `hide` says which factor is unknown (held out). */
export function predictObservation(
  o: Observation,
  calibration: PerfCalibration,
  hide: "model" | "accelerator" | null,
): number | null {
  const lengths = observationLengths(o, calibration);
  const cost = workloadCost(o.architecture, o.family, lengths.input, lengths.output);
  const point = stackCurvePoint(
    o.chip,
    cost,
    calibration.params,
    o.interactivity,
    stackTerms(calibration, o.stack, o.mtp, o.disaggregated, o.concurrencyPerGpu),
  );
  if (point === null) return null;
  const accelerator =
    hide === "accelerator"
      ? acceleratorFactor(calibration, {
          key: o.accelerator,
          architecture: o.architectureFamily,
        } as Parameters<typeof acceleratorFactor>[1]).ln
      : (calibration.acceleratorEffects[o.accelerator] ?? 0);
  // A held-out model keeps the factor of a measured twin architecture, if it has one.
  const model = calibration.modelEffects[o.signature] ?? 0;
  void hide;
  const cls = featureLn(calibration, o.architecture);
  const source = calibration.sourceEffects[o.level] ?? 0;
  return point.outputTokensPerSecondPerGpu * Math.exp(accelerator + model + cls + source);
}

export interface ValidationCase {
  /**
   * lomo: one model held out; loarch: every model of its architecture; loao: one accelerator;
   * full: nothing held out (the fit on every point predicts each of them with its own factors).
   */
  kind: "lomo" | "loarch" | "loao" | "full";
  accelerator: string;
  model: string;
  source: string;
  pointId: string;
  interactivity: number;
  measured: number;
  predicted: number | null;
  relativeError: number | null;
}

export interface ErrorStats {
  count: number;
  median: number | null;
  worst: number | null;
}

export function stats(cases: readonly { relativeError: number | null }[]): ErrorStats {
  const errors = cases.flatMap((c) => (c.relativeError === null ? [] : [Math.abs(c.relativeError)]));
  if (errors.length === 0) return { count: 0, median: null, worst: null };
  return { count: errors.length, median: median(errors), worst: Math.max(...errors) };
}

export interface ExtrapolationCase {
  accelerator: string;
  model: string;
  source: string;
  fromInteractivity: number;
  toInteractivity: number;
  measured: number;
  predicted: number;
  relativeError: number;
}

export interface PrefillCase {
  accelerator: string;
  model: string;
  pointId: string;
  inputTokens: number;
  gpus: number;
  measuredTtftMs: number;
  predictedTtftMs: number;
  relativeError: number;
}

export interface ValidationReport {
  full: PerfCalibration;
  /**
   * Every point predicted by the fit on all points, its own model, accelerator and source
   * factors included: the error the model's form leaves with nothing held out. A held-out error
   * rarely falls below it, so a target under it needs a different model, not a refit.
   */
  inSample: ValidationCase[];
  lomo: ValidationCase[];
  /**
   * Leave-one-architecture-out: like `lomo`, but every model sharing the held-out model's
   * architecture signature is left out with it (DeepSeek-R1 with DeepSeek-R1-0528, Llama 2 70B
   * with Llama 3.3 70B), so no measured twin lends its factor. Models alone in their
   * architecture give the same cases as `lomo`.
   */
  loarch: ValidationCase[];
  loao: ValidationCase[];
  extrapolation: ExtrapolationCase[];
  prefill: PrefillCase[];
}

function validationCase(kind: ValidationCase["kind"], o: Observation, predicted: number | null): ValidationCase {
  const measured = Math.exp(o.lnMeasured);
  return {
    kind,
    accelerator: o.accelerator,
    model: o.model,
    source: o.source,
    pointId: o.point.id,
    interactivity: o.interactivity,
    measured,
    predicted,
    relativeError: predicted === null ? null : (predicted - measured) / measured,
  };
}

function heldOut(
  kind: "lomo" | "loarch" | "loao",
  data: ThroughputData,
  all: readonly Observation[],
  key: string,
  full: PerfCalibration,
  twins: readonly string[] = [key],
): { cases: ValidationCase[]; calibration: PerfCalibration } {
  const exclusion = kind === "loao" ? { accelerator: key } : twins.length > 1 ? { models: twins } : { model: key };
  const refit = calibratePerformance(data, exclusion, full);
  // MLPerf dataset lengths describe the benchmark's dataset, not the model: a model held out
  // keeps them (a planner always knows its own request lengths).
  const calibration: PerfCalibration = {
    ...refit,
    benchmarkLengths: { ...full.benchmarkLengths, ...refit.benchmarkLengths },
    datasetInputTokens: { ...full.datasetInputTokens, ...refit.datasetInputTokens },
  };
  const cases = all
    .filter((o) => (kind === "loao" ? o.accelerator === key : twins.includes(o.model)))
    .map((o) => validationCase(kind, o, predictObservation(o, calibration, kind === "loao" ? "accelerator" : "model")));
  return { cases, calibration };
}

/**
 * Runs every check. Cost: one full fit and one refit per measured model, per architecture
 * shared by several models, and per accelerator.
 */
export function validatePerformanceModel(data: ThroughputData): ValidationReport {
  const full = calibratePerformance(data);
  const all = observations(data);
  const inSample = all.map((o) => validationCase("full", o, predictObservation(o, full, null)));
  const models = [...new Set(all.map((o) => o.model))].sort();
  const accelerators = [...new Set(all.map((o) => o.accelerator))].sort();
  const lomo = models.flatMap((m) => heldOut("lomo", data, all, m, full).cases);
  // Models grouped by architecture signature; a group of several is held out together.
  const bySignature = new Map<string, string[]>();
  for (const m of models) {
    const signature = all.find((o) => o.model === m)!.signature;
    bySignature.set(signature, [...(bySignature.get(signature) ?? []), m]);
  }
  const loarch = [...bySignature.keys()].sort().flatMap((signature) => {
    const twins = bySignature.get(signature)!;
    if (twins.length === 1)
      return lomo.filter((c) => c.model === twins[0]).map((c) => ({ ...c, kind: "loarch" as const }));
    return heldOut("loarch", data, all, twins[0]!, full, twins).cases;
  });
  const loaoCalibrations = new Map<string, PerfCalibration>();
  const loao = accelerators.flatMap((a) => {
    const run = heldOut("loao", data, all, a, full);
    loaoCalibrations.set(a, run.calibration);
    return run.cases;
  });

  // Extrapolation: the series' fastest point from the next one, along the full-fit curve.
  const extrapolation: ExtrapolationCase[] = [];
  const series = new Map<string, Observation[]>();
  for (const o of all) {
    if (o.interactivity <= 0) continue;
    const lengths = o.lengths ? `${o.lengths.input}/${o.lengths.output}` : (o.dataset?.name ?? "benchmark");
    const key = `${o.accelerator}|${o.model}|${lengths}|${o.family}|${o.source}`;
    series.set(key, [...(series.get(key) ?? []), o]);
  }
  for (const key of [...series.keys()].sort()) {
    const points = series.get(key)!.sort((a, b) => a.interactivity - b.interactivity);
    if (points.length < 2) continue;
    const target = points[points.length - 1]!;
    const anchor = points[points.length - 2]!;
    const lengths = observationLengths(anchor, full);
    const cost = workloadCost(anchor.architecture, anchor.family, lengths.input, lengths.output);
    // Along the anchor's own stack (as `throughputAt` extrapolates from its anchor point).
    const terms = stackTerms(full, anchor.stack, anchor.mtp, anchor.disaggregated);
    const atAnchor = stackCurvePoint(anchor.chip, cost, full.params, anchor.interactivity, terms);
    const atTarget = stackCurvePoint(anchor.chip, cost, full.params, target.interactivity, terms);
    if (atAnchor === null || atTarget === null) continue;
    const predicted =
      Math.exp(anchor.lnMeasured) * (atTarget.outputTokensPerSecondPerGpu / atAnchor.outputTokensPerSecondPerGpu);
    const measured = Math.exp(target.lnMeasured);
    extrapolation.push({
      accelerator: target.accelerator,
      model: target.model,
      source: target.source,
      fromInteractivity: anchor.interactivity,
      toInteractivity: target.interactivity,
      measured,
      predicted,
      relativeError: (predicted - measured) / measured,
    });
  }

  // Prefill: measured time to first token at low concurrency, each accelerator held out (its
  // factor and the fixed overhead come from the other accelerators).
  const prefill: PrefillCase[] = [];
  for (const accelerator of [...new Set(ttftObservations(data).map((o) => o.accelerator))].sort()) {
    const calibration = loaoCalibrations.get(accelerator) ?? calibratePerformance(data, { accelerator }, full);
    for (const o of ttftObservations(data).filter((t) => t.accelerator === accelerator)) {
      const factor = acceleratorFactor(calibration, {
        key: o.accelerator,
        architecture: o.architectureFamily,
      } as Parameters<typeof acceleratorFactor>[1]).ln;
      const predictedTtftMs =
        calibration.ttftOverheadMs * ttftOverheadScale(o.architecture, calibration.ttftOverheadScaleRange) +
        (calibration.ttftPrefillScale ?? 1) * prefillMs(o, calibration.params, factor);
      prefill.push({
        accelerator: o.accelerator,
        model: o.point.model,
        pointId: o.point.id,
        inputTokens: o.inputTokens,
        gpus: o.gpus,
        measuredTtftMs: o.measuredMs,
        predictedTtftMs,
        relativeError: (predictedTtftMs - o.measuredMs) / o.measuredMs,
      });
    }
  }
  return { full, inSample, lomo, loarch, loao, extrapolation, prefill };
}
