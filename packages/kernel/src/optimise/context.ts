/**
 * The planning context shared by the MILP (`model.ts`) and the monthly plan evaluation
 * (`fleet.ts`): the resolved scenario, demand, discount factors and, per option, the monthly
 * price columns computed by the evaluate core's own functions (cost-model.md conventions).
 */
import { evaluateApi } from "../api.ts";
import { computeDemand, type Demand } from "../demand.ts";
import { ScenarioError, type ScenarioIssue } from "../errors.ts";
import { presentValueEndOfMonth } from "../finance.ts";
import { evaluateLease } from "../lease.ts";
import type { Scenario } from "../scenario.ts";
import { discountFactors, HOURS_PER_MONTH, monthlyCompoundFactors, MONTHS_PER_YEAR } from "../time.ts";
import {
  validateScenario,
  type ValidatedApiOption,
  type ValidatedBuildOption,
  type ValidatedLeaseOption,
  type ValidatedScenario,
} from "../validate.ts";

/** Optimiser settings on top of the scenario (all optional). */
export interface OptimiseSettings {
  /** Length of one planning period in months: 12 (yearly, default), 6, 3 (quarterly) or 1. */
  periodMonths?: number;
  /**
   * First month each option can be bought or leased, "YYYY-MM", keyed by option id: the
   * hardware generations roadmap. Wins over an option's own `availableFrom` field. Absent:
   * available from the plan's first month.
   */
  availableFrom?: Record<string, string>;
  /** Capex budget per plan year (purchases incl. adders, undiscounted USD): one number for every year, or one per plan year. */
  capexBudgetUsdPerYear?: number | number[];
  /** Largest share of each period's peak demand each path may serve, 0–1 (default 1 each). */
  maxShare?: { build?: number; lease?: number; api?: number };
  /** Whether servers may be sold before the end of their life (default true). */
  allowEarlyRetirement?: boolean;
  /** Whether to re-solve with one more MW to price the power cap (default true). */
  explain?: boolean;
  /** Time limit of one solve, seconds (default 20). */
  timeLimitSeconds?: number;
  /** Relative MIP gap at which the solver stops (default 1e-4, HiGHS's own default: 0.01 % of the NPV). */
  mipRelativeGap?: number;
}

/** Settings with defaults applied and checked. */
export interface ResolvedSettings {
  periodMonths: number;
  /** Per option index of the resolved scenario: first plan month it can be used (may be < 0 or ≥ M). */
  availableFromMonth: number[];
  /** Per plan year, USD; null for no budget. */
  capexBudgetUsdPerYear: number[] | null;
  maxShare: { build: number; lease: number; api: number };
  allowEarlyRetirement: boolean;
  explain: boolean;
  timeLimitSeconds: number;
  mipRelativeGap: number;
}

/** One planning period: months [start, end). */
export interface Period {
  index: number;
  start: number;
  end: number;
}

/** A build option with its monthly columns. */
export interface BuildUnit {
  kind: "build";
  /** Index among the scenario's options. */
  optionIndex: number;
  option: ValidatedBuildOption;
  availableFromMonth: number;
  /** Server price bought in month m, USD: priceUsd × (1 + priceChangePerYear) ** (m / 12). */
  unitPriceUsd: Float64Array;
  /** Output tokens/s one server serves at the target utilisation, net of spares: G × T × U / (1 + spare). */
  capacityTps: number;
  /** Output tokens/s one server serves at full load: G × T. */
  fullLoadTps: number;
  /** Facility power of one server at full load, kW: kw × PUE (what the power cap sees). */
  facilityKw: number;
}

/** A lease option with its monthly columns. */
export interface LeaseUnit {
  kind: "lease";
  optionIndex: number;
  option: ValidatedLeaseOption;
  availableFromMonth: number;
  /** Price of one instance-hour in month m, USD (evaluate core's `evaluateLease`). */
  priceUsdPerInstanceHour: Float64Array;
  /** Cost of one instance for month m, USD: price × 730 + softwareUsdPerGpuYear / 12 × G. */
  monthlyCostUsd: Float64Array;
  /** Output tokens/s one instance serves at the target utilisation: G × T × U. */
  capacityTps: number;
  /** Output tokens/s one instance serves at full load: G × T. */
  fullLoadTps: number;
}

/** An API option with its monthly columns. */
export interface ApiUnit {
  kind: "api";
  optionIndex: number;
  option: ValidatedApiOption;
  availableFromMonth: number;
  /** API cost of the whole demand in month m, USD (evaluate core's `evaluateApi`), and its input/output parts. */
  costUsd: Float64Array;
  inputUsd: Float64Array;
  outputUsd: Float64Array;
}

/** Everything the MILP and the plan evaluation share. */
export interface PlanningContext {
  resolved: ValidatedScenario;
  settings: ResolvedSettings;
  months: number;
  demand: Demand;
  /** v ** m for m = 0 .. M. */
  discount: Float64Array;
  /** (1 + electricityEscalationPerYear) ** (m / 12). */
  electricityFactors: Float64Array;
  /** Σ tokens(m) v^(m+1), Σ outputTokens(m) v^(m+1). */
  discountedTokens: number;
  discountedOutputTokens: number;
  builds: BuildUnit[];
  leases: LeaseUnit[];
  apis: ApiUnit[];
  periods: Period[];
}

const MONTH_PATTERN = /^(\d{4})-(0[1-9]|1[0-2])$/;
const PERIOD_CHOICES = [1, 3, 6, 12];

/** Months from `startMonth` to `month` (both "YYYY-MM"): "2027-03" from "2026-01" is 14. */
export function monthsBetween(startMonth: string, month: string): number {
  const a = Number(startMonth.slice(0, 4)) * 12 + Number(startMonth.slice(5, 7));
  const b = Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7));
  return b - a;
}

/** Splits M months into periods of `periodMonths` (the last one shorter when M is not a multiple). */
export function buildPeriods(months: number, periodMonths: number): Period[] {
  const periods: Period[] = [];
  for (let start = 0, index = 0; start < months; start += periodMonths, index++) {
    periods.push({ index, start, end: Math.min(start + periodMonths, months) });
  }
  return periods;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function checkFraction(value: unknown, path: string, issues: ScenarioIssue[]): number {
  if (value === undefined) return 1;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0 || value > 1) {
    issues.push({ path, message: `expected a number between 0 and 1, got ${JSON.stringify(value)}` });
    return 1;
  }
  return value;
}

/**
 * Checks the optimiser settings and applies defaults. Availability comes from
 * `settings.availableFrom[id]`, else from an option's own `availableFrom` ("YYYY-MM", an
 * extension field the evaluate core ignores).
 * @throws ScenarioError `invalid` naming the field (paths start with `optimise.`).
 */
export function resolveSettings(
  scenario: Scenario,
  resolved: ValidatedScenario,
  settings: OptimiseSettings | undefined,
): ResolvedSettings {
  const issues: ScenarioIssue[] = [];
  const s: Record<string, unknown> = isRecord(settings) ? settings : {};
  if (settings !== undefined && !isRecord(settings))
    issues.push({ path: "optimise", message: "expected an object of optimiser settings" });

  const periodMonths = s["periodMonths"] ?? 12;
  if (typeof periodMonths !== "number" || !PERIOD_CHOICES.includes(periodMonths)) {
    issues.push({
      path: "optimise.periodMonths",
      message: `expected one of ${PERIOD_CHOICES.join(", ")} (months per planning period), got ${JSON.stringify(periodMonths)}`,
    });
  }

  const overrides = s["availableFrom"];
  if (overrides !== undefined && !isRecord(overrides))
    issues.push({ path: "optimise.availableFrom", message: 'expected an object mapping option ids to "YYYY-MM"' });
  const overrideMap = isRecord(overrides) ? overrides : {};
  const ids = new Set(resolved.options.map((o) => o.id));
  for (const key of Object.keys(overrideMap)) {
    if (!ids.has(key))
      issues.push({ path: `optimise.availableFrom.${key}`, message: `no option has the id ${JSON.stringify(key)}` });
  }
  const availableFromMonth = resolved.options.map((option, index) => {
    const raw = scenario.options[index] as unknown;
    const own = isRecord(raw) ? raw["availableFrom"] : undefined;
    const value = overrideMap[option.id] ?? own;
    if (value === undefined) return Number.NEGATIVE_INFINITY;
    const path =
      overrideMap[option.id] !== undefined ? `optimise.availableFrom.${option.id}` : `options.${index}.availableFrom`;
    if (typeof value !== "string" || !MONTH_PATTERN.test(value)) {
      issues.push({ path, message: `expected a month as "YYYY-MM", got ${JSON.stringify(value)}` });
      return 0;
    }
    return monthsBetween(resolved.startMonth, value);
  });

  let capexBudgetUsdPerYear: number[] | null = null;
  const budget = s["capexBudgetUsdPerYear"];
  const years = Math.ceil(resolved.months / MONTHS_PER_YEAR);
  if (typeof budget === "number") {
    if (!Number.isFinite(budget) || budget < 0)
      issues.push({
        path: "optimise.capexBudgetUsdPerYear",
        message: `expected a number >= 0 (USD per year), got ${String(budget)}`,
      });
    else capexBudgetUsdPerYear = new Array<number>(years).fill(budget);
  } else if (Array.isArray(budget)) {
    if (budget.length !== years)
      issues.push({
        path: "optimise.capexBudgetUsdPerYear",
        message: `expected ${years} yearly budgets (one per plan year), got ${budget.length}`,
      });
    budget.forEach((value: unknown, i) => {
      if (typeof value !== "number" || !Number.isFinite(value) || value < 0)
        issues.push({
          path: `optimise.capexBudgetUsdPerYear.${i}`,
          message: `expected a number >= 0 (USD), got ${JSON.stringify(value)}`,
        });
    });
    capexBudgetUsdPerYear = budget as number[];
  } else if (budget !== undefined) {
    issues.push({
      path: "optimise.capexBudgetUsdPerYear",
      message: "expected a number or a list of numbers (USD per plan year)",
    });
  }

  const maxShareRaw = s["maxShare"];
  if (maxShareRaw !== undefined && !isRecord(maxShareRaw))
    issues.push({ path: "optimise.maxShare", message: "expected an object { build, lease, api } of fractions 0–1" });
  const ms = isRecord(maxShareRaw) ? maxShareRaw : {};
  const maxShare = {
    build: checkFraction(ms["build"], "optimise.maxShare.build", issues),
    lease: checkFraction(ms["lease"], "optimise.maxShare.lease", issues),
    api: checkFraction(ms["api"], "optimise.maxShare.api", issues),
  };

  const flag = (key: string, fallback: boolean): boolean => {
    const value = s[key];
    if (value === undefined) return fallback;
    if (typeof value !== "boolean") {
      issues.push({ path: `optimise.${key}`, message: `expected true or false, got ${JSON.stringify(value)}` });
      return fallback;
    }
    return value;
  };
  const positive = (key: string, fallback: number, max: number): number => {
    const value = s[key];
    if (value === undefined) return fallback;
    if (typeof value !== "number" || !Number.isFinite(value) || value <= 0 || value > max) {
      issues.push({
        path: `optimise.${key}`,
        message: `expected a number > 0 and <= ${max}, got ${JSON.stringify(value)}`,
      });
      return fallback;
    }
    return value;
  };
  const result: ResolvedSettings = {
    periodMonths: typeof periodMonths === "number" && PERIOD_CHOICES.includes(periodMonths) ? periodMonths : 12,
    availableFromMonth,
    capexBudgetUsdPerYear,
    maxShare,
    allowEarlyRetirement: flag("allowEarlyRetirement", true),
    explain: flag("explain", true),
    timeLimitSeconds: positive("timeLimitSeconds", 20, 3600),
    mipRelativeGap: positive("mipRelativeGap", 1e-4, 0.5),
  };
  if (issues.length > 0) throw new ScenarioError("invalid", issues);
  return result;
}

/**
 * Resolves the scenario (the evaluate core's validation and defaults) and the settings, and
 * computes the columns every planner needs: demand, discount factors, unit prices, lease prices
 * (`evaluateLease`), API costs (`evaluateApi`).
 * @throws ScenarioError `invalid` for a bad scenario or bad settings.
 */
export function buildPlanningContext(scenario: Scenario, settings?: OptimiseSettings): PlanningContext {
  const resolved = validateScenario(scenario);
  const resolvedSettings = resolveSettings(scenario, resolved, settings);
  const months = resolved.months;
  const demand = computeDemand(resolved.workload, months);
  const discount = discountFactors(resolved.discountRatePerYear, months);
  const U = demand.targetUtilization;
  const pue = resolved.site.pue;
  const builds: BuildUnit[] = [];
  const leases: LeaseUnit[] = [];
  const apis: ApiUnit[] = [];
  resolved.options.forEach((option, optionIndex) => {
    const availableFromMonth = resolvedSettings.availableFromMonth[optionIndex] as number;
    if (option.kind === "build") {
      const factors = monthlyCompoundFactors(option.priceChangePerYear, months);
      const unitPriceUsd = new Float64Array(months);
      for (let m = 0; m < months; m++) unitPriceUsd[m] = option.priceUsd * (factors[m] as number);
      const fullLoadTps = option.gpusPerServer * option.outputTokensPerSecondPerGpu;
      builds.push({
        kind: "build",
        optionIndex,
        option,
        availableFromMonth,
        unitPriceUsd,
        capacityTps: (fullLoadTps * U) / (1 + option.spareFraction),
        fullLoadTps,
        facilityKw: option.kw * pue,
      });
    } else if (option.kind === "lease") {
      const flows = evaluateLease(option, demand);
      const monthlyCostUsd = new Float64Array(months);
      const softwarePerInstance = (option.softwareUsdPerGpuYear / 12) * option.gpusPerInstance;
      for (let m = 0; m < months; m++)
        monthlyCostUsd[m] = (flows.priceUsdPerInstanceHour[m] as number) * HOURS_PER_MONTH + softwarePerInstance;
      const fullLoadTps = option.gpusPerInstance * option.outputTokensPerSecondPerGpu;
      leases.push({
        kind: "lease",
        optionIndex,
        option,
        availableFromMonth,
        priceUsdPerInstanceHour: flows.priceUsdPerInstanceHour,
        monthlyCostUsd,
        capacityTps: fullLoadTps * U,
        fullLoadTps,
      });
    } else {
      const flows = evaluateApi(option, demand);
      apis.push({
        kind: "api",
        optionIndex,
        option,
        availableFromMonth,
        costUsd: flows.apiUsd,
        inputUsd: flows.apiInputUsd,
        outputUsd: flows.apiOutputUsd,
      });
    }
  });
  // The same sums the evaluate core divides by (levelised cost per token).
  const discountedTokens = presentValueEndOfMonth(demand.tokens, discount);
  const discountedOutputTokens = presentValueEndOfMonth(demand.outputTokens, discount);
  return {
    resolved,
    settings: resolvedSettings,
    months,
    demand,
    discount,
    electricityFactors: monthlyCompoundFactors(resolved.site.electricityEscalationPerYear, months),
    discountedTokens,
    discountedOutputTokens,
    builds,
    leases,
    apis,
    periods: buildPeriods(months, resolvedSettings.periodMonths),
  };
}
