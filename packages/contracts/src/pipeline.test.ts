/**
 * The shared pipeline (parse → resolve → kernel) and the request / answer schemas of the
 * optimiser and the risk analysis: errors pass through unchanged, answers carry the kernel's
 * fields untouched plus their provenance, and the schemas name every bad field.
 */
import { PRICE_BOOK_VERSION, priceBook, ResolveError, resolveScenario } from "@aifp/catalog";
import { evaluate, optimise, ScenarioError, type MilpSolver, type Scenario } from "@aifp/kernel";
import { loadHighsNode } from "@aifp/kernel/load-highs-node";
import { readFileSync } from "node:fs";
import * as v from "valibot";
import { beforeAll, describe, expect, test } from "vitest";
import {
  EvaluationSchema,
  issueLines,
  MAX_API_RISK_SAMPLES,
  OptimisationSchema,
  OptimiseRequestSchema,
  RiskAnalysisSchema,
  RiskRequestSchema,
  formatIssues,
} from "./index.ts";
import {
  evaluateInput,
  evaluationWire,
  InputError,
  optimisationWire,
  optimiseInput,
  riskInput,
  riskWire,
  withRoadmapAvailability,
} from "./pipeline.ts";

// Parsed JSON the tests reshape at will (often invalid on purpose), hence untyped.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type LooseJson = any;

const golden = (name: string): LooseJson =>
  JSON.parse(readFileSync(new URL(`../../../test/golden/${name}.scenario.json`, import.meta.url), "utf8"));
const book = { book: priceBook };

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error("expected an error");
}

const lines = (schema: v.GenericSchema, input: unknown): string[] => {
  const parsed = v.safeParse(schema, input);
  return parsed.success ? [] : issueLines(formatIssues(parsed.issues));
};

let solver: MilpSolver;
beforeAll(async () => {
  solver = await loadHighsNode();
});

describe("evaluate through the pipeline", () => {
  test("the kernel's fields are evaluate's, unchanged; provenance fields are added beside them", () => {
    const input = golden("catalog-defaults");
    const output = evaluateInput(input, book);
    // The resolver's scenario with the fair baseline set explicitly (ADR 017), nothing else changed.
    const resolved = resolveScenario(input, priceBook).scenario;
    expect(resolved.comparison).toBeUndefined();
    expect(output.resolvedScenario).toEqual({
      ...resolved,
      comparison: { baselineOptionId: output.baseline?.optionId },
    });
    const direct = evaluate(output.resolvedScenario);
    expect(output.result).toEqual(direct);
    const wire = evaluationWire(output);
    expect(v.is(EvaluationSchema, wire)).toBe(true);
    const { priceBookVersion, priceBookContentHash, usedFigures, notes, baseline, ...kernelFields } = wire;
    expect(baseline).toMatchObject({ how: "cheapest-non-build", kind: "lease" });
    expect(kernelFields).toEqual(direct);
    expect(priceBookVersion).toBe(PRICE_BOOK_VERSION);
    expect(priceBookContentHash).toBe(priceBook.contentHash);
    expect(usedFigures.length).toBeGreaterThan(20);
    expect(notes.length).toBeGreaterThan(0);
  });

  test("the fair baseline is the cheapest non-build path; a named baseline is kept exactly", () => {
    // Every number inline: the kernel's default (the first lease), named.
    const literal = golden("chat-70b-three-paths");
    const first = evaluateInput(literal, book);
    expect(first.baseline).toMatchObject({ how: "first-lease", kind: "lease" });
    expect(first.result).toEqual(evaluate(literal));
    const named = evaluateInput(golden("shrinking-demand-refresh"), book);
    expect(named.baseline).toMatchObject({ how: "given" });
    // Catalog figures used and no baseline named: the cheapest non-build path.
    const input = golden("catalog-defaults");
    input.options.push({ kind: "api", id: "api", usdPerMillionInputTokens: 0.1, usdPerMillionOutputTokens: 0.2 });
    const fair = evaluateInput(input, book);
    const nonBuild = fair.result.options.filter((option) => option.kind !== "build");
    const cheapest = nonBuild.reduce((a, b) => (b.npvCostUsd < a.npvCostUsd ? b : a));
    expect(fair.baseline).toMatchObject({ optionId: cheapest.id, how: "cheapest-non-build" });
    for (const comparison of fair.result.comparisons) expect(comparison.baselineOptionId).toBe(cheapest.id);
    expect(cheapest.id).toBe("api");
    expect(fair.notes.at(-1)).toContain(cheapest.id);
  });

  test("a scenario with every number inline uses no catalog figure", () => {
    const output = evaluateInput(golden("shrinking-demand-refresh"), book);
    expect(output.usedFigures).toEqual([]);
    expect(output.result).toEqual(evaluate(golden("shrinking-demand-refresh")));
  });

  test("schema, catalog and kernel errors pass through unchanged", () => {
    const bad = golden("chat-70b-three-paths");
    bad.workload.peakToAverage = 0.5;
    const inputError = thrown(() => evaluateInput(bad, book));
    expect(inputError).toBeInstanceOf(InputError);
    expect((inputError as InputError).issues).toEqual([
      { path: "workload.peakToAverage", message: "expected a number >= 1, got 0.5" },
    ]);

    const unknownSku = golden("catalog-defaults");
    unknownSku.options[0].sku = "no-such-server";
    const resolveError = thrown(() => evaluateInput(unknownSku, book));
    expect(resolveError).toBeInstanceOf(ResolveError);
    expect((resolveError as ResolveError).issues[0]?.path).toBe("options.0.sku");

    const infeasible = golden("chat-70b-three-paths");
    infeasible.options[0].outputTokensPerSecondPerGpu = 0;
    const scenarioError = thrown(() => evaluateInput(infeasible, book));
    expect(scenarioError).toBeInstanceOf(ScenarioError);
    expect((scenarioError as ScenarioError).kind).toBe("infeasible");
  });
});

describe("optimise request schema", () => {
  test("accepts settings and per-option availableFrom; names every bad field", () => {
    const scenario = golden("chat-70b-three-paths");
    scenario.options[1].availableFrom = "2028-01";
    expect(
      lines(OptimiseRequestSchema, {
        scenario,
        optimise: { periodMonths: 3, maxShare: { api: 0.5 }, capexBudgetUsdPerYear: [1e7, 1e7, 1e7, 1e7, 1e7] },
      }),
    ).toEqual([]);
    scenario.options[1].availableFrom = "2028";
    expect(
      lines(OptimiseRequestSchema, {
        scenario,
        optimise: {
          periodMonths: 7,
          availableFrom: { "no-such-option": "2029-01" },
          maxShare: { build: 2, cloud: 0.5 },
          explain: "yes",
          capexBudgetUsdPerYear: -1,
          mipGap: 0.1,
        },
        extra: 1,
      }),
    ).toEqual([
      'scenario.options.1.availableFrom: expected a month as "YYYY-MM", got "2028"',
      "optimise.periodMonths: expected 12, 6, 3 or 1 (months per planning period), got 7",
      "optimise.capexBudgetUsdPerYear: expected a number >= 0, got -1",
      "optimise.maxShare.build: expected a number between 0 and 1, got 2",
      "optimise.maxShare.cloud: unknown field: not a path (build, lease or api) (check its spelling)",
      'optimise.explain: expected true or false, got "yes"',
      "optimise.mipGap: unknown field: not an optimiser setting (check its spelling)",
      'extra: unknown field: not part of an optimise request (expected "scenario" and "optimise") (check its spelling)',
    ]);
  });

  test("availableFrom keys name options; a list of budgets has one per plan year", () => {
    expect(
      lines(OptimiseRequestSchema, {
        scenario: golden("chat-70b-three-paths"),
        optimise: { availableFrom: { "no-such-option": "2029-01" }, capexBudgetUsdPerYear: [1, 2] },
      }),
    ).toEqual([
      'optimise.availableFrom.no-such-option: no option has the id "no-such-option"',
      "optimise.capexBudgetUsdPerYear: expected 5 yearly budgets (one per plan year), got 2",
    ]);
  });
});

describe("risk request schema", () => {
  test("samples are capped for the API; drivers are checked", () => {
    const scenario = golden("chat-70b-three-paths");
    expect(lines(RiskRequestSchema, { scenario, risk: { samples: MAX_API_RISK_SAMPLES, seed: -4 } })).toEqual([]);
    expect(
      lines(RiskRequestSchema, {
        scenario,
        risk: {
          samples: MAX_API_RISK_SAMPLES + 1,
          seed: 1.5,
          drivers: [{ id: "nope" }, { id: "pue", low: 2, high: 1 }],
        },
      }),
    ).toEqual([
      "risk.samples: expected a whole number between 1 and 10000, got 10001",
      "risk.seed: expected a whole number between -4503599627370496 and 4503599627370496, got 1.5",
      'risk.drivers.0.id: expected one of volume, growth, electricity, pue, hardwarePrice, leasePriceTrend, apiPriceTrend, throughput, costOfCapital, life, resale, support, warranty, got "nope"',
      "risk.drivers.1: expected low <= high, got low 2 and high 1",
    ]);
  });

  test("a scale driver's factor must stay above 0: named as an input error", () => {
    const error = thrown(() =>
      riskInput(
        { scenario: golden("chat-70b-three-paths"), risk: { samples: 10, drivers: [{ id: "volume", low: 0 }] } },
        book,
      ),
    );
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).issues).toEqual([
      { path: "risk.drivers.0.low", message: "expected a factor > 0, got 0" },
    ]);
  });
});

// Solves and Monte Carlo runs: generous limits, the machine running the tests is shared.
describe("optimise and risk through the pipeline", { timeout: 60_000 }, () => {
  test("optimise: the kernel's answer for the resolved scenario, plus provenance", () => {
    const request = { scenario: golden("catalog-defaults"), optimise: { explain: false } };
    const output = optimiseInput(request, { ...book, solver });
    const direct = optimise({
      scenario: resolveScenario(request.scenario, priceBook).scenario,
      solver,
      settings: { explain: false },
    });
    expect(output.result).toEqual(direct);
    const wire = optimisationWire(output);
    const parsed = v.safeParse(OptimisationSchema, wire);
    expect(parsed.success ? [] : formatIssues(parsed.issues)).toEqual([]);
    expect(wire.usedFigures.length).toBeGreaterThan(20);
    expect(wire.availableFrom).toEqual({});
  });

  test("risk: tornado and Monte Carlo with provenance; the same seed gives the same figures", () => {
    const request = { scenario: golden("catalog-defaults"), risk: { samples: 200, seed: 3 } };
    const first = riskWire(riskInput(request, book));
    const parsed = v.safeParse(RiskAnalysisSchema, first);
    expect(parsed.success ? [] : formatIssues(parsed.issues)).toEqual([]);
    expect(first.monteCarlo.samples).toBe(200);
    expect(riskWire(riskInput(request, book))).toEqual(first);
  });

  test("the catalog roadmap keeps a generation not yet on sale out of the plan until its first month", () => {
    const rubin = priceBook.generations.find((generation) => generation.key === "rubin");
    expect(rubin?.firstAvailable).toBe("2026-H2");
    const scenario: Scenario = {
      ...golden("chat-70b-three-paths"),
      startMonth: "2026-01",
      options: [
        ...golden("chat-70b-three-paths").options,
        {
          kind: "build",
          id: "rubin-server",
          accelerator: "Rubin-288GB",
          priceUsd: 600_000,
          gpusPerServer: 8,
          kw: 18,
          lifeYears: 5,
          resaleDeclinePerYear: 0.3,
          outputTokensPerSecondPerGpu: 6000,
        },
      ],
    };
    const roadmap = withRoadmapAvailability(scenario, priceBook);
    expect(roadmap.availableFrom).toEqual({ "rubin-server": "2026-07" });
    expect(roadmap.notes[0]).toMatch(/rubin-server: available from 2026-07.*Rubin.*\(2026-H2;/);
    // Given months win over the roadmap.
    expect(withRoadmapAvailability(scenario, priceBook, { "rubin-server": "2027-01" }).availableFrom).toEqual({
      "rubin-server": "2027-01",
    });
    const output = optimiseInput({ scenario, optimise: { explain: false } }, { ...book, solver });
    expect(output.availableFrom).toEqual({ "rubin-server": "2026-07" });
    for (const month of output.result.hybrid.monthly)
      if ((month.serversBought["rubin-server"] ?? 0) > 0) expect(month.month >= "2026-07").toBe(true);
    expect(output.result.strategies.find((s) => s.id === "rubin-server")?.reason).toMatch(
      /not available before 2026-07/,
    );
  });
});
