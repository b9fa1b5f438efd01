// The solver runs of one `optimise` call: model limits, solve options, the work budget and the
// diagnosis of an infeasible model (moved verbatim from optimise.ts).
import { ScenarioError, type ScenarioIssue } from "../errors.ts";
import { monthLabel } from "../time.ts";
import type { PlanningContext } from "./context.ts";
import { buildFleetModel, type FleetModel, type ModelLimits } from "./model.ts";
import { runSolver, type MilpSolver, type MilpSolveOptions, type SolveOutcome } from "./solver.ts";
import {
  CAPEX_BUDGET_ISSUE,
  powerCapIssue,
  shareIssue,
  solveLimitOptions,
  solveLimitsFor,
  type SolveLimits,
  type WorkBudget,
} from "./budget.ts";

export function limitsOf(context: PlanningContext): ModelLimits {
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

export interface Solved {
  model: FleetModel;
  outcome: SolveOutcome;
}

/** The solves of one call: counts them and applies the work budget (when there is one). */
export class Solves {
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
export function diagnoseInfeasible(context: PlanningContext, solves: Solves, limits: ModelLimits): ScenarioError {
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
