import type { Context, MiddlewareHandler } from "hono";
import { matchedRoutes } from "hono/route";
import { sha256Hex } from "@aifp/db";
import type { AppEnv } from "./app.ts";
import { appOrigin, authFor, hasSessionCookie } from "./better-auth.ts";
import { ApiError } from "./errors.ts";
import { type Access, ROUTE_SPECS } from "./openapi-registry.ts";
import { clientIp, enforceRateLimit } from "./rate-limit.ts";
import { type Role, roleAtLeast } from "./schemas.ts";
import { openDb } from "./services/db.ts";
import { findPrincipalByKeyHash } from "./services/keys.ts";
import type { Principal } from "./principal.ts";
import { roleOfUser } from "./services/memberships.ts";

export type { Principal };

/**
 * Who may call what (docs/accounts.md). Two ways in, one principal:
 * - an API key: `Authorization: Bearer aifp_live_…` (scripts, spreadsheets);
 * - a web session: better-auth's HttpOnly cookie, in the organisation the session is working
 *   in, with the person's role read from `memberships` on every request.
 * Both reach the same routes and services as a {@link Principal}. Every route declares the role
 * it needs (`requireRole`, and the route registry's `access`, enforced again in app.ts: deny by
 * default).
 */

/** A signed-in person (web session), whether or not they work in an organisation yet. */
export interface SessionUser {
  id: string;
  name: string;
  email: string;
  sessionId: string;
  /** The organisation the session works in (null before creating or joining one). */
  activeOrgId: string | null;
}

/**
 * A query parameter name that looks like a credential, compared without case and without `-`,
 * `_` or `.` (`API_KEY`, `Api-Key`, `access.token`): refused on every route (ASVS 14.2.1).
 */
const CREDENTIAL_QUERY_NAME =
  /^(?:(?:x)?api)?key$|token$|secret$|^(?:password|passwd|authorization|auth|bearer|credentials?)$/;

/** A query value that carries one of our secrets (`aifp_live_…`, `aifp_share_…`, …) or a bearer header. */
const CREDENTIAL_QUERY_VALUE = /aifp_(?:live|share|inv|link)_|^bearer\s/i;

/**
 * How to name the first query parameter whose name or value looks like a credential (`?api_key=`;
 * `a query parameter` when the name itself may be the secret), or null when none does.
 */
export function credentialInQuery(url: URL): string | null {
  for (const [name, value] of url.searchParams) {
    if (CREDENTIAL_QUERY_VALUE.test(name)) return "a query parameter";
    if (CREDENTIAL_QUERY_NAME.test(name.toLowerCase().replace(/[-_.]/g, "")) || CREDENTIAL_QUERY_VALUE.test(value))
      return `?${name.slice(0, 40)}=`;
  }
  return null;
}

/** Longest Authorization header value we look at (a key is ~54 characters). */
const MAX_AUTHORIZATION_LENGTH = 512;

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

function unauthenticated(message: string): ApiError {
  return new ApiError(401, "unauthenticated", message, [], { "WWW-Authenticate": 'Bearer realm="api"' });
}

/** Refuse credentials in the URL: they end up in logs, histories and Referer headers. */
export const refuseKeyInQuery: MiddlewareHandler<AppEnv> = async (c, next) => {
  const name = credentialInQuery(new URL(c.req.url));
  if (name !== null) {
    // The parameter's name only, cut short: never the value (it may be the secret).
    throw unauthenticated(
      `API keys are accepted only as "Authorization: Bearer <key>", never in the URL (${name}). For spreadsheets, create a signed export link.`,
    );
  }
  await next();
};

/**
 * CSRF defence for cookie-authenticated writes (docs/reliability.md S12). The session cookie is
 * SameSite=Strict and the API refuses non-JSON writes (415, which forces a CORS preflight); on
 * top, a write must say where it comes from: `Origin` equal to the app's origin, or, when a
 * browser sends no Origin, `Sec-Fetch-Site: same-origin`. Anything else is 403.
 */
export function assertSameOrigin(c: Context<AppEnv>): void {
  if (SAFE_METHODS.has(c.req.method)) return;
  const expected = appOrigin(c.env, c.req.url);
  const origin = c.req.header("origin");
  if (origin !== undefined) {
    if (origin === expected) return;
  } else if (c.req.header("sec-fetch-site") === "same-origin") return;
  securityLog(c, "cross_site.refused", { method: c.req.method, path: new URL(c.req.url).pathname });
  throw new ApiError(
    403,
    "forbidden",
    "Cross-site request refused: changes made with a signed-in session must come from the planner's own pages.",
  );
}

/**
 * Authenticate `Authorization: Bearer <key>` (and nothing else): SHA-256 the key, look it up,
 * refuse unknown, revoked and expired keys with 401, then count the request against the key's
 * rate limit. Returns null when no Authorization header was sent.
 */
export async function authenticate(c: Context<AppEnv>): Promise<Principal | null> {
  const cached = c.get("principal");
  if (cached?.kind === "key") return cached;
  const header = c.req.header("authorization");
  if (header === undefined) return null;
  const match = header.length <= MAX_AUTHORIZATION_LENGTH ? /^Bearer ([\x21-\x7e]+)$/i.exec(header.trim()) : null;
  if (!match) throw unauthenticated('Send the API key as "Authorization: Bearer <key>".');
  const token = match[1] as string;
  const lookup = await findPrincipalByKeyHash(openDb(c.env.DB), await sha256Hex(token), new Date().toISOString());
  if (!lookup.ok) {
    securityLog(c, "api_key.refused", { reason: lookup.reason });
    // Guessing keys costs the guesser: failed lookups count against the IP's public limit.
    await enforceRateLimit(c.env.PUBLIC_RATE_LIMITER, `auth-fail:${clientIp(c)}`, false);
    throw unauthenticated(
      lookup.reason === "unknown" ? "The API key is not valid." : `The API key is ${lookup.reason}.`,
    );
  }
  await enforceRateLimit(c.env.KEY_RATE_LIMITER, lookup.principal.id, c.req.method === "GET");
  c.set("principal", lookup.principal);
  return lookup.principal;
}

/**
 * The signed-in person behind the request's session cookie, or null (no cookie, an unknown,
 * expired or signed-out session, or a request that carries an API key: keys win).
 */
export async function sessionUser(c: Context<AppEnv>): Promise<SessionUser | null> {
  const cached = c.get("user");
  if (cached !== undefined) return cached;
  let user: SessionUser | null = null;
  if (c.req.header("authorization") === undefined && hasSessionCookie(c.req.header("cookie"))) {
    const found = await authFor(c.env, c.req.url).api.getSession({ headers: c.req.raw.headers });
    if (found) {
      user = {
        id: found.user.id,
        name: found.user.name,
        email: found.user.email,
        sessionId: found.session.id,
        activeOrgId: (found.session as { activeOrgId?: string | null }).activeOrgId ?? null,
      };
    }
  }
  c.set("user", user);
  return user;
}

/**
 * The caller as a principal: the API key when one is sent, else the session's person in their
 * active organisation with their current role. Null for anonymous callers and for signed-in
 * people who have no organisation (yet, or any more).
 */
export async function callerPrincipal(c: Context<AppEnv>): Promise<Principal | null> {
  const cached = c.get("principal");
  if (cached) return cached;
  const key = await authenticate(c);
  if (key) return key;
  const user = await sessionUser(c);
  if (!user || user.activeOrgId === null) return null;
  const role = await roleOfUser(openDb(c.env.DB), user.activeOrgId, user.id);
  if (role === null) return null;
  const principal: Principal = { kind: "session", id: user.id, orgId: user.activeOrgId, role };
  await enforceRateLimit(c.env.KEY_RATE_LIMITER, `user:${user.id}`, c.req.method === "GET");
  c.set("principal", principal);
  return principal;
}

/**
 * Middleware: the route needs at least `role` in an organisation (viewer < editor < admin),
 * through an API key or a web session alike. No credentials → 401; a signed-in person without
 * an organisation, or with too weak a role → 403; a cross-site cookie write → 403.
 */
export function requireRole(role: Role): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await checkRole(c, role);
    await next();
  };
}

/** The check behind {@link requireRole}, for code that decides the role at run time. */
export async function checkRole(c: Context<AppEnv>, role: Role): Promise<Principal> {
  const principal = await callerPrincipal(c);
  if (principal === null) {
    if (await sessionUser(c)) {
      throw new ApiError(403, "forbidden", "Create an organisation or accept an invitation to one first.");
    }
    throw unauthenticated('Sign in, or send an API key as "Authorization: Bearer <key>".');
  }
  if (principal.kind === "session") assertSameOrigin(c);
  if (!roleAtLeast(principal.role, role)) {
    securityLog(c, "role.refused", {
      kind: principal.kind,
      id: principal.id,
      orgId: principal.orgId,
      role: principal.role,
      needed: role,
    });
    throw new ApiError(
      403,
      "forbidden",
      `This needs the ${role} role; ${principal.kind === "key" ? "this key has" : "you have"} ${principal.role}.`,
    );
  }
  return principal;
}

/**
 * Middleware: the route is for a signed-in person (their own account: creating an
 * organisation, accepting an invitation, switching organisation), not for API keys.
 */
export function requireUser(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await userOf(c);
    await next();
  };
}

/** The signed-in person of a route behind {@link requireUser} (401 without a session). */
export async function userOf(c: Context<AppEnv>): Promise<SessionUser> {
  if (c.req.header("authorization") !== undefined) {
    await authenticate(c);
    throw new ApiError(403, "forbidden", "This is for people signed in to the web app, not for API keys.");
  }
  const user = await sessionUser(c);
  if (!user) throw unauthenticated("Sign in first.");
  assertSameOrigin(c);
  return user;
}

/**
 * @deprecated Use {@link requireRole}. Kept for callers written before roles were split:
 * `member` means `editor`.
 */
export function requireKey(role: Role | "member" = "member"): MiddlewareHandler<AppEnv> {
  return requireRole(role === "member" ? "editor" : role);
}

/** The authenticated caller of a route behind `requireRole` (throws 401 if called elsewhere). */
export function principalOf(c: Context<AppEnv>): Principal {
  const principal = c.get("principal");
  if (!principal) throw unauthenticated("Sign in, or send an API key.");
  return principal;
}

/** `/api/v1/scenarios/:id` → `/scenarios/{id}`: a hono route path as the route registry writes it. */
export function specPathOf(honoPath: string): string {
  return honoPath.replace(/^\/api\/v1/, "").replace(/:(\w+)/g, "{$1}") || "/";
}

let accessByRoute: Map<string, Access> | null = null;

/** The declared access of `METHOD /path`, from the route registry (built once per isolate). */
export function declaredAccess(method: string, specPath: string): Access | undefined {
  accessByRoute ??= new Map(ROUTE_SPECS.map((spec) => [`${spec.method.toUpperCase()} ${spec.path}`, spec.access]));
  return accessByRoute.get(`${method} ${specPath}`);
}

/**
 * App-wide middleware, deny by default: finds the route that will answer, looks up the access
 * it declares in the route registry, and enforces it before any handler runs (`user`: a
 * signed-in person; `viewer`/`editor`/`admin`: that role at least). A served route that
 * declares nothing is refused (403) and logged. Unknown paths fall through to the 404.
 */
export const enforceDeclaredAccess: MiddlewareHandler<AppEnv> = async (c, next) => {
  const handlerRoute = matchedRoutes(c).findLast((route) => route.method !== "ALL");
  if (handlerRoute === undefined) return next();
  const method = c.req.method === "HEAD" ? "GET" : c.req.method;
  const access = declaredAccess(method, specPathOf(handlerRoute.path));
  if (access === undefined) {
    console.error(`route ${method} ${handlerRoute.path} declares no access: refused (deny by default)`);
    throw new ApiError(403, "forbidden", "This route is not open to anyone yet.");
  }
  if (access === "user") await userOf(c);
  else if (access === "viewer" || access === "editor" || access === "admin") await checkRole(c, access);
  await next();
};

/**
 * One structured line per security event (ASVS 16.3: authentication and authorisation events
 * are logged): what happened, the request id and ids only. Never a password, key, token,
 * cookie or e-mail address: callers pass ids, key `start`s and hashes.
 */
export function securityLog(
  c: Context<AppEnv>,
  event: string,
  fields: Record<string, string | number | boolean | null> = {},
): void {
  console.info(JSON.stringify({ type: "security", event, requestId: c.get("requestId"), ip: clientIp(c), ...fields }));
}
