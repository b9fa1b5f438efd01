/**
 * Roofline estimate of output tokens/s per GPU where no measurement exists, calibrated on the
 * measured points.
 *
 * Physics: decode is memory-bandwidth bound. Each decode step streams the active weights (and
 * the KV cache) from HBM, so at a fixed batch and precision the output rate per GPU scales with
 * HBM bandwidth: `T ∝ bandwidth / (active parameters × bytes per parameter) × batch`. Across
 * accelerators serving the same model under the same latency target, the model's bytes and the
 * workload cancel, leaving bandwidth and how well each architecture turns it into tokens.
 *
 * Calibrated model, fitted by least squares in log space:
 *
 * `ln T = ln(bandwidthTbps) + μ[model, lengths, v] + a[architecture]
 *          + b[architecture, band, benchmark] + g[precision family]`,  `v = u / bandwidth^β`
 *
 * - `μ` is the workload term (model, benchmark lengths, latency target) learnt from the other
 *   accelerators' frontiers of the same model: the "reference frontier" per TB/s;
 * - `a` is the architecture's efficiency factor (how many tokens per TB/s it achieves relative
 *   to the others), `b` its adjustment per scenario band (offline / server / interactive:
 *   some architectures lose more throughput under tight latency than others), fitted apart for
 *   MLPerf and InferenceX series ({@link bandKey});
 * - `v` compares frontiers at bandwidth-normalised interactivity
 *   ({@link INTERACTIVITY_BANDWIDTH_EXPONENT});
 * - `g` the gain of a precision family over the others (4-bit vs 8-bit vs 16-bit weights).
 *
 * `a`, `b`, `g` carry a ridge penalty (λ = {@link RIDGE_PSEUDO_OBSERVATIONS} pseudo-observations
 * at 0), so a sparsely measured architecture stays near the average. Prefill is compute bound:
 * see {@link prefillRoofline}.
 */
import type { AcceleratorSpec, ModelSpec, ThroughputPoint } from "../reference-data.ts";
import {
  paretoFrontier,
  prepareFrontier,
  readFrontier,
  type FrontierPoint,
  type PreparedFrontier,
} from "./frontier.ts";
import {
  BENCHMARK_LENGTHS,
  lengthKey,
  matchLengths,
  precisionFamily,
  type LengthMatch,
  type PrecisionFamily,
} from "./series.ts";

/** Ridge strength of the architecture, band and precision effects, in pseudo-observations at 0. */
export const RIDGE_PSEUDO_OBSERVATIONS = 2;

/** Maximum grid interactivities per (model, lengths) group used as calibration keys. */
const MAX_GRID_PER_GROUP = 12;

/** Scenario band of an interactivity target (tok/s/user). */
export type ScenarioBand = "offline" | "server" | "interactive";

/**
 * Band of a target: `offline` at 0 (no latency limit), `server` below 20 tok/s/user (MLPerf
 * Server floors are 5–12.5), `interactive` from 20 (MLPerf Interactive 25–67, chat 30–50).
 */
export function scenarioBand(interactivityTokensPerSecondPerUser: number): ScenarioBand {
  if (interactivityTokensPerSecondPerUser <= 0) return "offline";
  return interactivityTokensPerSecondPerUser < 20 ? "server" : "interactive";
}

/** The fitted factors. All effects are natural logs of multiplicative factors. */
export interface RooflineCalibration {
  /** ln factor per accelerator architecture (AcceleratorSpec.architecture). */
  architectureEffects: Record<string, number>;
  /** ln factor per `architecture|band`. */
  architectureBandEffects: Record<string, number>;
  /** ln factor per precision family. */
  precisionEffects: Record<string, number>;
  /**
   * Demonstrated prefill efficiency: median over prefill-heavy InferenceX series of the highest
   * input-token rate seen × 2 × active parameters ÷ dense peak FLOP/s at the series' precision.
   * A lower bound on achievable prefill MFU (those GPUs were also decoding). Null without data.
   */
  prefillEfficiency: number | null;
  /** Number of (series, interactivity) observations fitted. */
  observationCount: number;
  /** Root-mean-square residual of the fit, in ln units. */
  rmsResidualLn: number;
  /** The accelerator × model pair left out of the fit, if any. */
  excludedPair: { accelerator: string; model: string } | null;
}

/** One series usable as a reference: a frontier on an accelerator with a datasheet. */
export interface ReferenceSeries {
  accelerator: AcceleratorSpec;
  model: string;
  lengthKey: string;
  precision: PrecisionFamily;
  frontier: PreparedFrontier;
}

/**
 * Groups points into reference series (accelerator with a spec and bandwidth, model, length key,
 * precision family), skipping points without a known precision or without an accelerator spec.
 */
export function referenceSeries(
  points: readonly ThroughputPoint[],
  accelerators: readonly AcceleratorSpec[],
): ReferenceSeries[] {
  const specs = new Map(accelerators.map((spec) => [spec.key, spec]));
  const groups = new Map<
    string,
    { spec: AcceleratorSpec; model: string; lengths: string; precision: PrecisionFamily; points: ThroughputPoint[] }
  >();
  for (const point of points) {
    const spec = specs.get(point.accelerator);
    const family = precisionFamily(point.precision);
    if (spec === undefined || family === null || !(spec.hbmBandwidthTbps > 0)) continue;
    const lengths = lengthKey(point);
    const key = `${point.accelerator}\u0000${point.model}\u0000${lengths}\u0000${family}`;
    let group = groups.get(key);
    if (group === undefined) {
      group = { spec, model: point.model, lengths, precision: family, points: [] };
      groups.set(key, group);
    }
    group.points.push(point);
  }
  return [...groups.values()]
    .map((group) => ({
      accelerator: group.spec,
      model: group.model,
      lengthKey: group.lengths,
      precision: group.precision,
      frontier: prepareFrontier(paretoFrontier(group.points)),
    }))
    .sort((a, b) =>
      `${a.accelerator.key}|${a.model}|${a.lengthKey}|${a.precision}` <
      `${b.accelerator.key}|${b.model}|${b.lengthKey}|${b.precision}`
        ? -1
        : 1,
    );
}

interface Observation {
  y: number;
  key: string;
  architecture: string;
  architectureBand: string;
  precision: string;
}

/**
 * Exponent β with which interactivity scales with memory bandwidth when comparing accelerators
 * on InferenceX-style frontiers (measured tok/s/user). The same serving configuration on a GPU
 * with r× the bandwidth runs each (bandwidth-bound) decode step faster, so it delivers more
 * tokens/s per user as well as more throughput; but part of a step (kernel launches,
 * collectives, scheduling) does not speed up. Such frontiers are compared at the same normalised
 * interactivity `v = u / bandwidth^β`. β = 0.5 was chosen among {0, 0.5, 1} by the leave-one-out
 * error itself (lowest P90; 0.5 and 1 tie on the median), so the reported error is slightly
 * optimistic for this one choice.
 *
 * MLPerf rows (the `benchmark` length key) are compared at the same interactivity (β = 0): their
 * interactivity is the benchmark's fixed latency limit, the same for every accelerator.
 */
export const INTERACTIVITY_BANDWIDTH_EXPONENT = 0.5;

/**
 * Key of an architecture × band effect. MLPerf bands (fixed p99 latency limits) and InferenceX
 * bands (measured medians, with MTP and disaggregation in play) are fitted apart: an
 * architecture's loss under latency differs between the two benchmarks.
 */
export function bandKey(architecture: string, band: ScenarioBand, seriesLengthKey: string): string {
  return `${architecture}|${band}|${seriesLengthKey === BENCHMARK_LENGTHS ? "mlperf" : "inferencex"}`;
}

function normaliser(spec: AcceleratorSpec, seriesLengthKey: string): number {
  return seriesLengthKey === BENCHMARK_LENGTHS ? 1 : spec.hbmBandwidthTbps ** INTERACTIVITY_BANDWIDTH_EXPONENT;
}

/** Normalised interactivities at which a (model, lengths) group is compared across accelerators. */
function gridFor(series: readonly ReferenceSeries[]): number[] {
  const values = [
    ...new Set(
      series.flatMap((s) =>
        s.frontier.points.map((p) => p.interactivityTokensPerSecondPerUser / normaliser(s.accelerator, s.lengthKey)),
      ),
    ),
  ].sort((a, b) => a - b);
  if (values.length <= MAX_GRID_PER_GROUP) return values;
  // Too many distinct measured interactivities (InferenceX): a log-spaced grid over the positive range.
  const positive = values.filter((v) => v > 0);
  const grid = values.includes(0) ? [0] : [];
  const low = Math.log(positive[0]!);
  const high = Math.log(positive[positive.length - 1]!);
  const steps = MAX_GRID_PER_GROUP - grid.length;
  for (let i = 0; i < steps; i++) grid.push(Math.exp(low + ((high - low) * i) / (steps - 1)));
  return grid;
}

/** Reads a series at interactivity `u` for calibration: only inside its measured range (no clamping, no extrapolation). */
function readInside(series: ReferenceSeries, u: number): number | null {
  const first = series.frontier.points[0]!;
  const last = series.frontier.points[series.frontier.points.length - 1]!;
  if (
    u < first.interactivityTokensPerSecondPerUser * (1 - 1e-9) ||
    u > last.interactivityTokensPerSecondPerUser * (1 + 1e-9)
  ) {
    return null;
  }
  const reading = readFrontier(series.frontier, u);
  return reading.kind === "above-frontier" ? null : reading.outputTokensPerSecondPerGpu;
}

/**
 * Fits the calibration on measured points (optionally leaving out one accelerator × model pair,
 * for the leave-one-out evaluation and `--estimate`). Deterministic: backfitting (Gauss–Seidel on
 * the additive log model) until the largest change is below 1e-12 or 500 sweeps.
 */
export function calibrateRoofline(
  points: readonly ThroughputPoint[],
  accelerators: readonly AcceleratorSpec[],
  models: readonly ModelSpec[],
  excludedPair: { accelerator: string; model: string } | null = null,
): RooflineCalibration {
  const kept = excludedPair
    ? points.filter((p) => !(p.accelerator === excludedPair.accelerator && p.model === excludedPair.model))
    : points;
  const series = referenceSeries(kept, accelerators);
  const observations: Observation[] = [];
  const byGroup = new Map<string, ReferenceSeries[]>();
  for (const s of series) {
    const group = `${s.model}|${s.lengthKey}`;
    byGroup.set(group, [...(byGroup.get(group) ?? []), s]);
  }
  for (const [group, members] of byGroup) {
    // A workload seen on one accelerator only says nothing about relative efficiency.
    if (new Set(members.map((m) => m.accelerator.key)).size < 2) continue;
    for (const v of gridFor(members)) {
      for (const s of members) {
        const u = v * normaliser(s.accelerator, s.lengthKey);
        const value = readInside(s, u);
        if (value === null) continue;
        const band = scenarioBand(u);
        observations.push({
          y: Math.log(value) - Math.log(s.accelerator.hbmBandwidthTbps),
          key: `${group}|${v}`,
          architecture: s.accelerator.architecture,
          architectureBand: bandKey(s.accelerator.architecture, band, s.lengthKey),
          precision: s.precision,
        });
      }
    }
  }
  const workload = new Map<string, number>();
  const architecture = new Map<string, number>();
  const architectureBand = new Map<string, number>();
  const precision = new Map<string, number>();
  const get = (map: Map<string, number>, key: string) => map.get(key) ?? 0;
  const predictExcept = (o: Observation, skip: "w" | "a" | "b" | "g") =>
    (skip === "w" ? 0 : get(workload, o.key)) +
    (skip === "a" ? 0 : get(architecture, o.architecture)) +
    (skip === "b" ? 0 : get(architectureBand, o.architectureBand)) +
    (skip === "g" ? 0 : get(precision, o.precision));
  const update = (
    map: Map<string, number>,
    keyOf: (o: Observation) => string,
    skip: "w" | "a" | "b" | "g",
    ridge: number,
  ) => {
    const sums = new Map<string, { sum: number; count: number }>();
    for (const o of observations) {
      const k = keyOf(o);
      const entry = sums.get(k) ?? { sum: 0, count: 0 };
      entry.sum += o.y - predictExcept(o, skip);
      entry.count += 1;
      sums.set(k, entry);
    }
    let change = 0;
    for (const [k, { sum, count }] of sums) {
      const next = sum / (count + ridge);
      change = Math.max(change, Math.abs(next - get(map, k)));
      map.set(k, next);
    }
    return change;
  };
  for (let sweep = 0; sweep < 500 && observations.length > 0; sweep++) {
    const change = Math.max(
      update(workload, (o) => o.key, "w", 0),
      update(architecture, (o) => o.architecture, "a", RIDGE_PSEUDO_OBSERVATIONS),
      update(architectureBand, (o) => o.architectureBand, "b", RIDGE_PSEUDO_OBSERVATIONS),
      update(precision, (o) => o.precision, "g", RIDGE_PSEUDO_OBSERVATIONS),
    );
    if (change < 1e-12) break;
  }
  let squared = 0;
  for (const o of observations) {
    const fitted =
      get(workload, o.key) +
      get(architecture, o.architecture) +
      get(architectureBand, o.architectureBand) +
      get(precision, o.precision);
    squared += (o.y - fitted) ** 2;
  }
  return {
    architectureEffects: sortedRecord(architecture),
    architectureBandEffects: sortedRecord(architectureBand),
    precisionEffects: sortedRecord(precision),
    prefillEfficiency: calibratePrefillEfficiency(kept, accelerators, models),
    observationCount: observations.length,
    rmsResidualLn: observations.length > 0 ? Math.sqrt(squared / observations.length) : 0,
    excludedPair,
  };
}

function sortedRecord(map: Map<string, number>): Record<string, number> {
  const record: Record<string, number> = {};
  for (const key of [...map.keys()].sort()) record[key] = map.get(key)!;
  return record;
}

/**
 * Dense peak tensor TFLOP/s of an accelerator at a precision family, falling back to the next
 * wider format the datasheet lists (fp4 → fp8 → fp16). Null when none is listed.
 */
export function peakDenseTflops(
  spec: AcceleratorSpec,
  family: PrecisionFamily,
): { tflops: number; family: PrecisionFamily } | null {
  const order: PrecisionFamily[] =
    family === "fp4" ? ["fp4", "fp8", "fp16"] : family === "fp8" ? ["fp8", "fp16"] : ["fp16"];
  for (const f of order) {
    const value = f === "fp4" ? spec.fp4DenseTflops : f === "fp8" ? spec.fp8DenseTflops : spec.fp16DenseTflops;
    if (value !== null && value > 0) return { tflops: value, family: f };
  }
  return null;
}

/** Input tokens per second per GPU demonstrated at a point (input + output minus output), or null. */
export function demonstratedInputRate(point: ThroughputPoint): number | null {
  if (point.totalTokensPerSecondPerGpu === null) return null;
  const input = point.totalTokensPerSecondPerGpu - point.outputTokensPerSecondPerGpu;
  return input > 0 ? input : null;
}

/**
 * Prefill efficiency demonstrated by the data: for each InferenceX series whose nominal input is
 * at least 4× its output (prefill-heavy), the highest `inputRate × 2 × activeParameters / peak
 * dense FLOP/s`; the median over series. A lower bound on prefill MFU. Null when no series fits.
 */
function calibratePrefillEfficiency(
  points: readonly ThroughputPoint[],
  accelerators: readonly AcceleratorSpec[],
  models: readonly ModelSpec[],
): number | null {
  const specs = new Map(accelerators.map((s) => [s.key, s]));
  const bestBySeries = new Map<string, number>();
  for (const point of points) {
    const input = demonstratedInputRate(point);
    const spec = specs.get(point.accelerator);
    const family = precisionFamily(point.precision);
    const model = findModelSpec(models, point.model);
    if (input === null || spec === undefined || family === null || model === null) continue;
    if (point.inputTokens === null || point.outputTokens === null || point.inputTokens < 4 * point.outputTokens)
      continue;
    const peak = peakDenseTflops(spec, family);
    if (peak === null) continue;
    const efficiency = (input * 2 * model.activeParametersB * 1e9) / (peak.tflops * 1e12);
    const key = `${point.accelerator}|${point.model}|${family}|${lengthKey(point)}`;
    bestBySeries.set(key, Math.max(bestBySeries.get(key) ?? 0, efficiency));
  }
  const values = [...bestBySeries.values()].sort((a, b) => a - b);
  if (values.length === 0) return null;
  return median(values);
}

/** Median of a non-empty list (average of the middle two for even length). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * The model spec for a throughput model key: exact key, else the key without an MLPerf accuracy
 * suffix (`llama2-70b-99` → `llama2-70b`), else a spec whose key is a prefix before `-`.
 */
export function findModelSpec(models: readonly ModelSpec[], modelKey: string): ModelSpec | null {
  const exact = models.find((m) => m.key === modelKey);
  if (exact) return exact;
  const stripped = modelKey.replace(/-99(\.9)?$/, "");
  return models.find((m) => m.key === stripped) ?? null;
}

/**
 * Compute-bound prefill rate: `efficiency × peak dense FLOP/s / (2 × active parameters)` input
 * tokens/s per GPU (2 FLOPs per parameter per token; attention's quadratic term is ignored, so
 * long prompts are overestimated). Source of `efficiency`: {@link RooflineCalibration.prefillEfficiency}.
 */
export function prefillRoofline(
  spec: AcceleratorSpec,
  model: ModelSpec,
  family: PrecisionFamily,
  efficiency: number,
): { inputTokensPerSecondPerGpu: number; peakFamily: PrecisionFamily } | null {
  const peak = peakDenseTflops(spec, family);
  if (peak === null || !(model.activeParametersB > 0)) return null;
  return {
    inputTokensPerSecondPerGpu: (efficiency * peak.tflops * 1e12) / (2 * model.activeParametersB * 1e9),
    peakFamily: peak.family,
  };
}

/** What the estimator used. */
export interface RooflineEstimate {
  outputTokensPerSecondPerGpu: number;
  /** The length series of the references and how it matched the request. */
  lengths: LengthMatch;
  /** Frontier points of the references that the estimate reads (bracketing points). */
  referencePoints: FrontierPoint[];
  /** Distinct accelerators the estimate averages over. */
  referenceAccelerators: string[];
  /** Whether references were of other models (scaled by active parameters). */
  crossModel: boolean;
  /** Factors applied for the target, as multiplicative factors (not logs). */
  factors: { architecture: number; architectureBand: number; precision: number; architectureKnown: boolean };
  band: ScenarioBand;
}

/** The estimator could not produce a figure; `reason` says why in words. */
export interface RooflineFailure {
  reason: string;
  /** True when references exist but none reaches the target interactivity. */
  unreachable: boolean;
}

/**
 * Estimates output tokens/s per GPU for `target` on model `model` at `interactivity` (0 = batch
 * end) and precision `family`, from reference series (which must not contain the pair when a
 * leave-one-out estimate is wanted):
 *
 * `ln T̂ = ln(bandwidth_target) + a_target + b_target,band + g_family + μ̂`, with
 * `μ̂ = mean over reference accelerators of mean over their series of
 *  (ln F_r(u) − ln bandwidth_r − a_r − b_r,band − g_r)`, where `F_r(u)` is the reference frontier
 * read at `u` (clamped below its lowest point; a reference that does not reach `u` is skipped).
 *
 * With no reference of the same model, every other measured model is used and shifted by
 * `ln(activeParameters_ref / activeParameters_target)` (decode bytes per token), median over
 * models: a coarse path, labelled `crossModel`.
 */
export function estimateFromReferences(args: {
  target: AcceleratorSpec;
  model: string;
  inputTokens: number;
  outputTokens: number;
  interactivityTokensPerSecondPerUser: number;
  family: PrecisionFamily;
  references: readonly ReferenceSeries[];
  calibration: RooflineCalibration;
  models: readonly ModelSpec[];
  /** Force this length key (used by the leave-one-out evaluation for MLPerf series). */
  lengthKeyOverride?: string;
}): RooflineEstimate | RooflineFailure {
  const { target, calibration, interactivityTokensPerSecondPerUser: u } = args;
  const band = scenarioBand(u);
  const effect = (record: Record<string, number>, key: string) => record[key] ?? 0;
  const architectureKnown = target.architecture in calibration.architectureEffects;
  const targetLn =
    Math.log(target.hbmBandwidthTbps) +
    effect(calibration.architectureEffects, target.architecture) +
    effect(calibration.precisionEffects, args.family);

  const workloadFor = (model: string) => {
    const series = args.references.filter((r) => r.model === model);
    if (series.length === 0) return null;
    const lengths: LengthMatch | null =
      args.lengthKeyOverride !== undefined
        ? { key: args.lengthKeyOverride, match: "exact", measuredInputTokens: null, measuredOutputTokens: null }
        : matchLengths(
            series.map((s) => s.lengthKey),
            args.inputTokens,
            args.outputTokens,
          );
    if (lengths === null) return null;
    const perAccelerator = new Map<string, number[]>();
    const used: FrontierPoint[] = [];
    let best: { interactivity: number; accelerator: string } | null = null;
    for (const s of series.filter((r) => r.lengthKey === lengths.key)) {
      const referenceU = (u / normaliser(target, s.lengthKey)) * normaliser(s.accelerator, s.lengthKey);
      const referenceBand = scenarioBand(referenceU);
      const reading = readFrontier(s.frontier, referenceU);
      if (reading.kind === "above-frontier") {
        if (best === null || reading.bestInteractivityTokensPerSecondPerUser > best.interactivity) {
          best = { interactivity: reading.bestInteractivityTokensPerSecondPerUser, accelerator: s.accelerator.key };
        }
        continue;
      }
      const value =
        Math.log(reading.outputTokensPerSecondPerGpu) -
        Math.log(s.accelerator.hbmBandwidthTbps) -
        effect(calibration.architectureEffects, s.accelerator.architecture) -
        effect(calibration.architectureBandEffects, bandKey(s.accelerator.architecture, referenceBand, s.lengthKey)) +
        effect(calibration.architectureBandEffects, bandKey(target.architecture, band, s.lengthKey)) -
        effect(calibration.precisionEffects, s.precision);
      perAccelerator.set(s.accelerator.key, [...(perAccelerator.get(s.accelerator.key) ?? []), value]);
      used.push(...reading.bracket);
    }
    if (perAccelerator.size === 0) return { lengths, unreachableBest: best };
    const means = [...perAccelerator.values()].map((vs) => vs.reduce((a, b) => a + b, 0) / vs.length);
    return {
      lengths,
      workloadLn: means.reduce((a, b) => a + b, 0) / means.length,
      used,
      accelerators: [...perAccelerator.keys()].sort(),
    };
  };

  const factors = {
    architecture: Math.exp(effect(calibration.architectureEffects, target.architecture)),
    architectureBand: 1,
    precision: Math.exp(effect(calibration.precisionEffects, args.family)),
    architectureKnown,
  };

  const same = workloadFor(args.model);
  if (same !== null) {
    if (!("workloadLn" in same)) {
      const best = same.unreachableBest;
      return {
        unreachable: true,
        reason:
          `no measured accelerator reaches ${u} tok/s/user on ${args.model}` +
          (best ? ` (the highest measured is ${best.interactivity} tok/s/user on ${best.accelerator})` : "") +
          "; the estimate does not extrapolate beyond measured interactivity",
      };
    }
    return {
      outputTokensPerSecondPerGpu: Math.exp(targetLn + same.workloadLn!),
      lengths: same.lengths,
      referencePoints: same.used!,
      referenceAccelerators: same.accelerators!,
      crossModel: false,
      factors: {
        ...factors,
        architectureBand: Math.exp(
          effect(calibration.architectureBandEffects, bandKey(target.architecture, band, same.lengths.key)),
        ),
      },
      band,
    };
  }

  // No measurement of this model anywhere: scale other models' workloads by active parameters.
  const targetModel = findModelSpec(args.models, args.model);
  if (targetModel === null || !(targetModel.activeParametersB > 0)) {
    return {
      unreachable: false,
      reason: `no measurement of ${args.model} on any accelerator and no model spec (active parameters) to scale another model's measurements`,
    };
  }
  const otherModels = [...new Set(args.references.map((r) => r.model))].sort();
  const shifted: number[] = [];
  const used: FrontierPoint[] = [];
  const accelerators = new Set<string>();
  let lengths: LengthMatch | null = null;
  for (const other of otherModels) {
    const spec = findModelSpec(args.models, other);
    if (spec === null || !(spec.activeParametersB > 0)) continue;
    const workload = workloadFor(other);
    if (workload === null || !("workloadLn" in workload)) continue;
    shifted.push(workload.workloadLn! + Math.log(spec.activeParametersB / targetModel.activeParametersB));
    used.push(...workload.used!);
    for (const a of workload.accelerators!) accelerators.add(a);
    lengths ??= workload.lengths;
  }
  if (shifted.length === 0 || lengths === null) {
    return {
      unreachable: true,
      reason: `no measurement of ${args.model}, and no other model's frontier reaches ${u} tok/s/user`,
    };
  }
  return {
    outputTokensPerSecondPerGpu: Math.exp(targetLn + median(shifted)),
    lengths: { ...lengths, match: lengths.match === "exact" ? "nearest" : lengths.match },
    referencePoints: used,
    referenceAccelerators: [...accelerators].sort(),
    crossModel: true,
    factors: {
      ...factors,
      architectureBand: Math.exp(
        effect(calibration.architectureBandEffects, bandKey(target.architecture, band, lengths.key)),
      ),
    },
    band,
  };
}
