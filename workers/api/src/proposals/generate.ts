/**
 * From a stored plan and the sales engineer's fields to a proposal version's stored content:
 * inputs, outputs (`content.ts`), the canonical JSON of both and the content hash. Also the
 * regeneration check of an issued version (docs/reliability.md §2.9, S6): evaluate the plan's pinned
 * scenario again with the pinned price book and kernel, rebuild the content, compare hashes.
 */
import { PRICE_BOOK_VERSION, priceBook } from "@aifp/catalog";
import { KERNEL_VERSION, type MonteCarloResult } from "@aifp/kernel";
import { canonicalJson } from "../canonical-json.ts";
import { type PlanContent, type PlanInput, type PlanOptimiseOption, pinnedQuotesOf, riskRequest } from "../planner.ts";
import type { OrgQuote } from "@aifp/catalog";
import type { RiskRequestInput } from "@aifp/contracts";
import { sha256Hex } from "../services/secrets.ts";
import {
  type PlanForProposal,
  type ProposalContent,
  type ProposalFields,
  type ProposalInputs,
  buildProposalContent,
} from "./content.ts";
import { proposalContentHash } from "./hash.ts";

/** What a version row stores. */
export interface GeneratedVersion {
  inputs: ProposalInputs;
  content: ProposalContent;
  inputsJson: string;
  outputsJson: string;
  contentHash: string;
  priceBookVersion: string;
  engineVersion: string;
}

/**
 * The Monte Carlo of a plan's scenario with the proposal's samples and seed (seeded: reproducible),
 * resolved with the quotes the plan pinned, so it prices what the plan priced.
 */
function monteCarloOf(plan: PlanForProposal, risk: ProposalInputs["risk"]): MonteCarloResult | null {
  if (risk === null) return null;
  const input = plan.input as PlanInput;
  const request = { scenario: input.scenario, risk: { samples: risk.samples, seed: risk.seed } } as RiskRequestInput;
  // Same JSON round trip as stored outputs, so a fresh and a regenerated run hash alike.
  return JSON.parse(JSON.stringify(riskRequest(request, pinnedQuotesOf(input)).monteCarlo)) as MonteCarloResult;
}

/**
 * Generate a version's content.
 * @param plan the stored plan (input and result as parsed from D1)
 * @param fields what the sales engineer entered (logo already checked)
 */
export async function generateVersion(args: {
  plan: PlanForProposal;
  fields: ProposalFields;
  proposalId: string;
  version: number;
  risk: ProposalInputs["risk"];
  issuedAt: string | null;
}): Promise<GeneratedVersion> {
  const { plan } = args;
  const inputs: ProposalInputs = {
    ...args.fields,
    proposalId: args.proposalId,
    version: args.version,
    plan: {
      id: plan.id,
      name: plan.name,
      scenarioId: plan.scenarioId,
      scenarioVersion: plan.scenarioVersion,
      inputHash: plan.inputHash,
      createdAt: plan.createdAt,
    },
    risk: args.risk,
    issuedAt: args.issuedAt,
  };
  const book = priceBook.version === plan.priceBookVersion ? priceBook : null;
  const content = buildProposalContent({ plan, inputs, book, monteCarlo: monteCarloOf(plan, args.risk) });
  // Stored as canonical JSON and read back through JSON.parse: the hash is over what is stored.
  const inputsJson = canonicalJson(inputs);
  const outputsJson = canonicalJson(content);
  const stored = {
    inputs: JSON.parse(inputsJson) as ProposalInputs,
    content: JSON.parse(outputsJson) as ProposalContent,
  };
  return {
    ...stored,
    inputsJson,
    outputsJson,
    contentHash: await proposalContentHash(stored.inputs, plan.priceBookVersion, plan.kernelVersion, stored.content),
    priceBookVersion: plan.priceBookVersion,
    engineVersion: plan.kernelVersion,
  };
}

/** Outcome of regenerating an issued version. */
export interface Verification {
  proposalId: string;
  version: number;
  storedHash: string;
  /** Null when regeneration was not possible (see `reason`). */
  regeneratedHash: string | null;
  matches: boolean;
  /** Whether re-resolving the plan's scenario gave the plan's pinned input again. */
  planInputHashMatches: boolean | null;
  reason: string | null;
}

/**
 * Regenerate a version from its pinned versions: evaluate the plan's scenario again (through
 * the price book and kernel this Worker carries, which must be the pinned ones, and the
 * organisation quotes the plan pinned, never the organisation's current ones), rebuild the
 * content from the stored inputs and compare the content hash with the stored one.
 * @param evaluatePlan evaluates (and with `optimise`, optimises) a scenario as a plan does; the
 *   route passes the compute Worker (ADR 029), so an optimised plan's solve never runs in the API
 *   isolate
 */
export async function verifyVersion(args: {
  plan: PlanForProposal;
  stored: {
    proposalId: string;
    version: number;
    contentHash: string;
    priceBookVersion: string;
    engineVersion: string;
    inputs: unknown;
  };
  evaluatePlan: (scenario: unknown, optimise: PlanOptimiseOption, quotes: OrgQuote[]) => Promise<PlanContent>;
}): Promise<Verification> {
  const { plan, stored } = args;
  const base = { proposalId: stored.proposalId, version: stored.version, storedHash: stored.contentHash };
  if (stored.engineVersion !== KERNEL_VERSION || stored.priceBookVersion !== PRICE_BOOK_VERSION) {
    return {
      ...base,
      regeneratedHash: null,
      matches: false,
      planInputHashMatches: null,
      reason: `This Worker carries price book ${PRICE_BOOK_VERSION} and kernel ${KERNEL_VERSION}; the version pins price book ${stored.priceBookVersion} and kernel ${stored.engineVersion}. Regenerate it with the pinned release (money then agrees within 1e-9 relative).`,
    };
  }
  const input = plan.input as PlanInput;
  const fresh: PlanContent = await args.evaluatePlan(input.scenario, input.optimise ?? false, pinnedQuotesOf(input));
  const freshInputJson = canonicalJson(fresh.input);
  const freshPlan: PlanForProposal = {
    ...plan,
    input: JSON.parse(freshInputJson) as unknown,
    result: JSON.parse(JSON.stringify(fresh.result)) as unknown,
  };
  const inputs = stored.inputs as ProposalInputs;
  const { proposalId, version, risk, issuedAt, plan: _planRef, ...fields } = inputs;
  void _planRef;
  const regenerated = await generateVersion({
    plan: freshPlan,
    fields: fields,
    proposalId,
    version,
    risk,
    issuedAt,
  });
  return {
    ...base,
    regeneratedHash: regenerated.contentHash,
    matches: regenerated.contentHash === stored.contentHash,
    planInputHashMatches: (await sha256Hex(freshInputJson)) === plan.inputHash,
    reason: null,
  };
}
