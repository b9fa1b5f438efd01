/**
 * `planner risk <scenario.json | -> --samples N --seed S`: tornado, break-even points and a
 * seeded Monte Carlo over the cost model (docs/optimiser.md "Risk").
 */
import { priceBook } from "@aifp/catalog";
import { DEFAULT_RISK_SAMPLES, DEFAULT_RISK_SEED, MAX_LOCAL_RISK_SAMPLES } from "@aifp/contracts";
import { prepareRisk, riskPrepared, riskWire } from "@aifp/contracts/pipeline";
import { jsonOutput, scenarioCommand } from "../scenario-command.ts";
import { planRequest, wholeNumberFlag } from "./plan-input.ts";
import { QUOTES_HELP } from "./quotes-file.ts";

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

export const riskCommand = scenarioCommand({
  name: "risk",
  summary: "tornado, break-even points and seeded Monte Carlo (P10/P50/P90) of the cost model",
  help: HELP,
  flags: { samples: {}, seed: {} },
  checkFlags(values) {
    const samples = wholeNumberFlag("samples", values["samples"], DEFAULT_RISK_SAMPLES, 1, MAX_LOCAL_RISK_SAMPLES);
    const seed = wholeNumberFlag("seed", values["seed"], DEFAULT_RISK_SEED, -(2 ** 52), 2 ** 52);
    // Only flags that were given override the file's own settings.
    return {
      ...(values["samples"] !== undefined ? { samples } : {}),
      ...(values["seed"] !== undefined ? { seed } : {}),
    };
  },
  compute(json, quotes, settings) {
    // The shared pipeline: schema → catalog references → roadmap availability → tornado + Monte Carlo.
    const prepared = prepareRisk(planRequest(json, "risk"), {
      book: priceBook,
      quotes,
      maxSamples: MAX_LOCAL_RISK_SAMPLES,
      ...settings,
    });
    const output = riskPrepared(prepared);
    return { warnings: [], notes: output.notes, stdout: jsonOutput(riskWire(output)) };
  },
});
