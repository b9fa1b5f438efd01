import { and, eq, sql } from "drizzle-orm";
import { type JobError, type JobInput, jobs } from "@aifp/db";
import { randomId } from "../request-id.ts";
import { type Db, nowIso } from "./db.ts";

/**
 * Background jobs (ADR 025): rows in `jobs`, one per optimise or risk request too big for a
 * request's work budget. The route writes the row (`queued`) and sends its id to the queue; the
 * Worker's queue consumer claims it (`running`), reports progress, and writes the answer or the
 * error together with the final status in one statement, so a reader never sees a partial answer.
 */

/** `plan`: an optimised plan of a stored scenario (`POST /scenarios/{id}/plans`, ADR 029). */
export type JobKind = (typeof jobs.$inferSelect)["kind"];
export type JobStatus = (typeof jobs.$inferSelect)["status"];

/** Jobs an organisation may have queued or running at once; more is a 429 until one finishes. */
export const MAX_ACTIVE_JOBS_PER_ORG = 3;

/**
 * Deliveries of one job the consumer starts before giving up: a delivery that ended without
 * writing an answer (the isolate was stopped, e.g. past its CPU limit) leaves the job `running`
 * and the queue retries it; the third start finds two before it and fails the job instead.
 */
export const MAX_JOB_ATTEMPTS = 3;

/** What a job stores as its input, and an error as it stores it (typed columns of `@aifp/db`). */
export type { JobError, JobInput } from "@aifp/db";

/** A job as `GET /jobs/{id}` shows it. */
export interface JobDto {
  id: string;
  kind: JobKind;
  status: JobStatus;
  /** Samples done of all (risk) or solver stages done (optimise); `fraction` in [0, 1]. */
  progress: { done: number; total: number; fraction: number };
  attempts: number;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
  /** The answer `POST /optimise` or `POST /risk` would have given (succeeded only). */
  result?: unknown;
  /** The error envelope's fields, with the status the request would have answered (failed only). */
  error?: JobError;
}

type JobRow = typeof jobs.$inferSelect;

function toDto(row: JobRow): JobDto {
  const total = Math.max(0, row.progressTotal);
  const done = Math.min(total, Math.max(0, row.progressDone));
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    progress: { done, total, fraction: total === 0 ? 0 : done / total },
    attempts: row.attempts,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    finishedAt: row.finishedAt,
    ...(row.resultJson !== null ? { result: row.resultJson } : {}),
    ...(row.errorJson !== null ? { error: row.errorJson } : {}),
  };
}

/**
 * Writes a queued job unless the organisation already has {@link MAX_ACTIVE_JOBS_PER_ORG}
 * queued or running: one INSERT … SELECT … WHERE count < cap, so racing requests cannot pass
 * the cap together. Null when the cap holds.
 */
export async function createJob(
  d1: D1Database,
  job: { orgId: string; kind: JobKind; createdBy: string; input: JobInput; progressTotal: number },
): Promise<JobDto | null> {
  const id = randomId("job");
  const at = nowIso();
  const result = await d1
    .prepare(
      `INSERT INTO jobs (id, org_id, kind, status, created_by, request_json, progress_done, progress_total, attempts, created_at, updated_at)
       SELECT ?1, ?2, ?3, 'queued', ?4, ?5, 0, ?6, 0, ?7, ?7
       WHERE (SELECT count(*) FROM jobs WHERE org_id = ?2 AND status IN ('queued', 'running')) < ?8`,
    )
    .bind(
      id,
      job.orgId,
      job.kind,
      job.createdBy,
      JSON.stringify(job.input),
      job.progressTotal,
      at,
      MAX_ACTIVE_JOBS_PER_ORG,
    )
    .run();
  if (result.meta.changes !== 1) return null;
  return {
    id,
    kind: job.kind,
    status: "queued",
    progress: { done: 0, total: job.progressTotal, fraction: 0 },
    attempts: 0,
    createdAt: at,
    updatedAt: at,
    finishedAt: null,
  };
}

/** Removes a job whose message could not be queued (nothing else refers to it yet). */
export async function deleteQueuedJob(db: Db, orgId: string, id: string): Promise<void> {
  await db.delete(jobs).where(and(eq(jobs.orgId, orgId), eq(jobs.id, id), eq(jobs.status, "queued")));
}

/** One job of the organisation, or null (another organisation's is null too: 404, not 403). */
export async function getJob(db: Db, orgId: string, id: string): Promise<JobDto | null> {
  const [row] = await db
    .select()
    .from(jobs)
    .where(and(eq(jobs.orgId, orgId), eq(jobs.id, id)))
    .limit(1);
  return row ? toDto(row) : null;
}

/** A job the consumer has claimed: its input, and how many deliveries started before this one. */
export interface ClaimedJob {
  id: string;
  orgId: string;
  kind: JobKind;
  input: JobInput;
  attempts: number;
}

/**
 * Marks a queued (or, on a redelivery, running) job `running` and counts the delivery. Null
 * when the job is unknown or already finished (a duplicate delivery does nothing).
 */
export async function claimJob(db: Db, id: string): Promise<ClaimedJob | null> {
  const [row] = await db
    .update(jobs)
    .set({ status: "running", attempts: sql`${jobs.attempts} + 1`, updatedAt: nowIso() })
    .where(and(eq(jobs.id, id), sql`${jobs.status} IN ('queued', 'running')`))
    .returning();
  if (!row) return null;
  return {
    id: row.id,
    orgId: row.orgId,
    kind: row.kind,
    input: row.requestJson,
    attempts: row.attempts,
  };
}

/** Progress of a running job (ignored once it finished). */
export async function setJobProgress(db: Db, id: string, done: number, total: number): Promise<void> {
  await db
    .update(jobs)
    .set({ progressDone: done, progressTotal: total, updatedAt: nowIso() })
    .where(and(eq(jobs.id, id), eq(jobs.status, "running")));
}

/**
 * Finishes a running job: the answer (or the error) and the final status in one statement.
 * Only a running job finishes, once: a late duplicate cannot overwrite the first answer.
 */
export async function finishJob(
  db: Db,
  id: string,
  outcome: { result: unknown } | { error: JobError },
): Promise<boolean> {
  const rows = await finishJobStatement(db, id, outcome).returning({ id: jobs.id });
  return rows.length === 1;
}

/**
 * {@link finishJob} as a statement, for a batch that writes the job's product too (a plan job's
 * plan): guarded by `status = 'running'` like it; pair it with an assertion that the job is
 * running when the batch must not commit without it.
 */
export function finishJobStatement(db: Db, id: string, outcome: { result: unknown } | { error: JobError }) {
  const at = nowIso();
  return db
    .update(jobs)
    .set(
      "result" in outcome
        ? {
            status: "succeeded",
            resultJson: outcome.result,
            // A finished job's progress is complete, whatever the last report said.
            progressDone: sql`${jobs.progressTotal}`,
            updatedAt: at,
            finishedAt: at,
          }
        : { status: "failed", errorJson: outcome.error, updatedAt: at, finishedAt: at },
    )
    .where(and(eq(jobs.id, id), eq(jobs.status, "running")));
}
