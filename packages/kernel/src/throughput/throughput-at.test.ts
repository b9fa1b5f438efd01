import { describe, expect, test } from "vitest";
import { ScenarioError } from "../errors.ts";
import { throughputAt, type ThroughputData, type ThroughputQuery } from "./throughput-at.ts";
import { DEFAULT_PERF_PARAMS, architectureFromSpec, chipFigures, prefillRate, workloadCost } from "./perf-model.ts";
import { MODELS, physicsFrontier, physicsThroughput, point, spec } from "./synthetic.test-data.ts";

const H = spec("H200-SXM-141GB", "Hopper", 4.8);
const B = spec("B200-SXM-180GB", "Blackwell", 8, { fp4DenseTflops: 9000, fp8DenseTflops: 4500 });
const M = spec("MI300X-192GB", "CDNA 3", 5.3);
const N = spec("NEW-GPU-100GB", "Newarch", 6);

const measured: ThroughputData = {
  throughputPoints: [
    point({
      id: "h-off",
      source: "mlperf-v5.1",
      scenario: "offline",
      accelerator: H.key,
      inputTokens: null,
      outputTokens: null,
      interactivityTokensPerSecondPerUser: null,
      outputTokensPerSecondPerGpu: 4415,
    }),
    point({
      id: "h-srv",
      source: "mlperf-v5.1",
      scenario: "server",
      accelerator: H.key,
      inputTokens: null,
      outputTokens: null,
      interactivityTokensPerSecondPerUser: 5,
      outputTokensPerSecondPerGpu: 4274,
    }),
    point({
      id: "h-int",
      source: "mlperf-v5.1",
      scenario: "interactive",
      accelerator: H.key,
      inputTokens: null,
      outputTokens: null,
      interactivityTokensPerSecondPerUser: 25,
      outputTokensPerSecondPerGpu: 2885,
    }),
    point({
      id: "b-10",
      accelerator: B.key,
      interactivityTokensPerSecondPerUser: 10,
      outputTokensPerSecondPerGpu: 9000,
      totalTokensPerSecondPerGpu: 18100,
    }),
    point({
      id: "b-40",
      accelerator: B.key,
      interactivityTokensPerSecondPerUser: 40,
      outputTokensPerSecondPerGpu: 4000,
      totalTokensPerSecondPerGpu: 8000,
    }),
    point({
      id: "b-80",
      accelerator: B.key,
      interactivityTokensPerSecondPerUser: 80,
      outputTokensPerSecondPerGpu: 1500,
      totalTokensPerSecondPerGpu: 3000,
    }),
    point({
      id: "b-8k",
      accelerator: B.key,
      inputTokens: 8192,
      outputTokens: 1024,
      interactivityTokensPerSecondPerUser: 30,
      outputTokensPerSecondPerGpu: 2000,
      totalTokensPerSecondPerGpu: 18000,
    }),
    point({
      id: "b-fp4",
      accelerator: B.key,
      precision: "fp4",
      interactivityTokensPerSecondPerUser: 40,
      outputTokensPerSecondPerGpu: 6000,
    }),
  ],
  accelerators: [H, B],
  models: MODELS,
};

const query = (overrides: Partial<ThroughputQuery>): ThroughputQuery => ({
  accelerator: "H200",
  model: "m-70b",
  inputTokens: 1024,
  outputTokens: 1024,
  ...overrides,
});

function expectScenarioError(fn: () => unknown, kind: "invalid" | "infeasible", path: string, message: RegExp): void {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ScenarioError);
    const scenarioError = error as ScenarioError;
    expect(scenarioError.kind).toBe(kind);
    expect(scenarioError.issues.map((i) => i.path)).toContain(path);
    expect(scenarioError.message).toMatch(message);
    return;
  }
  throw new Error("expected a ScenarioError");
}

describe("throughputAt on measured frontiers", () => {
  test("at a measured point: basis measured, the point as source", () => {
    const result = throughputAt(query({ interactivityTokensPerSecondPerUser: 25 }), measured);
    expect(result.outputTokensPerSecondPerGpu).toBe(2885);
    expect(result.basis).toBe("measured");
    expect(result.clamped).toBe(false);
    expect(result.sources.map((s) => s.id)).toEqual(["h-int"]);
    expect(result.accelerator).toBe("H200-SXM-141GB");
    expect(result.notes.join(" ")).toMatch(/read as H200-SXM-141GB/);
  });

  test("between points: interpolated, bracketed by both sources, never above the left one", () => {
    const result = throughputAt(query({ interactivityTokensPerSecondPerUser: 15 }), measured);
    expect(result.basis).toBe("interpolated");
    expect(result.sources.map((s) => s.id)).toEqual(["h-srv", "h-int"]);
    expect(result.outputTokensPerSecondPerGpu).toBeLessThan(4274);
    expect(result.outputTokensPerSecondPerGpu).toBeGreaterThan(2885);
  });

  test("no target: the batch end (MLPerf Offline)", () => {
    const result = throughputAt(query({}), measured);
    expect(result).toMatchObject({
      outputTokensPerSecondPerGpu: 4415,
      basis: "measured",
      interactivityTokensPerSecondPerUser: null,
    });
  });

  test("MLPerf rows are matched as the benchmark dataset, and the result says lengths differ", () => {
    const result = throughputAt(query({ interactivityTokensPerSecondPerUser: 25 }), measured);
    expect(result.lengths).toEqual({
      requestedInputTokens: 1024,
      requestedOutputTokens: 1024,
      measuredInputTokens: null,
      measuredOutputTokens: null,
      match: "benchmark-dataset",
    });
    expect(result.notes.join(" ")).toMatch(/fixed dataset/);
  });

  test("above the frontier: extrapolated along the model's curve from the last measured point", () => {
    const result = throughputAt(query({ interactivityTokensPerSecondPerUser: 30 }), measured);
    expect(result.basis).toBe("extrapolated");
    expect(result.extrapolatedFrom?.id).toBe("h-int");
    expect(result.sources.map((s) => s.id)).toEqual(["h-int"]);
    expect(result.outputTokensPerSecondPerGpu).toBeLessThan(2885);
    expect(result.outputTokensPerSecondPerGpu).toBeGreaterThan(0);
    expect(result.notes.join(" ")).toMatch(/beyond the last measured point \(25(\.0)? tok\/s\/user/);
  });

  test("only above the physical limit is a target unreachable, and the message gives the limit", () => {
    const limit = throughputAt(
      query({ interactivityTokensPerSecondPerUser: 30 }),
      measured,
    ).physicalLimitTokensPerSecondPerUser!;
    expect(limit).toBeGreaterThan(30);
    expectScenarioError(
      () => throughputAt(query({ interactivityTokensPerSecondPerUser: limit * 1.5 }), measured),
      "infeasible",
      "interactivityTokensPerSecondPerUser",
      /unreachable on H200-SXM-141GB for m-70b: the physical limit is \d+ tok\/s\/user/,
    );
  });

  test("above the frontier of an accelerator without a datasheet: infeasible, saying why", () => {
    const data: ThroughputData = {
      ...measured,
      throughputPoints: [
        ...measured.throughputPoints,
        point({
          accelerator: "ODD-1GB",
          model: "m-70b",
          interactivityTokensPerSecondPerUser: 10,
          outputTokensPerSecondPerGpu: 10,
        }),
      ],
    };
    expectScenarioError(
      () => throughputAt(query({ accelerator: "ODD-1GB", interactivityTokensPerSecondPerUser: 20 }), data),
      "infeasible",
      "interactivityTokensPerSecondPerUser",
      /beyond the last measured interactivity.*without a datasheet the curve cannot be extended/,
    );
  });

  test("below the lowest interactivity: clamped with a note", () => {
    const result = throughputAt(query({ accelerator: "B200", interactivityTokensPerSecondPerUser: 4 }), measured);
    expect(result).toMatchObject({ outputTokensPerSecondPerGpu: 9000, clamped: true, basis: "measured" });
    expect(result.notes.join(" ")).toMatch(/clamped/);
  });

  test("nominal lengths: exact match uses that series; otherwise the nearest, said so", () => {
    const exact = throughputAt(
      query({ accelerator: "B200", inputTokens: 8192, outputTokens: 1024, interactivityTokensPerSecondPerUser: 30 }),
      measured,
    );
    expect(exact).toMatchObject({
      outputTokensPerSecondPerGpu: 2000,
      lengths: { match: "exact", measuredInputTokens: 8192 },
    });
    const nearest = throughputAt(
      query({ accelerator: "B200", inputTokens: 6000, outputTokens: 1000, interactivityTokensPerSecondPerUser: 30 }),
      measured,
    );
    expect(nearest.lengths).toMatchObject({ match: "nearest", measuredInputTokens: 8192, measuredOutputTokens: 1024 });
    expect(nearest.notes.join(" ")).toMatch(/nearest measured/);
  });

  test("precision filters the points; fp4 accepts its family", () => {
    const fp4 = throughputAt(
      query({ accelerator: "B200", precision: "fp4", interactivityTokensPerSecondPerUser: 40 }),
      measured,
    );
    expect(fp4).toMatchObject({ outputTokensPerSecondPerGpu: 6000, basis: "measured" });
    const fp8 = throughputAt(
      query({ accelerator: "B200", precision: "fp8", interactivityTokensPerSecondPerUser: 40 }),
      measured,
    );
    expect(fp8.outputTokensPerSecondPerGpu).toBe(4000);
    const any = throughputAt(query({ accelerator: "B200", interactivityTokensPerSecondPerUser: 40 }), measured);
    expect(any.outputTokensPerSecondPerGpu).toBe(6000);
  });

  test("input rate: the highest measured input-token rate of the pair, as a lower bound", () => {
    const result = throughputAt(query({ accelerator: "B200", interactivityTokensPerSecondPerUser: 40 }), measured);
    expect(result.inputTokensPerSecondPerGpu).toBe(16000); // b-8k: 18000 total − 2000 output
    expect(result.inputBasis).toBe("measured-lower-bound");
  });
});

describe("throughputAt input validation", () => {
  test.each([
    [{ inputTokens: 0 }, "inputTokens", /whole number of tokens >= 1/],
    [{ outputTokens: 1.5 }, "outputTokens", /whole number/],
    [{ interactivityTokensPerSecondPerUser: -3 }, "interactivityTokensPerSecondPerUser", /> 0/],
    [{ interactivityTokensPerSecondPerUser: Number.NaN }, "interactivityTokensPerSecondPerUser", /> 0/],
    [{ precision: "int3" }, "precision", /expected one of fp4/],
    [{ timeToFirstTokenMs: 0 }, "timeToFirstTokenMs", /milliseconds > 0/],
    [{ accelerator: "" }, "accelerator", /expected an accelerator name/],
    [{ accelerator: "TPU-v9" }, "accelerator", /unknown accelerator "TPU-v9"; known: B200-SXM-180GB, H200-SXM-141GB/],
    [{ model: "nonexistent" }, "model", /unknown model/],
  ] as const)("%o → invalid at %s", (overrides, path, message) => {
    expectScenarioError(
      () => throughputAt(query(overrides as Partial<ThroughputQuery>), measured),
      "invalid",
      path,
      message,
    );
  });
});

describe("performance-model estimate", () => {
  // Four accelerators whose frontiers follow the estimator's model exactly (no architecture effects).
  const ideal: ThroughputData = {
    throughputPoints: [
      ...physicsFrontier(H, [5, 10, 20, 40, 80]),
      ...physicsFrontier(B, [5, 10, 20, 40, 80, 120]),
      ...physicsFrontier(M, [5, 10, 20, 40, 80]),
      ...physicsFrontier(spec("H100-SXM-80GB", "Hopper", 3.35), [5, 10, 20, 40]),
    ],
    accelerators: [H, B, M, N, spec("H100-SXM-80GB", "Hopper", 3.35)],
    models: MODELS,
  };

  test("an unmeasured accelerator is estimated from its datasheet, labelled, with method and relatives", () => {
    const result = throughputAt(
      query({ accelerator: "NEW-GPU-100GB", interactivityTokensPerSecondPerUser: 20 }),
      ideal,
    );
    expect(result.basis).toBe("estimated");
    expect(result.estimate?.method).toBe("performance-model");
    expect(result.estimate?.factors.acceleratorBasis).toBe("datasheet");
    expect(result.notes.join(" ")).toMatch(/estimated by the performance model/);
    expect(result.notes.join(" ")).toMatch(/estimated from datasheet: NEW-GPU-100GB has no measurement/);
    expect(result.sources.length).toBeGreaterThan(0);
    expect(result.sources.every((s) => s.model === "m-70b")).toBe(true);
    // The synthetic data follow the model with every factor 1: the estimate lands on the truth.
    expect(Math.abs(result.outputTokensPerSecondPerGpu / physicsThroughput(N, 20) - 1)).toBeLessThan(0.05);
  });

  test("an accelerator unmeasured but of a measured architecture borrows its siblings' factor, and says so", () => {
    const sibling = spec("H20-96GB", "Hopper", 4.0);
    const result = throughputAt(query({ accelerator: "H20-96GB", interactivityTokensPerSecondPerUser: 20 }), {
      ...ideal,
      accelerators: [...ideal.accelerators, sibling],
    });
    expect(result.estimate?.factors.acceleratorBasis).toBe("architecture");
    expect(result.estimate?.referenceAccelerators).toEqual(["H100-SXM-80GB", "H200-SXM-141GB"]);
    expect(result.notes.join(" ")).toMatch(/mean of its architecture's measured chips/);
  });

  test("leave-one-out: hides the pair, estimates, and reports the error against the measurement", () => {
    const result = throughputAt(
      query({ accelerator: "MI300X", interactivityTokensPerSecondPerUser: 20, leaveOneOut: true }),
      ideal,
    );
    expect(result.basis).toBe("estimated");
    expect(result.sources.every((s) => s.accelerator !== "MI300X-192GB")).toBe(true);
    expect(result.leaveOneOut?.measuredOutputTokensPerSecondPerGpu).toBeCloseTo(physicsThroughput(M, 20), 6);
    expect(Math.abs(result.leaveOneOut!.relativeError!)).toBeLessThan(0.05);
  });

  test("a target above the physical limit is unreachable for the estimate too, with the limit", () => {
    expectScenarioError(
      () => throughputAt(query({ accelerator: "NEW-GPU-100GB", interactivityTokensPerSecondPerUser: 5000 }), ideal),
      "infeasible",
      "interactivityTokensPerSecondPerUser",
      /5000 tok\/s\/user is unreachable on NEW-GPU-100GB for m-70b: the physical limit is/,
    );
  });

  test("a model measured nowhere is estimated from its parameters, labelled cross-model", () => {
    const data: ThroughputData = {
      ...ideal,
      models: [...MODELS, { key: "m-35b", name: "M 35B", parametersB: 35, activeParametersB: 35, source: "synthetic" }],
    };
    const result = throughputAt(
      query({ accelerator: "H200", model: "m-35b", interactivityTokensPerSecondPerUser: 20 }),
      data,
    );
    expect(result.basis).toBe("estimated");
    expect(result.estimate?.crossModel).toBe(true);
    expect(result.notes.join(" ")).toMatch(/no measurement of m-35b on any accelerator/);
    // Half the bytes and FLOPs per token: well above the 70B figure on the same GPU.
    expect(result.outputTokensPerSecondPerGpu / physicsThroughput(H, 20)).toBeGreaterThan(1.3);
  });

  test("an accelerator without a datasheet and without measurements cannot be estimated", () => {
    const data: ThroughputData = {
      ...measured,
      throughputPoints: [
        ...measured.throughputPoints,
        point({ accelerator: "ODD-1GB", model: "m-8b", outputTokensPerSecondPerGpu: 10 }),
      ],
    };
    expectScenarioError(
      () => throughputAt(query({ accelerator: "ODD-1GB" }), data),
      "infeasible",
      "accelerator",
      /no datasheet/,
    );
  });

  test("a precision the pair was not measured at is estimated, saying which precisions were measured", () => {
    const result = throughputAt(
      query({ accelerator: "H200", precision: "fp4", interactivityTokensPerSecondPerUser: 20 }),
      ideal,
    );
    expect(result.basis).toBe("estimated");
    expect(result.notes.join(" ")).toMatch(/no measurement of H200-SXM-141GB × m-70b at fp4; measured precisions: fp8/);
  });

  test("input rate without measured totals: the performance model's prefill rate, labelled estimated", () => {
    const result = throughputAt(
      query({ accelerator: "NEW-GPU-100GB", interactivityTokensPerSecondPerUser: 20 }),
      ideal,
    );
    const cost = workloadCost(architectureFromSpec(MODELS[0]!), "fp8", 1024, 1024);
    expect(result.inputBasis).toBe("estimated");
    expect(
      result.inputTokensPerSecondPerGpu! / prefillRate(chipFigures(N, "fp8")!, cost, DEFAULT_PERF_PARAMS),
    ).toBeCloseTo(1, 1);
    expect(result.gpuTimeShare!.input).toBeGreaterThan(0);
    expect(result.gpuTimeShare!.input).toBeLessThan(0.5);
  });

  test("a time-to-first-token target the prompt's prefill cannot meet is infeasible at timeToFirstTokenMs", () => {
    expectScenarioError(
      () => throughputAt(query({ accelerator: "NEW-GPU-100GB", timeToFirstTokenMs: 0.01 }), ideal),
      "infeasible",
      "timeToFirstTokenMs",
      /first token within 0.01 ms is unreachable/,
    );
    const ok = throughputAt(query({ accelerator: "NEW-GPU-100GB", timeToFirstTokenMs: 10_000 }), ideal);
    expect(ok.timeToFirstTokenMs!).toBeLessThan(10_000);
  });
});
