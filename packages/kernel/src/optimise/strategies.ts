/**
 * The strategies the optimiser compares: every pure strategy of the scenario as the evaluate
 * core computes it (one build SKU bought as needed, one lease offer, one API), and "own the base,
 * lease the peak" (owned servers sized for the average load, leased instances for the rest),
 * each checked against the plan's limits (power cap, capex budget, path shares, availability).
 */
import type { EvaluateResult, OptionResult } from "../result.ts";
import { ceilWithTolerance } from "../rules.ts";
import { monthLabel, MONTHS_PER_YEAR } from "../time.ts";
import type { BuildUnit, LeaseUnit, PlanningContext } from "./context.ts";
import { evaluateFleetPlan, type FleetEvaluation, type FleetPlan, type FleetPlanPeriod } from "./fleet.ts";

/** The kinds of strategy the optimiser reports. */
export type StrategyKind = "build" | "lease" | "api" | "base-peak" | "hybrid";

/** One strategy in the comparison. Money in USD (NPV at plan start), levelised cost in USD per million tokens. */
export interface StrategySummary {
  /** Option id for pure strategies; `base-peak:<sku>+<offer>` and `hybrid` otherwise. */
  id: string;
  kind: StrategyKind;
  /** Plain-words name, e.g. `build dgx-b200 (bought as needed)`. */
  label: string;
  /** NPV of cost; null when the strategy cannot be evaluated (see `reason`). */
  npvCostUsd: number | null;
  lcotUsdPerMillionTokens: number | null;
  /** False when the strategy breaks a limit of the plan (power cap, budget, share, availability). */
  feasible: boolean;
  /** Why it is not feasible, in plain words. */
  reason?: string;
}

/** Formats a month index as "YYYY-MM" for messages. */
function label(context: PlanningContext, month: number): string {
  return monthLabel(context.resolved.startMonth, month);
}

/** Limits a pure strategy can break, in plain words (empty when none). */
function pureStrategyViolations(context: PlanningContext, option: OptionResult): string[] {
  const reasons: string[] = [];
  const { settings } = context;
  const index = context.resolved.options.findIndex((o) => o.id === option.id);
  const availableFrom = settings.availableFromMonth[index] as number;
  if (availableFrom > 0) reasons.push(`not available before ${label(context, availableFrom)}`);
  const share =
    option.kind === "build"
      ? settings.maxShare.build
      : option.kind === "lease"
        ? settings.maxShare.lease
        : settings.maxShare.api;
  if (share < 1)
    reasons.push(`serves 100% of demand, above the ${option.kind} share limit of ${Math.round(share * 1000) / 10}%`);
  if (option.kind === "build") {
    const cap = context.resolved.site.powerCapKw;
    const first = option.powerCapExceededMonths[0];
    if (cap !== null && first !== undefined) {
      const peakKw =
        Math.max(...option.monthly.map((m) => m.servers)) *
        (context.builds.find((b) => b.option.id === option.id) as BuildUnit).facilityKw;
      reasons.push(
        `needs ${Math.round(peakKw)} kW of facility power, above the ${cap} kW cap from ${label(context, first)}`,
      );
    }
    const budget = settings.capexBudgetUsdPerYear;
    if (budget !== null) {
      const byYear = new Array<number>(budget.length).fill(0);
      for (const month of option.monthly)
        byYear[Math.floor(month.month / MONTHS_PER_YEAR)] =
          (byYear[Math.floor(month.month / MONTHS_PER_YEAR)] ?? 0) + month.capexUsd;
      const year = byYear.findIndex((capex, y) => capex > (budget[y] as number) * (1 + 1e-9));
      if (year >= 0)
        reasons.push(
          `spends ${Math.round(byYear[year] as number)} USD of capex in plan year ${year + 1}, above the budget of ${budget[year]} USD`,
        );
    }
  }
  return reasons;
}

/** Pure strategies from the evaluate core's result, with their feasibility under the plan's limits. */
export function pureStrategies(context: PlanningContext, evaluated: EvaluateResult): StrategySummary[] {
  return evaluated.options.map((option) => {
    const reasons = pureStrategyViolations(context, option);
    const what =
      option.kind === "build"
        ? "build, bought as needed"
        : option.kind === "lease"
          ? "lease"
          : "buy tokens from the API";
    return {
      id: option.id,
      kind: option.kind,
      label: `${option.id} (${what})`,
      npvCostUsd: option.npvCostUsd,
      lcotUsdPerMillionTokens: option.lcotUsdPerMillionTokens,
      feasible: reasons.length === 0,
      ...(reasons.length > 0 ? { reason: reasons.join("; ") } : {}),
    };
  });
}

/** A pure strategy written as a fleet plan (one period, no limit on its one option). */
export function purePlan(context: PlanningContext, optionId: string): FleetPlan {
  const option = context.resolved.options.find((o) => o.id === optionId);
  const period: FleetPlanPeriod = { startMonth: 0, months: context.months };
  if (option?.kind === "build") period.buyServers = { [optionId]: Number.POSITIVE_INFINITY };
  else if (option?.kind === "lease") period.leaseInstances = { [optionId]: Number.POSITIVE_INFINITY };
  else period.apiShare = { [optionId]: 1 };
  return { periods: [period] };
}

/**
 * "Own the base, lease the peak" for one SKU and one offer: month by month, owned servers up to
 * `ceil(avgOutTps / (T × U) × (1 + spare) / G)` (the average load at the target utilisation,
 * within the power cap), bought as needed; leased instances for the rest of the peak.
 */
export function basePeakPlan(context: PlanningContext, build: BuildUnit, lease: LeaseUnit): FleetPlan {
  const { demand, months } = context;
  const o = build.option;
  const cap = context.resolved.site.powerCapKw;
  const maxByPower = cap === null ? Number.POSITIVE_INFINITY : Math.floor(cap / build.facilityKw + 1e-9);
  const periods: FleetPlanPeriod[] = [];
  for (let m = 0; m < months; m++) {
    const gpusForAverage =
      (demand.averageOutputTokensPerSecond[m] as number) / (o.outputTokensPerSecondPerGpu * demand.targetUtilization);
    const base = Math.min(maxByPower, ceilWithTolerance((gpusForAverage * (1 + o.spareFraction)) / o.gpusPerServer));
    periods.push({
      startMonth: m,
      months: 1,
      buyServers: { [o.id]: Number.POSITIVE_INFINITY },
      maxServers: { [o.id]: base },
      leaseInstances: { [lease.option.id]: Number.POSITIVE_INFINITY },
    });
  }
  return { periods };
}

/** Limits an evaluated plan breaks, in plain words (empty when none). */
export function planViolations(context: PlanningContext, evaluation: FleetEvaluation): string[] {
  const reasons: string[] = [];
  const { settings } = context;
  const cap = context.resolved.site.powerCapKw;
  const first = evaluation.powerCapExceededMonths[0];
  if (cap !== null && first !== undefined)
    reasons.push(`needs more than the ${cap} kW power cap from ${label(context, first)}`);
  const budget = settings.capexBudgetUsdPerYear;
  if (budget !== null) {
    const year = evaluation.capexByYearUsd.findIndex((capex, y) => capex > (budget[y] as number) * (1 + 1e-9));
    if (year >= 0)
      reasons.push(
        `spends ${Math.round(evaluation.capexByYearUsd[year] as number)} USD of capex in plan year ${year + 1}, above the budget of ${budget[year]} USD`,
      );
  }
  const tolerance = 1e-9;
  // Shares are limits only below 100% (capacity rounded up to whole servers may exceed the peak).
  if (settings.maxShare.build < 1 && evaluation.maxPathShare.build > settings.maxShare.build + tolerance)
    reasons.push(
      `owned servers serve up to ${(evaluation.maxPathShare.build * 100).toFixed(1)}% of the peak, above the build share limit`,
    );
  if (settings.maxShare.lease < 1 && evaluation.maxPathShare.lease > settings.maxShare.lease + tolerance)
    reasons.push(
      `leased instances serve up to ${(evaluation.maxPathShare.lease * 100).toFixed(1)}% of the peak, above the lease share limit`,
    );
  if (settings.maxShare.api < 1 && evaluation.maxPathShare.api > settings.maxShare.api + tolerance)
    reasons.push(
      `the API serves up to ${(evaluation.maxPathShare.api * 100).toFixed(1)}% of requests, above the API share limit`,
    );
  return reasons;
}

/** The best "own the base, lease the peak" pair over every SKU and offer available from the first month, or null when there is no pair. */
export function bestBasePeak(
  context: PlanningContext,
): { summary: StrategySummary; plan: FleetPlan; evaluation: FleetEvaluation } | null {
  let best: { summary: StrategySummary; plan: FleetPlan; evaluation: FleetEvaluation } | null = null;
  for (const build of context.builds) {
    if (build.availableFromMonth > 0) continue;
    for (const lease of context.leases) {
      if (lease.availableFromMonth > 0) continue;
      const plan = basePeakPlan(context, build, lease);
      const evaluation = evaluateFleetPlan(context, plan);
      const reasons = planViolations(context, evaluation);
      const summary: StrategySummary = {
        id: `base-peak:${build.option.id}+${lease.option.id}`,
        kind: "base-peak",
        label: `own the base on ${build.option.id}, lease the peak on ${lease.option.id}`,
        npvCostUsd: evaluation.npvCostUsd,
        lcotUsdPerMillionTokens: evaluation.lcotUsdPerMillionTokens,
        feasible: reasons.length === 0,
        ...(reasons.length > 0 ? { reason: reasons.join("; ") } : {}),
      };
      const better =
        best === null ||
        (summary.feasible && !best.summary.feasible) ||
        (summary.feasible === best.summary.feasible && evaluation.npvCostUsd < best.evaluation.npvCostUsd);
      if (better) best = { summary, plan, evaluation };
    }
  }
  return best;
}
