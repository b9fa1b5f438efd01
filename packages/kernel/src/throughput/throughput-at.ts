/**
 * `throughputAt`: output tokens/s per GPU for an accelerator × model at a latency target, with
 * its basis — measured, interpolated along the measured frontier, or estimated by the
 * calibrated roofline — and every source it rests on.
 */
import { ScenarioError, type ScenarioIssue } from "../errors.ts";
import type { AcceleratorSpec, ModelSpec, ThroughputPoint } from "../reference-data.ts";
import { ACCELERATOR_ALIASES, MODEL_ALIASES, isResolved, resolveName, type ResolvedName } from "./aliases.ts";
import { paretoFrontier, prepareFrontier, readFrontier, type FrontierPoint } from "./frontier.ts";
import {
  calibrateRoofline,
  demonstratedInputRate,
  estimateFromReferences,
  findModelSpec,
  prefillRoofline,
  referenceSeries,
  type RooflineCalibration,
} from "./roofline.ts";
import {
  KNOWN_PRECISIONS,
  lengthKey,
  matchLengths,
  precisionFamily,
  precisionMatches,
  type LengthMatch,
  type PrecisionFamily,
} from "./series.ts";

/** What to look up. */
export interface ThroughputQuery {
  /** Accelerator key or friendly alias (`H200` → `H200-SXM-141GB`; see `ACCELERATOR_ALIASES`). */
  accelerator: string;
  /** Model key or alias (`llama2-70b` → `llama2-70b-99`; see `MODEL_ALIASES`). */
  model: string;
  /** Prompt (input) tokens per request, integer >= 1. */
  inputTokens: number;
  /** Generated (output) tokens per request, integer >= 1. */
  outputTokens: number;
  /**
   * Latency target as output tokens/s per user (1000 / TPOT in ms), > 0. Absent or null: no
   * latency target, the frontier's highest-throughput (batch/offline) end.
   */
  interactivityTokensPerSecondPerUser?: number | null;
  /** `fp4` (also accepts `mxfp4`/`nvfp4` points), `fp8`, `fp16`/`bf16`, or a specific format. Absent: any. */
  precision?: string | null;
  /**
   * Leave-one-out: ignore every measured point of this exact accelerator × model, refit the
   * calibration without them, and estimate. The measured answer is reported alongside for
   * comparison. (CLI `--estimate`.)
   */
  leaveOneOut?: boolean;
}

/** Reference data, as `@aifp/catalog` exports it (the kernel never loads it itself). */
export interface ThroughputData {
  throughputPoints: readonly ThroughputPoint[];
  accelerators: readonly AcceleratorSpec[];
  models: readonly ModelSpec[];
}

/** One measurement a result rests on. */
export interface ThroughputSource {
  id: string;
  source: string;
  system: string;
  url: string;
  asOf: string;
  accelerator: string;
  model: string;
  scenario: ThroughputPoint["scenario"];
  precision: string | null;
  inputTokens: number | null;
  outputTokens: number | null;
  /** Interactivity as placed on the frontier (tok/s/user; 0 = MLPerf Offline). */
  interactivity: number;
  outputTokensPerSecondPerGpu: number;
}

/** The answer. */
export interface ThroughputResult {
  /** Resolved catalog keys and how they were resolved. */
  accelerator: string;
  model: string;
  resolvedFrom: { accelerator: ResolvedName; model: ResolvedName };
  /** The target (null: none, the batch end). */
  interactivityTokensPerSecondPerUser: number | null;
  /** Requested precision, or for an estimate without one the precision family estimated for. */
  precision: string | null;
  /** Output tokens per second per GPU at the target. */
  outputTokensPerSecondPerGpu: number;
  /**
   * Prefill (input) rate, input tokens/s per GPU, for splitting GPU time between prefill and
   * decode. `inputBasis` says where it comes from; null when the data cannot support one.
   */
  inputTokensPerSecondPerGpu: number | null;
  /**
   * `measured-lower-bound`: the highest input-token rate measured on this accelerator and model
   * (InferenceX input+output minus output): the GPU was also decoding, so its pure prefill rate
   * is at least this. `estimated`: compute-bound roofline with the calibrated prefill efficiency.
   */
  inputBasis: "measured-lower-bound" | "estimated" | null;
  /** `measured`: a frontier point; `interpolated`: between two; `estimated`: roofline. */
  basis: "measured" | "interpolated" | "estimated";
  /** True when the target lies below the frontier's lowest interactivity and the lowest point was used. */
  clamped: boolean;
  /** Requested vs measured sequence lengths. */
  lengths: {
    requestedInputTokens: number;
    requestedOutputTokens: number;
    measuredInputTokens: number | null;
    measuredOutputTokens: number | null;
    match: LengthMatch["match"];
  };
  sources: ThroughputSource[];
  /** The frontier read (measured basis only): interactivity ascending, throughput descending. */
  frontier: { interactivity: number; outputTokensPerSecondPerGpu: number; id: string }[];
  /** Estimates only: method details. */
  estimate: {
    method: string;
    referenceAccelerators: string[];
    crossModel: boolean;
    factors: { architecture: number; architectureBand: number; precision: number; architectureKnown: boolean };
    band: string;
  } | null;
  /** `leaveOneOut` only: what the measured frontier says, and the estimate's relative error against it. */
  leaveOneOut: {
    measuredOutputTokensPerSecondPerGpu: number | null;
    relativeError: number | null;
    note: string;
  } | null;
  notes: string[];
}

const calibrationCache = new WeakMap<
  readonly ThroughputPoint[],
  WeakMap<readonly AcceleratorSpec[], Map<string, RooflineCalibration>>
>();

/**
 * The roofline calibration for `data`, optionally leaving one pair out. Memoised per points and
 * accelerators array (pure: same inputs, same output), so repeated calls cost one fit.
 */
export function calibrationFor(
  data: ThroughputData,
  excludedPair: { accelerator: string; model: string } | null,
): RooflineCalibration {
  let byAccelerators = calibrationCache.get(data.throughputPoints);
  if (byAccelerators === undefined) {
    byAccelerators = new WeakMap();
    calibrationCache.set(data.throughputPoints, byAccelerators);
  }
  let byPair = byAccelerators.get(data.accelerators);
  if (byPair === undefined) {
    byPair = new Map();
    byAccelerators.set(data.accelerators, byPair);
  }
  const key = excludedPair ? `${excludedPair.accelerator}\u0000${excludedPair.model}` : "";
  let calibration = byPair.get(key);
  if (calibration === undefined) {
    calibration = calibrateRoofline(data.throughputPoints, data.accelerators, data.models, excludedPair);
    byPair.set(key, calibration);
  }
  return calibration;
}

function invalid(path: string, message: string): never {
  throw new ScenarioError("invalid", [{ path, message }]);
}

function validate(query: ThroughputQuery): void {
  const issues: ScenarioIssue[] = [];
  if (typeof query.accelerator !== "string" || query.accelerator.trim() === "") {
    issues.push({
      path: "accelerator",
      message: `expected an accelerator name such as "H200", got ${JSON.stringify(query.accelerator)}`,
    });
  }
  if (typeof query.model !== "string" || query.model.trim() === "") {
    issues.push({
      path: "model",
      message: `expected a model name such as "llama2-70b", got ${JSON.stringify(query.model)}`,
    });
  }
  for (const field of ["inputTokens", "outputTokens"] as const) {
    const value = query[field];
    if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
      issues.push({ path: field, message: `expected a whole number of tokens >= 1, got ${JSON.stringify(value)}` });
    }
  }
  const target = query.interactivityTokensPerSecondPerUser;
  if (
    target !== undefined &&
    target !== null &&
    (typeof target !== "number" || !Number.isFinite(target) || target <= 0)
  ) {
    issues.push({
      path: "interactivityTokensPerSecondPerUser",
      message: `expected tokens/s per user > 0 (e.g. 30 for chat), got ${JSON.stringify(target)}`,
    });
  }
  const precision = query.precision;
  if (
    precision !== undefined &&
    precision !== null &&
    (typeof precision !== "string" || !KNOWN_PRECISIONS.includes(precision.trim().toLowerCase()))
  ) {
    issues.push({
      path: "precision",
      message: `expected one of ${KNOWN_PRECISIONS.join(", ")}, got ${JSON.stringify(precision)}`,
    });
  }
  if (issues.length > 0) throw new ScenarioError("invalid", issues);
}

function resolveOrThrow(
  path: "accelerator" | "model",
  requested: string,
  keys: string[],
  aliases: Readonly<Record<string, string>>,
): ResolvedName {
  const resolved = resolveName(requested, keys, aliases);
  if (isResolved(resolved)) return resolved;
  if (resolved.candidates.length > 0) {
    invalid(path, `"${requested}" is ambiguous: name one of ${resolved.candidates.join(", ")}`);
  }
  invalid(path, `unknown ${path} "${requested}"; known: ${[...new Set(keys)].sort().join(", ")}`);
}

function toSource(frontierPoint: FrontierPoint): ThroughputSource {
  const p = frontierPoint.point;
  return {
    id: p.id,
    source: p.source,
    system: p.system,
    url: p.url,
    asOf: p.asOf,
    accelerator: p.accelerator,
    model: p.model,
    scenario: p.scenario,
    precision: p.precision,
    inputTokens: p.inputTokens,
    outputTokens: p.outputTokens,
    interactivity: frontierPoint.interactivityTokensPerSecondPerUser,
    outputTokensPerSecondPerGpu: p.outputTokensPerSecondPerGpu,
  };
}

function formatRate(value: number): string {
  return value >= 100 ? value.toFixed(0) : value.toPrecision(3);
}

/** The measured reading for one pair, or why there is none. */
interface MeasuredReading {
  kind: "reading";
  outputTokensPerSecondPerGpu: number;
  basis: "measured" | "interpolated";
  clamped: boolean;
  bracket: FrontierPoint[];
  frontier: FrontierPoint[];
  lengths: LengthMatch;
}

function readMeasured(
  pairPoints: readonly ThroughputPoint[],
  query: ThroughputQuery,
  target: number | null,
):
  | MeasuredReading
  | { kind: "unreachable"; best: FrontierPoint; frontier: FrontierPoint[]; lengths: LengthMatch }
  | null {
  const lengths = matchLengths(pairPoints.map(lengthKey), query.inputTokens, query.outputTokens);
  if (lengths === null) return null;
  const series = pairPoints.filter((p) => lengthKey(p) === lengths.key);
  const frontierPoints = paretoFrontier(series);
  const prepared = prepareFrontier(frontierPoints);
  if (target === null) {
    // No latency target: the highest-throughput point (the batch end of the frontier).
    const first = frontierPoints[0]!;
    return {
      kind: "reading",
      outputTokensPerSecondPerGpu: first.outputTokensPerSecondPerGpu,
      basis: "measured",
      clamped: false,
      bracket: [first],
      frontier: frontierPoints,
      lengths,
    };
  }
  const reading = readFrontier(prepared, target);
  if (reading.kind === "above-frontier") {
    return { kind: "unreachable", best: frontierPoints[frontierPoints.length - 1]!, frontier: frontierPoints, lengths };
  }
  return {
    kind: "reading",
    outputTokensPerSecondPerGpu: reading.outputTokensPerSecondPerGpu,
    basis: reading.kind === "between" ? "interpolated" : "measured",
    clamped: reading.kind === "clamped-below",
    bracket: reading.bracket,
    frontier: frontierPoints,
    lengths,
  };
}

/** Default precision family for an estimate without one: see `throughputAt`. */
function defaultFamily(spec: AcceleratorSpec, model: string, points: readonly ThroughputPoint[]): PrecisionFamily {
  const measured = new Set(points.filter((p) => p.model === model).map((p) => precisionFamily(p.precision)));
  if (spec.fp4DenseTflops !== null && measured.has("fp4")) return "fp4";
  if (spec.fp8DenseTflops !== null && measured.has("fp8")) return "fp8";
  if (spec.fp8DenseTflops !== null && !measured.has("fp16")) return "fp8";
  return "fp16";
}

/**
 * Output tokens/s per GPU of `query.accelerator` serving `query.model` at the latency target
 * `query.interactivityTokensPerSecondPerUser` (tok/s/user), with its basis and sources.
 *
 * Method (landscape.md §6.1, as InferenceX does it):
 * 1. Points of the accelerator × model (× precision family when given) are grouped by sequence
 *    lengths and the series matching the request chosen (`matchLengths`: exact nominal ISL/OSL,
 *    else nearest, else the MLPerf benchmark dataset); the result says when lengths differ.
 * 2. Pareto frontier of throughput vs interactivity (MLPerf Offline at 0 tok/s/user, Server and
 *    Interactive at their TPOT floors, InferenceX at measured medians), read with Steffen
 *    monotone interpolation. At a point: `measured`; between: `interpolated`; below the lowest
 *    interactivity: the lowest point, `clamped: true`; above the highest: a `ScenarioError` of
 *    kind `infeasible` saying the target is unreachable on that accelerator.
 * 3. No measurement for the pair (or its precision), or `leaveOneOut`: the calibrated roofline
 *    (`estimateFromReferences`), `basis: "estimated"` with the method in `notes`. The estimate's
 *    precision, when not given, is the narrowest family the accelerator's datasheet lists a
 *    tensor rate for among those the model was measured at (fp4, then fp8), else fp8 or fp16.
 * 4. Prefill rate `inputTokensPerSecondPerGpu`: the highest measured input-token rate for the
 *    pair (InferenceX total − output: a lower bound), else the compute-bound roofline
 *    `prefillEfficiency × peak dense FLOP/s / (2 × active parameters)`.
 *
 * @throws ScenarioError `invalid` for a bad field or unknown name (path = the query field),
 *   `infeasible` when the target is unreachable or nothing supports an estimate.
 */
export function throughputAt(query: ThroughputQuery, data: ThroughputData): ThroughputResult {
  validate(query);
  const points = data.throughputPoints;
  const acceleratorKeys = [...new Set([...points.map((p) => p.accelerator), ...data.accelerators.map((a) => a.key)])];
  const modelKeys = [...new Set([...points.map((p) => p.model), ...data.models.map((m) => m.key)])];
  const accelerator = resolveOrThrow("accelerator", query.accelerator, acceleratorKeys, ACCELERATOR_ALIASES);
  const model = resolveOrThrow("model", query.model, modelKeys, MODEL_ALIASES);
  const target = query.interactivityTokensPerSecondPerUser ?? null;
  const requestedPrecision = query.precision?.trim().toLowerCase() ?? null;
  const notes: string[] = [];
  if (accelerator.via !== "exact")
    notes.push(`accelerator "${accelerator.requested}" read as ${accelerator.key} (${accelerator.via})`);
  if (model.via !== "exact") notes.push(`model "${model.requested}" read as ${model.key} (${model.via})`);

  const allPairPoints = points.filter((p) => p.accelerator === accelerator.key && p.model === model.key);
  const pairPoints =
    requestedPrecision === null
      ? allPairPoints
      : allPairPoints.filter((p) => precisionMatches(requestedPrecision, p.precision));
  const measured = pairPoints.length > 0 ? readMeasured(pairPoints, query, target) : null;
  const spec = data.accelerators.find((a) => a.key === accelerator.key) ?? null;
  const modelSpec = findModelSpec(data.models, model.key);

  const lengthsOf = (match: LengthMatch) => ({
    requestedInputTokens: query.inputTokens,
    requestedOutputTokens: query.outputTokens,
    measuredInputTokens: match.measuredInputTokens,
    measuredOutputTokens: match.measuredOutputTokens,
    match: match.match,
  });
  const lengthNote = (match: LengthMatch, what: string) => {
    if (match.match === "benchmark-dataset") {
      notes.push(
        `${what} come from MLPerf's fixed dataset for this benchmark, not ${query.inputTokens}/${query.outputTokens} tokens; throughput is not rescaled for length`,
      );
    } else if (match.match === "nearest") {
      notes.push(
        `${what} are at nominal ${match.measuredInputTokens}/${match.measuredOutputTokens} input/output tokens, the nearest measured to the requested ${query.inputTokens}/${query.outputTokens}; throughput is not rescaled for length`,
      );
    }
  };

  if (!query.leaveOneOut && measured !== null) {
    if (measured.kind === "unreachable") {
      const best = measured.best;
      throw new ScenarioError("infeasible", [
        {
          path: "interactivityTokensPerSecondPerUser",
          message:
            `${target} tok/s/user is unreachable on ${accelerator.key} for ${model.key}` +
            (requestedPrecision ? ` at ${requestedPrecision}` : "") +
            `: the best measured interactivity is ${formatRate(best.interactivityTokensPerSecondPerUser)} tok/s/user ` +
            `(${formatRate(best.outputTokensPerSecondPerGpu)} output tok/s/GPU, ${best.point.source} ${best.point.id}); no measured configuration is faster per user`,
        },
      ]);
    }
    lengthNote(measured.lengths, "the measurements");
    if (target === null) notes.push("no interactivity target: the frontier's highest-throughput (batch) point");
    if (measured.clamped) {
      const first = measured.frontier[0]!;
      notes.push(
        `clamped: ${target} tok/s/user is below the lowest measured interactivity (${formatRate(first.interactivityTokensPerSecondPerUser)}); the lowest point's throughput is used, as the data show no gain from going slower`,
      );
    }
    if (measured.basis === "interpolated")
      notes.push("interpolated between the two bracketing frontier points (Steffen monotone cubic)");
    const sources = measured.bracket.map(toSource);
    if (sources.some((s) => s.source.startsWith("mlperf"))) {
      notes.push(
        "MLPerf interactivity is the p99 TPOT floor (1000 / TPOT limit), not a measured mean; MLPerf throughput counts output tokens only",
      );
    }
    if (sources.some((s) => s.source.startsWith("inferencex"))) {
      notes.push(
        "InferenceX interactivity is the measured median tok/s/user; check each source's TTFT before using a point for a strict SLO",
      );
    }
    notes.push(
      "the frontier takes the best submitted result at each interactivity; medians across submitters run lower (1–5% offline, up to ~13% server, catalog NOTES.md)",
    );
    const input = inputRate({
      pairPoints,
      spec,
      modelSpec,
      family:
        precisionFamily(measured.bracket[0]!.point.precision) ??
        (requestedPrecision ? precisionFamily(requestedPrecision) : null),
      calibration: null,
      data,
      notes,
    });
    return {
      accelerator: accelerator.key,
      model: model.key,
      resolvedFrom: { accelerator, model },
      interactivityTokensPerSecondPerUser: target,
      precision: requestedPrecision,
      outputTokensPerSecondPerGpu: measured.outputTokensPerSecondPerGpu,
      inputTokensPerSecondPerGpu: input.rate,
      inputBasis: input.basis,
      basis: measured.basis,
      clamped: measured.clamped,
      lengths: lengthsOf(measured.lengths),
      sources,
      frontier: measured.frontier.map((f) => ({
        interactivity: f.interactivityTokensPerSecondPerUser,
        outputTokensPerSecondPerGpu: f.outputTokensPerSecondPerGpu,
        id: f.point.id,
      })),
      estimate: null,
      leaveOneOut: null,
      notes,
    };
  }

  // Estimate.
  if (spec === null) {
    throw new ScenarioError("infeasible", [
      {
        path: "accelerator",
        message: `${accelerator.key} has no measurement${requestedPrecision ? ` at ${requestedPrecision}` : ""} for ${model.key} and no datasheet (memory bandwidth) to estimate from`,
      },
    ]);
  }
  if (!query.leaveOneOut && allPairPoints.length > 0 && pairPoints.length === 0) {
    const measuredPrecisions = [...new Set(allPairPoints.map((p) => p.precision ?? "unstated"))].sort();
    notes.push(
      `no measurement of ${accelerator.key} × ${model.key} at ${requestedPrecision}; measured precisions: ${measuredPrecisions.join(", ")}; estimated instead`,
    );
  }
  const excludedPair = query.leaveOneOut ? { accelerator: accelerator.key, model: model.key } : null;
  const calibration = calibrationFor(data, excludedPair);
  const referencePoints = excludedPair
    ? points.filter((p) => !(p.accelerator === accelerator.key && p.model === model.key))
    : points;
  const references = referenceSeries(referencePoints, data.accelerators);
  const family = requestedPrecision
    ? precisionFamily(requestedPrecision)!
    : defaultFamily(spec, model.key, referencePoints);
  const estimate = estimateFromReferences({
    target: spec,
    model: model.key,
    inputTokens: query.inputTokens,
    outputTokens: query.outputTokens,
    interactivityTokensPerSecondPerUser: target ?? 0,
    family,
    references,
    calibration,
    models: data.models,
  });
  if ("reason" in estimate) {
    throw new ScenarioError("infeasible", [
      {
        path: estimate.unreachable ? "interactivityTokensPerSecondPerUser" : "model",
        message: `cannot estimate ${accelerator.key} × ${model.key}: ${estimate.reason}`,
      },
    ]);
  }
  notes.push(
    `estimated: calibrated roofline. Decode is memory-bandwidth bound, so output tok/s/GPU = ${spec.hbmBandwidthTbps} TB/s × the workload's measured tok/s per TB/s on ${estimate.referenceAccelerators.join(", ")}` +
      ` × architecture factor ${estimate.factors.architecture.toFixed(3)} (${spec.architecture}) × ${estimate.band} factor ${estimate.factors.architectureBand.toFixed(3)} × ${family} factor ${estimate.factors.precision.toFixed(3)}` +
      ` (factors fitted by least squares in log space on ${calibration.observationCount} frontier readings; see docs/throughput.md for the leave-one-out error)`,
  );
  if (!estimate.factors.architectureKnown)
    notes.push(
      `architecture ${spec.architecture} has no measurement in the calibration: its factor is 1 (uncalibrated)`,
    );
  if (estimate.crossModel)
    notes.push(
      `no measurement of ${model.key} on any accelerator: other models' measurements scaled by active parameters (coarse: workloads differ by benchmark)`,
    );
  if (!requestedPrecision) notes.push(`precision not given: estimated at ${family}`);
  if (target === null) notes.push("no interactivity target: estimated at the batch end of the reference frontiers");
  lengthNote(estimate.lengths, "the reference measurements");
  const input = inputRate({
    pairPoints: query.leaveOneOut ? [] : pairPoints,
    spec,
    modelSpec,
    family,
    calibration,
    data,
    notes,
  });
  let leaveOneOut: ThroughputResult["leaveOneOut"] = null;
  if (query.leaveOneOut) {
    const comparison = pairPoints.length > 0 ? readMeasured(pairPoints, query, target) : null;
    const measuredValue = comparison?.kind === "reading" ? comparison.outputTokensPerSecondPerGpu : null;
    leaveOneOut = {
      measuredOutputTokensPerSecondPerGpu: measuredValue,
      relativeError:
        measuredValue === null ? null : (estimate.outputTokensPerSecondPerGpu - measuredValue) / measuredValue,
      note:
        measuredValue === null
          ? `leave-one-out: no measured value of ${accelerator.key} × ${model.key} at this target to compare with`
          : `leave-one-out: the ${accelerator.key} × ${model.key} measurements were hidden from the estimate; relativeError = (estimate − measured) / measured`,
    };
  }
  return {
    accelerator: accelerator.key,
    model: model.key,
    resolvedFrom: { accelerator, model },
    interactivityTokensPerSecondPerUser: target,
    precision: requestedPrecision ?? family,
    outputTokensPerSecondPerGpu: estimate.outputTokensPerSecondPerGpu,
    inputTokensPerSecondPerGpu: input.rate,
    inputBasis: input.basis,
    basis: "estimated",
    clamped: false,
    lengths: lengthsOf(estimate.lengths),
    sources: dedupeSources(estimate.referencePoints.map(toSource)),
    frontier: [],
    estimate: {
      method: "calibrated-roofline-bandwidth",
      referenceAccelerators: estimate.referenceAccelerators,
      crossModel: estimate.crossModel,
      factors: estimate.factors,
      band: estimate.band,
    },
    leaveOneOut,
    notes,
  };
}

function dedupeSources(sources: ThroughputSource[]): ThroughputSource[] {
  const seen = new Set<string>();
  return sources.filter((s) => (seen.has(s.id) ? false : (seen.add(s.id), true)));
}

function inputRate(args: {
  pairPoints: readonly ThroughputPoint[];
  spec: AcceleratorSpec | null;
  modelSpec: ModelSpec | null;
  family: PrecisionFamily | null;
  calibration: RooflineCalibration | null;
  data: ThroughputData;
  notes: string[];
}): { rate: number | null; basis: ThroughputResult["inputBasis"] } {
  let best: { rate: number; point: ThroughputPoint } | null = null;
  for (const point of args.pairPoints) {
    const rate = demonstratedInputRate(point);
    if (rate !== null && (best === null || rate > best.rate)) best = { rate, point };
  }
  if (best !== null) {
    args.notes.push(
      `inputTokensPerSecondPerGpu: the highest input-token rate measured for this pair (${best.point.id}, ${best.point.inputTokens}/${best.point.outputTokens} tokens: input+output minus output); the GPU was also decoding, so its pure prefill rate is at least this`,
    );
    return { rate: best.rate, basis: "measured-lower-bound" };
  }
  const calibration = args.calibration ?? calibrationFor(args.data, null);
  if (args.spec === null || args.modelSpec === null || args.family === null || calibration.prefillEfficiency === null) {
    args.notes.push(
      "inputTokensPerSecondPerGpu: not available (needs the accelerator's datasheet, the model's active parameters and a known precision)",
    );
    return { rate: null, basis: null };
  }
  const roofline = prefillRoofline(args.spec, args.modelSpec, args.family, calibration.prefillEfficiency);
  if (roofline === null) {
    args.notes.push(
      `inputTokensPerSecondPerGpu: not available (no dense tensor rate on the ${args.spec.key} datasheet)`,
    );
    return { rate: null, basis: null };
  }
  args.notes.push(
    `inputTokensPerSecondPerGpu estimated: compute-bound prefill = ${calibration.prefillEfficiency.toFixed(3)} × ${roofline.peakFamily} dense peak / (2 × ${args.modelSpec.activeParametersB}B active parameters); the efficiency is the median demonstrated on prefill-heavy InferenceX runs, a lower bound`,
  );
  return { rate: roofline.inputTokensPerSecondPerGpu, basis: "estimated" };
}
