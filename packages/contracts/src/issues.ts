/**
 * Turning valibot issues into the `{ path, message }` pairs every surface shows (the API's error
 * envelope, the CLI's stderr lines, the web form's field errors).
 */
import type * as v from "valibot";

/** One problem with an input: dotted path (`options.1.priceUsd`; "" for the whole input) and a message. */
export interface FieldIssue {
  path: string;
  message: string;
}

/** Dotted path of a valibot issue: object keys and array indexes joined by dots. */
export function issuePath(issue: v.BaseIssue<unknown>): string {
  return (issue.path ?? []).map((item) => String(item.key)).join(".");
}

/**
 * valibot issues → `{ path, message }[]`, in input order, without duplicates (a value can break
 * two bounds of one field, e.g. `gpusPerServer: 0.5` is neither whole nor >= 1, and both say the
 * same thing). Example: `[{ path: "workload.peakToAverage", message: 'expected a number >= 1, got "abc"' }]`.
 */
export function formatIssues(issues: readonly v.BaseIssue<unknown>[]): FieldIssue[] {
  const seen = new Set<string>();
  const out: FieldIssue[] = [];
  for (const issue of issues) {
    const entry = { path: issuePath(issue), message: issue.message };
    const key = `${entry.path}\u0000${entry.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(entry);
  }
  return out;
}

/** `{ path, message }` pairs as lines, `path: message` (just the message when the path is empty). */
export function issueLines(issues: readonly FieldIssue[]): string[] {
  return issues.map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message));
}
