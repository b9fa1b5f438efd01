import {
  OptimiseRequestSchema,
  RiskRequestSchema,
  ScenarioSchema,
  type EvaluationWire,
  type OptimisationWire,
  type OptimiseRequestInput,
  type OptimiseSettingsInput,
  type RiskAnalysisWire,
  type RiskRequestInput,
  type ScenarioInput,
} from "@aifp/contracts";
import {
  InputError,
  evaluateResolved,
  evaluationWire,
  optimisationWire,
  optimisePrepared,
  prepareOptimiseParsed,
  prepareRisk,
  resolveParsed,
  riskPrepared,
  riskPreparedAsync,
  riskWire,
  type EvaluationOutput,
  type OptimiseOutput,
  type PipelineOptions,
  type PreparedOptimise,
} from "@aifp/contracts/pipeline";
import { type OrgQuote, PRICE_BOOK_CONTENT_HASH, PRICE_BOOK_VERSION, ResolveError, priceBook } from "@aifp/catalog";
import {
  API_WORK_BUDGET,
  type EvaluateResult,
  KERNEL_VERSION,
  type MilpSolver,
  type MonteCarloControl,
  type OptimiseSettings,
  type WorkBudget,
  ScenarioError,
} from "@aifp/kernel";
import type * as v from "valibot";
import { ApiError } from "./errors.ts";
import { MAX_SCENARIO_JSON_BYTES, type PlanOptimiseOptionSchema } from "./schemas.ts";

/**
 * The API's one door to the planner: the shared pipeline of `@aifp/contracts/pipeline` (the
 * wire schema, catalog resolution through the price book, then the kernel's `evaluate`,
 * `optimise` or risk analysis) with its errors mapped to the envelope. The CLI calls the same
 * pipeline, so a scenario gives the same answer through the API, the CLI and the browser.
 */

/** The wire schema of a scenario (`@aifp/contracts`: strict objects, bounds, plain messages). */
export const ScenarioInputSchema = ScenarioSchema;
export type { ScenarioInput };

/**
 * How one call resolves: through the public price book every API answer uses, with the caller's
 * organisation quotes layered on it (none for anonymous callers and `?quotes=none`).
 */
function pipelineFor(quotes: readonly OrgQuote[]): PipelineOptions {
  return quotes.length > 0 ? { book: priceBook, quotes } : { book: priceBook };
}

/** What a plan pins: the input as given and as resolved, with every catalog figure used. */
export interface PlanInput {
  scenario: ScenarioInput;
  resolvedScenario: unknown;
  usedFigures: unknown[];
  notes: string[];
  priceBookContentHash: string;
  /** The optimiser settings of an optimised plan (`{}` for `optimise: true`); absent otherwise. */
  optimise?: OptimiseSettingsInput;
  /**
   * The organisation quotes the resolution applied (each named by a `quote:<id>` used figure),
   * as they were then, so the plan regenerates to the same figures after a quote changes or is
   * deleted. Absent when none applied (plans without quotes hash as before quotes existed).
   */
  quotes?: OrgQuote[];
  /**
   * Quotes the resolution did not apply because they expired before the plan starts, but
   * mentioned in `notes`: pinned too, so regeneration writes the same notes. Absent when none.
   */
  expiredQuotes?: OrgQuote[];
}

/**
 * The quotes of a stored plan's input to resolve it again with: the applied and the noted
 * expired ones, as pinned (none for plans made before quotes, or without any).
 */
export function pinnedQuotesOf(input: PlanInput): OrgQuote[] {
  return [...(input.quotes ?? []), ...(input.expiredQuotes ?? [])];
}

/**
 * The quotes an answer depends on: those a used figure names (`ref: "quote:<id>"`), and those
 * the resolver's notes mention as expired before the plan starts (`expiredQuoteIds`).
 * Kept in the order given.
 */
function quotesUsedBy(
  resolution: { usedFigures: readonly { origin: string; ref: string }[]; expiredQuoteIds: readonly string[] },
  quotes: readonly OrgQuote[],
): { applied: OrgQuote[]; expired: OrgQuote[] } {
  const appliedIds = new Set(
    resolution.usedFigures.filter((figure) => figure.origin === "quote").map((figure) => figure.ref.slice(6)),
  );
  const expiredIds = new Set(resolution.expiredQuoteIds);
  const applied = quotes.filter((quote) => appliedIds.has(quote.id));
  const expired = quotes.filter((quote) => !appliedIds.has(quote.id) && expiredIds.has(quote.id));
  return { applied, expired };
}

export interface Evaluation {
  input: PlanInput;
  result: EvaluateResult;
  /** What `POST /evaluate` returns: the result plus the provenance fields. */
  wire: EvaluationWire;
  priceBookVersion: string;
  kernelVersion: string;
}

/** Serialise a validated scenario for storage, or 413 past the 512 KB cap (docs/reliability.md S9). */
export function scenarioJsonOrThrow(scenario: ScenarioInput): string {
  const json = JSON.stringify(scenario);
  if (new TextEncoder().encode(json).byteLength > MAX_SCENARIO_JSON_BYTES) {
    throw new ApiError(
      413,
      "payload_too_large",
      `The scenario is larger than ${MAX_SCENARIO_JSON_BYTES} bytes as JSON.`,
    );
  }
  return json;
}

function planInputOf(output: EvaluationOutput, scenario: ScenarioInput, quotes: readonly OrgQuote[]): PlanInput {
  const used = quotesUsedBy(output, quotes);
  return {
    scenario,
    resolvedScenario: output.resolvedScenario,
    usedFigures: output.usedFigures,
    notes: output.notes,
    priceBookContentHash: output.priceBookContentHash,
    ...(used.applied.length > 0 ? { quotes: used.applied } : {}),
    ...(used.expired.length > 0 ? { expiredQuotes: used.expired } : {}),
  };
}

/**
 * Resolve catalog references through the built price book, then evaluate. Invalid input
 * (an unknown reference, a missing required number) is 400 naming each field; a valid scenario
 * that cannot be served is 422 `infeasible_scenario`.
 *
 * @param scenario A scenario that passed {@link ScenarioInputSchema}.
 * @param quotes The caller's organisation quotes (they replace public prices while valid on the
 *   first day of the scenario's `startMonth`); none for public figures only.
 */
export function evaluateScenario(scenario: ScenarioInput, quotes: readonly OrgQuote[] = []): Evaluation {
  try {
    const output = evaluateResolved(resolveParsed(scenario, pipelineFor(quotes)));
    return {
      input: planInputOf(output, scenario, quotes),
      result: output.result,
      wire: evaluationWire(output),
      priceBookVersion: output.priceBookVersion,
      kernelVersion: output.kernelVersion,
    };
  } catch (error) {
    throw toApiError(error);
  }
}

// --- CPU guard ------------------------------------------------------------------------------

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

// --- plans ----------------------------------------------------------------------------------

export type PlanOptimiseOption = v.InferOutput<typeof PlanOptimiseOptionSchema>;

/** What a plan stores: the evaluation, and with `optimise`, the optimised plan beside it. */
export interface PlanContent {
  input: PlanInput;
  /** The kernel's `EvaluateResult`; an optimised plan adds `optimisation` (the optimiser's answer). */
  result: EvaluateResult | (EvaluateResult & { optimisation: OptimisedPart });
  priceBookVersion: string;
  kernelVersion: string;
}

/** The optimiser's answer as a plan stores it (its provenance is the plan's input). */
export type OptimisedPart = OptimiseOutput["result"] & { availableFrom: Record<string, string> };

/**
 * Evaluate a stored scenario (already validated when it was saved) for a plan; with `optimise`,
 * also run the optimiser on it (`solver` then required) and pin its settings in the input;
 * `asJob` holds it to a background job's bounds instead of one request's.
 * The organisation's `quotes` replace public prices while valid; the ones the answer depends on
 * are pinned in `input.quotes` (and `input.expiredQuotes`), see {@link PlanInput}.
 */
export async function evaluateForPlan(
  stored: unknown,
  optimiseOption: PlanOptimiseOption = false,
  solver?: () => Promise<MilpSolver>,
  quotes: readonly OrgQuote[] = [],
  asJob = false,
): Promise<PlanContent> {
  const scenario = stored as ScenarioInput;
  if (optimiseOption === false) {
    const evaluation = evaluateScenario(scenario, quotes);
    return {
      input: evaluation.input,
      result: evaluation.result,
      priceBookVersion: evaluation.priceBookVersion,
      kernelVersion: evaluation.kernelVersion,
    };
  }
  if (!solver) throw new Error("evaluateForPlan: an optimised plan needs the solver");
  const given: OptimiseSettingsInput = optimiseOption === true ? {} : optimiseOption;
  // A plan job (ADR 029) is held to a job's limits and work budget, a request to one request's.
  const settings = guardOptimise(scenario, given, "", asJob ? API_JOB_LIMITS : API_PLAN_LIMITS);
  let prepared: PreparedOptimise;
  let evaluation: EvaluationOutput;
  try {
    prepared = prepareOptimiseParsed(scenario, settings, pipelineFor(quotes));
    evaluation = evaluateResolved(prepared.resolution);
  } catch (error) {
    throw toApiError(error);
  }
  const highs = await solver();
  let optimised: OptimiseOutput;
  try {
    optimised = optimisePrepared(prepared, highs, asJob ? JOB_WORK_BUDGET : API_WORK_BUDGET);
  } catch (error) {
    throw toApiError(error);
  }
  return {
    input: { ...planInputOf(evaluation, scenario, quotes), optimise: given },
    result: { ...evaluation.result, optimisation: { ...optimised.result, availableFrom: optimised.availableFrom } },
    priceBookVersion: evaluation.priceBookVersion,
    kernelVersion: evaluation.kernelVersion,
  };
}

/** The pipeline's errors as the envelope: 400 naming each field, 422 for an infeasible scenario. */
function toApiError(error: unknown): unknown {
  if (error instanceof InputError || error instanceof ResolveError) {
    return new ApiError(
      400,
      "validation_failed",
      error.message,
      error.issues.map((issue) => ({ path: issue.path, message: issue.message })),
    );
  }
  if (error instanceof ScenarioError) {
    const issues = error.issues.map((issue) => ({ path: issue.path, message: issue.message }));
    return error.kind === "infeasible"
      ? new ApiError(422, "infeasible_scenario", error.message, issues)
      : new ApiError(400, "validation_failed", error.message, issues);
  }
  return error;
}

/** Versions every evaluation is pinned to (also on /health). */
export const PINNED_VERSIONS = {
  priceBookVersion: PRICE_BOOK_VERSION,
  priceBookContentHash: PRICE_BOOK_CONTENT_HASH,
  kernelVersion: KERNEL_VERSION,
};
