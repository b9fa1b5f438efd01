/**
 * The API's one door to the planner, by concern (a barrel: importers keep this path):
 * `planner/evaluate.ts` (the wire schema, catalog resolution and evaluation, errors mapped to the
 * envelope, pinned versions), `planner/limits.ts` (the CPU guard: request and job bounds, and
 * where a request runs), `planner/requests.ts` (`POST /optimise` and `/risk`, and their jobs),
 * `planner/plan.ts` (what a stored plan holds, and computing it).
 */
export {
  type Evaluation,
  type PlanInput,
  PINNED_VERSIONS,
  type ScenarioInput,
  ScenarioInputSchema,
  evaluateScenario,
  pinnedQuotesOf,
  scenarioJsonOrThrow,
} from "./planner/evaluate.ts";
export {
  API_JOB_LIMITS,
  API_PLAN_LIMITS,
  JOB_WORK_BUDGET,
  type Placement,
  type PlanLimits,
  guardOptimise,
  guardRisk,
  placeOptimise,
  placePlan,
  placeRisk,
  riskWorkOf,
} from "./planner/limits.ts";
export {
  type OptimiseRequestInput,
  OptimiseRequestSchema,
  type RiskRequestInput,
  RiskRequestSchema,
  optimiseJob,
  optimiseRequest,
  riskJob,
  riskRequest,
} from "./planner/requests.ts";
export { type OptimisedPart, type PlanContent, type PlanOptimiseOption, evaluateForPlan } from "./planner/plan.ts";
