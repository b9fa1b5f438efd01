/** Bindings of the one Worker (see the root wrangler.toml). */
export interface Env {
  DB: D1Database;
  ASSETS: Fetcher;
  /** Per client IP: anonymous `POST /evaluate`, organisation sign-up, failed key lookups. */
  PUBLIC_RATE_LIMITER: RateLimit;
  /** Per API key id: every authenticated request (600 per 60 s). */
  KEY_RATE_LIMITER: RateLimit;
  /** "open" lets anyone create an organisation through the API; "closed" turns that route off. */
  ORG_SIGNUP?: string;
}
