/**
 * Background jobs (issue #19, ADR 025), in workerd against the real Worker, its real queue
 * (Miniflare delivers to the same Worker's `queue` handler) and a real local D1: an
 * authenticated optimise or risk request beyond one request's work budget is a 202 with a job
 * URL; the job runs, reports progress, and stores the answer (or the error) with its final
 * status; another organisation gets 404; a duplicate delivery changes nothing.
 */
import { env } from "cloudflare:test";
import { RiskRequestSchema } from "@aifp/contracts";
import { prepareRisk, riskPrepared, riskWire } from "@aifp/contracts/pipeline";
import { priceBook } from "@aifp/catalog";
import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { runJob } from "../src/jobs.ts";
import highsLoader from "highs";
import highsWasm from "highs/runtime";
import { loadHighsFromWasmModule, solveLimitsFor } from "@aifp/kernel";
import { meteredSolver } from "../../../packages/kernel/bench/work-meter.ts";
import { worstOptimiserScenario } from "../../../packages/kernel/bench/optimiser-scenario.ts";
import {
  API_JOB_LIMITS,
  API_PLAN_LIMITS,
  JOB_WORK_BUDGET,
  optimiseJob,
  riskWorkOf,
  type OptimiseRequestInput,
  type RiskRequestInput,
} from "../src/planner.ts";
import { createJob, MAX_ACTIVE_JOBS_PER_ORG, MAX_JOB_ATTEMPTS, type JobDto } from "../src/services/jobs.ts";
import { goldenScenario } from "./fixtures.ts";
import { createOrg, expectError, get, send } from "./helpers.ts";

type Json = Record<string, unknown>;
const ip = (n: number) => ({ "CF-Connecting-IP": `198.18.25.${n}` });

/** Polls a job until it finished (the queue batches for up to 1 s; the job then runs). */
async function finished(url: string, key: string): Promise<JobDto> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const response = await get(url.replace(/^\/api\/v1/, ""), key);
    expect(response.status).toBe(200);
    const job = (await response.json()) as JobDto;
    if (job.status === "succeeded" || job.status === "failed") return job;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`job ${url} did not finish`);
}

/** 4,000 samples of the golden scenario over 10 years: 3.84 M units, over a request's 3 M. */
const riskOverRequest = (): RiskRequestInput =>
  ({
    scenario: { ...goldenScenario(), horizonYears: 10 },
    risk: { samples: 4000, seed: 7 },
  }) as unknown as RiskRequestInput;

describe("risk beyond a request's work budget", () => {
  it("is a 202 with a job URL; the job's answer equals the synchronous Monte Carlo's", async () => {
    const request = riskOverRequest();
    expect(riskWorkOf(request)).toBeGreaterThan(API_PLAN_LIMITS.maxRiskWork);
    expect(riskWorkOf(request)).toBeLessThanOrEqual(API_JOB_LIMITS.maxRiskWork);
    const org = await createOrg("Risk jobs");
    const response = await send("POST", "/risk", request, org.adminKey);
    expect(response.status).toBe(202);
    const location = response.headers.get("Location") ?? "";
    expect(location).toMatch(/^\/api\/v1\/jobs\/job_[0-9a-z]{16}$/);
    const accepted = (await response.json()) as JobDto;
    expect(accepted).toMatchObject({ kind: "risk", status: "queued", progress: { done: 0, total: 4000 } });
    expect(location).toBe(`/api/v1/jobs/${accepted.id}`);

    const job = await finished(location, org.adminKey);
    expect(job.status, JSON.stringify(job.error)).toBe("succeeded");
    expect(job.progress).toEqual({ done: 4000, total: 4000, fraction: 1 });
    expect(job.finishedAt).not.toBeNull();
    // The chunked run in the consumer gives the figures of the one-piece run (same seed).
    const parsed = v.parse(RiskRequestSchema, request);
    const direct = riskWire(riskPrepared(prepareRisk(parsed, { book: priceBook })));
    expect(JSON.parse(JSON.stringify(job.result))).toEqual(JSON.parse(JSON.stringify(direct)));

    // Another organisation's key: 404, as if the job did not exist; no key: 401.
    const other = await createOrg("Someone else");
    await expectError(await get(`/jobs/${accepted.id}`, other.adminKey), 404, "not_found");
    await expectError(await get(`/jobs/${accepted.id}`), 401);
    await expectError(await get(`/jobs/job_00000000000000000000`, org.adminKey), 404, "not_found");
  });

  it("anonymous callers get the request's 400, which says a key runs it as a job", async () => {
    const error = await expectError(await send("POST", "/risk", riskOverRequest(), undefined, ip(1)), 400);
    expect(error.issues[0]?.path).toBe("risk.samples");
    expect(error.issues[0]?.message).toMatch(/runs as a background job \(202\)$/);
  });

  it("beyond a job's budget too: 400 naming risk.samples with the largest count a job takes", async () => {
    const org = await createOrg("Too big");
    // 24 options over 10 years: 10,000 samples are 28.8 M units, over a job's 24 M.
    const request = {
      scenario: { ...(worstOptimiserScenario() as unknown as Json), horizonYears: 10 },
      risk: { samples: 10_000 },
    } as unknown as RiskRequestInput;
    expect(riskWorkOf(request)).toBeGreaterThan(API_JOB_LIMITS.maxRiskWork);
    const error = await expectError(await send("POST", "/risk", request, org.adminKey), 400);
    expect(error.issues).toEqual([
      {
        path: "risk.samples",
        message: expect.stringMatching(
          /^expected at most 8333 samples for a 120-month horizon with 24 options .* per job/,
        ),
      },
    ]);
  });

  it(`an organisation with ${MAX_ACTIVE_JOBS_PER_ORG} active jobs gets 429 until one finishes`, async () => {
    const org = await createOrg("Busy");
    for (let n = 0; n < MAX_ACTIVE_JOBS_PER_ORG; n++) {
      const job = await createJob(env.DB, {
        orgId: org.orgId,
        kind: "risk",
        createdBy: org.adminKeyId,
        input: { request: {}, quotes: [] },
        progressTotal: 1,
      });
      expect(job).not.toBeNull();
    }
    const response = await send("POST", "/risk", riskOverRequest(), org.adminKey);
    await expectError(response, 429, "rate_limited");
    expect(response.headers.get("Retry-After")).toBe("10");
    const count = await env.DB.prepare("SELECT count(*) AS n FROM jobs WHERE org_id = ?").bind(org.orgId).first();
    expect(count?.n).toBe(MAX_ACTIVE_JOBS_PER_ORG);
  });
});

describe("optimise beyond a request's period limit", () => {
  const quarterly = (scenario: Json): Json => ({
    scenario: { ...scenario, horizonYears: 10 },
    optimise: { periodMonths: 3 },
  });

  it("10 years quarterly (40 periods) runs as a job and stores the optimised plan", async () => {
    const org = await createOrg("Optimise jobs");
    const anonymous = await expectError(
      await send("POST", "/optimise", quarterly(goldenScenario()), undefined, ip(2)),
      400,
    );
    expect(anonymous.issues[0]?.path).toBe("optimise.periodMonths");
    const response = await send("POST", "/optimise", quarterly(goldenScenario()), org.adminKey);
    expect(response.status).toBe(202);
    const job = await finished(response.headers.get("Location") ?? "", org.adminKey);
    expect(job.status, JSON.stringify(job.error)).toBe("succeeded");
    expect(job.progress).toEqual({ done: 2, total: 2, fraction: 1 });
    const result = job.result as {
      model: { periods: number; integerVariables: number; budget: { nodesPerSolve: number } };
    };
    expect(result.model.periods).toBe(40);
    // Sized by the job's budget, not the request's: more nodes per solve than a request allows.
    expect(result.model.budget.nodesPerSolve).toBe(
      solveLimitsFor(JOB_WORK_BUDGET, { ...result.model, variables: 0, constraints: 0 }).nodes,
    );
  });

  it("an infeasible job fails with the 422 the request would have answered, and no result", async () => {
    const org = await createOrg("Infeasible job");
    const scenario = goldenScenario();
    // Only owned servers, under a power cap far below the demand: no plan can serve it.
    scenario.options = (scenario.options as Json[]).filter((option) => option.kind === "build");
    scenario.site = { ...(scenario.site as Json), powerCapKw: 1 };
    const response = await send("POST", "/optimise", quarterly(scenario), org.adminKey);
    expect(response.status).toBe(202);
    const job = await finished(response.headers.get("Location") ?? "", org.adminKey);
    expect(job.status).toBe("failed");
    expect(job.result).toBeUndefined();
    expect(job.error).toMatchObject({ status: 422, code: "infeasible_scenario" });
    expect(job.error?.issues.length).toBeGreaterThan(0);
  });

  it("over 40 periods is a 400 naming optimise.periodMonths even with a key", async () => {
    const org = await createOrg("Monthly");
    const body = { scenario: { ...goldenScenario(), horizonYears: 5 }, optimise: { periodMonths: 1 } };
    const error = await expectError(await send("POST", "/optimise", body, org.adminKey), 400);
    expect(error.issues[0]?.message).toMatch(/^expected at most 40 planning periods per job, got 60/);
  });
});

describe("the job budget, counted (not timed)", () => {
  it("the worst optimise job (40 quarterly periods, 24 options): ≤ maxSolves solves, each within its node limit", async () => {
    const highs = await loadHighsFromWasmModule(highsLoader, highsWasm);
    const { solver, work } = meteredSolver(highs);
    const request = {
      scenario: { ...(worstOptimiserScenario() as unknown as Json), horizonYears: 10 },
      optimise: { periodMonths: 3 },
    } as unknown as OptimiseRequestInput;
    const answer = await optimiseJob(request, () => Promise.resolve(solver), []);
    expect(answer.model.periods).toBe(API_JOB_LIMITS.maxPeriods);
    expect(answer.model.integerVariables).toBeLessThanOrEqual(JOB_WORK_BUDGET.maxIntegerVariables);
    const limits = solveLimitsFor(JOB_WORK_BUDGET, answer.model);
    expect(work.length).toBe(answer.model.solves);
    expect(work.length).toBeLessThanOrEqual(JOB_WORK_BUDGET.maxSolves);
    for (const solve of work) {
      expect(solve.options.mip_max_nodes).toBe(limits.nodes);
      expect(solve.nodes).toBeLessThanOrEqual(limits.nodes);
    }
  });
});

describe("the consumer", () => {
  it("a duplicate delivery of a finished job changes nothing", async () => {
    const org = await createOrg("Duplicates");
    const response = await send("POST", "/risk", riskOverRequest(), org.adminKey);
    const location = response.headers.get("Location") ?? "";
    const job = await finished(location, org.adminKey);
    const before = await env.DB.prepare("SELECT * FROM jobs WHERE id = ?").bind(job.id).first();
    await runJob(env, job.id);
    const after = await env.DB.prepare("SELECT * FROM jobs WHERE id = ?").bind(job.id).first();
    expect(after).toEqual(before);
  });

  it(`a job whose deliveries died ${MAX_JOB_ATTEMPTS} times fails on the next, without a result`, async () => {
    const org = await createOrg("Crashes");
    const job = await createJob(env.DB, {
      orgId: org.orgId,
      kind: "risk",
      createdBy: org.adminKeyId,
      input: { request: riskOverRequest(), quotes: [] },
      progressTotal: 4000,
    });
    // As three deliveries that were stopped mid-run leave it: running, attempts counted.
    await env.DB.prepare("UPDATE jobs SET status = 'running', attempts = ? WHERE id = ?")
      .bind(MAX_JOB_ATTEMPTS, job!.id)
      .run();
    await runJob(env, job!.id);
    const stored = (await (await get(`/jobs/${job!.id}`, org.adminKey)).json()) as JobDto;
    expect(stored.status).toBe("failed");
    expect(stored.attempts).toBe(MAX_JOB_ATTEMPTS + 1);
    expect(stored.result).toBeUndefined();
    expect(stored.error?.message).toMatch(/stopped before finishing 3 times/);
  });
});

describe("optimised plans beyond a request's period limit (POST /scenarios/{id}/plans as a job)", () => {
  const tenYears = (): Json => ({ ...goldenScenario(), horizonYears: 10 });
  const quarterly = { optimise: { periodMonths: 3 } };
  const plansOf = async (scenarioId: string) =>
    (await env.DB.prepare("SELECT count(*) AS n FROM plans WHERE scenario_id = ?").bind(scenarioId).first())?.n;

  it("is a 202 with a job URL; the job stores the plan pinned to the scenario's version", async () => {
    const org = await createOrg("Plan jobs");
    const created = (await (await send("POST", "/scenarios", { scenario: tenYears() }, org.adminKey)).json()) as {
      id: string;
      version: number;
    };
    const response = await send("POST", `/scenarios/${created.id}/plans`, quarterly, org.adminKey);
    expect(response.status).toBe(202);
    const location = response.headers.get("Location") ?? "";
    expect(location).toMatch(/^\/api\/v1\/jobs\/job_[0-9a-z]{16}$/);
    expect(await response.json()).toMatchObject({ kind: "plan", status: "queued" });
    const job = await finished(location, org.adminKey);
    expect(job.status, JSON.stringify(job.error)).toBe("succeeded");
    const stored = job.result as { id: string; scenarioId: string; scenarioVersion: number };
    expect(stored).toMatchObject({ scenarioId: created.id, scenarioVersion: created.version });
    const plan = (await (await get(`/plans/${stored.id}`, org.adminKey)).json()) as {
      input: { optimise: unknown };
      result: { optimisation: { model: { periods: number } } };
    };
    expect(plan.input.optimise).toEqual({ periodMonths: 3 });
    expect(plan.result.optimisation.model.periods).toBe(40);
    expect(await plansOf(created.id)).toBe(1);
    // Another organisation never sees the job.
    const other = await createOrg("Not theirs");
    await expectError(await get(`/jobs/${job.id}`, other.adminKey), 404, "not_found");
  });

  it("within a request's limits the plan is stored in the request (201), beyond a job's it is a 400", async () => {
    const org = await createOrg("Plan placement");
    const created = (await (await send("POST", "/scenarios", { scenario: tenYears() }, org.adminKey)).json()) as {
      id: string;
    };
    const yearly = await send("POST", `/scenarios/${created.id}/plans`, { optimise: true }, org.adminKey);
    expect(yearly.status).toBe(201);
    const monthly = await expectError(
      await send("POST", `/scenarios/${created.id}/plans`, { optimise: { periodMonths: 1 } }, org.adminKey),
      400,
    );
    expect(monthly.issues[0]?.path).toBe("optimise.periodMonths");
    expect(await plansOf(created.id)).toBe(1);
  });

  it("a scenario changed after acceptance fails the job with 409 and stores no plan", async () => {
    const org = await createOrg("Plan job race");
    const created = (await (await send("POST", "/scenarios", { scenario: tenYears() }, org.adminKey)).json()) as {
      id: string;
      version: number;
    };
    // Accepted at version 1 (written directly, not queued, so the race is ours to order)…
    const job = await createJob(env.DB, {
      orgId: org.orgId,
      kind: "plan",
      createdBy: org.adminKeyId,
      input: {
        request: { scenarioId: created.id, scenarioVersion: created.version, optimise: { periodMonths: 3 } },
        quotes: [],
      },
      progressTotal: 2,
    });
    // …then the scenario changes before the job runs.
    const patched = await send("PATCH", `/scenarios/${created.id}`, { name: "changed" }, org.adminKey, {
      "If-Match": `"${created.version}"`,
    });
    expect(patched.status).toBe(200);
    await runJob(env, job!.id);
    const after = (await (await get(`/jobs/${job!.id}`, org.adminKey)).json()) as JobDto;
    expect(after.status).toBe("failed");
    expect(after.error).toMatchObject({ status: 409, code: "version_conflict" });
    expect(after.error?.message).toMatch(/version 1, now 2\); no plan was stored/);
    expect(after.result).toBeUndefined();
    expect(await plansOf(created.id)).toBe(0);
  });
});
