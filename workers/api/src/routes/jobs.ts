import { type Context, Hono } from "hono";
import type { AppEnv } from "../app.ts";
import { principalOf, requireRole } from "../auth.ts";
import { ApiError } from "../errors.ts";
import { documented } from "../openapi-registry.ts";
import type { Principal } from "../principal.ts";
import { openDb } from "../services/db.ts";
import {
  MAX_ACTIVE_JOBS_PER_ORG,
  createJob,
  deleteQueuedJob,
  getJob,
  type JobDto,
  type JobKind,
} from "../services/jobs.ts";
import { JobSchema } from "@aifp/contracts/api";

/** The 202 response `POST /optimise` and `POST /risk` give for a request run as a job. */
export const JOB_ACCEPTED_RESPONSE = {
  description:
    "Too big for one request's work budget but within a job's (API key or session only): accepted as a background job. `Location` is the job's URL (`GET /jobs/{id}`); the body is the job, `queued`.",
  schema: JobSchema,
  headers: { Location: "The job's URL, `/api/v1/jobs/{id}`" },
};

const JOB_NOT_FOUND = "No such job.";

documented({
  method: "get",
  path: "/jobs/{id}",
  tag: "Optimise",
  summary: "A background job: status, progress, and the answer once it succeeded",
  description: [
    'An optimise or risk request too big for one request\'s work budget runs as a job (docs/api.md "Background jobs"). `status` goes `queued` → `running` → `succeeded` (with `result`: what `POST /optimise` or `POST /risk` would have answered) or `failed` (with `error`: the status, code, message and field issues the request would have answered, e.g. 422 `infeasible_scenario`).',
    "`progress` counts Monte Carlo samples (risk) or solver stages (optimise). The answer and the final status are written together: a job never shows a partial answer. Poll with the `Retry-After` the answer gives while it runs. Another organisation's job is a 404.",
  ].join(" "),
  access: "viewer",
  responses: { 200: { description: "The job", schema: JobSchema } },
});

/** Jobs of the caller's organisation. */
export const jobRoutes = new Hono<AppEnv>().get("/:id", requireRole("viewer"), async (c) => {
  const job = await getJob(openDb(c.env.DB), principalOf(c).orgId, c.req.param("id"));
  if (!job) throw new ApiError(404, "not_found", JOB_NOT_FOUND);
  // Results do not change once written; until then, a poll interval.
  if (job.status === "queued" || job.status === "running") c.header("Retry-After", "1");
  c.header("Cache-Control", "private, no-store");
  return c.json(job);
});

/**
 * Writes a background job (`queued`, within the organisation's cap of active jobs; 429 beyond)
 * and sends its id to the queue. A message that cannot be queued removes the job again, so no
 * job waits for a message that never comes. The job as `GET /jobs/{id}` shows it.
 */
export async function startJobRow(
  c: Context<AppEnv>,
  principal: Principal,
  kind: JobKind,
  request: unknown,
  quotes: unknown[],
  progressTotal: number,
): Promise<JobDto> {
  const job = await createJob(c.env.DB, {
    orgId: principal.orgId,
    kind,
    createdBy: principal.id,
    input: { request, quotes },
    progressTotal,
  });
  if (!job)
    throw new ApiError(
      429,
      "rate_limited",
      `This organisation already has ${MAX_ACTIVE_JOBS_PER_ORG} background jobs queued or running; try again when one has finished.`,
      [],
      { "Retry-After": "10" },
    );
  try {
    await c.env.JOBS_QUEUE.send({ jobId: job.id });
  } catch (error) {
    await deleteQueuedJob(openDb(c.env.DB), principal.orgId, job.id);
    throw error;
  }
  return job;
}

/** Accepts a request as a background job ({@link startJobRow}): 202 with `Location`. */
export async function startJob(
  c: Context<AppEnv>,
  principal: Principal,
  kind: JobKind,
  request: unknown,
  quotes: unknown[],
  progressTotal: number,
): Promise<Response> {
  const job = await startJobRow(c, principal, kind, request, quotes, progressTotal);
  c.header("Location", `/api/v1/jobs/${job.id}`);
  c.header("Retry-After", "1");
  return c.json(job, 202);
}
