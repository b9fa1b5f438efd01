/** What the calibration (`calibrate.ts`) fits on: measured frontier points and low-concurrency times to first token. */
import type { AcceleratorSpec, ModelArchitecture, ThroughputPoint } from "../reference-data.ts";
import { paretoFrontier } from "./frontier.ts";
import {
  chipFigures,
  servingFamilies,
  timeToFirstTokenMs,
  workloadCost,
  type ChipFigures,
  type PerfParams,
  type CostFamily,
} from "./perf-model.ts";
import { isDisaggregated, measuredConcurrencyPerGpu, servingStack, usesMtp } from "./stack.ts";
import { BENCHMARK_LENGTHS, lengthKey, precisionFamily } from "./series.ts";
import type { ThroughputData } from "./throughput-at.ts";
import {
  MLPERF_OUTPUT_TOKENS,
  sourceKind,
  sourceLevel,
  promptDataset,
  architectureKey,
  type Exclusion,
  excludesModel,
  architectureFor,
  releasePrecision,
  modelFeatures,
  architectureSignature,
  type Observation,
} from "./calibration-keys.ts";

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
    const lengths = promptDataset(point)?.name ?? lengthKey(point);
    const key = `${point.accelerator}|${architectureKey(point.model)}|${lengths}|${family}|${sourceKind(point.source)}`;
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
    const dataset = promptDataset(first);
    const benchmark = dataset === null && lengthKey(first) === BENCHMARK_LENGTHS ? architectureKey(first.model) : null;
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
        level: sourceLevel(sourceKind(first.source), isDisaggregated(f.point)),
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
        dataset: dataset === null ? null : promptDataset(f.point),
        stack: servingStack(f.point, spec.vendor),
        mtp: usesMtp(f.point),
        disaggregated: isDisaggregated(f.point),
        concurrencyPerGpu: measuredConcurrencyPerGpu(f.point),
      });
    }
  }
  return result;
}
