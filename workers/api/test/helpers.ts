import { env } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { expect } from "vitest";

/** Base URL the tests call the Worker with (requests go through the real fetch handler). */
export const ORIGIN = "http://planner.test";

/** Call the Worker's fetch handler (the same path a real request takes). */
export function api(path: string, init: RequestInit = {}): Promise<Response> {
  return exports.default.fetch(`${ORIGIN}${path.startsWith("/api/") ? path : `/api/v1${path}`}`, init);
}

/** Headers for a JSON request with an optional bearer key and extras. */
export function jsonHeaders(key?: string, extra: Record<string, string> = {}): Record<string, string> {
  return { "Content-Type": "application/json", ...(key ? { Authorization: `Bearer ${key}` } : {}), ...extra };
}

/** POST/PATCH a JSON body. */
export function send(
  method: string,
  path: string,
  body: unknown,
  key?: string,
  extra: Record<string, string> = {},
): Promise<Response> {
  return api(path, { method, headers: jsonHeaders(key, extra), body: JSON.stringify(body) });
}

/** GET with a key. */
export function get(path: string, key?: string, extra: Record<string, string> = {}): Promise<Response> {
  return api(path, { headers: { ...(key ? { Authorization: `Bearer ${key}` } : {}), ...extra } });
}

export interface TestOrg {
  orgId: string;
  adminKey: string;
  adminKeyId: string;
}

let orgCounter = 0;
// Rate limiters are shared by every test file of the run (one workerd): a random block per
// file keeps one file's sign-ups from using up another's per-IP budget (5 organisations a minute).
const ORG_IP_BLOCK = 16 + Math.floor(Math.random() * 200);

/** Create an organisation through the public sign-up route (unique client IP per call). */
export async function createOrg(name = "Test org"): Promise<TestOrg> {
  orgCounter += 1;
  const response = await api("/orgs", {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      "CF-Connecting-IP": `10.${ORG_IP_BLOCK}.${Math.floor(orgCounter / 250)}.${orgCounter % 250}`,
    },
    body: JSON.stringify({ name: `${name} ${orgCounter}` }),
  });
  expect(response.status).toBe(201);
  const body = (await response.json()) as { organisation: { id: string }; apiKey: { id: string; key: string } };
  return { orgId: body.organisation.id, adminKey: body.apiKey.key, adminKeyId: body.apiKey.id };
}

/** Create a key in the org of `adminKey`. */
export async function createKey(
  adminKey: string,
  role: "admin" | "member" = "member",
): Promise<{ id: string; key: string }> {
  const response = await send("POST", "/keys", { name: `${role} key`, role }, adminKey);
  expect(response.status).toBe(201);
  return (await response.json()) as { id: string; key: string };
}

/** The error envelope, checked for shape: code, message, requestId, issues. */
export async function expectError(
  response: Response,
  status: number,
  code?: string,
): Promise<{ code: string; message: string; requestId: string; issues: { path: string; message: string }[] }> {
  const text = await response.text();
  expect(response.status, text).toBe(status);
  expect(response.headers.get("content-type") ?? "").toMatch(/^application\/json/);
  const body = JSON.parse(text) as {
    error: { code: string; message: string; requestId: string; issues: { path: string; message: string }[] };
  };
  expect(body.error.requestId).toMatch(/^req_/);
  expect(typeof body.error.message).toBe("string");
  expect(Array.isArray(body.error.issues)).toBe(true);
  if (code) expect(body.error.code).toBe(code);
  expect(text).not.toMatch(/D1_ERROR|SQLITE|at .*\.(ts|js):\d+/);
  return body.error;
}

/** Tables the API writes, for before/after fingerprints. */
export const TENANCY_TABLES = [
  "organisations",
  "api_keys",
  "idempotency_keys",
  "scenarios",
  "plans",
  "export_links",
  "org_quotes",
  "_assert",
] as const;

/**
 * A fingerprint of every tenancy table: row count plus a digest of all rows (so an UPDATE that
 * changes no count is caught too).
 */
export async function fingerprint(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const table of TENANCY_TABLES) {
    const rows = await env.DB.prepare(`SELECT * FROM "${table}" ORDER BY rowid`).all();
    const text = JSON.stringify(rows.results);
    const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
    out[table] =
      `${rows.results.length}:${[...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
  }
  return out;
}
