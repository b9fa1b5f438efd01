/**
 * The queue consumer of background jobs (ADR 025, docs/api.md "Background jobs"): claims a job,
 * runs it under the job's work budget, and stores the answer or the error with the final status.
 */
import type { OrgQuote } from "@aifp/catalog";
import type { Env } from "./env.ts";
import { ApiError } from "./errors.ts";
import { optimiseJob, riskJob, type OptimiseRequestInput, type RiskRequestInput } from "./planner.ts";
import { openDb } from "./services/db.ts";
import { MAX_JOB_ATTEMPTS, claimJob, finishJob, setJobProgress, type JobError } from "./services/jobs.ts";
import { discardIsolateSolver, isolateSolver } from "./solver.ts";

/** The one message the queue carries: which job to run (its input is in D1, not the message). */
export interface JobMessage {
  jobId: string;
}

/**
 * Monte Carlo work per chunk between two yields, in the units of the risk budget (samples ×
 * months × max(options, 8)): ~50,000 units is ~20 ms of CPU at the measured ~0.41 µs per unit,
 * so a request arriving during a job waits at most about that long for the isolate.
 */
export const RISK_CHUNK_WORK = 50_000;

/** Progress is written to D1 at most this often (in fractions of the samples): ~10 writes a job. */
const PROGRESS_WRITE_STEP = 0.1;

/** Lets the isolate serve whatever arrived meanwhile (a timer turn: I/O and requests go first). */
const yieldToIsolate = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/** The work units of one Monte Carlo sample of this request (for the chunk size). */
function unitsPerSample(request: RiskRequestInput): number {
  return Math.round(request.scenario.horizonYears * 12) * Math.max(request.scenario.options.length, 8);
}

function errorOf(error: unknown): JobError {
  if (error instanceof ApiError)
    return { status: error.status, code: error.code, message: error.message, issues: error.issues };
  return {
    status: 500,
    code: "internal",
    message: "The job failed on our side. Quote the job id if you report it.",
    issues: [],
  };
}

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
  let outcome: { result: unknown } | { error: JobError };
  try {
    if (job.kind === "risk") {
      const request = job.input.request as RiskRequestInput;
      const total = request.risk?.samples ?? 1000;
      let written = 0;
      let pending = 0;
      const result = await riskJob(request, quotes, {
        chunkSize: Math.max(1, Math.floor(RISK_CHUNK_WORK / unitsPerSample(request))),
        onProgress: ({ done }) => {
          pending = done;
        },
        yieldToHost: async () => {
          if ((pending - written) / total >= PROGRESS_WRITE_STEP) {
            written = pending;
            await setJobProgress(db, job.id, pending, total);
          } else await yieldToIsolate();
        },
      });
      outcome = { result };
    } else {
      const request = job.input.request as OptimiseRequestInput;
      await setJobProgress(db, job.id, 1, 2);
      outcome = { result: await optimiseJob(request, isolateSolver, quotes) };
    }
  } catch (error) {
    if (!(error instanceof ApiError)) {
      console.error(`[${job.id}]`, error);
      if (job.kind === "optimise") discardIsolateSolver();
    }
    outcome = { error: errorOf(error) };
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
