/**
 * Reading the input of `planner optimise` and `planner risk`: a scenario file (or `-` for
 * standard input), either a bare scenario or `{ "scenario": {…}, "<settingsKey>": {…} }`, the
 * scenario checked against the wire schema, and kernel errors turned into exit codes.
 */
import { issueLines, parseScenario } from "@aifp/contracts";
import { ScenarioError, type Scenario } from "@aifp/kernel";
import { EXIT, UsageError } from "../command.ts";
import type { CliIo } from "../io.ts";

/** A scenario read and checked, with the settings object found beside it (if any). */
export type PlanInput =
  | { ok: true; scenario: Scenario; settings: Record<string, unknown> | undefined; label: string }
  | { ok: false; code: number };

function printIssues(io: CliIo, heading: string, lines: readonly string[]): void {
  io.stderr(`${heading}\n${lines.map((line) => `  ${line}`).join("\n")}\n`);
}

async function readText(source: string, io: CliIo): Promise<string> {
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
    throw new UsageError(`cannot read the scenario file "${source}": ${reason}`);
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Reads `source`: a bare scenario, or `{ scenario, [settingsKey] }`. The scenario is checked
 * with the wire schema (`parseScenario`); problems are printed on stderr, one per line.
 */
export async function readPlanInput(
  command: string,
  source: string,
  settingsKey: string,
  io: CliIo,
): Promise<PlanInput> {
  const label = source === "-" ? "standard input" : `"${source}"`;
  const text = await readText(source, io);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    io.stderr(`planner ${command}: ${label} is not valid JSON: ${(error as Error).message}\n`);
    return { ok: false, code: EXIT.invalid };
  }
  let scenarioJson: unknown = json;
  let settings: Record<string, unknown> | undefined;
  if (isRecord(json) && "scenario" in json) {
    scenarioJson = json["scenario"];
    const unknownKeys = Object.keys(json).filter((key) => key !== "scenario" && key !== settingsKey);
    if (unknownKeys.length > 0) {
      printIssues(
        io,
        `planner ${command}: ${label} has unknown top-level fields:`,
        unknownKeys.map((key) => `${key}: expected only "scenario" and "${settingsKey}"`),
      );
      return { ok: false, code: EXIT.invalid };
    }
    const raw = json[settingsKey];
    if (raw !== undefined && !isRecord(raw)) {
      printIssues(io, `planner ${command}: ${label} is invalid:`, [`${settingsKey}: expected an object`]);
      return { ok: false, code: EXIT.invalid };
    }
    settings = raw;
  }
  const checked = parseScenario(scenarioJson);
  if (!checked.ok) {
    printIssues(
      io,
      `planner ${command}: the scenario in ${label} is invalid (${checked.issues.length} problem${checked.issues.length === 1 ? "" : "s"}):`,
      issueLines(checked.issues),
    );
    return { ok: false, code: EXIT.invalid };
  }
  return { ok: true, scenario: checked.scenario as Scenario, settings, label };
}

/** Prints a kernel `ScenarioError` (invalid: exit 2, infeasible: exit 3); rethrows anything else. */
export function reportScenarioError(command: string, label: string, error: unknown, io: CliIo): number {
  if (!(error instanceof ScenarioError)) throw error;
  const lines = error.issues.map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message));
  if (error.kind === "invalid") {
    printIssues(
      io,
      `planner ${command}: the input in ${label} is invalid (${lines.length} problem${lines.length === 1 ? "" : "s"}):`,
      lines,
    );
    return EXIT.invalid;
  }
  printIssues(io, `planner ${command}: the scenario in ${label} cannot be served:`, lines);
  return EXIT.infeasible;
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
