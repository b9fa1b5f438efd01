/**
 * Brute force confirms the MILP's optimum on small instances: every integer plan (servers bought
 * per SKU and period, early sales) is enumerated and priced by an oracle written here from the
 * formulas of docs/optimiser.md (not from the model's coefficients); leases and API shares are
 * continuous, so for fixed purchases the oracle covers each period's remaining peak with the
 * cheaper of the two per unit. The solver's objective must equal the enumerated minimum.
 */
import { beforeAll, describe, expect, test } from "vitest";
import type { Scenario } from "../index.ts";
import { buildPlanningContext } from "./context.ts";
import { loadHighsNode } from "./load-highs-node.ts";
import { buildFleetModel, type ModelLimits } from "./model.ts";
import { runSolver, type MilpSolver } from "./solver.ts";
import { LpModel } from "./lp-model.ts";

let solver: MilpSolver;
beforeAll(async () => {
  solver = await loadHighsNode();
});

interface Sku {
  id: string;
  priceUsd: number;
  kw: number;
  tps: number;
  lifeYears: number;
  availableFrom?: string;
}

function tinyScenario(skus: Sku[], powerCapKw: number | undefined): Scenario {
  return {
    name: "tiny",
    startMonth: "2027-01",
    horizonYears: 3,
    finance: { discountRatePerYear: 0.1 },
    workload: {
      inputTokensPerRequest: 500,
      outputTokensPerRequest: 500,
      requestsPerDay: 3_456_000,
      growthPerYear: 0.4,
      peakToAverage: 1.5,
      targetUtilization: 0.8,
    },
    site: {
      electricityUsdPerKwh: 0.1,
      electricityEscalationPerYear: 0.03,
      pue: 1.25,
      colocationUsdPerKwMonth: 150,
      ...(powerCapKw === undefined ? {} : { powerCapKw }),
    },
    options: [
      ...skus.map((s) => ({
        kind: "build" as const,
        id: s.id,
        priceUsd: s.priceUsd,
        gpusPerServer: 8,
        kw: s.kw,
        adders: 0.1,
        lifeYears: s.lifeYears,
        maintenancePerYear: 0.06,
        softwareUsdPerGpuYear: 2000,
        resaleDeclinePerYear: 0.3,
        priceChangePerYear: -0.1,
        // Idle power 1: energy does not depend on load, so no load-share columns (the oracle stays simple).
        idlePowerFraction: 1,
        outputTokensPerSecondPerGpu: s.tps,
        ...(s.availableFrom ? { availableFrom: s.availableFrom } : {}),
      })),
      {
        kind: "lease" as const,
        id: "cloud",
        priceUsdPerInstanceHour: 30,
        gpusPerInstance: 8,
        priceChangePerYear: -0.1,
        outputTokensPerSecondPerGpu: 1000,
      },
      {
        kind: "api" as const,
        id: "api",
        usdPerMillionInputTokens: 0.4,
        usdPerMillionOutputTokens: 1.6,
        priceChangePerYear: -0.2,
      },
    ],
  };
}

/** The oracle: NPV of an integer plan under the period model, from first principles. */
function oracleCost(
  scenario: Scenario,
  skus: Sku[],
  buys: number[][],
  retires: Map<string, number>,
  powerCapKw: number | null,
): number | null {
  const months = 36;
  const years = (m: number): number => m / 12;
  const v = (m: number): number => (1 + 0.1) ** -years(m);
  const w = scenario.workload;
  const avg = (m: number): number =>
    (w.requestsPerDay * (1 + (w.growthPerYear ?? 0)) ** years(m) * w.outputTokensPerRequest) / 86400;
  const peak = (m: number): number => avg(m) * 1.5;
  const periods = [0, 1, 2].map((t) => ({ start: 12 * t, end: 12 * t + 12 }));
  const peakOf = periods.map((p) => Math.max(...Array.from({ length: 12 }, (_, i) => peak(p.start + i))));
  let total = 0;
  const ownedFraction = [0, 0, 0];
  const presentKw = [0, 0, 0];
  skus.forEach((sku, b) => {
    const life = sku.lifeYears * 12;
    const capacity = (8 * sku.tps * 0.8) / 1;
    periods.forEach((period, t) => {
      const n = buys[b]?.[t] ?? 0;
      if (n === 0) return;
      const s = period.start;
      const price = sku.priceUsd * 0.9 ** years(s);
      total += n * price * 1.1 * v(s);
      let alive = n;
      for (let m = s; m < Math.min(s + life, months); m++) {
        const u = Math.floor(m / 12);
        if (m === 12 * u && u > t) {
          const sold = retires.get(`${b}_${t}_${u}`) ?? 0;
          if (sold > alive) return void (total = Number.NaN);
          alive -= sold;
          total -= sold * price * 0.7 ** years(m - s) * v(m);
        }
        const electricity = 0.1 * 1.03 ** years(m);
        const perServer = sku.kw * 150 + (0.06 / 12) * price + (2000 / 12) * 8 + sku.kw * 1 * 1.25 * 730 * electricity;
        total += alive * perServer * v(m + 1);
      }
      if (s + life < months) total -= alive * price * 0.7 ** sku.lifeYears * v(s + life);
      else total -= alive * price * 0.7 ** years(months - s) * v(months);
      // Capacity in periods fully inside the life, power in periods the cohort is on site.
      let left = n;
      periods.forEach((u, ui) => {
        if (ui < t) return;
        if (ui > t) left -= retires.get(`${b}_${t}_${ui}`) ?? 0;
        if (u.start < s + life) presentKw[ui] = (presentKw[ui] as number) + left * sku.kw * 1.25;
        if (u.end <= s + life)
          ownedFraction[ui] = (ownedFraction[ui] as number) + (left * capacity) / (peakOf[ui] as number);
      });
    });
  });
  if (Number.isNaN(total)) return null;
  if (powerCapKw !== null && presentKw.some((kw) => kw > powerCapKw + 1e-9)) return null;
  periods.forEach((period, u) => {
    const deficit = Math.max(0, 1 - (ownedFraction[u] as number));
    let leasePerFraction = 0;
    let apiPerFraction = 0;
    for (let m = period.start; m < period.end; m++) {
      leasePerFraction += 30 * 0.9 ** years(m) * 730 * v(m + 1);
      const requests = (w.requestsPerDay * 1.4 ** years(m) * 730) / 24;
      apiPerFraction += ((requests * (500 * 0.4 + 500 * 1.6)) / 1e6) * 0.8 ** years(m) * v(m + 1);
    }
    leasePerFraction *= (peakOf[u] as number) / (8 * 1000 * 0.8);
    total += deficit * Math.min(leasePerFraction, apiPerFraction);
  });
  return total;
}

function* range(n: number): Generator<number> {
  for (let i = 0; i <= n; i++) yield i;
}

function solveModel(scenario: Scenario, limits: ModelLimits): { objective: number; values: Map<string, number> } {
  const context = buildPlanningContext(scenario, { periodMonths: 12 });
  const model = buildFleetModel(context, limits);
  const outcome = runSolver(solver, model.lp.toLpText(), { mip_rel_gap: 1e-9, mip_abs_gap: 1e-6 });
  if (outcome.status !== "optimal") throw new Error(`expected optimal, got ${outcome.status}`);
  return { objective: outcome.objective, values: outcome.values };
}

const noLimits = (powerCapKw: number | null, allowEarlyRetirement: boolean): ModelLimits => ({
  powerCapKw,
  capexBudgetUsdPerYear: null,
  maxShare: { build: 1, lease: 1, api: 1 },
  allowEarlyRetirement,
});

describe("the MILP's optimum equals brute-force enumeration", () => {
  test("one SKU with early sales allowed (2-year life, 3 yearly periods)", () => {
    const skus: Sku[] = [{ id: "gpu-a", priceUsd: 200_000, kw: 10, tps: 1000, lifeYears: 2 }];
    const scenario = tinyScenario(skus, undefined);
    const { objective, values } = solveModel(scenario, noLimits(null, true));
    let best = Number.POSITIVE_INFINITY;
    let plans = 0;
    const bound = 8;
    for (const x0 of range(bound))
      for (const x1 of range(bound))
        for (const x2 of range(bound)) {
          for (const r01 of range(x0))
            for (const r12 of range(x1)) {
              const retires = new Map([
                ["0_0_1", r01],
                ["0_1_2", r12],
              ]);
              const cost = oracleCost(scenario, skus, [[x0, x1, x2]], retires, null);
              plans++;
              if (cost !== null && cost < best) best = cost;
            }
        }
    expect(plans).toBeGreaterThan(10_000);
    expect(Math.abs(objective - best)).toBeLessThanOrEqual(1e-7 * best);
    // The solver's own integers, priced by the oracle, give its objective.
    const chosen = [[0, 1, 2].map((t) => Math.round(values.get(`x0_${t}`) ?? 0))];
    const retires = new Map([
      ["0_0_1", Math.round(values.get("r0_0_1") ?? 0)],
      ["0_1_2", Math.round(values.get("r0_1_2") ?? 0)],
    ]);
    expect(Math.abs((oracleCost(scenario, skus, chosen, retires, null) as number) - objective)).toBeLessThanOrEqual(
      1e-7 * best,
    );
  });

  test("two generations under a binding power cap (the newer one available from year 2)", () => {
    const skus: Sku[] = [
      { id: "gen-1", priceUsd: 200_000, kw: 10, tps: 1000, lifeYears: 3 },
      { id: "gen-2", priceUsd: 300_000, kw: 12, tps: 2500, lifeYears: 3, availableFrom: "2028-01" },
    ];
    // A cap at 60% of the power the uncapped optimum uses, so that it binds.
    const uncapped = solveModel(tinyScenario(skus, undefined), noLimits(null, false)).values;
    const uncappedKw = [0, 1, 2].map((u) =>
      [0, 1, 2]
        .filter((t) => t <= u)
        .reduce(
          (kw, t) =>
            kw + Math.round(uncapped.get(`x0_${t}`) ?? 0) * 12.5 + Math.round(uncapped.get(`x1_${t}`) ?? 0) * 15,
          0,
        ),
    );
    const cap = Math.floor(0.6 * Math.max(...uncappedKw));
    expect(cap).toBeGreaterThan(0);
    const scenario = tinyScenario(skus, cap);
    const { objective, values } = solveModel(scenario, noLimits(cap, false));
    let best = Number.POSITIVE_INFINITY;
    const bound = 6;
    for (const a0 of range(bound))
      for (const a1 of range(bound))
        for (const a2 of range(bound))
          for (const b1 of range(bound))
            for (const b2 of range(bound)) {
              const cost = oracleCost(
                scenario,
                skus,
                [
                  [a0, a1, a2],
                  [0, b1, b2],
                ],
                new Map(),
                cap,
              );
              if (cost !== null && cost < best) best = cost;
            }
    expect(Math.abs(objective - best)).toBeLessThanOrEqual(1e-7 * best);
    // Nothing of generation 2 before it exists; the cap holds in every period.
    expect(values.has("x1_0")).toBe(false);
    const gen1 = [0, 1, 2].map((t) => Math.round(values.get(`x0_${t}`) ?? 0));
    const gen2 = [0, 1, 2].map((t) => Math.round(values.get(`x1_${t}`) ?? 0));
    for (let u = 0; u < 3; u++) {
      const onSite =
        gen1.slice(0, u + 1).reduce((a, b) => a + b, 0) * 12.5 + gen2.slice(0, u + 1).reduce((a, b) => a + b, 0) * 15;
      expect(onSite).toBeLessThanOrEqual(cap + 1e-9);
    }
    // The cap binds: without it the optimum is cheaper.
    const free = solveModel(scenario, noLimits(null, false));
    expect(free.objective).toBeLessThan(objective);
  });
});

describe("LP text", () => {
  test("a small MILP written as LP text solves to its known optimum", () => {
    const lp = new LpModel();
    lp.addVariable("x", { integer: true, upper: 10, cost: -1 });
    lp.addVariable("y", { upper: 4.5, cost: -2 });
    lp.addConstraint(
      "c1",
      [
        ["x", 1],
        ["y", 1],
      ],
      "<=",
      7.25,
    );
    lp.addConstraint(
      "c2",
      [
        ["x", 1],
        ["y", -1],
      ],
      ">=",
      -1e-7,
    );
    const outcome = runSolver(solver, lp.toLpText(), {});
    expect(outcome.status).toBe("optimal");
    if (outcome.status !== "optimal") return;
    // max x + 2y: y = 4.5 (bound), x ≤ 2.75 and ≥ 4.5 − 1e-7 → infeasible unless x ≥ 4.5: so y < 4.5.
    // Optimum: x + y = 7.25 with x ≥ y, x integer → x = 4, y = 3.25: objective −10.5.
    expect(outcome.values.get("x")).toBe(4);
    expect(outcome.objective).toBeCloseTo(-10.5, 9);
    expect(lp.integerCount).toBe(1);
  });

  test("names and numbers are checked", () => {
    const lp = new LpModel();
    expect(() => lp.addVariable("1x")).toThrowError(/invalid variable name/);
    lp.addVariable("x");
    expect(() => lp.addVariable("x")).toThrowError(/duplicate/);
    expect(() => lp.addConstraint("c", [["nope", 1]], "<=", 1)).toThrowError(/unknown variable/);
    expect(() => lp.addVariable("z", { cost: Number.NaN })).toThrowError(/not finite/);
    expect(lp.toLpText()).toContain("0 <= x <= +inf");
  });

  test("an infeasible model is reported as infeasible", () => {
    const lp = new LpModel();
    lp.addVariable("x", { upper: 1, cost: 1 });
    lp.addConstraint("c", [["x", 1]], ">=", 2);
    expect(runSolver(solver, lp.toLpText(), {}).status).toBe("infeasible");
  });
});
