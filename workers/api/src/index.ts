import { app } from "./app.ts";
import type { Env } from "./env.ts";
import { type JobMessage, consumeJobs } from "./jobs.ts";
import { securedAsset } from "./security-headers.ts";
import { openDb } from "./services/db.ts";
import { runHousekeeping } from "./services/housekeeping.ts";

export default {
  /**
   * The API under /api/*; everything else is the SPA from the static assets (wrangler.toml runs
   * this Worker first for every path), returned with the page security headers (CSP with the
   * inline scripts' hashes, frame-ancestors, nosniff; security-headers.ts).
   */
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    if (new URL(request.url).pathname.startsWith("/api/")) return app.fetch(request, env, ctx);
    return securedAsset(request, await env.ASSETS.fetch(request));
  },

  /**
   * Background jobs (wrangler.toml `[[queues.consumers]]`, ADR 025): optimise and risk requests
   * beyond a request's work budget, run one per message (jobs.ts). An invocation that dies
   * (CPU limit) is redelivered by the queue and the job's attempt count stops it after three.
   */
  async queue(batch: MessageBatch<JobMessage>, env: Env, _ctx: ExecutionContext): Promise<void> {
    await consumeJobs(batch, env);
  },

  /**
   * The housekeeping cron (`[triggers] crons` in wrangler.toml): prunes expired and spent rows in
   * bounded batches (services/housekeeping.ts) at the controller's scheduled instant, and logs one
   * JSON line per run. A table that failed makes the run fail (after the others ran), so the
   * failure shows in the Worker's cron history; the next run retries it.
   */
  async scheduled(controller: ScheduledController, env: Env, _ctx: ExecutionContext): Promise<void> {
    const startedMs = Date.now();
    const result = await runHousekeeping(openDb(env.DB), controller.scheduledTime);
    const failedTables = Object.keys(result.failed);
    const line = {
      event: "housekeeping",
      cron: controller.cron,
      scheduledTime: new Date(controller.scheduledTime).toISOString(),
      durationMs: Date.now() - startedMs,
      deleted: result.deleted,
      backlog: result.backlog,
      failed: result.failed,
    };
    if (failedTables.length > 0) {
      console.error(JSON.stringify(line));
      throw new Error(`housekeeping failed for ${failedTables.join(", ")}`);
    }
    console.log(JSON.stringify(line));
  },
} satisfies ExportedHandler<Env, JobMessage>;
