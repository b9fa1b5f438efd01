import type { Context } from "hono";
import * as v from "valibot";
import { ApiError, type ErrorIssue } from "./errors.ts";

/** Largest JSON body the API accepts (docs/architecture.md: 1 MB → 413). */
export const MAX_JSON_BODY_BYTES = 1_000_000;

/**
 * Deepest nesting of objects and arrays a JSON body may have (issue #19): every document the API
 * takes is a few levels deep (a scenario is 4; the web planner's state under 10), while
 * recursive code (`JSON.stringify`, canonical JSON for hashes) overflows its stack somewhere
 * past a few thousand. Checked on the parsed body before any validation or write.
 */
export const MAX_JSON_DEPTH = 32;

/**
 * The path of the first value nested deeper than `maxDepth` (objects and arrays count one
 * level each), or null. Iterative, so a hostile depth cannot overflow the stack here.
 */
export function tooDeepPath(value: unknown, maxDepth: number = MAX_JSON_DEPTH): string[] | null {
  const stack: { value: unknown; path: string[] }[] = [{ value, path: [] }];
  while (stack.length > 0) {
    const { value: current, path } = stack.pop() as { value: unknown; path: string[] };
    if (current === null || typeof current !== "object") continue;
    if (path.length >= maxDepth) return path;
    const entries = Array.isArray(current)
      ? current.map((item, index) => [String(index), item] as const)
      : Object.entries(current as Record<string, unknown>);
    for (const [key, item] of entries)
      if (item !== null && typeof item === "object") stack.push({ value: item, path: [...path, key] });
  }
  return null;
}

/** Dotted path of a valibot issue (`workload.peakToAverage`, `options.1.priceUsd`). */
export function issuePath(issue: v.BaseIssue<unknown>): string {
  return (issue.path ?? []).map((item) => String(item.key)).join(".");
}

/** valibot issues → the envelope's `issues[]`. */
export function toErrorIssues(issues: readonly v.BaseIssue<unknown>[]): ErrorIssue[] {
  return issues.map((issue) => ({ path: issuePath(issue), message: issue.message }));
}

/** Validate any value against a schema, or throw a 400 envelope naming every bad field. */
export function parseOr400<TSchema extends v.GenericSchema>(
  schema: TSchema,
  value: unknown,
  what = "request",
): v.InferOutput<TSchema> {
  const result = v.safeParse(schema, value);
  if (result.success) return result.output;
  const issues = toErrorIssues(result.issues);
  throw new ApiError(
    400,
    "validation_failed",
    `The ${what} is invalid: ${issues.length} problem${issues.length === 1 ? "" : "s"} (${issues
      .slice(0, 3)
      .map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message))
      .join("; ")})`,
    issues,
  );
}

/**
 * Read a JSON body safely: 415 unless Content-Type is JSON, 413 over the byte cap (counted on
 * the bytes actually read, so a chunked body cannot slip past), 400 for malformed JSON.
 */
export async function readJsonBody(c: Context): Promise<unknown> {
  const contentType = c.req.header("content-type") ?? "";
  if (!/^application\/([\w.+-]+\+)?json\b/i.test(contentType)) {
    throw new ApiError(415, "unsupported_media_type", "Send the body as JSON with Content-Type: application/json.");
  }
  const declared = Number(c.req.header("content-length") ?? "0");
  if (declared > MAX_JSON_BODY_BYTES) throw tooLarge();
  const reader = c.req.raw.body?.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  if (reader) {
    for (;;) {
      const { done, value } = (await reader.read()) as ReadableStreamReadResult<Uint8Array>;
      if (done) break;
      total += value.byteLength;
      if (total > MAX_JSON_BODY_BYTES) {
        await reader.cancel();
        throw tooLarge();
      }
      chunks.push(value);
    }
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  const text = new TextDecoder().decode(bytes);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text) as unknown;
  } catch {
    throw new ApiError(400, "validation_failed", "The body is not valid JSON.", [
      { path: "", message: "expected a JSON document" },
    ]);
  }
  const deep = tooDeepPath(parsed);
  if (deep !== null) {
    // Name the field the nesting starts under (the full path can be thousands of segments).
    const field = deep.slice(0, 2).join(".");
    throw new ApiError(
      400,
      "validation_failed",
      `The body nests deeper than ${MAX_JSON_DEPTH} levels under ${field}.`,
      [{ path: field, message: `expected at most ${MAX_JSON_DEPTH} levels of nested objects and arrays` }],
    );
  }
  return parsed;
}

/**
 * Read, parse and validate a JSON body in one step. Every body this API takes is a JSON object:
 * anything else is a 400 before the schema runs (valibot's object schemas accept arrays, so an
 * all-optional schema would otherwise take `[]` for `{}`).
 */
export async function jsonBody<TSchema extends v.GenericSchema>(
  c: Context,
  schema: TSchema,
): Promise<v.InferOutput<TSchema>> {
  return parseBodyObject(schema, await readJsonBody(c));
}

/** Validate a parsed body: a JSON object (not an array, string or null), then the schema. */
export function parseBodyObject<TSchema extends v.GenericSchema>(
  schema: TSchema,
  value: unknown,
): v.InferOutput<TSchema> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new ApiError(400, "validation_failed", "The request body must be a JSON object.", [
      {
        path: "",
        message: `expected a JSON object, got ${Array.isArray(value) ? "an array" : value === null ? "null" : typeof value}`,
      },
    ]);
  }
  return parseOr400(schema, value, "request body");
}

function tooLarge(): ApiError {
  return new ApiError(413, "payload_too_large", `The body is larger than ${MAX_JSON_BODY_BYTES} bytes.`);
}
