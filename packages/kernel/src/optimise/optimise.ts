/**
 * `optimise`: the cheapest fleet plan over hardware generations under the site's power cap
 * (docs/optimiser.md). A MILP on yearly or quarterly periods chooses servers to buy per SKU,
 * early sales, instances to lease per offer and the share of tokens bought from an API; the plan
 * is then evaluated month by month with cost-model.md conventions and compared with every pure
 * strategy and "own the base, lease the peak", all evaluated by the same core.
 */
import { ScenarioError, type ScenarioIssue } from "../errors.ts";
import { evaluate } from "../evaluate.ts";
import { paybackMonths } from "../finance.ts";
import type { OptionResult } from "../result.ts";
import type { Scenario } from "../scenario.ts";
import { monthLabel, MONTHS_PER_YEAR } from "../time.ts";
import { KERNEL_VERSION } from "../version.ts";
import { buildPlanningContext, type OptimiseSettings, type PlanningContext } from "./context.ts";
import { evaluateFleetPlan, type FleetEvaluation, type FleetMonth } from "./fleet.ts";
import { buildFleetModel, readFleetPlan, type FleetModel, type MilpPeriodDecision, type ModelLimits } from "./model.ts";
import { runSolver, type MilpSolver, type MilpSolveOptions, type SolveOutcome } from "./solver.ts";
import {
  CAPEX_BUDGET_ISSUE,
  checkModelRange,
  powerCapIssue,
  precheckFeasibility,
  shareIssue,
  solveLimitOptions,
  solveLimitsFor,
  type SolveLimits,
  type WorkBudget,
} from "./budget.ts";
import { bestBasePeak, planViolations, purePlan, pureStrategies, type StrategySummary } from "./strategies.ts";

/** Input of `optimise`. */
export interface OptimiseInput {
  /** The scenario (cost-model.md), numbers inline. Build/lease/api options may carry `availableFrom: "YYYY-MM"`. */
  scenario: Scenario;
  /** An initialised HiGHS instance (`await highsLoader(...)` from package `highs`), injected by the caller. */
  solver: MilpSolver;
  settings?: OptimiseSettings;
  /**
   * A work budget (counts, no clock; `budget.ts`): per-solve node, leaf and simplex-iteration
   * limits sized from the model, a cap on solves, and an admission limit on the model's size.
   * Absent: no limits beyond `settings.timeLimitSeconds` (the CLI and the web app's Web Worker).
   */
  budget?: WorkBudget;
}

/** One period of the recommended plan (the plan timeline). */
export interface HybridPeriod {
  /** First calendar month "YYYY-MM". */
  start: string;
  months: number;
  /** Highest facility power of owned servers in the period, kW (IT × PUE at full load). */
  facilityKw: number;
  /** Highest GPUs running, owned + leased. */
  gpus: number;
  ownedGpus: number;
  leasedGpus: number;
  /** Servers bought in the period per build option id (as the months needed them). */
  buy: Record<string, number>;
  /** Servers sold in the period per build option id (end of life or early). */
  retire: Record<string, number>;
  /** Of `retire`, sold before the end of their life. */
  retireEarly: Record<string, number>;
  /** Servers owned at the end of the period per build option id. */
  servers: Record<string, number>;
  /** Highest instances leased in a month of the period, per lease option id. */
  lease: Record<string, number>;
  /** Share of requests sent to the API (average over the period's months), 0–1. */
  apiShare: number;
  capexUsd: number;
  /** Cash paid in the period: capex − resale + operating costs, USD. */
  cashUsd: number;
  /** Present value of the period's cash at plan start (last period: net of the horizon residual), USD. */
  npvCostUsd: number;
}

/** What binds in the plan, and what relaxing it is worth. */
export interface BindingConstraints {
  powerCap: null | {
    capKw: number;
    binds: boolean;
    /** First calendar month of the first period where the cap binds; null when it does not. */
    bindsFrom: string | null;
    /** NPV saved over the horizon by one more MW of facility power (MILP objective, USD); 0 when it does not bind. */
    savingsPerMwUsd: number;
    /** Highest planned facility power, kW. */
    peakPlannedKw: number;
  };
  capexBudget: null | {
    /** Plan years (1-based) whose purchases use the whole budget. */
    bindingYears: number[];
    /** NPV saved if there were no budget (MILP objective, USD); null when not computed. */
    savingsWithoutBudgetUsd: number | null;
  };
  /** Paths whose share limit is reached, with the periods where it is. */
  shares: { path: "build" | "lease" | "api"; limit: number; periods: string[] }[];
}

/** Size of the MILP and how it was solved (no timings: the kernel has no clock; the bench measures them). */
export interface ModelSize {
  periods: number;
  periodMonths: number;
  variables: number;
  integerVariables: number;
  constraints: number;
  /** Solves run: the plan, plus re-solves to price the power cap and budget. */
  solves: number;
  /**
   * "optimal"; "feasible" when a time limit stopped the solver with a plan not proven optimal;
   * "timeout" or "infeasible" when the period model gave no plan and a single strategy was recommended.
   */
  status: "optimal" | "feasible" | "timeout" | "infeasible";
  /**
   * The work budget the solves ran under (absent without one): per-solve limits, the solve cap,
   * and what stopped the plan's solve early (null: nothing, the solver finished).
   */
  budget?: {
    nodesPerSolve: number;
    leavesPerSolve: number;
    simplexIterationsPerSolve: number;
    maxSolves: number;
    stoppedBy: string | null;
  };
}

/** Result of `optimise`. */
export interface OptimiseResult {
  kernelVersion: string;
  scenarioName: string;
  startMonth: string;
  horizonMonths: number;
  /** Every strategy compared: each pure build (per SKU), lease, API, the best "own the base, lease the peak", and the optimal hybrid. */
  strategies: StrategySummary[];
  /** Ids of the cheapest feasible pure build, pure lease and pure strategy overall (null when none). */
  best: { build: string | null; lease: string | null; api: string | null; pure: string | null };
  hybrid: {
    /** Where the recommended plan comes from: "milp" (the solver's plan), else the id of the cheaper strategy it fell back to. */
    source: string;
    npvCostUsd: number;
    tcoUsd: number;
    residualUsd: number;
    lcotUsdPerMillionTokens: number;
    lcotUsdPerMillionOutputTokens: number;
    effectiveUsdPerGpuHour: number | null;
    /** NPV of the best feasible pure strategy minus the hybrid's, USD (>= 0). */
    savingsVsBestPureUsd: number | null;
    /** Against the scenario's comparison baseline (default: the first lease option). */
    comparison: null | { baselineOptionId: string; npvSavingsUsd: number; paybackMonths: number | null };
    /** The solver's plan evaluated month by month, even when it is not the recommendation; null when the solver found none. */
    milpNpvCostUsd: number | null;
    /** The solver's own estimate of the plan's NPV (its objective), USD; null when it found none. */
    milpObjectiveUsd: number | null;
    periods: HybridPeriod[];
    /** The solver's per-period decisions (planned counts; the monthly plan buys as the months need). */
    decisions: MilpPeriodDecision[];
    monthly: FleetMonth[];
    powerCapExceededMonths: number[];
  };
  binding: BindingConstraints;
  /** What binds and why, in plain words a CFO reads. */
  explanation: string[];
  model: ModelSize;
  /**
   * True when the solver proved its plan the cheapest under the period model; false when a
   * limit (the work budget or the time limit) stopped it first, or it found no plan and a
   * single strategy is recommended. `explanation` says why. Always set by `optimise`; optional
   * because results stored before it existed lack it.
   */
  optimal?: boolean;
  warnings: ScenarioIssue[];
}

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

function limitsOf(context: PlanningContext): ModelLimits {
  return {
    powerCapKw: context.resolved.site.powerCapKw,
    capexBudgetUsdPerYear: context.settings.capexBudgetUsdPerYear,
    maxShare: context.settings.maxShare,
    allowEarlyRetirement: context.settings.allowEarlyRetirement,
  };
}

function solveOptions(context: PlanningContext, work: SolveLimits | null): MilpSolveOptions {
  return {
    time_limit: context.settings.timeLimitSeconds,
    mip_rel_gap: context.settings.mipRelativeGap,
    random_seed: 0,
    output_flag: false,
    ...(work ? solveLimitOptions(work) : {}),
  };
}

interface Solved {
  model: FleetModel;
  outcome: SolveOutcome;
}

/** The solves of one call: counts them and applies the work budget (when there is one). */
class Solves {
  count = 0;
  limits: SolveLimits | null = null;
  private readonly context: PlanningContext;
  private readonly solver: MilpSolver;
  private readonly budget: WorkBudget | undefined;
  constructor(context: PlanningContext, solver: MilpSolver, budget: WorkBudget | undefined) {
    this.context = context;
    this.solver = solver;
    this.budget = budget;
  }

  /** Whether the budget allows another solve. */
  get left(): boolean {
    return this.budget === undefined || this.count < this.budget.maxSolves;
  }

  run(limits: ModelLimits): Solved {
    const model = buildFleetModel(this.context, limits);
    if (this.budget) {
      const size = {
        variables: model.lp.variables.length,
        integerVariables: model.lp.integerCount,
        constraints: model.lp.constraints.length,
      };
      if (size.integerVariables > this.budget.maxIntegerVariables)
        throw new ScenarioError("invalid", [
          {
            path: "optimise.periodMonths",
            message: `the plan needs a model with ${size.integerVariables} whole-number decisions, more than the ${this.budget.maxIntegerVariables} one request may solve; use longer periods or fewer options`,
          },
        ]);
      this.limits ??= solveLimitsFor(this.budget, size);
    }
    this.count++;
    return { model, outcome: runSolver(this.solver, model.lp.toLpText(), solveOptions(this.context, this.limits)) };
  }
}

/** Explains an infeasible model by relaxing one limit at a time (each re-solve within the budget). */
function diagnoseInfeasible(context: PlanningContext, solves: Solves, limits: ModelLimits): ScenarioError {
  const issues: ScenarioIssue[] = [];
  const { periods, builds, leases, apis } = context;
  // Periods no option can serve at all.
  for (const period of periods) {
    const any = [...builds, ...leases, ...apis].some((u) => u.availableFromMonth <= period.start);
    if (!any) {
      issues.push({
        path: "optimise.availableFrom",
        message: `no option is available in the period from ${monthLabel(context.resolved.startMonth, period.start)}: every option becomes available later`,
      });
      return new ScenarioError("infeasible", issues);
    }
  }
  const feasibleWith = (change: Partial<ModelLimits>): boolean => {
    if (!solves.left) return false;
    const outcome = solves.run({ ...limits, ...change }).outcome;
    return outcome.status === "optimal" || outcome.status === "feasible";
  };
  if (limits.powerCapKw !== null && feasibleWith({ powerCapKw: null })) {
    issues.push(powerCapIssue(context, limits));
  } else if (limits.capexBudgetUsdPerYear !== null && feasibleWith({ capexBudgetUsdPerYear: null })) {
    issues.push(CAPEX_BUDGET_ISSUE);
  } else if (feasibleWith({ maxShare: { build: 1, lease: 1, api: 1 } })) {
    issues.push(shareIssue(limits));
  } else {
    issues.push({
      path: "",
      message: solves.left
        ? "no combination of the options can serve the demand under the power cap, budget and share limits together"
        : "no combination of the options can serve the demand under the power cap, budget and share limits together (the work budget allowed no further diagnosis of which one binds)",
    });
  }
  return new ScenarioError("infeasible", issues);
}

function toHybridPeriods(evaluation: FleetEvaluation): HybridPeriod[] {
  return evaluation.periods.map((p) => ({
    start: p.start,
    months: p.months,
    facilityKw: p.facilityKw,
    gpus: p.gpus,
    ownedGpus: p.ownedGpus,
    leasedGpus: p.leasedGpus,
    buy: p.bought,
    retire: p.retired,
    retireEarly: p.retiredEarly,
    servers: p.servers,
    lease: p.leased,
    apiShare: Object.values(p.apiShare).reduce((a, b) => a + b, 0),
    capexUsd: p.capexUsd,
    cashUsd: p.cashUsd,
    npvCostUsd: p.npvCostUsd,
  }));
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

/**
 * Plan periods on the optimiser's period grid, whatever plan won: a strategy evaluated as one
 * period (a pure strategy) or monthly (base-peak) is summarised per planning period from its months.
 */
function regroupPeriods(
  context: PlanningContext,
  evaluation: FleetEvaluation,
  periods: HybridPeriod[],
): HybridPeriod[] {
  if (periods.length === context.periods.length) return periods;
  const ids = {
    build: context.builds.map((b) => b.option.id),
    lease: context.leases.map((l) => l.option.id),
  };
  return context.periods.map((period) => {
    const out: HybridPeriod = {
      start: monthLabel(context.resolved.startMonth, period.start),
      months: period.end - period.start,
      facilityKw: 0,
      gpus: 0,
      ownedGpus: 0,
      leasedGpus: 0,
      buy: Object.fromEntries(ids.build.map((id) => [id, 0])),
      retire: Object.fromEntries(ids.build.map((id) => [id, 0])),
      retireEarly: Object.fromEntries(ids.build.map((id) => [id, 0])),
      servers: {},
      lease: Object.fromEntries(ids.lease.map((id) => [id, 0])),
      apiShare: 0,
      capexUsd: 0,
      cashUsd: 0,
      npvCostUsd: 0,
    };
    for (let m = period.start; m < period.end; m++) {
      const month = evaluation.monthly[m] as FleetMonth;
      out.facilityKw = Math.max(out.facilityKw, month.facilityKw);
      out.gpus = Math.max(out.gpus, month.gpus);
      out.ownedGpus = Math.max(out.ownedGpus, month.ownedGpus);
      out.leasedGpus = Math.max(out.leasedGpus, month.leasedGpus);
      for (const [id, n] of Object.entries(month.serversBought)) out.buy[id] = (out.buy[id] ?? 0) + n;
      for (const [id, n] of Object.entries(month.serversRetired)) out.retire[id] = (out.retire[id] ?? 0) + n;
      for (const [id, n] of Object.entries(month.instances)) out.lease[id] = Math.max(out.lease[id] ?? 0, n);
      out.servers = { ...month.servers };
      out.apiShare += month.apiShare / (period.end - period.start);
      out.capexUsd += month.capexUsd;
      out.cashUsd += month.cashUsd;
      const flows = evaluation.flows;
      out.npvCostUsd +=
        ((flows.capexUsd[m] as number) - (flows.resaleUsd[m] as number)) * (context.discount[m] as number) +
        (flows.opexUsd[m] as number) * (context.discount[m + 1] as number);
    }
    if (period.end === context.months)
      out.npvCostUsd -= evaluation.residualUsd * (context.discount[context.months] as number);
    return out;
  });
}
