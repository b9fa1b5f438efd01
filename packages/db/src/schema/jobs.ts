import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { organisations } from "./tenancy.ts";

/** What a job stores as its input (`request_json`): the validated request and the quotes pinned when accepted. */
export interface JobInput {
  request: unknown;
  quotes: unknown[];
}

/** An error as a job stores it (`error_json`): the envelope's fields and the status a request would answer. */
export interface JobError {
  status: number;
  code: string;
  message: string;
  issues: { path: string; message: string }[];
}

/**
 * Background jobs (ADR 025): an optimise or risk request too big for one request's work budget,
 * run by the Worker's queue consumer. Tenant rows: every read is scoped to `org_id` (another
 * organisation gets 404). `request_json` is the validated request with the organisation quotes
 * it resolves against, pinned when it was accepted, so a retry computes the same answer.
 * `status`: queued → running → succeeded | failed; `result_json` and `error_json` are written in
 * the same statement as the final status (never a partial answer). `progress_done`/`progress_total`
 * count Monte Carlo samples (risk) or solver stages (optimise).
 */
export const jobs = sqliteTable(
  "jobs",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id")
      .notNull()
      .references(() => organisations.id),
    /** `optimise`, `risk` or `plan` (an optimised plan of a stored scenario, ADR 029). */
    kind: text("kind", { enum: ["optimise", "risk", "plan"] }).notNull(),
    status: text("status", { enum: ["queued", "running", "succeeded", "failed"] }).notNull(),
    /** `key_…` or `usr_…`: who asked. */
    createdBy: text("created_by").notNull(),
    requestJson: text("request_json", { mode: "json" }).$type<JobInput>().notNull(),
    progressDone: integer("progress_done").notNull().default(0),
    progressTotal: integer("progress_total").notNull().default(0),
    /** Delivery attempts the consumer started (a retry after a crash counts again). */
    attempts: integer("attempts").notNull().default(0),
    resultJson: text("result_json", { mode: "json" }).$type<unknown>(),
    errorJson: text("error_json", { mode: "json" }).$type<JobError>(),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
    finishedAt: text("finished_at"),
  },
  (table) => [
    uniqueIndex("jobs_org_id_unique").on(table.orgId, table.id),
    index("jobs_org_created_idx").on(table.orgId, table.createdAt, table.id),
  ],
);
