/**
 * The queue consumer of background jobs (ADR 025, docs/api.md "Background jobs"): claims a job,
 * has the compute Worker run it under the job's work budget (ADR 029), and stores the answer or
 * the error with the final status.
 */
import type { OrgQuote } from "@aifp/catalog";
import type { ComputeOutcome } from "../../compute/src/outcome.ts";
import type { Env } from "./env.ts";
import { ApiError } from "./errors.ts";
import { planRowOf } from "./plan-row.ts";
import type { OptimiseRequestInput, PlanContent, PlanOptimiseOption, RiskRequestInput } from "./planner.ts";
import { assertExactlyOne, type Db } from "./services/db.ts";
import { createPlan, newPlanDto } from "./services/plans.ts";
import { getScenario } from "./services/scenarios.ts";
import { openDb } from "./services/db.ts";
import { jobs } from "@aifp/db";
import { and, eq } from "drizzle-orm";
import {
  MAX_JOB_ATTEMPTS,
  claimJob,
  finishJob,
  finishJobStatement,
  setJobProgress,
  type JobError,
} from "./services/jobs.ts";

/** The one message the queue carries: which job to run (its input is in D1, not the message). */
export interface JobMessage {
  jobId: string;
}

/**
 * What a plan job stores as its request (`POST /scenarios/{id}/plans` beyond one request's
 * limits, ADR 029): the scenario and the version read when the job was accepted.
 */
export interface PlanJobRequest {
  scenarioId: string;
  scenarioVersion: number;
  optimise: PlanOptimiseOption;
  name?: string;
}

/** A fault (not a refusal) while the compute Worker ran the job: a 500 that names nothing internal. */
const INTERNAL_JOB_ERROR: JobError = {
  status: 500,
  code: "internal",
  message: "The job failed on our side. Quote the job id if you report it.",
  issues: [],
};

/** Runs one job to its end; a job already finished (a duplicate delivery) is left alone. */
export async function runJob(env: Env, jobId: string): Promise<void> {
  const db = openDb(env.DB);
  const job = await claimJob(db, jobId);
  if (!job) return;
  if (job.attempts > MAX_JOB_ATTEMPTS) {
    await finishJob(db, job.id, {
      error: {
        status: 500,
        code: "internal",
        message: `The job stopped before finishing ${MAX_JOB_ATTEMPTS} times; it will not be retried.`,
        issues: [],
      },
    });
    return;
  }
  const quotes = job.input.quotes as OrgQuote[];
  // The work runs in the compute Worker (ADR 029); this isolate only awaits it and writes D1.
  let outcome: { result: unknown } | { error: JobError };
  try {
    let computed: ComputeOutcome<unknown>;
    if (job.kind === "risk") {
      const request = job.input.request as RiskRequestInput;
      const total = request.risk?.samples ?? 1000;
      computed = await env.COMPUTE.riskJob(request, quotes, async (done: number) => {
        await setJobProgress(db, job.id, done, total);
      });
    } else if (job.kind === "plan") {
      // The plan and the job's success are written together, or neither (runPlanJob).
      const finished = await runPlanJob(env, db, job.id, job.orgId, job.input.request as PlanJobRequest, quotes);
      if (finished === "stored") return;
      computed = { ok: false, error: finished };
    } else {
      const request = job.input.request as OptimiseRequestInput;
      await setJobProgress(db, job.id, 1, 2);
      computed = await env.COMPUTE.optimiseJob(request, quotes);
    }
    outcome = computed.ok ? { result: computed.value } : { error: computed.error };
  } catch (error) {
    console.error(`[${job.id}]`, error);
    outcome = { error: INTERNAL_JOB_ERROR };
  }
  await finishJob(db, job.id, outcome);
}

/** The refusal of a plan whose scenario is no longer the one the job was accepted for. */
function scenarioMovedOn(pinned: number, current: number | null): JobError {
  return current === null
    ? {
        status: 404,
        code: "not_found",
        message: "The scenario was deleted after this plan job was accepted; no plan was stored.",
        issues: [],
      }
    : {
        status: 409,
        code: "version_conflict",
        message: `The scenario changed after this plan job was accepted (it was at version ${pinned}, now ${current}); no plan was stored. Ask for the plan again.`,
        issues: [],
      };
}

/**
 * A plan job: reads the scenario, refuses if it is no longer at the version pinned when the job
 * was accepted, has the compute Worker optimise it under a job's bounds, then writes the plan
 * and the job's success in one batch guarded twice (the scenario still at that version, the job
 * still running): a scenario changed meanwhile, or a duplicate delivery, stores nothing.
 * "stored" when the plan and the job's end are written; otherwise the job's error.
 */
async function runPlanJob(
  env: Env,
  db: Db,
  jobId: string,
  orgId: string,
  request: PlanJobRequest,
  quotes: OrgQuote[],
): Promise<"stored" | JobError> {
  const scenario = await getScenario(db, orgId, request.scenarioId);
  if (!scenario || scenario.version !== request.scenarioVersion)
    return scenarioMovedOn(request.scenarioVersion, scenario?.version ?? null);
  await setJobProgress(db, jobId, 1, 2);
  const evaluated = (await env.COMPUTE.plan(
    scenario.scenario,
    request.optimise,
    quotes,
    true,
  )) as ComputeOutcome<PlanContent>;
  if (!evaluated.ok) return evaluated.error;
  let row;
  try {
    row = await planRowOf(orgId, scenario, request.name, evaluated.value);
  } catch (error) {
    if (error instanceof ApiError)
      return { status: error.status, code: error.code, message: error.message, issues: error.issues };
    throw error;
  }
  const created = await createPlan(db, row, [
    assertExactlyOne(db, jobs, and(eq(jobs.id, jobId), eq(jobs.status, "running"))),
    finishJobStatement(db, jobId, { result: newPlanDto(row) }),
  ]);
  if (created.kind === "created") return "stored";
  if (created.kind === "scenario_changed" && created.currentVersion === request.scenarioVersion) return "stored"; // the scenario held: the job was no longer running (another delivery ended it)
  return scenarioMovedOn(
    request.scenarioVersion,
    created.kind === "scenario_not_found" ? null : created.currentVersion,
  );
}

/** The queue handler: one job per message; a message is acknowledged once its job has finished. */
export async function consumeJobs(batch: MessageBatch<JobMessage>, env: Env): Promise<void> {
  for (const message of batch.messages) {
    await runJob(env, message.body.jobId);
    message.ack();
  }
}
