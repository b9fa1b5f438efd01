/**
 * The table of `planner` commands. To add one (throughput, optimise, risk …): create
 * `src/commands/<name>.ts` exporting a `Command` ({ name, summary, help, run(args, io) }),
 * import it here and add it to `COMMANDS`. A command that reads a scenario file is built with
 * `scenarioCommand` (`../scenario-command.ts`), which does the input, quotes, output and exit
 * codes. `planner --help` lists them in this order.
 */
import type { Command } from "../command.ts";
import { evaluateCommand } from "./evaluate.ts";
import { optimiseCommand } from "./optimise.ts";
import { riskCommand } from "./risk.ts";
import { throughputCommand } from "./throughput.ts";

export const COMMANDS: readonly Command[] = [
  evaluateCommand,
  throughputCommand,
  optimiseCommand,
  riskCommand,
  // ← register further commands here (optimise, risk …)
];
