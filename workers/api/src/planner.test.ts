// Unit test (project "unit", Node): the API's evaluation path gives byte-for-byte what the CLI
// prints (`npx planner evaluate`), for the golden scenarios, the catalog-defaults one included
// (a model, a region, two SKUs and two cloud offers; every other number from the price book). The workerd tests then check that
// POST /api/v1/evaluate returns exactly this evaluation.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ScenarioInputSchema, evaluateScenario } from "./planner.ts";
import * as v from "valibot";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

describe("evaluateScenario (the API's POST /evaluate) vs the CLI", () => {
  for (const name of ["chat-70b-three-paths", "shrinking-demand-refresh", "catalog-defaults"]) {
    it(`${name}: identical JSON`, () => {
      const file = path.join(root, "test/golden", `${name}.scenario.json`);
      const cli = execFileSync(process.execPath, [path.join(root, "packages/cli/bin/planner.js"), "evaluate", file], {
        encoding: "utf8",
      });
      const scenario = v.parse(ScenarioInputSchema, JSON.parse(readFileSync(file, "utf8")));
      const api = evaluateScenario(scenario).wire;
      expect(JSON.stringify(api)).toBe(JSON.stringify(JSON.parse(cli)));
      // Every catalog figure used is cited: a source, a date, a confidence and the book version.
      for (const figure of api.usedFigures) {
        expect(figure.source, figure.path).not.toBe("");
        expect(figure.asOf, figure.path).toMatch(/^\d{4}/);
        expect(figure.priceBookVersion).toBe(api.priceBookVersion);
      }
      if (name === "catalog-defaults") expect(api.usedFigures.length).toBeGreaterThan(20);
    });
  }
});
