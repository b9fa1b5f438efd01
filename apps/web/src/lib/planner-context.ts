/**
 * What the /plan layout shares with its pages: the lazily loaded engine, the computation of the
 * working plan (scenario, field errors, assumptions) and which steps have been submitted (their
 * "missing" errors are shown from then on).
 */
import { getContext, setContext } from "svelte";
import type { Engine } from "./engine-loader.ts";
import type { OrgQuote } from "@aifp/catalog";
import type { PlanComputation } from "./engine.ts";
import type { WizardStep } from "./fields.ts";
import type { ShortlistNotice } from "./shortlist.ts";

export interface PlannerContext {
  readonly engine: Engine | null;
  readonly computation: PlanComputation | null;
  readonly engineProblem: string | null;
  readonly submitted: Record<WizardStep, boolean>;
  /** The signed-in organisation's quotes the planner applies (empty when anonymous). */
  readonly orgQuotes: readonly OrgQuote[];
  /**
   * What the last change of model or speed dropped from the plan, and why (issue 18 item 7);
   * `trigger` says which field caused it, so the page shows it there. Null: nothing dropped.
   */
  readonly shortlistNotice: { trigger: "model" | "speed" | "load"; notice: ShortlistNotice } | null;
  /** Re-checks the chosen paths now (a pending check after typing runs at once): before Next. */
  settleChoices: () => void;
  /** Takes the nearest reachable speed offered by the notice, bringing back the hardware that reaches it. */
  // A property, not a method: pages pass it unbound as an event handler.
  useNearestSpeed: () => void;
}

const KEY = Symbol("planner");

/** Called once by the /plan layout. */
export function providePlanner(context: PlannerContext): void {
  setContext(KEY, context);
}

/** The planner context inside /plan pages. */
export function usePlanner(): PlannerContext {
  const context = getContext<PlannerContext | undefined>(KEY);
  if (!context) throw new Error("usePlanner() must be called inside the /plan layout");
  return context;
}

export const STEPS: readonly { step: WizardStep | "results"; title: string }[] = [
  { step: "workload", title: "Workload" },
  { step: "site", title: "Site and energy" },
  { step: "options", title: "Options" },
  { step: "finance", title: "Finance" },
  { step: "results", title: "Results" },
];

/** Which wizard step a field id belongs to (for errors shown on the right step). */
export function stepOfField(fieldId: string, fieldStep: WizardStep | undefined): WizardStep {
  if (fieldStep) return fieldStep;
  if (fieldId === "model") return "workload";
  if (fieldId === "region") return "site";
  return "options";
}
