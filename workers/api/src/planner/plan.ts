import type { OptimiseSettingsInput, ScenarioInput } from "@aifp/contracts";
import {
  evaluateResolved,
  optimisePrepared,
  prepareOptimiseParsed,
  type EvaluationOutput,
  type OptimiseOutput,
  type PreparedOptimise,
} from "@aifp/contracts/pipeline";
import type { OrgQuote } from "@aifp/catalog";
import { API_WORK_BUDGET, type EvaluateResult, type MilpSolver } from "@aifp/kernel";
import type * as v from "valibot";
import type { PlanOptimiseOptionSchema } from "../schemas.ts";
import { type PlanInput, evaluateScenario, pipelineFor, planInputOf, toApiError } from "./evaluate.ts";
import { API_JOB_LIMITS, API_PLAN_LIMITS, JOB_WORK_BUDGET, guardOptimise } from "./limits.ts";

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
