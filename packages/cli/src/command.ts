/**
 * The shape every `planner` command has, and the exit codes they share.
 */
import type { CliIo } from "./io.ts";

/** Exit codes of every command (documented in `planner --help`). */
export const EXIT = {
  /** Success. */
  ok: 0,
  /** Unexpected internal error (a defect: please report it). */
  internal: 1,
  /** Invalid input or usage: a field, a file or an argument is wrong; every problem is named on stderr. */
  invalid: 2,
  /** The input is valid but cannot be served or computed (e.g. zero throughput); the reason is on stderr. */
  infeasible: 3,
} as const;

export interface Command {
  /** The word after `planner`, e.g. "evaluate". */
  name: string;
  /** One line for `planner --help`. */
  summary: string;
  /** Full help text for `planner <name> --help`. */
  help: string;
  /** Runs the command with the arguments after its name; resolves to the exit code. */
  run(args: string[], io: CliIo): Promise<number>;
}

/** A mistake in how the command was called (unknown flag, missing file argument): exit 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}
