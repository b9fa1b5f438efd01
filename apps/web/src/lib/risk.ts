/**
 * What the risk section shows, from the kernel's `sensitivity` and `monteCarlo` results: the
 * tornado (each driver at its low and high value, the change of the metric against the plan as
 * entered), the break-even values in words, and the Monte Carlo's P10–P50–P90 band per path with
 * the probability that building beats leasing. Pure: no DOM; USD, fractions 0–1.
 */
import { plainTrail } from "@aifp/catalog/source-words";
import type { DriverId, MonteCarloResult, SensitivityResult, TornadoBar } from "@aifp/kernel";
import { formatNumber, formatPercent, formatYears } from "./format.ts";
import { withNames } from "./optimise.ts";
import type { OptionLabel } from "./results.ts";

type Labels = Readonly<Record<string, OptionLabel>>;

/** Drivers whose value is a fraction per year (shown in %). */
const PERCENT_DRIVERS: ReadonlySet<DriverId> = new Set([
  "growth",
  "leasePriceTrend",
  "apiPriceTrend",
  "costOfCapital",
  "resale",
  "support",
]);

/** A driver's value in words: "×0.5" for a scale driver, "20 %" for a rate, "4 years" for life. */
export function driverValueText(bar: Pick<TornadoBar, "id" | "mode">, value: number): string {
  if (bar.mode === "scale") return `×${formatNumber(value, 2)}`;
  if (PERCENT_DRIVERS.has(bar.id)) return formatPercent(value, 1);
  if (bar.id === "life" || bar.id === "warranty") return formatYears(value);
  return formatNumber(value, 2);
}

/** One bar of the tornado. */
export interface TornadoRow {
  id: DriverId;
  label: string;
  source: string;
  baseText: string;
  lowText: string;
  highText: string;
  /** Change of the metric at the driver's low / high value against the plan as entered, USD. */
  lowDeltaUsd: number;
  highDeltaUsd: number;
  /** Cheapest path at each end (names). */
  lowCheapest: string;
  highCheapest: string;
  swingUsd: number;
}

/** What the tornado measures, in words. */
export interface TornadoMetric {
  /** "Build advantage" (NPV of the best lease or API minus the best build; > 0: building is cheaper) or "Cheapest NPV". */
  name: string;
  description: string;
  baseUsd: number;
  baseCheapest: string;
}

/** The metric of the tornado with the base case. */
export function tornadoMetric(result: SensitivityResult, labels: Labels): TornadoMetric {
  return {
    name: result.metric.name === "buildAdvantageUsd" ? "Build advantage" : "Cheapest present value of cost",
    description: withNames(result.metric.description, labels),
    baseUsd: result.base.metricUsd,
    baseCheapest: labels[result.base.decision]?.name ?? result.base.decision,
  };
}

/** The tornado's bars, largest swing first (the kernel's order). */
export function tornadoRows(result: SensitivityResult, labels: Labels): TornadoRow[] {
  const base = result.base.metricUsd;
  return result.tornado.map((bar) => ({
    id: bar.id,
    label: bar.label,
    // The source in people's words: no file name, line number or repository path (ADR 019).
    source: plainTrail(bar.source),
    baseText: driverValueText(bar, bar.baseValue),
    lowText: driverValueText(bar, bar.lowValue),
    highText: driverValueText(bar, bar.highValue),
    lowDeltaUsd: bar.low.metricUsd - base,
    highDeltaUsd: bar.high.metricUsd - base,
    lowCheapest: labels[bar.low.decision]?.name ?? bar.low.decision,
    highCheapest: labels[bar.high.decision]?.name ?? bar.high.decision,
    swingUsd: bar.swingUsd,
  }));
}

/** The break-even values in words, with names (e.g. "Electricity price: above ×1.85, … becomes cheaper than …"). */
export function breakEvenSentences(result: SensitivityResult, labels: Labels): string[] {
  const sentences = result.breakEvens.map((item) => withNames(item.description, labels));
  if (result.breakEvenUtilization) sentences.push(withNames(result.breakEvenUtilization.description, labels));
  return sentences;
}

/** One path's band: levelised cost percentiles, USD per million tokens. */
export interface BandRow {
  id: string;
  name: string;
  p10: number;
  p50: number;
  p90: number;
  mean: number;
  /** Share of samples in which this path is the cheapest, 0–1. */
  probabilityCheapest: number;
}

/** The P10–P50–P90 band of each path the Monte Carlo evaluated, cheapest median first. */
export function monteCarloBand(result: MonteCarloResult, labels: Labels): BandRow[] {
  return result.optionIds
    .map((id) => {
      const p = result.lcotUsdPerMillionTokens[id];
      if (!p) return null;
      return {
        id,
        name: labels[id]?.name ?? id,
        p10: p.p10,
        p50: p.p50,
        p90: p.p90,
        mean: p.mean,
        probabilityCheapest: result.probabilityCheapest[id] ?? 0,
      };
    })
    .filter((row): row is BandRow => row !== null)
    .sort((a, b) => a.p50 - b.p50);
}

/** Building against leasing over the samples, in names. */
export interface BuildVsLease {
  buildName: string;
  leaseName: string;
  probabilityBuildBeatsLease: number;
  /** NPV(lease) − NPV(build), USD: P10, P50, P90. */
  savingsUsd: { p10: number; p50: number; p90: number };
  /** Payback months at P10 / P50 / P90 (null: not within the horizon), and the share that never pays back. */
  paybackMonths: { p10: number | null; p50: number | null; p90: number | null; neverShare: number };
}

/** The build-against-lease comparison, or null when the plan lacks one of them. */
export function buildVsLease(result: MonteCarloResult, labels: Labels): BuildVsLease | null {
  const c = result.comparison;
  if (!c) return null;
  return {
    buildName: labels[c.buildId]?.name ?? c.buildId,
    leaseName: labels[c.leaseId]?.name ?? c.leaseId,
    probabilityBuildBeatsLease: c.probabilityBuildBeatsLease,
    savingsUsd: { p10: c.npvSavingsUsd.p10, p50: c.npvSavingsUsd.p50, p90: c.npvSavingsUsd.p90 },
    paybackMonths: c.paybackMonths,
  };
}

/** Samples the person can choose, and the default. */
export const MONTE_CARLO_SAMPLE_CHOICES = [1000, 10_000, 100_000] as const;
export const DEFAULT_MONTE_CARLO_SAMPLES = 10_000;
/** One fixed seed: the same plan gives the same band on every visit and machine. */
export const MONTE_CARLO_SEED = 1;
