/**
 * The monthly plan evaluation against the evaluate core: a plan with one option and no limit
 * must give exactly the figures `evaluate` gives for that pure strategy (every golden scenario,
 * every option), and mixed plans must respect their limits.
 */
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { evaluate, ScenarioError, type Scenario } from "../index.ts";
import { buildPlanningContext } from "./context.ts";
import { evaluateFleetPlan } from "./fleet.ts";
import { purePlan } from "./strategies.ts";

const goldenDir = new URL("../../../../test/golden/", import.meta.url);
// The golden examples (a scenario with its expected result; catalog-defaults has references, not numbers).
const goldenFiles = readdirSync(goldenDir);
const goldenNames = goldenFiles.filter(
  (f) => f.endsWith(".scenario.json") && goldenFiles.includes(f.replace(".scenario.json", ".expected.json")),
);
const golden = (file: string): Scenario => JSON.parse(readFileSync(new URL(file, goldenDir), "utf8")) as Scenario;

/** Variants that exercise every cost line: falling demand, a life inside the horizon, spares, idle power, terms. */
function variants(): Scenario[] {
  const list: Scenario[] = goldenNames.map(golden);
  const base = golden(goldenNames[0] as string);
  list.push({
    ...base,
    name: "falling demand, short life",
    horizonYears: 6,
    workload: { ...base.workload, growthPerYear: -0.2, peakToAverage: 2, targetUtilization: 0.6 },
    options: base.options.map((o) =>
      o.kind === "build"
        ? { ...o, lifeYears: 2.5, spareFraction: 0.1, otherUsdPerServerYear: 3000, idlePowerFraction: 0.3 }
        : o.kind === "lease"
          ? { ...o, termYears: 1, softwareUsdPerGpuYear: 1000 }
          : o,
    ),
  });
  return list;
}

describe("evaluateFleetPlan reproduces evaluate for pure strategies", () => {
  for (const scenario of variants()) {
    const result = evaluate(scenario);
    const context = buildPlanningContext(scenario);
    for (const option of result.options) {
      test(`${scenario.name}: ${option.id}`, () => {
        const fleet = evaluateFleetPlan(context, purePlan(context, option.id));
        // Same operations in the same order: equal to the last bit.
        expect(fleet.npvCostUsd).toBe(option.npvCostUsd);
        expect(fleet.tcoUsd).toBe(option.tcoUsd);
        expect(fleet.residualUsd).toBe(option.residualUsd);
        expect(fleet.lcotUsdPerMillionTokens).toBe(option.lcotUsdPerMillionTokens);
        fleet.monthly.forEach((month, m) => {
          const expected = option.monthly[m];
          expect(month.cashUsd).toBe(expected?.cashUsd);
          expect(month.capexUsd).toBe(expected?.capexUsd);
          expect(month.resaleUsd).toBe(expected?.resaleUsd);
        });
        if (option.kind === "build") {
          const build = option;
          expect(fleet.monthly.map((m) => m.servers[option.id])).toEqual(build.monthly.map((m) => m.servers));
          expect(fleet.monthly.map((m) => m.kwh)).toEqual(build.monthly.map((m) => m.kwh));
          expect(fleet.powerCapExceededMonths).toEqual(build.powerCapExceededMonths);
        }
        if (option.kind === "lease") {
          const lease = option;
          expect(fleet.monthly.map((m) => m.instances[option.id])).toEqual(lease.monthly.map((m) => m.instances));
        }
      });
    }
  }
});

describe("evaluateFleetPlan with mixed plans", () => {
  const scenario = golden(goldenNames[0] as string);
  const context = buildPlanningContext(scenario);
  const buildId = scenario.options.find((o) => o.kind === "build")?.id as string;
  const leaseId = scenario.options.find((o) => o.kind === "lease")?.id as string;
  const apiId = scenario.options.find((o) => o.kind === "api")?.id as string;

  test("owned servers stop at the plan's count and leases cover the rest", () => {
    const plan = {
      periods: [
        {
          startMonth: 0,
          months: context.months,
          buyServers: { [buildId]: 30 },
          leaseInstances: { [leaseId]: Number.POSITIVE_INFINITY },
        },
      ],
    };
    const fleet = evaluateFleetPlan(context, plan);
    const bought = fleet.monthly.reduce((a, m) => a + (m.serversBought[buildId] ?? 0), 0);
    expect(bought).toBe(30);
    // Every month: capacity at the target utilisation covers the peak.
    const build = context.builds[0];
    const lease = context.leases[0];
    fleet.monthly.forEach((month, m) => {
      const capacity =
        (month.servers[buildId] ?? 0) * (build?.capacityTps ?? 0) +
        (month.instances[leaseId] ?? 0) * (lease?.capacityTps ?? 0);
      expect(capacity).toBeGreaterThanOrEqual((context.demand.peakOutputTokensPerSecond[m] as number) * (1 - 1e-9));
    });
    // Leases are needed once demand outgrows 30 servers, never before the owned fleet is full.
    const firstLease = fleet.monthly.findIndex((m) => (m.instances[leaseId] ?? 0) > 0);
    expect(firstLease).toBeGreaterThan(0);
    expect(fleet.monthly[firstLease]?.servers[buildId]).toBe(30);
  });

  test("an API share sends that share of tokens to the API and shrinks the fleet", () => {
    const half = evaluateFleetPlan(context, {
      periods: [
        {
          startMonth: 0,
          months: context.months,
          apiShare: { [apiId]: 0.5 },
          leaseInstances: { [leaseId]: Number.POSITIVE_INFINITY },
        },
      ],
    });
    const apiOnly = evaluate(scenario).options.find((o) => o.id === apiId);
    const apiSpend = half.monthly.reduce((a, m) => a + m.apiUsd, 0);
    const apiFull = apiOnly?.monthly.reduce((a, m) => a + m.cashUsd, 0) ?? 0;
    expect(Math.abs(apiSpend - apiFull / 2)).toBeLessThan(1e-6 * apiFull);
    const pureLease = evaluateFleetPlan(context, purePlan(context, leaseId));
    expect(half.monthly[0]?.instances[leaseId]).toBeLessThan(pureLease.monthly[0]?.instances[leaseId] ?? 0);
  });

  test("a plan that leaves demand uncovered is infeasible, naming the month", () => {
    const plan = { periods: [{ startMonth: 0, months: context.months, buyServers: { [buildId]: 5 } }] };
    expect(() => evaluateFleetPlan(context, plan)).toThrowError(ScenarioError);
    try {
      evaluateFleetPlan(context, plan);
    } catch (error) {
      expect((error as ScenarioError).kind).toBe("infeasible");
      expect((error as ScenarioError).issues[0]?.message).toMatch(/2027-0[1-9]/);
    }
  });

  test("malformed plans are invalid with the field named", () => {
    const bad = () => evaluateFleetPlan(context, { periods: [{ startMonth: 1, months: 3, buyServers: { nope: 1 } }] });
    expect(bad).toThrowError(/plan\.periods\.0\.startMonth/);
    expect(bad).toThrowError(/plan\.periods\.0\.buyServers\.nope/);
    expect(() =>
      evaluateFleetPlan(context, { periods: [{ startMonth: 0, months: context.months, apiShare: { [apiId]: 1.5 } }] }),
    ).toThrowError(/share between 0 and 1/);
  });

  test("early retirement sells the cohort at its age and removes it from the fleet", () => {
    const periods = [
      {
        startMonth: 0,
        months: 12,
        buyServers: { [buildId]: Number.POSITIVE_INFINITY },
        leaseInstances: { [leaseId]: Number.POSITIVE_INFINITY },
      },
      {
        startMonth: 12,
        months: context.months - 12,
        retire: [{ optionId: buildId, boughtInPeriod: 0, servers: 3 }],
        leaseInstances: { [leaseId]: Number.POSITIVE_INFINITY },
      },
    ];
    const fleet = evaluateFleetPlan(context, { periods });
    const before = fleet.monthly[11]?.servers[buildId] ?? 0;
    expect(fleet.monthly[12]?.serversRetired[buildId]).toBe(3);
    expect(fleet.monthly[12]?.servers[buildId]).toBe(before - 3);
    expect(fleet.monthly[12]?.resaleUsd).toBeGreaterThan(0);
    expect(fleet.periods[1]?.retiredEarly[buildId]).toBe(3);
  });
});
