/**
 * What `planner evaluate`, `planner optimise` and `planner risk` share: reading a JSON file (or
 * `-` for standard input), turning the pipeline's errors (`@aifp/contracts/pipeline`) into exit
 * codes with one line per problem, and whole-number flags.
 */
import { ResolveError } from "@aifp/catalog";
import { InputError } from "@aifp/contracts/pipeline";
import { ScenarioError } from "@aifp/kernel";
import { EXIT, UsageError } from "../command.ts";
import type { CliIo } from "../io.ts";

/** A JSON document read from a file or standard input, or the exit code after a message. */
export type JsonInput = { ok: true; json: unknown; label: string } | { ok: false; code: number };

function printIssues(io: CliIo, heading: string, lines: readonly string[]): void {
  io.stderr(`${heading}\n${lines.map((line) => `  ${line}`).join("\n")}\n`);
}

async function readText(source: string, io: CliIo, what: string): Promise<string> {
  if (source === "-") return io.readStdin();
  try {
    return await io.readFile(source);
  } catch (error) {
    const code = (error as { code?: string }).code;
    const reason =
      code === "ENOENT"
        ? "no such file"
        : code === "EISDIR"
          ? "it is a directory"
          : code === "EACCES"
            ? "permission denied"
            : (error as Error).message;
    throw new UsageError(`cannot read the ${what} "${source}": ${reason}`);
  }
}

/**
 * Reads and parses `source` as JSON; a parse error is printed (exit 2).
 * @param what what the file is, for the "cannot read" message (default "scenario file")
 */
export async function readJsonInput(
  command: string,
  source: string,
  io: CliIo,
  what = "scenario file",
): Promise<JsonInput> {
  const label = source === "-" ? "standard input" : `"${source}"`;
  const text = await readText(source, io, what);
  try {
    return { ok: true, json: JSON.parse(text) as unknown, label };
  } catch (error) {
    io.stderr(`planner ${command}: ${label} is not valid JSON: ${(error as Error).message}\n`);
    return { ok: false, code: EXIT.invalid };
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * A file holds a bare scenario or `{ "scenario": {…}, "<settingsKey>": {…} }`: the request the
 * pipeline parses, `{ scenario, [settingsKey] }`, with `overrides` (command-line flags) merged
 * into the settings.
 */
export function planRequest(
  json: unknown,
  settingsKey: string,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  const request: Record<string, unknown> = isRecord(json) && "scenario" in json ? { ...json } : { scenario: json };
  if (Object.keys(overrides).length > 0) {
    const settings = request[settingsKey];
    // A settings value that is not an object is left for the schema to name.
    if (settings === undefined || isRecord(settings)) request[settingsKey] = { ...(settings ?? {}), ...overrides };
  }
  return request;
}

/**
 * Prints an error of the pipeline and returns its exit code: invalid input (`InputError`, a
 * catalog reference that cannot be resolved, the kernel's `invalid`) exits 2, a valid scenario
 * that cannot be served exits 3. Anything else is rethrown (exit 1).
 */
export function reportPipelineError(command: string, label: string, error: unknown, io: CliIo): number {
  const lineOf = (issue: { path: string; message: string }) =>
    issue.path ? `${issue.path}: ${issue.message}` : issue.message;
  const invalid = (lines: string[], what: string): number => {
    printIssues(
      io,
      `planner ${command}: the ${what} in ${label} is invalid (${lines.length} problem${lines.length === 1 ? "" : "s"}):`,
      lines,
    );
    return EXIT.invalid;
  };
  const what = command === "evaluate" ? "scenario" : "input";
  if (error instanceof InputError) return invalid(error.issues.map(lineOf), what);
  if (error instanceof ResolveError) return invalid(error.issues.map(lineOf), what);
  if (!(error instanceof ScenarioError)) throw error;
  const lines = error.issues.map(lineOf);
  if (error.kind === "invalid") return invalid(lines, what);
  printIssues(io, `planner ${command}: the scenario in ${label} cannot be served:`, lines);
  return EXIT.infeasible;
}

/** Prints the kernel's warnings and the catalog's notes on stderr, one `note:` line each. */
export function printNotes(
  command: string,
  io: CliIo,
  warnings: readonly { path: string; message: string }[],
  notes: readonly string[],
): void {
  for (const warning of warnings) io.stderr(`planner ${command}: note: ${warning.path}: ${warning.message}\n`);
  for (const note of notes) io.stderr(`planner ${command}: note: ${note}\n`);
}

/** Parses a whole number option (`--samples 1000`), naming the flag when it is not one. */
export function wholeNumberFlag(
  name: string,
  value: string | undefined,
  fallback: number,
  min: number,
  max: number,
): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max)
    throw new UsageError(`--${name} must be a whole number between ${min} and ${max}, got "${value}"`);
  return n;
}
