/**
 * Work budgets for the optimiser (docs/api.md "Work budgets", ADR 018): limits that do not
 * depend on a clock, so a solve stops after the same amount of work on a laptop, in a browser
 * and in a Worker (whose clock only moves on I/O, so HiGHS's `time_limit` never fires there).
 *
 * Three parts:
 * - a cheap feasibility pre-check ({@link precheckFeasibility}): an upper bound on the capacity
 *   each path can reach per period under the power cap, the capex budget and the share limits;
 *   when even the bound falls short of the peak, no plan exists and the request is answered
 *   without any MILP;
 * - a range check ({@link checkModelRange}): the figures the MILP is built from must be finite
 *   and small enough for HiGHS (it reads |cost| ≥ 1e20 and |coefficient| ≥ 1e15 as infinite);
 * - per-solve limits sized from the model ({@link solveLimitsFor}): branch-and-bound nodes and
 *   leaves, simplex iterations, and a cap on the solves of one request.
 */
import { ScenarioError, type ScenarioIssue } from "../errors.ts";
import { monthLabel, MONTHS_PER_YEAR } from "../time.ts";
import type { PlanningContext } from "./context.ts";
import type { ModelLimits } from "./model.ts";
import type { MilpSolveOptions } from "./solver.ts";

/** How much solver work one optimise call may do. All counts; no seconds. */
export interface WorkBudget {
  /** Admission: the largest MILP accepted, in integer variables (larger: `ScenarioError` invalid). */
  maxIntegerVariables: number;
  /** Solves per call: the plan, then re-solves that explain (power cap, budget) or diagnose. */
  maxSolves: number;
  /**
   * Branch-and-bound work per solve, in node × integer-variable units: the node limit of a
   * solve is this divided by the model's integer variables (bigger models get fewer nodes),
   * within [{@link minNodesPerSolve}, {@link maxNodesPerSolve}].
   */
  nodeWork: number;
  minNodesPerSolve: number;
  maxNodesPerSolve: number;
  /** Simplex iterations of an LP solve per row + column of the model (HiGHS `simplex_iteration_limit`). */
  simplexIterationsPerEntry: number;
}

/**
 * The API's budget (workers/api planner.ts). Sized from measurements (ADR 018): every model the
 * API admits (≤ 20 periods × 24 options: ≤ 1,175 columns, ≤ 704 integer) solved at the root
 * node in HiGHS 1.15 (1 node, ≤ 400 simplex iterations); the node limit leaves headroom for
 * harder data without letting one request run on.
 */
export const API_WORK_BUDGET: WorkBudget = {
  maxIntegerVariables: 1_000,
  maxSolves: 3,
  nodeWork: 100_000,
  minNodesPerSolve: 20,
  maxNodesPerSolve: 1_000,
  simplexIterationsPerEntry: 20,
};

/** The limits one solve runs under (reported in `model.budget`). */
export interface SolveLimits {
  nodes: number;
  leaves: number;
  simplexIterations: number;
}

/** Per-solve limits for a model of this size under `budget`. */
export function solveLimitsFor(
  budget: WorkBudget,
  size: { variables: number; integerVariables: number; constraints: number },
): SolveLimits {
  const nodes = Math.max(
    budget.minNodesPerSolve,
    Math.min(budget.maxNodesPerSolve, Math.floor(budget.nodeWork / Math.max(1, size.integerVariables))),
  );
  return {
    nodes,
    // Leaves are a subset of nodes; half keeps a deep search from using the whole node budget on dead ends.
    leaves: Math.max(1, Math.floor(nodes / 2)),
    simplexIterations: budget.simplexIterationsPerEntry * (size.variables + size.constraints),
  };
}

/** The HiGHS options of {@link SolveLimits}. */
export function solveLimitOptions(limits: SolveLimits): MilpSolveOptions {
  return {
    mip_max_nodes: limits.nodes,
    mip_max_leaves: limits.leaves,
    simplex_iteration_limit: limits.simplexIterations,
  };
}

// --- range --------------------------------------------------------------------------------

/**
 * Largest magnitude the optimiser builds a model from. HiGHS treats |cost| ≥ 1e20 and bounds
 * ≥ 1e20 as infinite and drops matrix entries ≥ 1e15; the model multiplies inputs (a price by
 * months of a horizon, a demand by its growth), so inputs are held well below: 1e13 (ten
 * trillion: USD, tokens/s, kW) leaves a factor 100 for the sums over 240 months.
 */
export const MAX_MODEL_MAGNITUDE = 1e13;

/**
 * Checks that the figures the MILP is built from are finite and within
 * {@link MAX_MODEL_MAGNITUDE}: demand per period, each option's price, capacity and power.
 * @throws ScenarioError `invalid` naming the input field behind the first figure out of range.
 */
export function checkModelRange(context: PlanningContext, limits: ModelLimits): void {
  const issues: ScenarioIssue[] = [];
  const bad = (value: number): boolean =>
    !Number.isFinite(value) || Math.abs(value) > MAX_MODEL_MAGNITUDE || Number.isNaN(value);
  const say = (path: string, what: string, value: number): void => {
    issues.push({
      path,
      message: `${what} is ${Number.isFinite(value) ? value.toExponential(3) : String(value)}, beyond what the optimiser can represent (at most ${MAX_MODEL_MAGNITUDE.toExponential(0)}); use smaller figures`,
    });
  };
  const { demand, months } = context;
  for (let m = 0; m < months; m++) {
    const peak = demand.peakOutputTokensPerSecond[m] as number;
    if (bad(peak) || bad(demand.averageOutputTokensPerSecond[m] as number)) {
      say(
        "workload.requestsPerDay",
        `the peak demand in ${monthLabel(context.resolved.startMonth, m)} (output tokens per second, after growth)`,
        peak,
      );
      break;
    }
  }
  const path = (optionIndex: number, field: string): string => `options.${optionIndex}.${field}`;
  for (const unit of context.builds) {
    const maxPrice = Math.max(...unit.unitPriceUsd);
    if (bad(maxPrice) || bad(maxPrice * (1 + unit.option.adders))) {
      say(path(unit.optionIndex, "priceUsd"), "the server price over the horizon (USD)", maxPrice);
    } else if (bad(unit.fullLoadTps) || bad(unit.capacityTps)) {
      say(
        path(
          unit.optionIndex,
          unit.option.gpusPerServer > unit.option.outputTokensPerSecondPerGpu
            ? "gpusPerServer"
            : "outputTokensPerSecondPerGpu",
        ),
        "the throughput of one server (tokens per second)",
        unit.fullLoadTps,
      );
    } else if (bad(unit.facilityKw)) {
      say(path(unit.optionIndex, "kw"), "the facility power of one server (kW)", unit.facilityKw);
    }
  }
  for (const unit of context.leases) {
    const maxCost = Math.max(...unit.monthlyCostUsd);
    if (bad(maxCost)) {
      say(path(unit.optionIndex, "priceUsdPerInstanceHour"), "the monthly cost of one instance (USD)", maxCost);
    } else if (bad(unit.fullLoadTps) || bad(unit.capacityTps)) {
      say(
        path(
          unit.optionIndex,
          unit.option.gpusPerInstance > unit.option.outputTokensPerSecondPerGpu
            ? "gpusPerInstance"
            : "outputTokensPerSecondPerGpu",
        ),
        "the throughput of one instance (tokens per second)",
        unit.fullLoadTps,
      );
    }
  }
  for (const unit of context.apis) {
    const maxCost = Math.max(...unit.costUsd);
    if (bad(maxCost))
      say(
        path(unit.optionIndex, "usdPerMillionOutputTokens"),
        "the monthly API cost of the whole demand (USD)",
        maxCost,
      );
  }
  if (limits.powerCapKw !== null && bad(limits.powerCapKw))
    say("site.powerCapKw", "the power cap (kW)", limits.powerCapKw);
  limits.capexBudgetUsdPerYear?.forEach((value, year) => {
    if (bad(value)) say(`optimise.capexBudgetUsdPerYear.${year}`, "the capex budget (USD)", value);
  });
  if (issues.length > 0) throw new ScenarioError("invalid", issues);
}

// --- feasibility pre-check ------------------------------------------------------------------

/** Facility power in words: 2 MW, 750 kW. */
function power(kw: number): string {
  return kw >= 1000 ? `${Number((kw / 1000).toFixed(2))} MW` : `${Math.round(kw)} kW`;
}

/** Largest monthly peak output rate of each period, tokens/s. */
function periodPeaks(context: PlanningContext): number[] {
  return context.periods.map((period) => {
    let peak = 0;
    for (let m = period.start; m < period.end; m++)
      peak = Math.max(peak, context.demand.peakOutputTokensPerSecond[m] as number);
    return peak;
  });
}

/**
 * Upper bound on the output tokens/s any plan can serve in each period under `limits`: owned
 * servers at full load (no utilisation target, no spares) limited by the build share, by the
 * power cap (the best tokens/s per facility kW of any SKU on sale by then) and by the capex
 * budget spent so far (the cheapest tokens/s per capex USD); leased instances and APIs up to
 * their shares. Every plan the optimiser or a pure strategy can produce stays within it, so a
 * bound below the peak proves the period infeasible.
 */
function capacityBounds(context: PlanningContext, limits: ModelLimits, peaks: number[]): number[] {
  const { builds, leases, apis, periods } = context;
  const budget = limits.capexBudgetUsdPerYear;
  return periods.map((period, t) => {
    const peak = peaks[t] as number;
    const onSale = builds.filter((b) => b.availableFromMonth < period.end);
    let owned = onSale.length === 0 ? 0 : Number.POSITIVE_INFINITY;
    if (limits.maxShare.build < 1) owned = Math.min(owned, limits.maxShare.build * peak);
    if (onSale.length > 0 && limits.powerCapKw !== null) {
      const bestTpsPerKw = Math.max(...onSale.map((b) => b.fullLoadTps / b.facilityKw));
      owned = Math.min(owned, limits.powerCapKw * bestTpsPerKw);
    }
    if (onSale.length > 0 && budget !== null) {
      const lastYear = Math.floor((period.end - 1) / MONTHS_PER_YEAR);
      let spendable = 0;
      for (let y = 0; y <= lastYear; y++) spendable += budget[y] ?? 0;
      const bestTpsPerUsd = Math.max(
        ...onSale.map(
          (b) => b.fullLoadTps / (Math.min(...b.unitPriceUsd.subarray(0, period.end)) * (1 + b.option.adders)),
        ),
      );
      owned = Math.min(owned, spendable * bestTpsPerUsd);
    }
    const leased = leases.some((l) => l.availableFromMonth <= period.start) ? limits.maxShare.lease * peak : 0;
    const api = apis.some((a) => a.availableFromMonth <= period.start) ? limits.maxShare.api * peak : 0;
    return owned + leased + api;
  });
}

/** First period whose capacity bound falls short of its peak, or -1. */
function firstShortPeriod(context: PlanningContext, limits: ModelLimits, peaks: number[]): number {
  const bounds = capacityBounds(context, limits, peaks);
  return bounds.findIndex((bound, t) => bound < (peaks[t] as number) * (1 - 1e-9));
}

/**
 * The power-cap reason in words (the same words whether the pre-check or a re-solve found it):
 * the facility power owned servers need in the worst period, and what else may serve.
 */
export function powerCapIssue(context: PlanningContext, limits: ModelLimits): ScenarioIssue {
  const { leases, apis, builds, periods } = context;
  const cap = limits.powerCapKw ?? 0;
  const offSite = limits.maxShare.lease * (leases.length > 0 ? 1 : 0) + limits.maxShare.api * (apis.length > 0 ? 1 : 0);
  let worst = { kw: 0, start: 0 };
  for (const period of periods) {
    let peak = 0;
    for (let m = period.start; m < period.end; m++)
      peak = Math.max(peak, context.demand.peakOutputTokensPerSecond[m] as number);
    const onSite = peak * Math.max(0, 1 - offSite);
    let bestKw = Number.POSITIVE_INFINITY;
    for (const b of builds)
      if (b.availableFromMonth <= period.start)
        bestKw = Math.min(bestKw, Math.ceil(onSite / b.capacityTps - 1e-9) * b.facilityKw);
    if (Number.isFinite(bestKw) && bestKw > worst.kw) worst = { kw: bestKw, start: period.start };
  }
  const offSiteText =
    leases.length + apis.length === 0
      ? "there is no lease or API option to serve the rest"
      : `leased instances and APIs may serve at most ${Math.round(Math.min(1, offSite) * 100)}% of the peak`;
  return {
    path: "site.powerCapKw",
    message: `the ${power(cap)} power cap is too small: owned servers need about ${power(worst.kw)} in the period from ${monthLabel(context.resolved.startMonth, worst.start)} and ${offSiteText}`,
  };
}

/** The budget reason in words. */
export const CAPEX_BUDGET_ISSUE: ScenarioIssue = {
  path: "optimise.capexBudgetUsdPerYear",
  message:
    "the yearly capex budget is too small to buy the servers the demand needs, and leases or APIs cannot serve the rest within their share limits",
};

/** The share-limit reason in words. */
export function shareIssue(limits: ModelLimits): ScenarioIssue {
  const s = limits.maxShare;
  return {
    path: "optimise.maxShare",
    message: `the share limits (build ${Math.round(s.build * 100)}%, lease ${Math.round(s.lease * 100)}%, API ${Math.round(s.api * 100)}%) leave part of the peak unserved by the options available`,
  };
}

/**
 * The cheap feasibility pre-check: proves a scenario infeasible without a MILP when, in some
 * period, no option is on sale or the capacity bound of every path together falls short of the
 * peak. Names the binding limit the way the solver's diagnosis does: the power cap when lifting
 * it alone would restore the bound, else the capex budget, else the share limits, else all
 * together.
 * @returns the `infeasible` error to throw, or null when the bound does not rule the plan out
 *   (the MILP then decides).
 */
export function precheckFeasibility(context: PlanningContext, limits: ModelLimits): ScenarioError | null {
  const { periods, builds, leases, apis } = context;
  for (const period of periods) {
    if (![...builds, ...leases, ...apis].some((u) => u.availableFromMonth <= period.start)) {
      return new ScenarioError("infeasible", [
        {
          path: "optimise.availableFrom",
          message: `no option is available in the period from ${monthLabel(context.resolved.startMonth, period.start)}: every option becomes available later`,
        },
      ]);
    }
  }
  const peaks = periodPeaks(context);
  if (firstShortPeriod(context, limits, peaks) < 0) return null;
  if (limits.powerCapKw !== null && firstShortPeriod(context, { ...limits, powerCapKw: null }, peaks) < 0)
    return new ScenarioError("infeasible", [powerCapIssue(context, limits)]);
  if (
    limits.capexBudgetUsdPerYear !== null &&
    firstShortPeriod(context, { ...limits, capexBudgetUsdPerYear: null }, peaks) < 0
  )
    return new ScenarioError("infeasible", [CAPEX_BUDGET_ISSUE]);
  if (firstShortPeriod(context, { ...limits, maxShare: { build: 1, lease: 1, api: 1 } }, peaks) < 0)
    return new ScenarioError("infeasible", [shareIssue(limits)]);
  const short = firstShortPeriod(context, limits, peaks);
  const named: string[] = [];
  if (limits.powerCapKw !== null) named.push(`the ${power(limits.powerCapKw)} power cap`);
  if (limits.capexBudgetUsdPerYear !== null) named.push("the yearly capex budget");
  if (Math.min(limits.maxShare.build, limits.maxShare.lease, limits.maxShare.api) < 1) named.push("the share limits");
  return new ScenarioError("infeasible", [
    {
      path:
        limits.powerCapKw !== null
          ? "site.powerCapKw"
          : limits.capexBudgetUsdPerYear !== null
            ? "optimise.capexBudgetUsdPerYear"
            : "optimise.maxShare",
      message: `${named.join(", ")} together leave part of the peak unserved from ${monthLabel(context.resolved.startMonth, (periods[short] as { start: number }).start)}: no combination of the options can serve the demand`,
    },
  ]);
}
