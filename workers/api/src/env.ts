/** Bindings of the one Worker (see the root wrangler.toml). */
export interface Env {
  DB: D1Database;
  ASSETS: Fetcher;
  PUBLIC_RATE_LIMITER: RateLimit;
}
