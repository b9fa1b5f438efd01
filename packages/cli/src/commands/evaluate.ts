/**
 * `planner evaluate <scenario.json | ->`: the cost model v1 evaluation of a scenario, as JSON
 * (default) or as a monthly CSV table.
 */
import { priceBook } from "@aifp/catalog";
import { evaluateInput, evaluationWire } from "@aifp/contracts/pipeline";
import { UsageError } from "../command.ts";
import { monthlyCsv } from "../csv.ts";
import { jsonOutput, scenarioCommand } from "../scenario-command.ts";
import { QUOTES_HELP } from "./quotes-file.ts";

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

export const evaluateCommand = scenarioCommand({
  name: "evaluate",
  summary: "cost of every option of a scenario: NPV, TCO, cost per million tokens, payback, IRR",
  help: HELP,
  flags: { format: { default: "json" }, "serving-stack": {}, "lease-commitment": {} },
  checkFlags(values) {
    const format = values["format"];
    if (format !== "json" && format !== "csv")
      throw new UsageError(`--format must be "json" or "csv", got "${format}"`);
    return { format, servingStack: values["serving-stack"], leaseCommitment: values["lease-commitment"] };
  },
  compute(json, quotes, flags) {
    // The flags set the scenario's fields; the shared schema checks their values (exit 2 naming them).
    if (typeof json === "object" && json !== null && !Array.isArray(json)) {
      const scenario = json as Record<string, unknown>;
      if (flags.servingStack !== undefined) scenario.servingStack = flags.servingStack;
      if (flags.leaseCommitment !== undefined) scenario.leaseCommitment = flags.leaseCommitment;
    }
    // The shared pipeline: schema → catalog references resolved through the price book → evaluate.
    const output = evaluateInput(json, { book: priceBook, quotes });
    return {
      warnings: output.result.warnings,
      notes: output.notes,
      messages:
        output.baseline && output.baseline.how !== "cheapest-non-build"
          ? [`baseline: ${output.baseline.optionId}, ${output.baseline.reason}`]
          : [],
      stdout: flags.format === "csv" ? monthlyCsv(output.result) : jsonOutput(evaluationWire(output)),
    };
  },
});
