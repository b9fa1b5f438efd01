/**
 * The kernel's speed targets (issue #16), measured side by side with another build of the kernel
 * in one run: `npm run bench -- --baseline DIR` loads DIR/packages/kernel/src (e.g. an extracted
 * `git archive` of main) next to this checkout's kernel and times both on the same inputs, so a
 * slowdown shows as a ratio even on a shared, loaded machine where absolute figures are noisy.
 */
import { pathToFileURL } from "node:url";
import { join, resolve } from "node:path";
import type { EvaluateResult, MonteCarloInput, MonteCarloResult, Scenario, SensitivityResult } from "../src/index.ts";
import { benchScenario } from "./evaluate.bench.ts";
import { optimiserBenchScenario } from "./optimiser-scenario.ts";

/** What the targets call: the public API of the kernel, the same in every build since v1. */
export interface KernelUnderTest {
  label: string;
  evaluate: (scenario: Scenario) => EvaluateResult;
  monteCarloSync: (input: MonteCarloInput) => MonteCarloResult;
  sensitivity: (input: { scenario: Scenario }) => SensitivityResult;
}

/** One target of the issue's table: what is measured, the figure before the work, the goal. */
export interface KernelTarget {
  name: string;
  /** Median the issue measured before the work (2-core machine), ms. */
  issueFigureMs: number | null;
  /** Target on the median, ms; null for a case shown for comparison only. */
  targetMedianMs: number | null;
  /** Minimum timed calls (slow cases: few, so a baseline run stays within seconds). */
  iterations: number;
  run: (kernel: KernelUnderTest) => () => void;
}

const fiveYears = benchScenario(5);
const optimiserScenario = optimiserBenchScenario();

/** Targets of issue #16 that concern the kernel, plus the tornado (same fast path, no target). */
export const KERNEL_TARGETS: KernelTarget[] = [
  {
    name: "evaluate, 5 years, 10 options",
    issueFigureMs: 0.3,
    targetMedianMs: 0.1,
    iterations: 200,
    run: (kernel) => () => void kernel.evaluate(fiveYears),
  },
  {
    name: "Monte Carlo, 10,000 evaluations (optimiser scenario)",
    issueFigureMs: 1540,
    targetMedianMs: 500,
    iterations: 5,
    run: (kernel) => () => void kernel.monteCarloSync({ scenario: optimiserScenario, samples: 10_000, seed: 1 }),
  },
  {
    name: "tornado + break-evens, 5 years, 10 options",
    issueFigureMs: null,
    targetMedianMs: null,
    iterations: 20,
    run: (kernel) => () => void kernel.sensitivity({ scenario: fiveYears }),
  },
];

/** This checkout's kernel. */
export async function loadOwnKernel(): Promise<KernelUnderTest> {
  return loadKernelFrom(new URL("../src/", import.meta.url), "this build");
}

/**
 * The kernel of another checkout at `root` (its packages/kernel/src). Only the evaluation and
 * risk modules are imported (no third-party packages), so the checkout needs no node_modules.
 */
export async function loadBaselineKernel(root: string): Promise<KernelUnderTest> {
  const src = pathToFileURL(join(resolve(root), "packages/kernel/src/"));
  return loadKernelFrom(src, `baseline (${root})`);
}

async function loadKernelFrom(src: URL, label: string): Promise<KernelUnderTest> {
  const evaluateModule = (await import(new URL("evaluate.ts", src).href)) as Pick<KernelUnderTest, "evaluate">;
  const risk = (await import(new URL("risk/index.ts", src).href)) as Pick<
    KernelUnderTest,
    "monteCarloSync" | "sensitivity"
  >;
  return {
    label,
    evaluate: evaluateModule.evaluate,
    monteCarloSync: risk.monteCarloSync,
    sensitivity: risk.sensitivity,
  };
}
