/** The assumptions table: every figure a plan's result rests on, with its source and the field to change it. */
import { SERVING_STACK_NAMES, type OrgQuote, type UsedFigure } from "@aifp/catalog";
import type { Scenario } from "@aifp/kernel";
import { fieldDef, parseFieldValue } from "../fields.ts";
import { latencyPreset, useCasePreset } from "../presets.ts";
import type { PlanInput } from "../plan.ts";
import { fromFigure, PLANNER_CONVENTION, type Provenance } from "./book.ts";
import { fieldForPath, optionIndexOf, type Draft } from "./draft.ts";
import { planLeaseTermYears, planServingStack, servingStackChoices } from "./plan-settings.ts";
import { orgQuoteSource } from "./quotes.ts";

/** One entry of the assumptions table. */
export interface Assumption {
  /** What the figure is, in words, with the path it belongs to. */
  label: string;
  /** The value in the field's units (percent fields in %), or the scenario's units when no field. */
  value: number;
  unit: string;
  provenance: Provenance;
  /** Where the number came from. */
  origin: "typed" | "catalog" | "default" | "quote" | "throughput" | "preset" | "convention";
  /** Field id to edit it in place; null when it is not editable from the table. */
  fieldId: string | null;
  /** The option it belongs to, or null for the whole scenario. */
  optionId: string | null;
}

export function assumptionsOf(
  plan: PlanInput,
  scenario: Scenario,
  usedFigures: UsedFigure[],
  draft: Draft,
  orgQuotes: readonly OrgQuote[] = [],
): Assumption[] {
  const list: Assumption[] = [];
  const typedProvenance: Provenance = { source: "Typed into the planner", asOf: null, confidence: null, method: null };
  const seenFields = new Set<string>();
  const nameOf = (path: string): { optionId: string | null; prefix: string } => {
    const index = optionIndexOf(path);
    if (index === null) return { optionId: null, prefix: "" };
    const option = scenario.options[index];
    return { optionId: option?.id ?? null, prefix: option ? `${draft.labels[option.id]?.name ?? option.id}: ` : "" };
  };
  for (const figure of usedFigures) {
    const fieldId = fieldForPath(figure.path, draft.fieldOfPath);
    const def = fieldId ? fieldDef(fieldId) : null;
    const { optionId, prefix } = nameOf(figure.path);
    const key = figure.path.split(".").at(-1) ?? figure.path;
    const usePercent = def?.percent === true && key !== "otherUsdPerServerYear";
    list.push({
      label: `${prefix}${def && isPlainField(fieldId) && key !== "otherUsdPerServerYear" ? def.label : humanKey(key)}`,
      value: usePercent ? figure.value * 100 : figure.value,
      unit: usePercent && def ? def.unit : figure.unit,
      provenance: orgQuoteSource(figure, orgQuotes) ?? fromFigure(figure),
      origin: figure.origin,
      fieldId:
        def &&
        key !== "otherUsdPerServerYear" &&
        !(fieldId ?? "").startsWith("server:") &&
        fieldId !== "workload.interactivity"
          ? fieldId
          : null,
      optionId,
    });
  }
  // Typed values and preset values the resolver did not fill.
  const preset = useCasePreset(plan.useCase);
  for (const [path, fieldId] of draft.fieldOfPath) {
    const def = fieldDef(fieldId);
    if (!def || seenFields.has(`${fieldId}|${nameOf(path).optionId}`)) continue;
    const typed = parseFieldValue(plan.values[fieldId], def);
    const isTokens = fieldId === "workload.inputTokensPerRequest" || fieldId === "workload.outputTokensPerRequest";
    if (typeof typed !== "number" && !isTokens && fieldId !== "horizonYears") continue;
    if (optionIndexOf(path) !== null && fieldId.startsWith("quote.")) continue; // quotes appear through usedFigures
    seenFields.add(`${fieldId}|${nameOf(path).optionId}`);
    const { optionId, prefix } = nameOf(path);
    let value: number;
    let provenance: Provenance = typedProvenance;
    let origin: Assumption["origin"] = "typed";
    if (typeof typed === "number") value = def.percent ? typed * 100 : typed;
    else if (fieldId === "horizonYears") {
      value = scenario.horizonYears;
      provenance = PLANNER_CONVENTION;
      origin = "convention";
    } else {
      value =
        fieldId === "workload.inputTokensPerRequest" ? preset.inputTokensPerRequest : preset.outputTokensPerRequest;
      provenance = { ...preset.provenance };
      origin = "preset";
    }
    list.push({ label: `${prefix}${def.label}`, value, unit: def.unit, provenance, origin, fieldId, optionId });
  }
  // ADR 017: the serving stack and the lease term, as chosen or defaulted.
  const stack = planServingStack(plan);
  const stackChoice = servingStackChoices().find((item) => item.key === stack);
  list.push({
    label: `Serving software on owned and leased GPUs: ${SERVING_STACK_NAMES[stack]}`,
    value: stackChoice?.licence?.value ?? 0,
    unit: "USD per GPU per year",
    provenance: plan.servingStack
      ? {
          ...(stackChoice?.licence?.provenance ?? typedProvenance),
          source: `Chosen in the planner; licence: ${stackChoice?.licence?.provenance.source ?? "typed per GPU-year"}`,
        }
      : (stackChoice?.licence?.provenance ?? PLANNER_CONVENTION),
    origin: plan.servingStack ? "typed" : "default",
    fieldId: null,
    optionId: null,
  });
  if (scenario.options.some((option) => option.kind === "lease")) {
    const term = planLeaseTermYears(plan);
    list.push({
      label: `Lease commitment: ${term === null ? "as each offer is listed" : term === 0 ? "on demand" : `${term}-year terms`}`,
      value: term ?? 0,
      unit: "years",
      provenance: plan.leaseCommitment
        ? typedProvenance
        : {
            source:
              "Planner default: the longest commitment (3 years, 1 year, on demand) that does not outlast the plan; prices published by the provider, else on demand × the cited commitment discount",
            asOf: null,
            confidence: null,
            method: null,
          },
      origin: plan.leaseCommitment ? "typed" : "convention",
      fieldId: null,
      optionId: null,
    });
  }
  if (plan.latency !== "custom") {
    const latency = latencyPreset(plan.latency);
    if (latency && latency.tokensPerSecondPerUser !== null) {
      list.push({
        label: `Speed each user sees (${latency.label.toLowerCase()})`,
        value: latency.tokensPerSecondPerUser,
        unit: "output tokens per second per user",
        provenance: { ...latency.provenance },
        origin: "preset",
        fieldId: "workload.interactivity",
        optionId: null,
      });
    }
  }
  return list;
}

/** Fields whose label names the figure itself (quotes and the speed target label the option instead). */
function isPlainField(fieldId: string | null): boolean {
  return (
    fieldId !== null &&
    !fieldId.startsWith("quote.") &&
    fieldId !== "workload.interactivity" &&
    !fieldId.startsWith("api.")
  );
}

function humanKey(key: string): string {
  const words: Record<string, string> = {
    priceUsd: "Server price",
    gpusPerServer: "GPUs per server",
    kw: "Maximum power per server",
    otherUsdPerServerYear: "Insurance per server per year (derived)",
    priceUsdPerInstanceHour: "Price per instance-hour",
    gpusPerInstance: "GPUs per instance",
    termYears: "Commitment term",
    outputTokensPerSecondPerGpu: "Output speed per GPU at the target",
    inputTokensPerSecondPerGpu: "Prompt-reading speed per GPU",
    usdPerMillionInputTokens: "Price of input tokens",
    usdPerMillionOutputTokens: "Price of output tokens",
    softwareUsdPerGpuYear: "Serving software licence per GPU per year",
    warrantyYears: "Support included in the server price (years)",
    maintenancePerYear: "Support after the warranty",
  };
  return words[key] ?? key;
}
