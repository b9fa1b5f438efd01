import { createExecutionContext, env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { smallScenario } from "./fixtures.ts";
import { app } from "../src/app.ts";
import { ORIGIN, api, createKey, createOrg, fingerprint, send } from "./helpers.ts";
import { type OrgCtx, TARGETS } from "./fuzz-targets.ts";
import { BATCH, type FuzzRequest, RUNS, SEED, payloadsFor } from "./fuzz-payloads.ts";

/**
 * The fuzz suite's runner (docs/reliability.md §3.2, issue #19), shared by its two files: each
 * file fuzzes its own routes (issue 20 split one 620-line file in two), a route's seed is the
 * run's seed plus the route's place in TARGETS, whichever file runs it.
 */

/** Each fuzz file and the routes it covers; together, every route of TARGETS exactly once. */
export const FUZZ_FILES = {
  "test/fuzz-records.test.ts": [
    "create org",
    "create key",
    "create scenario",
    "update scenario",
    "create plan",
    "create link",
    "create quote",
    "update quote",
  ],
  "test/fuzz-stateless.test.ts": ["evaluate", "optimise", "risk"],
} as const satisfies Record<string, readonly string[]>;
type FuzzFile = keyof typeof FUZZ_FILES;
const covered: string[] = Object.values(FUZZ_FILES).flat();
// A route added to TARGETS but to no file (or to two) would go unfuzzed or run twice: refuse.
for (const target of TARGETS)
  if (covered.filter((name) => name === target.name).length !== 1)
    throw new Error(`fuzz route "${target.name}" must be in exactly one of FUZZ_FILES`);
if (covered.length !== TARGETS.length) throw new Error("FUZZ_FILES names a route that TARGETS lacks");

/**
 * Of each route's payloads, the first this many go through the Worker's own fetch handler with
 * the platform's rate limiters as `wrangler.toml` binds them. The rest go through the same hono
 * app (`app.fetch`, what the Worker's fetch calls for /api/) with the four rate-limit bindings
 * answering "allowed": the local simulation of the binding costs ~7–9 ms a call (measured: 1,000
 * calls in 7.2–9.4 s in workerd, against 0.6 ms for a whole GET /health), which is ~90 % of a
 * fuzz request; the fuzz tests input handling, and the limits have their own tests. Every line
 * of our code runs the same, `enforceRateLimit` included.
 */
const REAL_LIMITER_RUNS = 500;
const allowAll = { limit: () => Promise.resolve({ success: true }) } as unknown as RateLimit;
const unthrottledEnv = {
  ...env,
  PUBLIC_RATE_LIMITER: allowAll,
  KEY_RATE_LIMITER: allowAll,
  AUTH_RATE_LIMITER: allowAll,
  ORG_SIGNUP_RATE_LIMITER: allowAll,
};

/**
 * Organisations the fuzz spreads its keyed requests over: 8 × 24 keys, so even 10,000 payloads
 * per route stay far below the 600-a-minute budget of each key (no 429 may appear).
 */
const ORGS = 8;
const ADMIN_KEYS_PER_ORG = 12;
const MEMBER_KEYS_PER_ORG = 12;
let orgs: OrgCtx[] = [];

async function makeOrg(index: number): Promise<OrgCtx> {
  const org = await createOrg(`fuzz ${index}`);
  const adminKeys = [org.adminKey];
  for (let n = 1; n < ADMIN_KEYS_PER_ORG; n++) adminKeys.push((await createKey(org.adminKey, "admin")).key);
  const memberKeys: string[] = [];
  for (let n = 0; n < MEMBER_KEYS_PER_ORG; n++) memberKeys.push((await createKey(org.adminKey)).key);
  const scenario = (await (await send("POST", "/scenarios", { scenario: smallScenario() }, org.adminKey)).json()) as {
    id: string;
  };
  const plan = (await (await send("POST", `/scenarios/${scenario.id}/plans`, {}, org.adminKey)).json()) as {
    id: string;
  };
  const quote = (await (
    await send(
      "POST",
      "/quotes",
      { targetKind: "sku", targetId: "dell-poweredge-xe9680", unitPriceUsd: 250000, validUntil: "2099-12-31" },
      org.adminKey,
    )
  ).json()) as { id: string };
  return { adminKeys, memberKeys, scenarioId: scenario.id, planId: plan.id, quoteId: quote.id };
}

const EXPECTED_STATUSES = new Set([400, 401, 403, 404, 409, 413, 415, 422, 428]);

/** What is wrong with a fuzz answer (null: an enveloped 4xx that leaks nothing). */
function problemOf(response: Response, text: string): string | null {
  if (!EXPECTED_STATUSES.has(response.status)) return `status ${response.status} is not an expected 4xx`;
  if (!(response.headers.get("content-type") ?? "").startsWith("application/json")) return "not JSON";
  if (/D1_ERROR|SQLITE|at .*\.(ts|js):\d+/.test(text)) return "leaks SQL or a stack";
  let envelope: { error?: { code?: unknown; requestId?: unknown; issues?: unknown } };
  try {
    envelope = JSON.parse(text) as typeof envelope;
  } catch {
    return "body is not JSON";
  }
  const error = envelope.error;
  if (!error || typeof error.code !== "string") return "no error envelope";
  if (typeof error.requestId !== "string" || !error.requestId.startsWith("req_")) return "no requestId";
  if (!Array.isArray(error.issues)) return "no issues array";
  return null;
}

/** Sends one payload; the failure message carries the seed, the route, the mutation and the body. */
async function sendOne(request: FuzzRequest, turn: number, ipBase: number, seed: number): Promise<number> {
  const org = orgs[turn % orgs.length] as OrgCtx;
  const keyTurn = Math.floor(turn / orgs.length);
  // A client IP per payload (anonymous routes are limited to 120 a minute per IP).
  const ip = ipBase + turn;
  const headers: Record<string, string> = {
    "CF-Connecting-IP": `100.${(ip >> 16) & 255}.${(ip >> 8) & 255}.${ip & 255}`,
  };
  if (request.contentType) headers["Content-Type"] = request.contentType;
  if (request.target.auth === "admin")
    headers.Authorization = `Bearer ${org.adminKeys[keyTurn % org.adminKeys.length]}`;
  if (request.target.auth === "member")
    headers.Authorization = `Bearer ${org.memberKeys[keyTurn % org.memberKeys.length]}`;
  if (request.target.ifMatch) headers["If-Match"] = '"1"';
  if (turn % 7 === 0) headers["Idempotency-Key"] = `fuzz-${seed}-${ipBase}-${turn}`;
  const init = { method: request.target.method, headers, body: request.body };
  const path = request.target.path(org);
  const response =
    turn < REAL_LIMITER_RUNS
      ? await api(path, init)
      : await app.fetch(new Request(`${ORIGIN}/api/v1${path}`, init), unthrottledEnv, createExecutionContext());
  const text = await response.text();
  // Checked in plain code (expect() per field costs more than the request itself at this scale);
  // the first failure fails the test with the seed, the payload and the answer.
  const problem = problemOf(response, text);
  if (problem !== null)
    expect.fail(
      `${problem}: FUZZ_SEED=${seed} ${request.target.name} / ${request.mutation}: ${typeof request.body === "string" ? request.body.slice(0, 1200) : "<stream>"} → ${response.status} ${text.slice(0, 300)}`,
    );
  return response.status;
}

/** The fuzz suite for one file's routes (the describe block the single file had, same names). */
export function describeFuzz(file: FuzzFile): void {
  describe("fuzz: hostile payloads on every write route", () => {
    beforeAll(async () => {
      console.log(
        `fuzz seed=${SEED} runs per route=${RUNS} (replay: FUZZ_SEED=${SEED} npx vitest run --project workers ${file}; count: FUZZ_RUNS)`,
      );
      orgs = [];
      for (let index = 0; index < ORGS; index++) orgs.push(await makeOrg(index));
    }, 120_000);

    TARGETS.forEach((target, targetIndex) => {
      // The index stays the route's place in TARGETS, so its seed is the same whichever file runs it.
      if (!(FUZZ_FILES[file] as readonly string[]).includes(target.name)) return;
      it(
        `${target.name}: ${RUNS} generated payloads, 0 × 5xx, all enveloped 4xx, 0 rows changed`,
        { timeout: 600_000 },
        async () => {
          // One seed per route from the run's seed: a route's payloads replay on their own.
          const seed = SEED + targetIndex;
          const startedMs = Date.now();
          const requests = payloadsFor(target, seed);
          expect(requests.length).toBe(RUNS);
          const before = await fingerprint();
          const statuses = new Map<number, number>();
          const byMutation = new Map<string, number>();
          for (let start = 0; start < requests.length; start += BATCH) {
            const batch = requests.slice(start, start + BATCH);
            const answered = await Promise.all(
              batch.map((request, offset) => sendOne(request, start + offset, targetIndex << 16, SEED)),
            );
            answered.forEach((status, offset) => {
              const mutation = (batch[offset] as FuzzRequest).mutation;
              statuses.set(status, (statuses.get(status) ?? 0) + 1);
              byMutation.set(mutation, (byMutation.get(mutation) ?? 0) + 1);
            });
          }
          console.log(
            `fuzz ${target.name}: ${requests.length} payloads in ${Date.now() - startedMs} ms, statuses ${JSON.stringify(Object.fromEntries(statuses))} mutations ${JSON.stringify(Object.fromEntries(byMutation))}`,
          );
          expect(await fingerprint()).toEqual(before);
        },
      );
    });
  });
}
