/**
 * Turns the kernel's `EvaluateResult` into what the results page shows: one headline sentence
 * that answers the question with numbers, a row of figures per path, and the series behind each
 * chart. Pure: no catalog, no DOM; every number is the kernel's, formatted by `format.ts`.
 */
import type { EvaluateResult, MonteCarloResult, OptionResult, Scenario } from "@aifp/kernel";
import {
  formatMonths,
  formatNumber,
  formatPercent,
  formatUsdCompact,
  formatUsdPerMillionTokens,
  formatYears,
} from "./format.ts";

/** How a path is named in sentences and tables. */
export interface OptionLabel {
  /** Short name: "Dell PowerEdge XE9680", "Nebius H200 (8 GPUs)", "OpenRouter DeepSeek-R1". */
  name: string;
  /** Sentence subject: "Building with Dell PowerEdge XE9680", "Leasing H200 from Nebius", "Buying tokens from OpenRouter". */
  phrase: string;
  /** Accelerator as people say it ("H200"), null for a token API. */
  accelerator: string | null;
  /**
   * A token API selling another model than the plan's (issue 18 item 1): what it serves and what
   * the build and lease paths run, so the table and the headline say it is not like for like.
   */
  otherModel?: { serves: string; plan: string };
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
  /** Cash paid in the plan's first 12 months, USD undiscounted: the money a CFO must find now (building pays up front). */
  firstYearCashUsd: number;
  cheapest: boolean;
}

export interface ResultSummary {
  headline: string;
  cheapestId: string;
  baselineId: string | null;
  rows: PathRow[];
}

/** ", a different model (DeepSeek-R1, not your Llama 3.3 70B)" for an API of another model, else "". */
export function otherModelWords(label: OptionLabel): string {
  return label.otherModel ? `, a different model (${label.otherModel.serves}, not your ${label.otherModel.plan})` : "";
}

/** A path as the object of a sentence: "building with Dell …", "leasing Nebius 8× B200 (…)", "buying tokens from the OpenRouter … API". */
export function pathWords(row: Pick<PathRow, "kind" | "label">): string {
  const name = row.label.name;
  // The plan's own typed API price is "Your token API price": "buying tokens at your token API price".
  const verb =
    row.kind === "build"
      ? "building with"
      : row.kind === "lease"
        ? "leasing"
        : /^your /i.test(name)
          ? "buying tokens at"
          : "buying tokens from the";
  return `${verb} ${row.kind === "api" && /^your /i.test(name) ? name.toLowerCase() : name}${otherModelWords(row.label)}`;
}

const capitalise = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

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
      firstYearCashUsd: option.monthly.slice(0, 12).reduce((sum, month) => sum + month.cashUsd, 0),
      cheapest: false,
    };
  });
  rows.sort((a, b) => a.npvCostUsd - b.npvCostUsd);
  const cheapest = rows[0];
  if (!cheapest) throw new Error("summarise needs at least one option in the result");
  cheapest.cheapest = true;
  const baselineId = result.comparisons[0]?.baselineOptionId ?? null;

  return {
    headline: headlineOf(rows, cheapest, baselineId, scenario.horizonYears),
    cheapestId: cheapest.id,
    baselineId,
    rows,
  };
}

/**
 * The answer in one sentence (issue 18 item 6): the decision with its cost, the saving in dollars
 * (present value) against a named path, and the payback of building against the named baseline.
 * "Buying tokens from the OpenRouter Llama 3.3 70B API costs $0.0927 per million tokens over 5
 * years, $635,000 (54 %) less in present value than leasing Nebius 8× B200 (3-year commitment);
 * building never pays back against it within 5 years."
 */
function headlineOf(rows: PathRow[], cheapest: PathRow, baselineId: string | null, horizonYears: number): string {
  const horizon = formatYears(horizonYears);
  const baseline = baselineId === null ? undefined : rows.find((row) => row.id === baselineId);
  let headline = `${capitalise(pathWords(cheapest))} costs ${formatUsdPerMillionTokens(cheapest.lcotUsdPerMillionTokens)} per million tokens over ${horizon}`;
  // Building is compared with its baseline (the cheapest way not to build, or the one chosen);
  // any other answer with the cheapest path of another kind (lease against API and so on).
  const rival =
    cheapest.kind === "build" && baseline && baseline.id !== cheapest.id
      ? baseline
      : (rows.find((row) => row.kind !== cheapest.kind) ?? rows[1]);
  if (rival) {
    const savingUsd = rival.npvCostUsd - cheapest.npvCostUsd;
    const share = rival.npvCostUsd > 0 ? savingUsd / rival.npvCostUsd : 0;
    const why =
      rival.id === baselineId && cheapest.kind === "build"
        ? rival.id === rows.find((row) => row.kind !== "build")?.id
          ? ", the cheapest way not to build"
          : ", the path you compare against"
        : "";
    headline +=
      share > 0.0005
        ? `, ${formatUsdCompact(savingUsd)} (${formatPercent(share, 0)}) less in present value than ${pathWords(rival)}${why}`
        : `, the same as ${pathWords(rival)}`;
  }
  const builds = rows.filter((row) => row.kind === "build" && row.paybackMonths !== undefined);
  if (builds.length > 0 && baseline) {
    const baselineName = baseline.id === cheapest.id ? "it" : baseline.label.name;
    const paying = builds
      .filter((row) => row.paybackMonths !== null)
      .sort((a, b) => (a.paybackMonths ?? 0) - (b.paybackMonths ?? 0));
    const best = paying.find((row) => row.id === cheapest.id) ?? paying[0];
    if (best && best.paybackMonths !== null && best.paybackMonths !== undefined) {
      const irr =
        best.irrPerYear !== null && best.irrPerYear !== undefined ? ` (IRR ${formatPercent(best.irrPerYear, 0)})` : "";
      headline +=
        best.id === cheapest.id
          ? `; it pays back against ${baselineName} in ${formatMonths(best.paybackMonths)}${irr}`
          : `; building with ${best.label.name} pays back against ${baselineName} in ${formatMonths(best.paybackMonths)}${irr}`;
    } else {
      headline += `; building never pays back against ${baselineName} within ${horizon}`;
    }
  }
  return `${headline}.`;
}

/**
 * How sure the answer is, from a Monte Carlo of the same plan (issue 18 item 6): the P10–P90
 * band of the recommended path's cost, how often it is the cheapest, and, when building is in
 * the run, how often it never pays back. Never more certain than the run: when the recommended
 * path is the cheapest in fewer than half of the futures, the sentence says so first.
 * @param summary the deterministic summary the headline came from
 * @param risk the Monte Carlo of the same scenario
 */
export function riskSentence(
  summary: Pick<ResultSummary, "cheapestId" | "rows">,
  risk: Pick<
    MonteCarloResult,
    "samples" | "failedSamples" | "lcotUsdPerMillionTokens" | "probabilityCheapest" | "comparison"
  >,
  labels: Readonly<Record<string, OptionLabel>>,
): string | null {
  const band = risk.lcotUsdPerMillionTokens[summary.cheapestId];
  const cheapest = summary.rows.find((row) => row.id === summary.cheapestId);
  if (!band || !cheapest) return null;
  const futures = formatNumber(risk.samples - risk.failedSamples, 0);
  const share = risk.probabilityCheapest[summary.cheapestId] ?? 0;
  const leader = Object.entries(risk.probabilityCheapest).sort((a, b) => b[1] - a[1])[0];
  const nameOf = (id: string) => labels[id]?.name ?? summary.rows.find((row) => row.id === id)?.label.name ?? id;
  const range = `${formatUsdPerMillionTokens(band.p10)} to ${formatUsdPerMillionTokens(band.p90)} per million tokens (P10–P90)`;
  let sentence =
    share < 0.5
      ? `Not a sure answer: across ${futures} simulated futures ${cheapest.label.name} is the cheapest in only ${formatPercent(share, 0)}${
          leader && leader[0] !== summary.cheapestId ? ` (${nameOf(leader[0])} in ${formatPercent(leader[1], 0)})` : ""
        }, and its cost runs from ${range}`
      : `Across ${futures} simulated futures its cost runs from ${range}, and it is the cheapest in ${formatPercent(share, 0)} of them`;
  const comparison = risk.comparison;
  if (comparison && comparison.paybackMonths.neverShare > 0) {
    sentence += `; building with ${nameOf(comparison.buildId)} never pays back against leasing ${nameOf(comparison.leaseId)} in ${formatPercent(comparison.paybackMonths.neverShare, 0)} of them`;
  }
  return `${sentence}.`;
}

/** Monthly cash paid per path (undiscounted USD), for the monthly table of the detail layer. */
export function monthlyCash(
  result: EvaluateResult,
  labels: Readonly<Record<string, OptionLabel>>,
): { ids: string[]; names: string[]; months: { month: number; usd: number[] }[] } {
  const options = [...result.options].sort((a, b) => a.npvCostUsd - b.npvCostUsd);
  const months = (options[0]?.monthly ?? []).map((_, index) => ({
    month: index,
    usd: options.map((option) => option.monthly[index]?.cashUsd ?? 0),
  }));
  return {
    ids: options.map((option) => option.id),
    names: options.map((option) => labels[option.id]?.name ?? option.id),
    months,
  };
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
