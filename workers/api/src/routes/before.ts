import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv } from "../app.ts";
import { callerPrincipal } from "../auth.ts";
import { clientIp, enforceRateLimit } from "../rate-limit.ts";

/**
 * A step that must run before a route's input is read (a rate limit, the Origin check, "signed
 * in?"), as middleware, so it stays ahead of the validation `documented()` mounts: a flood or an
 * anonymous caller is refused before its body is read, as when handlers read bodies themselves.
 */
export function before(step: (c: Context<AppEnv>) => unknown): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await step(c);
    await next();
  };
}

/**
 * The stateless planning routes (`/evaluate`, `/optimise`, `/risk`): an anonymous request is
 * counted against the per-IP limit before its body is read, so a flood costs us as little as
 * possible; a key's or a session's requests are counted per caller by `callerPrincipal`.
 */
export function publicPlanningLimit(route: string): MiddlewareHandler<AppEnv> {
  return before(async (c) => {
    if ((await callerPrincipal(c)) === null)
      await enforceRateLimit(c.env.PUBLIC_RATE_LIMITER, `${route}:${clientIp(c)}`, true);
  });
}
