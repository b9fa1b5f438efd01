/**
 * `planner risk <scenario.json | -> --samples N --seed S`: tornado, break-even points and a
 * seeded Monte Carlo over the cost model (docs/optimiser.md "Risk").
 */
import { monteCarloSync, sensitivity, type DriverOverride } from "@aifp/kernel";
import { parseArgs } from "node:util";
import { EXIT, UsageError, type Command } from "../command.ts";
import type { CliIo } from "../io.ts";
import { readPlanInput, reportScenarioError, wholeNumberFlag } from "./plan-input.ts";

const HELP = `planner risk: how sure is the answer? Tornado, break-even points and Monte Carlo.

Usage:
  npx planner risk <scenario.json> [--samples N] [--seed S]
  npx planner risk -                              read it from standard input

The file holds a scenario (as for "planner evaluate"), or
  { "scenario": { … }, "risk": { "drivers": [ { "id": "pue", "low": 1.2, "high": 1.5 }, … ] } }
to override a driver's range. Drivers: volume, growth, electricity, pue, hardwarePrice,
leasePriceTrend, apiPriceTrend, throughput, costOfCapital, life, resale (each with its cited low
and high value and its distribution in the output).

Options:
  --samples N   Monte Carlo samples (default 1000, at most 1000000)
  --seed S      seed of the random generator (default 1): the same seed gives the same figures
  -h, --help    this help

Output (JSON on standard output):
  sensitivity   tornado[] (each driver at its low and high value: the cheapest option and the
                build advantage in USD, sorted by swing), breakEvens[] (the value at which a
                driver changes the cheapest option), breakEvenUtilization (owning vs paying the
                lease's price per busy GPU-hour)
  monteCarlo    per option P10/P50/P90 of lcotUsdPerMillionTokens; for the cheapest build against
                the cheapest lease: npvSavingsUsd and paybackMonths percentiles and
                probabilityBuildBeatsLease; probabilityCheapest per option; the drivers sampled

Exit codes: 0 success; 2 invalid input; 3 the scenario cannot be served; 1 internal error.
`;

async function run(args: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: { samples: { type: "string" }, seed: { type: "string" }, help: { type: "boolean", short: "h" } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (parsed.values.help) {
    io.stdout(HELP);
    return EXIT.ok;
  }
  if (parsed.positionals.length !== 1) {
    throw new UsageError(
      parsed.positionals.length === 0
        ? "give the scenario file, or - to read it from standard input"
        : `expected one scenario file, got ${parsed.positionals.length}`,
    );
  }
  const samples = wholeNumberFlag("samples", parsed.values.samples, 1000, 1, 1_000_000);
  const seed = wholeNumberFlag("seed", parsed.values.seed, 1, -(2 ** 52), 2 ** 52);

  const input = await readPlanInput("risk", parsed.positionals[0] as string, "risk", io);
  if (!input.ok) return input.code;
  const rawDrivers = input.settings?.["drivers"];
  if (rawDrivers !== undefined && !Array.isArray(rawDrivers)) {
    io.stderr(
      `planner risk: the input in ${input.label} is invalid:\n  risk.drivers: expected a list of { id, low, high }\n`,
    );
    return EXIT.invalid;
  }
  const drivers = rawDrivers as DriverOverride[] | undefined;
  try {
    const result = {
      sensitivity: sensitivity({ scenario: input.scenario, ...(drivers ? { drivers } : {}) }),
      monteCarlo: monteCarloSync({ scenario: input.scenario, samples, seed, ...(drivers ? { drivers } : {}) }),
    };
    io.stdout(`${JSON.stringify(result, null, 2)}\n`);
    return EXIT.ok;
  } catch (error) {
    if (error instanceof Error && error.message.startsWith("drivers.")) {
      io.stderr(`planner risk: the input in ${input.label} is invalid:\n  risk.${error.message}\n`);
      return EXIT.invalid;
    }
    return reportScenarioError("risk", input.label, error, io);
  }
}

export const riskCommand: Command = {
  name: "risk",
  summary: "tornado, break-even points and seeded Monte Carlo (P10/P50/P90) of the cost model",
  help: HELP,
  run,
};
