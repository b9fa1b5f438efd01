/** Pieces of a `throughputAt` answer: estimate notes, latency fields, related measurements and the input (prefill) rate. */
import { ScenarioError } from "../errors.ts";
import type { AcceleratorSpec, ThroughputPoint } from "../reference-data.ts";
import { acceleratorFactor, architectureSignature, featureLn, architectureKey, planningSourceLn } from "./calibrate.ts";
import type { FrontierPoint } from "./frontier.ts";
import { prefillRate, type CurvePoint, type WorkloadCost } from "./perf-model.ts";
import { demonstratedInputRate } from "./roofline.ts";
import type { ThroughputSource, ThroughputResult } from "./throughput-types.ts";
import { toSource, formatRate } from "./measured-reading.ts";
import { type ModelContext, ttftMs, ttftOverheadFor } from "./model-context.ts";

export function lengthsTuple(lengths: { input: number; output: number }): [number, number] {
  return [lengths.input, lengths.output];
}

export function ttftInfeasible(
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
      message: `a first token within ${ttftTarget} ms is unreachable on ${accelerator} for ${model} at ${cost.inputTokens} input tokens: prefill takes about ${formatRate(best)} ms even on ${widest} GPUs (performance model, idle queue, including ${ttftOverheadFor(context).toFixed(0)} ms fixed overhead)`,
    },
  ]);
}

export function estimateDetails(
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
export function latencyFields(
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
      `time to first token: about ${formatRate(ttft)} ms of prefill on ${operating.groupSize} GPU${operating.groupSize > 1 ? "s" : ""} (performance model: ${ttftOverheadFor(context).toFixed(0)} ms fixed overhead fitted on measured TTFTs, scaled by the model's layers × width, plus the prompt's prefill, idle queue; queueing under load adds to it) against the ${ttftTarget} ms target`,
    );
  return { timeToFirstTokenMs: ttft, gpuTimeShare: { input: share, output: 1 - share } };
}

/** For an estimate: the model's batch-end points on other accelerators, and this accelerator's for other models. */
export function relatives(points: readonly ThroughputPoint[], accelerator: string, model: string): ThroughputSource[] {
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

export function inputRate(args: {
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
