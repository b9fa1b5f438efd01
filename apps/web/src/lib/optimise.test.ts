/**
 * The "Best plan" and risk views of the results page, built from the kernel's real answers for a
 * plan the web app makes (catalog defaults: two servers, two cloud offers, a token API), with
 * HiGHS loaded the Node way (the browser's Web Worker runs the same kernel call).
 */
import { priceBook } from "@aifp/catalog";
import {
  monteCarloSync,
  optimise,
  sensitivity,
  type MilpSolver,
  type OptimiseResult,
  type Scenario,
} from "@aifp/kernel";
import { loadHighsNode } from "@aifp/kernel/load-highs-node";
import { beforeAll, describe, expect, it } from "vitest";
import { computePlan, withCatalogDefaults } from "./engine.ts";
import { planningInput } from "./optimise-catalog.ts";
import {
  bindingExplanation,
  periodLabel,
  strategyRows,
  timelineGenerations,
  timelineRows,
  withNames,
} from "./optimise.ts";
import { emptyPlan } from "./plan.ts";
import type { OptionLabel } from "./results.ts";
import {
  breakEvenSentences,
  buildVsLease,
  driverValueText,
  monteCarloBand,
  tornadoMetric,
  tornadoRows,
} from "./risk.ts";

let solver: MilpSolver;
let scenario: Scenario;
let labels: Record<string, OptionLabel>;
let result: OptimiseResult;
let generationOf: (id: string) => string | null;

beforeAll(async () => {
  solver = await loadHighsNode();
  // DeepSeek-R1: the model with a catalog token price, so the API path is in the comparison.
  const plan = withCatalogDefaults({ ...emptyPlan(), model: "deepseek-r1" });
  plan.values["workload.requestsPerDay"] = "200000000";
  plan.values["finance.discountRatePerYear"] = "9";
  plan.values["site.powerCapKw"] = "400";
  plan.values.startMonth = "2027-01";
  const computation = computePlan(plan);
  if (!computation.scenario) throw new Error(`the plan does not compute: ${JSON.stringify(computation.fieldErrors)}`);
  const input = planningInput(computation.scenario, priceBook);
  scenario = input.scenario;
  generationOf = input.generationOf;
  labels = computation.labels;
  result = optimise({ scenario, solver, settings: {} });
}, 60_000);

describe("strategy comparison", () => {
  it("lists each pure build, the best lease, the API, base/peak and the optimal mix, in that order", () => {
    const rows = strategyRows(result, labels);
    const builds = scenario.options.filter((option) => option.kind === "build").length;
    expect(rows.map((row) => row.kind)).toEqual([
      ...new Array<string>(builds).fill("build"),
      "lease",
      "api",
      "base-peak",
      "hybrid",
    ]);
    const hybrid = rows.at(-1)!;
    expect(hybrid).toMatchObject({ name: "Optimal mix", recommended: true, npvCostUsd: result.hybrid.npvCostUsd });
    // The lease row is the cheapest feasible lease of the plan's offers.
    const leases = result.strategies.filter((s) => s.kind === "lease" && s.feasible);
    const lease = rows.find((row) => row.kind === "lease")!;
    expect(lease.npvCostUsd).toBe(Math.min(...leases.map((s) => s.npvCostUsd as number)));
    expect(lease.detail).toMatch(/cheapest of 2 cloud offers/);
    for (const row of rows) {
      // Names, not option ids; and nothing is cheaper than the recommended mix.
      expect(row.name).not.toMatch(/^(Own |Lease |Buy tokens: )?(build|lease|api)-/);
      if (row.feasible && row.npvCostUsd !== null)
        expect(row.npvCostUsd).toBeGreaterThanOrEqual(hybrid.npvCostUsd! - 1e-6);
      if (row.moreThanBestUsd !== null) expect(row.moreThanBestUsd).toBeGreaterThanOrEqual(0);
    }
    expect(rows.find((row) => row.kind === "base-peak")?.detail).toMatch(
      /sized for the average load, .* for the peaks/,
    );
  });

  it("explains what binds with names instead of ids", () => {
    const sentences = bindingExplanation(result, labels);
    expect(sentences.join(" ")).toMatch(/400 kW power cap/);
    for (const id of Object.keys(labels)) expect(sentences.join(" ")).not.toContain(id);
  });

  it("withNames replaces the longest id first", () => {
    const names = {
      "lease-a": { name: "Short", phrase: "", accelerator: null },
      "lease-a-1y": { name: "Long", phrase: "", accelerator: null },
    };
    expect(withNames("lease-a-1y beats lease-a", names)).toBe("Long beats Short");
  });
});

describe("plan timeline", () => {
  it("one row per period: purchases by generation, GPUs owned and leased, power against the cap", () => {
    const rows = timelineRows(result, scenario, labels, generationOf);
    expect(rows).toHaveLength(result.hybrid.periods.length);
    rows.forEach((row, index) => {
      const period = result.hybrid.periods[index]!;
      const bought = Object.values(period.buy).reduce((a, b) => a + b, 0);
      expect(Object.values(row.boughtByGeneration).reduce((a, b) => a + b, 0)).toBe(bought);
      expect(row.leasedGpus).toBe(period.leasedGpus);
      expect(Object.values(row.ownedGpusByGeneration).reduce((a, b) => a + b, 0)).toBe(period.ownedGpus);
      expect(row.facilityKw).toBeLessThanOrEqual(400 + 1e-9);
      expect(row.powerCapKw).toBe(400);
    });
    // Generations are the catalog's names ("Blackwell", "Hopper", …), never "Other servers" for catalog SKUs.
    for (const generation of timelineGenerations(rows)) expect(generation).not.toBe("Other servers");
  });

  it("labels periods as years, halves and quarters", () => {
    expect(periodLabel("2027-01", 12)).toBe("2027");
    expect(periodLabel("2027-04", 3)).toBe("2027-Q2");
    expect(periodLabel("2027-07", 6)).toBe("2027-H2");
    expect(periodLabel("2026-12", 12)).toBe("2026-12");
  });
});

describe("risk views", { timeout: 60_000 }, () => {
  it("tornado rows: the change against the plan at each end, values in words", () => {
    const analysis = sensitivity({ scenario });
    const rows = tornadoRows(analysis, labels);
    expect(rows.length).toBe(analysis.tornado.length);
    rows.forEach((row, index) => {
      const bar = analysis.tornado[index]!;
      expect(row.lowDeltaUsd).toBeCloseTo(bar.low.metricUsd - analysis.base.metricUsd, 6);
      expect(row.highDeltaUsd).toBeCloseTo(bar.high.metricUsd - analysis.base.metricUsd, 6);
      expect(row.lowCheapest).toBe(labels[bar.low.decision]?.name);
    });
    expect(tornadoMetric(analysis, labels).baseCheapest).toBe(labels[analysis.base.decision]?.name);
    for (const sentence of breakEvenSentences(analysis, labels))
      for (const id of Object.keys(labels)) expect(sentence).not.toContain(id);
    expect(driverValueText({ id: "volume", mode: "scale" }, 0.5)).toBe("×0.5");
    expect(driverValueText({ id: "growth", mode: "absolute" }, -0.2)).toBe("−20%");
    expect(driverValueText({ id: "pue", mode: "absolute" }, 1.58)).toBe("1.58");
  });

  it("Monte Carlo band per path, cheapest median first, and building against leasing", () => {
    const mc = monteCarloSync({ scenario, samples: 300, seed: 4 });
    const band = monteCarloBand(mc, labels);
    expect(band.map((row) => row.id).sort()).toEqual([...mc.optionIds].sort());
    for (let i = 1; i < band.length; i++) expect(band[i]!.p50).toBeGreaterThanOrEqual(band[i - 1]!.p50);
    for (const row of band) {
      expect(row.p10).toBeLessThanOrEqual(row.p50);
      expect(row.p50).toBeLessThanOrEqual(row.p90);
    }
    const versus = buildVsLease(mc, labels);
    expect(versus?.buildName).toBe(labels[mc.comparison!.buildId]?.name);
    expect(versus?.probabilityBuildBeatsLease).toBe(mc.comparison!.probabilityBuildBeatsLease);
  });
});
