import { betterAuth } from "better-auth";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { accounts, sessions, users, verifications } from "@aifp/db";
import type { Env } from "./env.ts";
import { ApiError } from "./errors.ts";
import { randomId } from "./request-id.ts";
import { openDb } from "./services/db.ts";
import { firstOrgOfUser } from "./services/memberships.ts";
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from "@aifp/contracts/api";

/**
 * Web sign-in through better-auth (docs/decisions/010-auth-library.md): e-mail and password,
 * scrypt password hashes (better-auth's default: N = 16384, r = 16, p = 1, 64-byte key, run by
 * workerd's native `node:crypto`), database sessions in D1 through the drizzle adapter, and the
 * session token in an HttpOnly, Secure, SameSite=Strict cookie signed with BETTER_AUTH_SECRET.
 *
 * Only three of its endpoints are reachable (routes/auth.ts: sign-up, sign-in, sign-out); the
 * API reads sessions server-side with `auth.api.getSession`. Organisations, memberships, roles,
 * invitations and the audit log are the project's own tables (services/memberships.ts).
 */

/** Where better-auth's handler is mounted (routes/auth.ts forwards only its three endpoints). */
export const AUTH_BASE_PATH = "/api/v1/auth";

/** Cookie names start with this (`__Secure-aifp.session_token`). */
export const COOKIE_PREFIX = "aifp";

/** Session lifetime: 7 days from sign-in, not extended by use (sign in again after). */
export const SESSION_TTL_SECONDS = 7 * 24 * 3600;

/** Password length bounds: part of the wire contract (the sign-up body schema checks them). */
export { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH };

/** Shortest secret we accept for signing session cookies (better-auth asks 32+). */
const MIN_SECRET_LENGTH = 32;

const ID_PREFIXES: Record<string, string> = {
  user: "usr",
  session: "ses",
  account: "acc",
  verification: "ver",
};

/**
 * The origin the app is served from: `PUBLIC_ORIGIN` when configured (production), otherwise
 * the request's own origin (local `wrangler dev`, tests).
 */
export function appOrigin(env: Env, requestUrl: string): string {
  return env.PUBLIC_ORIGIN ? new URL(env.PUBLIC_ORIGIN).origin : new URL(requestUrl).origin;
}

function createAuth(env: Env, origin: string) {
  const secret = env.BETTER_AUTH_SECRET;
  if (!secret || secret.length < MIN_SECRET_LENGTH) {
    console.error("BETTER_AUTH_SECRET is missing or shorter than 32 characters: web sign-in is off.");
    throw new ApiError(500, "internal", "Web sign-in is not configured on this server. API keys still work.");
  }
  const db = openDb(env.DB);
  return betterAuth({
    appName: "AI Factory Planner",
    baseURL: origin,
    basePath: AUTH_BASE_PATH,
    secret,
    trustedOrigins: [origin],
    database: drizzleAdapter(db, {
      provider: "sqlite",
      schema: { user: users, session: sessions, account: accounts, verification: verifications },
    }),
    emailAndPassword: {
      enabled: true,
      autoSignIn: true,
      requireEmailVerification: false,
      minPasswordLength: MIN_PASSWORD_LENGTH,
      maxPasswordLength: MAX_PASSWORD_LENGTH,
    },
    session: {
      expiresIn: SESSION_TTL_SECONDS,
      disableSessionRefresh: true,
      additionalFields: { activeOrgId: { type: "string", required: false, input: false } },
    },
    databaseHooks: {
      session: {
        create: {
          // A new session starts in the organisation the person joined first (if any).
          before: async (session) => ({
            data: { ...session, activeOrgId: await firstOrgOfUser(db, session.userId) },
          }),
        },
      },
    },
    // Sign-in and sign-up are throttled by the Workers rate-limit binding in routes/auth.ts
    // (per IP and per e-mail, shared by all isolates), not by better-auth's per-isolate memory.
    rateLimit: { enabled: false },
    telemetry: { enabled: false },
    logger: { level: "error" },
    advanced: {
      useSecureCookies: true,
      cookiePrefix: COOKIE_PREFIX,
      defaultCookieAttributes: { httpOnly: true, secure: true, sameSite: "strict", path: "/" },
      ipAddress: { ipAddressHeaders: ["cf-connecting-ip"] },
      database: { generateId: ({ model }) => randomId(ID_PREFIXES[model] ?? "id") },
    },
  });
}

export type Auth = ReturnType<typeof createAuth>;

// One instance per D1 binding and origin, per isolate: building the auth object is not free.
const instances = new WeakMap<D1Database, Map<string, Auth>>();

/** The better-auth instance for this request (500 when the session secret is not configured). */
export function authFor(env: Env, requestUrl: string): Auth {
  const origin = appOrigin(env, requestUrl);
  let byOrigin = instances.get(env.DB);
  if (!byOrigin) {
    byOrigin = new Map();
    instances.set(env.DB, byOrigin);
  }
  let auth = byOrigin.get(origin);
  if (!auth) {
    auth = createAuth(env, origin);
    if (byOrigin.size > 8) byOrigin.clear();
    byOrigin.set(origin, auth);
  }
  return auth;
}

/** True when the request carries a session cookie of ours (so it is worth a session lookup). */
export function hasSessionCookie(cookieHeader: string | undefined): boolean {
  return cookieHeader !== undefined && cookieHeader.includes(`${COOKIE_PREFIX}.session_token=`);
}
