/**
 * The fast paths of issue #16 against the reference implementation (this directory: `evaluate`,
 * the Monte Carlo and the tornado as they were before the allocation-free core, ADR 020).
 *
 * - `evaluate`: on many generated scenarios (fast-check, fixed seed), every number of the result
 *   within 1e-12 relative of the reference, every other value and every key (in order) equal,
 *   and the same error when the reference rejects a scenario. Scenarios of different sizes run
 *   one after another, so the reused workspace is exercised too.
 * - Monte Carlo and tornado: for fixed seeds, the results equal the reference's exactly, also
 *   with driver overrides that push samples outside the rules (the fallback path).
 */
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { evaluate } from "../evaluate.ts";
import { monteCarloSync } from "../risk/monte-carlo.ts";
import { sensitivity } from "../risk/sensitivity.ts";
import type { OptionInput, Scenario } from "../scenario.ts";
import { benchScenario } from "../../bench/evaluate.bench.ts";
import { optimiserBenchScenario } from "../../bench/optimiser-scenario.ts";
import type { DriverOverride } from "../risk/drivers.ts";
import { evaluate as referenceEvaluate } from "./evaluate.ts";
import { monteCarloSync as referenceMonteCarlo } from "./monte-carlo.ts";
import { sensitivity as referenceSensitivity } from "./sensitivity.ts";

const NUM_RUNS = Number(process.env["PROPERTY_RUNS"] ?? 300);
const SEED = 16;
const RELATIVE = 1e-12;

const real = (min: number, max: number) => fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
const maybe = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined });

const buildOption = (id: string): fc.Arbitrary<OptionInput> =>
  fc
    .record({
      priceUsd: real(0, 1_000_000),
      gpusPerServer: fc.constantFrom(1, 4, 8),
      kw: real(0.5, 20),
      adders: maybe(real(0, 0.5)),
      lifeYears: fc.constantFrom(0.5, 1, 2, 2.5, 3, 4, 5, 7),
      spareFraction: maybe(real(0, 0.2)),
      maintenancePerYear: maybe(real(0, 0.2)),
      warrantyYears: maybe(fc.constantFrom(0, 1, 1.5, 3)),
      softwareUsdPerGpuYear: maybe(real(0, 6000)),
      staff: maybe(fc.record({ serversPerFte: real(10, 100), fteUsdPerYear: real(50_000, 300_000) })),
      otherUsdPerServerYear: maybe(real(0, 5000)),
      resaleDeclinePerYear: real(0, 1),
      priceChangePerYear: maybe(real(-0.3, 0.1)),
      idlePowerFraction: maybe(real(0, 0.5)),
      outputTokensPerSecondPerGpu: real(0.5, 10_000),
      inputTokensPerSecondPerGpu: maybe(real(500, 100_000)),
    })
    .map(({ staff, ...fields }) => ({ kind: "build" as const, id, ...withoutUndefined(fields), ...(staff ?? {}) }));

const leaseOption = (id: string): fc.Arbitrary<OptionInput> =>
  fc
    .record({
      priceUsdPerInstanceHour: real(0, 120),
      gpusPerInstance: fc.constantFrom(1, 2, 8),
      termYears: maybe(fc.constantFrom(0, 0.5, 1, 3)),
      priceChangePerYear: maybe(real(-0.3, 0.1)),
      softwareUsdPerGpuYear: maybe(real(0, 6000)),
      outputTokensPerSecondPerGpu: real(0.5, 10_000),
      inputTokensPerSecondPerGpu: maybe(real(500, 100_000)),
    })
    .map((fields) => ({ kind: "lease" as const, id, ...withoutUndefined(fields) }));

const apiOption = (id: string): fc.Arbitrary<OptionInput> =>
  fc
    .record({
      usdPerMillionInputTokens: real(0, 20),
      usdPerMillionOutputTokens: real(0, 60),
      priceChangePerYear: maybe(real(-0.5, 0.1)),
    })
    .map((fields) => ({ kind: "api" as const, id, ...withoutUndefined(fields) }));

function withoutUndefined<T extends object>(fields: T): T {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as T;
}

const optionsArbitrary = fc
  .array(fc.constantFrom("build", "lease", "api"), { minLength: 1, maxLength: 6 })
  .chain((kinds) =>
    fc.tuple(
      ...kinds.map((kind, index) =>
        kind === "build"
          ? buildOption(`b${index}`)
          : kind === "lease"
            ? leaseOption(`l${index}`)
            : apiOption(`a${index}`),
      ),
    ),
  );

const scenarioArbitrary: fc.Arbitrary<Scenario> = fc
  .record({
    startMonth: fc.constantFrom("2026-01", "2027-07", "2030-12"),
    horizonYears: fc.integer({ min: 1, max: 120 }).map((months) => months / 12),
    discountRatePerYear: real(0, 1),
    workload: fc.record({
      inputTokensPerRequest: real(0, 8000),
      outputTokensPerRequest: real(1, 4000),
      requestsPerDay: real(1, 50_000_000),
      growthPerYear: real(-0.9, 3),
      peakToAverage: real(1, 3),
      targetUtilization: real(0.05, 1),
    }),
    site: fc.record({
      electricityUsdPerKwh: real(0, 0.4),
      electricityEscalationPerYear: real(-0.05, 0.1),
      pue: real(1, 2),
      colocationUsdPerKwMonth: real(0, 250),
      gridCarbonGPerKwh: real(0, 800),
      powerCapKw: maybe(real(10, 100_000)),
    }),
    options: optionsArbitrary,
    baseline: fc.nat(),
  })
  .map(({ discountRatePerYear, site, options, baseline, ...rest }) => ({
    name: "equivalence",
    ...rest,
    finance: { discountRatePerYear },
    site: withoutUndefined(site),
    options,
    // Half the scenarios name a baseline (possibly a build or API option); the others take the default.
    ...(baseline % 2 === 0
      ? { comparison: { baselineOptionId: (options[baseline % options.length] as OptionInput).id } }
      : {}),
  }));

/** Differences between two results: numbers beyond 1e-12 relative, anything else not equal, keys out of order. */
function differences(actual: unknown, expected: unknown, path = "", found: string[] = []): string[] {
  if (typeof expected === "number" && typeof actual === "number") {
    const same =
      Object.is(actual, expected) ||
      Math.abs(actual - expected) <= RELATIVE * Math.max(Math.abs(actual), Math.abs(expected));
    if (!same) found.push(`${path}: ${actual} vs ${expected}`);
  } else if (expected !== null && typeof expected === "object") {
    if (actual === null || typeof actual !== "object" || Array.isArray(actual) !== Array.isArray(expected)) {
      found.push(`${path}: shape differs`);
      return found;
    }
    const keys = Object.keys(expected);
    if (JSON.stringify(Object.keys(actual)) !== JSON.stringify(keys)) found.push(`${path}: keys differ`);
    for (const key of keys)
      differences(
        (actual as Record<string, unknown>)[key],
        (expected as Record<string, unknown>)[key],
        `${path}.${key}`,
        found,
      );
  } else if (!Object.is(actual, expected)) found.push(`${path}: ${String(actual)} vs ${String(expected)}`);
  return found;
}

function outcome(run: () => unknown): { value?: unknown; error?: unknown } {
  try {
    return { value: run() };
  } catch (error) {
    return { error: { name: (error as Error).name, message: (error as Error).message, ...(error as object) } };
  }
}

const golden = (): Scenario =>
  JSON.parse(
    readFileSync(new URL("../../../../test/golden/chat-70b-three-paths.scenario.json", import.meta.url), "utf8"),
  ) as Scenario;

describe("evaluate: the allocation-free core against the reference", () => {
  test("generated scenarios (seeded): every figure within 1e-12 relative, same keys, same errors", () => {
    let evaluated = 0;
    fc.assert(
      fc.property(scenarioArbitrary, (scenario) => {
        const expected = outcome(() => referenceEvaluate(scenario));
        const actual = outcome(() => evaluate(scenario));
        if (expected.error !== undefined) {
          expect(actual.error).toEqual(expected.error);
          return;
        }
        evaluated++;
        expect(differences(actual.value, expected.value)).toEqual([]);
      }),
      { numRuns: NUM_RUNS, seed: SEED },
    );
    // The generator must mostly produce scenarios the model accepts, or the comparison says little.
    expect(evaluated).toBeGreaterThan(NUM_RUNS / 2);
  });

  test("a long scenario, then a short one, then the long one again: the reused workspace leaks nothing", () => {
    const scenarios = [benchScenario(10), benchScenario(1), golden(), benchScenario(10), optimiserBenchScenario()];
    for (const scenario of scenarios) expect(differences(evaluate(scenario), referenceEvaluate(scenario))).toEqual([]);
  });

  test("figures beyond float64 are rejected with the reference's error", () => {
    const scenario = benchScenario(5);
    scenario.workload.requestsPerDay = 1e306;
    const expected = outcome(() => referenceEvaluate(scenario));
    expect(expected.error).toBeDefined();
    expect(outcome(() => evaluate(scenario))).toEqual(expected);
  });
});

/** Overrides that push drawn values outside the rules, so some samples take the fallback path. */
const OUTSIDE_RULES: DriverOverride[] = [
  { id: "pue", low: 0.8, high: 1.6 },
  { id: "growth", low: -1.5, high: 1 },
  { id: "resale", low: 0.1, high: 1.3 },
];

describe("Monte Carlo and tornado on the fast path: identical to the reference for a given seed", () => {
  const cases: [string, () => Scenario][] = [
    ["golden chat-70b", golden],
    ["bench, 5 years, 10 options", () => benchScenario(5)],
    ["optimiser bench scenario", optimiserBenchScenario],
  ];

  test.each(cases)("Monte Carlo, %s, seeds 1, 2 and 2**40 + 3", (_name, make) => {
    for (const seed of [1, 2, 2 ** 40 + 3]) {
      const input = { scenario: make(), samples: 400, seed };
      expect(monteCarloSync(input)).toEqual(referenceMonteCarlo(input));
    }
  });

  test.each(cases)("Monte Carlo, %s, with every option and drivers outside the rules", (_name, make) => {
    const scenario = make();
    const input = {
      scenario,
      samples: 400,
      seed: 5,
      drivers: OUTSIDE_RULES,
      optionIds: scenario.options.map((o) => o.id),
    };
    const expected = referenceMonteCarlo(input);
    expect(expected.failedSamples).toBeGreaterThan(0);
    expect(monteCarloSync(input)).toEqual(expected);
  });

  test("Monte Carlo where some samples overflow float64: the same samples rejected", () => {
    const scenario = benchScenario(5);
    scenario.workload.requestsPerDay = 1e300;
    const input = { scenario, samples: 300, seed: 11, drivers: [{ id: "volume" as const, low: 0.5, high: 1e6 }] };
    const expected = referenceMonteCarlo(input);
    expect(expected.failedSamples).toBeGreaterThan(0);
    expect(expected.failedSamples).toBeLessThan(300);
    expect(monteCarloSync(input)).toEqual(expected);
  });

  test.each(cases)("tornado and break-evens, %s", (_name, make) => {
    const scenario = make();
    expect(sensitivity({ scenario })).toEqual(referenceSensitivity({ scenario }));
  });

  test("tornado with a driver outside the rules: the same error as the reference", () => {
    const scenario = golden();
    const input = { scenario, drivers: [{ id: "pue" as const, low: 0.5, high: 1.6 }] };
    const expected = outcome(() => referenceSensitivity(input));
    expect(expected.error).toBeDefined();
    expect(outcome(() => sensitivity(input))).toEqual(expected);
  });

  test("generated scenarios (seeded): Monte Carlo and tornado equal the reference", () => {
    fc.assert(
      fc.property(scenarioArbitrary, fc.integer({ min: 0, max: 2 ** 31 }), (scenario, seed) => {
        const input = { scenario, samples: 40, seed };
        const expectedMc = outcome(() => referenceMonteCarlo(input));
        expect(outcome(() => monteCarloSync(input))).toEqual(expectedMc);
        const expectedTornado = outcome(() => referenceSensitivity({ scenario }));
        expect(outcome(() => sensitivity({ scenario }))).toEqual(expectedTornado);
      }),
      { numRuns: Math.max(10, Math.round(NUM_RUNS / 10)), seed: SEED },
    );
  });
});
