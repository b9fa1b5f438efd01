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

/** The scenario with `comparison.baselineOptionId` set (a new object; the input is not modified). */
const withBaseline = (scenario: Scenario, optionId: string): Scenario => ({
  ...scenario,
  comparison: { ...scenario.comparison, baselineOptionId: optionId },
});

/** The non-build options a fair baseline is chosen among, or null when there is no choice to make. */
function candidatesOf(scenario: Scenario, eligible?: ReadonlySet<string>): Scenario["options"] | null {
  const hasBuild = scenario.options.some((option) => option.kind === "build");
  const candidates = scenario.options.filter(
    (option) => option.kind !== "build" && (eligible === undefined || eligible.has(option.id)),
  );
  return hasBuild && candidates.length > 0 ? candidates : null;
}

/** The cheapest candidate by NPV cost in an evaluated result (ties: the first listed), with the reason. */
function cheapestOf(scenario: Scenario, candidates: Scenario["options"], result: EvaluateResult): BaselineChoice {
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
  return { optionId: best.id, kind: best.kind, how: "cheapest-non-build", reason };
}

/** The baseline a scenario names, described (null when it names none or an unknown option). */
function givenBaseline(scenario: Scenario): BaselineChoice | null {
  const given = scenario.comparison?.baselineOptionId;
  const option = given === undefined ? undefined : scenario.options.find((item) => item.id === given);
  return option
    ? { optionId: option.id, kind: option.kind, how: "given", reason: "the baseline the scenario names" }
    : null;
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
  if (scenario.comparison?.baselineOptionId !== undefined) return { scenario, baseline: givenBaseline(scenario) };
  const candidates = candidatesOf(scenario, eligible);
  if (!candidates) return { scenario, baseline: null };
  let result: EvaluateResult;
  try {
    result = evaluate(scenario);
  } catch (error) {
    if (error instanceof ScenarioError) return { scenario, baseline: null };
    throw error;
  }
  const baseline = cheapestOf(scenario, candidates, result);
  return { scenario: withBaseline(scenario, baseline.optionId), baseline };
}

/**
 * The fair baseline's last pick per set of options. A what-if move (the slider) changes prices
 * and volumes, rarely which non-build path is cheapest, so guessing it saves the second
 * evaluation. Bounded: a few plans at a time are ever in play (the results page, /compare).
 */
const lastPick = new Map<string, string>();
const LAST_PICKS_KEPT = 64;

/**
 * `evaluate(withFairBaseline(scenario, eligible).scenario)` in one evaluation when it can (issue
 * 16: a slider move evaluated twice). Option results do not depend on the baseline, only the
 * comparisons do; so the scenario is evaluated with the baseline guessed from the last pick for
 * the same options, the candidates are ranked on that result, and only when the cheapest is
 * another option is it evaluated again with that one. Same answer as the two-step form, always.
 * A scenario the kernel refuses throws its `ScenarioError`, like `evaluate`.
 */
export function evaluateWithFairBaseline(
  scenario: Scenario,
  eligible?: ReadonlySet<string>,
): { result: EvaluateResult; scenario: Scenario; baseline: BaselineChoice | null } {
  const candidates = scenario.comparison?.baselineOptionId === undefined ? candidatesOf(scenario, eligible) : null;
  if (!candidates) {
    const baseline = scenario.comparison?.baselineOptionId === undefined ? null : givenBaseline(scenario);
    return { result: evaluate(scenario), scenario, baseline };
  }
  const key =
    scenario.options.map((option) => option.id).join("\n") + "\n\n" + candidates.map((option) => option.id).join("\n");
  const guess = lastPick.get(key) ?? (candidates[0] as Scenario["options"][number]).id;
  let adjusted = withBaseline(scenario, guess);
  let result = evaluate(adjusted);
  const baseline = cheapestOf(scenario, candidates, result);
  if (baseline.optionId !== guess) {
    adjusted = withBaseline(scenario, baseline.optionId);
    result = evaluate(adjusted);
  }
  if (lastPick.size >= LAST_PICKS_KEPT && !lastPick.has(key)) lastPick.clear();
  lastPick.set(key, baseline.optionId);
  return { result, scenario: adjusted, baseline };
}
