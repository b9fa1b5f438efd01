import type { Compute } from "../../compute/src/index.ts";

/** Bindings of the API Worker (see the root wrangler.toml). */
export interface Env {
  DB: D1Database;
  ASSETS: Fetcher;
  /** Per client IP: anonymous `POST /evaluate`, organisation sign-up, failed key lookups. */
  PUBLIC_RATE_LIMITER: RateLimit;
  /** Per API key id: every authenticated request (600 per 60 s). */
  KEY_RATE_LIMITER: RateLimit;
  /** Per client IP and per e-mail address: sign-in and sign-up attempts (10 per 60 s). */
  AUTH_RATE_LIMITER: RateLimit;
  /** Per client IP: organisations created through `POST /orgs` (5 per 60 s). */
  ORG_SIGNUP_RATE_LIMITER: RateLimit;
  /**
   * Signs the session cookie (better-auth's secret, at least 32 characters). A secret in
   * production (`wrangler secret put BETTER_AUTH_SECRET`); locally `npm start` writes a random one
   * to `.dev.vars`. Without it, web sign-in is off (500) and API keys keep working.
   */
  BETTER_AUTH_SECRET?: string;
  /**
   * The one origin the app is served from (`https://planner.example.com`). Cookie-authenticated
   * writes must come from it (CSRF); unset locally, where the request's own origin is used.
   */
  PUBLIC_ORIGIN?: string;
  /**
   * Background jobs (ADR 025): optimise and risk requests too big for a request's work budget.
   * Producer and consumer are this Worker (`[[queues.*]]` in wrangler.toml); the message is the
   * job id, the job itself is a D1 row.
   */
  JOBS_QUEUE: Queue<{ jobId: string }>;
  /**
   * The compute Worker (ADR 029, workers/compute): every optimiser solve and risk analysis, run
   * in its own isolates so this one only awaits them. RPC to its `Compute` entrypoint.
   */
  COMPUTE: Service<Compute>;
  /** "open" lets anyone create an organisation through the API; "closed" turns that route off. */
  ORG_SIGNUP?: string;
}
