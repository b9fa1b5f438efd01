/**
 * The one skeleton of every `planner` command that reads a scenario file: flags, help, the file
 * (or `-` for standard input), `--quotes`, the shared pipeline, notes on stderr, the result on
 * stdout and the exit code. A command gives only what is its own: its flags and their checks,
 * and what it computes from the input.
 */
import type { OrgQuote } from "@aifp/catalog";
import { parseArgs } from "node:util";
import { EXIT, UsageError, type Command } from "./command.ts";
import type { CliIo } from "./io.ts";
import { printNotes, readJsonInput, reportPipelineError } from "./commands/plan-input.ts";
import { readQuotesFlag } from "./commands/quotes-file.ts";

/** A command's own string flags (`--format csv`), by name, with an optional default. */
export type FlagSpec = Readonly<Record<string, { default?: string }>>;
/** The values of a command's own flags as given (or their default). */
export type FlagValues = Readonly<Record<string, string | undefined>>;

/** What a command computed: the notes for stderr and the text for stdout. */
export interface CommandOutput {
  /** The kernel's warnings, one `note:` line each on stderr. */
  warnings: readonly { path: string; message: string }[];
  /** The catalog's notes, one `note:` line each on stderr. */
  notes: readonly string[];
  /** Further lines for stderr after the notes (without the `planner <name>: ` prefix). */
  messages?: readonly string[];
  /** The result, written to stdout as is. */
  stdout: string;
}

export interface ScenarioCommandSpec<TFlags> {
  name: string;
  summary: string;
  help: string;
  /** Flags beyond `--quotes` and `--help`. */
  flags: FlagSpec;
  /** Checks the flags before any file is read; throws `UsageError` naming the flag (exit 2). */
  checkFlags(values: FlagValues): TFlags;
  /** Runs the shared pipeline on the input; its `InputError`, `ResolveError` and `ScenarioError` become exit 2 or 3. */
  compute(json: unknown, quotes: OrgQuote[], flags: TFlags): CommandOutput | Promise<CommandOutput>;
}

/** A result as the commands print it: indented JSON and a final newline. */
export function jsonOutput(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** Builds the command-table entry of a command that reads a scenario. */
export function scenarioCommand<TFlags>(spec: ScenarioCommandSpec<TFlags>): Command {
  const run = async (args: string[], io: CliIo): Promise<number> => {
    let parsed;
    try {
      parsed = parseArgs({
        args,
        options: {
          ...Object.fromEntries(
            Object.entries(spec.flags).map(([name, flag]) => [
              name,
              { type: "string" as const, ...(flag.default === undefined ? {} : { default: flag.default }) },
            ]),
          ),
          quotes: { type: "string" },
          help: { type: "boolean", short: "h" },
        },
        allowPositionals: true,
        strict: true,
      });
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    if (parsed.values.help) {
      io.stdout(spec.help);
      return EXIT.ok;
    }
    const values = parsed.values as FlagValues;
    if (parsed.positionals.length !== 1) {
      throw new UsageError(
        parsed.positionals.length === 0
          ? "give the scenario file, or - to read it from standard input"
          : `expected one scenario file, got ${parsed.positionals.length}: ${parsed.positionals.join(" ")}`,
      );
    }
    const flags = spec.checkFlags(values);
    const input = await readJsonInput(spec.name, parsed.positionals[0] as string, io);
    if (!input.ok) return input.code;
    const quotes = await readQuotesFlag(spec.name, values["quotes"], io);
    if (!quotes.ok) return quotes.code;
    let output: CommandOutput;
    try {
      output = await spec.compute(input.json, quotes.quotes, flags);
    } catch (error) {
      return reportPipelineError(spec.name, input.label, error, io);
    }
    printNotes(spec.name, io, output.warnings, output.notes);
    for (const message of output.messages ?? []) io.stderr(`planner ${spec.name}: ${message}\n`);
    io.stdout(output.stdout);
    return EXIT.ok;
  };
  return { name: spec.name, summary: spec.summary, help: spec.help, run };
}
