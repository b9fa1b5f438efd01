/**
 * Monte Carlo over the drivers: each sample draws every driver from its stated distribution
 * (seeded xoshiro128**), evaluates the scenario with the cost model, and records levelised costs,
 * the NPV saving and payback of building against leasing, and which option is cheapest.
 * The same seed gives the same figures on every platform.
 *
 * Samples run on the fast path (fast-path.ts): the reduced scenario is validated once and each
 * sample writes only its drawn drivers into a working copy evaluated by the allocation-free core;
 * a sample the fast path cannot decide (a drawn value outside a rule) takes the reference path,
 * `applyDriver` + `evaluate`, so figures are identical to evaluating every sample in full.
 */
import { paybackOf } from "../core.ts";
import { ScenarioError } from "../errors.ts";
import { evaluate } from "../evaluate.ts";
import type { BuildOptionResult, OptionResult } from "../result.ts";
import type { Scenario } from "../scenario.ts";
import { fastPathFor, type DriverEvaluator } from "./fast-path.ts";
import {
  applyDriver,
  availableAtStart,
  baseValue,
  resolveDrivers,
  type DriverDefinition,
  type DriverId,
  type DriverOverride,
} from "./drivers.ts";
import { createRandom, quantileSorted, triangular, type Random } from "./random.ts";

/** Input of `monteCarlo`. */
export interface MonteCarloInput {
  scenario: Scenario;
  /** Number of samples, 1 – 1,000,000. */
  samples: number;
  /** Seed of the generator (a whole number). */
  seed: number;
  /** Overrides of the default driver ranges. */
  drivers?: DriverOverride[];
  /**
   * Option ids to evaluate in each sample. Default: the base case's cheapest build, cheapest
   * lease and cheapest API option (what the comparison needs; fewer options, faster samples).
   */
  optionIds?: string[];
}

/** Progress, cancellation and yielding, for a Web Worker with a progress bar and a cancel button. */
export interface MonteCarloControl {
  /** Called after every chunk of samples. */
  onProgress?: (progress: { done: number; total: number }) => void;
  /** Checked between chunks; when `aborted` is true the run stops with a `MonteCarloCancelledError`. */
  signal?: { readonly aborted: boolean };
  /** Samples per chunk (default: 1% of the samples, at least 1). */
  chunkSize?: number;
  /**
   * Awaited after every chunk so the host can deliver messages (a cancel) and paint progress,
   * e.g. `() => new Promise((resolve) => setTimeout(resolve, 0))` in a Web Worker. The kernel has
   * no timers of its own.
   */
  yieldToHost?: () => Promise<void>;
}

/** Thrown when a run is cancelled through `signal`. */
export class MonteCarloCancelledError extends Error {
  readonly done: number;
  constructor(done: number) {
    super(`Monte Carlo cancelled after ${done} samples`);
    this.name = "AbortError";
    this.done = done;
  }
}

/** P10 / P50 / P90 and mean of a figure over the samples. */
export interface Percentiles {
  p10: number;
  p50: number;
  p90: number;
  mean: number;
}

/** A driver as sampled. */
export interface SampledDriver {
  id: DriverId;
  label: string;
  distribution: "log-triangular" | "triangular";
  low: number;
  mode: number;
  high: number;
  unit: string;
  source: string;
}

export interface MonteCarloResult {
  samples: number;
  seed: number;
  /** Samples the core rejected as infeasible (e.g. a drawn value outside a rule); excluded from the figures. */
  failedSamples: number;
  drivers: SampledDriver[];
  /** Options evaluated per sample. */
  optionIds: string[];
  /** Levelised cost per option, USD per million tokens. */
  lcotUsdPerMillionTokens: Record<string, Percentiles>;
  /** Share of samples in which each option is the cheapest (NPV), 0–1. */
  probabilityCheapest: Record<string, number>;
  /** The build and lease options compared (the base case's cheapest of each), or null when one is missing. */
  comparison: null | {
    buildId: string;
    leaseId: string;
    /** NPV(lease) − NPV(build), USD. */
    npvSavingsUsd: Percentiles;
    /** Payback of building against leasing, months; null in a percentile where payback does not happen within the horizon. */
    paybackMonths: { p10: number | null; p50: number | null; p90: number | null; neverShare: number };
    /** Share of samples in which building costs less than leasing (NPV), 0–1. */
    probabilityBuildBeatsLease: number;
  };
}

const MAX_SAMPLES = 1_000_000;

function percentiles(values: Float64Array): Percentiles {
  const sorted = Float64Array.from(values).sort();
  let total = 0;
  for (const v of sorted) total += v;
  return {
    p10: quantileSorted(sorted, 0.1),
    p50: quantileSorted(sorted, 0.5),
    p90: quantileSorted(sorted, 0.9),
    mean: total / sorted.length,
  };
}

/** Draws one value of a driver: log-triangular for scale drivers, triangular for absolute ones. */
export function sampleDriver(random: Random, driver: SampledDriver): number {
  if (driver.distribution === "log-triangular")
    return Math.exp(triangular(random, Math.log(driver.low), Math.log(driver.mode), Math.log(driver.high)));
  return triangular(random, driver.low, driver.mode, driver.high);
}

interface Prepared {
  scenario: Scenario;
  drivers: SampledDriver[];
  optionIds: string[];
  buildId: string | null;
  leaseId: string | null;
  /** The fast path on the reduced scenario, or null when it does not validate (every sample then takes the reference path). */
  fast: DriverEvaluator | null;
}

function prepare(input: MonteCarloInput): Prepared {
  const { scenario } = input;
  if (!Number.isInteger(input.samples) || input.samples < 1 || input.samples > MAX_SAMPLES) {
    throw new ScenarioError("invalid", [
      {
        path: "samples",
        message: `expected a whole number between 1 and ${MAX_SAMPLES}, got ${String(input.samples)}`,
      },
    ]);
  }
  if (!Number.isSafeInteger(input.seed))
    throw new ScenarioError("invalid", [
      { path: "seed", message: `expected a whole number, got ${String(input.seed)}` },
    ]);
  const base = evaluate(scenario);
  const eligible = availableAtStart(scenario);
  const cheapestOf = (kind: string): OptionResult | undefined =>
    base.options.filter((o) => o.kind === kind && eligible.has(o.id)).sort((a, b) => a.npvCostUsd - b.npvCostUsd)[0];
  let optionIds = input.optionIds;
  if (optionIds === undefined) {
    optionIds = ["build", "lease", "api"].map((k) => cheapestOf(k)?.id).filter((id): id is string => id !== undefined);
  } else {
    optionIds.forEach((id, i) => {
      if (!scenario.options.some((o) => o.id === id))
        throw new ScenarioError("invalid", [
          { path: `optionIds.${i}`, message: `no option has the id ${JSON.stringify(id)}` },
        ]);
    });
  }
  const kept = scenario.options.filter((o) => optionIds.includes(o.id));
  const buildId =
    kept
      .filter((o) => o.kind === "build")
      .map((o) => o.id)
      .sort(
        (a, b) =>
          (base.options.find((o) => o.id === a)?.npvCostUsd ?? 0) -
          (base.options.find((o) => o.id === b)?.npvCostUsd ?? 0),
      )[0] ?? null;
  const leaseId =
    kept
      .filter((o) => o.kind === "lease")
      .map((o) => o.id)
      .sort(
        (a, b) =>
          (base.options.find((o) => o.id === a)?.npvCostUsd ?? 0) -
          (base.options.find((o) => o.id === b)?.npvCostUsd ?? 0),
      )[0] ?? null;
  const reduced: Scenario = {
    ...scenario,
    options: kept,
    ...(leaseId ? { comparison: { baselineOptionId: leaseId } } : {}),
  };
  if (!leaseId) delete (reduced as { comparison?: unknown }).comparison;
  const drivers = resolveDrivers(reduced, input.drivers).map((d: DriverDefinition) => ({
    id: d.id,
    label: d.label,
    distribution: d.distribution,
    low: d.low,
    mode: d.mode === "scale" ? 1 : baseValue(d.id, reduced),
    high: d.high,
    unit: d.unit,
    source: d.source,
  }));
  return { scenario: reduced, drivers, optionIds, buildId, leaseId, fast: fastPathFor(reduced) };
}

/**
 * Runs the Monte Carlo (see `MonteCarloInput` and the module comment).
 *
 * Figures: per option P10/P50/P90 and mean of `lcotUsdPerMillionTokens` (USD per million
 * tokens); for the base case's cheapest build against its cheapest lease, `npvSavingsUsd =
 * NPV(lease) − NPV(build)` (USD), payback in months (cost-model.md "Comparisons") and the share
 * of samples where building is cheaper. Percentiles interpolate linearly between order
 * statistics (type 7).
 *
 * @throws ScenarioError `invalid` for bad samples, seed or option ids, or a scenario `evaluate`
 *   rejects; `MonteCarloCancelledError` when `control.signal.aborted` turns true.
 */
export async function monteCarlo(input: MonteCarloInput, control: MonteCarloControl = {}): Promise<MonteCarloResult> {
  const prepared = prepare(input);
  const total = input.samples;
  const chunk = Math.max(1, Math.floor(control.chunkSize ?? total / 100));
  const state = startRun(prepared, input);
  while (state.done < total) {
    if (control.signal?.aborted) throw new MonteCarloCancelledError(state.done);
    runChunk(state, Math.min(total, state.done + chunk));
    control.onProgress?.({ done: state.done, total });
    if (control.yieldToHost && state.done < total) await control.yieldToHost();
  }
  return finish(state);
}

/** The same run, synchronously (CLI, API, benchmarks): no progress, no cancel. */
export function monteCarloSync(input: MonteCarloInput): MonteCarloResult {
  const state = startRun(prepare(input), input);
  runChunk(state, input.samples);
  return finish(state);
}

interface RunState {
  prepared: Prepared;
  input: MonteCarloInput;
  random: Random;
  done: number;
  ok: number;
  failed: number;
  lcot: Map<string, Float64Array>;
  cheapestCount: Map<string, number>;
  savings: Float64Array;
  payback: Float64Array;
  buildWins: number;
  /** The drawn values of the current sample, one per driver. */
  values: Float64Array;
  /** Per option of the reduced scenario: its lcot column, or null when not reported. */
  lcotByIndex: (Float64Array | null)[];
  cheapestByIndex: Int32Array;
  buildIndex: number;
  leaseIndex: number;
}

function startRun(prepared: Prepared, input: MonteCarloInput): RunState {
  const n = input.samples;
  return {
    prepared,
    input,
    random: createRandom(input.seed),
    done: 0,
    ok: 0,
    failed: 0,
    lcot: new Map(prepared.optionIds.map((id) => [id, new Float64Array(n)])),
    cheapestCount: new Map(prepared.optionIds.map((id) => [id, 0])),
    savings: new Float64Array(n),
    payback: new Float64Array(n),
    buildWins: 0,
    values: new Float64Array(prepared.drivers.length),
    lcotByIndex: [],
    cheapestByIndex: new Int32Array(prepared.scenario.options.length),
    buildIndex: prepared.scenario.options.findIndex((o) => o.id === prepared.buildId),
    leaseIndex: prepared.scenario.options.findIndex((o) => o.id === prepared.leaseId),
  };
}

function runChunk(state: RunState, until: number): void {
  const { prepared, random } = state;
  const { drivers, fast } = prepared;
  const values = state.values;
  if (state.lcotByIndex.length === 0)
    state.lcotByIndex = prepared.scenario.options.map((o) => state.lcot.get(o.id) ?? null);
  for (; state.done < until; state.done++) {
    // Every driver is drawn for every sample, in a fixed order, so a sample's draws do not depend on earlier failures.
    let fastOk = fast !== null;
    for (let d = 0; d < drivers.length; d++) {
      const driver = drivers[d] as SampledDriver;
      const value = sampleDriver(random, driver);
      values[d] = value;
      if (fastOk) fastOk = (fast as DriverEvaluator).apply(driver.id, value);
    }
    if (fastOk && (fast as DriverEvaluator).run()) recordFast(state, fast as DriverEvaluator);
    else if (fastOk)
      state.failed++; // figures beyond float64: `evaluate` rejects the sample as infeasible
    else recordReference(state);
  }
}

/** Records a sample evaluated on the fast path: the same figures `recordReference` reads from `evaluate`. */
function recordFast(state: RunState, fast: DriverEvaluator): void {
  const i = state.ok++;
  const count = fast.work.options.length;
  let best = -1;
  let bestNpv = 0;
  for (let k = 0; k < count; k++) {
    const slot = fast.slot(k);
    const lcot = state.lcotByIndex[k];
    if (lcot) lcot[i] = slot.lcotUsdPerMillionTokens;
    if (best < 0 || slot.npvCostUsd < bestNpv) {
      best = k;
      bestNpv = slot.npvCostUsd;
    }
  }
  if (best >= 0) state.cheapestByIndex[best] = (state.cheapestByIndex[best] as number) + 1;
  if (state.buildIndex >= 0 && state.leaseIndex >= 0) {
    const build = fast.slot(state.buildIndex);
    const lease = fast.slot(state.leaseIndex);
    const saving = lease.npvCostUsd - build.npvCostUsd;
    state.savings[i] = saving;
    if (saving > 0) state.buildWins++;
    state.payback[i] = paybackOf(lease, build, fast.work.months) ?? Number.POSITIVE_INFINITY;
  }
}

/** The reference path for one sample: the drawn values applied to the scenario, then a full `evaluate`. */
function recordReference(state: RunState): void {
  const { prepared } = state;
  let scenario = prepared.scenario;
  prepared.drivers.forEach((driver, d) => {
    scenario = applyDriver(scenario, driver.id, state.values[d] as number);
  });
  let result;
  try {
    result = evaluate(scenario);
  } catch (error) {
    if (error instanceof ScenarioError) {
      state.failed++;
      return;
    }
    throw error;
  }
  const i = state.ok++;
  let best = -1;
  result.options.forEach((option, k) => {
    (state.lcot.get(option.id) as Float64Array)[i] = option.lcotUsdPerMillionTokens;
    if (best < 0 || option.npvCostUsd < (result.options[best] as OptionResult).npvCostUsd) best = k;
  });
  if (best >= 0) state.cheapestByIndex[best] = (state.cheapestByIndex[best] as number) + 1;
  if (prepared.buildId && prepared.leaseId) {
    const build = result.options.find((o) => o.id === prepared.buildId) as BuildOptionResult;
    const lease = result.options.find((o) => o.id === prepared.leaseId) as OptionResult;
    const saving = lease.npvCostUsd - build.npvCostUsd;
    state.savings[i] = saving;
    if (saving > 0) state.buildWins++;
    const comparison = result.comparisons.find((c) => c.optionId === prepared.buildId);
    state.payback[i] = comparison?.paybackMonths ?? Number.POSITIVE_INFINITY;
  }
}

function finish(state: RunState): MonteCarloResult {
  const { prepared, ok } = state;
  if (ok === 0) {
    throw new ScenarioError("infeasible", [
      {
        path: "drivers",
        message: `all ${state.done} samples were rejected by the cost model; narrow the driver ranges`,
      },
    ]);
  }
  const lcotUsdPerMillionTokens: Record<string, Percentiles> = {};
  for (const [id, values] of state.lcot) lcotUsdPerMillionTokens[id] = percentiles(values.subarray(0, ok));
  const probabilityCheapest: Record<string, number> = {};
  prepared.scenario.options.forEach((option, k) => {
    if (state.cheapestCount.has(option.id))
      state.cheapestCount.set(
        option.id,
        (state.cheapestCount.get(option.id) as number) + (state.cheapestByIndex[k] as number),
      );
  });
  for (const [id, count] of state.cheapestCount) probabilityCheapest[id] = count / ok;
  let comparison: MonteCarloResult["comparison"] = null;
  if (prepared.buildId && prepared.leaseId) {
    const payback = Float64Array.from(state.payback.subarray(0, ok)).sort();
    const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);
    let never = 0;
    for (const x of payback) if (!Number.isFinite(x)) never++;
    comparison = {
      buildId: prepared.buildId,
      leaseId: prepared.leaseId,
      npvSavingsUsd: percentiles(state.savings.subarray(0, ok)),
      paybackMonths: {
        p10: finite(quantileSorted(payback, 0.1)),
        p50: finite(quantileSorted(payback, 0.5)),
        p90: finite(quantileSorted(payback, 0.9)),
        neverShare: never / ok,
      },
      probabilityBuildBeatsLease: state.buildWins / ok,
    };
  }
  return {
    samples: state.done,
    seed: state.input.seed,
    failedSamples: state.failed,
    drivers: prepared.drivers,
    optionIds: prepared.optionIds,
    lcotUsdPerMillionTokens,
    probabilityCheapest,
    comparison,
  };
}
