// Synthetic reference data for the throughput unit tests (test-only; the kernel never loads data).
import type { AcceleratorSpec, ModelSpec, ThroughputPoint } from "../reference-data.ts";
import type { PerfCalibration } from "./calibrate.ts";
import { DEFAULT_PERF_PARAMS, architectureFromSpec, chipFigures, curvePoint, workloadCost } from "./perf-model.ts";

let counter = 0;

/** A throughput point with defaults for everything the test does not care about. */
export function point(
  overrides: Partial<ThroughputPoint> & Pick<ThroughputPoint, "accelerator" | "outputTokensPerSecondPerGpu">,
): ThroughputPoint {
  counter += 1;
  return {
    id: `p${counter}`,
    source: "inferencex",
    model: "m-70b",
    scenario: "interactive",
    precision: "fp8",
    inputTokens: 1024,
    outputTokens: 1024,
    totalTokensPerSecondPerGpu: null,
    interactivityTokensPerSecondPerUser: 10,
    system: "synthetic",
    url: "https://example.invalid/synthetic",
    asOf: "2026-01-01",
    ...overrides,
  };
}

/** A datasheet with defaults. */
export function spec(
  key: string,
  architecture: string,
  hbmBandwidthTbps: number,
  extra: Partial<AcceleratorSpec> = {},
): AcceleratorSpec {
  return {
    key,
    vendor: "Synthetic",
    name: key,
    architecture,
    launchYear: 2024,
    tdpW: 700,
    hbmGb: 141,
    hbmBandwidthTbps,
    fp16DenseTflops: 1000,
    fp8DenseTflops: 2000,
    fp4DenseTflops: null,
    source: "synthetic",
    ...extra,
  };
}

export const MODELS: ModelSpec[] = [
  { key: "m-70b", name: "M 70B", parametersB: 70, activeParametersB: 70, source: "synthetic" },
  { key: "m-8b", name: "M 8B", parametersB: 8, activeParametersB: 8, source: "synthetic" },
];

/**
 * A frontier that obeys the estimator's model exactly: throughput = bandwidth × f(u / √bandwidth)
 * with f(v) = 400 / (1 + v / 4), same efficiency for every accelerator. Points at the given
 * interactivities (tok/s/user).
 */
export function idealFrontier(
  accelerator: AcceleratorSpec,
  interactivities: number[],
  model = "m-70b",
): ThroughputPoint[] {
  return interactivities.map((u) =>
    point({
      accelerator: accelerator.key,
      model,
      interactivityTokensPerSecondPerUser: u,
      outputTokensPerSecondPerGpu:
        accelerator.hbmBandwidthTbps * (400 / (1 + u / Math.sqrt(accelerator.hbmBandwidthTbps) / 4)),
    }),
  );
}

/**
 * The performance model's own curve (default efficiencies, every factor 1) for `model` on
 * `accelerator` at fp8, 1024/1024 tokens: data a calibration must reproduce exactly.
 */
export function physicsThroughput(accelerator: AcceleratorSpec, u: number, model: ModelSpec = MODELS[0]!): number {
  const chip = chipFigures(accelerator, "fp8")!;
  const cost = workloadCost(architectureFromSpec(model), "fp8", 1024, 1024);
  return curvePoint(chip, cost, DEFAULT_PERF_PARAMS, u)!.outputTokensPerSecondPerGpu;
}

/** Points on the physics curve at the given interactivities (InferenceX-like, fp8, 1024/1024). */
export function physicsFrontier(
  accelerator: AcceleratorSpec,
  interactivities: number[],
  model = MODELS[0]!,
): ThroughputPoint[] {
  return interactivities.map((u) =>
    point({
      accelerator: accelerator.key,
      model: model.key,
      interactivityTokensPerSecondPerUser: u,
      outputTokensPerSecondPerGpu: physicsThroughput(accelerator, u, model),
    }),
  );
}

/** A calibration at the default efficiencies with every factor 1 (skips fitting in tests that only read frontiers). */
export const NEUTRAL_CALIBRATION: PerfCalibration = {
  params: DEFAULT_PERF_PARAMS,
  benchmarkLengths: {},
  acceleratorEffects: {},
  featureCoefficients: {},
  modelEffects: {},
  sourceEffects: { mlperf: 0, trtllm: 0, inferencex: 0, "inferencex-disagg": 0, mlenergy: 0 },
  datasetInputTokens: {},
  acceleratorArchitecture: {},
  observationCount: 0,
  rmsResidualLn: 0,
  ttftOverheadMs: 0,
  ttftObservationCount: 0,
  excluded: null,
};
