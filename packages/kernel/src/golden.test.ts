/**
 * Golden tests: the worked examples of the cost-model spec (copied to test/golden/) evaluate to
 * their expected results. Every field of the expected JSON is checked: relative 1e-9 on money
 * and other reals, exact on integers and nulls, same array lengths. Extra result fields are allowed.
 */
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { evaluate, KERNEL_VERSION, type Scenario } from "./index.ts";

const goldenDir = new URL("../../../test/golden/", import.meta.url);
// A golden example is a scenario with its expected result; other scenarios in the folder (e.g.
// catalog-defaults, which names catalog references for the resolver) have no expected file.
const files = readdirSync(goldenDir);
const names = files
  .filter((file) => file.endsWith(".scenario.json"))
  .map((file) => file.slice(0, -".scenario.json".length))
  .filter((name) => files.includes(`${name}.expected.json`))
  .sort();

/** Fields that hold whole numbers (counts and months): compared exactly. */
const INTEGER_FIELDS = new Set(["month", "servers", "instances", "gpus", "paybackMonths", "powerCapExceededMonths"]);
const RELATIVE_TOLERANCE = 1e-9;

interface Mismatch {
  path: string;
  expected: unknown;
  actual: unknown;
}

/** Walks the expected JSON and compares every leaf with the actual result; returns mismatches and the leaf count. */
function compareLeaves(
  expected: unknown,
  actual: unknown,
  path: string,
  integerField: boolean,
  out: Mismatch[],
): number {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) {
      out.push({
        path: `${path} (length)`,
        expected: expected.length,
        actual: Array.isArray(actual) ? actual.length : actual,
      });
      return 1;
    }
    let leaves = 0;
    expected.forEach((item, index) => {
      leaves += compareLeaves(item, actual[index], `${path}[${index}]`, integerField, out);
    });
    return leaves;
  }
  if (expected !== null && typeof expected === "object") {
    if (actual === null || typeof actual !== "object") {
      out.push({ path, expected, actual });
      return 1;
    }
    let leaves = 0;
    for (const [key, value] of Object.entries(expected)) {
      leaves += compareLeaves(
        value,
        (actual as Record<string, unknown>)[key],
        path ? `${path}.${key}` : key,
        INTEGER_FIELDS.has(key),
        out,
      );
    }
    return leaves;
  }
  if (typeof expected === "number") {
    const ok =
      typeof actual === "number" &&
      (integerField
        ? Object.is(actual, expected)
        : Math.abs(actual - expected) <= RELATIVE_TOLERANCE * Math.abs(expected));
    if (!ok) out.push({ path, expected, actual });
    return 1;
  }
  if (!Object.is(actual, expected)) out.push({ path, expected, actual });
  return 1;
}

describe("golden scenarios of the cost-model spec", () => {
  test("there are golden scenarios to check", () => {
    expect(names).toEqual(["chat-70b-three-paths", "shrinking-demand-refresh"]);
  });

  test.each(names)("%s evaluates to its expected result", (name) => {
    const scenario = JSON.parse(readFileSync(new URL(`${name}.scenario.json`, goldenDir), "utf8")) as Scenario;
    const expected = JSON.parse(readFileSync(new URL(`${name}.expected.json`, goldenDir), "utf8")) as unknown;
    const mismatches: Mismatch[] = [];
    const leaves = compareLeaves(expected, evaluate(scenario), "", false, mismatches);
    expect(mismatches.slice(0, 20)).toEqual([]);
    expect(leaves).toBeGreaterThan(2000);
  });

  test("the comparison itself fails on a wrong figure (the test can fail)", () => {
    const expected = { options: [{ npvCostUsd: 100, monthly: [{ servers: 3 }] }] };
    const out: Mismatch[] = [];
    compareLeaves(
      expected,
      { options: [{ npvCostUsd: 100 * (1 + 2e-9), monthly: [{ servers: 3.0000001 }] }] },
      "",
      false,
      out,
    );
    expect(out.map((m) => m.path)).toEqual(["options[0].npvCostUsd", "options[0].monthly[0].servers"]);
  });

  test("the kernel version is 1.0.0 once the golden examples pass", () => {
    expect(KERNEL_VERSION).toBe("1.0.0");
  });
});
