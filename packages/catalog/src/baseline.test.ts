import { evaluate, ScenarioError, type Scenario } from "@aifp/kernel";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { describeBaseline, evaluateWithFairBaseline, withFairBaseline } from "./baseline.ts";

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

describe("evaluateWithFairBaseline (issue 16: one evaluation per what-if move)", () => {
  /** The two-step form it replaces: rank with one evaluation, then evaluate with the baseline. */
  const twoStep = (scenario: Scenario, eligible?: ReadonlySet<string>) => {
    const fair = withFairBaseline(scenario, eligible);
    return { result: evaluate(fair.scenario), scenario: fair.scenario, baseline: fair.baseline };
  };
  /** The golden plan with the lease's and the token API's prices scaled (which is cheapest changes). */
  const priced = (leaseFactor: number, apiFactor: number): Scenario => {
    const scenario = golden("chat-70b-three-paths");
    return {
      ...scenario,
      options: scenario.options.map((option) =>
        option.kind === "lease"
          ? { ...option, priceUsdPerInstanceHour: (option.priceUsdPerInstanceHour as number) * leaseFactor }
          : option.kind === "api"
            ? {
                ...option,
                usdPerMillionInputTokens: (option.usdPerMillionInputTokens as number) * apiFactor,
                usdPerMillionOutputTokens: (option.usdPerMillionOutputTokens as number) * apiFactor,
              }
            : option,
      ),
    };
  };

  it("gives the two-step answer whether the last pick still holds or not", () => {
    // Alternating which non-build path is cheapest: each call after the first guesses wrong once.
    const plans = [priced(1, 1), priced(1, 1.01), priced(0.01, 1), priced(0.011, 1), priced(100, 1), priced(1, 100)];
    const picks = new Set<string>();
    for (const scenario of plans) {
      const one = evaluateWithFairBaseline(scenario);
      expect(one).toEqual(twoStep(scenario));
      picks.add(one.baseline?.optionId ?? "");
    }
    expect(picks).toEqual(new Set(["neocloud-h200", "api-70b"])); // both paths were the cheapest at some point
  });

  it("keeps a named baseline, skips ineligible options, and leaves plans without a choice alone", () => {
    const named = golden("shrinking-demand-refresh");
    expect(evaluateWithFairBaseline(named)).toEqual(twoStep(named));
    expect(evaluateWithFairBaseline(named).scenario).toBe(named);
    const scenario = priced(100, 1); // the token API is cheapest, but only the lease is eligible
    const leaseOnly = new Set(["neocloud-h200"]);
    expect(evaluateWithFairBaseline(scenario, leaseOnly)).toEqual(twoStep(scenario, leaseOnly));
    expect(evaluateWithFairBaseline(scenario, leaseOnly).baseline?.optionId).toBe("neocloud-h200");
    const noBuild = { ...scenario, options: scenario.options.filter((option) => option.kind !== "build") };
    expect(evaluateWithFairBaseline(noBuild)).toEqual({ result: evaluate(noBuild), scenario: noBuild, baseline: null });
  });

  it("throws the kernel's ScenarioError for a plan it refuses", () => {
    const scenario = golden("chat-70b-three-paths");
    const broken = { ...scenario, horizonYears: -1 };
    expect(() => evaluateWithFairBaseline(broken)).toThrow(ScenarioError);
  });
});
