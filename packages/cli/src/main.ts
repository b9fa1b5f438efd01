/**
 * `planner`: the AI Factory Planner on the command line. Dispatches to the commands registered in
 * `commands/index.ts`; user errors are messages on stderr with an exit code, never stack traces.
 */
import { KERNEL_VERSION } from "@aifp/kernel";
import { EXIT, UsageError, type Command } from "./command.ts";
import { COMMANDS } from "./commands/index.ts";
import type { CliIo } from "./io.ts";

/** Top-level help: what the tool does, its commands, its exit codes. */
export function mainHelp(commands: readonly Command[] = COMMANDS): string {
  const width = Math.max(...commands.map((command) => command.name.length)) + 4;
  const list = commands.map((command) => `  ${command.name.padEnd(width)}${command.summary}`).join("\n");
  return `planner: the AI Factory Planner on the command line.
Build (own servers), lease (cloud GPU instances) or buy tokens (a model API): what each path
costs for the same multi-year workload, per token, per year and in total.

Usage:
  npx planner <command> [arguments]
  npx planner <command> --help      everything about one command
  npx planner --help                this help
  npx planner --version             the kernel version (results carry it too)

Commands:
${list}

Exit codes:
  0  success
  1  unexpected internal error (a defect: please report it with the input)
  2  invalid input or usage: every wrong field, file or argument is named on stderr, one per line
  3  the scenario is valid but cannot be served or computed; stderr says why
`;
}

/**
 * Runs `planner` with the arguments after the program name; resolves to the exit code.
 * @param argv e.g. `["evaluate", "scenario.json", "--format", "csv"]`
 */
export async function main(
  argv: readonly string[],
  io: CliIo,
  commands: readonly Command[] = COMMANDS,
): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === "--help" || first === "-h" || first === "help") {
    if (first === "help" && rest[0] !== undefined) return main([rest[0], "--help"], io, commands);
    io.stdout(mainHelp(commands));
    return first === undefined ? EXIT.invalid : EXIT.ok;
  }
  if (first === "--version" || first === "-v") {
    io.stdout(`${KERNEL_VERSION}\n`);
    return EXIT.ok;
  }
  const command = commands.find((candidate) => candidate.name === first);
  if (!command) {
    io.stderr(
      `planner: unknown command "${first}". Commands: ${commands.map((c) => c.name).join(", ")}. See: npx planner --help\n`,
    );
    return EXIT.invalid;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`planner ${command.name}: ${error.message}\nSee: npx planner ${command.name} --help\n`);
      return EXIT.invalid;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(
      `planner ${command.name}: internal error: ${message}\nThis is a defect; please report it with the input that caused it.\n`,
    );
    return EXIT.internal;
  }
}
