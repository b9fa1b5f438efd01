/**
 * The wire schemas: the golden scenarios and results parse, messages are plain words with dotted
 * paths, and the schema agrees with the kernel's own validation (one rules table for both).
 */
import { evaluate, type ScenarioError, type Scenario } from "@aifp/kernel";
import { readFileSync } from "node:fs";
import * as v from "valibot";
import { describe, expect, test } from "vitest";
import {
  EvaluateResultSchema,
  formatIssues,
  issueLines,
  parseEvaluateResult,
  parseScenario,
  ScenarioSchema,
} from "./index.ts";

// Parsed JSON that the tests reshape at will (often invalid on purpose), hence untyped.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type LooseJson = any;

const golden = (name: string): LooseJson =>
  JSON.parse(readFileSync(new URL(`../../../test/golden/${name}.scenario.json`, import.meta.url), "utf8"));
const NAMES = ["chat-70b-three-paths", "shrinking-demand-refresh"];

const issuesOf = (input: unknown) => {
  const parsed = parseScenario(input);
  if (parsed.ok) throw new Error("expected the scenario to be rejected");
  return parsed.issues;
};

describe("ScenarioSchema", () => {
  test.each(NAMES)("the golden scenario %s parses unchanged", (name) => {
    const parsed = parseScenario(golden(name));
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.scenario).toEqual(golden(name));
  });

  test("messages name the field with a dotted path, in plain words", () => {
    const scenario = golden("chat-70b-three-paths");
    scenario.workload.peakToAverage = "abc";
    scenario.workload.targetUtilization = 0;
    delete scenario.workload.requestsPerDay;
    scenario.options[1].lifeYears = 2.55;
    scenario.options[2].kind = "buy";
    expect(issueLines(issuesOf(scenario))).toEqual([
      "workload.requestsPerDay: missing: expected a number > 0",
      'workload.peakToAverage: expected a number >= 1, got "abc"',
      "workload.targetUtilization: expected a number > 0 and <= 1, got 0",
      "options.1.lifeYears: expected a number > 0 and <= 50 that is a whole number of months (12 × years), got 2.55",
      'options.2.kind: expected "build", "lease" or "api", got "buy"',
    ]);
  });

  test("strict objects everywhere: an unknown field is named", () => {
    const scenario = golden("chat-70b-three-paths");
    scenario.site.pueFactor = 1.2;
    scenario.options[0].priceUsdPerHour = 3;
    scenario.finance.inflation = 0.02;
    const paths = issuesOf(scenario).map((issue) => issue.path);
    expect(paths).toEqual(["finance.inflation", "site.pueFactor", "options.0.priceUsdPerHour"]);
  });

  test("catalog references are allowed, and the numbers they would supply may be left out", () => {
    const scenario = golden("chat-70b-three-paths");
    scenario.workload.model = "llama-3.3-70b";
    scenario.site.region = "us-east";
    scenario.options[0] = { kind: "lease", id: "neocloud-h200", offer: "lambda-8xh200", accelerator: "H200-SXM-141GB" };
    scenario.options[1].sku = "dell-xe9680-h200";
    delete scenario.options[1].priceUsd;
    scenario.options[2] = { kind: "api", id: "api-70b", offer: "together-llama-70b" };
    expect(parseScenario(scenario).ok).toBe(true);
    // The kernel requires them inline and names each one still missing.
    const error = (() => {
      try {
        evaluate(scenario as Scenario);
      } catch (e) {
        return e as ScenarioError;
      }
      throw new Error("expected a ScenarioError");
    })();
    expect(error.kind).toBe("invalid");
    expect(error.issues.map((issue) => issue.path)).toEqual([
      "options.0.outputTokensPerSecondPerGpu",
      "options.0.priceUsdPerInstanceHour",
      "options.0.gpusPerInstance",
      "options.1.priceUsd",
      "options.2.usdPerMillionInputTokens",
      "options.2.usdPerMillionOutputTokens",
    ]);
  });

  test("option ids are unique and the baseline names one of them", () => {
    const scenario = golden("shrinking-demand-refresh");
    scenario.options[2].id = "b200-1y";
    expect(issueLines(issuesOf(scenario))).toEqual([
      'options.2.id: duplicate id "b200-1y": options.1 has it already',
      'comparison.baselineOptionId: no option has the id "h100-ondemand"',
    ]);
  });

  test("formatIssues gives { path, message } without duplicates", () => {
    const result = v.safeParse(ScenarioSchema, { ...golden("chat-70b-three-paths"), horizonYears: -0.3 });
    expect(result.success).toBe(false);
    if (result.success) return;
    // −0.3 breaks two bounds (> 0, whole months) with one message: reported once.
    expect(formatIssues(result.issues)).toEqual([
      {
        path: "horizonYears",
        message: "expected a number > 0 and <= 50 that is a whole number of months (12 × years), got -0.3",
      },
    ]);
  });

  test("the schema and the kernel reject the same out-of-range numbers at the same path", () => {
    const cases: [path: string[], value: unknown][] = [
      [["horizonYears"], 0],
      [["finance", "discountRatePerYear"], 1.5],
      [["workload", "outputTokensPerRequest"], 0],
      [["workload", "growthPerYear"], -1],
      [["site", "pue"], 0.9],
      [["site", "powerCapKw"], 0],
      [["options", "1", "gpusPerServer"], 8.5],
      [["options", "1", "resaleDeclinePerYear"], 1.2],
      [["options", "1", "idlePowerFraction"], -0.1],
      [["options", "0", "termYears"], 0.1],
      [["options", "0", "gpusPerInstance"], 0],
      [["options", "2", "usdPerMillionOutputTokens"], -1],
      [["options", "1", "inputTokensPerSecondPerGpu"], 0],
    ];
    for (const [path, value] of cases) {
      const scenario = golden("chat-70b-three-paths");
      let target = scenario;
      for (const key of path.slice(0, -1)) target = target[key];
      target[path.at(-1)!] = value;
      const schemaIssues = issuesOf(scenario);
      let kernelIssues: readonly { path: string; message: string }[] = [];
      try {
        evaluate(scenario as Scenario);
      } catch (error) {
        kernelIssues = (error as ScenarioError).issues;
      }
      expect({ path, schema: schemaIssues }).toEqual({ path, schema: kernelIssues });
    }
  });

  test("not an object, or an empty one", () => {
    expect(issuesOf(null)).toEqual([{ path: "", message: "expected a scenario object, got null" }]);
    expect(issuesOf({}).map((issue) => issue.path)).toEqual([
      "startMonth",
      "horizonYears",
      "finance",
      "workload",
      "options",
    ]);
    expect(issueLines(issuesOf({ ...golden("chat-70b-three-paths"), options: [] }))).toEqual([
      "options: expected at least one option, got an empty list",
    ]);
  });
});

describe("EvaluateResultSchema", () => {
  test.each(NAMES)("the kernel's result for %s parses", (name) => {
    const parsed = parseEvaluateResult(evaluate(golden(name) as Scenario));
    expect(parsed.ok ? [] : parsed.issues).toEqual([]);
  });

  test("a result missing a defined field or carrying an unknown one is rejected", () => {
    const result = JSON.parse(JSON.stringify(evaluate(golden("chat-70b-three-paths") as Scenario)));
    delete result.options[1].npvCostUsd;
    result.options[0].monthly[3].surprise = 1;
    const parsed = parseEvaluateResult(result);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok)
      expect(parsed.issues.map((issue) => issue.path)).toEqual([
        "options.0.monthly.3.surprise",
        "options.1.npvCostUsd",
      ]);
    expect(v.is(EvaluateResultSchema, result)).toBe(false);
  });
});
