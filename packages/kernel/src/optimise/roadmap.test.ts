/**
 * The optimiser with the catalog's hardware-generations roadmap: generations become build options
 * available from the catalog's `firstAvailable`, with throughput and price scaled by the
 * catalog's ratios to their predecessor. Nothing of a generation is bought before it exists.
 */
import { firstAvailableMonth, priceBook } from "@aifp/catalog";
import { beforeAll, expect, test } from "vitest";
import type { BuildOptionInput, Scenario } from "../index.ts";
import { loadHighsNode } from "./load-highs-node.ts";
import { optimise } from "./optimise.ts";
import type { MilpSolver } from "./solver.ts";

let solver: MilpSolver;
beforeAll(async () => {
  solver = await loadHighsNode();
});

test("Blackwell → Blackwell Ultra → Rubin from the catalog roadmap", () => {
  const chain = ["blackwell", "blackwell-ultra", "rubin"].map((key) => {
    const generation = priceBook.generations.find((g) => g.key === key);
    if (!generation) throw new Error(`catalog has no generation ${key}`);
    return generation;
  });
  // Base figures of the first generation (the golden scenario's order of magnitude); later ones
  // scaled by the catalog's ratios (price: its cited ratio when it has one, else the same price).
  let priceUsd = 515_000;
  let tps = 7856;
  const builds: BuildOptionInput[] = chain.map((generation, i) => {
    if (i > 0) {
      tps *= generation.performanceRatioToPredecessor?.value ?? 1;
      priceUsd *= generation.priceRatioToPredecessor?.value ?? 1;
    }
    return {
      kind: "build",
      id: generation.key,
      priceUsd,
      gpusPerServer: 8,
      kw: 14.3,
      adders: 0.2,
      lifeYears: 4,
      maintenancePerYear: 0.1,
      resaleDeclinePerYear: 0.2756,
      idlePowerFraction: 0.3,
      outputTokensPerSecondPerGpu: tps,
    };
  });
  const availableFrom = Object.fromEntries(chain.map((g) => [g.key, firstAvailableMonth(g.firstAvailable)]));
  const scenario: Scenario = {
    name: "roadmap",
    startMonth: "2025-01",
    horizonYears: 5,
    finance: { discountRatePerYear: 0.1 },
    workload: {
      inputTokensPerRequest: 8000,
      outputTokensPerRequest: 1000,
      requestsPerDay: 5_000_000,
      growthPerYear: 0.8,
      peakToAverage: 2,
      targetUtilization: 0.7,
    },
    site: { electricityUsdPerKwh: 0.11, pue: 1.25, colocationUsdPerKwMonth: 184, powerCapKw: 600 },
    options: [
      ...builds,
      {
        kind: "lease",
        id: "b200-cloud",
        priceUsdPerInstanceHour: 53.52,
        gpusPerInstance: 8,
        priceChangePerYear: -0.15,
        outputTokensPerSecondPerGpu: 7856,
      },
    ],
  };
  const result = optimise({ scenario, solver, settings: { availableFrom } });
  for (const month of result.hybrid.monthly) {
    for (const [id, n] of Object.entries(month.servers))
      if (n > 0) expect(month.month >= (availableFrom[id] as string)).toBe(true);
    expect(month.facilityKw).toBeLessThanOrEqual(600 + 1e-9);
  }
  // The plan moves to the newer generations once they exist.
  expect(result.hybrid.monthly.some((m) => (m.servers["rubin"] ?? 0) + (m.servers["blackwell-ultra"] ?? 0) > 0)).toBe(
    true,
  );
  // Later generations are not pure strategies from the first month.
  expect(result.strategies.find((s) => s.id === "rubin")?.feasible).toBe(false);
  expect(result.strategies.find((s) => s.id === "rubin")?.reason).toMatch(/not available before 2026-07/);
  for (const s of result.strategies)
    if (s.feasible && s.npvCostUsd !== null) expect(result.hybrid.npvCostUsd).toBeLessThanOrEqual(s.npvCostUsd);
});
