import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/** One field-level problem, its path as dotted keys (`workload.peakToAverage`). */
export interface ErrorIssue {
  path: string;
  message: string;
}

/** Stable machine-readable codes of the error envelope (docs/architecture.md, docs/reliability.md §2.1). */
export type ErrorCode =
  | "validation_failed"
  | "unauthenticated"
  | "forbidden"
  | "not_found"
  | "method_not_allowed"
  | "version_conflict"
  | "conflict"
  | "idempotency_in_progress"
  | "payload_too_large"
  | "unsupported_media_type"
  | "idempotency_key_reused"
  | "infeasible_scenario"
  | "too_many_quotes"
  | "precondition_required"
  | "rate_limited"
  | "internal";

/**
 * An error a handler throws on purpose; `onError` turns it into the envelope.
 * Anything else thrown becomes a generic 500 that leaks no stack or SQL.
 */
export class ApiError extends Error {
  readonly status: ContentfulStatusCode;
  readonly code: ErrorCode;
  readonly issues: ErrorIssue[];
  readonly headers: Record<string, string>;
  constructor(
    status: ContentfulStatusCode,
    code: ErrorCode,
    message: string,
    issues: ErrorIssue[] = [],
    headers: Record<string, string> = {},
  ) {
    super(message);
    this.status = status;
    this.code = code;
    this.issues = issues;
    this.headers = headers;
  }
}

/** The one error envelope: `{ error: { code, message, requestId, issues } }`. */
export function errorResponse(c: Context, error: ApiError): Response {
  for (const [name, value] of Object.entries(error.headers)) c.header(name, value);
  return c.json(
    {
      error: {
        code: error.code,
        message: error.message,
        requestId: c.get("requestId"),
        issues: error.issues,
      },
    },
    error.status,
  );
}
