/**
 * Benchmark of the optimiser and the Monte Carlo (issue #7): optimise a 5-year scenario with 10
 * SKUs (two hardware generations), 10 cloud offers and an API (target: median under 1 s), and
 * 10,000 Monte Carlo evaluations (target: under 2 s). Prints the figures and the model size.
 *
 * - `npm run bench` runs `optimiseBenchSection` (scripts/bench.ts lists the sections);
 * - `node packages/kernel/bench/optimise.bench.ts [--runs N]` runs `runOptimiserBench` alone.
 */
import { monteCarloSync, optimise, type ModelSize, type OptimiseSettings } from "../src/index.ts";
import { loadHighsNode } from "../src/optimise/load-highs-node.ts";
import type { MilpSolver } from "../src/optimise/solver.ts";
import { optimiserBenchScenario } from "./optimiser-scenario.ts";
import { median, timeMs } from "./timing.ts";

/** Target medians of issue #7, milliseconds. */
export const OPTIMISER_BUDGETS_MS = { optimise: 1000, monteCarlo10k: 2000 } as const;

/** Figures of one standalone run. */
export interface OptimiserBenchFigures {
  model: ModelSize;
  /** Median wall time of `optimise` (plan + the +1 MW re-solve that prices the cap), ms. */
  optimiseMedianMs: number;
  /** Median wall time of `optimise` without the re-solve (`explain: false`), ms. */
  optimiseNoExplainMedianMs: number;
  /** Median wall time of `optimise` with quarterly periods (`explain: false`), ms, and that model's size. */
  quarterlyMedianMs: number;
  quarterlyModel: ModelSize;
  /** Wall time of 10,000 Monte Carlo evaluations, ms (median of the runs). */
  monteCarlo10kMs: number;
  /** What the plan says, to show the benchmark solved a real question. */
  hybridNpvCostUsd: number;
  hybridSource: string;
  powerCapBinds: boolean;
  runs: number;
}

/** Runs each case `runs` times after one warm-up and returns the medians (ms) and the model size. */
export async function runOptimiserBench(runs = 5): Promise<OptimiserBenchFigures> {
  const solver = await loadHighsNode();
  const scenario = optimiserBenchScenario();
  const run = (settings: OptimiseSettings) => optimise({ scenario, solver, settings });
  const result = run({});
  const quarterly = run({ periodMonths: 3, explain: false });
  const full: number[] = [];
  const noExplain: number[] = [];
  const quarter: number[] = [];
  const mc: number[] = [];
  for (let i = 0; i < runs; i++) {
    full.push(timeMs(() => run({})));
    noExplain.push(timeMs(() => run({ explain: false })));
    quarter.push(timeMs(() => run({ periodMonths: 3, explain: false })));
  }
  monteCarloSync({ scenario, samples: 500, seed: 1 });
  for (let i = 0; i < Math.max(1, Math.min(runs, 3)); i++)
    mc.push(timeMs(() => monteCarloSync({ scenario, samples: 10_000, seed: i + 1 })));
  return {
    model: result.model,
    optimiseMedianMs: median(full),
    optimiseNoExplainMedianMs: median(noExplain),
    quarterlyMedianMs: median(quarter),
    quarterlyModel: quarterly.model,
    monteCarlo10kMs: median(mc),
    hybridNpvCostUsd: result.hybrid.npvCostUsd,
    hybridSource: result.hybrid.source,
    powerCapBinds: result.binding.powerCap?.binds ?? false,
    runs,
  };
}

/** A section for scripts/bench.ts (tinybench): cases with their budgets on the median. */
export async function createOptimiseBenchSection(): Promise<{
  title: string;
  cases: { name: string; budgetMedianMs?: number; run: () => void }[];
}> {
  const solver: MilpSolver = await loadHighsNode();
  const scenario = optimiserBenchScenario();
  const size = optimise({ scenario, solver }).model;
  return {
    title: `optimiser (${size.periods} yearly periods, ${size.variables} variables, ${size.integerVariables} integer, ${size.constraints} rows)`,
    cases: [
      {
        name: "optimise 5 yr, 10 SKUs, 10 offers, API (plan + cap price)",
        budgetMedianMs: OPTIMISER_BUDGETS_MS.optimise,
        run: () => void optimise({ scenario, solver }),
      },
      {
        name: "Monte Carlo, 10,000 evaluations",
        budgetMedianMs: OPTIMISER_BUDGETS_MS.monteCarlo10k,
        run: () => void monteCarloSync({ scenario, samples: 10_000, seed: 1 }),
      },
    ],
  };
}

// Standalone: node packages/kernel/bench/optimise.bench.ts [--runs N]
if (import.meta.main) {
  const index = process.argv.indexOf("--runs");
  const runs = index > 0 ? Number(process.argv[index + 1]) : 5;
  if (!Number.isInteger(runs) || runs < 1) {
    console.error(`--runs must be a whole number >= 1, got "${process.argv[index + 1]}"`);
    process.exit(2);
  }
  const figures = await runOptimiserBench(runs);
  const m = figures.model;
  const q = figures.quarterlyModel;
  const status = (value: number, budget: number): string =>
    `${value.toFixed(0)} ms (target < ${budget} ms: ${value < budget ? "met" : "MISSED"})`;
  console.log(
    `optimiser benchmark: 5 years, 10 SKUs (2 generations), 10 cloud offers, 1 API; ${figures.runs} runs, medians`,
  );
  console.log(
    `  model (yearly):     ${m.periods} periods, ${m.variables} variables (${m.integerVariables} integer), ${m.constraints} constraints, ${m.solves} solves, ${m.status}`,
  );
  console.log(`  optimise:           ${status(figures.optimiseMedianMs, OPTIMISER_BUDGETS_MS.optimise)}`);
  console.log(`  optimise, 1 solve:  ${figures.optimiseNoExplainMedianMs.toFixed(0)} ms (explain: false)`);
  console.log(
    `  quarterly, 1 solve: ${figures.quarterlyMedianMs.toFixed(0)} ms; ${q.periods} periods, ${q.variables} variables (${q.integerVariables} integer), ${q.constraints} constraints, ${q.status}`,
  );
  console.log(`  Monte Carlo 10k:    ${status(figures.monteCarlo10kMs, OPTIMISER_BUDGETS_MS.monteCarlo10k)}`);
  console.log(
    `  plan:               ${figures.hybridSource}, NPV ${(figures.hybridNpvCostUsd / 1e6).toFixed(2)} M USD; power cap binds: ${figures.powerCapBinds}`,
  );
}
