/**
 * Sensitivity: a tornado of the drivers between their low and high values, the values at which
 * a driver flips the decision (break-even points), and the break-even utilisation of owning
 * against leasing. Every point evaluates the changed scenario with the cost model (cost-model.md):
 * on the fast path (fast-path.ts: the driver written into a validated working copy, the
 * allocation-free core, no result objects) when it can decide the point, else with the reference
 * path `applyDriver` + `evaluate`, which gives the same decision or the same error.
 */
import { evaluate } from "../evaluate.ts";
import type { ValidatedOption } from "../validate.ts";
import { fastPathFor, type DriverEvaluator } from "./fast-path.ts";
import type { BuildOptionResult, EvaluateResult, LeaseOptionResult, OptionResult } from "../result.ts";
import type { Scenario } from "../scenario.ts";
import {
  applyDriver,
  availableAtStart,
  baseValue,
  resolveDrivers,
  type DriverDefinition,
  type DriverId,
  type DriverOverride,
} from "./drivers.ts";

/** Input of `sensitivity`. */
export interface SensitivityInput {
  scenario: Scenario;
  /** Overrides of the default driver ranges. */
  drivers?: DriverOverride[];
}

/** What the tornado measures at one point. */
export interface DecisionPoint {
  /** Id of the cheapest option (lowest npvCostUsd). */
  decision: string;
  /** Build advantage: NPV of the cheapest non-build option minus that of the cheapest build option, USD (> 0: building wins); or the cheapest NPV when the scenario lacks one side. */
  metricUsd: number;
}

/** One bar of the tornado. */
export interface TornadoBar {
  id: DriverId;
  label: string;
  unit: string;
  source: string;
  mode: "scale" | "absolute";
  /** The scenario's own value (1 for a scale driver). */
  baseValue: number;
  lowValue: number;
  highValue: number;
  low: DecisionPoint;
  high: DecisionPoint;
  /** |metric(high) − metric(low)|, USD: the bar's length. */
  swingUsd: number;
}

/** A value at which a driver changes which option is cheapest. */
export interface BreakEven {
  id: DriverId;
  label: string;
  unit: string;
  /** The driver's value at the switch (a factor for scale drivers), to 1e-6 of its range. */
  value: number;
  /** Cheapest option on the base side, and beyond the break-even. */
  from: string;
  to: string;
  /** In plain words, e.g. "Demand volume (requests per day): below 0.62 (× requests per day), lease-h100 becomes cheaper than own-h100." */
  description: string;
}

/**
 * Break-even utilisation of owning against leasing (a labelled convention, OpenCost's
 * allocation- vs usage-based cost): owning costs `effectiveUsdPerGpuHour(build)` per GPU-hour
 * whether busy or not; paying the lease's price only for busy hours costs
 * `utilisation × effectiveUsdPerGpuHour(lease)`. They are equal at
 * `u* = build $/GPU-h ÷ lease $/GPU-h`.
 */
export interface BreakEvenUtilization {
  buildId: string;
  leaseId: string;
  /** u*, 0–1 (above 1: owning never beats paying the lease's price per busy hour). */
  value: number;
  /** The owned fleet's own average utilisation over the horizon (GPU-weighted), 0–1. */
  averageUtilization: number;
  description: string;
}

export interface SensitivityResult {
  metric: { name: "buildAdvantageUsd" | "cheapestNpvCostUsd"; description: string };
  base: DecisionPoint;
  /** Bars sorted by swing, largest first. */
  tornado: TornadoBar[];
  breakEvens: BreakEven[];
  breakEvenUtilization: BreakEvenUtilization | null;
  /** Evaluations run. */
  evaluations: number;
}

function cheapest(options: OptionResult[], filter: (o: OptionResult) => boolean): OptionResult | undefined {
  let best: OptionResult | undefined;
  for (const option of options)
    if (filter(option) && (best === undefined || option.npvCostUsd < best.npvCostUsd)) best = option;
  return best;
}

/**
 * The decision and metric of one evaluated scenario, among the options in `eligible` (default
 * all; options of a later hardware generation cannot be a pure strategy from the first month).
 */
export function decisionOf(result: EvaluateResult, eligible?: ReadonlySet<string>): DecisionPoint {
  const ok = (o: OptionResult): boolean => eligible === undefined || eligible.has(o.id);
  const best = (cheapest(result.options, ok) ?? cheapest(result.options, () => true)) as OptionResult;
  const build = cheapest(result.options, (o) => ok(o) && o.kind === "build");
  const other = cheapest(result.options, (o) => ok(o) && o.kind !== "build");
  return { decision: best.id, metricUsd: build && other ? other.npvCostUsd - build.npvCostUsd : best.npvCostUsd };
}

/** `decisionOf` on the fast path's figures: the same choices, in the same order, on the option slots. */
function fastDecision(fast: DriverEvaluator, eligible: ReadonlySet<string>): DecisionPoint {
  const options = fast.work.options;
  const cheapestIndex = (filter: (o: ValidatedOption) => boolean): number => {
    let best = -1;
    for (let i = 0; i < options.length; i++)
      if (filter(options[i] as ValidatedOption) && (best < 0 || fast.slot(i).npvCostUsd < fast.slot(best).npvCostUsd))
        best = i;
    return best;
  };
  const ok = (o: ValidatedOption): boolean => eligible.has(o.id);
  let best = cheapestIndex(ok);
  if (best < 0) best = cheapestIndex(() => true);
  const build = cheapestIndex((o) => ok(o) && o.kind === "build");
  const other = cheapestIndex((o) => ok(o) && o.kind !== "build");
  return {
    decision: (options[best] as ValidatedOption).id,
    metricUsd:
      build >= 0 && other >= 0 ? fast.slot(other).npvCostUsd - fast.slot(build).npvCostUsd : fast.slot(best).npvCostUsd,
  };
}

function format(value: number): string {
  return Number(value.toPrecision(3)).toString();
}

/**
 * Runs the tornado and the break-even search.
 *
 * For each driver: evaluate at its low and high value (all else at the scenario's values); the
 * bar is the change of the build advantage (USD NPV). Where the cheapest option at an end
 * differs from the base case, the break-even value is found by bisection between the base
 * value and that end (about 40 evaluations, to 1e-6 of the range; whole months for life).
 * Sources of each range are in `DEFAULT_DRIVERS`.
 *
 * @throws ScenarioError for a scenario `evaluate` rejects; Error for a bad driver override.
 */
export function sensitivity(input: SensitivityInput): SensitivityResult {
  const scenario = input.scenario;
  let evaluations = 0;
  const run = (s: Scenario): EvaluateResult => {
    evaluations++;
    return evaluate(s);
  };
  const eligible = availableAtStart(scenario);
  const baseResult = run(scenario);
  const base = decisionOf(baseResult, eligible);
  const hasBuild = baseResult.options.some((o) => o.kind === "build");
  const hasOther = baseResult.options.some((o) => o.kind !== "build");
  const drivers = resolveDrivers(scenario, input.drivers);

  const fast = fastPathFor(scenario);
  const at = (driver: DriverDefinition, value: number): DecisionPoint => {
    if (fast) {
      fast.reset();
      if (fast.apply(driver.id, value) && fast.run()) {
        evaluations++;
        return fastDecision(fast, eligible);
      }
    }
    return decisionOf(run(applyDriver(scenario, driver.id, value)), eligible);
  };
  const tornado: TornadoBar[] = drivers.map((driver) => {
    const low = at(driver, driver.low);
    const high = at(driver, driver.high);
    return {
      id: driver.id,
      label: driver.label,
      unit: driver.unit,
      source: driver.source,
      mode: driver.mode,
      baseValue: baseValue(driver.id, scenario),
      lowValue: driver.low,
      highValue: driver.high,
      low,
      high,
      swingUsd: Math.abs(high.metricUsd - low.metricUsd),
    };
  });
  tornado.sort((a, b) => b.swingUsd - a.swingUsd);

  const breakEvens: BreakEven[] = [];
  for (const bar of tornado) {
    const driver = drivers.find((d) => d.id === bar.id) as DriverDefinition;
    for (const end of [bar.low, bar.high]) {
      if (end.decision === base.decision) continue;
      const endValue = end === bar.low ? bar.lowValue : bar.highValue;
      let inside = bar.baseValue;
      let outside = endValue;
      let outsideDecision = end.decision;
      const tolerance = Math.abs(endValue - bar.baseValue) * 1e-6;
      for (let i = 0; i < 60 && Math.abs(outside - inside) > Math.max(tolerance, driver.step); i++) {
        let mid = (inside + outside) / 2;
        if (driver.step > 0) mid = Math.round(mid / driver.step) * driver.step;
        if (mid === inside || mid === outside) break;
        const point = at(driver, mid);
        if (point.decision === base.decision) inside = mid;
        else {
          outside = mid;
          outsideDecision = point.decision;
        }
      }
      const direction = endValue < bar.baseValue ? "Below" : "Above";
      breakEvens.push({
        id: bar.id,
        label: bar.label,
        unit: bar.unit,
        value: outside,
        from: base.decision,
        to: outsideDecision,
        description: `${bar.label}: ${direction.toLowerCase()} ${format(outside)} (${bar.unit}), ${outsideDecision} becomes cheaper than ${base.decision}.`,
      });
    }
  }

  let breakEvenUtilization: BreakEvenUtilization | null = null;
  const build = cheapest(baseResult.options, (o) => eligible.has(o.id) && o.kind === "build") as
    BuildOptionResult | undefined;
  const baselineIndex = baseResult.options.findIndex((o) => o.id === (scenario.comparison?.baselineOptionId ?? ""));
  const lease = (
    baselineIndex >= 0 && baseResult.options[baselineIndex]?.kind === "lease"
      ? baseResult.options[baselineIndex]
      : cheapest(baseResult.options, (o) => eligible.has(o.id) && o.kind === "lease")
  ) as LeaseOptionResult | undefined;
  if (build && lease) {
    const value = build.effectiveUsdPerGpuHour / lease.effectiveUsdPerGpuHour;
    let busy = 0;
    let gpus = 0;
    for (const month of build.monthly) {
      busy += month.utilization * month.gpus;
      gpus += month.gpus;
    }
    const averageUtilization = gpus > 0 ? busy / gpus : 0;
    breakEvenUtilization = {
      buildId: build.id,
      leaseId: lease.id,
      value,
      averageUtilization,
      description:
        value >= 1
          ? `Owning ${build.id} costs more per GPU-hour than leasing ${lease.id} even when fully busy.`
          : `Owning ${build.id} beats paying ${lease.id}'s price per busy GPU-hour when the fleet is busy more than ${Math.round(value * 100)}% of the time; this plan keeps it ${Math.round(averageUtilization * 100)}% busy on average.`,
    };
  }

  return {
    metric:
      hasBuild && hasOther
        ? {
            name: "buildAdvantageUsd",
            description:
              "NPV of the cheapest lease or API option minus that of the cheapest build option, USD (positive: building is cheaper)",
          }
        : { name: "cheapestNpvCostUsd", description: "NPV of cost of the cheapest option, USD" },
    base,
    tornado,
    breakEvens,
    breakEvenUtilization,
    evaluations,
  };
}
