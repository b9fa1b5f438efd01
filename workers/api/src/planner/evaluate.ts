import { ScenarioSchema, type EvaluationWire, type OptimiseSettingsInput, type ScenarioInput } from "@aifp/contracts";
import {
  InputError,
  evaluateResolved,
  evaluationWire,
  resolveParsed,
  type EvaluationOutput,
  type PipelineOptions,
} from "@aifp/contracts/pipeline";
import { type OrgQuote, PRICE_BOOK_CONTENT_HASH, PRICE_BOOK_VERSION, ResolveError, priceBook } from "@aifp/catalog";
import { type EvaluateResult, KERNEL_VERSION, ScenarioError } from "@aifp/kernel";
import { ApiError } from "../errors.ts";
import { MAX_SCENARIO_JSON_BYTES } from "../schemas.ts";

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
export function pipelineFor(quotes: readonly OrgQuote[]): PipelineOptions {
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

export function planInputOf(output: EvaluationOutput, scenario: ScenarioInput, quotes: readonly OrgQuote[]): PlanInput {
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

/** The pipeline's errors as the envelope: 400 naming each field, 422 for an infeasible scenario. */
export function toApiError(error: unknown): unknown {
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
