import { describe, expect, it } from "vitest";
import { MODELS, point, spec } from "./synthetic.test-data.ts";
import {
  architectureFromSpec,
  chipFigures,
  curvePoint,
  servingFamilies,
  ttftOverheadScale,
  workloadCost,
  DEFAULT_PERF_PARAMS,
} from "./perf-model.ts";
import { fitTtft, prefillMs, type TtftObservation } from "./calibrate.ts";
import {
  isDisaggregated,
  measuredConcurrencyPerGpu,
  planningStack,
  servingStack,
  stackCurvePoint,
  usesMtp,
} from "./stack.ts";

describe("serving stack of a measured point", () => {
  it("reads the framework from the system and software text, else the vendor's usual stack", () => {
    const p = (system: string, extra: Record<string, unknown> = {}) =>
      point({ accelerator: "X", outputTokensPerSecondPerGpu: 1, system, ...extra });
    expect(servingStack(p("b200 dynamo-trt disagg +MTP [prefill 4 GPU]"))).toBe("trtllm");
    expect(servingStack(p("mi355x mori-sglang disagg [prefill 8 GPU]"))).toBe("sglang");
    expect(servingStack(p("mi355x atom +MTP [TP8/EP1]"))).toBe("atom");
    expect(servingStack(p("8xMI325X", { software: "vLLM 0.6.5" }))).toBe("vllm");
    expect(servingStack(p("DGX H100", { source: "trtllm-perf-overview" }))).toBe("trtllm");
    expect(servingStack(p("Some AMD box", { accelerator: "MI300X-192GB" }))).toBe("vllm");
    expect(servingStack(p("Some NVIDIA box"))).toBe("trtllm");
    expect(usesMtp(p("b200 sglang +MTP [TP8]"))).toBe(true);
    expect(usesMtp(p("b200 sglang [TP8]"))).toBe(false);
    expect(isDisaggregated(p("gb200 dynamo-sglang disagg [prefill]"))).toBe(true);
    expect(isDisaggregated(p("b200 trt [TP8]"))).toBe(false);
    expect(planningStack("AMD", "MI355X-288GB")).toBe("vllm");
    expect(planningStack("NVIDIA", "B200-SXM-180GB")).toBe("trtllm");
  });

  it("reads a run's concurrency per GPU from its stated concurrency and GPU count, else none", () => {
    const p = (extra: Record<string, unknown>) =>
      point({ accelerator: "X", outputTokensPerSecondPerGpu: 1, system: "b200 trt [TP4]", ...extra });
    const run = p({ latencyConstraint: "ISL/OSL 1024/1024; concurrency 64; median TTFT 131 ms", acceleratorCount: 4 });
    expect(measuredConcurrencyPerGpu(run)).toBe(16);
    expect(measuredConcurrencyPerGpu(p({ latencyConstraint: "p99 TPOT<=40ms", acceleratorCount: 8 }))).toBeNull();
    expect(measuredConcurrencyPerGpu(p({ latencyConstraint: "concurrency 64" }))).toBeNull();
  });
});

describe("stack terms in the curve", () => {
  const chip = chipFigures(spec("A", "Arch", 4.8), "fp8")!;
  const cost = workloadCost(architectureFromSpec(MODELS[0]!), "fp8", 1024, 1024);
  const base = { layerStepLatencyUs: 0, tokensPerStep: 1 };

  it("a per-layer step latency lowers throughput at a latency target, not at the batch end's memory limit", () => {
    const fast = stackCurvePoint(chip, cost, DEFAULT_PERF_PARAMS, 30, base)!;
    const slow = stackCurvePoint(chip, cost, DEFAULT_PERF_PARAMS, 30, { ...base, layerStepLatencyUs: 100 })!;
    expect(slow.outputTokensPerSecondPerGpu).toBeLessThan(fast.outputTokensPerSecondPerGpu);
    expect(slow.batch).toBeLessThan(fast.batch);
  });

  it("multi-token prediction reads the curve at u / a and multiplies its throughput by a", () => {
    const a = 1.5;
    const plain = curvePoint(chip, cost, { ...DEFAULT_PERF_PARAMS, layerStepLatencyUs: 0 }, 40 / a)!;
    const mtp = stackCurvePoint(chip, cost, DEFAULT_PERF_PARAMS, 40, { ...base, tokensPerStep: a })!;
    expect(mtp.outputTokensPerSecondPerGpu).toBeCloseTo(a * plain.outputTokensPerSecondPerGpu, 9);
  });

  it("disaggregated prefill serves a user faster at the same GPU time: more throughput at a target", () => {
    const together = stackCurvePoint(chip, cost, DEFAULT_PERF_PARAMS, 40, base)!;
    const apart = stackCurvePoint(chip, cost, DEFAULT_PERF_PARAMS, 40, { ...base, disaggregated: true })!;
    expect(apart.outputTokensPerSecondPerGpu).toBeGreaterThan(together.outputTokensPerSecondPerGpu);
  });

  it("a measured run's concurrency caps the batch: the curve flattens at the sweep's last concurrency", () => {
    const free = stackCurvePoint(chip, cost, DEFAULT_PERF_PARAMS, 0, base)!;
    const capped = stackCurvePoint(chip, cost, DEFAULT_PERF_PARAMS, 0, { ...base, concurrencyPerGpu: 8 })!;
    expect(free.batch).toBeGreaterThan(8 * free.groupSize);
    expect(capped.batch).toBeLessThanOrEqual(8 * capped.groupSize + 1e-9);
    expect(capped.outputTokensPerSecondPerGpu).toBeLessThan(free.outputTokensPerSecondPerGpu);
    // Fewer sequences than GPUs: a group still holds one.
    const sparse = stackCurvePoint(chip, cost, DEFAULT_PERF_PARAMS, 0, { ...base, concurrencyPerGpu: 0.125 })!;
    expect(sparse.batch).toBe(1);
  });
});

describe("4-bit releases on chips without FP4", () => {
  it("keep 4-bit weights and multiply at the 16-bit rate; elsewhere the serving precision holds", () => {
    const hopper = spec("H", "Hopper", 4.8, { fp4DenseTflops: null });
    const blackwell = spec("B", "Blackwell", 8, { fp4DenseTflops: 9000 });
    expect(servingFamilies(hopper, "fp8", "mxfp4")).toEqual({ cost: "fp4-w16", chip: "fp16" });
    expect(servingFamilies(blackwell, "fp4", "mxfp4")).toEqual({ cost: "fp4", chip: "fp4" });
    expect(servingFamilies(hopper, "fp8", "bf16")).toEqual({ cost: "fp8", chip: "fp8" });
    expect(servingFamilies(hopper, "fp16", "mxfp4")).toEqual({ cost: "fp16", chip: "fp16" });
  });

  it("weight-only 4-bit holds 4-bit weights but a 16-bit KV cache (twice FP4's KV bytes)", () => {
    const architecture = architectureFromSpec(MODELS[0]!);
    const weightOnly = workloadCost(architecture, "fp4-w16", 1024, 1024);
    const fp4 = workloadCost(architecture, "fp4", 1024, 1024);
    expect(weightOnly.totalWeightBytes).toBe(fp4.totalWeightBytes);
    expect(weightOnly.kvBytesPerSequenceMax).toBeCloseTo(2 * fp4.kvBytesPerSequenceMax, 6);
  });
});

describe("time-to-first-token law", () => {
  it("recovers the fixed overhead and the prefill's pace from TTFTs at two prompt lengths, past an outlier", () => {
    const chip = chipFigures(spec("A", "Arch", 4.8), "fp8")!;
    const architecture = architectureFromSpec(MODELS[0]!);
    const scale = ttftOverheadScale(architecture);
    const observations = [1024, 2048, 8192, 16384].flatMap((inputTokens) =>
      [1, 8].map((gpus) => {
        const o = { chip, architecture, family: "fp8" as const, inputTokens, outputTokens: 1024, gpus };
        return { ...o, accelerator: "A", measuredMs: 40 * scale + 2 * prefillMs(o, DEFAULT_PERF_PARAMS, 0) };
      }),
    );
    // A queued run: ten times its law.
    const outlier = { ...observations[0]!, measuredMs: 10 * observations[0]!.measuredMs };
    const fit = fitTtft([...observations, outlier] as unknown as TtftObservation[], DEFAULT_PERF_PARAMS, {});
    expect(fit.overheadMs).toBeCloseTo(40, 0);
    expect(fit.prefillScale).toBeCloseTo(2, 1);
    expect(fitTtft([], DEFAULT_PERF_PARAMS, {})).toEqual({ overheadMs: 0, prefillScale: 1 });
  });
});
