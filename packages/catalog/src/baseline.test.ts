import { evaluate, type Scenario } from "@aifp/kernel";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { describeBaseline, withFairBaseline } from "./baseline.ts";

const golden = (name: string): Scenario =>
  JSON.parse(readFileSync(new URL(`../../../test/golden/${name}.scenario.json`, import.meta.url), "utf8")) as Scenario;

describe("withFairBaseline (ADR 017)", () => {
  it("picks the cheapest non-build option by NPV cost and says why", () => {
    const scenario = golden("chat-70b-three-paths");
    const before = evaluate(scenario);
    const { scenario: fair, baseline } = withFairBaseline(scenario);
    const nonBuild = before.options.filter((option) => option.kind !== "build");
    const cheapest = nonBuild.reduce((a, b) => (b.npvCostUsd < a.npvCostUsd ? b : a));
    expect(baseline).toMatchObject({ optionId: cheapest.id, how: "cheapest-non-build", kind: cheapest.kind });
    expect(baseline?.reason).toContain("cheapest path that does not build");
    expect(fair.comparison?.baselineOptionId).toBe(cheapest.id);
    expect(scenario.comparison).toBeUndefined(); // the input is not modified
    const after = evaluate(fair);
    for (const comparison of after.comparisons) expect(comparison.baselineOptionId).toBe(cheapest.id);
  });

  it("keeps a named baseline, and skips options not eligible (not on sale at the start)", () => {
    const named = golden("shrinking-demand-refresh");
    const kept = withFairBaseline(named);
    expect(kept.scenario).toBe(named);
    expect(kept.baseline?.how).toBe("given");
    const scenario = golden("chat-70b-three-paths");
    const leaseOnly = new Set(scenario.options.filter((option) => option.kind === "lease").map((option) => option.id));
    expect(withFairBaseline(scenario, leaseOnly).baseline?.kind).toBe("lease");
  });

  it("does nothing without a build option or without a non-build one", () => {
    const scenario = golden("chat-70b-three-paths");
    const noBuild = { ...scenario, options: scenario.options.filter((option) => option.kind !== "build") };
    expect(withFairBaseline(noBuild)).toEqual({ scenario: noBuild, baseline: null });
    const onlyBuild = { ...scenario, options: scenario.options.filter((option) => option.kind === "build") };
    expect(withFairBaseline(onlyBuild).baseline).toBeNull();
  });

  it("describes the kernel's default baseline of an evaluated result", () => {
    const scenario = golden("chat-70b-three-paths");
    expect(describeBaseline(scenario, evaluate(scenario))).toMatchObject({ how: "first-lease", kind: "lease" });
  });
});
