import * as v from "valibot";

/** `GET /jobs/{id}`'s answer (services/jobs.ts `JobDto`). */
export const JobSchema = v.object({
  id: v.string(),
  kind: v.picklist(["optimise", "risk", "plan"]),
  status: v.picklist(["queued", "running", "succeeded", "failed"]),
  progress: v.object({ done: v.number(), total: v.number(), fraction: v.number() }),
  attempts: v.number(),
  createdAt: v.string(),
  updatedAt: v.string(),
  finishedAt: v.nullable(v.string()),
  result: v.optional(v.unknown()),
  error: v.optional(
    v.object({
      status: v.number(),
      code: v.string(),
      message: v.string(),
      issues: v.array(v.object({ path: v.string(), message: v.string() })),
    }),
  ),
});

export type Job = v.InferOutput<typeof JobSchema>;
