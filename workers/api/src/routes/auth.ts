import { Hono, type Context } from "hono";
import type { AppEnv } from "../app.ts";
import { assertSameOrigin, securityLog } from "../auth.ts";
import { AUTH_BASE_PATH, authFor } from "../better-auth.ts";
import { ApiError } from "../errors.ts";
import { documented } from "../openapi-registry.ts";
import { clientIp, enforceRateLimit } from "../rate-limit.ts";
import { randomId } from "../request-id.ts";
import {
  SignedInSchema,
  SignedOutSchema,
  SignInBodySchema,
  SignOutBodySchema,
  SignUpBodySchema,
} from "@aifp/contracts/api";
import { sha256Hex } from "../services/secrets.ts";
import { before } from "./before.ts";

/**
 * Web sign-up, sign-in and sign-out: validated here (valibot, the error envelope), throttled per
 * IP and per e-mail address (AUTH_RATE_LIMITER, fail closed), checked for a same-origin request
 * (login CSRF), then handed to better-auth, which hashes and checks passwords (scrypt) and sets
 * or clears the session cookie. The session token never appears in a response body: the
 * browser gets it only as an HttpOnly cookie. better-auth's other endpoints are not reachable.
 */

const AUTH_TAG = "Sign-in";
const COOKIE_NOTE =
  "Sets the session cookie (`__Secure-aifp.session_token`: HttpOnly, Secure, SameSite=Strict, 7 days); the token never appears in the body. Must come from the app's own origin (`Origin` header); throttled per IP and per e-mail (10 per minute).";

const signUp = documented({
  method: "post",
  path: "/auth/sign-up/email",
  tag: AUTH_TAG,
  summary: "Create a web account (name, e-mail, password of 12+ characters) and sign in",
  description: `${COOKIE_NOTE} The answer does not say whether the address already has an account: for a taken address it is the same 200, signed in only with that account's own password, otherwise without a session (and the account is unchanged): sign in instead.`,
  access: "public",
  publicRateLimited: true,
  requestBody: { schema: SignUpBodySchema, required: true },
  responses: { 200: { description: "Signed up and signed in", schema: SignedInSchema } },
});
const signIn = documented({
  method: "post",
  path: "/auth/sign-in/email",
  tag: AUTH_TAG,
  summary: "Sign in with e-mail and password",
  description: `${COOKIE_NOTE} A wrong e-mail or password is 401, without saying which.`,
  access: "public",
  publicRateLimited: true,
  requestBody: { schema: SignInBodySchema, required: true },
  responses: { 200: { description: "Signed in", schema: SignedInSchema } },
});
const signOut = documented({
  method: "post",
  path: "/auth/sign-out",
  tag: AUTH_TAG,
  summary: "Sign out: the session is deleted on the server and the cookie cleared",
  access: "public",
  requestBody: { schema: SignOutBodySchema, required: false },
  responses: { 200: { description: "Signed out", schema: SignedOutSchema } },
});

/** Headers better-auth may look at: nothing else of the client's request is passed on. */
const FORWARDED_HEADERS = [
  "cookie",
  "origin",
  "referer",
  "user-agent",
  "cf-connecting-ip",
  "sec-fetch-site",
  "sec-fetch-mode",
  "sec-fetch-dest",
];

/** Call one better-auth endpoint with an already validated JSON body. */
async function callBetterAuth(c: Context<AppEnv>, endpoint: string, body: unknown): Promise<Response> {
  const headers = new Headers({ "content-type": "application/json" });
  for (const name of FORWARDED_HEADERS) {
    const value = c.req.header(name);
    if (value !== undefined) headers.set(name, value);
  }
  const url = new URL(`${AUTH_BASE_PATH}${endpoint}`, c.req.url);
  return authFor(c.env, c.req.url).handler(new Request(url, { method: "POST", headers, body: JSON.stringify(body) }));
}

/** Pass better-auth's Set-Cookie headers on (the session cookie), nothing else of its response. */
function copyCookies(c: Context<AppEnv>, from: Response): void {
  for (const cookie of from.headers.getSetCookie()) c.header("Set-Cookie", cookie, { append: true });
  c.header("Cache-Control", "no-store");
}

/** better-auth's error code (`{ code, message }`), for mapping to the envelope; never logged with the body. */
async function betterAuthCode(response: Response): Promise<string> {
  try {
    const body = await response.json<{ code?: unknown }>();
    return typeof body.code === "string" ? body.code : `status ${response.status}`;
  } catch {
    return `status ${response.status}`;
  }
}

function unexpected(endpoint: string, status: number, code: string): ApiError {
  console.error(`better-auth ${endpoint} answered ${status} (${code})`);
  if (status === 403) return new ApiError(403, "forbidden", "This request was refused as cross-site.");
  return new ApiError(500, "internal", "Something went wrong on our side. Quote the requestId if you report it.");
}

/** The signed-in user from better-auth's success body, without the session token it also holds. */
async function signedInUser(response: Response): Promise<{ id: string; name: string; email: string }> {
  const body = await response.json<{ user: { id: string; name: string; email: string } }>();
  return { id: body.user.id, name: body.user.name, email: body.user.email };
}

/** Throttle an attempt per client IP and per address (hashed: the limiter never sees e-mails). */
async function throttle(c: Context<AppEnv>, action: string, email: string | null): Promise<void> {
  await enforceRateLimit(c.env.AUTH_RATE_LIMITER, `${action}-ip:${clientIp(c)}`, false);
  if (email !== null) {
    await enforceRateLimit(c.env.AUTH_RATE_LIMITER, `${action}-email:${await sha256Hex(email)}`, false);
  }
}

/**
 * A sign-up for an address that already has an account (issue #19: sign-up must not enumerate
 * accounts). The answer has the status and shape of a new account's: with that account's own
 * password it signs the person in (they could sign in anyway); otherwise it is 200 with a user
 * that is not stored and no session, and the existing account gets nothing new. Both paths pay
 * one scrypt, as a new account's hash does. What remains observable is whether a session came
 * back: without e-mail verification (the product sends no mail) a new address always yields a
 * usable account and a taken one cannot, so the web page says "sign in" instead (ADR 018).
 */
async function existingAddress(
  c: Context<AppEnv>,
  body: { name: string; email: string; password: string },
): Promise<Response> {
  const signIn = await callBetterAuth(c, "/sign-in/email", { email: body.email, password: body.password });
  if (signIn.ok) {
    copyCookies(c, signIn);
    const user = await signedInUser(signIn);
    securityLog(c, "sign_in.succeeded", { userId: user.id, via: "sign-up" });
    return c.json({ user });
  }
  securityLog(c, "sign_up.existing_address", { emailHash: (await sha256Hex(body.email)).slice(0, 16) });
  c.header("Cache-Control", "no-store");
  return c.json({ user: { id: randomId("usr"), name: body.name, email: body.email } });
}

/** Sign-up, sign-in and sign-out (mounted at /api/v1/auth). */
export const authRoutes = new Hono<AppEnv>()
  .post(
    "/sign-up/email",
    before(async (c) => {
      assertSameOrigin(c);
      await throttle(c, "sign-up", null);
    }),
    signUp,
    async (c) => {
      const body = c.req.valid("json");
      // Every sign-up spends the address's sign-in budget: a sign-up for an existing address tries
      // its password (below), and must not be a way round the sign-in throttle.
      await enforceRateLimit(c.env.AUTH_RATE_LIMITER, `sign-in-email:${await sha256Hex(body.email)}`, false);
      const response = await callBetterAuth(c, "/sign-up/email", body);
      if (!response.ok) {
        const code = await betterAuthCode(response);
        if (code.includes("ALREADY_EXISTS")) return existingAddress(c, body);
        throw unexpected("sign-up", response.status, code);
      }
      copyCookies(c, response);
      const user = await signedInUser(response);
      securityLog(c, "sign_up.succeeded", { userId: user.id });
      return c.json({ user });
    },
  )
  .post("/sign-in/email", before(assertSameOrigin), signIn, async (c) => {
    const body = c.req.valid("json");
    await throttle(c, "sign-in", body.email);
    const response = await callBetterAuth(c, "/sign-in/email", body);
    if (!response.ok) {
      const code = await betterAuthCode(response);
      if (response.status === 401 || code.startsWith("INVALID_")) {
        securityLog(c, "sign_in.failed", { emailHash: (await sha256Hex(body.email)).slice(0, 16) });
        throw new ApiError(401, "unauthenticated", "The e-mail address or the password is wrong.");
      }
      throw unexpected("sign-in", response.status, code);
    }
    copyCookies(c, response);
    const user = await signedInUser(response);
    securityLog(c, "sign_in.succeeded", { userId: user.id });
    return c.json({ user });
  })
  .post("/sign-out", before(assertSameOrigin), signOut, async (c) => {
    const response = await callBetterAuth(c, "/sign-out", {});
    // Signing out without a (valid) session is fine: the browser ends up signed out either way.
    if (!response.ok && response.status >= 500)
      throw unexpected("sign-out", response.status, await betterAuthCode(response));
    copyCookies(c, response);
    securityLog(c, "sign_out", { ok: response.ok });
    return c.json({ signedOut: true as const });
  });
