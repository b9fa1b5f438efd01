/**
 * The numerical fit behind `calibratePerformance`: the parameter layout, the physics residual,
 * ridge-regressed accelerator / model / source effects and the Nelder–Mead search.
 */
import { workloadCost, type PerfParams } from "./perf-model.ts";
import { stackCurvePoint, type ServingStack } from "./stack.ts";
import {
  RIDGE_PSEUDO_OBSERVATIONS,
  MLPERF_OUTPUT_TOKENS,
  MLPERF_INPUT_TOKENS,
  FEATURE_RIDGE,
  GLOBAL_COUNT,
  MODEL_FEATURES,
  type Observation,
  type PerfCalibration,
} from "./calibration-keys.ts";

/** Parameter vector ↔ named values (all positive, optimised in log space). */
export interface Layout {
  benchmarks: string[];
  outputFitted: string[];
  /** Stack families with observations: one fitted per-layer latency each. */
  stacks: ServingStack[];
  /** Whether any observation used multi-token prediction (then its tokens per step is fitted). */
  mtp: boolean;
  /** Prompt datasets with observations: one fitted mean prompt length each (last in the vector). */
  datasets: string[];
}

/** What the parameter vector holds beyond `PerfParams` and the dataset lengths. */
interface StackFit {
  layerLatencyUs: Partial<Record<ServingStack, number>>;
  perTokenUs: Partial<Record<ServingStack, number>>;
  mtpTokensPerStep: number;
}

export function unpack(
  x: readonly number[],
  layout: Layout,
): {
  params: PerfParams;
  lengths: PerfCalibration["benchmarkLengths"];
  stacks: StackFit;
  datasetInputs: PerfCalibration["datasetInputTokens"];
} {
  const e = x.map(Math.exp);
  const params: PerfParams = {
    bandwidthEfficiency: Math.min(e[0]!, 1),
    computeEfficiency: Math.min(e[1]!, 1),
    prefillEfficiency: Math.min(e[2]!, 1),
    stepOverheadMs: e[3]!,
    collectiveLatencyUs: e[4]!,
    perTokenOverheadUs: e[5]!,
  };
  const lengths: PerfCalibration["benchmarkLengths"] = {};
  let index = 6;
  for (const benchmark of layout.benchmarks) {
    // Bounds: a chat/summarisation/reasoning dataset's mean prompt is 100–32k tokens, its mean
    // answer 64–4k; outside them the fit would trade lengths against the model factor.
    const knownInput = MLPERF_INPUT_TOKENS[benchmark] ?? null;
    const input = knownInput ?? Math.min(Math.max(e[index++]!, 100), 32768);
    const known = MLPERF_OUTPUT_TOKENS[benchmark] ?? null;
    const output = known ?? Math.min(Math.max(e[index++]!, 64), 4096);
    lengths[benchmark] = { input, output, outputFitted: known === null, inputFitted: knownInput === null };
  }
  // Per-layer step latency per stack: 0.01–2,000 µs (a launch is ~2–5 µs; a layer runs 5–30 kernels).
  const stacks: StackFit = { layerLatencyUs: {}, perTokenUs: {}, mtpTokensPerStep: 1 };
  for (const stack of layout.stacks) {
    stacks.layerLatencyUs[stack] = Math.min(Math.max(e[index++]!, 0.01), 2000);
    // Per-token overhead per stack: 0.1–1,000 µs per token on one GPU.
    stacks.perTokenUs[stack] = Math.min(Math.max(e[index++]!, 0.1), 1000);
  }
  // Tokens per step with multi-token prediction: 1 (no draft accepted) to 3 (two of two accepted, plus one).
  if (layout.mtp) stacks.mtpTokensPerStep = Math.min(Math.max(e[index++]!, 1), 3);
  // Mean prompt of a chat or question dataset: 16–32k tokens.
  const datasetInputs: PerfCalibration["datasetInputTokens"] = {};
  for (const name of layout.datasets) datasetInputs[name] = Math.min(Math.max(e[index++]!, 16), 32768);
  return { params, lengths, stacks, datasetInputs };
}

/** Residual of one observation at θ (ln measured − ln physics); large when the physics has no answer. */
export function physicsResidual(
  o: Observation,
  params: PerfParams,
  lengths: PerfCalibration["benchmarkLengths"],
  stacks: StackFit,
  datasetInputs: PerfCalibration["datasetInputTokens"],
): number {
  const l = o.lengths ?? datasetLengths(o, datasetInputs) ?? (o.benchmark ? lengths[o.benchmark] : undefined);
  if (!l) return 0;
  const cost = workloadCost(o.architecture, o.family, l.input, l.output);
  const point = stackCurvePoint(o.chip, cost, params, o.interactivity, {
    layerStepLatencyUs: stacks.layerLatencyUs[o.stack] ?? 0,
    tokensPerStep: o.mtp ? stacks.mtpTokensPerStep : 1,
    perTokenOverheadUs: stacks.perTokenUs[o.stack] ?? params.perTokenOverheadUs,
    disaggregated: o.disaggregated,
    concurrencyPerGpu: o.concurrencyPerGpu,
  });
  return point === null ? 3 : o.lnMeasured - Math.log(point.outputTokensPerSecondPerGpu);
}

/** A prompt-dataset observation's lengths: the dataset's fitted mean prompt, the run's own mean output. */
export function datasetLengths(
  o: Pick<Observation, "dataset">,
  datasetInputs: PerfCalibration["datasetInputTokens"],
): { input: number; output: number } | undefined {
  const input = o.dataset ? datasetInputs[o.dataset.name] : undefined;
  return input === undefined || !o.dataset ? undefined : { input, output: o.dataset.outputTokens };
}

interface Effects {
  accelerator: Map<string, number>;
  model: Map<string, number>;
  source: Map<string, number>;
  coefficients: number[];
}

/** Weighted ridge regression of y on the rows of X (no intercept), solved by Gaussian elimination. */
function ridgeRegression(
  rows: readonly number[][],
  y: readonly number[],
  weights: readonly number[],
  ridge: number,
): number[] {
  const k = rows[0]?.length ?? 0;
  const a = Array.from({ length: k }, (_, i) => Array.from({ length: k }, (_, j) => (i === j ? ridge : 0)));
  const b = new Array<number>(k).fill(0);
  rows.forEach((x, n) => {
    for (let i = 0; i < k; i++) {
      b[i]! += weights[n]! * x[i]! * y[n]!;
      for (let j = 0; j < k; j++) a[i]![j]! += weights[n]! * x[i]! * x[j]!;
    }
  });
  for (let i = 0; i < k; i++) {
    const pivot = a[i]![i]!;
    for (let r = i + 1; r < k; r++) {
      const f = a[r]![i]! / pivot;
      for (let c = i; c < k; c++) a[r]![c]! -= f * a[i]![c]!;
      b[r]! -= f * b[i]!;
    }
  }
  const x = new Array<number>(k).fill(0);
  for (let i = k - 1; i >= 0; i--) {
    let sum = b[i]!;
    for (let c = i + 1; c < k; c++) sum -= a[i]![c]! * x[c]!;
    x[i] = sum / a[i]![i]!;
  }
  return x;
}

const dot = (a: readonly number[], b: readonly number[]) => a.reduce((sum, v, i) => sum + v * b[i]!, 0);

/** Backfitting of the additive effects on residuals e (weighted, ridge toward 0). */
export function fitEffects(
  obs: readonly Observation[],
  residuals: readonly number[],
): { effects: Effects; sse: number } {
  const effects: Effects = {
    accelerator: new Map(),
    model: new Map(),
    source: new Map(),
    coefficients: MODEL_FEATURES.map(() => 0),
  };
  const get = (map: Map<string, number>, key: string) => map.get(key) ?? 0;
  const fitted = (o: Observation, skip: keyof Effects | null) =>
    (skip === "accelerator" ? 0 : get(effects.accelerator, o.accelerator)) +
    (skip === "model" ? 0 : get(effects.model, o.signature)) +
    (skip === "source" ? 0 : get(effects.source, o.level)) +
    (skip === "coefficients" ? 0 : dot(effects.coefficients, o.features));
  const maps: [Exclude<keyof Effects, "coefficients">, (o: Observation) => string][] = [
    ["accelerator", (o) => o.accelerator],
    ["model", (o) => o.signature],
    ["source", (o) => o.level],
  ];
  for (let sweep = 0; sweep < 30; sweep++) {
    let change = 0;
    // The features first: the per-model factor only keeps what they cannot explain.
    const partial = obs.map((o, i) => residuals[i]! - fitted(o, "coefficients"));
    const next = ridgeRegression(
      obs.map((o) => o.features),
      partial,
      obs.map((o) => o.weight),
      FEATURE_RIDGE,
    );
    next.forEach((value, i) => {
      change = Math.max(change, Math.abs(value - effects.coefficients[i]!));
      effects.coefficients[i] = value;
    });
    for (const [name, keyOf] of maps) {
      const sums = new Map<string, { sum: number; weight: number }>();
      obs.forEach((o, i) => {
        const rest = residuals[i]! - fitted(o, name);
        const entry = sums.get(keyOf(o)) ?? { sum: 0, weight: 0 };
        entry.sum += o.weight * rest;
        entry.weight += o.weight;
        sums.set(keyOf(o), entry);
      });
      for (const [key, { sum, weight }] of sums) {
        // The model factor is what a model never measured cannot borrow: a stronger ridge keeps
        // what its features explain in the shared coefficients.
        const ridge = name === "model" ? 4 * RIDGE_PSEUDO_OBSERVATIONS : RIDGE_PSEUDO_OBSERVATIONS;
        const value = sum / (weight + ridge);
        change = Math.max(change, Math.abs(value - get(effects[name], key)));
        effects[name].set(key, value);
      }
    }
    if (change < 1e-6) break;
  }
  let sse = 0;
  obs.forEach((o, i) => {
    sse += o.weight * (residuals[i]! - fitted(o, null)) ** 2;
  });
  return { effects, sse };
}

/** Nelder–Mead minimisation (deterministic; standard coefficients). */
export function nelderMead(f: (x: number[]) => number, start: number[], step: number, iterations: number): number[] {
  const n = start.length;
  let simplex = [start, ...start.map((_, i) => start.map((v, j) => (i === j ? v + step : v)))];
  let values = simplex.map(f);
  for (let it = 0; it < iterations; it++) {
    const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
    simplex = order.map(([, i]) => simplex[i]!);
    values = order.map(([v]) => v);
    const centroid = start.map((_, j) => simplex.slice(0, n).reduce((s, p) => s + p[j]!, 0) / n);
    const worst = simplex[n]!;
    const along = (t: number) => centroid.map((c, j) => c + t * (worst[j]! - c));
    const reflected = along(-1);
    const fr = f(reflected);
    if (fr < values[0]!) {
      const expanded = along(-2);
      const fe = f(expanded);
      [simplex[n], values[n]] = fe < fr ? [expanded, fe] : [reflected, fr];
    } else if (fr < values[n - 1]!) {
      [simplex[n], values[n]] = [reflected, fr];
    } else {
      const contracted = along(0.5);
      const fc = f(contracted);
      if (fc < values[n]!) [simplex[n], values[n]] = [contracted, fc];
      else {
        for (let i = 1; i <= n; i++) {
          simplex[i] = simplex[i]!.map((v, j) => simplex[0]![j]! + 0.5 * (v - simplex[0]![j]!));
          values[i] = f(simplex[i]!);
        }
      }
    }
    if (Math.abs(values[n]! - values[0]!) < 1e-9) break;
  }
  return simplex[values.indexOf(Math.min(...values))]!;
}

/** The parameter vector of a calibration (for a warm start), missing entries from `fallback`. */
export function vectorOf(calibration: PerfCalibration, layout: Layout, fallback: number[]): number[] {
  const p = calibration.params;
  const x = [
    p.bandwidthEfficiency,
    p.computeEfficiency,
    p.prefillEfficiency,
    p.stepOverheadMs,
    p.collectiveLatencyUs,
    p.perTokenOverheadUs,
  ].map(Math.log);
  let index = GLOBAL_COUNT;
  for (const benchmark of layout.benchmarks) {
    const fitted = calibration.benchmarkLengths[benchmark];
    if (MLPERF_INPUT_TOKENS[benchmark] == null) {
      x.push(fitted ? Math.log(fitted.input) : fallback[index]!);
      index++;
    }
    if (MLPERF_OUTPUT_TOKENS[benchmark] == null) {
      x.push(fitted ? Math.log(fitted.output) : fallback[index]!);
      index++;
    }
  }
  for (const stack of layout.stacks) {
    const fitted = calibration.stackLayerLatencyUs?.[stack];
    x.push(fitted !== undefined ? Math.log(fitted) : fallback[index]!);
    index++;
    const perToken = calibration.stackPerTokenUs?.[stack];
    x.push(perToken !== undefined ? Math.log(perToken) : fallback[index]!);
    index++;
  }
  if (layout.mtp) {
    x.push(calibration.mtpTokensPerStep ? Math.log(calibration.mtpTokensPerStep) : fallback[index]!);
    index++;
  }
  for (const name of layout.datasets) {
    const fitted = calibration.datasetInputTokens?.[name];
    x.push(fitted !== undefined ? Math.log(fitted) : fallback[index]!);
    index++;
  }
  return x;
}
