/**
 * Errors the kernel throws for a scenario it cannot evaluate. Never NaN: every impossible or
 * malformed input ends here, with the field it concerns and what was expected, in plain words.
 */

/** One problem with a scenario: a dotted path to the field (`options.1.priceUsd`) and a message. */
export interface ScenarioIssue {
  /** Dotted path into the scenario, e.g. `workload.peakToAverage` or `options.1.priceUsd`; "" for the whole scenario. */
  path: string;
  /** What is wrong, in plain words, e.g. `expected a number >= 1, got 0.5`. */
  message: string;
}

/**
 * `invalid`: the input is malformed or incomplete (a missing, mistyped or out-of-range field).
 * `infeasible`: the input is well formed but describes something that cannot be served or
 * computed (e.g. zero throughput per GPU: no number of GPUs serves the demand).
 */
export type ScenarioErrorKind = "invalid" | "infeasible";

/**
 * Thrown by `evaluate` (and the validator) for a scenario it cannot evaluate.
 * `issues` names every field concerned; `kind` separates bad input from an impossible plan.
 */
export class ScenarioError extends Error {
  readonly kind: ScenarioErrorKind;
  readonly issues: readonly ScenarioIssue[];

  constructor(kind: ScenarioErrorKind, issues: readonly ScenarioIssue[]) {
    const head = kind === "invalid" ? "Invalid scenario" : "Infeasible scenario";
    const lines = issues.map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message));
    super(`${head}: ${lines.join("; ")}`);
    this.name = "ScenarioError";
    this.kind = kind;
    this.issues = issues;
  }
}
