/**
 * The queue consumer of background jobs (ADR 025, docs/api.md "Background jobs"): claims a job,
 * has the compute Worker run it under the job's work budget (ADR 029), and stores the answer or
 * the error with the final status.
 */
import type { OrgQuote } from "@aifp/catalog";
import type { ComputeOutcome } from "../../compute/src/outcome.ts";
import type { Env } from "./env.ts";
import type { OptimiseRequestInput, RiskRequestInput } from "./planner.ts";
import { openDb } from "./services/db.ts";
import { MAX_JOB_ATTEMPTS, claimJob, finishJob, setJobProgress, type JobError } from "./services/jobs.ts";

/** The one message the queue carries: which job to run (its input is in D1, not the message). */
export interface JobMessage {
  jobId: string;
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

/** The queue handler: one job per message; a message is acknowledged once its job has finished. */
export async function consumeJobs(batch: MessageBatch<JobMessage>, env: Env): Promise<void> {
  for (const message of batch.messages) {
    await runJob(env, message.body.jobId);
    message.ack();
  }
}
