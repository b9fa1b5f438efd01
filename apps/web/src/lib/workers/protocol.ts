/**
 * Messages between the results page and its Web Workers (`optimise.worker.ts`, `risk.worker.ts`).
 * Every request carries an `id`; every answer names the request it answers.
 */
import type {
  DriverOverride,
  MonteCarloResult,
  OptimiseResult,
  OptimiseSettings,
  Scenario,
  ScenarioIssue,
  SensitivityResult,
} from "@aifp/kernel";

export type WorkerRequest =
  | { type: "optimise"; id: number; scenario: Scenario; settings: OptimiseSettings }
  | { type: "sensitivity"; id: number; scenario: Scenario; drivers?: DriverOverride[] }
  | { type: "monteCarlo"; id: number; scenario: Scenario; samples: number; seed: number; drivers?: DriverOverride[] }
  | { type: "cancel"; id: number }
  /** Load what the first real request would (HiGHS for the optimiser) while the person is still in the wizard. */
  | { type: "warm"; id: number };

/** What the optimiser worker is doing: fetching and compiling HiGHS, or solving. */
export type SolverPhase = "loading-solver" | "solving";

/** Why a request failed: the kernel's issues (`invalid` / `infeasible`), a cancel, or anything else. */
export type WorkerFailure =
  | { kind: "invalid" | "infeasible"; issues: ScenarioIssue[] }
  | { kind: "cancelled"; done: number }
  | { kind: "error"; message: string };

export type WorkerResponse =
  | { type: "optimised"; id: number; result: OptimiseResult; solveMs: number }
  | { type: "sensitivity"; id: number; result: SensitivityResult }
  | { type: "progress"; id: number; done: number; total: number }
  | { type: "phase"; id: number; phase: SolverPhase }
  | { type: "monteCarlo"; id: number; result: MonteCarloResult }
  | { type: "failed"; id: number; failure: WorkerFailure };

/** A thrown value as a {@link WorkerFailure}. */
export function failureOf(error: unknown): WorkerFailure {
  if (typeof error === "object" && error !== null) {
    const named = error as { name?: string; kind?: unknown; issues?: unknown; done?: unknown; message?: unknown };
    if (named.name === "ScenarioError" && (named.kind === "invalid" || named.kind === "infeasible"))
      return { kind: named.kind, issues: named.issues as ScenarioIssue[] };
    if (named.name === "AbortError")
      return { kind: "cancelled", done: typeof named.done === "number" ? named.done : 0 };
  }
  return { kind: "error", message: error instanceof Error ? error.message : String(error) };
}
