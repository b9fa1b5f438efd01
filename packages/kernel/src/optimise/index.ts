/**
 * Optimiser (docs/optimiser.md): the cheapest fleet plan over hardware generations under the
 * power cap. The solver (HiGHS) is injected: Node uses `load-highs-node.ts` (exported from
 * `@aifp/kernel/load-highs-node`, not from here, because it reads a file).
 */
export {
  optimise,
  type BindingConstraints,
  type HybridPeriod,
  type ModelSize,
  type OptimiseInput,
  type OptimiseResult,
} from "./optimise.ts";
export {
  buildPlanningContext,
  buildPeriods,
  monthsBetween,
  resolveSettings,
  type OptimiseSettings,
  type Period,
  type PlanningContext,
  type ResolvedSettings,
} from "./context.ts";
export {
  evaluateFleetPlan,
  type FleetEvaluation,
  type FleetMonth,
  type FleetPeriodSummary,
  type FleetPlan,
  type FleetPlanPeriod,
  type FleetRetirement,
} from "./fleet.ts";
export { buildFleetModel, readFleetPlan, type FleetModel, type MilpPeriodDecision, type ModelLimits } from "./model.ts";
export {
  API_WORK_BUDGET,
  MAX_MODEL_MAGNITUDE,
  checkModelRange,
  precheckFeasibility,
  solveLimitsFor,
  type SolveLimits,
  type WorkBudget,
} from "./budget.ts";
export { LpModel, formatLpNumber, type LpConstraint, type LpTerm, type LpVariable } from "./lp-model.ts";
export { loadHighsFromWasmModule, type HighsPackageLoader, type InstantiateWasm } from "./load-highs-module.ts";
export {
  runSolver,
  type MilpColumn,
  type MilpRow,
  type MilpSolution,
  type MilpSolveOptions,
  type MilpSolver,
  type SolveOutcome,
} from "./solver.ts";
export {
  basePeakPlan,
  bestBasePeak,
  planViolations,
  purePlan,
  pureStrategies,
  type StrategyKind,
  type StrategySummary,
} from "./strategies.ts";
