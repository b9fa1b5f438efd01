/**
 * The benchmark scenario of issue #7: 5 years, 10 server SKUs over two hardware generations,
 * 10 cloud offers (on demand and 1- and 3-year terms) and an API. For timing only: the figures
 * are derived from the tables in docs (InferenceX constants for kW per GPU and $/GPU-hour;
 * InferenceMAX v1 gpt-oss-120B throughput per GPU; NIM-sheet server price), not product defaults.
 */
import type { Scenario } from "../src/index.ts";

/**
 * kW per GPU (all-in, provisioned), rental $/GPU-hour on demand (Lambda-like) and on a term
 * (the InferenceX 3-year rental column), output tokens/s per GPU, server price per GPU (USD).
 * Later generations and the on-demand prices of H200, MI300X and MI355X are placeholders.
 */
const ACCELERATORS = [
  {
    id: "h100",
    kwPerGpu: 1.73,
    onDemandUsdPerGpuHour: 3.99,
    termUsdPerGpuHour: 1.3,
    tps: 1557,
    serverUsdPerGpu: 46_250,
    from: null,
  },
  {
    id: "h200",
    kwPerGpu: 1.73,
    onDemandUsdPerGpuHour: 4.3,
    termUsdPerGpuHour: 1.6,
    tps: 1900,
    serverUsdPerGpu: 40_000,
    from: null,
  },
  {
    id: "b200",
    kwPerGpu: 2.17,
    onDemandUsdPerGpuHour: 6.69,
    termUsdPerGpuHour: 2.9,
    tps: 6076,
    serverUsdPerGpu: 64_375,
    from: null,
  },
  {
    id: "mi300x",
    kwPerGpu: 1.79,
    onDemandUsdPerGpuHour: 3.0,
    termUsdPerGpuHour: 1.55,
    tps: 1343,
    serverUsdPerGpu: 35_000,
    from: null,
  },
  {
    id: "mi355x",
    kwPerGpu: 2.65,
    onDemandUsdPerGpuHour: 4.0,
    termUsdPerGpuHour: 2.1,
    tps: 6758,
    serverUsdPerGpu: 50_000,
    from: null,
  },
  {
    id: "b300",
    kwPerGpu: 2.17,
    onDemandUsdPerGpuHour: 8.0,
    termUsdPerGpuHour: 3.48,
    tps: 7291,
    serverUsdPerGpu: 77_250,
    from: "2027-07",
  },
  {
    id: "gb300",
    kwPerGpu: 2.1,
    onDemandUsdPerGpuHour: 9.0,
    termUsdPerGpuHour: 3.96,
    tps: 8000,
    serverUsdPerGpu: 80_000,
    from: "2028-01",
  },
  {
    id: "mi450",
    kwPerGpu: 2.8,
    onDemandUsdPerGpuHour: 7.0,
    termUsdPerGpuHour: 3.0,
    tps: 9000,
    serverUsdPerGpu: 60_000,
    from: "2028-07",
  },
  {
    id: "rubin",
    kwPerGpu: 2.5,
    onDemandUsdPerGpuHour: 12.0,
    termUsdPerGpuHour: 5.0,
    tps: 14000,
    serverUsdPerGpu: 95_000,
    from: "2029-01",
  },
  {
    id: "rubin-ultra",
    kwPerGpu: 3.2,
    onDemandUsdPerGpuHour: 15.0,
    termUsdPerGpuHour: 6.5,
    tps: 22000,
    serverUsdPerGpu: 120_000,
    from: "2030-01",
  },
] as const;

/** The bench scenario; the default 400 kW cap binds as demand grows (the cap explanation re-solves). */
export function optimiserBenchScenario(powerCapKw = 400): Scenario {
  const options: Scenario["options"] = [];
  for (const a of ACCELERATORS) {
    options.push({
      kind: "build",
      id: `own-${a.id}`,
      priceUsd: a.serverUsdPerGpu * 8,
      gpusPerServer: 8,
      kw: a.kwPerGpu * 8,
      adders: 0.15,
      lifeYears: 4,
      spareFraction: 0.05,
      maintenancePerYear: 0.08,
      softwareUsdPerGpuYear: 4500,
      serversPerFte: 40,
      fteUsdPerYear: 220_000,
      resaleDeclinePerYear: 0.276,
      priceChangePerYear: -0.1,
      idlePowerFraction: 0.35,
      outputTokensPerSecondPerGpu: a.tps,
      ...(a.from ? { availableFrom: a.from } : {}),
    });
  }
  const leased = ACCELERATORS.slice(0, 5);
  leased.forEach((a, i) => {
    options.push({
      kind: "lease",
      id: `lease-${a.id}-od`,
      priceUsdPerInstanceHour: a.onDemandUsdPerGpuHour * 8,
      gpusPerInstance: 8,
      termYears: 0,
      priceChangePerYear: -0.15,
      outputTokensPerSecondPerGpu: a.tps,
    });
    options.push({
      kind: "lease",
      id: `lease-${a.id}-${i % 2 === 0 ? "1y" : "3y"}`,
      priceUsdPerInstanceHour: a.termUsdPerGpuHour * 8 * (i % 2 === 0 ? 1.8 : 1.5),
      gpusPerInstance: 8,
      termYears: i % 2 === 0 ? 1 : 3,
      priceChangePerYear: -0.15,
      outputTokensPerSecondPerGpu: a.tps,
    });
  });
  options.push({
    kind: "api",
    id: "api-open-model",
    usdPerMillionInputTokens: 0.6,
    usdPerMillionOutputTokens: 2.4,
    priceChangePerYear: -0.3,
  });
  return {
    name: "bench: 10 SKUs, 10 offers, API, 5 years",
    startMonth: "2027-01",
    horizonYears: 5,
    finance: { discountRatePerYear: 0.09 },
    workload: {
      model: "gpt-oss-120b",
      inputTokensPerRequest: 1000,
      outputTokensPerRequest: 1000,
      requestsPerDay: 20_000_000,
      growthPerYear: 0.6,
      peakToAverage: 1.5,
      targetUtilization: 0.75,
    },
    site: {
      electricityUsdPerKwh: 0.08,
      electricityEscalationPerYear: 0.02,
      pue: 1.3,
      colocationUsdPerKwMonth: 120,
      gridCarbonGPerKwh: 370,
      powerCapKw,
    },
    options,
  };
}

/**
 * The worst optimiser shape of issue #19, the largest the API admits: 20 years in yearly
 * periods (20 periods), 24 options (the bench's 10 SKUs and 10 offers, 4 APIs), demand growing
 * 90 % a year, a 600 kW power cap. With `WORST_INFEASIBLE_SETTINGS` (a yearly capex budget and
 * share limits) it cannot be served: the API answered 422 after ~10 s of solving before work
 * budgets (ADR 018).
 */
export function worstOptimiserScenario(): Scenario {
  const scenario = optimiserBenchScenario(600);
  scenario.name = "worst shape: 24 options, 20 years, 90 % growth, 600 kW";
  scenario.horizonYears = 20;
  scenario.workload = { ...scenario.workload, growthPerYear: 0.9 };
  for (const [i, price] of [
    [1, 1.5],
    [2, 3],
    [3, 6],
  ] as const) {
    scenario.options.push({
      kind: "api",
      id: `api-${i}`,
      usdPerMillionInputTokens: price / 4,
      usdPerMillionOutputTokens: price,
      priceChangePerYear: -0.2,
    });
  }
  return scenario;
}

/** The settings that make {@link worstOptimiserScenario} infeasible: a 5 M USD yearly budget and share limits. */
export const WORST_INFEASIBLE_SETTINGS = {
  capexBudgetUsdPerYear: 5_000_000,
  maxShare: { build: 0.9, lease: 0.5, api: 0.3 },
};
