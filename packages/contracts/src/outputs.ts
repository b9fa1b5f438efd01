/**
 * Wire schemas of what the planner answers: an evaluation, an optimised plan and a risk analysis,
 * each with the provenance of the catalog figures it used (`usedFigures`, the price-book
 * version). The provenance fields are *extra* fields beside the kernel's result: the cost-model
 * fields are the kernel's, unchanged. Every schema is strict and checked against the kernel's
 * type in both directions at compile time.
 */
import type { MonteCarloResult, OptimiseResult, SensitivityResult, EvaluateResult } from "@aifp/kernel";
import type { UsedFigure } from "@aifp/catalog";
import * as v from "valibot";
import { EvaluateResultSchema, IssueSchema } from "./result.ts";

const num = v.pipe(v.number(), v.finite());
const count = v.pipe(v.number(), v.finite(), v.minValue(0));
const fraction = v.pipe(v.number(), v.finite(), v.minValue(0), v.maxValue(1));
const whole = v.pipe(v.number(), v.integer(), v.minValue(0));
const counts = v.record(v.string(), count);

// --- provenance -----------------------------------------------------------------------------

/** One number the catalog filled in, with its source (`@aifp/catalog` `UsedFigure`). */
export const UsedFigureSchema = v.strictObject({
  path: v.string(),
  origin: v.picklist(["catalog", "default", "quote", "throughput"]),
  ref: v.string(),
  priceBookVersion: v.string(),
  value: num,
  unit: v.string(),
  source: v.string(),
  /** Ids of the figure's sources in the price book's `sources` register (ADR 030); additive. */
  sourceIds: v.optional(v.array(v.string())),
  asOf: v.string(),
  confidence: v.picklist(["high", "medium", "low"]),
  derived: v.boolean(),
  method: v.nullable(v.string()),
});

/** The extra fields every planner answer carries: which catalog figures were used, from which book. */
export const PROVENANCE_ENTRIES = {
  /** Version of the public price book the figures come from ("YYYY.MM.DD"). */
  priceBookVersion: v.string(),
  /** SHA-256 (hex) of that book's canonical content. */
  priceBookContentHash: v.string(),
  /** Every number the catalog filled in, with source, date, confidence and book version. */
  usedFigures: v.array(UsedFigureSchema),
  /** What a reader should know about the resolution (e.g. throughput read without a latency target). */
  notes: v.array(v.string()),
  /**
   * The path building is compared against (payback, NPV savings, IRR) and why (ADR 017): the
   * scenario's `comparison.baselineOptionId`, else the cheapest non-build path. Absent when there is
   * nothing to compare.
   */
  baseline: v.optional(
    v.strictObject({
      optionId: v.string(),
      kind: v.picklist(["build", "lease", "api"]),
      how: v.picklist(["given", "cheapest-non-build", "first-lease"]),
      reason: v.string(),
    }),
  ),
};

/** Provenance of an answer, on its own. */
export const ProvenanceSchema = v.strictObject(PROVENANCE_ENTRIES);
export type ProvenanceWire = v.InferOutput<typeof ProvenanceSchema>;

/**
 * What `POST /api/v1/evaluate` returns and `npx planner evaluate` prints: the kernel's
 * `EvaluateResult`, unchanged, plus the provenance fields.
 */
export const EvaluationSchema = v.strictObject({ ...EvaluateResultSchema.entries, ...PROVENANCE_ENTRIES });
export type EvaluationWire = v.InferOutput<typeof EvaluationSchema>;

// --- optimise -------------------------------------------------------------------------------

export const StrategySummarySchema = v.strictObject({
  id: v.string(),
  kind: v.picklist(["build", "lease", "api", "base-peak", "hybrid"]),
  label: v.string(),
  npvCostUsd: v.nullable(num),
  lcotUsdPerMillionTokens: v.nullable(num),
  feasible: v.boolean(),
  reason: v.optional(v.string()),
});

export const HybridPeriodSchema = v.strictObject({
  start: v.string(),
  months: whole,
  facilityKw: count,
  gpus: count,
  ownedGpus: count,
  leasedGpus: count,
  buy: counts,
  retire: counts,
  retireEarly: counts,
  servers: counts,
  lease: counts,
  apiShare: fraction,
  capexUsd: num,
  cashUsd: num,
  npvCostUsd: num,
});

export const PeriodDecisionSchema = v.strictObject({
  buy: counts,
  retire: v.array(v.strictObject({ optionId: v.string(), boughtInPeriod: whole, servers: count })),
  lease: counts,
  apiShare: v.record(v.string(), fraction),
  facilityKw: count,
  ownedShare: count,
  leasedShare: count,
});

export const FleetMonthSchema = v.strictObject({
  month: v.string(),
  capexUsd: num,
  resaleUsd: num,
  energyUsd: num,
  facilityUsd: num,
  maintenanceUsd: num,
  softwareUsd: num,
  staffUsd: num,
  otherUsd: num,
  leaseUsd: num,
  apiUsd: num,
  cashUsd: num,
  servers: counts,
  serversBought: counts,
  serversRetired: counts,
  instances: counts,
  apiShare: fraction,
  ownedGpus: count,
  leasedGpus: count,
  gpus: count,
  facilityKw: count,
  kwh: count,
  tokens: count,
  outputTokens: count,
});

export const BindingConstraintsSchema = v.strictObject({
  powerCap: v.nullable(
    v.strictObject({
      capKw: num,
      binds: v.boolean(),
      bindsFrom: v.nullable(v.string()),
      savingsPerMwUsd: num,
      peakPlannedKw: num,
    }),
  ),
  capexBudget: v.nullable(v.strictObject({ bindingYears: v.array(whole), savingsWithoutBudgetUsd: v.nullable(num) })),
  shares: v.array(
    v.strictObject({ path: v.picklist(["build", "lease", "api"]), limit: fraction, periods: v.array(v.string()) }),
  ),
});

export const ModelSizeSchema = v.strictObject({
  periods: whole,
  periodMonths: whole,
  variables: whole,
  integerVariables: whole,
  constraints: whole,
  solves: whole,
  status: v.picklist(["optimal", "feasible", "timeout", "infeasible"]),
  /** The work budget the solves ran under (API answers; absent without one), ADR 018. */
  budget: v.optional(
    v.strictObject({
      nodesPerSolve: whole,
      leavesPerSolve: whole,
      simplexIterationsPerSolve: whole,
      maxSolves: whole,
      /** What stopped the plan's solve before it proved optimality (null: nothing). */
      stoppedBy: v.nullable(v.string()),
    }),
  ),
});

/** The kernel's `OptimiseResult` on the wire. */
export const OptimiseResultSchema = v.strictObject({
  kernelVersion: v.string(),
  scenarioName: v.string(),
  startMonth: v.string(),
  horizonMonths: whole,
  strategies: v.array(StrategySummarySchema),
  best: v.strictObject({
    build: v.nullable(v.string()),
    lease: v.nullable(v.string()),
    api: v.nullable(v.string()),
    pure: v.nullable(v.string()),
  }),
  hybrid: v.strictObject({
    source: v.string(),
    npvCostUsd: num,
    tcoUsd: num,
    residualUsd: num,
    lcotUsdPerMillionTokens: num,
    lcotUsdPerMillionOutputTokens: num,
    effectiveUsdPerGpuHour: v.nullable(num),
    savingsVsBestPureUsd: v.nullable(num),
    comparison: v.nullable(
      v.strictObject({
        baselineOptionId: v.string(),
        npvSavingsUsd: num,
        paybackMonths: v.nullable(whole),
      }),
    ),
    milpNpvCostUsd: v.nullable(num),
    milpObjectiveUsd: v.nullable(num),
    periods: v.array(HybridPeriodSchema),
    decisions: v.array(PeriodDecisionSchema),
    monthly: v.array(FleetMonthSchema),
    powerCapExceededMonths: v.array(whole),
  }),
  binding: BindingConstraintsSchema,
  explanation: v.array(v.string()),
  model: ModelSizeSchema,
  /** False when a limit stopped the solver before it proved its plan the cheapest (explanation says why). */
  optimal: v.optional(v.boolean()),
  warnings: v.array(IssueSchema),
});
export type OptimiseResultWire = v.InferOutput<typeof OptimiseResultSchema>;

/**
 * What `POST /api/v1/optimise` returns and `npx planner optimise` prints: the kernel's
 * `OptimiseResult`, unchanged, plus the provenance fields and the `availableFrom` months used.
 */
export const OptimisationSchema = v.strictObject({
  ...OptimiseResultSchema.entries,
  ...PROVENANCE_ENTRIES,
  /** First month each option could be used, "YYYY-MM", by option id (given, or from the catalog roadmap). */
  availableFrom: v.record(v.string(), v.string()),
});
export type OptimisationWire = v.InferOutput<typeof OptimisationSchema>;

// --- risk -----------------------------------------------------------------------------------

const DecisionPointSchema = v.strictObject({ decision: v.string(), metricUsd: num });
const driverIds = v.picklist([
  "volume",
  "growth",
  "electricity",
  "pue",
  "hardwarePrice",
  "leasePriceTrend",
  "apiPriceTrend",
  "throughput",
  "costOfCapital",
  "life",
  "resale",
  "support",
  "warranty",
]);

export const TornadoBarSchema = v.strictObject({
  id: driverIds,
  label: v.string(),
  unit: v.string(),
  source: v.string(),
  mode: v.picklist(["scale", "absolute"]),
  baseValue: num,
  lowValue: num,
  highValue: num,
  low: DecisionPointSchema,
  high: DecisionPointSchema,
  swingUsd: num,
});

export const BreakEvenSchema = v.strictObject({
  id: driverIds,
  label: v.string(),
  unit: v.string(),
  value: num,
  from: v.string(),
  to: v.string(),
  description: v.string(),
});

/** The kernel's `SensitivityResult` on the wire. */
export const SensitivityResultSchema = v.strictObject({
  metric: v.strictObject({ name: v.picklist(["buildAdvantageUsd", "cheapestNpvCostUsd"]), description: v.string() }),
  base: DecisionPointSchema,
  tornado: v.array(TornadoBarSchema),
  breakEvens: v.array(BreakEvenSchema),
  breakEvenUtilization: v.nullable(
    v.strictObject({
      buildId: v.string(),
      leaseId: v.string(),
      value: num,
      averageUtilization: num,
      description: v.string(),
    }),
  ),
  evaluations: whole,
});

const PercentilesSchema = v.strictObject({ p10: num, p50: num, p90: num, mean: num });

/** The kernel's `MonteCarloResult` on the wire. */
export const MonteCarloResultSchema = v.strictObject({
  samples: whole,
  seed: v.pipe(v.number(), v.integer()),
  failedSamples: whole,
  drivers: v.array(
    v.strictObject({
      id: driverIds,
      label: v.string(),
      distribution: v.picklist(["log-triangular", "triangular"]),
      low: num,
      mode: num,
      high: num,
      unit: v.string(),
      source: v.string(),
    }),
  ),
  optionIds: v.array(v.string()),
  lcotUsdPerMillionTokens: v.record(v.string(), PercentilesSchema),
  probabilityCheapest: v.record(v.string(), fraction),
  comparison: v.nullable(
    v.strictObject({
      buildId: v.string(),
      leaseId: v.string(),
      npvSavingsUsd: PercentilesSchema,
      paybackMonths: v.strictObject({
        p10: v.nullable(num),
        p50: v.nullable(num),
        p90: v.nullable(num),
        neverShare: fraction,
      }),
      probabilityBuildBeatsLease: fraction,
    }),
  ),
});

/**
 * What `POST /api/v1/risk` returns and `npx planner risk` prints: the tornado and break-evens
 * (`sensitivity`), the Monte Carlo, the kernel version and the provenance fields.
 */
export const RiskAnalysisSchema = v.strictObject({
  kernelVersion: v.string(),
  sensitivity: SensitivityResultSchema,
  monteCarlo: MonteCarloResultSchema,
  ...PROVENANCE_ENTRIES,
});
export type RiskAnalysisWire = v.InferOutput<typeof RiskAnalysisSchema>;

// The schemas and the kernel's types must describe the same shapes: both directions compile.
const checks = {
  evaluation: (result: EvaluateResult & ProvenanceWire): EvaluationWire => result,
  optimise: (result: OptimiseResult): OptimiseResultWire => result,
  optimiseBack: (result: OptimiseResultWire): OptimiseResult => result,
  sensitivity: (result: SensitivityResult): v.InferOutput<typeof SensitivityResultSchema> => result,
  sensitivityBack: (result: v.InferOutput<typeof SensitivityResultSchema>): SensitivityResult => result,
  monteCarlo: (result: MonteCarloResult): v.InferOutput<typeof MonteCarloResultSchema> => result,
  monteCarloBack: (result: v.InferOutput<typeof MonteCarloResultSchema>): MonteCarloResult => result,
};
void checks;

// The catalog's used figure and the wire's are the same shape.
const usedFigureToWire = (figure: UsedFigure): v.InferOutput<typeof UsedFigureSchema> => figure;
void usedFigureToWire;
