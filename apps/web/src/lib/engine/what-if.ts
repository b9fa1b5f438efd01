/** What-ifs on a resolved scenario and its evaluation by the kernel. */
import { evaluateWithFairBaseline, type BaselineChoice } from "@aifp/catalog";
import { ScenarioError, type EvaluateResult, type Scenario } from "@aifp/kernel";
import { formatFieldValue } from "../format.ts";
import type { WhatIf } from "../plan.ts";

/**
 * Applies what-if adjustments to a resolved scenario (a copy): volume × factor, and overrides
 * of growth, electricity price, every lease option's price trend, cost of capital and target
 * utilisation. Cheap: one shallow copy per object touched.
 */
export function applyWhatIf(scenario: Scenario, whatIf: WhatIf): Scenario {
  const next: Scenario = {
    ...scenario,
    finance: { ...scenario.finance },
    workload: { ...scenario.workload, requestsPerDay: scenario.workload.requestsPerDay * whatIf.volumeFactor },
    site: { ...scenario.site },
    options: scenario.options.map((option) =>
      option.kind === "lease" && whatIf.leasePriceChangePerYear !== null
        ? { ...option, priceChangePerYear: whatIf.leasePriceChangePerYear }
        : option,
    ),
  };
  if (whatIf.growthPerYear !== null) next.workload.growthPerYear = whatIf.growthPerYear;
  if (whatIf.targetUtilization !== null) next.workload.targetUtilization = whatIf.targetUtilization;
  if (whatIf.discountRatePerYear !== null) next.finance.discountRatePerYear = whatIf.discountRatePerYear;
  if (whatIf.electricityUsdPerKwh !== null && next.site) next.site.electricityUsdPerKwh = whatIf.electricityUsdPerKwh;
  return next;
}

export type Evaluation =
  | { ok: true; result: EvaluateResult; scenario: Scenario; baseline: BaselineChoice | null }
  | { ok: false; messages: string[] };

/**
 * Evaluates a resolved scenario with what-ifs applied; kernel errors come back as sentences.
 * Without a baseline the person chose, building is compared with the cheapest path that does not
 * build under these what-ifs (ADR 017), set explicitly on the returned scenario.
 */
export function evaluateWithWhatIf(scenario: Scenario, whatIf: WhatIf): Evaluation {
  try {
    // One evaluation per move when the cheapest non-build path is unchanged (issue 16).
    return { ok: true, ...evaluateWithFairBaseline(applyWhatIf(scenario, whatIf)) };
  } catch (error) {
    if (error instanceof ScenarioError) {
      return {
        ok: false,
        messages: error.issues.map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message)),
      };
    }
    throw error;
  }
}

/** The value a what-if slider starts from: the plan's own figure (fractions as fractions). */
export function baseWhatIfValues(scenario: Scenario): {
  growthPerYear: number;
  electricityUsdPerKwh: number | null;
  leasePriceChangePerYear: number | null;
  discountRatePerYear: number;
  targetUtilization: number;
} {
  const lease = scenario.options.find((option) => option.kind === "lease");
  return {
    growthPerYear: scenario.workload.growthPerYear ?? 0,
    electricityUsdPerKwh: scenario.site?.electricityUsdPerKwh ?? null,
    leasePriceChangePerYear: lease ? (lease.priceChangePerYear ?? 0) : null,
    discountRatePerYear: scenario.finance.discountRatePerYear,
    targetUtilization: scenario.workload.targetUtilization ?? 1,
  };
}

/** A typed value for a field as the form shows it (for "use this value" actions). */
export function fieldText(value: number): string {
  return formatFieldValue(value);
}
