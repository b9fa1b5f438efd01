import type { OptimiseRequestInput, OptimiseSettingsInput, RiskRequestInput, ScenarioInput } from "@aifp/contracts";
import { API_WORK_BUDGET, type OptimiseSettings, type WorkBudget } from "@aifp/kernel";
import { ApiError } from "../errors.ts";
import type { PlanOptimiseOption } from "./plan.ts";

/**
 * Bounds on one optimise or risk request, so a request stays within about a second of CPU
 * whatever the input (docs/api.md "Work budgets", ADR 018). All are counts, none a clock: the
 * size of the MILP grows with periods × options (admission), each solve runs under the kernel's
 * `API_WORK_BUDGET` (node, leaf and simplex-iteration limits, at most 3 solves); the risk
 * analysis grows with samples × months × options. Larger runs: `npx planner optimise | risk`, or
 * the web app (its Web Worker runs on the visitor's machine).
 */
export const API_PLAN_LIMITS = {
  /** Planning periods of one optimise request (5 years quarterly = 20). */
  maxPeriods: 20,
  /** Options of one optimise or risk request (the bench scenario has 21). */
  maxOptions: 24,
  /** Seconds per solve the API allows (and uses by default). */
  maxTimeLimitSeconds: 10,
  /** Monte Carlo samples × horizon months of one risk request (10,000 samples of a 10-year plan). */
  maxSampleMonths: 1_200_000,
  /**
   * Monte Carlo work of one risk request: samples × horizon months × max(options, 8). Each
   * sample evaluates the whole scenario; measured at ~3.3 µs per sample-month with up to 8
   * options (Node 24, 2 cores), so 3 M units is about 1 s. 3,125 samples of a 10-year,
   * 3-option plan; 1,041 of a 10-year, 24-option one (the default 1,000 fits). (ADR 018.)
   */
  maxRiskWork: 3_000_000,
  /** Options counted at least this many in {@link API_PLAN_LIMITS.maxRiskWork} (a sample's fixed cost). */
  riskWorkOptionFloor: 8,
} as const;

/** The bounds one request (or one background job) is held to: the shape of {@link API_PLAN_LIMITS}. */
export interface PlanLimits {
  maxPeriods: number;
  maxOptions: number;
  maxTimeLimitSeconds: number;
  maxSampleMonths: number;
  maxRiskWork: number;
  riskWorkOptionFloor: number;
}

/**
 * Bounds of a background job (ADR 025): what an authenticated `POST /optimise` or `POST /risk`
 * beyond {@link API_PLAN_LIMITS} may still ask, run by the queue consumer instead of the request.
 * Risk: 8x the request's work (24 M units, about 10 s of CPU at the measured ~0.41 µs per unit;
 * 10,000 samples of a 20-year plan with up to 8 options), no sample-month cap of its own.
 * Optimise: up to 40 planning periods (10 years quarterly) under {@link JOB_WORK_BUDGET}.
 */
export const API_JOB_LIMITS: PlanLimits = {
  maxPeriods: 40,
  maxOptions: API_PLAN_LIMITS.maxOptions,
  maxTimeLimitSeconds: API_PLAN_LIMITS.maxTimeLimitSeconds,
  maxSampleMonths: Number.POSITIVE_INFINITY,
  maxRiskWork: 24_000_000,
  riskWorkOptionFloor: API_PLAN_LIMITS.riskWorkOptionFloor,
};

/**
 * The solver budget of an optimise job: the request's {@link API_WORK_BUDGET} with room for the
 * larger models 40 periods make (≤ 2,350 columns, ≤ 1,410 integer variables for 24 options) and
 * ten times the branch-and-bound work. Counted, like the request's: no clock.
 */
export const JOB_WORK_BUDGET: WorkBudget = {
  ...API_WORK_BUDGET,
  maxIntegerVariables: 2_000,
  nodeWork: 1_000_000,
  maxNodesPerSolve: 5_000,
};

/** Where a valid request runs: in the request, or (too big for one, within a job's bounds) as a job. */
export type Placement = "request" | "job";

/** A hint added to refusals an API key or a session could run as a background job instead. */
const JOB_HINT = "; with an API key or signed in, a request up to the job limits runs as a background job (202)";

function guardError(path: string, message: string): ApiError {
  return new ApiError(400, "validation_failed", `The request is too large for one API call: ${path}: ${message}`, [
    { path, message },
  ]);
}

const monthsOf = (scenario: { horizonYears: number }): number => Math.round(scenario.horizonYears * 12);

/** Optimiser settings within {@link API_PLAN_LIMITS}, the API's time limit applied; 400 naming the field otherwise. */
export function guardOptimise(
  scenario: { horizonYears: number; options: unknown[] },
  settings: OptimiseSettingsInput | undefined,
  pathPrefix = "",
  limits: PlanLimits = API_PLAN_LIMITS,
): OptimiseSettings {
  const periodMonths = settings?.periodMonths ?? 12;
  const periods = Math.ceil(monthsOf(scenario) / periodMonths);
  if (periods > limits.maxPeriods)
    throw guardError(
      `${pathPrefix}optimise.periodMonths`,
      `expected at most ${limits.maxPeriods} planning periods per ${limits === API_PLAN_LIMITS ? "request" : "job"}, got ${periods} (${monthsOf(scenario)} months in periods of ${periodMonths}); use longer periods, or run it with npx planner optimise or in the web app${limits === API_PLAN_LIMITS && periods <= API_JOB_LIMITS.maxPeriods ? JOB_HINT : ""}`,
    );
  if (scenario.options.length > limits.maxOptions)
    throw guardError(
      `${pathPrefix}scenario.options`,
      `expected at most ${limits.maxOptions} options per optimise request, got ${scenario.options.length}`,
    );
  const timeLimit = settings?.timeLimitSeconds ?? limits.maxTimeLimitSeconds;
  if (timeLimit > limits.maxTimeLimitSeconds)
    throw guardError(
      `${pathPrefix}optimise.timeLimitSeconds`,
      `expected at most ${limits.maxTimeLimitSeconds} seconds per solve through the API, got ${timeLimit}`,
    );
  return { ...(settings ?? {}), timeLimitSeconds: timeLimit };
}

/** A risk request within {@link API_PLAN_LIMITS}; 400 naming the field otherwise. */
export function guardRisk(request: RiskRequestInput, limits: PlanLimits = API_PLAN_LIMITS): void {
  const months = monthsOf(request.scenario);
  const samples = request.risk?.samples ?? 1000;
  const asJob = limits === API_PLAN_LIMITS && riskWorkOf(request) <= API_JOB_LIMITS.maxRiskWork ? JOB_HINT : "";
  if (request.scenario.options.length > limits.maxOptions)
    throw guardError(
      "scenario.options",
      `expected at most ${limits.maxOptions} options per risk request, got ${request.scenario.options.length}`,
    );
  if (samples * months > limits.maxSampleMonths)
    throw guardError(
      "risk.samples",
      `expected at most ${Math.floor(limits.maxSampleMonths / months)} samples for a ${months}-month horizon (at most ${limits.maxSampleMonths.toLocaleString("en-US")} sample-months per request), got ${samples}${asJob}`,
    );
  const perSample = months * Math.max(request.scenario.options.length, limits.riskWorkOptionFloor);
  if (samples * perSample > limits.maxRiskWork)
    throw guardError(
      "risk.samples",
      `expected at most ${Math.floor(limits.maxRiskWork / perSample)} samples for a ${months}-month horizon with ${request.scenario.options.length} options (the work budget is ${limits.maxRiskWork.toLocaleString("en-US")} sample × month × option units per ${limits === API_PLAN_LIMITS ? "request" : "job"}, options counted at least ${limits.riskWorkOptionFloor}), got ${samples}${asJob}`,
    );
}

/**
 * Where an optimise request runs: in the request when within {@link API_PLAN_LIMITS}, as a job
 * when only a job's bounds admit it and the caller may start jobs; otherwise the request's own
 * 400 (naming the field, with the largest size that fits).
 */
export function placeOptimise(request: OptimiseRequestInput, mayStartJob: boolean): Placement {
  try {
    guardOptimise(request.scenario, request.optimise);
    return "request";
  } catch (error) {
    if (!mayStartJob) throw error;
    guardOptimise(request.scenario, request.optimise, "", API_JOB_LIMITS);
    return "job";
  }
}

/** Where a risk request runs; the same rule as {@link placeOptimise}. */
export function placeRisk(request: RiskRequestInput, mayStartJob: boolean): Placement {
  try {
    guardRisk(request);
    return "request";
  } catch (error) {
    if (!mayStartJob) throw error;
    guardRisk(request, API_JOB_LIMITS);
    return "job";
  }
}

/**
 * Where `POST /scenarios/{id}/plans` runs (ADR 029): a plan without `optimise`, or with one
 * within {@link API_PLAN_LIMITS}, in the request; an optimised plan beyond them but within
 * {@link API_JOB_LIMITS}, as a job (the caller is always signed in or holds a key there).
 */
export function placePlan(stored: unknown, optimiseOption: PlanOptimiseOption): Placement {
  if (optimiseOption === false) return "request";
  const scenario = stored as ScenarioInput;
  const given: OptimiseSettingsInput = optimiseOption === true ? {} : optimiseOption;
  try {
    guardOptimise(scenario, given);
    return "request";
  } catch {
    guardOptimise(scenario, given, "", API_JOB_LIMITS);
    return "job";
  }
}

/** Risk work units of a request (samples × months × max(options, floor)), ADR 018. */
export function riskWorkOf(request: RiskRequestInput): number {
  return (
    (request.risk?.samples ?? 1000) *
    monthsOf(request.scenario) *
    Math.max(request.scenario.options.length, API_PLAN_LIMITS.riskWorkOptionFloor)
  );
}
