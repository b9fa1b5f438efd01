/**
 * Scenarios saved before the model-API price book (issue 14, ADR 015) evaluate to the same result
 * through the pipeline the API and the CLI share: a cost-model v1 scenario that names its own
 * token prices is untouched by the resolver, and one that names the old book's only API price by
 * its old id gets that price and nothing else (no trend default).
 */
import { priceBook } from "@aifp/catalog";
import { evaluate, type Scenario } from "@aifp/kernel";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { evaluateInput, evaluationWire } from "./pipeline.ts";

const read = (file: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../../test/golden/${file}`, import.meta.url), "utf8"));

/** Relative 1e-9, as the golden test compares money (exact for zero). */
function close(actual: number | undefined, expected: number, label: string): void {
  expect(actual, label).toBeDefined();
  expect(Math.abs((actual ?? NaN) - expected), label).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));
}

interface ExpectedOption {
  id: string;
  npvCostUsd: number;
  tcoUsd: number;
  lcotUsdPerMillionTokens: number;
  lcotUsdPerMillionOutputTokens: number;
  monthly: { apiUsd: number; cashUsd: number }[];
}

describe("a scenario saved before the API price book evaluates as it did", () => {
  it("a v1 scenario naming its own token prices: the golden result, no catalog figure for the API", () => {
    const scenario = read("chat-70b-three-paths.scenario.json") as Scenario;
    const expected = read("chat-70b-three-paths.expected.json") as { options: ExpectedOption[] };
    const output = evaluateInput(scenario, { book: priceBook });
    const index = scenario.options.findIndex((option) => option.kind === "api");
    const api = scenario.options[index]!;
    const want = expected.options.find((option) => option.id === api.id)!;
    const got = output.result.options.find((option) => option.id === api.id);
    close(got?.npvCostUsd, want.npvCostUsd, "npvCostUsd");
    close(got?.tcoUsd, want.tcoUsd, "tcoUsd");
    close(got?.lcotUsdPerMillionTokens, want.lcotUsdPerMillionTokens, "lcotUsdPerMillionTokens");
    close(got?.lcotUsdPerMillionOutputTokens, want.lcotUsdPerMillionOutputTokens, "lcotUsdPerMillionOutputTokens");
    expect(got?.monthly).toHaveLength(want.monthly.length);
    for (const [month, row] of want.monthly.entries()) {
      const monthRow = got?.monthly[month];
      close(monthRow && "apiUsd" in monthRow ? monthRow.apiUsd : undefined, row.apiUsd, `monthly.${month}.apiUsd`);
      close(monthRow?.cashUsd, row.cashUsd, `monthly.${month}.cashUsd`);
    }
    // The resolver left the API option as saved: the kernel alone gives the same result.
    expect(output.result.options[index]).toEqual(evaluate(scenario).options[index]);
    const wire = evaluationWire(output);
    expect(wire.usedFigures.filter((figure) => figure.path.startsWith(`options.${index}.`))).toEqual([]);
    expect(wire.notes.filter((note) => note.includes(`option ${api.id}`))).toEqual([]);
  });

  it("a scenario naming the old book's API price by its old id: that price, no trend default", () => {
    // The previous book (before issue 14) had one API price, deepseek-r1-openrouter at $1.35 in /
    // $5.40 out per million tokens; a saved scenario could name it as `offer`.
    const base = read("chat-70b-three-paths.scenario.json") as Scenario;
    const withApi = (option: Record<string, unknown>): Scenario => ({
      ...base,
      workload: { ...base.workload, model: "deepseek-r1" },
      options: base.options.map((item) => (item.kind === "api" ? { kind: "api", id: item.id, ...option } : item)),
    });
    const saved = evaluateInput(withApi({ offer: "deepseek-r1-openrouter" }), { book: priceBook });
    const inline = evaluateInput(withApi({ usdPerMillionInputTokens: 1.35, usdPerMillionOutputTokens: 5.4 }), {
      book: priceBook,
    });
    expect(saved.result).toEqual(inline.result);
    const resolvedApi = saved.resolvedScenario.options.find((option) => option.kind === "api");
    expect(resolvedApi).toMatchObject({ usdPerMillionInputTokens: 1.35, usdPerMillionOutputTokens: 5.4 });
    expect(resolvedApi?.priceChangePerYear).toBeUndefined();
  });
});
