/**
 * `planner optimise <scenario.json | ->`: the cheapest fleet plan over hardware generations under
 * the site's power cap, compared with every pure strategy (docs/optimiser.md).
 */
import { priceBook } from "@aifp/catalog";
import { optimisationWire, optimisePrepared, prepareOptimise } from "@aifp/contracts/pipeline";
import { loadHighsNode } from "@aifp/kernel/load-highs-node";
import { UsageError } from "../command.ts";
import { jsonOutput, scenarioCommand } from "../scenario-command.ts";
import { planRequest, wholeNumberFlag } from "./plan-input.ts";
import { QUOTES_HELP } from "./quotes-file.ts";

const HELP = `planner optimise: the cheapest mix of owned servers, leased instances and API tokens.

Usage:
  npx planner optimise <scenario.json>
  npx planner optimise -                          read it from standard input
  npx planner optimise <file> --period-months 3   quarterly periods (default 12: yearly)

The file holds a scenario (as for "planner evaluate": catalog references such as sku, offer,
region and model are resolved through the price book first), or
  { "scenario": { … }, "optimise": { … settings … } }
Any option may carry "availableFrom": "YYYY-MM" (the first month it can be bought or leased).
An option whose hardware generation is not on sale at startMonth gets the catalog roadmap's
first month (e.g. "2026-H2" → 2026-07), said in notes[].
Settings (all optional):
  periodMonths            12 (default), 6, 3 or 1: length of one planning period
  availableFrom           { "<option id>": "YYYY-MM" }: first month a hardware generation (or
                          an offer) can be bought; wins over the option's own field
  capexBudgetUsdPerYear   a number, or one per plan year: purchases incl. adders, USD
  maxShare                { "build": 0-1, "lease": 0-1, "api": 0-1 }: largest share of each
                          period's peak demand a path may serve (default 1 each)
  allowEarlyRetirement    true (default): servers may be sold before the end of their life
  explain                 true (default): re-solve with one more MW to price the power cap
  timeLimitSeconds        per solve (default 20); mipRelativeGap (default 1e-4)

Options:
  --period-months N       overrides optimise.periodMonths
  --time-limit S          overrides optimise.timeLimitSeconds
${QUOTES_HELP}
  -h, --help              this help

Output (JSON on standard output):
  strategies[]   { id, kind: "build" | "lease" | "api" | "base-peak" | "hybrid", label,
                 npvCostUsd, lcotUsdPerMillionTokens, feasible, reason? }: every pure option,
                 the best "own the base, lease the peak" pair, and the optimal hybrid
  hybrid         the recommended plan: npvCostUsd, lcotUsdPerMillionTokens, source ("milp" or
                 the strategy it equals), periods[] { start "YYYY-MM", facilityKw, gpus,
                 ownedGpus, leasedGpus, buy, retire, servers, lease, apiShare, capexUsd, cashUsd,
                 npvCostUsd }, decisions[] (the solver's counts per period), monthly[]
  binding        what limits the plan: powerCap { binds, bindsFrom, savingsPerMwUsd },
                 capexBudget, shares
  explanation[]  the same in plain words
  model          periods, variables, integerVariables, constraints, solves, status
  availableFrom  the first month per option id that applied (given, or the catalog roadmap)
  priceBookVersion, priceBookContentHash, usedFigures[], notes[]   the catalog figures used
                 (as for "planner evaluate")
Every money figure is USD, present value at the plan start unless its name says otherwise.

Exit codes: 0 success; 2 invalid input (each wrong field named on stderr);
3 no plan can serve the demand (stderr says why: power cap, budget, shares, availability);
1 internal error.
`;

export const optimiseCommand = scenarioCommand({
  name: "optimise",
  summary: "cheapest mix of owned, leased and API capacity over hardware generations, under the power cap",
  help: HELP,
  flags: { "period-months": {}, "time-limit": {} },
  checkFlags(values) {
    const periodMonths = values["period-months"];
    if (periodMonths !== undefined && !["1", "3", "6", "12"].includes(periodMonths))
      throw new UsageError(`--period-months must be 1, 3, 6 or 12, got "${periodMonths}"`);
    const timeLimit = wholeNumberFlag("time-limit", values["time-limit"], 0, 1, 3600);
    const overrides: Record<string, unknown> = {};
    if (periodMonths !== undefined) overrides["periodMonths"] = Number(periodMonths);
    if (timeLimit > 0) overrides["timeLimitSeconds"] = timeLimit;
    return overrides;
  },
  async compute(json, quotes, overrides) {
    // The shared pipeline: schema → catalog references → roadmap availability → optimise.
    const prepared = prepareOptimise(planRequest(json, "optimise", overrides), { book: priceBook, quotes });
    const output = optimisePrepared(prepared, await loadHighsNode());
    return { warnings: output.result.warnings, notes: output.notes, stdout: jsonOutput(optimisationWire(output)) };
  },
});
