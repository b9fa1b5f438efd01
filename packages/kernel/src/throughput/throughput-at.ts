/**
 * `throughputAt`: output tokens/s per GPU for an accelerator × model at a latency target, with
 * its basis — measured, interpolated along the measured frontier, extrapolated beyond it along
 * the performance model's curve, or estimated by the calibrated performance model — and every
 * source it rests on.
 */
import { ScenarioError, type ScenarioIssue } from "../errors.ts";
import type { AcceleratorSpec, ModelArchitecture, ModelSpec, ThroughputPoint } from "../reference-data.ts";
import { ACCELERATOR_ALIASES, MODEL_ALIASES, isResolved, resolveName, type ResolvedName } from "./aliases.ts";
import {
  acceleratorFactor,
  architectureFor,
  architectureSignature,
  featureLn,
  architectureKey,
  calibratePerformance,
  modelClass,
  planningSourceLn,
  releasePrecision,
  stackTerms,
  MLPERF_INPUT_TOKENS,
  MLPERF_OUTPUT_TOKENS,
  type PerfCalibration,
} from "./calibrate.ts";
import {
  STACK_NAMES,
  isDisaggregated,
  planningStack,
  servingStack,
  stackCurvePoint,
  usesMtp,
  type StackTerms,
} from "./stack.ts";
import { paretoFrontier, prepareFrontier, readFrontier, type FrontierPoint } from "./frontier.ts";
import {
  chipFigures,
  curvePoint,
  servingFamilies,
  physicalLimit,
  prefillRate,
  timeToFirstTokenMs,
  workloadCost,
  type ChipFigures,
  type CurvePoint,
  type WorkloadCost,
  type CostFamily,
} from "./perf-model.ts";
import { demonstratedInputRate } from "./roofline.ts";
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
  /**
   * Time-to-first-token target, milliseconds (> 0). Absent or null: none. Checked against the
   * performance model's prefill time on the parallel group it serves from.
   */
  timeToFirstTokenMs?: number | null;
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
  /** Architecture dimensions (model_architecture.csv); absent: models are treated as dense by parameter count. */
  modelArchitectures?: readonly ModelArchitecture[];
  /**
   * A precomputed `calibratePerformance(data)` of exactly these points (the catalog ships one);
   * absent: fitted on first use and memoised.
   */
  throughputCalibration?: PerfCalibration | null;
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
   * (input+output minus output): the GPU was also decoding, so its pure prefill rate is at
   * least this. `estimated`: the performance model's prefill rate (calibrated efficiency).
   */
  inputBasis: "measured-lower-bound" | "estimated" | null;
  /**
   * `measured`: a frontier point; `interpolated`: between two; `extrapolated`: beyond the last
   * measured interactivity along the model's curve, anchored on that point (`extrapolatedFrom`);
   * `estimated`: the calibrated performance model (no measurement of this pair at this precision).
   */
  basis: "measured" | "interpolated" | "extrapolated" | "estimated";
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
  /** The measurements the answer rests on (for an estimate: the nearest relatives the fit leans on most). */
  sources: ThroughputSource[];
  /** The frontier read (measured basis only): interactivity ascending, throughput descending. */
  frontier: { interactivity: number; outputTokensPerSecondPerGpu: number; id: string }[];
  /** Estimates (and extrapolations) only: the performance model's details. */
  estimate: {
    method: string;
    /** Accelerators whose measurements calibrated this accelerator's factor (itself, or siblings of its architecture). */
    referenceAccelerators: string[];
    /** True when the model itself has no measurement: its factor is its architecture class's. */
    crossModel: boolean;
    factors: {
      accelerator: number;
      acceleratorBasis: "fitted" | "architecture" | "datasheet";
      model: number;
      modelClass: number;
      source: number;
    };
    /** Parallel group (GPUs per replica) and concurrent sequences per group the model chose. */
    groupSize: number;
    batch: number;
    regime: CurvePoint["regime"];
  } | null;
  /** `leaveOneOut` only: what the measured frontier says, and the estimate's relative error against it. */
  leaveOneOut: {
    measuredOutputTokensPerSecondPerGpu: number | null;
    relativeError: number | null;
    note: string;
  } | null;
  /** Extrapolations only: the measured point the curve was anchored on. */
  extrapolatedFrom?: ThroughputSource | null;
  /**
   * The fastest any configuration can serve one user (batch 1 on the widest group at full HBM
   * bandwidth), tok/s/user; targets above it are unreachable. Null without a datasheet.
   */
  physicalLimitTokensPerSecondPerUser?: number | null;
  /** The performance model's time to first token at the answer's group size (idle queue), ms. */
  timeToFirstTokenMs?: number | null;
  /**
   * Share of a request's GPU time spent on its input (prefill) vs its output (decode), per the
   * performance model at the answer's operating point: the input vs output share of cost.
   */
  gpuTimeShare?: { input: number; output: number } | null;
  notes: string[];
}

const calibrationCache = new WeakMap<readonly ThroughputPoint[], Map<string, PerfCalibration>>();

/**
 * The performance-model calibration for `data`: `data.throughputCalibration` when the caller
 * carries a precomputed one (the price book does) and nothing is left out, else a fit (a few
 * seconds), memoised per points array and exclusion.
 */
export function perfCalibrationFor(
  data: ThroughputData,
  exclude: { model?: string; accelerator?: string } | null,
): PerfCalibration {
  if (exclude === null && data.throughputCalibration) return data.throughputCalibration;
  let byKey = calibrationCache.get(data.throughputPoints);
  if (byKey === undefined) {
    byKey = new Map();
    calibrationCache.set(data.throughputPoints, byKey);
  }
  const key = exclude ? `${exclude.accelerator ?? ""}\u0000${exclude.model ?? ""}` : "";
  let calibration = byKey.get(key);
  if (calibration === undefined) {
    calibration = calibratePerformance(data, exclude);
    byKey.set(key, calibration);
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
  const ttft = query.timeToFirstTokenMs;
  if (ttft !== undefined && ttft !== null && (typeof ttft !== "number" || !Number.isFinite(ttft) || ttft <= 0)) {
    issues.push({
      path: "timeToFirstTokenMs",
      message: `expected milliseconds > 0 (e.g. 2000 for chat), got ${JSON.stringify(ttft)}`,
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

/** Everything the performance model needs for one accelerator × model × precision. */
interface ModelContext {
  chip: ChipFigures;
  architecture: ModelArchitecture;
  architectureFromRow: boolean;
  calibration: PerfCalibration;
  /** The accelerator's fitted (or borrowed) ln factor: applies to prefill as to decode. */
  acceleratorLn: number;
  /** Precision the weights are held in (`servingFamilies`): the serving precision, or 4-bit on a chip without FP4. */
  costFamily: CostFamily;
}

function modelContext(
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

/** Time to first token on `n` GPUs with an idle queue: fixed overhead + the prompt's prefill. */
function ttftMs(context: ModelContext, cost: WorkloadCost, n: number): number {
  return (
    context.calibration.ttftOverheadMs +
    timeToFirstTokenMs(context.chip, cost, context.calibration.params, n) * Math.exp(-context.acceleratorLn)
  );
}

/** Lengths the physics uses for a measured series: nominal, else the MLPerf dataset's fitted lengths. */
function seriesLengths(
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
function ttftGroups(context: ModelContext, cost: WorkloadCost, ttftTargetMs: number | null): number[] {
  if (ttftTargetMs === null) return context.chip.groups;
  return context.chip.groups.filter((n) => ttftMs(context, cost, n) <= ttftTargetMs);
}

function modelCurve(
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

function limitMessage(limit: { interactivity: number; groupSize: number } | null): string {
  return limit === null
    ? "the weights fit on no parallel group of this accelerator"
    : `the physical limit is ${formatRate(limit.interactivity)} tok/s/user (one user on ${limit.groupSize} GPU${limit.groupSize > 1 ? "s" : ""} streaming the active weights and KV cache at full HBM bandwidth)`;
}

/**
 * Output tokens/s per GPU of `query.accelerator` serving `query.model` at the latency target
 * `query.interactivityTokensPerSecondPerUser` (tok/s/user), with its basis and sources.
 *
 * Method (docs/throughput.md):
 * 1. Points of the accelerator × model (× precision family when given) are grouped by sequence
 *    lengths and the series matching the request chosen (`matchLengths`: exact nominal ISL/OSL,
 *    else nearest, else the MLPerf benchmark dataset); the result says when lengths differ.
 * 2. Pareto frontier of throughput vs interactivity, read with Steffen monotone interpolation: at
 *    a point `measured`, between two `interpolated`, below the lowest `clamped`. Above the last
 *    measured point: `extrapolated` along the performance model's curve, scaled to pass through
 *    that point; only a target above the physical limit (batch 1, widest group, full bandwidth)
 *    is an `infeasible` ScenarioError, and it gives the limit.
 * 3. No measurement of the pair (or its precision), or `leaveOneOut`: the calibrated
 *    performance model (`perf-model.ts`, `calibrate.ts`) from the model's architecture and the
 *    accelerator's datasheet, times the fitted accelerator, model-class, model and source
 *    factors: `estimated`. An accelerator never measured uses its architecture siblings'
 *    factor, or none ("estimated from datasheet"); a model never measured its class's factor.
 * 4. Prefill rate: the highest measured input-token rate of the pair (a lower bound), else the
 *    model's prefill rate. A time-to-first-token target limits the group sizes to those whose
 *    prefill meets it.
 *
 * @throws ScenarioError `invalid` for a bad field or unknown name (path = the query field),
 *   `infeasible` when the target is unreachable or nothing supports an answer.
 */
export function throughputAt(query: ThroughputQuery, data: ThroughputData): ThroughputResult {
  validate(query);
  const points = data.throughputPoints;
  const acceleratorKeys = [...new Set([...points.map((p) => p.accelerator), ...data.accelerators.map((a) => a.key)])];
  const modelKeys = [...new Set([...points.map((p) => p.model), ...data.models.map((m) => m.key)])];
  const accelerator = resolveOrThrow("accelerator", query.accelerator, acceleratorKeys, ACCELERATOR_ALIASES);
  const model = resolveOrThrow("model", query.model, modelKeys, MODEL_ALIASES);
  const target = query.interactivityTokensPerSecondPerUser ?? null;
  const ttftTarget = query.timeToFirstTokenMs ?? null;
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
  const excludedPair = query.leaveOneOut ? { accelerator: accelerator.key, model: model.key } : null;
  const calibration = () => perfCalibrationFor(data, excludedPair);

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
  const sourceNotes = (sources: ThroughputSource[]) => {
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
    if (sources.some((s) => s.source.startsWith("trtllm"))) {
      notes.push(
        "TensorRT-LLM perf-overview points are maximum-load runs at fixed synthetic lengths (NVIDIA's own benchmark)",
      );
    }
  };

  if (!query.leaveOneOut && measured !== null) {
    // The physics needs a precision family: the anchor point's, else the requested one, else
    // what an estimate would assume (MLPerf v5.0 rows do not state their precision).
    const family =
      precisionFamily(
        measured.kind === "reading" ? measured.bracket[0]!.point.precision : measured.best.point.precision,
      ) ??
      (requestedPrecision ? precisionFamily(requestedPrecision) : null) ??
      (spec ? defaultFamily(spec, model.key, points) : null);
    const context = modelContext(data, spec, model.key, family, calibration);
    const physics = context
      ? workloadCost(
          context.architecture,
          context.costFamily,
          ...lengthsTuple(seriesLengths(measured.lengths, model.key, context.calibration)),
        )
      : null;
    const requestCost = context
      ? workloadCost(context.architecture, context.costFamily, query.inputTokens, query.outputTokens)
      : null;
    const limit = context && physics ? physicalLimit(context.chip, physics) : null;
    const groups = context && requestCost ? ttftGroups(context, requestCost, ttftTarget) : null;
    if (groups !== null && groups.length === 0 && ttftTarget !== null && context && requestCost) {
      throw ttftInfeasible(accelerator.key, model.key, ttftTarget, context, requestCost);
    }
    lengthNote(measured.lengths, "the measurements");
    let outputRate: number;
    let basis: ThroughputResult["basis"];
    let clamped = false;
    let sources: ThroughputSource[];
    let extrapolatedFrom: ThroughputSource | null = null;
    let estimate: ThroughputResult["estimate"] = null;
    let operating: CurvePoint | null = null;
    if (measured.kind === "unreachable") {
      const best = measured.best;
      if (context === null || physics === null) {
        throw new ScenarioError("infeasible", [
          {
            path: "interactivityTokensPerSecondPerUser",
            message:
              `${target} tok/s/user is beyond the last measured interactivity on ${accelerator.key} for ${model.key}` +
              ` (${formatRate(best.interactivityTokensPerSecondPerUser)} tok/s/user, ${formatRate(best.outputTokensPerSecondPerGpu)} output tok/s/GPU, ${best.point.source} ${best.point.id})` +
              `, and without ${spec === null ? "a datasheet" : "a known precision and architecture"} the curve cannot be extended`,
          },
        ]);
      }
      if (limit === null || target! > limit.interactivity) {
        throw new ScenarioError("infeasible", [
          {
            path: "interactivityTokensPerSecondPerUser",
            message: `${target} tok/s/user is unreachable on ${accelerator.key} for ${model.key}: ${limitMessage(limit)}`,
          },
        ]);
      }
      const anchorU = best.interactivityTokensPerSecondPerUser;
      // Along the anchor's own serving stack (its per-layer latency, MTP, disaggregation).
      const anchorStack = servingStack(best.point, spec?.vendor ?? null);
      const anchorTerms = stackTerms(
        context.calibration,
        anchorStack,
        usesMtp(best.point),
        isDisaggregated(best.point),
      );
      const atAnchor = modelCurve(context, physics, anchorU, context.chip.groups, anchorTerms);
      const atTarget = modelCurve(context, physics, target!, groups ?? context.chip.groups, anchorTerms);
      if (atAnchor === null || atTarget === null) {
        throw new ScenarioError("infeasible", [
          {
            path: "interactivityTokensPerSecondPerUser",
            message: `${target} tok/s/user on ${accelerator.key} for ${model.key}: the performance model has no operating point there; ${limitMessage(limit)}`,
          },
        ]);
      }
      outputRate =
        best.outputTokensPerSecondPerGpu *
        (atTarget.outputTokensPerSecondPerGpu / atAnchor.outputTokensPerSecondPerGpu);
      basis = "extrapolated";
      extrapolatedFrom = toSource(best);
      sources = [extrapolatedFrom];
      operating = atTarget;
      notes.push(
        `extrapolated: ${target} tok/s/user is beyond the last measured point (${formatRate(anchorU)} tok/s/user, ${formatRate(best.outputTokensPerSecondPerGpu)} output tok/s/GPU, ${best.point.source} ${best.point.id}); ` +
          `the performance model's curve, scaled to pass through that point, gives ${formatRate(outputRate)} (×${(atTarget.outputTokensPerSecondPerGpu / atAnchor.outputTokensPerSecondPerGpu).toFixed(3)}); ` +
          `the curve uses the measured run's serving software (${STACK_NAMES[anchorStack]}${anchorTerms.tokensPerStep > 1 ? ", multi-token prediction" : ""}${anchorTerms.disaggregated ? ", prefill on separate GPUs" : ""}: a fitted fixed time of ${anchorTerms.layerStepLatencyUs.toFixed(0)} µs per layer per step); ${limitMessage(limit)}`,
      );
      estimate = estimateDetails(context, atTarget, model.key, spec!, false);
    } else {
      outputRate = measured.outputTokensPerSecondPerGpu;
      basis = measured.basis;
      clamped = measured.clamped;
      sources = measured.bracket.map(toSource);
      if (target === null) notes.push("no interactivity target: the frontier's highest-throughput (batch) point");
      if (measured.clamped) {
        const first = measured.frontier[0]!;
        notes.push(
          `clamped: ${target} tok/s/user is below the lowest measured interactivity (${formatRate(first.interactivityTokensPerSecondPerUser)}); the lowest point's throughput is used, as the data show no gain from going slower`,
        );
      }
      if (measured.basis === "interpolated")
        notes.push("interpolated between the two bracketing frontier points (Steffen monotone cubic)");
      if (context && requestCost)
        operating = modelCurve(context, requestCost, target ?? 0, groups ?? context.chip.groups);
    }
    sourceNotes(sources);
    notes.push(
      "the frontier takes the best submitted result at each interactivity; medians across submitters run lower (1–5% offline, up to ~13% server, catalog NOTES.md)",
    );
    const input = inputRate({ pairPoints, context, requestCost, notes });
    const frontier = measured.frontier;
    return {
      accelerator: accelerator.key,
      model: model.key,
      resolvedFrom: { accelerator, model },
      interactivityTokensPerSecondPerUser: target,
      precision: requestedPrecision,
      outputTokensPerSecondPerGpu: outputRate,
      inputTokensPerSecondPerGpu: input.rate,
      inputBasis: input.basis,
      basis,
      clamped,
      lengths: lengthsOf(measured.lengths),
      sources,
      frontier: frontier.map((f) => ({
        interactivity: f.interactivityTokensPerSecondPerUser,
        outputTokensPerSecondPerGpu: f.outputTokensPerSecondPerGpu,
        id: f.point.id,
      })),
      estimate,
      leaveOneOut: null,
      extrapolatedFrom,
      physicalLimitTokensPerSecondPerUser: limit?.interactivity ?? null,
      ...latencyFields(context, requestCost, operating, ttftTarget, notes),
      notes,
    };
  }

  // Estimate: the calibrated performance model.
  if (spec === null) {
    throw new ScenarioError("infeasible", [
      {
        path: "accelerator",
        message: `${accelerator.key} has no measurement${requestedPrecision ? ` at ${requestedPrecision}` : ""} for ${model.key} and no datasheet (memory bandwidth, FLOP/s) to estimate from`,
      },
    ]);
  }
  if (!query.leaveOneOut && allPairPoints.length > 0 && pairPoints.length === 0) {
    const measuredPrecisions = [...new Set(allPairPoints.map((p) => p.precision ?? "unstated"))].sort();
    notes.push(
      `no measurement of ${accelerator.key} × ${model.key} at ${requestedPrecision}; measured precisions: ${measuredPrecisions.join(", ")}; estimated instead`,
    );
  }
  const referencePoints = excludedPair
    ? points.filter((p) => !(p.accelerator === accelerator.key && p.model === model.key))
    : points;
  const family = requestedPrecision
    ? precisionFamily(requestedPrecision)!
    : defaultFamily(spec, model.key, referencePoints);
  const context = modelContext(data, spec, model.key, family, calibration);
  if (context === null) {
    throw new ScenarioError("infeasible", [
      {
        path: architectureFor(data, model.key) === null ? "model" : "accelerator",
        message:
          architectureFor(data, model.key) === null
            ? `cannot estimate ${accelerator.key} × ${model.key}: no measurement, and neither an architecture row nor a model spec (parameters) to compute its cost per token`
            : `cannot estimate ${accelerator.key} × ${model.key}: the datasheet lacks a dense tensor rate for ${family}`,
      },
    ]);
  }
  const cost = workloadCost(context.architecture, context.costFamily, query.inputTokens, query.outputTokens);
  const limit = physicalLimit(context.chip, cost);
  if (target !== null && (limit === null || target > limit.interactivity)) {
    throw new ScenarioError("infeasible", [
      {
        path: "interactivityTokensPerSecondPerUser",
        message: `${target} tok/s/user is unreachable on ${accelerator.key} for ${model.key}: ${limitMessage(limit)}`,
      },
    ]);
  }
  const groups = ttftGroups(context, cost, ttftTarget);
  if (groups.length === 0 && ttftTarget !== null)
    throw ttftInfeasible(accelerator.key, model.key, ttftTarget, context, cost);
  const operating = modelCurve(context, cost, target ?? 0, groups);
  if (operating === null) {
    throw new ScenarioError("infeasible", [
      {
        path: target === null ? "model" : "interactivityTokensPerSecondPerUser",
        message: `cannot serve ${model.key} on ${accelerator.key}${target === null ? "" : ` at ${target} tok/s/user`}: ${limitMessage(limit)}`,
      },
    ]);
  }
  const details = estimateDetails(context, operating, model.key, spec, true);
  const modelMeasured = referencePoints.some((p) => architectureKey(p.model) === architectureKey(model.key));
  const twin = !modelMeasured && !details.crossModel;
  details.crossModel = !modelMeasured;
  const factorLn =
    Math.log(details.factors.accelerator) +
    Math.log(details.factors.model) +
    Math.log(details.factors.modelClass) +
    Math.log(details.factors.source);
  const outputRate = operating.outputTokensPerSecondPerGpu * Math.exp(factorLn);
  const p = context.calibration.params;
  notes.push(
    `estimated by the performance model: ${context.architecture.activeParametersB.toFixed(1)}B parameters read per token at ${family} ` +
      `on ${operating.groupSize} GPU${operating.groupSize > 1 ? "s" : ""} with ${Math.round(operating.batch)} concurrent sequences (${operating.regime}); ` +
      `fitted efficiencies: HBM ${(p.bandwidthEfficiency * 100).toFixed(0)}%, decode FLOPs ${(p.computeEfficiency * 100).toFixed(0)}%, prefill FLOPs ${(p.prefillEfficiency * 100).toFixed(0)}%, ` +
      `${p.stepOverheadMs.toFixed(2)} ms per step; factors: accelerator ×${details.factors.accelerator.toFixed(2)} (${details.factors.acceleratorBasis}), ` +
      `architecture (${modelClass(context.architecture)}, ${context.architecture.activeParametersB.toFixed(0)}B active) ×${details.factors.modelClass.toFixed(2)}, model ×${details.factors.model.toFixed(2)}, benchmark level ×${details.factors.source.toFixed(2)} (see docs/throughput.md for the held-out error)`,
  );
  if (details.factors.acceleratorBasis === "datasheet")
    notes.push(
      `estimated from datasheet: ${accelerator.key} has no measurement of any model, and no measured accelerator shares its architecture (${spec.architecture}); its efficiency factor is 1 (uncalibrated)`,
    );
  else if (details.factors.acceleratorBasis === "architecture")
    notes.push(
      `${accelerator.key} has no measurement of any model: its factor is the mean of its architecture's measured chips (${details.referenceAccelerators.join(", ")})`,
    );
  if (details.crossModel)
    notes.push(
      `no measurement of ${model.key} on any accelerator: estimated from its architecture (${context.architectureFromRow ? "model_architecture.csv" : "parameter count only, as a dense model — coarse"}) with ` +
        (twin
          ? "the fitted factor of a measured model with the same architecture (layers, widths, attention, experts)"
          : "the factor its features carry (mixture-of-experts, size; fitted on the measured models)"),
    );
  if (!requestedPrecision) notes.push(`precision not given: estimated at ${family}`);
  if (target === null) notes.push("no interactivity target: the batch end (largest batch that fits in HBM)");
  const input = inputRate({ pairPoints: query.leaveOneOut ? [] : pairPoints, context, requestCost: cost, notes });
  let leaveOneOut: ThroughputResult["leaveOneOut"] = null;
  if (query.leaveOneOut) {
    const comparison = pairPoints.length > 0 ? readMeasured(pairPoints, query, target) : null;
    const measuredValue = comparison?.kind === "reading" ? comparison.outputTokensPerSecondPerGpu : null;
    leaveOneOut = {
      measuredOutputTokensPerSecondPerGpu: measuredValue,
      relativeError: measuredValue === null ? null : (outputRate - measuredValue) / measuredValue,
      note:
        measuredValue === null
          ? `leave-one-out: no measured value of ${accelerator.key} × ${model.key} at this target to compare with`
          : `leave-one-out: the ${accelerator.key} × ${model.key} measurements were hidden from the fit; relativeError = (estimate − measured) / measured`,
    };
  }
  return {
    accelerator: accelerator.key,
    model: model.key,
    resolvedFrom: { accelerator, model },
    interactivityTokensPerSecondPerUser: target,
    precision: requestedPrecision ?? family,
    outputTokensPerSecondPerGpu: outputRate,
    inputTokensPerSecondPerGpu: input.rate,
    inputBasis: input.basis,
    basis: "estimated",
    clamped: false,
    lengths: {
      requestedInputTokens: query.inputTokens,
      requestedOutputTokens: query.outputTokens,
      measuredInputTokens: null,
      measuredOutputTokens: null,
      match: "exact",
    },
    sources: relatives(referencePoints, accelerator.key, model.key),
    frontier: [],
    estimate: details,
    leaveOneOut,
    extrapolatedFrom: null,
    physicalLimitTokensPerSecondPerUser: limit?.interactivity ?? null,
    ...latencyFields(context, cost, operating, ttftTarget, notes),
    notes,
  };
}

function lengthsTuple(lengths: { input: number; output: number }): [number, number] {
  return [lengths.input, lengths.output];
}

function ttftInfeasible(
  accelerator: string,
  model: string,
  ttftTarget: number,
  context: ModelContext,
  cost: WorkloadCost,
): ScenarioError {
  const widest = context.chip.groups[context.chip.groups.length - 1]!;
  const best = ttftMs(context, cost, widest);
  return new ScenarioError("infeasible", [
    {
      path: "timeToFirstTokenMs",
      message: `a first token within ${ttftTarget} ms is unreachable on ${accelerator} for ${model} at ${cost.inputTokens} input tokens: prefill takes about ${formatRate(best)} ms even on ${widest} GPUs (performance model, idle queue, including ${context.calibration.ttftOverheadMs.toFixed(0)} ms fixed overhead)`,
    },
  ]);
}

function estimateDetails(
  context: ModelContext,
  operating: CurvePoint,
  model: string,
  spec: AcceleratorSpec,
  withFactors: boolean,
): NonNullable<ThroughputResult["estimate"]> {
  void model;
  const calibration = context.calibration;
  const acc = acceleratorFactor(calibration, spec);
  const modelLn = calibration.modelEffects[architectureSignature(context.architecture)];
  const classLn = featureLn(calibration, context.architecture);
  return {
    method: withFactors ? "performance-model" : "performance-model-curve-shape",
    referenceAccelerators: acc.basis === "architecture" ? acc.siblings : acc.basis === "fitted" ? [spec.key] : [],
    crossModel: modelLn === undefined,
    factors: {
      accelerator: Math.exp(acc.ln),
      acceleratorBasis: acc.basis,
      model: Math.exp(modelLn ?? 0),
      modelClass: Math.exp(classLn),
      source: Math.exp(planningSourceLn(calibration)),
    },
    groupSize: operating.groupSize,
    batch: operating.batch,
    regime: operating.regime,
  };
}

/** TTFT and GPU-time share at the operating point, with notes. */
function latencyFields(
  context: ModelContext | null,
  cost: WorkloadCost | null,
  operating: CurvePoint | null,
  ttftTarget: number | null,
  notes: string[],
): { timeToFirstTokenMs: number | null; gpuTimeShare: { input: number; output: number } | null } {
  if (context === null || cost === null || operating === null) {
    if (ttftTarget !== null)
      notes.push(
        "time to first token not checked: no performance model for this pair (datasheet or architecture missing)",
      );
    return { timeToFirstTokenMs: null, gpuTimeShare: null };
  }
  const ttft = ttftMs(context, cost, operating.groupSize);
  const total = operating.prefillSecondsPerRequest + operating.decodeSecondsPerRequest;
  const share = total > 0 ? operating.prefillSecondsPerRequest / total : 0;
  if (ttftTarget !== null)
    notes.push(
      `time to first token: about ${formatRate(ttft)} ms of prefill on ${operating.groupSize} GPU${operating.groupSize > 1 ? "s" : ""} (performance model: ${context.calibration.ttftOverheadMs.toFixed(0)} ms fixed overhead fitted on measured TTFTs plus the prompt's prefill, idle queue; queueing under load adds to it) against the ${ttftTarget} ms target`,
    );
  return { timeToFirstTokenMs: ttft, gpuTimeShare: { input: share, output: 1 - share } };
}

/** For an estimate: the model's batch-end points on other accelerators, and this accelerator's for other models. */
function relatives(points: readonly ThroughputPoint[], accelerator: string, model: string): ThroughputSource[] {
  const bestBy = new Map<string, FrontierPoint>();
  for (const point of points) {
    const sameModel = architectureKey(point.model) === architectureKey(model);
    const sameAccelerator = point.accelerator === accelerator;
    if (sameModel === sameAccelerator) continue;
    const key = sameModel ? `a:${point.accelerator}` : `m:${point.model}`;
    const current = bestBy.get(key);
    if (current === undefined || point.outputTokensPerSecondPerGpu > current.outputTokensPerSecondPerGpu)
      bestBy.set(key, {
        interactivityTokensPerSecondPerUser: point.interactivityTokensPerSecondPerUser ?? 0,
        outputTokensPerSecondPerGpu: point.outputTokensPerSecondPerGpu,
        point,
      });
  }
  return [...bestBy.keys()]
    .sort()
    .slice(0, 12)
    .map((key) => toSource(bestBy.get(key)!));
}

function inputRate(args: {
  pairPoints: readonly ThroughputPoint[];
  context: ModelContext | null;
  requestCost: WorkloadCost | null;
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
  if (args.context === null || args.requestCost === null) {
    args.notes.push(
      "inputTokensPerSecondPerGpu: not available (needs the accelerator's datasheet, the model's architecture or parameters and a known precision)",
    );
    return { rate: null, basis: null };
  }
  const rate =
    prefillRate(args.context.chip, args.requestCost, args.context.calibration.params) *
    Math.exp(args.context.acceleratorLn);
  args.notes.push(
    `inputTokensPerSecondPerGpu estimated by the performance model: the prompt's FLOPs (2 × ${args.requestCost.activeParametersB.toFixed(1)}B active parameters per token plus causal attention) at ${(args.context.calibration.params.prefillEfficiency * 100).toFixed(0)}% of dense peak (fitted), plus the per-token overhead, times the accelerator's factor`,
  );
  return { rate, basis: "estimated" };
}
