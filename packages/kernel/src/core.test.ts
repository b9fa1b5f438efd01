/**
 * The fleet policy's running sums (core.ts `fillBuild`): owned servers and hardware value carried
 * from month to month, servers subtracted on a retirement while they are exact whole numbers.
 * The results must be the reference's (reference/build.ts sums every month from scratch) number
 * for number, also where the servers outgrow 2^53 and the subtraction would round.
 */
import { describe, expect, test } from "vitest";
import { benchScenario } from "../bench/evaluate.bench.ts";
import { evaluate } from "./evaluate.ts";
import { evaluate as referenceEvaluate } from "./reference/evaluate.ts";
import type { Scenario } from "./scenario.ts";

/** Every value of a result, tables included, -0 told apart from 0. */
const exactly = (result: unknown): string =>
  JSON.stringify(result, (_key, value: unknown) => (Object.is(value, -0) ? "-0" : value));

/** The bench scenario with one-GPU servers of a slow accelerator, so the fleet grows with the demand. */
function fleetScenario(requestsPerDay: number, growthPerYear: number, lifeYears: number): Scenario {
  const scenario = benchScenario(5);
  scenario.workload.requestsPerDay = requestsPerDay;
  scenario.workload.growthPerYear = growthPerYear;
  for (const option of scenario.options) {
    if (option.kind !== "build") continue;
    option.lifeYears = lifeYears;
    option.gpusPerServer = 1;
    option.outputTokensPerSecondPerGpu = 1.7;
  }
  return scenario;
}

describe("fleet policy sums carried from month to month", () => {
  test("equal the reference's sums from scratch, for fleets below and beyond 2^53 servers", () => {
    let largestFleet = 0;
    for (const requestsPerDay of [1e7, 1e15, 1e17, 1e20])
      for (const growthPerYear of [-0.5, 0, 0.6, 3])
        for (const lifeYears of [0.5, 1, 2.5]) {
          const scenario = fleetScenario(requestsPerDay, growthPerYear, lifeYears);
          const result = evaluate(scenario);
          expect(exactly(result)).toBe(exactly(referenceEvaluate(scenario)));
          for (const option of result.options)
            if (option.kind === "build") largestFleet = Math.max(largestFleet, ...option.monthly.map((m) => m.servers));
        }
    expect(largestFleet).toBeGreaterThan(2 ** 53);
  });
});
