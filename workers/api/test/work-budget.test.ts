/**
 * The "CPU budget" suite (issue #19, ADR 018), in workerd against the real Worker: the worst
 * optimiser and risk shapes the documented limits admit stay within the work budget, counted in
 * solver work (HiGHS's own node and simplex-iteration counters, read through a metered solver
 * around the same HiGHS build the Worker loads) and in Monte Carlo work units, never in seconds
 * (workerd's clock does not move during CPU work). Also: figures the LP cannot represent are a
 * 400 naming the field, never a 500.
 */
import highsLoader from "highs";
import highsWasm from "highs/runtime";
import { loadHighsFromWasmModule, API_WORK_BUDGET, solveLimitsFor } from "@aifp/kernel";
import { beforeAll, describe, expect, it } from "vitest";
import {
  WORST_INFEASIBLE_SETTINGS,
  worstOptimiserScenario,
} from "../../../packages/kernel/bench/optimiser-scenario.ts";
import { meteredSolver } from "../../../packages/kernel/bench/work-meter.ts";
import {
  API_PLAN_LIMITS,
  evaluateForPlan,
  optimiseRequest,
  riskWorkOf,
  type OptimiseRequestInput,
  type RiskRequestInput,
} from "../src/planner.ts";
import { ApiError } from "../src/errors.ts";
import { goldenScenario } from "./fixtures.ts";
import { createOrg, expectError, fingerprint, send } from "./helpers.ts";

type Json = Record<string, unknown>;
let highs: unknown;
beforeAll(async () => {
  highs = await loadHighsFromWasmModule(highsLoader, highsWasm);
});
const ip = (n: number) => ({ "CF-Connecting-IP": `198.18.19.${n}` });
const worst = (): Json => worstOptimiserScenario() as unknown as Json;

async function apiError(run: () => Promise<unknown>): Promise<ApiError> {
  try {
    await run();
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    return error as ApiError;
  }
  throw new Error("expected an ApiError");
}

describe("the worst optimiser shapes stay within the work budget", () => {
  it("the 20-year infeasible shape is a 422 naming the binding limit, with no solve at all", async () => {
    const request = { scenario: worst(), optimise: WORST_INFEASIBLE_SETTINGS };
    const response = await send("POST", "/optimise", request, undefined, ip(1));
    const error = await expectError(response, 422, "infeasible_scenario");
    expect(error.issues).toEqual([
      { path: "optimise.maxShare", message: expect.stringMatching(/^the share limits \(build 90%, lease 50%/) },
    ]);
    // The same request through the route's own function with a metered HiGHS: no solver work.
    const { solver, work } = meteredSolver(highs);
    const thrown = await apiError(() =>
      optimiseRequest(request as unknown as OptimiseRequestInput, () => Promise.resolve(solver)),
    );
    expect(thrown.status).toBe(422);
    expect(work).toEqual([]);
  });

  it("the same shape stored and planned: 422, no plan written, no solve", async () => {
    const org = await createOrg();
    // A stored scenario carries no per-option availableFrom (plans take it in `optimise`).
    const stored = worst();
    stored.options = (stored.options as Json[]).map(({ availableFrom: _from, ...option }) => option);
    const created = await send("POST", "/scenarios", { scenario: stored }, org.adminKey);
    expect(created.status, await created.clone().text()).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const before = await fingerprint();
    await expectError(
      await send("POST", `/scenarios/${id}/plans`, { optimise: WORST_INFEASIBLE_SETTINGS }, org.adminKey),
      422,
      "infeasible_scenario",
    );
    expect(await fingerprint()).toEqual(before);
    const { solver, work } = meteredSolver(highs);
    await apiError(() => evaluateForPlan(stored, WORST_INFEASIBLE_SETTINGS, () => Promise.resolve(solver)));
    expect(work).toEqual([]);
  });

  it("the largest feasible shape: ≤ maxSolves solves, each within its node limit, budget reported", async () => {
    const { solver, work } = meteredSolver(highs);
    const answer = await optimiseRequest({ scenario: worst() } as unknown as OptimiseRequestInput, () =>
      Promise.resolve(solver),
    );
    expect(answer.model.periods).toBe(API_PLAN_LIMITS.maxPeriods);
    expect(answer.optimal).toBe(true);
    const limits = solveLimitsFor(API_WORK_BUDGET, {
      variables: answer.model.variables,
      integerVariables: answer.model.integerVariables,
      constraints: answer.model.constraints,
    });
    expect(answer.model.budget).toMatchObject({ nodesPerSolve: limits.nodes, maxSolves: API_WORK_BUDGET.maxSolves });
    expect(work.length).toBe(answer.model.solves);
    expect(work.length).toBeLessThanOrEqual(API_WORK_BUDGET.maxSolves);
    for (const solve of work) {
      expect(solve.options.mip_max_nodes).toBe(limits.nodes);
      expect(solve.nodes).toBeLessThanOrEqual(limits.nodes);
    }
  });
});

describe("the worst risk shapes stay within the work budget", () => {
  const tenYears = (samples: number): RiskRequestInput =>
    ({ scenario: { ...goldenScenario(), horizonYears: 10 }, risk: { samples } }) as unknown as RiskRequestInput;

  it("10,000 samples over 10 years is a 400 naming risk.samples, with the largest count that fits", async () => {
    expect(riskWorkOf(tenYears(10_000))).toBeGreaterThan(API_PLAN_LIMITS.maxRiskWork);
    const error = await expectError(await send("POST", "/risk", tenYears(10_000), undefined, ip(2)), 400);
    expect(error.issues).toEqual([
      {
        path: "risk.samples",
        message: expect.stringMatching(/^expected at most 3125 samples for a 120-month horizon with 3 options/),
      },
    ]);
  });

  it("the largest admitted risk request answers, and its work is within the budget", async () => {
    const largest = tenYears(3125);
    expect(riskWorkOf(largest)).toBeLessThanOrEqual(API_PLAN_LIMITS.maxRiskWork);
    const response = await send("POST", "/risk", largest, undefined, ip(3));
    expect(response.status).toBe(200);
    const body = (await response.json()) as { monteCarlo: { samples: number } };
    expect(body.monteCarlo.samples).toBe(3125);
  });

  it("24 options over 10 years: the default 1,000 samples fit, 2,000 do not", async () => {
    const scenario = { ...worst(), horizonYears: 10 };
    const fits = { scenario, risk: { samples: 1000 } } as unknown as RiskRequestInput;
    const over = { scenario, risk: { samples: 2000 } } as unknown as RiskRequestInput;
    expect(riskWorkOf(fits)).toBeLessThanOrEqual(API_PLAN_LIMITS.maxRiskWork);
    const error = await expectError(await send("POST", "/risk", over, undefined, ip(4)), 400);
    expect(error.issues[0]?.path).toBe("risk.samples");
  });
});

describe("figures the LP cannot represent: 400 naming the field, never 500", () => {
  const cases: [string, (s: Json) => void, string][] = [
    ["requestsPerDay 1e21", (s) => ((s.workload as Json).requestsPerDay = 1e21), "workload.requestsPerDay"],
    ["a server price of 1e21", (s) => ((s.options as Json[])[1]!.priceUsd = 1e21), "options.1.priceUsd"],
    ["gpusPerInstance 1e308", (s) => ((s.options as Json[])[0]!.gpusPerInstance = 1e308), "options.0.gpusPerInstance"],
    [
      "a lease price of 1e21",
      (s) => ((s.options as Json[])[0]!.priceUsdPerInstanceHour = 1e21),
      "options.0.priceUsdPerInstanceHour",
    ],
  ];
  it.each(cases)("%s: /optimise and an optimised plan", async (_name, change, path) => {
    const scenario = goldenScenario();
    change(scenario);
    const error = await expectError(await send("POST", "/optimise", { scenario }, undefined, ip(5)), 400);
    expect(error.issues.map((issue) => issue.path)).toContain(path);
    const org = await createOrg();
    const created = await send("POST", "/scenarios", { scenario }, org.adminKey);
    if (created.status === 201) {
      const { id } = (await created.json()) as { id: string };
      const before = await fingerprint();
      const response = await send("POST", `/scenarios/${id}/plans`, { optimise: true }, org.adminKey);
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
      expect(await fingerprint()).toEqual(before);
    } else {
      expect(created.status).toBe(400);
    }
  });
});
