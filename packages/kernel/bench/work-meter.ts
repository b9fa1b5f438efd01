/**
 * A meter for solver work (tests and benches, not the product): wraps a HiGHS runtime as the
 * optimiser's `MilpSolver` and, for each solve, reads what HiGHS itself counted (branch-and-bound
 * nodes, simplex iterations) by running the same model and options once more through the
 * persistent API, which exposes HiGHS's info. HiGHS is deterministic at a fixed seed, so the
 * counts are those of the solve the optimiser used. Work budgets are asserted on these counts,
 * never on seconds (ADR 018).
 */
import type { MilpSolution, MilpSolveOptions, MilpSolver } from "../src/index.ts";

/** The persistent-model part of the `highs` runtime the meter needs. */
interface PersistentHighs {
  solve(lpText: string, options?: MilpSolveOptions): MilpSolution;
  createModel(source: { format: "lp"; data: string }): {
    options: { set(values: Record<string, boolean | number | string>): unknown };
    info: { get(name: string): number | bigint };
    run(): unknown;
    dispose(): void;
  };
}

/** What one solve cost. */
export interface SolveWork {
  status: string;
  options: MilpSolveOptions;
  /** Branch-and-bound nodes HiGHS processed. */
  nodes: number;
  /** Simplex iterations (the MIP's LP relaxations included). */
  simplexIterations: number;
  /** Size of the LP text parsed, bytes (parsing is linear in it). */
  lpBytes: number;
}

/** A metered solver and the log of every solve it ran. */
export function meteredSolver(highs: unknown): { solver: MilpSolver; work: SolveWork[] } {
  const runtime = highs as PersistentHighs;
  const work: SolveWork[] = [];
  const read = (model: ReturnType<PersistentHighs["createModel"]>, name: string): number => {
    try {
      return Number(model.info.get(name));
    } catch {
      return 0; // not set by this kind of solve
    }
  };
  const solver: MilpSolver = {
    solve(lpText, options = {}) {
      const solution = runtime.solve(lpText, options);
      const model = runtime.createModel({ format: "lp", data: lpText });
      try {
        model.options.set({ ...(options as Record<string, boolean | number | string>) });
        model.run();
        work.push({
          status: solution.Status,
          options,
          nodes: read(model, "mip_node_count"),
          simplexIterations: Math.max(read(model, "simplex_iteration_count"), read(model, "mip_total_lp_iterations")),
          lpBytes: new TextEncoder().encode(lpText).byteLength,
        });
      } finally {
        model.dispose();
      }
      return solution;
    },
  };
  return { solver, work };
}
