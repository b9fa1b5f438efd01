/**
 * Leave-one-out evaluation of the roofline estimate: for every measured accelerator × model
 * pair, hide all its points, refit the calibration on the rest, estimate every point of the
 * pair's frontiers, and compare.
 */
import type { ThroughputPoint } from "../reference-data.ts";
import { calibrateRoofline, estimateFromReferences, median, referenceSeries } from "./roofline.ts";
import { lengthKey, precisionFamily } from "./series.ts";
import type { ThroughputData } from "./throughput-at.ts";

/** One estimated frontier point. */
export interface LeaveOneOutCase {
  accelerator: string;
  model: string;
  pointId: string;
  source: string;
  scenario: ThroughputPoint["scenario"];
  precision: string;
  lengthKey: string;
  interactivity: number;
  measuredOutputTokensPerSecondPerGpu: number;
  /** Null when the estimate was impossible (no reference reaches the interactivity). */
  estimatedOutputTokensPerSecondPerGpu: number | null;
  /** `(estimate − measured) / measured`, null when not estimated. */
  relativeError: number | null;
  crossModel: boolean;
}

/** Summary statistics of absolute relative errors. */
export interface ErrorSummary {
  count: number;
  medianAbsoluteRelativeError: number | null;
  p90AbsoluteRelativeError: number | null;
  /** Median signed error: > 0 means estimates run high. */
  medianRelativeError: number | null;
}

/** The whole evaluation. */
export interface LeaveOneOutReport {
  cases: LeaveOneOutCase[];
  /** Pairs evaluated (accelerator has a datasheet, points with a stated precision). */
  pairCount: number;
  /** Points skipped: accelerator without datasheet or precision not stated. */
  skippedPointCount: number;
  notEstimableCount: number;
  overall: ErrorSummary;
  byScenario: Record<string, ErrorSummary>;
  /** Per pair: the median absolute relative error over its frontier points. */
  byPair: { accelerator: string; model: string; cases: number; medianAbsoluteRelativeError: number }[];
}

/** Quantile by linear interpolation between order statistics (type 7, as R and numpy default). */
export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (position - low);
}

/** Median and P90 of |relative error| (and the signed median) over cases with an estimate. */
export function summariseLeaveOneOutErrors(cases: readonly LeaveOneOutCase[]): ErrorSummary {
  const errors = cases.flatMap((c) => (c.relativeError === null ? [] : [c.relativeError]));
  if (errors.length === 0)
    return { count: 0, medianAbsoluteRelativeError: null, p90AbsoluteRelativeError: null, medianRelativeError: null };
  const absolute = errors.map(Math.abs);
  return {
    count: errors.length,
    medianAbsoluteRelativeError: median(absolute),
    p90AbsoluteRelativeError: quantile(absolute, 0.9),
    medianRelativeError: median(errors),
  };
}

/**
 * Runs the leave-one-out evaluation over every measured pair. Deterministic. Cost: one
 * calibration fit per pair (tens of milliseconds each on the catalog's ~900 points).
 */
export function leaveOneOutEvaluation(data: ThroughputData): LeaveOneOutReport {
  const specs = new Map(data.accelerators.map((a) => [a.key, a]));
  const usable = data.throughputPoints.filter((p) => specs.has(p.accelerator) && precisionFamily(p.precision) !== null);
  const pairs = [...new Set(usable.map((p) => `${p.accelerator}\u0000${p.model}`))].sort();
  const cases: LeaveOneOutCase[] = [];
  for (const pairKey of pairs) {
    const [accelerator, model] = pairKey.split("\u0000") as [string, string];
    const excluded = { accelerator, model };
    const calibration = calibrateRoofline(data.throughputPoints, data.accelerators, data.models, excluded);
    const rest = data.throughputPoints.filter((p) => !(p.accelerator === accelerator && p.model === model));
    const references = referenceSeries(rest, data.accelerators);
    const own = referenceSeries(
      usable.filter((p) => p.accelerator === accelerator && p.model === model),
      data.accelerators,
    );
    for (const series of own) {
      for (const point of series.frontier.points) {
        const [inputText, outputText] = series.lengthKey.split("/");
        const estimate = estimateFromReferences({
          target: specs.get(accelerator)!,
          model,
          inputTokens: Number(inputText) || 1,
          outputTokens: Number(outputText) || 1,
          interactivityTokensPerSecondPerUser: point.interactivityTokensPerSecondPerUser,
          family: series.precision,
          references,
          calibration,
          models: data.models,
          lengthKeyOverride: series.lengthKey,
        });
        const estimated = "reason" in estimate ? null : estimate.outputTokensPerSecondPerGpu;
        cases.push({
          accelerator,
          model,
          pointId: point.point.id,
          source: point.point.source,
          scenario: point.point.scenario,
          precision: series.precision,
          lengthKey: lengthKey(point.point),
          interactivity: point.interactivityTokensPerSecondPerUser,
          measuredOutputTokensPerSecondPerGpu: point.outputTokensPerSecondPerGpu,
          estimatedOutputTokensPerSecondPerGpu: estimated,
          relativeError:
            estimated === null
              ? null
              : (estimated - point.outputTokensPerSecondPerGpu) / point.outputTokensPerSecondPerGpu,
          crossModel: "reason" in estimate ? false : estimate.crossModel,
        });
      }
    }
  }
  const scenarioOf = (c: LeaveOneOutCase) =>
    c.source.startsWith("inferencex") ? "inferencex" : `mlperf-${c.scenario}`;
  const byScenario: Record<string, ErrorSummary> = {};
  for (const scenario of [...new Set(cases.map(scenarioOf))].sort()) {
    byScenario[scenario] = summariseLeaveOneOutErrors(cases.filter((c) => scenarioOf(c) === scenario));
  }
  const byPair = pairs
    .map((pairKey) => {
      const [accelerator, model] = pairKey.split("\u0000") as [string, string];
      const errors = cases
        .filter((c) => c.accelerator === accelerator && c.model === model && c.relativeError !== null)
        .map((c) => Math.abs(c.relativeError!));
      return {
        accelerator,
        model,
        cases: errors.length,
        medianAbsoluteRelativeError: errors.length > 0 ? median(errors) : Number.NaN,
      };
    })
    .filter((p) => p.cases > 0);
  return {
    cases,
    pairCount: pairs.length,
    skippedPointCount: data.throughputPoints.length - usable.length,
    notEstimableCount: cases.filter((c) => c.relativeError === null).length,
    overall: summariseLeaveOneOutErrors(cases),
    byScenario,
    byPair,
  };
}
