/**
 * Benchmark section of the kernel's `evaluate` (cost model v1), run by `npm run bench`
 * (scripts/bench.ts). evaluate reruns on every slider move in the browser: the budget is a
 * median under 1 ms for a 5-year scenario with 10 options.
 */
import { evaluate, type OptionInput, type Scenario } from "../src/index.ts";

/**
 * A scenario of `horizonYears` with 10 options (4 build, 4 lease, 2 api), every cost line in use,
 * prices of the golden example's order of magnitude (test/golden/chat-70b-three-paths).
 */
export function benchScenario(horizonYears: number): Scenario {
  const options: OptionInput[] = [];
  for (let i = 0; i < 4; i++) {
    options.push({
      kind: "build",
      id: `build-${i}`,
      priceUsd: 320_000 + 40_000 * i,
      gpusPerServer: 8,
      kw: 10.2 + i,
      adders: 0.15,
      lifeYears: [2.5, 3, 4, 5][i] as number,
      spareFraction: 0.05,
      maintenancePerYear: 0.08,
      softwareUsdPerGpuYear: 4500,
      serversPerFte: 40,
      fteUsdPerYear: 220_000,
      otherUsdPerServerYear: 3000,
      resaleDeclinePerYear: 0.3,
      priceChangePerYear: -0.1,
      idlePowerFraction: 0.35,
      outputTokensPerSecondPerGpu: 1500 * (1 + i),
      inputTokensPerSecondPerGpu: 15_000 * (1 + i),
    });
  }
  for (let i = 0; i < 4; i++) {
    options.push({
      kind: "lease",
      id: `lease-${i}`,
      priceUsdPerInstanceHour: 28 + 8 * i,
      gpusPerInstance: 8,
      termYears: [0, 1, 3, 0][i] as number,
      priceChangePerYear: -0.15,
      softwareUsdPerGpuYear: 4500,
      outputTokensPerSecondPerGpu: 1500 * (1 + i),
      inputTokensPerSecondPerGpu: 15_000 * (1 + i),
    });
  }
  options.push({
    kind: "api",
    id: "api-0",
    usdPerMillionInputTokens: 0.6,
    usdPerMillionOutputTokens: 0.6,
    priceChangePerYear: -0.3,
  });
  options.push({
    kind: "api",
    id: "api-1",
    usdPerMillionInputTokens: 3,
    usdPerMillionOutputTokens: 15,
    priceChangePerYear: -0.2,
  });
  return {
    name: `bench-${horizonYears}y-10-options`,
    startMonth: "2027-01",
    horizonYears,
    finance: { discountRatePerYear: 0.09 },
    workload: {
      inputTokensPerRequest: 1000,
      outputTokensPerRequest: 1000,
      requestsPerDay: 10_000_000,
      growthPerYear: 0.6,
      peakToAverage: 1.5,
      targetUtilization: 0.75,
    },
    site: {
      electricityUsdPerKwh: 0.08,
      electricityEscalationPerYear: 0.02,
      pue: 1.35,
      colocationUsdPerKwMonth: 160,
      gridCarbonGPerKwh: 370,
      powerCapKw: 2000,
    },
    options,
  };
}

const fiveYears = benchScenario(5);
const tenYears = benchScenario(10);

/** The section scripts/bench.ts runs: each case with its budget (median, ms) where there is one. */
export const evaluateBenchSection = {
  title: "kernel: evaluate (cost model v1)",
  cases: [
    { name: "evaluate, 5 years, 10 options", budgetMedianMs: 1, run: () => void evaluate(fiveYears) },
    { name: "evaluate, 10 years, 10 options", run: () => void evaluate(tenYears) },
  ],
};
