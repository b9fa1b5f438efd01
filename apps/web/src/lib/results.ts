/**
 * Turns the kernel's `EvaluateResult` into what the results page shows: one headline sentence
 * that answers the question with numbers, a row of figures per path, and the series behind each
 * chart. Pure: no catalog, no DOM; every number is the kernel's, formatted by `format.ts`.
 */
import type { EvaluateResult, OptionResult, Scenario } from "@aifp/kernel";
import { formatMonths, formatPercent, formatUsdPerMillionTokens, formatYears } from "./format.ts";

/** How a path is named in sentences and tables. */
export interface OptionLabel {
  /** Short name: "Dell PowerEdge XE9680", "Nebius H200 (8 GPUs)", "OpenRouter DeepSeek-R1". */
  name: string;
  /** Sentence subject: "Building with Dell PowerEdge XE9680", "Leasing H200 from Nebius", "Buying tokens from OpenRouter". */
  phrase: string;
  /** Accelerator as people say it ("H200"), null for a token API. */
  accelerator: string | null;
}

export interface PathRow {
  id: string;
  kind: OptionResult["kind"];
  label: OptionLabel;
  lcotUsdPerMillionTokens: number;
  splitInputUsdPerMillion: number | null;
  splitOutputUsdPerMillion: number | null;
  costSplitBasis: string;
  npvCostUsd: number;
  tcoUsd: number;
  /** Build only: months until it pays back against the baseline; null = never in the horizon; undefined = not a build path. */
  paybackMonths?: number | null;
  irrPerYear?: number | null;
  npvSavingsUsd?: number;
  effectiveUsdPerGpuHour: number | null;
  outputTokensPerSecondPerMw: number | null;
  tokensPerKwh: number | null;
  gramsCo2PerMillionTokens: number | null;
  powerCapExceededMonths: number[];
  cheapest: boolean;
}

export interface ResultSummary {
  headline: string;
  cheapestId: string;
  baselineId: string | null;
  rows: PathRow[];
}

function costPhrase(row: PathRow): string {
  return `${row.label.phrase} costs ${formatUsdPerMillionTokens(row.lcotUsdPerMillionTokens)} per million tokens`;
}

/**
 * The summary of one evaluation: rows sorted cheapest first (by NPV of cost, which orders the
 * levelised cost the same way because every path serves the same tokens), and the headline:
 * "<cheapest> costs $X per million tokens over N years, P% less than <best other kind>;
 * <building pays back in … | building never pays back at this volume>".
 * @param result the kernel's result
 * @param scenario the scenario it was computed from (for the horizon)
 * @param labels names of the options by id
 */
export function summarise(
  result: EvaluateResult,
  scenario: Pick<Scenario, "horizonYears">,
  labels: Readonly<Record<string, OptionLabel>>,
): ResultSummary {
  const comparisons = new Map(result.comparisons.map((comparison) => [comparison.optionId, comparison]));
  const rows: PathRow[] = result.options.map((option) => {
    const comparison = comparisons.get(option.id);
    const label = labels[option.id] ?? { name: option.id, phrase: option.id, accelerator: null };
    return {
      id: option.id,
      kind: option.kind,
      label,
      lcotUsdPerMillionTokens: option.lcotUsdPerMillionTokens,
      splitInputUsdPerMillion: option.splitLcotUsdPerMillionInputTokens,
      splitOutputUsdPerMillion: option.splitLcotUsdPerMillionOutputTokens,
      costSplitBasis: option.costSplitBasis,
      npvCostUsd: option.npvCostUsd,
      tcoUsd: option.tcoUsd,
      ...(option.kind === "build"
        ? {
            paybackMonths: comparison?.paybackMonths ?? null,
            irrPerYear: comparison?.irrPerYear ?? null,
            ...(comparison ? { npvSavingsUsd: comparison.npvSavingsUsd } : {}),
          }
        : {}),
      effectiveUsdPerGpuHour: option.effectiveUsdPerGpuHour,
      outputTokensPerSecondPerMw: option.outputTokensPerSecondPerMw,
      tokensPerKwh: option.tokensPerKwh,
      gramsCo2PerMillionTokens: option.gramsCo2PerMillionTokens,
      powerCapExceededMonths: option.kind === "build" ? option.powerCapExceededMonths : [],
      cheapest: false,
    };
  });
  rows.sort((a, b) => a.npvCostUsd - b.npvCostUsd);
  const cheapest = rows[0];
  if (!cheapest) throw new Error("summarise needs at least one option in the result");
  cheapest.cheapest = true;
  const baselineId = result.comparisons[0]?.baselineOptionId ?? null;

  const horizon = formatYears(scenario.horizonYears);
  let headline = `${costPhrase(cheapest)} over ${horizon}`;
  const rival = rows.find((row) => row.kind !== cheapest.kind) ?? rows[1];
  if (rival) {
    const saving = rival.npvCostUsd > 0 ? 1 - cheapest.npvCostUsd / rival.npvCostUsd : 0;
    const rivalName =
      rival.kind === cheapest.kind ? rival.label.name : rival.label.phrase.replace(/^\w/, (c) => c.toLowerCase());
    headline += saving > 0.0005 ? `, ${formatPercent(saving, 0)} less than ${rivalName}` : `, the same as ${rivalName}`;
  }

  const builds = rows.filter((row) => row.kind === "build" && row.paybackMonths !== undefined && baselineId !== null);
  if (builds.length > 0 && baselineId !== null) {
    const baselineLabel = labels[baselineId]?.name ?? baselineId;
    const paying = builds
      .filter((row) => row.paybackMonths !== null)
      .sort((a, b) => (a.paybackMonths ?? 0) - (b.paybackMonths ?? 0));
    const best = paying[0];
    if (best && best.paybackMonths !== null && best.paybackMonths !== undefined) {
      const irr =
        best.irrPerYear !== null && best.irrPerYear !== undefined ? ` (IRR ${formatPercent(best.irrPerYear, 0)})` : "";
      headline += `; building with ${best.label.name} pays back against ${baselineLabel} in ${formatMonths(best.paybackMonths)}${irr}`;
    } else {
      headline += `; building never pays back against ${baselineLabel} at this volume`;
    }
  }
  return { headline: `${headline}.`, cheapestId: cheapest.id, baselineId, rows };
}

/** One point of a per-path series. */
export interface SeriesPoint {
  x: number;
  y: number;
}

export interface PathSeries {
  id: string;
  name: string;
  points: SeriesPoint[];
}

/** Cost per million tokens by plan year, per path (x = plan year 1, 2, …). */
export function lcotByYear(result: EvaluateResult, labels: Readonly<Record<string, OptionLabel>>): PathSeries[] {
  return result.options.map((option) => ({
    id: option.id,
    name: labels[option.id]?.name ?? option.id,
    points: option.yearly.map((year) => ({ x: year.year + 1, y: year.lcotUsdPerMillionTokens })),
  }));
}

/** Cumulative cash paid per path by month (x = month 1 … M; the horizon residual excluded, as in payback). */
export function cumulativeCash(result: EvaluateResult, labels: Readonly<Record<string, OptionLabel>>): PathSeries[] {
  return result.options.map((option) => {
    let total = 0;
    const points = option.monthly.map((month) => {
      total += month.cashUsd;
      return { x: month.month + 1, y: total };
    });
    return { id: option.id, name: labels[option.id]?.name ?? option.id, points };
  });
}

/**
 * Facility power of each build path by month, kW at full load: servers × kW per server × PUE
 * (the figure the site's power cap is compared with, cost-model.md).
 */
export function facilityPowerByMonth(
  result: EvaluateResult,
  scenario: Scenario,
  labels: Readonly<Record<string, OptionLabel>>,
): PathSeries[] {
  const pue = scenario.site?.pue ?? 1;
  const series: PathSeries[] = [];
  for (const option of result.options) {
    if (option.kind !== "build") continue;
    const input = scenario.options.find((candidate) => candidate.id === option.id);
    const kw = input && input.kind === "build" ? (input.kw ?? 0) : 0;
    series.push({
      id: option.id,
      name: labels[option.id]?.name ?? option.id,
      points: option.monthly.map((month) => ({ x: month.month + 1, y: month.servers * kw * pue })),
    });
  }
  return series;
}

/** GPUs running per path by month (build: servers × GPUs; lease: instances × GPUs). */
export function gpusByMonth(result: EvaluateResult, labels: Readonly<Record<string, OptionLabel>>): PathSeries[] {
  const series: PathSeries[] = [];
  for (const option of result.options) {
    if (option.kind === "api") continue;
    series.push({
      id: option.id,
      name: labels[option.id]?.name ?? option.id,
      points: option.monthly.map((month) => ({ x: month.month + 1, y: month.gpus })),
    });
  }
  return series;
}

export const COST_CATEGORIES = [
  { key: "capitalUsd", label: "Hardware (net of resale)" },
  { key: "energyUsd", label: "Electricity" },
  { key: "facilityUsd", label: "Colocation" },
  { key: "maintenanceUsd", label: "Maintenance" },
  { key: "softwareUsd", label: "Software licences" },
  { key: "staffUsd", label: "Staff" },
  { key: "otherUsd", label: "Insurance and other" },
  { key: "leaseUsd", label: "Cloud rental" },
  { key: "apiUsd", label: "Token API" },
] as const;

export type CostCategory = (typeof COST_CATEGORIES)[number]["key"];

export interface BreakdownRow {
  id: string;
  name: string;
  /** Undiscounted USD over the horizon by category; capital is net of resale and of the horizon residual. */
  values: Record<CostCategory, number>;
  totalUsd: number;
}

/**
 * Where the money goes, per path: undiscounted USD over the horizon by cost line. Capital is
 * capex − resale − the value of hardware still owned at the horizon, so the bars add up to TCO.
 */
export function costBreakdown(result: EvaluateResult, labels: Readonly<Record<string, OptionLabel>>): BreakdownRow[] {
  return result.options.map((option) => {
    const values = Object.fromEntries(COST_CATEGORIES.map((category) => [category.key, 0])) as Record<
      CostCategory,
      number
    >;
    for (const year of option.yearly) {
      for (const category of COST_CATEGORIES) values[category.key] += year[category.key];
    }
    values.capitalUsd -= option.residualUsd;
    const totalUsd = Object.values(values).reduce((sum, value) => sum + value, 0);
    return { id: option.id, name: labels[option.id]?.name ?? option.id, values, totalUsd };
  });
}
