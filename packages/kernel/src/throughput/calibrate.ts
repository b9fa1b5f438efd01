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
import type { AcceleratorSpec, ModelArchitecture, ModelSpec, ThroughputPoint } from "../reference-data.ts";
import { paretoFrontier } from "./frontier.ts";
import {
  DEFAULT_PERF_PARAMS,
  architectureFromSpec,
  chipFigures,
  servingFamilies,
  timeToFirstTokenMs,
  workloadCost,
  type ChipFigures,
  type PerfParams,
  type CostFamily,
} from "./perf-model.ts";
import { findModelSpec, median } from "./roofline.ts";
import {
  SERVING_STACKS,
  isDisaggregated,
  servingStack,
  stackCurvePoint,
  usesMtp,
  type ServingStack,
  type StackTerms,
} from "./stack.ts";
import { BENCHMARK_LENGTHS, lengthKey, precisionFamily } from "./series.ts";
import type { ThroughputData } from "./throughput-at.ts";

/** Ridge strength of the accelerator, model and source effects, in pseudo-observations at 0. */
export const RIDGE_PSEUDO_OBSERVATIONS = 2;

/**
 * Mean output tokens per sample of each MLPerf LLM benchmark's dataset, from MLCommons'
 * submission checker (github.com/mlcommons/inference tools/submission/submission_checker/
 * constants.py, TOKENS_PER_SAMPLE; gpt-oss-120b: the 1,278.20 reference of TEST09 in
 * language/gpt-oss-120b/README.md; snapshot b66003e1, 2026-08-20). Llama 3.1 8B's reference
 * states only a character count, so its output length is fitted like the input lengths.
 */
export const MLPERF_OUTPUT_TOKENS: Readonly<Record<string, number | null>> = {
  "llama2-70b": 294.45,
  "mixtral-8x7b": 145.9,
  "llama3.1-405b": 684.68,
  "llama3.1-8b": null,
  "deepseek-r1": 3886.23,
  "gpt-oss-120b": 1278.2,
};

/**
 * Mean input (prompt) tokens per sample of each MLPerf LLM benchmark's performance dataset,
 * computed over every sample of the per-sample token-length summaries that Red Hat's
 * openshift-psap/performance-dashboard extracted from MLCommons' official dataset files
 * (`mlperf-data/summaries/*.csv` and `datasets/summaries/*.csv`, snapshot 71007029, 2026-07-30):
 * Llama 2 70B OpenOrca 24,576 samples, Mixtral 8x7B 15,000, Llama 3.1 405B 8,313, Llama 3.1 8B
 * CNN/DailyMail 13,368, DeepSeek-R1 4,388, gpt-oss-120b perf_eval_ref 6,396 (the sample counts
 * MLCommons' loadgen configures). Their output means reproduce MLCommons' own (405B 684.68,
 * Mixtral 144.84), which checks the extraction. Before these, the prompt lengths were fitted and
 * Llama 2 70B's sat on its 100-token bound.
 */
export const MLPERF_INPUT_TOKENS: Readonly<Record<string, number | null>> = {
  "llama2-70b": 222.33,
  "mixtral-8x7b": 427.39,
  "llama3.1-405b": 9428.64,
  "llama3.1-8b": 870.73,
  "deepseek-r1": 803.79,
  "gpt-oss-120b": 5010.64,
};

/** Ridge on the model-feature coefficients, in units of observation weight. */
export const FEATURE_RIDGE = 1;

/** Weight of the prior on the global parameters, per unit of observation weight, per ln unit squared. */
export const PRIOR_WEIGHT = 0.3;

/** Number of global `PerfParams` in the parameter vector (the rest are MLPerf dataset lengths). */
const GLOBAL_COUNT = 6;

/** Benchmark source family of a point. */
export type SourceKind = "mlperf" | "trtllm" | "inferencex";

export function sourceKind(source: string): SourceKind {
  if (source.startsWith("mlperf")) return "mlperf";
  if (source.startsWith("trtllm")) return "trtllm";
  return "inferencex";
}

/** Key of the model's architecture for a throughput model key (`llama2-70b-99` → `llama2-70b`). */
export function architectureKey(model: string): string {
  return model.replace(/-99(\.9)?$/, "");
}

/**
 * What a refit leaves out: one model (every name with its architecture key), a set of models
 * (`models`: architecture keys, e.g. two checkpoints of one architecture), or one accelerator.
 */
export interface Exclusion {
  model?: string;
  models?: readonly string[];
  accelerator?: string;
}

/** True when `exclude` leaves out `model` (by name or as one of a set). */
function excludesModel(exclude: Exclusion | null, model: string): boolean {
  if (exclude === null) return false;
  const key = architectureKey(model);
  return (
    (exclude.model !== undefined && key === architectureKey(exclude.model)) || (exclude.models?.includes(key) ?? false)
  );
}

/** The architecture of `model`: its row, else a dense stand-in from the model spec, else null. */
export function architectureFor(
  data: ThroughputData,
  model: string,
): { architecture: ModelArchitecture; fromRow: boolean } | null {
  const key = architectureKey(model);
  const row = (data.modelArchitectures ?? []).find((a) => a.key === key || a.key === model);
  if (row) return { architecture: row, fromRow: true };
  const spec = findModelSpec(data.models, model);
  return spec ? { architecture: architectureFromSpec(spec), fromRow: false } : null;
}

/** The precision a model's weights were released in (`models.csv`), if known. */
export function releasePrecision(data: ThroughputData, model: string): string | null {
  const spec = findModelSpec(data.models, model) as (ModelSpec & { releasePrecision?: string | null }) | null;
  return spec?.releasePrecision ?? null;
}

/** Architecture class of a model: attention kind × dense or mixture-of-experts (for notes). */
export function modelClass(architecture: ModelArchitecture): string {
  return `${architecture.attention}-${(architecture.moeLayers ?? 0) > 0 ? "moe" : "dense"}`;
}

/**
 * The model features the fitted model factor depends on, so a model never measured borrows a
 * factor from what it is rather than from nothing: mixture-of-experts (expert GEMMs on small
 * per-expert batches, all-to-all routing) and size (ln of active parameters / 70B: wider
 * parallel groups, more collectives). Two features for eight measured models: more would fit
 * noise (MLA and sparsity were tried and hurt the held-out error).
 */
export const MODEL_FEATURES = ["moe", "lnActiveOver70B"] as const;

export function modelFeatures(architecture: ModelArchitecture): number[] {
  return [(architecture.moeLayers ?? 0) > 0 ? 1 : 0, Math.log(architecture.activeParametersB / 70)];
}

/**
 * The architecture signature a model factor belongs to: models with the same layers, widths,
 * attention and experts (Llama 2 70B and Llama 3.x 70B; DeepSeek-V3 / R1 / R1-0528) run alike,
 * so they share one factor: a model measured nowhere borrows its twin's.
 */
export function architectureSignature(a: ModelArchitecture): string {
  return [
    a.attention,
    a.layers,
    a.hiddenSize,
    a.attentionHeads,
    a.kvHeads ?? "-",
    a.headDim,
    a.kvLoraRank ?? "-",
    a.expertsTotal ?? "-",
    a.expertsActivePerToken ?? "-",
    a.moeFfnSize ?? "-",
  ].join("/");
}

/** One fitted observation: a frontier point with what the model needs to predict it. */
export interface Observation {
  point: ThroughputPoint;
  accelerator: string;
  architectureFamily: string;
  model: string;
  /** `modelFeatures` of its architecture: what a model never measured borrows its factor from. */
  features: number[];
  /** `architectureSignature`: the key of its model factor. */
  signature: string;
  source: SourceKind;
  family: CostFamily;
  interactivity: number;
  lnMeasured: number;
  weight: number;
  chip: ChipFigures;
  architecture: ModelArchitecture;
  /** Nominal lengths; null for an MLPerf dataset (see `benchmark`). */
  lengths: { input: number; output: number } | null;
  /** MLPerf benchmark (architecture key) whose dataset lengths apply when `lengths` is null. */
  benchmark: string | null;
  /** Serving-stack family of the run (`stack.ts`): its per-layer step latency applies. */
  stack: ServingStack;
  /** Multi-token prediction (speculative decoding) in the run. */
  mtp: boolean;
  /** Prefill on separate GPUs (disaggregated serving). */
  disaggregated: boolean;
}

/** The fit. */
export interface PerfCalibration {
  params: PerfParams;
  /** Fitted effective dataset lengths of MLPerf benchmarks (architecture key → tokens). */
  benchmarkLengths: Record<string, { input: number; output: number; outputFitted: boolean; inputFitted?: boolean }>;
  /** ln factors. */
  acceleratorEffects: Record<string, number>;
  /** Coefficients of `MODEL_FEATURES` (ln factor per unit): the model factor's part every model shares. */
  featureCoefficients: Record<string, number>;
  /** ln factor per architecture signature (`architectureSignature`) beyond its features. */
  modelEffects: Record<string, number>;
  sourceEffects: Record<SourceKind, number>;
  /** Accelerator → its datasheet architecture, for accelerators in the fit. */
  acceleratorArchitecture: Record<string, string>;
  observationCount: number;
  rmsResidualLn: number;
  /**
   * Fixed part of a time to first token (request handling, scheduling, the first decode step):
   * the median over measured TTFTs (InferenceX, aggregated serving, concurrency ≤ 8) of the
   * measured value minus the model's prefill time. 0 without such data.
   */
  ttftOverheadMs: number;
  /** TTFT observations the overhead was fitted on. */
  ttftObservationCount: number;
  excluded: Exclusion | null;
  /**
   * Fitted per-layer decode-step latency of each serving-stack family, µs (`stack.ts`). The
   * params' `layerStepLatencyUs` is TensorRT-LLM's (the planning default on NVIDIA parts).
   */
  stackLayerLatencyUs?: Partial<Record<ServingStack, number>>;
  /** Fitted mean tokens per decode step with multi-token prediction (1 = none measured). */
  mtpTokensPerStep?: number;
  /** Fitted per-token overhead of each serving-stack family, µs per token on one GPU. */
  stackPerTokenUs?: Partial<Record<ServingStack, number>>;
}

/** The stack terms for an observation (or a planning answer) under a calibration. */
export function stackTerms(
  calibration: PerfCalibration,
  stack: ServingStack,
  mtp: boolean,
  disaggregated = false,
): StackTerms {
  const latencies = calibration.stackLayerLatencyUs ?? {};
  return {
    layerStepLatencyUs: latencies[stack] ?? calibration.params.layerStepLatencyUs ?? 0,
    tokensPerStep: mtp ? (calibration.mtpTokensPerStep ?? 1) : 1,
    perTokenOverheadUs: calibration.stackPerTokenUs?.[stack] ?? calibration.params.perTokenOverheadUs,
    disaggregated,
  };
}

/** A measured time to first token at low concurrency (little queueing). */
export interface TtftObservation {
  point: ThroughputPoint;
  accelerator: string;
  architectureFamily: string;
  chip: ChipFigures;
  architecture: ModelArchitecture;
  family: CostFamily;
  inputTokens: number;
  outputTokens: number;
  gpus: number;
  measuredMs: number;
}

/** Highest concurrency at which a measured TTFT is taken as prefill plus fixed overhead. */
export const TTFT_MAX_CONCURRENCY = 8;

/**
 * InferenceX points with a median TTFT at concurrency ≤ 8 on aggregated serving (prefill and
 * decode on the same GPUs; disaggregated runs add a KV transfer and their own queue).
 */
export function ttftObservations(data: ThroughputData, exclude: Exclusion | null = null): TtftObservation[] {
  const specs = new Map(data.accelerators.map((s) => [s.key, s]));
  const result: TtftObservation[] = [];
  for (const point of data.throughputPoints) {
    if (sourceKind(point.source) !== "inferencex" || point.inputTokens === null) continue;
    if (exclude?.accelerator !== undefined && point.accelerator === exclude.accelerator) continue;
    if (excludesModel(exclude, point.model)) continue;
    const text = (point as ThroughputPoint & { latencyConstraint?: string }).latencyConstraint ?? "";
    const concurrency = /concurrency (\d+)/.exec(text);
    const ttft = /median TTFT (\d+(?:\.\d+)?) ms/.exec(text);
    const gpus = (point as ThroughputPoint & { acceleratorCount?: number }).acceleratorCount;
    if (!concurrency || !ttft || gpus === undefined || /disagg/i.test(point.system)) continue;
    if (Number(concurrency[1]) > TTFT_MAX_CONCURRENCY) continue;
    const spec = specs.get(point.accelerator);
    const labelled = precisionFamily(point.precision);
    const resolved = architectureFor(data, point.model);
    if (!spec || !labelled || !resolved) continue;
    const families = servingFamilies(spec, labelled, releasePrecision(data, point.model));
    const family = families.cost;
    const chip = chipFigures(spec, families.chip);
    if (!chip) continue;
    result.push({
      point,
      accelerator: point.accelerator,
      architectureFamily: spec.architecture,
      chip,
      architecture: resolved.architecture,
      family,
      inputTokens: point.inputTokens,
      outputTokens: point.outputTokens ?? point.inputTokens,
      gpus,
      measuredMs: Number(ttft[1]),
    });
  }
  return result;
}

/** Prefill milliseconds of one prompt on `gpus` GPUs, with the accelerator's fitted factor. */
export function prefillMs(
  o: Pick<TtftObservation, "chip" | "architecture" | "family" | "inputTokens" | "outputTokens" | "gpus">,
  params: PerfParams,
  acceleratorLn: number,
): number {
  const cost = workloadCost(o.architecture, o.family, o.inputTokens, o.outputTokens);
  return timeToFirstTokenMs(o.chip, cost, params, o.gpus) * Math.exp(-acceleratorLn);
}

/** Frontier points of every usable series, as observations. */
export function observations(data: ThroughputData, exclude: Exclusion | null = null): Observation[] {
  const specs = new Map(data.accelerators.map((s) => [s.key, s]));
  const groups = new Map<string, ThroughputPoint[]>();
  for (const point of data.throughputPoints) {
    const sameModel = excludesModel(exclude, point.model);
    const sameAccelerator = exclude?.accelerator !== undefined && point.accelerator === exclude.accelerator;
    if ((exclude?.model !== undefined || exclude?.models !== undefined) && exclude.accelerator !== undefined) {
      if (sameModel && sameAccelerator) continue; // leave one pair out
    } else if (sameModel || sameAccelerator) continue;
    const family = precisionFamily(point.precision);
    if (family === null || !specs.has(point.accelerator)) continue;
    // MLPerf v4.1 rows carry the summary's precision column, which reads fp16 for submissions
    // that ran FP8 (their v5.1 counterparts on the same software read fp8): an fp16 label from
    // MLPerf on an FP8-capable chip is not trusted for fitting.
    if (family === "fp16" && point.source.startsWith("mlperf") && specs.get(point.accelerator)!.fp8DenseTflops !== null)
      continue;
    const key = `${point.accelerator}|${architectureKey(point.model)}|${lengthKey(point)}|${family}|${sourceKind(point.source)}`;
    groups.set(key, [...(groups.get(key) ?? []), point]);
  }
  const result: Observation[] = [];
  for (const key of [...groups.keys()].sort()) {
    const points = groups.get(key)!;
    const first = points[0]!;
    const spec = specs.get(first.accelerator) as AcceleratorSpec;
    const families = servingFamilies(spec, precisionFamily(first.precision)!, releasePrecision(data, first.model));
    const family = families.cost;
    const chip = chipFigures(spec, families.chip);
    const resolved = architectureFor(data, first.model);
    if (chip === null || resolved === null) continue;
    const benchmark = lengthKey(first) === BENCHMARK_LENGTHS ? architectureKey(first.model) : null;
    if (benchmark !== null && !(benchmark in MLPERF_OUTPUT_TOKENS)) continue;
    const frontier = paretoFrontier(points);
    const weight = 1 / Math.sqrt(frontier.length);
    for (const f of frontier) {
      result.push({
        point: f.point,
        accelerator: first.accelerator,
        architectureFamily: spec.architecture,
        model: architectureKey(first.model),
        features: modelFeatures(resolved.architecture),
        signature: architectureSignature(resolved.architecture),
        source: sourceKind(first.source),
        family,
        interactivity: f.interactivityTokensPerSecondPerUser,
        lnMeasured: Math.log(f.outputTokensPerSecondPerGpu),
        weight,
        chip,
        architecture: resolved.architecture,
        lengths:
          first.inputTokens !== null && first.outputTokens !== null
            ? { input: first.inputTokens, output: first.outputTokens }
            : null,
        benchmark,
        stack: servingStack(f.point, spec.vendor),
        mtp: usesMtp(f.point),
        disaggregated: isDisaggregated(f.point),
      });
    }
  }
  return result;
}

/** Parameter vector ↔ named values (all positive, optimised in log space). */
interface Layout {
  benchmarks: string[];
  outputFitted: string[];
  /** Stack families with observations: one fitted per-layer latency each. */
  stacks: ServingStack[];
  /** Whether any observation used multi-token prediction (then its tokens per step is fitted). */
  mtp: boolean;
}

/** What the parameter vector holds beyond `PerfParams` and the dataset lengths. */
interface StackFit {
  layerLatencyUs: Partial<Record<ServingStack, number>>;
  perTokenUs: Partial<Record<ServingStack, number>>;
  mtpTokensPerStep: number;
}

function unpack(
  x: readonly number[],
  layout: Layout,
): { params: PerfParams; lengths: PerfCalibration["benchmarkLengths"]; stacks: StackFit } {
  const e = x.map(Math.exp);
  const params: PerfParams = {
    bandwidthEfficiency: Math.min(e[0]!, 1),
    computeEfficiency: Math.min(e[1]!, 1),
    prefillEfficiency: Math.min(e[2]!, 1),
    stepOverheadMs: e[3]!,
    collectiveLatencyUs: e[4]!,
    perTokenOverheadUs: e[5]!,
  };
  const lengths: PerfCalibration["benchmarkLengths"] = {};
  let index = 6;
  for (const benchmark of layout.benchmarks) {
    // Bounds: a chat/summarisation/reasoning dataset's mean prompt is 100–32k tokens, its mean
    // answer 64–4k; outside them the fit would trade lengths against the model factor.
    const knownInput = MLPERF_INPUT_TOKENS[benchmark] ?? null;
    const input = knownInput ?? Math.min(Math.max(e[index++]!, 100), 32768);
    const known = MLPERF_OUTPUT_TOKENS[benchmark] ?? null;
    const output = known ?? Math.min(Math.max(e[index++]!, 64), 4096);
    lengths[benchmark] = { input, output, outputFitted: known === null, inputFitted: knownInput === null };
  }
  // Per-layer step latency per stack: 0.01–2,000 µs (a launch is ~2–5 µs; a layer runs 5–30 kernels).
  const stacks: StackFit = { layerLatencyUs: {}, perTokenUs: {}, mtpTokensPerStep: 1 };
  for (const stack of layout.stacks) {
    stacks.layerLatencyUs[stack] = Math.min(Math.max(e[index++]!, 0.01), 2000);
    // Per-token overhead per stack: 0.1–1,000 µs per token on one GPU.
    stacks.perTokenUs[stack] = Math.min(Math.max(e[index++]!, 0.1), 1000);
  }
  // Tokens per step with multi-token prediction: 1 (no draft accepted) to 3 (two of two accepted, plus one).
  if (layout.mtp) stacks.mtpTokensPerStep = Math.min(Math.max(e[index]!, 1), 3);
  return { params, lengths, stacks };
}

/** Residual of one observation at θ (ln measured − ln physics); large when the physics has no answer. */
function physicsResidual(
  o: Observation,
  params: PerfParams,
  lengths: PerfCalibration["benchmarkLengths"],
  stacks: StackFit,
): number {
  const l = o.lengths ?? (o.benchmark ? lengths[o.benchmark] : undefined);
  if (!l) return 0;
  const cost = workloadCost(o.architecture, o.family, l.input, l.output);
  const point = stackCurvePoint(o.chip, cost, params, o.interactivity, {
    layerStepLatencyUs: stacks.layerLatencyUs[o.stack] ?? 0,
    tokensPerStep: o.mtp ? stacks.mtpTokensPerStep : 1,
    perTokenOverheadUs: stacks.perTokenUs[o.stack] ?? params.perTokenOverheadUs,
    disaggregated: o.disaggregated,
  });
  return point === null ? 3 : o.lnMeasured - Math.log(point.outputTokensPerSecondPerGpu);
}

interface Effects {
  accelerator: Map<string, number>;
  model: Map<string, number>;
  source: Map<string, number>;
  coefficients: number[];
}

/** Weighted ridge regression of y on the rows of X (no intercept), solved by Gaussian elimination. */
function ridgeRegression(
  rows: readonly number[][],
  y: readonly number[],
  weights: readonly number[],
  ridge: number,
): number[] {
  const k = rows[0]?.length ?? 0;
  const a = Array.from({ length: k }, (_, i) => Array.from({ length: k }, (_, j) => (i === j ? ridge : 0)));
  const b = new Array<number>(k).fill(0);
  rows.forEach((x, n) => {
    for (let i = 0; i < k; i++) {
      b[i]! += weights[n]! * x[i]! * y[n]!;
      for (let j = 0; j < k; j++) a[i]![j]! += weights[n]! * x[i]! * x[j]!;
    }
  });
  for (let i = 0; i < k; i++) {
    const pivot = a[i]![i]!;
    for (let r = i + 1; r < k; r++) {
      const f = a[r]![i]! / pivot;
      for (let c = i; c < k; c++) a[r]![c]! -= f * a[i]![c]!;
      b[r]! -= f * b[i]!;
    }
  }
  const x = new Array<number>(k).fill(0);
  for (let i = k - 1; i >= 0; i--) {
    let sum = b[i]!;
    for (let c = i + 1; c < k; c++) sum -= a[i]![c]! * x[c]!;
    x[i] = sum / a[i]![i]!;
  }
  return x;
}

const dot = (a: readonly number[], b: readonly number[]) => a.reduce((sum, v, i) => sum + v * b[i]!, 0);

/** Backfitting of the additive effects on residuals e (weighted, ridge toward 0). */
function fitEffects(obs: readonly Observation[], residuals: readonly number[]): { effects: Effects; sse: number } {
  const effects: Effects = {
    accelerator: new Map(),
    model: new Map(),
    source: new Map(),
    coefficients: MODEL_FEATURES.map(() => 0),
  };
  const get = (map: Map<string, number>, key: string) => map.get(key) ?? 0;
  const fitted = (o: Observation, skip: keyof Effects | null) =>
    (skip === "accelerator" ? 0 : get(effects.accelerator, o.accelerator)) +
    (skip === "model" ? 0 : get(effects.model, o.signature)) +
    (skip === "source" ? 0 : get(effects.source, o.source)) +
    (skip === "coefficients" ? 0 : dot(effects.coefficients, o.features));
  const maps: [Exclude<keyof Effects, "coefficients">, (o: Observation) => string][] = [
    ["accelerator", (o) => o.accelerator],
    ["model", (o) => o.signature],
    ["source", (o) => o.source],
  ];
  for (let sweep = 0; sweep < 30; sweep++) {
    let change = 0;
    // The features first: the per-model factor only keeps what they cannot explain.
    const partial = obs.map((o, i) => residuals[i]! - fitted(o, "coefficients"));
    const next = ridgeRegression(
      obs.map((o) => o.features),
      partial,
      obs.map((o) => o.weight),
      FEATURE_RIDGE,
    );
    next.forEach((value, i) => {
      change = Math.max(change, Math.abs(value - effects.coefficients[i]!));
      effects.coefficients[i] = value;
    });
    for (const [name, keyOf] of maps) {
      const sums = new Map<string, { sum: number; weight: number }>();
      obs.forEach((o, i) => {
        const rest = residuals[i]! - fitted(o, name);
        const entry = sums.get(keyOf(o)) ?? { sum: 0, weight: 0 };
        entry.sum += o.weight * rest;
        entry.weight += o.weight;
        sums.set(keyOf(o), entry);
      });
      for (const [key, { sum, weight }] of sums) {
        // The model factor is what a model never measured cannot borrow: a stronger ridge keeps
        // what its features explain in the shared coefficients.
        const ridge = name === "model" ? 4 * RIDGE_PSEUDO_OBSERVATIONS : RIDGE_PSEUDO_OBSERVATIONS;
        const value = sum / (weight + ridge);
        change = Math.max(change, Math.abs(value - get(effects[name], key)));
        effects[name].set(key, value);
      }
    }
    if (change < 1e-6) break;
  }
  let sse = 0;
  obs.forEach((o, i) => {
    sse += o.weight * (residuals[i]! - fitted(o, null)) ** 2;
  });
  return { effects, sse };
}

/** Nelder–Mead minimisation (deterministic; standard coefficients). */
function nelderMead(f: (x: number[]) => number, start: number[], step: number, iterations: number): number[] {
  const n = start.length;
  let simplex = [start, ...start.map((_, i) => start.map((v, j) => (i === j ? v + step : v)))];
  let values = simplex.map(f);
  for (let it = 0; it < iterations; it++) {
    const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
    simplex = order.map(([, i]) => simplex[i]!);
    values = order.map(([v]) => v);
    const centroid = start.map((_, j) => simplex.slice(0, n).reduce((s, p) => s + p[j]!, 0) / n);
    const worst = simplex[n]!;
    const along = (t: number) => centroid.map((c, j) => c + t * (worst[j]! - c));
    const reflected = along(-1);
    const fr = f(reflected);
    if (fr < values[0]!) {
      const expanded = along(-2);
      const fe = f(expanded);
      [simplex[n], values[n]] = fe < fr ? [expanded, fe] : [reflected, fr];
    } else if (fr < values[n - 1]!) {
      [simplex[n], values[n]] = [reflected, fr];
    } else {
      const contracted = along(0.5);
      const fc = f(contracted);
      if (fc < values[n]!) [simplex[n], values[n]] = [contracted, fc];
      else {
        for (let i = 1; i <= n; i++) {
          simplex[i] = simplex[i]!.map((v, j) => simplex[0]![j]! + 0.5 * (v - simplex[0]![j]!));
          values[i] = f(simplex[i]!);
        }
      }
    }
    if (Math.abs(values[n]! - values[0]!) < 1e-9) break;
  }
  return simplex[values.indexOf(Math.min(...values))]!;
}

/** The parameter vector of a calibration (for a warm start), missing entries from `fallback`. */
function vectorOf(calibration: PerfCalibration, layout: Layout, fallback: number[]): number[] {
  const p = calibration.params;
  const x = [
    p.bandwidthEfficiency,
    p.computeEfficiency,
    p.prefillEfficiency,
    p.stepOverheadMs,
    p.collectiveLatencyUs,
    p.perTokenOverheadUs,
  ].map(Math.log);
  let index = GLOBAL_COUNT;
  for (const benchmark of layout.benchmarks) {
    const fitted = calibration.benchmarkLengths[benchmark];
    if (MLPERF_INPUT_TOKENS[benchmark] == null) {
      x.push(fitted ? Math.log(fitted.input) : fallback[index]!);
      index++;
    }
    if (MLPERF_OUTPUT_TOKENS[benchmark] == null) {
      x.push(fitted ? Math.log(fitted.output) : fallback[index]!);
      index++;
    }
  }
  for (const stack of layout.stacks) {
    const fitted = calibration.stackLayerLatencyUs?.[stack];
    x.push(fitted !== undefined ? Math.log(fitted) : fallback[index]!);
    index++;
    const perToken = calibration.stackPerTokenUs?.[stack];
    x.push(perToken !== undefined ? Math.log(perToken) : fallback[index]!);
    index++;
  }
  if (layout.mtp) x.push(calibration.mtpTokensPerStep ? Math.log(calibration.mtpTokensPerStep) : fallback[index]!);
  return x;
}

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
  // A weak prior keeps each global near its typical published value (DEFAULT_PERF_PARAMS) when
  // the data cannot tell it apart from the accelerator and model factors.
  const priorWeight = PRIOR_WEIGHT * obs.reduce((sum, o) => sum + o.weight, 0);
  const objective = (x: number[]) => {
    const { params, lengths, stacks } = unpack(x, layout);
    const residuals = obs.map((o) => physicsResidual(o, params, lengths, stacks));
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
  const { lengths, stacks } = unpacked;
  // The params' own per-layer latency is TensorRT-LLM's: the planning default (`planningStack`).
  const params: PerfParams = {
    ...unpacked.params,
    layerStepLatencyUs: stacks.layerLatencyUs.trtllm ?? 0,
    perTokenOverheadUs: stacks.perTokenUs.trtllm ?? unpacked.params.perTokenOverheadUs,
  };
  const residuals = obs.map((o) => physicsResidual(o, params, lengths, stacks));
  const { effects, sse } = fitEffects(obs, residuals);
  const totalWeight = obs.reduce((s, o) => s + o.weight, 0);
  const record = (map: Map<string, number>) =>
    Object.fromEntries([...map.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
  const sourceEffects = { mlperf: 0, trtllm: 0, inferencex: 0, ...record(effects.source) } as Record<
    SourceKind,
    number
  >;
  const acceleratorEffects = record(effects.accelerator);
  const ttft = ttftObservations(data, exclude);
  const overheads = ttft.map((o) => o.measuredMs - prefillMs(o, params, acceleratorEffects[o.accelerator] ?? 0));
  return {
    params,
    benchmarkLengths: lengths,
    acceleratorEffects,
    ttftOverheadMs: overheads.length > 0 ? Math.max(0, median(overheads)) : 0,
    ttftObservationCount: ttft.length,
    featureCoefficients: Object.fromEntries(MODEL_FEATURES.map((name, i) => [name, effects.coefficients[i]!])),
    modelEffects: record(effects.model),
    sourceEffects,
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
