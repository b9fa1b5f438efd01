/** Reading a stored plan's pinned input and result, checked for the shape a proposal needs. */
import type { EvaluateResult, OptimiseResult, Scenario } from "@aifp/kernel";
import type { AssumptionRow, PlanForProposal } from "./content-types.ts";

/** The plan's stored input (what `planner.ts` pins). */
export interface PlanInputShape {
  scenario: Scenario;
  resolvedScenario: Scenario;
  usedFigures: {
    path: string;
    value: number;
    unit: string;
    source: string;
    asOf: string;
    confidence: string;
    derived: boolean;
    method: string | null;
    origin: AssumptionRow["origin"];
    ref: string;
  }[];
  notes: string[];
  priceBookContentHash: string;
}

/** Thrown when a stored plan does not have the shape a proposal needs. */
export class ProposalContentError extends Error {}

export function planInputOf(plan: PlanForProposal): PlanInputShape {
  const input = plan.input as Partial<PlanInputShape> | null;
  if (!input || typeof input !== "object" || !input.resolvedScenario || !Array.isArray(input.usedFigures)) {
    throw new ProposalContentError(`plan ${plan.id} has no resolved scenario to build a proposal from`);
  }
  return input as PlanInputShape;
}

export function resultOf(plan: PlanForProposal): EvaluateResult & { optimisation?: OptimiseResult } {
  const result = plan.result as (EvaluateResult & { optimisation?: OptimiseResult }) | null;
  if (!result || !Array.isArray(result.options) || result.options.length === 0) {
    throw new ProposalContentError(`plan ${plan.id} has no evaluated options`);
  }
  return result;
}
