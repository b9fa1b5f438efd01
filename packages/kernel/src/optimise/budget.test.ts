/**
 * Work budgets (ADR 018): the feasibility pre-check answers impossible plans without a MILP and
 * never refuses a plan the solver could find; every solve under a budget carries node, leaf and
 * simplex-iteration limits sized from the model, and HiGHS's own counters stay within them;
 * a budget that stops the solver gives the best plan found with `optimal: false`; figures the
 * LP cannot represent are refused naming the field. Work is counted, never timed.
 */
import fc from "fast-check";
import highsLoader from "highs";
import { beforeAll, describe, expect, test } from "vitest";
import {
  WORST_INFEASIBLE_SETTINGS,
  optimiserBenchScenario,
  worstOptimiserScenario,
} from "../../bench/optimiser-scenario.ts";
import { meteredSolver } from "../../bench/work-meter.ts";
import { ScenarioError, type Scenario } from "../index.ts";
import { API_WORK_BUDGET, precheckFeasibility, solveLimitsFor, type WorkBudget } from "./budget.ts";
import { buildPlanningContext } from "./context.ts";
import { buildFleetModel } from "./model.ts";
import { optimise } from "./optimise.ts";
import { runSolver, type MilpSolver } from "./solver.ts";

let highs: unknown;
beforeAll(async () => {
  highs = await highsLoader();
});

function thrown(run: () => unknown): ScenarioError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ScenarioError);
    return error as ScenarioError;
  }
  throw new Error("expected a ScenarioError");
}

describe("the feasibility pre-check", () => {
  test("the 20-year infeasible shape is answered without a single solve, naming the binding limit", () => {
    const { solver, work } = meteredSolver(highs);
    const error = thrown(() =>
      optimise({
        scenario: worstOptimiserScenario(),
        solver,
        settings: WORST_INFEASIBLE_SETTINGS,
        budget: API_WORK_BUDGET,
      }),
    );
    expect(error.kind).toBe("infeasible");
    expect(error.issues).toEqual([
      {
        path: "optimise.maxShare",
        message: expect.stringMatching(/^the share limits \(build 90%, lease 50%, API 30%\)/),
      },
    ]);
    // Before work budgets this shape ran 4 solves (the plan and 3 diagnosis re-solves).
    expect(work).toEqual([]);
  });

  test("a power cap the owned servers cannot fit, with nothing else: named, no solve", () => {
    const scenario = optimiserBenchScenario(100);
    scenario.options = scenario.options.filter((o) => o.kind === "build");
    const { solver, work } = meteredSolver(highs);
    const error = thrown(() => optimise({ scenario, solver, budget: API_WORK_BUDGET }));
    expect(error.issues[0]?.path).toBe("site.powerCapKw");
    expect(error.issues[0]?.message).toMatch(/^the 100 kW power cap is too small: owned servers need about/);
    expect(work).toEqual([]);
  });

  test("never refuses a plan the solver could find: whenever it says infeasible, the MILP is infeasible too", () => {
    const runtime = highs as MilpSolver;
    let refused = 0;
    fc.assert(
      fc.property(
        fc.record({
          capKw: fc.integer({ min: 20, max: 3000 }),
          growth: fc.double({ min: 0, max: 1.5, noNaN: true }),
          budget: fc.option(fc.integer({ min: 0, max: 40_000_000 }), { nil: undefined }),
          build: fc.double({ min: 0, max: 1, noNaN: true }),
          lease: fc.double({ min: 0, max: 1, noNaN: true }),
          api: fc.double({ min: 0, max: 1, noNaN: true }),
        }),
        (p) => {
          const scenario: Scenario = optimiserBenchScenario(p.capKw);
          scenario.horizonYears = 3;
          scenario.workload = { ...scenario.workload, growthPerYear: p.growth };
          const settings = {
            maxShare: { build: p.build, lease: p.lease, api: p.api },
            ...(p.budget === undefined ? {} : { capexBudgetUsdPerYear: p.budget }),
          };
          const context = buildPlanningContext(scenario, settings);
          const limits = {
            powerCapKw: p.capKw,
            capexBudgetUsdPerYear: context.settings.capexBudgetUsdPerYear,
            maxShare: context.settings.maxShare,
            allowEarlyRetirement: true,
          };
          if (precheckFeasibility(context, limits) === null) return;
          refused++;
          const model = buildFleetModel(context, limits);
          expect(runSolver(runtime, model.lp.toLpText(), { output_flag: false }).status).toBe("infeasible");
        },
      ),
      { numRuns: 40, seed: 19 },
    );
    // The generator reaches the refusal branch (else the property proves nothing).
    expect(refused).toBeGreaterThan(3);
  }, 60_000);
});

describe("solves under a work budget", () => {
  test("the worst feasible shape: at most maxSolves solves, each with node/leaf/iteration limits HiGHS stays within", () => {
    const { solver, work } = meteredSolver(highs);
    const result = optimise({ scenario: worstOptimiserScenario(), solver, budget: API_WORK_BUDGET });
    expect(result.optimal).toBe(true);
    expect(result.model.integerVariables).toBeLessThanOrEqual(API_WORK_BUDGET.maxIntegerVariables);
    const limits = solveLimitsFor(API_WORK_BUDGET, {
      variables: result.model.variables,
      integerVariables: result.model.integerVariables,
      constraints: result.model.constraints,
    });
    expect(result.model.budget).toEqual({
      nodesPerSolve: limits.nodes,
      leavesPerSolve: limits.leaves,
      simplexIterationsPerSolve: limits.simplexIterations,
      maxSolves: API_WORK_BUDGET.maxSolves,
      stoppedBy: null,
    });
    expect(work.length).toBe(result.model.solves);
    expect(work.length).toBeGreaterThan(0);
    expect(work.length).toBeLessThanOrEqual(API_WORK_BUDGET.maxSolves);
    for (const solve of work) {
      expect(solve.options).toMatchObject({
        mip_max_nodes: limits.nodes,
        mip_max_leaves: limits.leaves,
        simplex_iteration_limit: limits.simplexIterations,
      });
      expect(solve.nodes).toBeLessThanOrEqual(limits.nodes);
    }
    // Total work of the request, in HiGHS's own counts (reported in ADR 018).
    const total = work.reduce((sum, w) => ({ nodes: sum.nodes + w.nodes, lp: sum.lp + w.simplexIterations }), {
      nodes: 0,
      lp: 0,
    });
    expect(total.nodes).toBeLessThanOrEqual(API_WORK_BUDGET.maxSolves * limits.nodes);
  }, 60_000);

  test("a budget that stops the solver before any plan: a single strategy, optimal false, and why", () => {
    const starved: WorkBudget = { ...API_WORK_BUDGET, nodeWork: 0, minNodesPerSolve: 0, maxNodesPerSolve: 0 };
    const { solver, work } = meteredSolver(highs);
    const result = optimise({ scenario: optimiserBenchScenario(), solver, budget: starved });
    expect(work).toHaveLength(1);
    expect(work[0]?.nodes).toBe(0);
    expect(result.optimal).toBe(false);
    expect(result.model.status).toBe("timeout");
    expect(result.model.budget?.stoppedBy).toBe("node and leaf limits");
    expect(result.hybrid.source).not.toBe("milp");
    expect(result.explanation.join(" ")).toMatch(
      /the solver found no plan within its work budget \(node and leaf limits\)/,
    );
  }, 60_000);

  test("the admission rule: a model larger than the budget admits is refused before any solve, naming the field", () => {
    const small: WorkBudget = { ...API_WORK_BUDGET, maxIntegerVariables: 10 };
    const { solver, work } = meteredSolver(highs);
    const error = thrown(() => optimise({ scenario: optimiserBenchScenario(), solver, budget: small }));
    expect(error.kind).toBe("invalid");
    expect(error.issues[0]?.path).toBe("optimise.periodMonths");
    expect(error.issues[0]?.message).toMatch(/whole-number decisions, more than the 10 one request may solve/);
    expect(work).toEqual([]);
  });
});

describe("figures the LP cannot represent are refused, naming the field", () => {
  const cases: [string, (s: Scenario) => void, string][] = [
    ["requestsPerDay 1e21", (s) => (s.workload = { ...s.workload, requestsPerDay: 1e21 }), "workload.requestsPerDay"],
    [
      "a server price of 1e21",
      (s) => (s.options[0] = { ...s.options[0], priceUsd: 1e21 } as Scenario["options"][number]),
      "options.0.priceUsd",
    ],
    [
      "gpusPerInstance 1e308",
      (s) => (s.options[10] = { ...s.options[10], gpusPerInstance: 1e308 } as Scenario["options"][number]),
      "options.10.gpusPerInstance",
    ],
    [
      "a lease price of 1e21",
      (s) => (s.options[10] = { ...s.options[10], priceUsdPerInstanceHour: 1e21 } as Scenario["options"][number]),
      "options.10.priceUsdPerInstanceHour",
    ],
  ];
  test.each(cases)("%s", (_name, change, path) => {
    const scenario = optimiserBenchScenario();
    change(scenario);
    const { solver, work } = meteredSolver(highs);
    const error = thrown(() => optimise({ scenario, solver, budget: API_WORK_BUDGET }));
    expect(error.kind).toBe("invalid");
    expect(error.issues.map((issue) => issue.path)).toContain(path);
    expect(work).toEqual([]);
  });
});
