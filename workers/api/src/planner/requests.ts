import {
  OptimiseRequestSchema,
  RiskRequestSchema,
  type OptimisationWire,
  type OptimiseRequestInput,
  type RiskAnalysisWire,
  type RiskRequestInput,
} from "@aifp/contracts";
import {
  optimisationWire,
  optimisePrepared,
  prepareOptimiseParsed,
  prepareRisk,
  riskPrepared,
  riskPreparedAsync,
  riskWire,
  type PreparedOptimise,
} from "@aifp/contracts/pipeline";
import type { OrgQuote } from "@aifp/catalog";
import { API_WORK_BUDGET, type MilpSolver, type MonteCarloControl, type WorkBudget } from "@aifp/kernel";
import { pipelineFor, toApiError } from "./evaluate.ts";
import {
  API_JOB_LIMITS,
  API_PLAN_LIMITS,
  JOB_WORK_BUDGET,
  type PlanLimits,
  guardOptimise,
  guardRisk,
} from "./limits.ts";

// --- optimise and risk ----------------------------------------------------------------------

export { OptimiseRequestSchema, RiskRequestSchema };
export type { OptimiseRequestInput, RiskRequestInput };

/**
 * `POST /optimise`: guard, resolve, then optimise with the isolate's HiGHS instance (`solver`
 * is only awaited once the request is known to be valid and within bounds).
 * @param request A request that passed {@link OptimiseRequestSchema}.
 * @param quotes The caller's organisation quotes (none: public figures only).
 */
export async function optimiseRequest(
  request: OptimiseRequestInput,
  solver: () => Promise<MilpSolver>,
  quotes: readonly OrgQuote[] = [],
  limits: PlanLimits = API_PLAN_LIMITS,
  budget: WorkBudget = API_WORK_BUDGET,
): Promise<OptimisationWire> {
  const settings = guardOptimise(request.scenario, request.optimise, "", limits);
  let prepared: PreparedOptimise;
  try {
    prepared = prepareOptimiseParsed(request.scenario, settings, pipelineFor(quotes));
  } catch (error) {
    throw toApiError(error);
  }
  const highs = await solver();
  try {
    return optimisationWire(optimisePrepared(prepared, highs, budget));
  } catch (error) {
    throw toApiError(error);
  }
}

/**
 * `POST /risk`: guard, resolve, tornado with break-evens and a seeded Monte Carlo.
 * @param request A request that passed {@link RiskRequestSchema}.
 * @param quotes The caller's organisation quotes (none: public figures only).
 */
export function riskRequest(request: RiskRequestInput, quotes: readonly OrgQuote[] = []): RiskAnalysisWire {
  guardRisk(request);
  try {
    return riskWire(riskPrepared(prepareRisk(request, pipelineFor(quotes))));
  } catch (error) {
    throw toApiError(error);
  }
}

/**
 * An optimise job (the queue consumer): {@link optimiseRequest} under the job's bounds and
 * {@link JOB_WORK_BUDGET}. One HiGHS solve cannot yield to other requests, so the budget, not a
 * clock, bounds how long it holds the isolate.
 */
export function optimiseJob(
  request: OptimiseRequestInput,
  solver: () => Promise<MilpSolver>,
  quotes: readonly OrgQuote[],
): Promise<OptimisationWire> {
  return optimiseRequest(request, solver, quotes, API_JOB_LIMITS, JOB_WORK_BUDGET);
}

/**
 * A risk job: the Monte Carlo in chunks, awaiting `control.yieldToHost` between them so the
 * isolate serves other requests (a health check waits one chunk, not the whole run), with
 * progress per chunk. The same seed gives the same figures as {@link riskRequest}.
 */
export async function riskJob(
  request: RiskRequestInput,
  quotes: readonly OrgQuote[],
  control: MonteCarloControl,
): Promise<RiskAnalysisWire> {
  guardRisk(request, API_JOB_LIMITS);
  try {
    return riskWire(await riskPreparedAsync(prepareRisk(request, pipelineFor(quotes)), control));
  } catch (error) {
    throw toApiError(error);
  }
}
