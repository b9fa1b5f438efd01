/**
 * Everything the wizard and the results page need from a plan: the scenario, field errors mapped
 * onto the fields, the resolved scenario with provenance, and the assumptions table.
 */
import {
  modelName as catalogModelName,
  resolveScenario,
  ResolveError,
  type ApiOfferUse,
  type OrgQuote,
  type UsedFigure,
} from "@aifp/catalog";
import { parseScenario, type FieldIssue } from "@aifp/contracts";
import type { Scenario } from "@aifp/kernel";
import { fieldDef, messageInFieldUnits, parseFieldValue } from "../fields.ts";
import type { PlanInput } from "../plan.ts";
import type { OptionLabel } from "../results.ts";
import { implausibleVolume } from "../volume.ts";
import { assumptionsOf, type Assumption } from "./assumptions.ts";
import { book } from "./book.ts";
import { draftScenario, fieldForPath, optionIndexOf, withoutUndefined } from "./draft.ts";
import { planTokensPerRequest } from "./plan-settings.ts";
import { plainQuoteNote } from "./quotes.ts";

export interface PlanComputation {
  /** The scenario as sent to the schema (may hold raw text where a typed value is not a number). */
  input: Record<string, unknown>;
  /** Field errors by field id, in plain words, from the shared schema, the resolver and the kernel. */
  fieldErrors: Record<string, string[]>;
  /** Problems that belong to no single field. */
  generalErrors: string[];
  /** Option names by option id. */
  labels: Record<string, OptionLabel>;
  /** The resolved scenario (all numbers inline) when the plan is complete and valid. */
  scenario: Scenario | null;
  usedFigures: UsedFigure[];
  notes: string[];
  assumptions: Assumption[];
  /** What each catalog-priced token path buys, in plain words for the results (empty until resolved). */
  apiOffers: ApiOfferSummary[];
}

/** One token path's offer as the results show it: who sells which model, at what price, from when and where. */
export interface ApiOfferSummary {
  optionId: string;
  provider: string;
  servesModelName: string;
  /** The workload's model (what the owned and leased paths run), when the plan names one. */
  workloadModelName: string | null;
  /** The API sells another model than the one the other paths run: not a like-for-like comparison. */
  differentModel: boolean;
  /** Effective prices after the plan's cached-input and batch shares, USD per million tokens. */
  usdPerMillionInputTokens: number;
  usdPerMillionOutputTokens: number;
  asOf: string;
  source: string;
}

function apiOfferSummary(use: ApiOfferUse): ApiOfferSummary {
  return {
    optionId: use.optionId,
    provider: use.provider,
    servesModelName: catalogModelName(book, use.servesModel),
    workloadModelName: use.workloadModel === null ? null : catalogModelName(book, use.workloadModel),
    differentModel: use.differentModel,
    usdPerMillionInputTokens: use.effectiveUsdPerMillionInputTokens,
    usdPerMillionOutputTokens: use.effectiveUsdPerMillionOutputTokens,
    asOf: use.asOf,
    source: use.source,
  };
}

/**
 * Checks the schema cannot make (issue 18 item 5), each on the field that can fix it: a request
 * needs at least one token in and out (the speed tables start there; without this the failure
 * surfaced as one line per server), and a volume beyond the largest published deployment asks
 * "did you mean…?". False when a message was added.
 */
function plausibleVolume(
  plan: PlanInput,
  input: Record<string, unknown>,
  fieldOfPath: Map<string, string>,
  fieldErrors: Record<string, string[]>,
): boolean {
  const { input: inputTokensPerRequest, output: outputTokensPerRequest } = planTokensPerRequest(plan);
  const requestsPerDay = (input.workload as { requestsPerDay?: unknown } | undefined)?.requestsPerDay;
  let ok = true;
  for (const [fieldId, tokens] of [
    ["workload.inputTokensPerRequest", inputTokensPerRequest],
    ["workload.outputTokensPerRequest", outputTokensPerRequest],
  ] as const) {
    // Negative or fractional counts are the schema's to report; 0 parses but cannot be served.
    if (tokens >= 0 && tokens < 1) {
      (fieldErrors[fieldId] ??= []).push(
        messageInFieldUnits(`expected a whole number of tokens >= 1, got ${tokens}`, {}),
      );
      ok = false;
    }
  }
  if (!ok || typeof requestsPerDay !== "number") return ok;
  const fieldId = fieldOfPath.get("workload.requestsPerDay") ?? "workload.requestsPerDay";
  const typed = parseFieldValue(plan.values[fieldId], {});
  const message = implausibleVolume(
    requestsPerDay,
    inputTokensPerRequest,
    outputTokensPerRequest,
    typeof typed === "number" ? typed : requestsPerDay,
    fieldDef(fieldId)?.unit ?? "requests per day",
  );
  if (!message) return true;
  (fieldErrors[fieldId] ??= []).push(message);
  return false;
}

/**
 * Everything the wizard and the results page need from a plan: the scenario, field errors from
 * the shared schema / resolver / kernel mapped onto the fields, the resolved scenario with the
 * provenance of every figure, and the assumptions table.
 *
 * `orgQuotes`: the signed-in organisation's quotes (none for anonymous use). They replace public
 * server / instance prices while valid on the plan's first day; a price typed into the planner
 * for the same server or offer still wins.
 */
export function computePlan(plan: PlanInput, orgQuotes: readonly OrgQuote[] = []): PlanComputation {
  const draft = draftScenario(plan, orgQuotes);
  const typedTargets = new Set(draft.quotes.map((quote) => `${quote.target.kind}:${quote.target.id}`));
  const appliedOrgQuotes = orgQuotes.filter((quote) => !typedTargets.has(`${quote.target.kind}:${quote.target.id}`));
  const input = withoutUndefined(draft.input) as Record<string, unknown>;
  const fieldErrors: Record<string, string[]> = {};
  const generalErrors: string[] = [];
  const options = (input.options as { id: string }[]) ?? [];
  const report = (issues: readonly FieldIssue[]): void => {
    for (const issue of issues) {
      const fieldId = fieldForPath(issue.path, draft.fieldOfPath);
      const index = optionIndexOf(issue.path);
      const optionName = index !== null ? draft.labels[options[index]?.id ?? ""]?.name : undefined;
      const def = fieldId ? fieldDef(fieldId) : null;
      if (fieldId && def) {
        const prefix =
          optionName && !fieldId.startsWith("quote.") && !fieldId.startsWith("api.") ? `${optionName}: ` : "";
        (fieldErrors[fieldId] ??= []).push(prefix + messageInFieldUnits(issue.message, def));
      } else if (fieldId === "options") {
        generalErrors.push("Choose at least one path to compare: a server, a cloud offer or a token API.");
      } else {
        generalErrors.push(
          `${optionName ? `${optionName}: ` : ""}${issue.message}${fieldId && !def ? "" : ` (${issue.path})`}`,
        );
        if (fieldId) (fieldErrors[fieldId] ??= []).push(issue.message);
      }
    }
  };
  const result: PlanComputation = {
    input,
    fieldErrors,
    generalErrors,
    labels: draft.labels,
    scenario: null,
    usedFigures: [],
    notes: [],
    assumptions: [],
    apiOffers: [],
  };
  if (typeof draft.interactivity === "string") {
    (fieldErrors["workload.interactivity"] ??= []).push(`expected a number > 0, got "${draft.interactivity}"`);
    return result;
  }
  // Checked before the schema so a slip shows even while other fields are still empty.
  const volumeOk = plausibleVolume(plan, input, draft.fieldOfPath, fieldErrors);
  const parsed = parseScenario(input);
  if (!parsed.ok) {
    report(parsed.issues);
    return result;
  }
  if (!volumeOk) return result;
  let resolved;
  try {
    resolved = resolveScenario(parsed.scenario, book, {
      quotes: [...draft.quotes, ...appliedOrgQuotes],
      interactivityTokensPerSecondPerUser: draft.interactivity,
      ...(plan.customerClass ? { customerClass: plan.customerClass } : {}),
    });
  } catch (error) {
    if (error instanceof ResolveError) {
      report(error.issues);
      return result;
    }
    throw error;
  }
  result.scenario = resolved.scenario;
  result.usedFigures = resolved.usedFigures;
  result.notes = resolved.notes.map((note) => plainQuoteNote(note, appliedOrgQuotes));
  result.assumptions = assumptionsOf(plan, resolved.scenario, resolved.usedFigures, draft, appliedOrgQuotes);
  result.apiOffers = resolved.apiOffers.map(apiOfferSummary);
  // An API selling another model than the plan's says so wherever it is named (issue 18 item 1).
  for (const offer of result.apiOffers) {
    const label = result.labels[offer.optionId];
    if (offer.differentModel && label && offer.workloadModelName !== null)
      result.labels = {
        ...result.labels,
        [offer.optionId]: { ...label, otherModel: { serves: offer.servesModelName, plan: offer.workloadModelName } },
      };
  }
  return result;
}
