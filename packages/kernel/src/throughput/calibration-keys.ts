/**
 * Keys and shapes of the performance-model calibration (`calibrate.ts`): MLPerf dataset lengths,
 * source kinds, architecture keys and signatures, model features, the observation and fit types,
 * and a stack's fitted terms.
 */
import type { ModelArchitecture, ModelSpec, ThroughputPoint } from "../reference-data.ts";
import { architectureFromSpec, type ChipFigures, type PerfParams, type CostFamily } from "./perf-model.ts";
import { findModelSpec } from "./roofline.ts";
import type { ServingStack, StackTerms } from "./stack.ts";
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
export const GLOBAL_COUNT = 6;

/** Benchmark source family of a point. */
export type SourceKind = "mlperf" | "trtllm" | "inferencex" | "mlenergy";

export function sourceKind(source: string): SourceKind {
  if (source.startsWith("mlperf")) return "mlperf";
  if (source.startsWith("trtllm")) return "trtllm";
  if (source.startsWith("mlenergy")) return "mlenergy";
  return "inferencex";
}

/**
 * A run on a fixed prompt dataset whose mean prompt length the source does not publish (the
 * ML.ENERGY benchmark: "dataset lm-arena-chat; mean output 411 tokens"): the dataset's name and
 * the run's own mean output length. The calibration fits one mean prompt length per dataset
 * (`PerfCalibration.datasetInputTokens`). Null for every other point.
 */
export function promptDataset(point: ThroughputPoint): { name: string; outputTokens: number } | null {
  const text = (point as ThroughputPoint & { latencyConstraint?: string | null }).latencyConstraint ?? "";
  const match = /\bdataset ([\w.-]+); mean output (\d+(?:\.\d+)?) tokens/.exec(text);
  return match ? { name: match[1]!, outputTokens: Number(match[2]) } : null;
}

/**
 * The benchmark level an observation is fitted with (`sourceEffects`). InferenceX's disaggregated
 * runs (prefill on other GPUs, decode with expert parallelism on up to 72 GPUs) are a deployment
 * the curve's 1–8 GPU groups do not describe, so they get their own level, apart from its
 * aggregated single-node runs: a model measured only aggregated does not borrow the wide runs' gain.
 */
export type SourceLevel = SourceKind | "inferencex-disagg";

export function sourceLevel(kind: SourceKind, disaggregated: boolean): SourceLevel {
  return kind === "inferencex" && disaggregated ? "inferencex-disagg" : kind;
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
export function excludesModel(exclude: Exclusion | null, model: string): boolean {
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
  /** The benchmark level it is fitted with (`sourceLevel`). */
  level: SourceLevel;
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
  /** Prompt dataset with a fitted mean prompt length (`promptDataset`), when `lengths` is null. */
  dataset: { name: string; outputTokens: number } | null;
  /** Serving-stack family of the run (`stack.ts`): its per-layer step latency applies. */
  stack: ServingStack;
  /** Multi-token prediction (speculative decoding) in the run. */
  mtp: boolean;
  /** Prefill on separate GPUs (disaggregated serving). */
  disaggregated: boolean;
  /** Sequences per GPU the run held at most (`measuredConcurrencyPerGpu`), or null when not stated. */
  concurrencyPerGpu: number | null;
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
  sourceEffects: Record<SourceLevel, number>;
  /** Fitted mean prompt tokens of each prompt dataset whose mean the source does not publish. */
  datasetInputTokens: Record<string, number>;
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
  /**
   * Pace of one prompt's prefill on an idle queue relative to the throughput fit's prefill
   * (fitted on the measured TTFTs with `ttftOverheadMs`): a TTFT is `overhead + scale · prefill`.
   * Absent = 1 (a calibration from before the fit).
   */
  ttftPrefillScale?: number;
  /**
   * Range of `ttftOverheadScale` over the models the overhead was fitted on: a model outside it
   * pays the overhead at the nearest end (the layers × width law is not extrapolated). Absent =
   * no clamp (a calibration from before the scaling).
   */
  ttftOverheadScaleRange?: { min: number; max: number } | null;
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
  concurrencyPerGpu: number | null = null,
): StackTerms {
  const latencies = calibration.stackLayerLatencyUs ?? {};
  return {
    layerStepLatencyUs: latencies[stack] ?? calibration.params.layerStepLatencyUs ?? 0,
    tokensPerStep: mtp ? (calibration.mtpTokensPerStep ?? 1) : 1,
    perTokenOverheadUs: calibration.stackPerTokenUs?.[stack] ?? calibration.params.perTokenOverheadUs,
    disaggregated,
    concurrencyPerGpu,
  };
}
