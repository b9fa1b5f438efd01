/**
 * @aifp/contracts: valibot schemas of the wire shapes (scenario in, evaluation result out),
 * shared by the API, the web forms and the CLI, and the helper that turns valibot issues into
 * `{ path, message }` pairs.
 */
import * as v from "valibot";
import { formatIssues, type FieldIssue } from "./issues.ts";
import { EvaluationSchema, type EvaluationWire } from "./outputs.ts";
import { EvaluateResultSchema, type EvaluateResultWire } from "./result.ts";
import { ScenarioSchema, type ScenarioInput } from "./scenario.ts";

export { formatIssues, issueLines, issuePath, type FieldIssue } from "./issues.ts";
export { numberField, textField } from "./fields.ts";
export {
  ApiOptionSchema,
  BuildOptionSchema,
  FinanceSchema,
  LeaseOptionSchema,
  MAX_OPTIONS,
  OptionSchema,
  ScenarioSchema,
  SiteSchema,
  WorkloadSchema,
  type ScenarioInput,
} from "./scenario.ts";
export {
  ApiMonthSchema,
  ApiOptionResultSchema,
  BuildMonthSchema,
  BuildOptionResultSchema,
  ComparisonSchema,
  EvaluateResultSchema,
  GpuHourCostSplitSchema,
  IssueSchema,
  LeaseMonthSchema,
  LeaseOptionResultSchema,
  OptionResultSchema,
  YearSummarySchema,
  type EvaluateResultWire,
} from "./result.ts";
export {
  MONTH_PATTERN,
  MonthSchema,
  OptimiseRequestSchema,
  OptimiseSettingsSchema,
  PERIOD_MONTHS_CHOICES,
  PlanningOptionSchema,
  PlanningScenarioSchema,
  type OptimiseRequestInput,
  type OptimiseSettingsInput,
  type PlanningScenarioInput,
} from "./optimise.ts";
export {
  DEFAULT_RISK_SAMPLES,
  DEFAULT_RISK_SEED,
  DriverOverrideSchema,
  MAX_API_RISK_SAMPLES,
  MAX_LOCAL_RISK_SAMPLES,
  RiskRequestSchema,
  RiskSettingsSchema,
  riskRequestSchema,
  riskSettingsSchema,
  type RiskRequestInput,
  type RiskSettingsInput,
} from "./risk.ts";
export {
  BindingConstraintsSchema,
  BreakEvenSchema,
  EvaluationSchema,
  FleetMonthSchema,
  HybridPeriodSchema,
  ModelSizeSchema,
  MonteCarloResultSchema,
  OptimisationSchema,
  OptimiseResultSchema,
  PeriodDecisionSchema,
  PROVENANCE_ENTRIES,
  ProvenanceSchema,
  RiskAnalysisSchema,
  SensitivityResultSchema,
  StrategySummarySchema,
  TornadoBarSchema,
  UsedFigureSchema,
  type EvaluationWire,
  type OptimisationWire,
  type OptimiseResultWire,
  type ProvenanceWire,
  type RiskAnalysisWire,
} from "./outputs.ts";
export type {
  ApiMonth,
  ApiOptionResult,
  BuildMonth,
  BuildOptionResult,
  Comparison,
  EvaluateResult,
  GpuHourCostSplit,
  LeaseMonth,
  LeaseOptionResult,
  OptionResult,
  YearSummary,
} from "@aifp/kernel";

/** Outcome of {@link parseScenario}. */
export type ParseScenarioResult = { ok: true; scenario: ScenarioInput } | { ok: false; issues: FieldIssue[] };

/**
 * Validates an unknown value (parsed JSON) as a scenario. Every problem comes back as
 * `{ path, message }`, e.g. `{ path: "workload.peakToAverage", message: 'expected a number >= 1, got "abc"' }`.
 */
export function parseScenario(input: unknown): ParseScenarioResult {
  const result = v.safeParse(ScenarioSchema, input);
  return result.success ? { ok: true, scenario: result.output } : { ok: false, issues: formatIssues(result.issues) };
}

/** Outcome of {@link parseEvaluateResult}. */
export type ParseEvaluateResult = { ok: true; result: EvaluateResultWire } | { ok: false; issues: FieldIssue[] };

/**
 * Validates an unknown value (e.g. an API response) as an evaluation result: the kernel's fields
 * only (see {@link parseEvaluation} for what the API and the CLI return, provenance included).
 */
export function parseEvaluateResult(input: unknown): ParseEvaluateResult {
  const parsed = v.safeParse(EvaluateResultSchema, input);
  return parsed.success ? { ok: true, result: parsed.output } : { ok: false, issues: formatIssues(parsed.issues) };
}

/** Outcome of {@link parseEvaluation}. */
export type ParseEvaluation = { ok: true; evaluation: EvaluationWire } | { ok: false; issues: FieldIssue[] };

/**
 * Validates what `POST /api/v1/evaluate` returns and `npx planner evaluate` prints: the kernel's
 * result plus `priceBookVersion`, `priceBookContentHash`, `usedFigures` and `notes`.
 */
export function parseEvaluation(input: unknown): ParseEvaluation {
  const parsed = v.safeParse(EvaluationSchema, input);
  return parsed.success ? { ok: true, evaluation: parsed.output } : { ok: false, issues: formatIssues(parsed.issues) };
}
