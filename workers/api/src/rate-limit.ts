import type { Context } from "hono";
import { ApiError } from "./errors.ts";

/** Seconds a client should wait after a 429: the limiter's window (wrangler.toml `period`). */
export const RETRY_AFTER_SECONDS = 60;

/** The caller's IP as Cloudflare reports it (`CF-Connecting-IP`; set by the edge, not the client). */
export function clientIp(c: Context): string {
  return c.req.header("cf-connecting-ip") ?? "unknown";
}

/**
 * Count one request against a Workers rate-limit binding and throw 429 (`Retry-After`) when the
 * key is over its limit. When the limiter itself fails: `failOpen` lets the request through
 * (reads, evaluation), otherwise the request is refused (sign-up, key creation), as
 * docs/reliability.md §2.10 asks.
 */
export async function enforceRateLimit(limiter: RateLimit, key: string, failOpen: boolean): Promise<void> {
  let success: boolean;
  try {
    ({ success } = await limiter.limit({ key }));
  } catch (error) {
    console.error("rate limiter unavailable", error instanceof Error ? error.message : String(error));
    if (failOpen) return;
    success = false;
  }
  if (!success) {
    throw new ApiError(429, "rate_limited", `Too many requests. Retry after ${RETRY_AFTER_SECONDS} seconds.`, [], {
      "Retry-After": String(RETRY_AFTER_SECONDS),
    });
  }
}
