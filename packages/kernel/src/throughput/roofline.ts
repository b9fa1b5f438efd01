/**
 * Datasheet and data helpers shared by the performance model: dense peak FLOP/s at a precision,
 * the input-token rate a measurement demonstrates, the model spec of a throughput key, median.
 */
import type { AcceleratorSpec, ModelSpec, ThroughputPoint } from "../reference-data.ts";
import type { PrecisionFamily } from "./series.ts";

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
