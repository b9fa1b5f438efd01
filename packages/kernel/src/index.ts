/**
 * @aifp/kernel: the pure evaluation kernel (no I/O, no clock, no randomness).
 * Public surface of cost model v1; see packages/kernel/README.md and docs/kernel.md.
 */
export { KERNEL_VERSION } from "./version.ts";

// Shapes of the reference data callers pass in (shared contract with @aifp/catalog).
export type * from "./reference-data.ts";

// Cost model v1: evaluate, its input and result types, its errors.
export { evaluate } from "./evaluate.ts";
export type * from "./scenario.ts";
export type * from "./result.ts";
export { ScenarioError, type ScenarioErrorKind, type ScenarioIssue } from "./errors.ts";
export { validateScenario, type ValidatedScenario, type ValidatedOption } from "./validate.ts";
export {
  OPTION_RULES,
  SCENARIO_RULES,
  WHOLE_NUMBER_TOLERANCE,
  ceilWithTolerance,
  describeReceived,
  describeRule,
  isWholeNumberOfMonths,
  satisfiesRule,
  type NumberRule,
} from "./rules.ts";
export { HOURS_PER_MONTH, MONTHS_PER_YEAR, discountFactors, monthLabel, monthlyCompoundFactors } from "./time.ts";
export { IRR_BRACKET_PER_MONTH, irrPerYear, paybackMonths } from "./finance.ts";

// Throughput at a latency target (packages/kernel/src/throughput/): its exports go here.
export * from "./throughput/index.ts";

// Optimiser and risk (packages/kernel/src/optimise/, packages/kernel/src/risk/; docs/optimiser.md).
export * from "./optimise/index.ts";
export * from "./risk/index.ts";
