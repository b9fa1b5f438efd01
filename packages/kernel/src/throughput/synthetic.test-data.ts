// Synthetic reference data for the throughput unit tests (test-only; the kernel never loads data).
import type { AcceleratorSpec, ModelSpec, ThroughputPoint } from "../reference-data.ts";

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
