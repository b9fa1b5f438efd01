/**
 * The serving stack behind a measured point, and what it changes in the performance model.
 *
 * At low concurrency a decode step is not set by HBM bandwidth alone: every layer launches a
 * handful of kernels (attention, expert routing, GEMMs, norms, collectives) whose fixed cost
 * differs by serving stack (TensorRT-LLM, vLLM, SGLang, AMD's ATOM). The calibration fits one
 * per-layer step latency per stack family on the measured points (`PerfCalibration.stackLayerLatencyUs`);
 * a point is modelled with its own stack's latency. InferenceX runs marked `+MTP` use
 * multi-token prediction (speculative decoding): each decode step yields `a` tokens per sequence
 * on average, so a user at `u` tok/s needs steps at `u / a` and the group emits `a` times the
 * tokens: `T(u) = a · T_phys(u / a)`, with `a` fitted (`PerfCalibration.mtpTokensPerStep`).
 */
import type { ThroughputPoint } from "../reference-data.ts";
import { curvePoint, type ChipFigures, type CurvePoint, type PerfParams, type WorkloadCost } from "./perf-model.ts";

/** Serving-stack families the calibration tells apart. */
export type ServingStack = "trtllm" | "vllm" | "sglang" | "atom";

export const SERVING_STACKS: readonly ServingStack[] = ["trtllm", "vllm", "sglang", "atom"];

/** Names in words, for notes. */
export const STACK_NAMES: Readonly<Record<ServingStack, string>> = {
  trtllm: "TensorRT-LLM",
  vllm: "vLLM",
  sglang: "SGLang",
  atom: "AMD ATOM",
};

type PointWithSoftware = ThroughputPoint & { software?: string | null };

/**
 * The stack family of a point, from its system and software text (InferenceX names the
 * framework in the system; MLPerf in the software column; the TensorRT-LLM overview is
 * TensorRT-LLM). Unnamed: NVIDIA submissions → TensorRT-LLM, AMD → vLLM (their usual MLPerf stacks).
 */
export function servingStack(point: ThroughputPoint, vendor: string | null = null): ServingStack {
  if (point.source.startsWith("trtllm")) return "trtllm";
  const text = `${point.system} ${(point as PointWithSoftware).software ?? ""}`.toLowerCase();
  if (text.includes("sglang")) return "sglang";
  if (/\batom\b/.test(text)) return "atom";
  if (text.includes("vllm") || text.includes("llm-d")) return "vllm";
  if (/\btrt\b|tensorrt|dynamo-trt/.test(text)) return "trtllm";
  return planningStack(vendor, point.accelerator);
}

/** The stack a planning answer assumes: the vendor's usual maximum-throughput stack. */
export function planningStack(vendor: string | null, accelerator: string): ServingStack {
  const amd = (vendor ?? "").toLowerCase() === "amd" || /\bmi3\d\d/i.test(accelerator);
  return amd ? "vllm" : "trtllm";
}

/** Whether the run used multi-token prediction (speculative decoding). */
export function usesMtp(point: ThroughputPoint): boolean {
  return /\+\s*MTP/i.test(point.system);
}

/** Whether prefill ran on separate GPUs (disaggregated serving, InferenceX `disagg`). */
export function isDisaggregated(point: ThroughputPoint): boolean {
  return /\bdisagg/i.test(point.system);
}

/**
 * Sequences per GPU a measured run held at most: its stated concurrency (InferenceX: "concurrency
 * 128") over its GPUs (prefill and decode). Null when the source states neither (MLPerf,
 * TensorRT-LLM's maximum-load tables).
 */
export function measuredConcurrencyPerGpu(point: ThroughputPoint): number | null {
  const extra = point as ThroughputPoint & { latencyConstraint?: string | null; acceleratorCount?: number | null };
  const concurrency = /\bconcurrency (\d+(?:\.\d+)?)/.exec(extra.latencyConstraint ?? "");
  const gpus = extra.acceleratorCount;
  if (!concurrency || !gpus || !(gpus > 0)) return null;
  return Number(concurrency[1]) / gpus;
}

/** Stack-specific inputs to the curve. */
export interface StackTerms {
  /** Per-layer decode-step latency, µs. */
  layerStepLatencyUs: number;
  /** Mean tokens per decode step (multi-token prediction; 1 without). */
  tokensPerStep: number;
  /** Per-token overhead of the stack, µs per token on one GPU (absent: the params' global one). */
  perTokenOverheadUs?: number;
  /** Prefill on other GPUs: a user's tokens wait for the decode step only. */
  disaggregated?: boolean;
  /**
   * Sequences per GPU the measured run held at most (its stated concurrency ÷ its GPUs): caps the
   * batch when modelling a measured point. Absent for planning answers (any concurrency).
   */
  concurrencyPerGpu?: number | null;
}

/**
 * The model's curve point at `interactivity` under a stack's terms: the per-layer step latency
 * replaces the params' default, and with `tokensPerStep = a > 1` the curve is read at `u / a`
 * and its throughput multiplied by `a`.
 */
export function stackCurvePoint(
  chip: ChipFigures,
  cost: WorkloadCost,
  params: PerfParams,
  interactivity: number,
  terms: StackTerms,
): CurvePoint | null {
  const a = Math.max(1, terms.tokensPerStep);
  const stackParams: PerfParams = {
    ...params,
    layerStepLatencyUs: terms.layerStepLatencyUs,
    perTokenOverheadUs: terms.perTokenOverheadUs ?? params.perTokenOverheadUs,
  };
  const point = curvePoint(chip, cost, stackParams, interactivity / a, {
    disaggregated: terms.disaggregated ?? false,
    concurrencyPerGpu: terms.concurrencyPerGpu ?? null,
  });
  if (point === null || a === 1) return point;
  return {
    ...point,
    outputTokensPerSecondPerGpu: point.outputTokensPerSecondPerGpu * a,
    interactivityTokensPerSecondPerUser: point.interactivityTokensPerSecondPerUser * a,
  };
}
