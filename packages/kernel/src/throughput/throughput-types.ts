/** The shapes of a `throughputAt` question and answer, and the data it reads. */
import type { AcceleratorSpec, ModelArchitecture, ModelSpec, ThroughputPoint } from "../reference-data.ts";
import type { ResolvedName } from "./aliases.ts";
import type { PerfCalibration } from "./calibrate.ts";
import type { CurvePoint } from "./perf-model.ts";
import type { LengthMatch } from "./series.ts";

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
