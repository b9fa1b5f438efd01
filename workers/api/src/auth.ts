import type { Context, MiddlewareHandler } from "hono";
import { sha256Hex } from "@aifp/db";
import type { AppEnv } from "./app.ts";
import { ApiError } from "./errors.ts";
import { clientIp, enforceRateLimit } from "./rate-limit.ts";
import type { Role } from "./schemas.ts";
import { openDb } from "./services/db.ts";
import { type Principal, findPrincipalByKeyHash } from "./services/keys.ts";

/** Query parameters that look like a credential: refused on every route (ASVS 14.2.1). */
const CREDENTIAL_QUERY_PARAMS = ["api_key", "apikey", "apiKey", "key", "access_token", "token"];

/** Longest Authorization header value we look at (a key is ~54 characters). */
const MAX_AUTHORIZATION_LENGTH = 512;

function unauthenticated(message: string): ApiError {
  return new ApiError(401, "unauthenticated", message, [], { "WWW-Authenticate": 'Bearer realm="api"' });
}

/** Refuse credentials in the URL: they end up in logs, histories and Referer headers. */
export const refuseKeyInQuery: MiddlewareHandler<AppEnv> = async (c, next) => {
  const url = new URL(c.req.url);
  for (const name of CREDENTIAL_QUERY_PARAMS) {
    if (url.searchParams.has(name)) {
      throw unauthenticated(
        `API keys are accepted only as "Authorization: Bearer <key>", never in the URL (?${name}=). For spreadsheets, create a signed export link.`,
      );
    }
  }
  await next();
};

/**
 * Authenticate `Authorization: Bearer <key>` (and nothing else): SHA-256 the key, look it up,
 * refuse unknown, revoked and expired keys with 401, then count the request against the key's
 * rate limit. Returns null when no Authorization header was sent.
 */
export async function authenticate(c: Context<AppEnv>): Promise<Principal | null> {
  const header = c.req.header("authorization");
  if (header === undefined) return null;
  const match = header.length <= MAX_AUTHORIZATION_LENGTH ? /^Bearer ([\x21-\x7e]+)$/i.exec(header.trim()) : null;
  if (!match) throw unauthenticated('Send the API key as "Authorization: Bearer <key>".');
  const token = match[1] as string;
  const lookup = await findPrincipalByKeyHash(openDb(c.env.DB), await sha256Hex(token), new Date().toISOString());
  if (!lookup.ok) {
    // Guessing keys costs the guesser: failed lookups count against the IP's public limit.
    await enforceRateLimit(c.env.PUBLIC_RATE_LIMITER, `auth-fail:${clientIp(c)}`, false);
    throw unauthenticated(
      lookup.reason === "unknown" ? "The API key is not valid." : `The API key is ${lookup.reason}.`,
    );
  }
  await enforceRateLimit(c.env.KEY_RATE_LIMITER, lookup.principal.keyId, c.req.method === "GET");
  c.set("principal", lookup.principal);
  return lookup.principal;
}

/**
 * Middleware for every organisation-scoped route: a valid key is required (401 otherwise);
 * `role: "admin"` routes answer 403 to member keys.
 */
export function requireKey(role: Role = "member"): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const principal = await authenticate(c);
    if (principal === null) throw unauthenticated('This route needs an API key: send "Authorization: Bearer <key>".');
    if (role === "admin" && principal.role !== "admin") {
      throw new ApiError(403, "forbidden", "This route needs an admin key.");
    }
    await next();
  };
}

/** The authenticated caller of a route behind `requireKey` (throws 401 if called elsewhere). */
export function principalOf(c: Context<AppEnv>): Principal {
  const principal = c.get("principal");
  if (!principal) throw unauthenticated("This route needs an API key.");
  return principal;
}
