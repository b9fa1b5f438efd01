/**
 * `planner evaluate <scenario.json | ->`: the cost model v1 evaluation of a scenario, as JSON
 * (default) or as a monthly CSV table.
 */
import { priceBook } from "@aifp/catalog";
import { evaluateInput, evaluationWire, type EvaluationOutput } from "@aifp/contracts/pipeline";
import { parseArgs } from "node:util";
import { EXIT, UsageError, type Command } from "../command.ts";
import { monthlyCsv } from "../csv.ts";
import type { CliIo } from "../io.ts";
import { printNotes, readJsonInput, reportPipelineError } from "./plan-input.ts";
import { QUOTES_HELP, readQuotesFlag } from "./quotes-file.ts";

const HELP = `planner evaluate: what every option of a scenario costs, month by month and in total.

Usage:
  npx planner evaluate <scenario.json>            read the scenario from a file
  npx planner evaluate -                          read it from standard input
  npx planner evaluate <scenario.json> --format csv
  npx planner evaluate <scenario.json> --quotes quotes.json
  npx planner evaluate <scenario.json> --serving-stack nvidia-ai-enterprise --lease-commitment 3y

Options:
  --format json   (default) the full result as JSON on standard output
  --format csv    the monthly table: one row per option and month, units in the headers
                  (USD, kWh, fractions 0-1, token counts), empty cells where a column does not
                  apply to that kind of option
${QUOTES_HELP}
  --serving-stack STACK        serving software on every owned and leased GPU (sets the
                  scenario's servingStack): open-source (default: vLLM, SGLang, TensorRT-LLM, no
                  licence), nvidia-ai-enterprise ($4,500 per GPU-year, cited), amd-enterprise-ai
                  (no published price: give softwareUsdPerGpuYear), none
  --lease-commitment TERM      the term leases are priced at (sets leaseCommitment): as-offered
                  (default: each offer's own), on-demand, 1y, 3y, match-horizon (the longest
                  term within the plan); a published price, else on demand x the cited ratio
  -h, --help      this help

The scenario (JSON; every number in USD, kW, kWh, tokens, or a fraction 0-1 where it is a rate):
  name, startMonth "YYYY-MM", horizonYears
  finance   { discountRatePerYear }                      e.g. 0.09 for 9 %/yr
  workload  { inputTokensPerRequest, outputTokensPerRequest, requestsPerDay,
              growthPerYear, peakToAverage, targetUtilization }
  site      { electricityUsdPerKwh, electricityEscalationPerYear, pue,
              colocationUsdPerKwMonth, gridCarbonGPerKwh, powerCapKw }
  options   a list; each has "kind" and a unique "id":
    build   own servers: priceUsd, gpusPerServer, kw, lifeYears, resaleDeclinePerYear,
            outputTokensPerSecondPerGpu, and optionally adders, spareFraction,
            maintenancePerYear, softwareUsdPerGpuYear, serversPerFte + fteUsdPerYear,
            otherUsdPerServerYear, priceChangePerYear, idlePowerFraction,
            inputTokensPerSecondPerGpu
    lease   cloud instances: priceUsdPerInstanceHour, gpusPerInstance,
            outputTokensPerSecondPerGpu, and optionally termYears (0 = on demand),
            priceChangePerYear, softwareUsdPerGpuYear, inputTokensPerSecondPerGpu
    api     buy tokens: usdPerMillionInputTokens, usdPerMillionOutputTokens,
            and optionally priceChangePerYear
  comparison { baselineOptionId }   default: the cheapest path that does not build (lease or
                                    API) when the catalog filled any figure; the first lease
                                    option when every number is inline (the cost model's default)
  servingStack, leaseCommitment     see the flags above
  Optional numbers left out count as 0 (1 for peakToAverage, targetUtilization and pue).
  Example: test/golden/chat-70b-three-paths.scenario.json

Catalog references instead of numbers: workload.model, site.region, and on an option sku
(build), offer (lease or api) or accelerator. They are resolved through the public price book
first; numbers given inline win. Example: test/golden/catalog-defaults.scenario.json names
only a model, a region, two server SKUs and two cloud offers.

The result, per option:
  npvCostUsd        present value of every cost at the plan start (discounted monthly), minus
                    the present value of hardware still owned at the end
  tcoUsd            the same, not discounted
  lcotUsdPerMillionTokens        levelised cost: NPV of cost / NPV of tokens served, per million
  lcotUsdPerMillionOutputTokens  the whole cost per million output tokens
  splitLcotUsdPerMillion{Input,Output}Tokens   cost of input and of output tokens separately,
                    when the option gives inputTokensPerSecondPerGpu (or prices, for an API)
  effectiveUsdPerGpuHour         all-in levelised price of one GPU-hour (build, lease)
  tokensPerKwh, gramsCo2PerMillionTokens, outputTokensPerSecondPerMw   (build)
  yearly[], monthly[]            where the money goes, year by year and month by month
and comparisons of every build option with the baseline: paybackMonths, npvSavingsUsd,
irrPerYear. docs/kernel.md explains every figure. Beside them (JSON only):
  priceBookVersion, priceBookContentHash   the price book the references were resolved through
  usedFigures[]   every number the catalog filled in: path, value, unit, source, asOf,
                  confidence, derived, method, origin, priceBookVersion
  notes[]         what to know about the resolution (also printed on stderr)

Exit codes: 0 success; 2 invalid input (each wrong field named on stderr, one per line);
3 valid but infeasible (stderr says why); 1 internal error.
`;

async function run(args: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: {
        format: { type: "string", default: "json" },
        quotes: { type: "string" },
        "serving-stack": { type: "string" },
        "lease-commitment": { type: "string" },
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
  const format = parsed.values.format;
  if (format !== "json" && format !== "csv") throw new UsageError(`--format must be "json" or "csv", got "${format}"`);
  if (parsed.positionals.length !== 1) {
    throw new UsageError(
      parsed.positionals.length === 0
        ? "give the scenario file, or - to read it from standard input"
        : `expected one scenario file, got ${parsed.positionals.length}: ${parsed.positionals.join(" ")}`,
    );
  }
  const input = await readJsonInput("evaluate", parsed.positionals[0] as string, io);
  if (!input.ok) return input.code;
  const quotes = await readQuotesFlag("evaluate", parsed.values.quotes, io);
  if (!quotes.ok) return quotes.code;
  // The flags set the scenario's fields; the shared schema checks their values (exit 2 naming them).
  if (typeof input.json === "object" && input.json !== null && !Array.isArray(input.json)) {
    const scenario = input.json as Record<string, unknown>;
    if (parsed.values["serving-stack"] !== undefined) scenario.servingStack = parsed.values["serving-stack"];
    if (parsed.values["lease-commitment"] !== undefined) scenario.leaseCommitment = parsed.values["lease-commitment"];
  }
  // The shared pipeline: schema → catalog references resolved through the price book → evaluate.
  let output: EvaluationOutput;
  try {
    output = evaluateInput(input.json, { book: priceBook, quotes: quotes.quotes });
  } catch (error) {
    return reportPipelineError("evaluate", input.label, error, io);
  }
  printNotes("evaluate", io, output.result.warnings, output.notes);
  if (output.baseline && output.baseline.how !== "cheapest-non-build")
    io.stderr(`planner evaluate: baseline: ${output.baseline.optionId}, ${output.baseline.reason}\n`);
  io.stdout(format === "csv" ? monthlyCsv(output.result) : `${JSON.stringify(evaluationWire(output), null, 2)}\n`);
  return EXIT.ok;
}

export const evaluateCommand: Command = {
  name: "evaluate",
  summary: "cost of every option of a scenario: NPV, TCO, cost per million tokens, payback, IRR",
  help: HELP,
  run,
};
