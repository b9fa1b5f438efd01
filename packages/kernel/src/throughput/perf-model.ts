/**
 * A physical performance model of LLM serving on one accelerator: output tokens/s per GPU as a
 * function of the per-user speed (interactivity), from the model's architecture and the chip's
 * datasheet. It transfers across models and accelerators; `calibrate.ts` fits its few
 * efficiencies on measured points and `throughput-at.ts` anchors it on measurements.
 *
 * A group of N GPUs (tensor / expert parallel, N up to the scale-up domain) decodes a batch of B
 * sequences. One decode step streams the weights the batch touches and every sequence's KV cache
 * from HBM, and does the batch's matrix and attention FLOPs:
 *
 *   step(B) = max(bytes(B) / (N · BW · ηbw), B · flopsPerToken / (N · peak · ηc)) + overhead + collectives(N)
 *   bytes(B) = dense weights + expert weights touched by B tokens + B · KV bytes per sequence
 *
 * Every request also needs its prompt prefilled: `prefill = ISL · flops / (N · peak · ηp)` of
 * group time, spread over its OSL output tokens. In steady state each user receives one token
 * per `g(B) = step(B) + B · prefill / OSL`, so the speed per user is `u = 1 / g(B)` and the
 * output rate per GPU `T = B / (N · g(B))`. The largest batch with `g(B) ≤ 1 / u` that fits in
 * HBM gives the throughput at a latency target; the memory-limited batch gives the batch end
 * (u = 0). The best group size N wins. Batch 1 on the widest group at full bandwidth is the
 * physical limit: no configuration serves one user faster.
 */
import type { AcceleratorSpec, ModelArchitecture, ModelSpec } from "../reference-data.ts";
import { peakDenseTflops } from "./roofline.ts";
import type { PrecisionFamily } from "./series.ts";

/** The efficiencies and overheads the calibration fits (dimensionless unless named). */
export interface PerfParams {
  /** Fraction of datasheet HBM bandwidth decode achieves. */
  bandwidthEfficiency: number;
  /** Fraction of dense peak FLOP/s decode's batched matrix products achieve. */
  computeEfficiency: number;
  /** Fraction of dense peak FLOP/s prefill achieves (model FLOPs utilisation). */
  prefillEfficiency: number;
  /** Fixed time per decode step (kernel launches, sampling, scheduling), milliseconds. */
  stepOverheadMs: number;
  /** Latency of one collective per layer when the group spans more than one GPU, microseconds. */
  collectiveLatencyUs: number;
  /**
   * GPU time per token processed that scales with neither weights nor FLOPs (sampling, routing,
   * normalisations, activation traffic, small kernels), microseconds per token on one GPU, for a
   * 48-layer model (it scales with depth: `PER_TOKEN_OVERHEAD_REFERENCE_LAYERS`).
   */
  perTokenOverheadUs: number;
  /**
   * Fixed latency per layer per decode step of the serving stack (kernel launches and small
   * kernels that do not shrink with the batch), microseconds; fitted per stack family
   * (`stack.ts`). Absent = 0 (the model before per-stack latencies).
   */
  layerStepLatencyUs?: number;
}

/** Starting values (typical published decode/prefill efficiencies); the calibration refits them. */
export const DEFAULT_PERF_PARAMS: PerfParams = {
  bandwidthEfficiency: 0.75,
  computeEfficiency: 0.5,
  prefillEfficiency: 0.5,
  stepOverheadMs: 2,
  collectiveLatencyUs: 10,
  perTokenOverheadUs: 5,
};

/**
 * What a request's bytes are priced at: a serving precision, or `fp4-w16` (4-bit weights with
 * 16-bit activations and KV cache: weight-only quantisation, `servingFamilies`).
 */
export type CostFamily = PrecisionFamily | "fp4-w16";

/**
 * Bytes per weight at a serving precision: FP4 formats carry one 8-bit scale per 16 values
 * (NVFP4) or 32 (MXFP4), counted as 4.5 bits; FP8 one byte; FP16/BF16 two.
 */
export const BYTES_PER_WEIGHT: Readonly<Record<CostFamily, number>> = {
  fp4: 0.5625,
  "fp4-w16": 0.5625,
  fp8: 1,
  fp16: 2,
};

/**
 * Bytes per cached key/value element: FP8 KV cache when serving at FP8/FP4, else 16-bit. A
 * weight-only 4-bit model keeps a 16-bit KV cache: its activations are 16-bit, and TensorRT-LLM's
 * documented gpt-oss recipe sets the KV cache to FP8 on Blackwell but "auto" (the checkpoint's
 * 16-bit) on Hopper (perf-overview.md at 03e27c7, SOURCES.md).
 */
export const KV_BYTES_PER_ELEMENT: Readonly<Record<CostFamily, number>> = { fp4: 1, "fp4-w16": 2, fp8: 1, fp16: 2 };

/** Share of HBM usable for weights and KV cache (the rest: activations, runtime). */
export const USABLE_HBM_FRACTION = 0.9;

/** Largest batch (concurrent sequences) per group the model considers. */
export const MAX_BATCH_PER_GROUP = 8192;

/**
 * Parallel group sizes the throughput curve tries: 1, 2, 4, 8 within the scale-up domain. Wider
 * groups (GB200 NVL72's 72) pay all-to-all costs the model does not describe, so they only set
 * the physical limit (`limitGroupSizes`).
 */
export function groupSizes(spec: AcceleratorSpec): number[] {
  const domain = Math.max(1, Math.floor(spec.scaleUpDomain ?? 8));
  return [1, 2, 4, 8].filter((n) => n <= domain);
}

/** Group sizes for the physical limit: up to the whole scale-up domain. */
export function limitGroupSizes(spec: AcceleratorSpec): number[] {
  const domain = Math.max(1, Math.floor(spec.scaleUpDomain ?? 8));
  const sizes = [1, 2, 4, 8].filter((n) => n <= domain);
  for (const n of [16, 32, 64]) if (n < domain) sizes.push(n);
  if (domain > 8) sizes.push(domain);
  return sizes;
}

/** What one request costs, independent of the accelerator. */
export interface WorkloadCost {
  /** Bytes read per decode step whatever the batch (non-expert weights, active shared experts). */
  denseWeightBytes: number;
  /** Bytes of one routed expert in one MoE layer (0 for dense models). */
  expertBytes: number;
  expertsTotal: number;
  expertsPerToken: number;
  moeLayers: number;
  /** Bytes of all weights (memory footprint). */
  totalWeightBytes: number;
  /** KV bytes one sequence holds on average while decoding (prompt + half the output). */
  kvBytesPerSequenceAverage: number;
  /** KV bytes one sequence holds at its end (capacity). */
  kvBytesPerSequenceMax: number;
  /** Decode FLOPs per output token (matrix products + attention over the average context). */
  decodeFlopsPerToken: number;
  /** Prefill FLOPs per request (matrix products + causal attention over the prompt). */
  prefillFlopsPerRequest: number;
  layers: number;
  inputTokens: number;
  outputTokens: number;
  /** Parameters read per token, billions (for notes). */
  activeParametersB: number;
}

function kvElementsPerToken(architecture: ModelArchitecture, context: number): number {
  // Per token of context, summed over layers; sliding-window layers keep at most `window` tokens,
  // so their share is scaled by min(1, window / context).
  const perLayer =
    architecture.attention === "mla"
      ? (architecture.kvLoraRank ?? 0) + (architecture.qkRopeHeadDim ?? 0)
      : 2 * (architecture.kvHeads ?? architecture.attentionHeads) * architecture.headDim;
  const sliding = architecture.slidingWindowTokens === null ? 0 : architecture.slidingWindowLayers;
  const windowShare =
    architecture.slidingWindowTokens === null ? 1 : Math.min(1, architecture.slidingWindowTokens / context);
  return perLayer * (architecture.layers - sliding + sliding * windowShare);
}

/** Attention FLOPs of one query token over `context` keys, summed over layers. */
function attentionFlopsPerToken(architecture: ModelArchitecture, context: number): number {
  const sliding = architecture.slidingWindowTokens === null ? 0 : architecture.slidingWindowLayers;
  const effective =
    (architecture.layers - sliding) * context +
    sliding * Math.min(context, architecture.slidingWindowTokens ?? context);
  // QKᵀ and AV: 2 FLOPs per multiply-add each. MLA decodes in the absorbed form over the latent.
  const width =
    architecture.attention === "mla"
      ? 2 * (architecture.kvLoraRank ?? 0) + (architecture.qkRopeHeadDim ?? 0)
      : 2 * architecture.headDim;
  return 2 * architecture.attentionHeads * width * effective;
}

/**
 * The per-request cost of `model` at `family` for `inputTokens` / `outputTokens`. Uses the
 * architecture when known; otherwise the model spec's parameters as a dense model with a
 * Llama-70B-like KV footprint per parameter (flagged by `architecture === null` upstream).
 */
export function workloadCost(
  architecture: ModelArchitecture,
  family: CostFamily,
  inputTokens: number,
  outputTokens: number,
): WorkloadCost {
  const bytes = BYTES_PER_WEIGHT[family];
  const kvBytes = KV_BYTES_PER_ELEMENT[family];
  const moeLayers = architecture.moeLayers ?? 0;
  const expertsTotal = architecture.expertsTotal ?? 0;
  const expertsPerToken = architecture.expertsActivePerToken ?? 0;
  const expertParams =
    moeLayers > 0 && architecture.moeFfnSize !== null ? 3 * architecture.hiddenSize * architecture.moeFfnSize : 0;
  const activeParams = architecture.activeParametersB * 1e9;
  const denseParams = Math.max(activeParams - expertsPerToken * moeLayers * expertParams, 0.05 * activeParams);
  const averageContext = inputTokens + outputTokens / 2;
  const finalContext = inputTokens + outputTokens;
  // Causal prefill attention: each of ISL queries attends on average to ISL/2 keys.
  const prefillAttention = inputTokens * attentionFlopsPerToken(architecture, Math.max(1, inputTokens / 2));
  return {
    denseWeightBytes: denseParams * bytes,
    expertBytes: expertParams * bytes,
    expertsTotal,
    expertsPerToken,
    moeLayers,
    totalWeightBytes: architecture.totalParametersB * 1e9 * bytes,
    kvBytesPerSequenceAverage: kvElementsPerToken(architecture, averageContext) * averageContext * kvBytes,
    kvBytesPerSequenceMax: kvElementsPerToken(architecture, finalContext) * finalContext * kvBytes,
    decodeFlopsPerToken: 2 * activeParams + attentionFlopsPerToken(architecture, averageContext),
    prefillFlopsPerRequest: 2 * activeParams * inputTokens + prefillAttention,
    layers: architecture.layers,
    inputTokens,
    outputTokens,
    activeParametersB: architecture.activeParametersB,
  };
}

/**
 * A stand-in architecture for a model with a spec but no architecture row: dense, with a KV
 * footprint per parameter like Llama 3 70B's (80 layers × 8 KV heads × 128 per 70B). Coarse:
 * results built on it say so.
 */
export function architectureFromSpec(model: ModelSpec): ModelArchitecture {
  const scale = Math.max(model.activeParametersB / 70, 0.01);
  return {
    key: model.key,
    attention: "gqa",
    layers: Math.max(1, Math.round(80 * Math.sqrt(scale))),
    hiddenSize: Math.max(64, Math.round(8192 * Math.sqrt(scale))),
    attentionHeads: 64,
    kvHeads: 8,
    headDim: 128,
    kvLoraRank: null,
    qkRopeHeadDim: null,
    slidingWindowTokens: null,
    slidingWindowLayers: 0,
    expertsTotal: null,
    expertsActivePerToken: null,
    expertsShared: null,
    moeFfnSize: null,
    moeLayers: null,
    totalParametersB: model.parametersB,
    activeParametersB: model.activeParametersB,
  };
}

/** One evaluation of the model at a latency target. */
export interface CurvePoint {
  /** Output tokens/s per GPU. */
  outputTokensPerSecondPerGpu: number;
  /** Speed each user gets, tokens/s (≥ the target; the batch end's own speed when the target is 0). */
  interactivityTokensPerSecondPerUser: number;
  /** Parallel group (GPUs per model replica) and concurrent sequences per group. */
  groupSize: number;
  batch: number;
  /** Seconds of group time per request spent prefilling vs decoding (for the input/output split). */
  prefillSecondsPerRequest: number;
  decodeSecondsPerRequest: number;
  /** `batch-1`: the target is past what batching allows; one user per group. */
  regime: "memory-bound" | "compute-bound" | "batch-1";
}

/** The accelerator figures the model needs; null when the datasheet lacks them. */
export interface ChipFigures {
  bandwidthBytesPerSecond: number;
  peakFlopsPerSecond: number;
  hbmBytes: number;
  groups: number[];
  /** Group sizes the physical limit may use (the whole scale-up domain). */
  limitGroups: number[];
}

/**
 * The precision the weights are held in (`cost`: bytes per weight) and the rate the chip
 * multiplies them at (`chip`). Normally both are the serving precision. A model released with
 * 4-bit (MXFP4/NVFP4) weights served on a chip without FP4 tensor cores (Hopper) keeps its
 * 4-bit weights in memory, but its matrix products cannot run at an FP4 or FP8 rate on 4-bit
 * operands: assumed weight-only quantisation, multiplied at the 16-bit rate (derived from the
 * datasheet's missing FP4 rate; the measured rows label these runs FP8), with a 16-bit KV cache
 * (`fp4-w16`).
 */
export function servingFamilies(
  spec: AcceleratorSpec,
  family: PrecisionFamily,
  releasePrecision: string | null | undefined,
): { cost: CostFamily; chip: PrecisionFamily } {
  const release = (releasePrecision ?? "").toLowerCase();
  const fourBitRelease = release === "mxfp4" || release === "nvfp4" || release === "fp4";
  if (fourBitRelease && spec.fp4DenseTflops === null && family !== "fp16") return { cost: "fp4-w16", chip: "fp16" };
  return { cost: family, chip: family };
}

export function chipFigures(spec: AcceleratorSpec, family: PrecisionFamily): ChipFigures | null {
  const peak = peakDenseTflops(spec, family);
  if (peak === null || !(spec.hbmBandwidthTbps > 0) || !(spec.hbmGb > 0)) return null;
  return {
    bandwidthBytesPerSecond: spec.hbmBandwidthTbps * 1e12,
    peakFlopsPerSecond: peak.tflops * 1e12,
    hbmBytes: spec.hbmGb * 1e9,
    groups: groupSizes(spec),
    limitGroups: limitGroupSizes(spec),
  };
}

/**
 * Depth the fitted per-token overhead is quoted at. The overhead is per layer (normalisations,
 * rotary embedding, activation quantisation, MoE routing and token permutation, residual adds:
 * small kernels every layer runs for every token), so a model's is `τ · layers / 48`. Tried
 * against the data: scaling with depth × width instead fitted worse (docs/throughput.md).
 */
export const PER_TOKEN_OVERHEAD_REFERENCE_LAYERS = 48;

function depthScale(cost: WorkloadCost): number {
  return cost.layers / PER_TOKEN_OVERHEAD_REFERENCE_LAYERS;
}

/**
 * Model size the fitted fixed time-to-first-token overhead is quoted at: 48 layers × 5,120
 * hidden width. The overhead is per layer and grows with its width (the prompt's per-layer
 * kernels, norms and collectives move tokens × width activations), so a model's is
 * `overhead · layers · width / (48 · 5120)`. Derived from the measured TTFTs: a fixed figure for
 * every model put DeepSeek-R1 (61 × 7,168) at about half and gpt-oss-120b (36 × 2,880) at about
 * 2.5× their measured short-prompt TTFTs (docs/throughput.md).
 */
export const TTFT_OVERHEAD_REFERENCE_LAYER_WIDTH = 48 * 5120;

/**
 * The share of the reference fixed TTFT overhead a model pays (`TTFT_OVERHEAD_REFERENCE_LAYER_WIDTH`),
 * clamped to `range` (the fitted models' span) when given: the law is not extrapolated.
 */
export function ttftOverheadScale(
  architecture: ModelArchitecture,
  range: { min: number; max: number } | null = null,
): number {
  const scale = (architecture.layers * architecture.hiddenSize) / TTFT_OVERHEAD_REFERENCE_LAYER_WIDTH;
  return range ? Math.min(Math.max(scale, range.min), range.max) : scale;
}

interface GroupTimes {
  n: number;
  batchMax: number;
  /** g(B): group seconds per decode step including the prefill it owes (GPU time per token of one sequence). */
  g: (batch: number) => number;
  /** Seconds between consecutive tokens of one user: g(B), or the decode step alone when prefill runs elsewhere. */
  gUser: (batch: number) => number;
  step: (batch: number) => { seconds: number; computeBound: boolean };
  prefillSeconds: number;
}

function groupTimes(
  chip: ChipFigures,
  cost: WorkloadCost,
  params: PerfParams,
  n: number,
  disaggregated = false,
  concurrencyPerGpu: number | null = null,
): GroupTimes | null {
  const capacity = n * chip.hbmBytes * USABLE_HBM_FRACTION - cost.totalWeightBytes;
  if (capacity <= 0) return null;
  // A measured run held at most `concurrency / GPUs` sequences per GPU (the benchmark's sweep
  // stops there, whatever the memory allows): a group of n holds at most n times that (and at
  // least one sequence: a run with fewer sequences than GPUs used groups wider than n).
  const concurrencyCap = concurrencyPerGpu === null ? Infinity : Math.max(1, concurrencyPerGpu * n);
  const batchMax = Math.min(MAX_BATCH_PER_GROUP, concurrencyCap, capacity / Math.max(cost.kvBytesPerSequenceMax, 1));
  if (batchMax < 1) return null;
  const bandwidth = n * chip.bandwidthBytesPerSecond * params.bandwidthEfficiency;
  const compute = n * chip.peakFlopsPerSecond * params.computeEfficiency;
  const fixed =
    params.stepOverheadMs / 1000 +
    (cost.layers * (params.layerStepLatencyUs ?? 0)) / 1e6 +
    (n > 1 ? (cost.layers * 2 * params.collectiveLatencyUs) / 1e6 : 0);
  const perToken = (params.perTokenOverheadUs * depthScale(cost)) / 1e6 / n;
  const prefillSeconds =
    cost.prefillFlopsPerRequest / (n * chip.peakFlopsPerSecond * params.prefillEfficiency) +
    cost.inputTokens * perToken;
  const step = (batch: number) => {
    // Distinct experts B tokens touch per MoE layer: E · (1 − (1 − k/E)^B).
    const touched =
      cost.expertsTotal > 0
        ? cost.expertsTotal * (1 - Math.pow(1 - cost.expertsPerToken / cost.expertsTotal, batch))
        : 0;
    const bytes =
      cost.denseWeightBytes + touched * cost.moeLayers * cost.expertBytes + batch * cost.kvBytesPerSequenceAverage;
    const memory = bytes / bandwidth;
    const flops = (batch * cost.decodeFlopsPerToken) / compute;
    return { seconds: Math.max(memory, flops) + fixed + batch * perToken, computeBound: flops > memory };
  };
  const g = (batch: number) => step(batch).seconds + (batch * prefillSeconds) / cost.outputTokens;
  // Disaggregated serving prefills on other GPUs: the GPU time is the same, but a user's tokens
  // are no longer held up by other users' prefills.
  const gUser = disaggregated ? (batch: number) => step(batch).seconds : g;
  return { n, batchMax, g, gUser, step, prefillSeconds };
}

/**
 * Output tokens/s per GPU at `interactivity` (tok/s/user; 0 = no latency target, the batch end),
 * best over group sizes. Null when no group size fits the weights in HBM. `concurrencyPerGpu`
 * (a measured run's concurrency ÷ its GPUs) caps the batch: the run never held more sequences. Past the largest
 * speed batching reaches, one user per group (`regime: "batch-1"`), up to the physical limit
 * (`physicalLimit`); beyond that, null.
 */
export function curvePoint(
  chip: ChipFigures,
  cost: WorkloadCost,
  params: PerfParams,
  interactivity: number,
  options: { disaggregated?: boolean; concurrencyPerGpu?: number | null } = {},
): CurvePoint | null {
  let best: CurvePoint | null = null;
  const disaggregated = options.disaggregated ?? false;
  const concurrencyPerGpu = options.concurrencyPerGpu ?? null;
  for (const n of chip.groups) {
    const times = groupTimes(chip, cost, params, n, disaggregated, concurrencyPerGpu);
    if (times === null) continue;
    let batch: number;
    if (interactivity <= 0) {
      batch = times.batchMax;
    } else {
      const budget = 1 / interactivity;
      if (times.gUser(1) > budget) continue;
      if (times.gUser(times.batchMax) <= budget) batch = times.batchMax;
      else {
        let low = 1;
        let high = times.batchMax;
        for (let i = 0; i < 18 && high - low > 4e-3 * low; i++) {
          const mid = Math.sqrt(low * high);
          if (times.gUser(mid) <= budget) low = mid;
          else high = mid;
        }
        batch = low;
      }
    }
    const g = times.g(batch);
    const candidate: CurvePoint = {
      outputTokensPerSecondPerGpu: batch / (n * g),
      interactivityTokensPerSecondPerUser: 1 / times.gUser(batch),
      groupSize: n,
      batch,
      prefillSecondsPerRequest: times.prefillSeconds,
      decodeSecondsPerRequest: (cost.outputTokens * times.step(batch).seconds) / batch,
      regime: times.step(batch).computeBound ? "compute-bound" : "memory-bound",
    };
    if (best === null || candidate.outputTokensPerSecondPerGpu > best.outputTokensPerSecondPerGpu) best = candidate;
  }
  if (best !== null || interactivity <= 0) return best;
  // Past batching's reach but within the physical limit: from the fastest point batching reaches
  // (one user on the group that serves one user fastest), throughput falls as 1/u — monotone and
  // conservative; real systems get there with speculative decoding or wider groups.
  const limit = physicalLimit(chip, cost);
  if (limit === null || interactivity > limit.interactivity) return null;
  let edge: { speed: number; n: number; times: GroupTimes } | null = null;
  for (const n of chip.groups) {
    const times = groupTimes(chip, cost, params, n, disaggregated, concurrencyPerGpu);
    if (times === null) continue;
    const speed = 1 / times.gUser(1);
    if (edge === null || speed > edge.speed) edge = { speed, n, times };
  }
  if (edge === null) return null;
  return {
    outputTokensPerSecondPerGpu: (1 / (edge.n * edge.times.g(1))) * (edge.speed / interactivity),
    interactivityTokensPerSecondPerUser: interactivity,
    groupSize: edge.n,
    batch: 1,
    prefillSecondsPerRequest: edge.times.prefillSeconds,
    decodeSecondsPerRequest: cost.outputTokens * edge.times.step(1).seconds,
    regime: "batch-1",
  };
}

/** Tokens/s one user gets at batch 1 on `n` GPUs streaming weights and KV at full datasheet bandwidth. */
function physicalSpeed(chip: ChipFigures, cost: WorkloadCost, n: number): number {
  if (cost.totalWeightBytes > n * chip.hbmBytes) return 0;
  const bytes =
    cost.denseWeightBytes + cost.expertsPerToken * cost.moeLayers * cost.expertBytes + cost.kvBytesPerSequenceAverage;
  return (n * chip.bandwidthBytesPerSecond) / bytes;
}

/**
 * The physical limit: the speed one user gets at batch 1 on the widest group the system allows,
 * streaming the active weights and its KV cache at the full datasheet bandwidth, with no
 * overhead. Null when the weights fit on no group.
 */
export function physicalLimit(
  chip: ChipFigures,
  cost: WorkloadCost,
): { interactivity: number; groupSize: number } | null {
  let best: { interactivity: number; groupSize: number } | null = null;
  for (const n of chip.limitGroups) {
    const speed = physicalSpeed(chip, cost, n);
    if (speed > 0 && (best === null || speed > best.interactivity)) best = { interactivity: speed, groupSize: n };
  }
  return best;
}

/**
 * Prefill (input) tokens/s per GPU: the prompt's FLOPs at the calibrated prefill efficiency of
 * dense peak. Per GPU, independent of the group size (prefill parallelises over the group).
 */
export function prefillRate(chip: ChipFigures, cost: WorkloadCost, params: PerfParams): number {
  const seconds =
    cost.prefillFlopsPerRequest / (chip.peakFlopsPerSecond * params.prefillEfficiency) +
    (cost.inputTokens * params.perTokenOverheadUs * depthScale(cost)) / 1e6;
  return cost.inputTokens / seconds;
}

/** Time to first token of one request on `groupSize` GPUs with an idle queue, milliseconds. */
export function timeToFirstTokenMs(
  chip: ChipFigures,
  cost: WorkloadCost,
  params: PerfParams,
  groupSize: number,
): number {
  return (1000 * cost.inputTokens) / (groupSize * prefillRate(chip, cost, params));
}
