// The input and result shapes of `optimise` (moved verbatim from optimise.ts, which re-exports them).
import type { ScenarioIssue } from "../errors.ts";
import type { Scenario } from "../scenario.ts";
import type { OptimiseSettings } from "./context.ts";
import type { FleetMonth } from "./fleet.ts";
import type { MilpPeriodDecision } from "./model.ts";
import type { MilpSolver } from "./solver.ts";
import type { WorkBudget } from "./budget.ts";
import type { StrategySummary } from "./strategies.ts";

/** Input of `optimise`. */
export interface OptimiseInput {
  /** The scenario (cost-model.md), numbers inline. Build/lease/api options may carry `availableFrom: "YYYY-MM"`. */
  scenario: Scenario;
  /** An initialised HiGHS instance (`await highsLoader(...)` from package `highs`), injected by the caller. */
  solver: MilpSolver;
  settings?: OptimiseSettings;
  /**
   * A work budget (counts, no clock; `budget.ts`): per-solve node, leaf and simplex-iteration
   * limits sized from the model, a cap on solves, and an admission limit on the model's size.
   * Absent: no limits beyond `settings.timeLimitSeconds` (the CLI and the web app's Web Worker).
   */
  budget?: WorkBudget;
}

/** One period of the recommended plan (the plan timeline). */
export interface HybridPeriod {
  /** First calendar month "YYYY-MM". */
  start: string;
  months: number;
  /** Highest facility power of owned servers in the period, kW (IT × PUE at full load). */
  facilityKw: number;
  /** Highest GPUs running, owned + leased. */
  gpus: number;
  ownedGpus: number;
  leasedGpus: number;
  /** Servers bought in the period per build option id (as the months needed them). */
  buy: Record<string, number>;
  /** Servers sold in the period per build option id (end of life or early). */
  retire: Record<string, number>;
  /** Of `retire`, sold before the end of their life. */
  retireEarly: Record<string, number>;
  /** Servers owned at the end of the period per build option id. */
  servers: Record<string, number>;
  /** Highest instances leased in a month of the period, per lease option id. */
  lease: Record<string, number>;
  /** Share of requests sent to the API (average over the period's months), 0–1. */
  apiShare: number;
  capexUsd: number;
  /** Cash paid in the period: capex − resale + operating costs, USD. */
  cashUsd: number;
  /** Present value of the period's cash at plan start (last period: net of the horizon residual), USD. */
  npvCostUsd: number;
}

/** What binds in the plan, and what relaxing it is worth. */
export interface BindingConstraints {
  powerCap: null | {
    capKw: number;
    binds: boolean;
    /** First calendar month of the first period where the cap binds; null when it does not. */
    bindsFrom: string | null;
    /** NPV saved over the horizon by one more MW of facility power (MILP objective, USD); 0 when it does not bind. */
    savingsPerMwUsd: number;
    /** Highest planned facility power, kW. */
    peakPlannedKw: number;
  };
  capexBudget: null | {
    /** Plan years (1-based) whose purchases use the whole budget. */
    bindingYears: number[];
    /** NPV saved if there were no budget (MILP objective, USD); null when not computed. */
    savingsWithoutBudgetUsd: number | null;
  };
  /** Paths whose share limit is reached, with the periods where it is. */
  shares: { path: "build" | "lease" | "api"; limit: number; periods: string[] }[];
}

/** Size of the MILP and how it was solved (no timings: the kernel has no clock; the bench measures them). */
export interface ModelSize {
  periods: number;
  periodMonths: number;
  variables: number;
  integerVariables: number;
  constraints: number;
  /** Solves run: the plan, plus re-solves to price the power cap and budget. */
  solves: number;
  /**
   * "optimal"; "feasible" when a time limit stopped the solver with a plan not proven optimal;
   * "timeout" or "infeasible" when the period model gave no plan and a single strategy was recommended.
   */
  status: "optimal" | "feasible" | "timeout" | "infeasible";
  /**
   * The work budget the solves ran under (absent without one): per-solve limits, the solve cap,
   * and what stopped the plan's solve early (null: nothing, the solver finished).
   */
  budget?: {
    nodesPerSolve: number;
    leavesPerSolve: number;
    simplexIterationsPerSolve: number;
    maxSolves: number;
    stoppedBy: string | null;
  };
}

/** Result of `optimise`. */
export interface OptimiseResult {
  kernelVersion: string;
  scenarioName: string;
  startMonth: string;
  horizonMonths: number;
  /** Every strategy compared: each pure build (per SKU), lease, API, the best "own the base, lease the peak", and the optimal hybrid. */
  strategies: StrategySummary[];
  /** Ids of the cheapest feasible pure build, pure lease and pure strategy overall (null when none). */
  best: { build: string | null; lease: string | null; api: string | null; pure: string | null };
  hybrid: {
    /** Where the recommended plan comes from: "milp" (the solver's plan), else the id of the cheaper strategy it fell back to. */
    source: string;
    npvCostUsd: number;
    tcoUsd: number;
    residualUsd: number;
    lcotUsdPerMillionTokens: number;
    lcotUsdPerMillionOutputTokens: number;
    effectiveUsdPerGpuHour: number | null;
    /** NPV of the best feasible pure strategy minus the hybrid's, USD (>= 0). */
    savingsVsBestPureUsd: number | null;
    /** Against the scenario's comparison baseline (default: the first lease option). */
    comparison: null | { baselineOptionId: string; npvSavingsUsd: number; paybackMonths: number | null };
    /** The solver's plan evaluated month by month, even when it is not the recommendation; null when the solver found none. */
    milpNpvCostUsd: number | null;
    /** The solver's own estimate of the plan's NPV (its objective), USD; null when it found none. */
    milpObjectiveUsd: number | null;
    periods: HybridPeriod[];
    /** The solver's per-period decisions (planned counts; the monthly plan buys as the months need). */
    decisions: MilpPeriodDecision[];
    monthly: FleetMonth[];
    powerCapExceededMonths: number[];
  };
  binding: BindingConstraints;
  /** What binds and why, in plain words a CFO reads. */
  explanation: string[];
  model: ModelSize;
  /**
   * True when the solver proved its plan the cheapest under the period model; false when a
   * limit (the work budget or the time limit) stopped it first, or it found no plan and a
   * single strategy is recommended. `explanation` says why. Always set by `optimise`; optional
   * because results stored before it existed lack it.
   */
  optimal?: boolean;
  warnings: ScenarioIssue[];
}
