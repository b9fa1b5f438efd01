/**
 * Shapes of the reference data the kernel reads (produced by `@aifp/catalog` from cited CSVs,
 * or given inline by a caller). The kernel never loads data itself: callers pass these in.
 * Keys are the catalog's normalised keys: one accelerator key (e.g. "H200-SXM-141GB") joins
 * specs, server SKUs, cloud offers and throughput points; one model key (e.g. "llama2-70b")
 * joins models and throughput points.
 */

/** One measured throughput point: output tokens/s per GPU at an interactivity level. */
export interface ThroughputPoint {
  /** Catalog id of the row, stable within a price-book version. */
  id: string;
  /** Benchmark and round, e.g. "mlperf-v5.1" or "inferencex". */
  source: string;
  accelerator: string;
  model: string;
  /** MLPerf scenario, or "interactive" for an InferenceX frontier point. */
  scenario: "offline" | "server" | "interactive";
  /** "fp4", "fp8", "fp16", "mxfp4", or null when the source does not say. */
  precision: string | null;
  /** Nominal input / output sequence lengths when the source states them (InferenceX), else null. */
  inputTokens: number | null;
  outputTokens: number | null;
  /** Output tokens per second per accelerator (MLPerf Tokens/s or InferenceX output rate). */
  outputTokensPerSecondPerGpu: number;
  /** Input + output tokens per second per accelerator, when the source gives it. */
  totalTokensPerSecondPerGpu: number | null;
  /**
   * Tokens/s per user: for MLPerf `1000 / TPOT limit` (a p99 floor), for InferenceX the measured
   * median. Null for offline runs (no latency limit).
   */
  interactivityTokensPerSecondPerUser: number | null;
  /** Human-readable system description and a URL to the result. */
  system: string;
  url: string;
  /** ISO date of the run, or the round's publication date. */
  asOf: string;
}

/** Datasheet figures of one accelerator. Dense (not sparse) tensor rates. */
export interface AcceleratorSpec {
  key: string;
  vendor: string;
  name: string;
  architecture: string;
  launchYear: number;
  tdpW: number;
  hbmGb: number;
  hbmBandwidthTbps: number;
  fp16DenseTflops: number | null;
  fp8DenseTflops: number | null;
  fp4DenseTflops: number | null;
  source: string;
  /** GPUs in one NVLink / Infinity Fabric domain (the widest tensor/expert parallel group); absent: 8. */
  scaleUpDomain?: number | null;
}

/** A model served: what it costs to run per token is driven by its (active) parameters. */
export interface ModelSpec {
  key: string;
  name: string;
  /** Total parameters, billions. */
  parametersB: number;
  /** Parameters active per token, billions (equal to parametersB for dense models). */
  activeParametersB: number;
  source: string;
}

/**
 * What a model's decode and prefill cost per token depends on, from its config.json / model card:
 * read by `throughputAt`'s performance model (weight bytes, KV-cache bytes, attention FLOPs).
 */
export interface ModelArchitecture {
  key: string;
  /** `gqa` (grouped-query / multi-head attention) or `mla` (DeepSeek multi-head latent attention). */
  attention: "gqa" | "mla";
  layers: number;
  hiddenSize: number;
  attentionHeads: number;
  /** Key/value heads (GQA); null for MLA, whose cache is the compressed latent. */
  kvHeads: number | null;
  /** Per-head query/key dimension. */
  headDim: number;
  /** MLA: latent (compressed KV) dimension cached per token per layer. */
  kvLoraRank: number | null;
  /** MLA: decoupled RoPE key dimension cached per token per layer beside the latent. */
  qkRopeHeadDim: number | null;
  /** Tokens a sliding-window (local) attention layer keeps; null when every layer is global. */
  slidingWindowTokens: number | null;
  /** How many layers use the sliding window (0 when none). */
  slidingWindowLayers: number;
  expertsTotal: number | null;
  expertsActivePerToken: number | null;
  /** Always-on (shared) experts per MoE layer, null for none. */
  expertsShared: number | null;
  /** Intermediate size of one routed expert's MLP (null for dense models). */
  moeFfnSize: number | null;
  /** Layers whose MLP is a routed MoE (null for dense models). */
  moeLayers: number | null;
  /** Total parameters, billions (all experts). */
  totalParametersB: number;
  /** Parameters read per decoded token, billions (active experts; the input embedding table excluded). */
  activeParametersB: number;
}
