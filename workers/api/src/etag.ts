import type { Context } from "hono";
import { ApiError } from "./errors.ts";

/** The strong ETag of a versioned object: `"<version>"`. */
export function etagOf(version: number): string {
  return `"${version}"`;
}

/**
 * What a weak `If-Match` (`W/"3"`) stands for: a version no object ever has. RFC 9110 §13.1.1
 * compares If-Match strongly and a weak tag never matches, so the write is refused exactly as a
 * stale one (409 `version_conflict` with the current ETag), never applied.
 */
export const WEAK_IF_MATCH = -1;

/**
 * The version named by `If-Match` (`"3"`; {@link WEAK_IF_MATCH} for `W/"3"`), or null when the
 * header is absent. Anything else (including `*`, which would skip the check) is a 400 naming
 * the header.
 */
export function parseIfMatch(c: Context): number | null {
  const raw = c.req.header("if-match");
  if (raw === undefined) return null;
  const match = /^\s*(W\/)?"(\d{1,15})"\s*$/.exec(raw);
  if (!match) {
    throw new ApiError(400, "validation_failed", "The If-Match header is invalid.", [
      { path: "header.If-Match", message: 'expected the ETag from the last GET, e.g. "3"' },
    ]);
  }
  return match[1] === undefined ? Number(match[2]) : WEAK_IF_MATCH;
}

/** `If-Match` for updates: missing → 428 `precondition_required` (docs/reliability.md §2.4). */
export function requireIfMatch(c: Context): number {
  const version = parseIfMatch(c);
  if (version === null) {
    throw new ApiError(
      428,
      "precondition_required",
      'Send "If-Match" with the ETag from your last GET, so a concurrent change is not overwritten.',
      [{ path: "header.If-Match", message: "required" }],
    );
  }
  return version;
}

/** 409 for a stale If-Match. */
export function versionConflict(currentVersion: number, expectedVersion: number): ApiError {
  return new ApiError(
    409,
    "version_conflict",
    expectedVersion === WEAK_IF_MATCH
      ? `A weak ETag (W/"…") never matches a write: send If-Match ${etagOf(currentVersion)}, the strong ETag from your last GET, after checking your change still applies.`
      : `The object changed since you read it: it is at version ${currentVersion}, you sent If-Match ${etagOf(expectedVersion)}. GET it again, re-apply your change, and retry.`,
    [],
    { ETag: etagOf(currentVersion) },
  );
}
