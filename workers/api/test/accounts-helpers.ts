import { expect } from "vitest";
import { ORIGIN, api } from "./helpers.ts";

/**
 * Web-session helpers for the accounts tests: sign up through the real routes (better-auth in
 * workerd, D1), keep the session cookie, and call the API as a browser on the app's origin would.
 */

/** A password that passes the 12-character rule; every test user gets its own. */
export function strongPassword(): string {
  return `correct horse ${crypto.randomUUID().slice(0, 8)} battery`;
}

let ipCounter = 0;
/** A fresh client IP per call (TEST-NET-2), so per-IP sign-in limits never couple tests. */
export function freshIp(): string {
  ipCounter += 1;
  return `198.51.${Math.floor(ipCounter / 250) % 250}.${(ipCounter % 250) + 1}`;
}

export interface TestUser {
  userId: string;
  name: string;
  email: string;
  password: string;
  /** `name=value` of the session cookie, ready for a Cookie header. */
  cookie: string;
}

/** The session cookie (`name=value`) a response sets, or null. */
export function sessionCookieOf(response: Response): string | null {
  for (const header of response.headers.getSetCookie()) {
    const pair = header.split(";")[0] ?? "";
    const [name, value] = pair.split("=");
    if (name?.endsWith("aifp.session_token") && value) return pair;
  }
  return null;
}

/** Headers of a same-origin browser request with the session cookie (JSON body if any). */
export function browserHeaders(cookie: string | null, extra: Record<string, string> = {}): Record<string, string> {
  return {
    "Content-Type": "application/json",
    Origin: ORIGIN,
    ...(cookie ? { Cookie: cookie } : {}),
    ...extra,
  };
}

/** POST a JSON body to an auth endpoint from the app's origin, from a fresh IP. */
export function authPost(path: string, body: unknown, extra: Record<string, string> = {}): Promise<Response> {
  return api(path, {
    method: "POST",
    headers: { "Content-Type": "application/json", Origin: ORIGIN, "CF-Connecting-IP": freshIp(), ...extra },
    body: JSON.stringify(body),
  });
}

let userCounter = 0;

/** Sign up a new person through `POST /auth/sign-up/email`; returns their session. */
export async function signUp(label = "user"): Promise<TestUser> {
  userCounter += 1;
  const email = `${label}.${userCounter}.${crypto.randomUUID().slice(0, 6)}@example.com`;
  const password = strongPassword();
  const name = `${label} ${userCounter}`;
  const response = await authPost("/auth/sign-up/email", { name, email, password });
  const text = await response.text();
  expect(response.status, text).toBe(200);
  const cookie = sessionCookieOf(response);
  expect(cookie, "sign-up sets the session cookie").not.toBeNull();
  const body = JSON.parse(text) as { user: { id: string } };
  return { userId: body.user.id, name, email, password, cookie: cookie as string };
}

/** A request as this session (same origin), with an optional JSON body. */
export function asUser(
  user: TestUser | null,
  method: string,
  path: string,
  body?: unknown,
  extra: Record<string, string> = {},
): Promise<Response> {
  return api(path, {
    method,
    headers: browserHeaders(user?.cookie ?? null, extra),
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

/** Create an organisation as this person (they become its admin); returns its id. */
export async function createOrgAs(user: TestUser, name = "Org"): Promise<string> {
  const response = await asUser(user, "POST", "/me/orgs", { name });
  const text = await response.text();
  expect(response.status, text).toBe(201);
  return (JSON.parse(text) as { organisation: { id: string } }).organisation.id;
}

/** Invite by link as an admin session or key holder; returns the token from the link. */
export async function inviteToken(
  admin: TestUser,
  role: "viewer" | "editor" | "admin",
): Promise<{ id: string; token: string; url: string }> {
  const response = await asUser(admin, "POST", "/invitations", { role });
  const text = await response.text();
  expect(response.status, text).toBe(201);
  const body = JSON.parse(text) as { id: string; url: string };
  const token = body.url.split("#")[1] ?? "";
  expect(token).toMatch(/^aifp_inv_[1-9A-HJ-NP-Za-km-z]{40,48}$/);
  return { id: body.id, token, url: body.url };
}

/** Sign up a person and have them join `admin`'s organisation with `role` through an invitation. */
export async function addMember(
  admin: TestUser,
  role: "viewer" | "editor" | "admin",
  label: string = role,
): Promise<TestUser> {
  const { token } = await inviteToken(admin, role);
  const user = await signUp(label);
  const response = await asUser(user, "POST", "/invitations/accept", { token });
  const text = await response.text();
  expect(response.status, text).toBe(200);
  return user;
}
