/** What a plan says about itself, read with the planner's conventions: first month, serving stack, lease term, speed target, token lengths. */
import {
  leaseTermPrices,
  SERVING_STACK_NAMES,
  stackLicence,
  termOfCommitment,
  type LeaseCommitment,
  type LeaseTermPrice,
  type ServingStack,
} from "@aifp/catalog";
import { parseFieldValue } from "../fields.ts";
import { latencyPreset, useCasePreset } from "../presets.ts";
import type { PlanInput } from "../plan.ts";
import { book, fromFigure, type FieldDefault } from "./book.ts";

/** The first month after `today` as "YYYY-MM" (the browser's clock; the kernel never reads one). */
export function nextMonth(today: Date = new Date()): string {
  const index = today.getUTCFullYear() * 12 + today.getUTCMonth() + 1;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, "0")}`;
}

/** The plan's serving stack ("" = the default, open source). */
export function planServingStack(plan: PlanInput): ServingStack {
  return (plan.servingStack || "open-source") as ServingStack;
}

/** The plan's lease commitment ("" = the term matching the plan's length). */
export function planLeaseCommitment(plan: PlanInput): LeaseCommitment {
  return (plan.leaseCommitment || "match-horizon") as LeaseCommitment;
}

/** Plan length in years as typed, else the planner convention (5). */
function planHorizonYears(plan: PlanInput): number {
  const typed = parseFieldValue(plan.values.horizonYears, {});
  return typeof typed === "number" && typed > 0 ? typed : 5;
}

/** The commitment term the plan's leases are priced at, in years (null: each offer's own). */
export function planLeaseTermYears(plan: PlanInput): number | null {
  return termOfCommitment(planLeaseCommitment(plan), planHorizonYears(plan));
}

/** Serving stacks in words, for the wizard's choice. */
export function servingStackChoices(): { key: ServingStack; name: string; licence: FieldDefault | null }[] {
  return (["open-source", "nvidia-ai-enterprise", "amd-enterprise-ai", "none"] as const).map((key) => {
    const licence = stackLicence(book, key, key === "amd-enterprise-ai" ? "AMD" : "NVIDIA");
    return {
      key,
      name: SERVING_STACK_NAMES[key],
      licence:
        licence.kind === "figure" ? { value: licence.figure.value, provenance: fromFigure(licence.figure) } : null,
    };
  });
}

/** On-demand, 1-year and 3-year prices of a cloud offer (published or derived), for the wizard. */
export function offerTermPrices(offerId: string): Record<0 | 1 | 3, LeaseTermPrice | null> | null {
  const offer = book.cloudOffers.find((item) => item.id === offerId);
  return offer ? leaseTermPrices(book, offer) : null;
}

/** Latency target of a plan in output tokens/s per user; null for batch; the raw text when the custom entry is not a number. */
export function planInteractivity(plan: PlanInput): number | null | string {
  if (plan.latency === "custom") {
    const typed = parseFieldValue(plan.values["workload.interactivity"], {});
    return typed === undefined ? null : typed;
  }
  return latencyPreset(plan.latency)?.tokensPerSecondPerUser ?? null;
}

export function planTokens(plan: PlanInput): { input: number; output: number } {
  const preset = useCasePreset(plan.useCase);
  const input = parseFieldValue(plan.values["workload.inputTokensPerRequest"], {});
  const output = parseFieldValue(plan.values["workload.outputTokensPerRequest"], {});
  return {
    input: typeof input === "number" && input >= 1 ? Math.round(input) : preset.inputTokensPerRequest,
    output: typeof output === "number" && output >= 1 ? Math.round(output) : preset.outputTokensPerRequest,
  };
}

/** Tokens in and out of one request: typed, else the use case's preset. */
export function planTokensPerRequest(plan: PlanInput): { input: number; output: number } {
  const preset = useCasePreset(plan.useCase);
  const typed = (fieldId: string, fallback: number): number => {
    const value = parseFieldValue(plan.values[fieldId], {});
    return typeof value === "number" ? value : fallback;
  };
  return {
    input: typed("workload.inputTokensPerRequest", preset.inputTokensPerRequest),
    output: typed("workload.outputTokensPerRequest", preset.outputTokensPerRequest),
  };
}
