/**
 * Grouping measured points into series (one frontier each) and matching a request's precision
 * and sequence lengths to them.
 */
import type { ThroughputPoint } from "../reference-data.ts";

/** Precision families: 4-bit float formats are one family for matching and calibration. */
export type PrecisionFamily = "fp4" | "fp8" | "fp16";

const PRECISION_FAMILY: Readonly<Record<string, PrecisionFamily>> = {
  fp4: "fp4",
  nvfp4: "fp4",
  mxfp4: "fp4",
  fp8: "fp8",
  fp16: "fp16",
  bf16: "fp16",
};

/** Precision names a request may use (lower case). */
export const KNOWN_PRECISIONS: readonly string[] = Object.keys(PRECISION_FAMILY);

/**
 * The family of a precision label, or null when unknown or absent. `fp4`, `nvfp4` and `mxfp4`
 * are 4-bit float formats (one family); `bf16` is counted with `fp16` (same bytes per weight).
 */
export function precisionFamily(precision: string | null | undefined): PrecisionFamily | null {
  if (precision === null || precision === undefined) return null;
  return PRECISION_FAMILY[precision.trim().toLowerCase()] ?? null;
}

/**
 * Does a point's precision satisfy a requested one? A family name (`fp4`, `fp8`, `fp16`)
 * accepts every member of the family (`fp4` accepts `mxfp4` and `nvfp4`); a specific member
 * (`mxfp4`, `bf16`) only itself. Points without a stated precision never match a request.
 */
export function precisionMatches(requested: string, pointPrecision: string | null): boolean {
  if (pointPrecision === null) return false;
  const wanted = requested.trim().toLowerCase();
  const actual = pointPrecision.trim().toLowerCase();
  if (wanted === actual) return true;
  return wanted === precisionFamily(wanted) && precisionFamily(actual) === wanted;
}

/** The sequence-length key of a point: `"1024/1024"` when it states nominal lengths, else `"benchmark"`. */
export function lengthKey(point: ThroughputPoint): string {
  return point.inputTokens !== null && point.outputTokens !== null
    ? `${point.inputTokens}/${point.outputTokens}`
    : BENCHMARK_LENGTHS;
}

/** Length key of rows measured on a benchmark's own fixed dataset (MLPerf). */
export const BENCHMARK_LENGTHS = "benchmark";

/** How the requested lengths were matched. */
export interface LengthMatch {
  /** The chosen series' length key. */
  key: string;
  /** `exact` nominal match; `nearest` nominal lengths; `benchmark-dataset` (MLPerf fixed dataset). */
  match: "exact" | "nearest" | "benchmark-dataset";
  measuredInputTokens: number | null;
  measuredOutputTokens: number | null;
}

/**
 * Chooses which length series answers a request for `inputTokens`/`outputTokens`:
 * 1. a series with exactly those nominal lengths (InferenceX states ISL/OSL per point);
 * 2. else the series with the nearest nominal lengths, by `|ln(ISL/isl)| + |ln(OSL/osl)|`
 *    (ratios, so 1k→2k counts as far as 4k→8k); ties go to the longer input;
 * 3. else the benchmark's fixed dataset (MLPerf rows carry no per-request lengths).
 * Returns null when `keys` is empty. Throughput is never rescaled for a length mismatch: the
 * result says the lengths differ instead.
 */
export function matchLengths(keys: Iterable<string>, inputTokens: number, outputTokens: number): LengthMatch | null {
  let best: { key: string; distance: number; input: number; output: number } | null = null;
  let hasBenchmark = false;
  for (const key of new Set(keys)) {
    if (key === BENCHMARK_LENGTHS) {
      hasBenchmark = true;
      continue;
    }
    const [inputText, outputText] = key.split("/");
    const input = Number(inputText);
    const output = Number(outputText);
    const distance = Math.abs(Math.log(inputTokens / input)) + Math.abs(Math.log(outputTokens / output));
    if (
      best === null ||
      distance < best.distance - 1e-12 ||
      (Math.abs(distance - best.distance) <= 1e-12 && input > best.input)
    ) {
      best = { key, distance, input, output };
    }
  }
  if (best !== null) {
    return {
      key: best.key,
      match: best.distance <= 1e-12 ? "exact" : "nearest",
      measuredInputTokens: best.input,
      measuredOutputTokens: best.output,
    };
  }
  if (hasBenchmark) {
    return {
      key: BENCHMARK_LENGTHS,
      match: "benchmark-dataset",
      measuredInputTokens: null,
      measuredOutputTokens: null,
    };
  }
  return null;
}
