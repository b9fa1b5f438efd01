import { ScenarioSchema, type ScenarioInput } from "@aifp/contracts";
import { PRICE_BOOK_CONTENT_HASH, PRICE_BOOK_VERSION, ResolveError, priceBook, resolveScenario } from "@aifp/catalog";
import { type EvaluateResult, KERNEL_VERSION, ScenarioError, evaluate } from "@aifp/kernel";
import { ApiError } from "./errors.ts";
import { MAX_SCENARIO_JSON_BYTES } from "./schemas.ts";

/**
 * The API's one door to the planner: catalog resolution (`@aifp/catalog`) then the kernel's
 * `evaluate` (`@aifp/kernel`), with their errors mapped to the envelope. The same two calls the
 * CLI makes, so a scenario gives the same result through the API, the CLI and the browser.
 */

/** The wire schema of a scenario (`@aifp/contracts`: strict objects, bounds, plain messages). */
export const ScenarioInputSchema = ScenarioSchema;
export type { ScenarioInput };

/** What a plan pins: the input as given and as resolved, with every catalog figure used. */
export interface PlanInput {
  scenario: ScenarioInput;
  resolvedScenario: unknown;
  usedFigures: unknown[];
  notes: string[];
  priceBookContentHash: string;
}

export interface Evaluation {
  input: PlanInput;
  result: EvaluateResult;
  priceBookVersion: string;
  kernelVersion: string;
}

/** Serialise a validated scenario for storage, or 413 past the 512 KB cap (reliability.md S9). */
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

/**
 * Resolve catalog references through the built price book, then evaluate. Invalid input
 * (an unknown reference, a missing required number) is 400 naming each field; a valid scenario
 * that cannot be served is 422 `infeasible_scenario`.
 *
 * @param scenario A scenario that passed {@link ScenarioInputSchema}.
 */
export function evaluateScenario(scenario: ScenarioInput): Evaluation {
  try {
    const resolved = resolveScenario(scenario, priceBook);
    const result = evaluate(resolved.scenario);
    return {
      input: {
        scenario,
        resolvedScenario: resolved.scenario,
        usedFigures: resolved.usedFigures,
        notes: resolved.notes,
        priceBookContentHash: resolved.priceBookContentHash,
      },
      result,
      priceBookVersion: resolved.priceBookVersion,
      kernelVersion: KERNEL_VERSION,
    };
  } catch (error) {
    throw toApiError(error);
  }
}

/** Evaluate a stored scenario (already validated when it was saved) for a plan. */
export function evaluateForPlan(stored: unknown): Evaluation {
  return evaluateScenario(stored as ScenarioInput);
}

function toApiError(error: unknown): unknown {
  if (error instanceof ResolveError) {
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
