/**
 * The MILP solver seam. The kernel never loads WebAssembly itself (that is I/O, and Node, workerd
 * and the browser each load a `.wasm` differently): the caller passes an already-initialised
 * HiGHS instance (package `highs`, the `LegacyHighs.solve(lpText, options)` API), or anything
 * with the same shape. `load-highs-node.ts` is the Node/CLI/test loader; the Worker passes the
 * CompiledWasm module as `wasmModule`, the browser a `?url` through `locateFile` (docs/optimiser.md).
 */

/** Solver options the kernel sets (a subset of HiGHS options; names as HiGHS spells them). */
export interface MilpSolveOptions {
  output_flag?: boolean;
  /** Wall-clock limit of one solve, seconds. */
  time_limit?: number;
  /** Relative MIP gap at which HiGHS stops: |primal − dual| / |primal|. */
  mip_rel_gap?: number;
  /** Absolute MIP gap, in objective units (USD here). */
  mip_abs_gap?: number;
  presolve?: "off" | "choose" | "on";
  random_seed?: number;
  /** Work limits that do not depend on the clock (budget.ts): branch-and-bound nodes and leaves per solve. */
  mip_max_nodes?: number;
  mip_max_leaves?: number;
  /** Simplex iterations of an LP solve (not of the MIP's subproblems). */
  simplex_iteration_limit?: number;
}

/** One column (variable) of a solution, as HiGHS reports it. */
export interface MilpColumn {
  /** Zero-based column index. */
  Index: number;
  /** Value in the solution (absent when the solver found none). */
  Primal?: number;
}

/** One row (constraint) of a solution, in model order. */
export interface MilpRow {
  /** Zero-based row index. */
  Index: number;
  /** Row activity (absent when the solver found no solution). */
  Primal?: number;
  /** Shadow price; reported for LPs only (HiGHS gives no duals for a MIP). */
  Dual?: number;
  Name?: string;
}

/** The solution object of HiGHS's one-shot `solve` (its `LegacyHighsSolution`). */
export interface MilpSolution {
  Status: string;
  ObjectiveValue: number;
  Columns: Record<string, MilpColumn>;
  Rows: MilpRow[];
}

/**
 * What the optimiser needs from a solver: parse a CPLEX-LP-format model and solve it,
 * synchronously. `import highsLoader from "highs"; const solver = await highsLoader();`
 * satisfies it.
 */
export interface MilpSolver {
  solve(lpText: string, options?: MilpSolveOptions): MilpSolution;
}

/** Outcome of one solve, normalised. */
export type SolveOutcome =
  | { status: "optimal"; objective: number; values: Map<string, number>; rows: MilpRow[] }
  /** A limit stopped the solve with a feasible (not proven optimal) plan. */
  | { status: "feasible"; objective: number; values: Map<string, number>; rows: MilpRow[]; reason: string }
  | { status: "infeasible"; reason: string }
  /** A limit stopped the solver before it found any plan. */
  | { status: "timeout"; reason: string }
  | { status: "error"; reason: string };

/** HiGHS statuses that carry a usable primal solution. */
const FEASIBLE_STATUSES = new Set([
  "Time limit reached",
  "Iteration limit reached",
  "Target for objective reached",
  "Bound on objective reached",
  "Node limit reached",
]);

/**
 * Solves `lpText` with `solver` and normalises the result: `optimal` (proven), `feasible`
 * (a limit stopped HiGHS with an incumbent), `timeout` (a limit stopped it before any plan),
 * `infeasible`, or `error` (the solver failed or the
 * model is unbounded, which a cost-minimising fleet model never is unless its data is broken).
 * Column values absent from HiGHS's answer (variables that appear nowhere) read as 0.
 */
export function runSolver(solver: MilpSolver, lpText: string, options: MilpSolveOptions): SolveOutcome {
  let solution: MilpSolution;
  try {
    solution = solver.solve(lpText, { output_flag: false, ...options });
  } catch (error) {
    return { status: "error", reason: `the solver failed: ${error instanceof Error ? error.message : String(error)}` };
  }
  // HiGHS 1.15's one-shot API reports a MIP stopped by its node or leaf limit as "Unknown":
  // with work limits set, that is a limit (with or without an incumbent), not a failure.
  const workLimited = options.mip_max_nodes !== undefined || options.mip_max_leaves !== undefined;
  const status = solution.Status === "Unknown" && workLimited ? "Node limit reached" : solution.Status;
  if (status === "Infeasible" || status === "Primal infeasible or unbounded") {
    return { status: "infeasible", reason: status };
  }
  if (status !== "Optimal" && !FEASIBLE_STATUSES.has(status)) {
    return { status: "error", reason: `the solver stopped with status "${status}"` };
  }
  const values = new Map<string, number>();
  for (const [name, column] of Object.entries(solution.Columns)) {
    const primal = column.Primal;
    if (typeof primal !== "number" || !Number.isFinite(primal)) {
      if (status === "Optimal") return { status: "error", reason: `the solver returned no value for ${name}` };
      // A limit reached before any incumbent: no plan to read.
      return { status: "timeout", reason: `${status} before a feasible plan was found` };
    }
    values.set(name, primal);
  }
  if (status === "Optimal")
    return { status: "optimal", objective: solution.ObjectiveValue, values, rows: solution.Rows };
  return { status: "feasible", objective: solution.ObjectiveValue, values, rows: solution.Rows, reason: status };
}
