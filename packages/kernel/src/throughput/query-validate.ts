/** Checks a `throughputAt` query field by field and resolves its names (bad input names the field). */
import { ScenarioError, type ScenarioIssue } from "../errors.ts";
import { isResolved, resolveName, type ResolvedName } from "./aliases.ts";
import { KNOWN_PRECISIONS } from "./series.ts";
import type { ThroughputQuery } from "./throughput-types.ts";

function invalid(path: string, message: string): never {
  throw new ScenarioError("invalid", [{ path, message }]);
}

export function validate(query: ThroughputQuery): void {
  const issues: ScenarioIssue[] = [];
  if (typeof query.accelerator !== "string" || query.accelerator.trim() === "") {
    issues.push({
      path: "accelerator",
      message: `expected an accelerator name such as "H200", got ${JSON.stringify(query.accelerator)}`,
    });
  }
  if (typeof query.model !== "string" || query.model.trim() === "") {
    issues.push({
      path: "model",
      message: `expected a model name such as "llama2-70b", got ${JSON.stringify(query.model)}`,
    });
  }
  for (const field of ["inputTokens", "outputTokens"] as const) {
    const value = query[field];
    if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
      issues.push({ path: field, message: `expected a whole number of tokens >= 1, got ${JSON.stringify(value)}` });
    }
  }
  const target = query.interactivityTokensPerSecondPerUser;
  if (
    target !== undefined &&
    target !== null &&
    (typeof target !== "number" || !Number.isFinite(target) || target <= 0)
  ) {
    issues.push({
      path: "interactivityTokensPerSecondPerUser",
      message: `expected tokens/s per user > 0 (e.g. 30 for chat), got ${JSON.stringify(target)}`,
    });
  }
  const ttft = query.timeToFirstTokenMs;
  if (ttft !== undefined && ttft !== null && (typeof ttft !== "number" || !Number.isFinite(ttft) || ttft <= 0)) {
    issues.push({
      path: "timeToFirstTokenMs",
      message: `expected milliseconds > 0 (e.g. 2000 for chat), got ${JSON.stringify(ttft)}`,
    });
  }
  const precision = query.precision;
  if (
    precision !== undefined &&
    precision !== null &&
    (typeof precision !== "string" || !KNOWN_PRECISIONS.includes(precision.trim().toLowerCase()))
  ) {
    issues.push({
      path: "precision",
      message: `expected one of ${KNOWN_PRECISIONS.join(", ")}, got ${JSON.stringify(precision)}`,
    });
  }
  if (issues.length > 0) throw new ScenarioError("invalid", issues);
}

export function resolveOrThrow(
  path: "accelerator" | "model",
  requested: string,
  keys: string[],
  aliases: Readonly<Record<string, string>>,
): ResolvedName {
  const resolved = resolveName(requested, keys, aliases);
  if (isResolved(resolved)) return resolved;
  if (resolved.candidates.length > 0) {
    invalid(path, `"${requested}" is ambiguous: name one of ${resolved.candidates.join(", ")}`);
  }
  invalid(path, `unknown ${path} "${requested}"; known: ${[...new Set(keys)].sort().join(", ")}`);
}
