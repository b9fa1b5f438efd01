/**
 * `optimise` end to end with the real solver: the recommendation never costs more than the best
 * feasible pure strategy under the same core, never exceeds the power cap, respects generations'
 * availability, budgets and share limits, explains what binds, and says why an impossible
 * scenario is impossible.
 */
import fc from "fast-check";
import { beforeAll, describe, expect, test } from "vitest";
import { ScenarioError, type Scenario } from "../index.ts";
import { loadHighsNode } from "./load-highs-node.ts";
import { optimise, type OptimiseResult } from "./optimise.ts";
import type { MilpSolver } from "./solver.ts";

let solver: MilpSolver;
beforeAll(async () => {
  solver = await loadHighsNode();
});

/** Owned servers cheaper than leasing at scale, a cap that binds as demand grows, a newer generation from 2029. */
function growingSite(powerCapKw: number): Scenario {
  return {
    name: "growing site",
    startMonth: "2027-01",
    horizonYears: 5,
    finance: { discountRatePerYear: 0.09 },
    workload: {
      inputTokensPerRequest: 1000,
      outputTokensPerRequest: 1000,
      requestsPerDay: 10_000_000,
      growthPerYear: 0.5,
      peakToAverage: 1.5,
      targetUtilization: 0.75,
    },
    site: {
      electricityUsdPerKwh: 0.08,
      electricityEscalationPerYear: 0.02,
      pue: 1.3,
      colocationUsdPerKwMonth: 120,
      powerCapKw,
    },
    options: [
      {
        kind: "lease",
        id: "cloud-h200",
        priceUsdPerInstanceHour: 40,
        gpusPerInstance: 8,
        priceChangePerYear: -0.1,
        outputTokensPerSecondPerGpu: 1500,
      },
      {
        kind: "build",
        id: "h200",
        priceUsd: 320_000,
        gpusPerServer: 8,
        kw: 10.2,
        adders: 0.15,
        lifeYears: 4,
        spareFraction: 0.05,
        maintenancePerYear: 0.08,
        resaleDeclinePerYear: 0.276,
        priceChangePerYear: -0.1,
        idlePowerFraction: 0.35,
        outputTokensPerSecondPerGpu: 1500,
      },
      {
        kind: "build",
        id: "next-gen",
        priceUsd: 450_000,
        gpusPerServer: 8,
        kw: 14,
        adders: 0.15,
        lifeYears: 4,
        spareFraction: 0.05,
        maintenancePerYear: 0.08,
        resaleDeclinePerYear: 0.276,
        priceChangePerYear: -0.1,
        idlePowerFraction: 0.35,
        outputTokensPerSecondPerGpu: 5000,
        availableFrom: "2029-01",
      } as Scenario["options"][number],
      { kind: "api", id: "api", usdPerMillionInputTokens: 1.5, usdPerMillionOutputTokens: 6, priceChangePerYear: -0.2 },
    ],
  };
}

function checkInvariants(scenario: Scenario, result: OptimiseResult): void {
  const cap = scenario.site?.powerCapKw;
  const hybrid = result.strategies.find((s) => s.kind === "hybrid");
  expect(hybrid?.npvCostUsd).toBe(result.hybrid.npvCostUsd);
  // Never more than the best feasible pure strategy (or base-peak) evaluated by the same core.
  for (const s of result.strategies) {
    if (s.feasible && s.npvCostUsd !== null && s.kind !== "hybrid")
      expect(result.hybrid.npvCostUsd).toBeLessThanOrEqual(s.npvCostUsd * (1 + 1e-12));
  }
  // The power cap holds in every month of the recommended plan.
  if (cap !== undefined)
    for (const month of result.hybrid.monthly) expect(month.facilityKw).toBeLessThanOrEqual(cap + 1e-9);
  expect(result.hybrid.powerCapExceededMonths).toEqual([]);
  // What binds speaks of the recommended plan, whichever candidate won (not only the solver's).
  if (result.binding.powerCap)
    expect(result.binding.powerCap.peakPlannedKw).toBeCloseTo(
      Math.max(0, ...result.hybrid.periods.map((p) => p.facilityKw)),
      9,
    );
  // Every figure is a finite number.
  for (const s of result.strategies) if (s.npvCostUsd !== null) expect(Number.isFinite(s.npvCostUsd)).toBe(true);
  expect(Number.isFinite(result.hybrid.lcotUsdPerMillionTokens)).toBe(true);
}

describe("optimise", () => {
  test("a binding cap: the plan mixes owned and leased capacity, stays under the cap, and prices one more MW", () => {
    const scenario = growingSite(500);
    const result = optimise({ scenario, solver });
    checkInvariants(scenario, result);
    expect(result.hybrid.source).toBe("milp");
    expect(result.binding.powerCap?.binds).toBe(true);
    expect(result.binding.powerCap?.savingsPerMwUsd).toBeGreaterThan(0);
    expect(result.explanation.join(" ")).toMatch(
      /500 kW power cap binds from 20\d\d.*Each extra MW would save about \$[\d.]+[kMB]?/,
    );
    // Owned GPUs and leased GPUs both appear in the timeline.
    expect(result.hybrid.periods.some((p) => p.ownedGpus > 0)).toBe(true);
    expect(result.hybrid.periods.some((p) => p.leasedGpus > 0)).toBe(true);
    expect(result.hybrid.periods.map((p) => p.start)).toEqual(["2027-01", "2028-01", "2029-01", "2030-01", "2031-01"]);
    // The strategies compared: each pure option, base-peak and the hybrid.
    expect(result.strategies.map((s) => s.kind).sort()).toEqual([
      "api",
      "base-peak",
      "build",
      "build",
      "hybrid",
      "lease",
    ]);
    expect(result.strategies.find((s) => s.id === "next-gen")?.reason).toMatch(/not available before 2029-01/);
    expect(result.model.variables).toBeGreaterThan(10);
  }, 60_000);

  test("a newer generation is never bought before its availability date", () => {
    const scenario = growingSite(100_000);
    const result = optimise({ scenario, solver });
    checkInvariants(scenario, result);
    const firstNextGen = result.hybrid.monthly.findIndex((m) => (m.serversBought["next-gen"] ?? 0) > 0);
    if (firstNextGen >= 0) expect((result.hybrid.monthly[firstNextGen]?.month ?? "") >= "2029-01").toBe(true);
    expect(result.hybrid.monthly.slice(0, 24).every((m) => (m.servers["next-gen"] ?? 0) === 0)).toBe(true);
  });

  test("the same input gives the same plan (deterministic solver seed)", () => {
    const scenario = growingSite(1500);
    const a = optimise({ scenario, solver });
    const b = optimise({ scenario, solver });
    expect(b.hybrid.npvCostUsd).toBe(a.hybrid.npvCostUsd);
    expect(b.hybrid.decisions).toEqual(a.hybrid.decisions);
  });

  test("quarterly periods give a plan at least as cheap as yearly ones on this growing demand", () => {
    const scenario = growingSite(1500);
    const yearly = optimise({ scenario, solver, settings: { explain: false } });
    const quarterly = optimise({ scenario, solver, settings: { periodMonths: 3, explain: false } });
    checkInvariants(scenario, quarterly);
    expect(quarterly.hybrid.periods).toHaveLength(20);
    expect(quarterly.model.periods).toBe(20);
    expect(quarterly.hybrid.npvCostUsd).toBeLessThanOrEqual(yearly.hybrid.npvCostUsd * (1 + 1e-3));
  }, 60_000);

  test("a yearly capex budget is respected and reported when it binds", () => {
    const scenario = growingSite(100_000);
    const budget = 3_000_000;
    const result = optimise({ scenario, solver, settings: { capexBudgetUsdPerYear: budget } });
    checkInvariants(scenario, result);
    for (let year = 0; year < 5; year++) {
      const capex = result.hybrid.monthly.slice(12 * year, 12 * year + 12).reduce((a, m) => a + m.capexUsd, 0);
      expect(capex).toBeLessThanOrEqual(budget * (1 + 1e-9));
    }
    expect(result.binding.capexBudget?.bindingYears.length).toBeGreaterThan(0);
    expect(result.explanation.join(" ")).toMatch(/capex budget limits purchases/);
  });

  test("share limits hold: at most 40% of the peak from owned servers", () => {
    const scenario = growingSite(100_000);
    const result = optimise({ scenario, solver, settings: { maxShare: { build: 0.4 } } });
    checkInvariants(scenario, result);
    expect(result.strategies.find((s) => s.id === "h200")?.feasible).toBe(false);
    const periodPeaks = result.hybrid.periods.map((_, t) => t);
    expect(periodPeaks).toHaveLength(5);
    expect(result.binding.shares.map((s) => s.path)).toContain("build");
  });

  test("random small scenarios keep every invariant", () => {
    fc.assert(
      fc.property(
        fc.record({
          growth: fc.double({ min: -0.3, max: 1, noNaN: true }),
          requestsPerDay: fc.double({ min: 1e5, max: 3e7, noNaN: true }),
          leasePrice: fc.double({ min: 10, max: 80, noNaN: true }),
          serverPrice: fc.double({ min: 1e5, max: 6e5, noNaN: true }),
          capKw: fc.double({ min: 50, max: 5000, noNaN: true }),
          apiOut: fc.double({ min: 0.5, max: 20, noNaN: true }),
          withApi: fc.boolean(),
        }),
        (p) => {
          const scenario = growingSite(p.capKw);
          scenario.horizonYears = 3;
          scenario.workload = { ...scenario.workload, growthPerYear: p.growth, requestsPerDay: p.requestsPerDay };
          scenario.options = scenario.options
            .filter((o) => p.withApi || o.kind !== "api")
            .map((o) =>
              o.kind === "lease"
                ? { ...o, priceUsdPerInstanceHour: p.leasePrice }
                : o.kind === "build"
                  ? { ...o, priceUsd: p.serverPrice }
                  : { ...o, usdPerMillionOutputTokens: p.apiOut },
            );
          const result = optimise({ scenario, solver, settings: { explain: false } });
          checkInvariants(scenario, result);
        },
      ),
      { numRuns: 12, seed: 7 },
    );
  }, 60_000);
});

describe("impossible scenarios say why", () => {
  const expectInfeasible = (run: () => unknown, path: string, message: RegExp): void => {
    try {
      run();
    } catch (error) {
      expect(error).toBeInstanceOf(ScenarioError);
      expect((error as ScenarioError).kind).toBe("infeasible");
      expect((error as ScenarioError).issues[0]?.path).toBe(path);
      expect((error as ScenarioError).issues[0]?.message).toMatch(message);
      return;
    }
    throw new Error("expected a ScenarioError");
  };

  test("a power cap too small for owned servers with nothing else to serve the demand", () => {
    const scenario = growingSite(100);
    scenario.options = scenario.options.filter((o) => o.kind === "build");
    expectInfeasible(
      () => optimise({ scenario, solver }),
      "site.powerCapKw",
      /100 kW power cap is too small: owned servers need about [\d.]+ (kW|MW).*no lease or API option/,
    );
  });

  test("no option available in the first period", () => {
    const scenario = growingSite(100_000);
    scenario.options = scenario.options.filter((o) => o.id === "next-gen");
    expectInfeasible(
      () => optimise({ scenario, solver }),
      "optimise.availableFrom",
      /no option is available in the period from 2027-01/,
    );
  });

  test("share limits that add up to less than the demand", () => {
    const scenario = growingSite(100_000);
    expectInfeasible(
      () => optimise({ scenario, solver, settings: { maxShare: { build: 0.3, lease: 0.3, api: 0.3 } } }),
      "optimise.maxShare",
      /share limits/,
    );
  });

  test("bad settings are invalid, naming the field", () => {
    const scenario = growingSite(1000);
    expect(() => optimise({ scenario, solver, settings: { periodMonths: 5 } })).toThrowError(
      /optimise\.periodMonths: expected one of 1, 3, 6, 12/,
    );
    expect(() => optimise({ scenario, solver, settings: { availableFrom: { "next-gen": "2029-13" } } })).toThrowError(
      /optimise\.availableFrom\.next-gen/,
    );
    expect(() => optimise({ scenario, solver, settings: { maxShare: { api: 2 } } })).toThrowError(
      /optimise\.maxShare\.api/,
    );
    expect(() => optimise({ scenario, solver, settings: { capexBudgetUsdPerYear: [1, 2] } })).toThrowError(
      /expected 5 yearly budgets/,
    );
  });
});
