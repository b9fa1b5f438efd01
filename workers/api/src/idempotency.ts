import type { Context } from "hono";
import { sha256Hex } from "@aifp/db";
import type { AppEnv } from "./app.ts";
import { principalOf } from "./auth.ts";
import { canonicalJson } from "./canonical-json.ts";
import { ApiError } from "./errors.ts";
import { type Db, type Statement, openDb } from "./services/db.ts";
import {
  type StoredResponse,
  abandonIdempotency,
  beginIdempotency,
  completeIdempotencyStatement,
} from "./services/idempotency.ts";

/** Longest accepted `Idempotency-Key` (docs/reliability.md §2.5). */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

/** What a write hands back: the response, and a way to put its completion into the batch. */
export interface WriteOutcome {
  /** 202: accepted as a background job (a plan job, ADR 029); a replay answers 202 too. */
  status: 200 | 201 | 202;
  body: unknown;
  headers?: Record<string, string>;
}

/**
 * Passed to a write: `complete(outcome)` returns the statements that store the response for
 * replay (empty without an Idempotency-Key). The write puts them into its own `db.batch()`.
 */
export type Completion = (outcome: WriteOutcome) => Statement[];

/**
 * Run an authenticated POST/PATCH under `Idempotency-Key` when the client sent one. Call it
 * after validation (a 400 stores nothing). The first request runs `write`; a replay returns the
 * stored status and body with `Idempotent-Replayed: true`; the same key with a different
 * method, path, caller or body is 422 `idempotency_key_reused`; while the first is in flight,
 * 409 `idempotency_in_progress`. If `write` fails, the key is released for a retry.
 */
export async function idempotent(
  c: Context<AppEnv>,
  validatedBody: unknown,
  write: (db: Db, complete: Completion) => Promise<WriteOutcome>,
): Promise<Response> {
  const db = openDb(c.env.DB);
  const key = c.req.header("idempotency-key");
  if (key === undefined) return respond(c, await write(db, () => []), false);
  if (key.length === 0 || key.length > MAX_IDEMPOTENCY_KEY_LENGTH || !/^[\x20-\x7e]+$/.test(key)) {
    throw new ApiError(400, "validation_failed", "The Idempotency-Key header is invalid.", [
      {
        path: "header.Idempotency-Key",
        message: `expected 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} printable ASCII characters`,
      },
    ]);
  }
  const principal = principalOf(c);
  const methodPath = `${c.req.method} ${new URL(c.req.url).pathname}`;
  const requestHash = await sha256Hex(
    `${methodPath}\n${principal.kind}:${principal.id}\n${canonicalJson(validatedBody)}`,
  );
  const begun = await beginIdempotency(
    db,
    { orgId: principal.orgId, key, principalId: principal.id, methodPath, requestHash },
    Date.now(),
  );
  if (begun.kind === "mismatch") {
    throw new ApiError(
      422,
      "idempotency_key_reused",
      "This Idempotency-Key was used for a different request (method, path, key or body). Use a new key for a new request.",
    );
  }
  if (begun.kind === "in_progress") {
    throw new ApiError(
      409,
      "idempotency_in_progress",
      "A request with this Idempotency-Key is still in progress. Retry shortly.",
      [],
      {
        "Retry-After": "1",
      },
    );
  }
  if (begun.kind === "replay") return replay(c, begun.response);
  try {
    const outcome = await write(db, (result) => [
      completeIdempotencyStatement(db, principal.orgId, key, {
        status: result.status,
        headers: result.headers ?? {},
        body: result.body,
      }),
    ]);
    return respond(c, outcome, false);
  } catch (error) {
    await abandonIdempotency(db, principal.orgId, key).catch(() => undefined);
    throw error;
  }
}

function respond(c: Context<AppEnv>, outcome: WriteOutcome, replayed: boolean): Response {
  for (const [name, value] of Object.entries(outcome.headers ?? {})) c.header(name, value);
  if (replayed) c.header("Idempotent-Replayed", "true");
  return c.json(outcome.body as object, outcome.status);
}

function replay(c: Context<AppEnv>, stored: StoredResponse): Response {
  const status = stored.status === 201 || stored.status === 202 ? stored.status : 200;
  return respond(c, { status, body: stored.body, headers: stored.headers }, true);
}
