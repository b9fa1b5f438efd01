/**
 * A fair, named baseline (ADR 017): payback, NPV savings and IRR of building are measured against
 * the cheapest path that does not build (a lease or a token API) serving the same demand, not
 * whichever lease happens to be listed first. The kernel's contract is unchanged (its default is
 * the first lease option): this sets `comparison.baselineOptionId` explicitly when the scenario
 * leaves it unset, so scenarios that name a baseline evaluate exactly as before.
 */
import { evaluate, ScenarioError, type EvaluateResult, type OptionResult, type Scenario } from "@aifp/kernel";

/** Which path building is compared against, and why. */
export interface BaselineChoice {
  optionId: string;
  kind: "build" | "lease" | "api";
  /** `given`: the scenario named it; `cheapest-non-build`: chosen here; `first-lease`: the kernel's default. */
  how: "given" | "cheapest-non-build" | "first-lease";
  /** Why this path, in words (without its id): e.g. "the cheapest path that does not build (…)". */
  reason: string;
}

const usd = (value: number): string =>
  value >= 1e6 ? `$${(value / 1e6).toFixed(2)} million` : `$${Math.round(value).toLocaleString("en-US")}`;

/** The baseline a result was compared against, described (for a result whose scenario named it or used the kernel default). */
export function describeBaseline(scenario: Scenario, result: EvaluateResult): BaselineChoice | null {
  const id = result.comparisons[0]?.baselineOptionId;
  if (id === undefined) return null;
  const option = result.options.find((item) => item.id === id);
  if (!option) return null;
  const given = scenario.comparison?.baselineOptionId !== undefined;
  return {
    optionId: id,
    kind: option.kind,
    how: given ? "given" : "first-lease",
    reason: given
      ? "the baseline the scenario names"
      : "the first lease option listed (the cost model's default baseline)",
  };
}

/**
 * The scenario with `comparison.baselineOptionId` set to its cheapest non-build option by NPV
 * cost (ties: the first listed), among `eligible` option ids when given (e.g. options on sale at
 * the plan's start), with the reason. Unchanged when the scenario names a baseline, has no build
 * option or no non-build option, or cannot be evaluated (the caller's evaluation reports why).
 */
export function withFairBaseline(
  scenario: Scenario,
  eligible?: ReadonlySet<string>,
): { scenario: Scenario; baseline: BaselineChoice | null } {
  const given = scenario.comparison?.baselineOptionId;
  if (given !== undefined) {
    const option = scenario.options.find((item) => item.id === given);
    return {
      scenario,
      baseline: option
        ? { optionId: given, kind: option.kind, how: "given", reason: "the baseline the scenario names" }
        : null,
    };
  }
  const hasBuild = scenario.options.some((option) => option.kind === "build");
  const candidates = scenario.options.filter(
    (option) => option.kind !== "build" && (eligible === undefined || eligible.has(option.id)),
  );
  if (!hasBuild || candidates.length === 0) return { scenario, baseline: null };
  let result: EvaluateResult;
  try {
    result = evaluate(scenario);
  } catch (error) {
    if (error instanceof ScenarioError) return { scenario, baseline: null };
    throw error;
  }
  const ranked = candidates
    .map((option) => result.options.find((item) => item.id === option.id) as OptionResult)
    .sort((a, b) => a.npvCostUsd - b.npvCostUsd);
  const best = ranked[0] as OptionResult;
  const next = ranked[1];
  const years = scenario.horizonYears;
  const path = best.kind === "api" ? "token API" : "lease";
  const reason =
    `the cheapest path that does not build (${path}, NPV cost ${usd(best.npvCostUsd)} over ${years} year${years === 1 ? "" : "s"} for the same demand)` +
    (next ? `; next: ${next.id} at ${usd(next.npvCostUsd)}` : "");
  return {
    scenario: { ...scenario, comparison: { ...scenario.comparison, baselineOptionId: best.id } },
    baseline: { optionId: best.id, kind: best.kind, how: "cheapest-non-build", reason },
  };
}
