/**
 * `optimise`: the cheapest fleet plan over hardware generations under the site's power cap
 * (docs/optimiser.md). A MILP on yearly or quarterly periods chooses servers to buy per SKU,
 * early sales, instances to lease per offer and the share of tokens bought from an API; the plan
 * is then evaluated month by month with cost-model.md conventions and compared with every pure
 * strategy and "own the base, lease the peak", all evaluated by the same core.
 */
import { ScenarioError } from "../errors.ts";
import { evaluate } from "../evaluate.ts";
import { paybackMonths } from "../finance.ts";
import type { OptionResult } from "../result.ts";
import { monthLabel, MONTHS_PER_YEAR } from "../time.ts";
import { KERNEL_VERSION } from "../version.ts";
import { buildPlanningContext } from "./context.ts";
import { evaluateFleetPlan, type FleetEvaluation } from "./fleet.ts";
import { readFleetPlan, type MilpPeriodDecision } from "./model.ts";
import { checkModelRange, precheckFeasibility } from "./budget.ts";
import { bestBasePeak, planViolations, purePlan, pureStrategies, type StrategySummary } from "./strategies.ts";
import type { BindingConstraints, OptimiseInput, OptimiseResult } from "./optimise-types.ts";
import { regroupPeriods, toHybridPeriods } from "./periods.ts";
import { diagnoseInfeasible, limitsOf, Solves } from "./solves.ts";

export type { BindingConstraints, HybridPeriod, ModelSize, OptimiseInput, OptimiseResult } from "./optimise-types.ts";

/** The limit named by a solver status: "time limit", "work budget (node limit)", … */
function limitName(reason: string): string {
  if (/time limit/i.test(reason)) return "time limit";
  if (/iteration/i.test(reason)) return "simplex iteration limit";
  return "node and leaf limits";
}

/** Money in words: $1.2M, $350k, $12. */
function usd(value: number): string {
  const sign = value < 0 ? "-" : "";
  const a = Math.abs(value);
  if (a >= 1e9) return `${sign}$${(a / 1e9).toFixed(a >= 1e10 ? 0 : 1)}B`;
  if (a >= 1e6) return `${sign}$${(a / 1e6).toFixed(a >= 1e7 ? 0 : 1)}M`;
  if (a >= 1e3) return `${sign}$${Math.round(a / 1e3)}k`;
  return `${sign}$${Math.round(a)}`;
}

/** Power in words: 2 MW, 750 kW. */
function power(kw: number): string {
  return kw >= 1000 ? `${Number((kw / 1000).toFixed(2))} MW` : `${Math.round(kw)} kW`;
}

/**
 * Finds the cheapest fleet plan and compares it with every pure strategy.
 *
 * Method (docs/optimiser.md): a MILP over yearly or quarterly periods (HiGHS, injected as
 * `input.solver`), objective the NPV of cost with cost-model.md discounting; constraints:
 * capacity at the latency target covers each period's peak, facility power `Σ servers × kw ×
 * PUE ≤ powerCapKw` per period, optional yearly capex budget and share per path, generations
 * bought only from their `availableFrom` month. The solver's plan is then evaluated month by
 * month (`evaluateFleetPlan`, buying as the months need within the plan); the recommendation
 * is the cheapest of that plan, every feasible pure strategy (`evaluate`) and the best "own the
 * base, lease the peak", so it never costs more than the best pure strategy under the same core.
 * The power cap is priced by re-solving with one more MW (savings per MW, USD NPV).
 *
 * @returns strategies with `npvCostUsd` (USD) and `lcotUsdPerMillionTokens` (USD per million
 *   tokens), the plan per period, what binds in plain words, the model size.
 * @throws ScenarioError `invalid` for a bad scenario or settings; `infeasible` with the reason
 *   (power cap, budget, shares, availability) when no plan can serve the demand (HTTP 422).
 */
export function optimise(input: OptimiseInput): OptimiseResult {
  const context = buildPlanningContext(input.scenario, input.settings);
  const limits = limitsOf(context);
  // Before anything costly: figures the model can represent, and a bound that may prove the
  // plan impossible without a MILP (budget.ts).
  checkModelRange(context, limits);
  const impossible = precheckFeasibility(context, limits);
  if (impossible) throw impossible;
  const evaluated = evaluate(input.scenario);
  const solves = new Solves(context, input.solver, input.budget);

  const pure = pureStrategies(context, evaluated);
  const base = bestBasePeak(context);

  const main = solves.run(limits);
  if (main.outcome.status === "error") throw new Error(`optimise: ${main.outcome.reason}`);
  const outcome = main.outcome.status === "optimal" || main.outcome.status === "feasible" ? main.outcome : null;
  const stoppedBy =
    main.outcome.status === "feasible" || main.outcome.status === "timeout" ? limitName(main.outcome.reason) : null;
  const milpNote =
    main.outcome.status === "timeout"
      ? stoppedBy === "time limit"
        ? `the solver found no plan within ${context.settings.timeLimitSeconds} s`
        : `the solver found no plan within its work budget (${stoppedBy ?? "a limit"})`
      : main.outcome.status === "infeasible"
        ? "the period model has no feasible plan"
        : null;
  const read = outcome ? readFleetPlan(context, main.model, outcome.values) : null;
  const decisions = read?.decisions ?? [];
  const milpEvaluation = read ? evaluateFleetPlan(context, read.plan) : null;
  const milpViolations = milpEvaluation ? planViolations(context, milpEvaluation) : [];

  // The recommendation: the cheapest feasible candidate, all evaluated month by month by the same core.
  interface Candidate {
    source: string;
    evaluation: FleetEvaluation;
  }
  const candidates: Candidate[] = [];
  if (milpEvaluation && milpViolations.length === 0) candidates.push({ source: "milp", evaluation: milpEvaluation });
  for (const strategy of pure) {
    if (!strategy.feasible) continue;
    candidates.push({ source: strategy.id, evaluation: evaluateFleetPlan(context, purePlan(context, strategy.id)) });
  }
  if (base?.summary.feasible) candidates.push({ source: base.summary.id, evaluation: base.evaluation });
  candidates.sort((a, b) => a.evaluation.npvCostUsd - b.evaluation.npvCostUsd);
  const chosen = candidates[0];
  if (chosen === undefined) {
    if (main.outcome.status === "infeasible") throw diagnoseInfeasible(context, solves, limits);
    if (main.outcome.status === "timeout") {
      throw new ScenarioError("infeasible", [
        stoppedBy === "time limit"
          ? {
              path: "optimise.timeLimitSeconds",
              message: `the solver found no plan within ${context.settings.timeLimitSeconds} s and no single strategy is feasible: allow more time or use longer periods`,
            }
          : {
              path: "optimise.periodMonths",
              message: `the solver found no plan within its work budget (${stoppedBy ?? "a limit"}) and no single strategy is feasible: use longer periods or fewer options`,
            },
      ]);
    }
    throw new ScenarioError("infeasible", [
      {
        path: "",
        message: `the solver's plan breaks a limit when evaluated month by month (${milpViolations.join("; ")}) and no pure strategy is feasible`,
      },
    ]);
  }
  const hybrid = chosen.evaluation;

  const strategies: StrategySummary[] = [...pure];
  if (base) strategies.push(base.summary);
  strategies.push({
    id: "hybrid",
    kind: "hybrid",
    label: chosen.source === "milp" ? "optimal mix (solver plan)" : `optimal mix (same as ${chosen.source})`,
    npvCostUsd: hybrid.npvCostUsd,
    lcotUsdPerMillionTokens: hybrid.lcotUsdPerMillionTokens,
    feasible: true,
  });

  const bestOf = (kind: string | null): string | null => {
    const list = pure.filter((s) => s.feasible && (kind === null || s.kind === kind) && s.npvCostUsd !== null);
    list.sort((a, b) => (a.npvCostUsd as number) - (b.npvCostUsd as number));
    return list[0]?.id ?? null;
  };
  const best = { build: bestOf("build"), lease: bestOf("lease"), api: bestOf("api"), pure: bestOf(null) };
  const bestPure = pure.find((s) => s.id === best.pure);
  const savingsVsBestPureUsd = bestPure?.npvCostUsd == null ? null : bestPure.npvCostUsd - hybrid.npvCostUsd;

  let comparison: OptimiseResult["hybrid"]["comparison"] = null;
  const baselineIndex = context.resolved.baselineIndex;
  if (baselineIndex !== null) {
    const baseline = evaluated.options[baselineIndex] as OptionResult;
    const baselineCash = Float64Array.from(baseline.monthly.map((m) => m.cashUsd));
    comparison = {
      baselineOptionId: baseline.id,
      npvSavingsUsd: baseline.npvCostUsd - hybrid.npvCostUsd,
      paybackMonths: paybackMonths(baselineCash, hybrid.flows.cashUsd),
    };
  }

  // What binds.
  const binding: BindingConstraints = { powerCap: null, capexBudget: null, shares: [] };
  const explanation: string[] = [];
  const periodLabel = (t: number): string =>
    monthLabel(context.resolved.startMonth, (context.periods[t] as { start: number }).start);
  const cap = context.resolved.site.powerCapKw;
  // Report the power of the plan we recommend (which may be a pure or base-peak candidate
  // rather than the solver's own plan), evaluated month by month.
  const planPeriods = toHybridPeriods(hybrid);
  const peakPlannedKw = Math.max(0, ...planPeriods.map((p) => p.facilityKw));
  if (cap !== null && context.builds.length > 0 && outcome) {
    let savingsPerMwUsd = 0;
    let bindsFrom: string | null = null;
    if (context.settings.explain && solves.left) {
      const relaxed = solves.run({ ...limits, powerCapKw: cap + 1000 });
      if (relaxed.outcome.status === "optimal" || relaxed.outcome.status === "feasible") {
        savingsPerMwUsd = Math.max(0, outcome.objective - relaxed.outcome.objective);
        const relaxedDecisions = readFleetPlan(context, relaxed.model, relaxed.outcome.values).decisions;
        const firstOver = relaxedDecisions.findIndex((d) => d.facilityKw > cap + 1e-6);
        const threshold = Math.min(...context.builds.map((b) => b.facilityKw));
        const firstFull = decisions.findIndex((d) => d.facilityKw > cap - threshold);
        const first = firstOver >= 0 ? firstOver : firstFull;
        if (savingsPerMwUsd > Math.max(1, 1e-7 * Math.abs(outcome.objective)) && first >= 0)
          bindsFrom = periodLabel(first);
      }
    }
    const binds = bindsFrom !== null;
    binding.powerCap = { capKw: cap, binds, bindsFrom, savingsPerMwUsd: binds ? savingsPerMwUsd : 0, peakPlannedKw };
    if (binds) {
      explanation.push(
        `The ${power(cap)} power cap binds from ${bindsFrom?.slice(0, 4)}: the cheapest plan would put more servers on site if it could. Each extra MW would save about ${usd(savingsPerMwUsd)} over the horizon (present value).`,
      );
    } else if (context.settings.explain) {
      explanation.push(
        `The ${power(cap)} power cap does not bind: the plan uses at most ${power(peakPlannedKw)} of facility power.`,
      );
    }
  }

  const budget = context.settings.capexBudgetUsdPerYear;
  if (budget !== null && outcome) {
    const capexByYear = new Array<number>(budget.length).fill(0);
    for (const column of main.model.buy) {
      const n = Math.round(outcome.values.get(column.name) ?? 0);
      const year = Math.floor((context.periods[column.period] as { start: number }).start / MONTHS_PER_YEAR);
      capexByYear[year] = (capexByYear[year] ?? 0) + n * column.capexUsd;
    }
    const smallest = Math.min(...main.model.buy.map((c) => c.capexUsd));
    const bindingYears = capexByYear
      .map((capex, y) => ((budget[y] as number) - capex < smallest ? y + 1 : 0))
      .filter((y) => y > 0);
    let savingsWithoutBudgetUsd: number | null = null;
    if (bindingYears.length > 0 && context.settings.explain && solves.left) {
      const relaxed = solves.run({ ...limits, capexBudgetUsdPerYear: null });
      if (relaxed.outcome.status === "optimal" || relaxed.outcome.status === "feasible")
        savingsWithoutBudgetUsd = Math.max(0, outcome.objective - relaxed.outcome.objective);
    }
    binding.capexBudget = { bindingYears, savingsWithoutBudgetUsd };
    if (bindingYears.length > 0) {
      const years = bindingYears.map((y) => String(Number(context.resolved.startMonth.slice(0, 4)) + y - 1));
      explanation.push(
        `The capex budget limits purchases in ${years.join(", ")}` +
          (savingsWithoutBudgetUsd !== null && savingsWithoutBudgetUsd > 1
            ? `; without it the plan would cost about ${usd(savingsWithoutBudgetUsd)} less.`
            : "."),
      );
    }
  }

  const shareChecks: { path: "build" | "lease" | "api"; limit: number; used: (d: MilpPeriodDecision) => number }[] = [
    { path: "build", limit: context.settings.maxShare.build, used: (d) => d.ownedShare },
    { path: "lease", limit: context.settings.maxShare.lease, used: (d) => d.leasedShare },
    {
      path: "api",
      limit: context.settings.maxShare.api,
      used: (d) => Object.values(d.apiShare).reduce((a, b) => a + b, 0),
    },
  ];
  for (const check of shareChecks) {
    if (check.limit >= 1) continue;
    const periods = decisions
      .map((d, t) => (check.used(d) >= check.limit - 0.02 ? periodLabel(t) : null))
      .filter((p): p is string => p !== null);
    if (periods.length === 0) continue;
    binding.shares.push({ path: check.path, limit: check.limit, periods });
    explanation.push(
      `The ${check.path} share limit of ${Math.round(check.limit * 100)}% of peak demand is reached in ${periods
        .map((p) => p.slice(0, 4))
        .filter((y, i, a) => a.indexOf(y) === i)
        .join(", ")}.`,
    );
  }

  // The plan in words.
  if (chosen.source === "milp") {
    const buys: string[] = [];
    const boughtBy = new Map<string, string[]>();
    planPeriods.forEach((p) => {
      for (const [id, n] of Object.entries(p.buy))
        if (n > 0) boughtBy.set(id, [...(boughtBy.get(id) ?? []), `${n} in ${p.start.slice(0, 4)}`]);
    });
    for (const [id, list] of boughtBy) {
      const index = context.resolved.options.findIndex((o) => o.id === id);
      const from = context.settings.availableFromMonth[index] as number;
      buys.push(
        `${id}: ${list.join(", ")}${from > 0 ? ` (available from ${monthLabel(context.resolved.startMonth, from)})` : ""}`,
      );
    }
    if (buys.length > 0) explanation.push(`Servers bought — ${buys.join("; ")}.`);
    const early = planPeriods.filter((p) => Object.values(p.retireEarly).some((n) => n > 0));
    if (early.length > 0)
      explanation.push(
        `Servers sold before the end of their life to free power or cost: ${early
          .map(
            (p) =>
              `${Object.entries(p.retireEarly)
                .filter(([, n]) => n > 0)
                .map(([id, n]) => `${n} ${id}`)
                .join(", ")} in ${p.start.slice(0, 4)}`,
          )
          .join("; ")}.`,
      );
    const leased = planPeriods.filter((p) => Object.values(p.lease).some((n) => n > 0));
    if (leased.length > 0)
      explanation.push(
        `Leased instances cover what owned servers do not, in ${leased
          .map((p) => p.start.slice(0, 4))
          .filter((y, i, a) => a.indexOf(y) === i)
          .join(", ")} (up to ${Math.max(...leased.map((p) => p.leasedGpus))} GPUs).`,
      );
    const api = planPeriods.filter((p) => p.apiShare > 1e-9);
    if (api.length > 0)
      explanation.push(
        `Tokens bought from the API: ${api.map((p) => `${Math.round(p.apiShare * 100)}% in ${p.start.slice(0, 4)}`).join(", ")}.`,
      );
  } else {
    const reason =
      milpNote !== null
        ? milpNote
        : milpViolations.length > 0
          ? `the solver's plan breaks a limit month by month (${milpViolations.join("; ")})`
          : `the solver's ${context.settings.periodMonths === 12 ? "yearly" : `${context.settings.periodMonths}-month`} plan costs ${usd(milpEvaluation?.npvCostUsd ?? 0)}, more than buying month by month`;
    explanation.push(
      `The recommended plan is ${strategies.find((s) => s.id === chosen.source)?.label ?? chosen.source}: ${reason}.`,
    );
  }
  if (main.outcome.status === "feasible")
    explanation.push(
      `The solver stopped at its ${stoppedBy === "time limit" ? `${context.settings.timeLimitSeconds} s time limit` : `work budget (${stoppedBy})`} with a plan it has not proven the cheapest: the figures are the best found, not a proven optimum.`,
    );
  if (bestPure && savingsVsBestPureUsd !== null) {
    explanation.push(
      savingsVsBestPureUsd > 1
        ? `The plan costs ${usd(hybrid.npvCostUsd)} in present value (${hybrid.lcotUsdPerMillionTokens.toPrecision(3)} USD per million tokens), ${usd(savingsVsBestPureUsd)} (${((savingsVsBestPureUsd / (bestPure.npvCostUsd as number)) * 100).toFixed(1)}%) less than the best single path, ${bestPure.label}.`
        : `No mix beats the best single path, ${bestPure.label}: ${usd(hybrid.npvCostUsd)} in present value (${hybrid.lcotUsdPerMillionTokens.toPrecision(3)} USD per million tokens).`,
    );
  } else {
    explanation.push(
      `No single path is feasible under the limits; the plan costs ${usd(hybrid.npvCostUsd)} in present value (${hybrid.lcotUsdPerMillionTokens.toPrecision(3)} USD per million tokens).`,
    );
  }

  return {
    kernelVersion: KERNEL_VERSION,
    scenarioName: context.resolved.name,
    startMonth: context.resolved.startMonth,
    horizonMonths: context.months,
    strategies,
    best,
    hybrid: {
      source: chosen.source,
      npvCostUsd: hybrid.npvCostUsd,
      tcoUsd: hybrid.tcoUsd,
      residualUsd: hybrid.residualUsd,
      lcotUsdPerMillionTokens: hybrid.lcotUsdPerMillionTokens,
      lcotUsdPerMillionOutputTokens: hybrid.lcotUsdPerMillionOutputTokens,
      effectiveUsdPerGpuHour: hybrid.effectiveUsdPerGpuHour,
      savingsVsBestPureUsd,
      comparison,
      milpNpvCostUsd: milpEvaluation?.npvCostUsd ?? null,
      milpObjectiveUsd: outcome?.objective ?? null,
      periods: regroupPeriods(context, hybrid, planPeriods),
      decisions,
      monthly: hybrid.monthly,
      powerCapExceededMonths: hybrid.powerCapExceededMonths,
    },
    binding,
    explanation,
    model: {
      periods: context.periods.length,
      periodMonths: context.settings.periodMonths,
      variables: main.model.lp.variables.length,
      integerVariables: main.model.lp.integerCount,
      constraints: main.model.lp.constraints.length,
      solves: solves.count,
      status: main.outcome.status,
      ...(input.budget && solves.limits
        ? {
            budget: {
              nodesPerSolve: solves.limits.nodes,
              leavesPerSolve: solves.limits.leaves,
              simplexIterationsPerSolve: solves.limits.simplexIterations,
              maxSolves: input.budget.maxSolves,
              stoppedBy,
            },
          }
        : {}),
    },
    optimal: main.outcome.status === "optimal",
    warnings: evaluated.warnings,
  };
}
