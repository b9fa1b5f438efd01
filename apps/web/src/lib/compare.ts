/**
 * Compare at human scale (issue 18 item 9, ADR 023): two or more plans side by side with the
 * same metric on one row, and the inputs that differ marked. Pure: the Compare page hands in
 * what each plan is and shows; this module lines the rows up.
 */
import type { Scenario } from "@aifp/kernel";
import { formatLargeNumber, formatNumber, formatPercent, formatYears } from "./format.ts";
import type { PlanInput } from "./plan.ts";
import { LATENCY_PRESETS, USE_CASES } from "./presets.ts";
import { tokensPerDay } from "./volume.ts";

/** One row of the comparison: a label and one value per plan (null: the plan has no such row). */
export interface AlignedRow {
  key: string;
  label: string;
  values: (string | null)[];
  /** True when the plans do not all show the same value (an input that differs is highlighted). */
  differs: boolean;
}

/** What one plan shows for one path: the same three figures as its results page. */
export interface PathFigures {
  id: string;
  name: string;
  perMillion: string;
  presentValue: string;
  paysBack: string;
}

/** The plan's inputs in words, in a fixed order (label → value); what Compare lines up. */
export function planInputsInWords(
  plan: PlanInput,
  scenario: Scenario,
  names: { model: (key: string) => string; region: (code: string) => string },
): { key: string; label: string; value: string }[] {
  const workload = scenario.workload;
  const latency = LATENCY_PRESETS.find((preset) => preset.key === plan.latency);
  const speed =
    workload.interactivityTokensPerSecondPerUser === undefined
      ? "no one waiting (batch)"
      : `${formatNumber(workload.interactivityTokensPerSecondPerUser, 1)} tokens a second per user`;
  const commitment: Record<string, string> = {
    "": "matched to the plan's length",
    "match-horizon": "matched to the plan's length",
    "as-offered": "as each offer is listed",
    "on-demand": "on demand",
    "1y": "1-year commitment",
    "3y": "3-year commitment",
  };
  const paths = scenario.options;
  const count = (kind: string) => paths.filter((option) => option.kind === kind).length;
  return [
    { key: "useCase", label: "Use", value: USE_CASES.find((item) => item.key === plan.useCase)?.label ?? plan.useCase },
    { key: "model", label: "Model", value: workload.model ? names.model(workload.model) : "not chosen" },
    {
      key: "volume",
      label: "Volume at the start",
      value: `${formatLargeNumber(tokensPerDay(workload.requestsPerDay, workload.inputTokensPerRequest, workload.outputTokensPerRequest))} tokens a day (${formatLargeNumber(workload.requestsPerDay)} requests)`,
    },
    {
      key: "tokens",
      label: "Tokens per request",
      value: `${formatNumber(workload.inputTokensPerRequest, 0)} in, ${formatNumber(workload.outputTokensPerRequest, 0)} out`,
    },
    { key: "growth", label: "Growth per year", value: formatPercent(workload.growthPerYear ?? 0) },
    { key: "horizon", label: "Plan length", value: formatYears(scenario.horizonYears) },
    {
      key: "speed",
      label: "Speed each user sees",
      value: latency ? `${speed}: ${latency.label}` : speed,
    },
    {
      key: "region",
      label: "Region",
      value: scenario.site?.region ? names.region(scenario.site.region) : "not chosen",
    },
    {
      key: "electricity",
      label: "Electricity price",
      value:
        scenario.site?.electricityUsdPerKwh === undefined
          ? "—"
          : `$${formatNumber(scenario.site.electricityUsdPerKwh, 4)} per kWh`,
    },
    { key: "facility", label: "Building", value: plan.facility === "own" ? "our own data centre" : "colocation" },
    { key: "commitment", label: "Lease commitment", value: commitment[plan.leaseCommitment] ?? plan.leaseCommitment },
    { key: "discount", label: "Cost of capital", value: formatPercent(scenario.finance.discountRatePerYear) },
    {
      key: "paths",
      label: "Paths compared",
      value: `${count("build")} to build, ${count("lease")} to lease, ${count("api")} token APIs`,
    },
  ];
}

/**
 * Lines up labelled values of several plans by key, in the order keys first appear (the first
 * plan's order, then any a later plan adds). A value a plan lacks is null.
 */
export function alignRows(columns: readonly { key: string; label: string; value: string }[][]): AlignedRow[] {
  const order: { key: string; label: string }[] = [];
  for (const column of columns)
    for (const row of column) if (!order.some((item) => item.key === row.key)) order.push(row);
  return order.map(({ key, label }) => {
    const values = columns.map((column) => column.find((row) => row.key === key)?.value ?? null);
    return { key, label, values, differs: new Set(values).size > 1 };
  });
}

/**
 * The path figures of several plans as metric sections (cost per million tokens, present value,
 * pays back), one row per path across all plans: the same path's same figure on one row.
 */
export function alignPaths(columns: readonly (readonly PathFigures[])[]): { metric: string; rows: AlignedRow[] }[] {
  const metrics: { metric: string; pick: (path: PathFigures) => string }[] = [
    { metric: "Cost per million tokens", pick: (path) => path.perMillion },
    { metric: "Present value of the cost", pick: (path) => path.presentValue },
    { metric: "Pays back", pick: (path) => path.paysBack },
  ];
  return metrics.map(({ metric, pick }) => ({
    metric,
    rows: alignRows(
      columns.map((paths) => paths.map((path) => ({ key: path.id, label: path.name, value: pick(path) }))),
    ),
  }));
}
