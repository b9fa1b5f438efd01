/**
 * `planner risk <scenario.json | -> --samples N --seed S`: tornado, break-even points and a
 * seeded Monte Carlo over the cost model (docs/optimiser.md "Risk").
 */
import { priceBook } from "@aifp/catalog";
import { DEFAULT_RISK_SAMPLES, DEFAULT_RISK_SEED, MAX_LOCAL_RISK_SAMPLES } from "@aifp/contracts";
import { prepareRisk, riskPrepared, riskWire, type PreparedRisk } from "@aifp/contracts/pipeline";
import { parseArgs } from "node:util";
import { EXIT, UsageError, type Command } from "../command.ts";
import type { CliIo } from "../io.ts";
import { planRequest, printNotes, readJsonInput, reportPipelineError, wholeNumberFlag } from "./plan-input.ts";
import { QUOTES_HELP, readQuotesFlag } from "./quotes-file.ts";

const HELP = `planner risk: how sure is the answer? Tornado, break-even points and Monte Carlo.

Usage:
  npx planner risk <scenario.json> [--samples N] [--seed S]
  npx planner risk -                              read it from standard input

The file holds a scenario (as for "planner evaluate": catalog references are resolved through
the price book first), or
  { "scenario": { … }, "risk": { "samples": 1000, "seed": 1,
                               "drivers": [ { "id": "pue", "low": 1.2, "high": 1.5 }, … ] } }
to set the samples and seed (the flags win) and override a driver's range. Drivers: volume, growth, electricity, pue, hardwarePrice,
leasePriceTrend, apiPriceTrend, throughput, costOfCapital, life, resale (each with its cited low
and high value and its distribution in the output).

Options:
  --samples N   Monte Carlo samples (default 1000, at most 1000000; the API allows 10000)
  --seed S      seed of the random generator (default 1): the same seed gives the same figures
${QUOTES_HELP}
  -h, --help    this help

Output (JSON on standard output):
  sensitivity   tornado[] (each driver at its low and high value: the cheapest option and the
                build advantage in USD, sorted by swing), breakEvens[] (the value at which a
                driver changes the cheapest option), breakEvenUtilization (owning vs paying the
                lease's price per busy GPU-hour)
  monteCarlo    per option P10/P50/P90 of lcotUsdPerMillionTokens; for the cheapest build against
                the cheapest lease: npvSavingsUsd and paybackMonths percentiles and
                probabilityBuildBeatsLease; probabilityCheapest per option; the drivers sampled
  kernelVersion, priceBookVersion, priceBookContentHash, usedFigures[], notes[]
                the catalog figures used (as for "planner evaluate")

Exit codes: 0 success; 2 invalid input; 3 the scenario cannot be served; 1 internal error.
`;

async function run(args: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: {
        samples: { type: "string" },
        seed: { type: "string" },
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
  const samplesFlag = parsed.values.samples;
  const seedFlag = parsed.values.seed;
  const samples = wholeNumberFlag("samples", samplesFlag, DEFAULT_RISK_SAMPLES, 1, MAX_LOCAL_RISK_SAMPLES);
  const seed = wholeNumberFlag("seed", seedFlag, DEFAULT_RISK_SEED, -(2 ** 52), 2 ** 52);

  const input = await readJsonInput("risk", parsed.positionals[0] as string, io);
  if (!input.ok) return input.code;
  const quotes = await readQuotesFlag("risk", parsed.values.quotes, io);
  if (!quotes.ok) return quotes.code;
  // The shared pipeline: schema → catalog references → roadmap availability → tornado + Monte Carlo.
  let prepared: PreparedRisk;
  try {
    prepared = prepareRisk(planRequest(input.json, "risk"), {
      book: priceBook,
      quotes: quotes.quotes,
      maxSamples: MAX_LOCAL_RISK_SAMPLES,
      ...(samplesFlag !== undefined ? { samples } : {}),
      ...(seedFlag !== undefined ? { seed } : {}),
    });
  } catch (error) {
    return reportPipelineError("risk", input.label, error, io);
  }
  try {
    const output = riskPrepared(prepared);
    printNotes("risk", io, [], output.notes);
    io.stdout(`${JSON.stringify(riskWire(output), null, 2)}\n`);
    return EXIT.ok;
  } catch (error) {
    return reportPipelineError("risk", input.label, error, io);
  }
}

export const riskCommand: Command = {
  name: "risk",
  summary: "tornado, break-even points and seeded Monte Carlo (P10/P50/P90) of the cost model",
  help: HELP,
  run,
};
