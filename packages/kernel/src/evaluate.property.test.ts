/**
 * Property tests of `evaluate` (fast-check): invariants that must hold for every scenario,
 * not just the golden ones. numRuns is kept moderate so the suite stays fast.
 */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { evaluate, type BuildOptionInput, type BuildOptionResult, type OptionInput, type Scenario } from "./index.ts";

const NUM_RUNS = Number(process.env["PROPERTY_RUNS"] ?? 60);

const real = (min: number, max: number) => fc.double({ min, max, noNaN: true, noDefaultInfinity: true });

/** Staff cost comes as a pair (servers per engineer and the salary) or not at all. */
const staff = fc.option(fc.record({ serversPerFte: real(10, 100), fteUsdPerYear: real(50_000, 300_000) }), {
  nil: undefined,
});

const buildOption = (id: string): fc.Arbitrary<OptionInput> =>
  fc
    .tuple(
      fc.record(
        {
          kind: fc.constant("build" as const),
          id: fc.constant(id),
          priceUsd: real(10_000, 1_000_000),
          gpusPerServer: fc.constantFrom(1, 4, 8),
          kw: real(0.5, 20),
          adders: real(0, 0.5),
          lifeYears: fc.constantFrom(1, 2, 2.5, 3, 4, 5),
          spareFraction: real(0, 0.2),
          maintenancePerYear: real(0, 0.15),
          softwareUsdPerGpuYear: real(0, 6000),
          otherUsdPerServerYear: real(0, 5000),
          resaleDeclinePerYear: real(0, 0.6),
          priceChangePerYear: real(-0.3, 0.1),
          idlePowerFraction: real(0, 0.5),
          outputTokensPerSecondPerGpu: real(50, 10_000),
          inputTokensPerSecondPerGpu: real(500, 100_000),
        },
        {
          requiredKeys: [
            "kind",
            "id",
            "priceUsd",
            "gpusPerServer",
            "kw",
            "lifeYears",
            "resaleDeclinePerYear",
            "outputTokensPerSecondPerGpu",
          ],
        },
      ),
      staff,
    )
    .map(([option, staffing]) => ({ ...option, ...staffing }));

const leaseOption = (id: string): fc.Arbitrary<OptionInput> =>
  fc.record(
    {
      kind: fc.constant("lease" as const),
      id: fc.constant(id),
      priceUsdPerInstanceHour: real(0.5, 120),
      gpusPerInstance: fc.constantFrom(1, 2, 8),
      termYears: fc.constantFrom(0, 0.5, 1, 3),
      priceChangePerYear: real(-0.3, 0.1),
      softwareUsdPerGpuYear: real(0, 6000),
      outputTokensPerSecondPerGpu: real(50, 10_000),
      inputTokensPerSecondPerGpu: real(500, 100_000),
    },
    { requiredKeys: ["kind", "id", "priceUsdPerInstanceHour", "gpusPerInstance", "outputTokensPerSecondPerGpu"] },
  );

const apiOption = (id: string): fc.Arbitrary<OptionInput> =>
  fc.record(
    {
      kind: fc.constant("api" as const),
      id: fc.constant(id),
      usdPerMillionInputTokens: real(0.01, 20),
      usdPerMillionOutputTokens: real(0.01, 60),
      priceChangePerYear: real(-0.5, 0.1),
    },
    { requiredKeys: ["kind", "id", "usdPerMillionInputTokens", "usdPerMillionOutputTokens"] },
  );

const optionsArbitrary = fc
  .array(fc.constantFrom("build", "lease", "api"), { minLength: 1, maxLength: 4 })
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

const scenarioArbitrary: fc.Arbitrary<Scenario> = fc.record({
  name: fc.constant("property"),
  startMonth: fc.constantFrom("2026-01", "2027-07", "2030-12"),
  horizonYears: fc.integer({ min: 6, max: 84 }).map((months) => months / 12),
  finance: fc.record({ discountRatePerYear: real(0, 0.3) }),
  workload: fc.record({
    inputTokensPerRequest: real(0, 8000),
    outputTokensPerRequest: real(1, 4000),
    requestsPerDay: real(1_000, 50_000_000),
    growthPerYear: real(-0.5, 1.5),
    peakToAverage: real(1, 3),
    targetUtilization: real(0.3, 1),
  }),
  site: fc.record({
    electricityUsdPerKwh: real(0.02, 0.4),
    electricityEscalationPerYear: real(-0.05, 0.1),
    pue: real(1, 2),
    colocationUsdPerKwMonth: real(0, 250),
    gridCarbonGPerKwh: real(0, 800),
  }),
  options: optionsArbitrary,
});

const relativeClose = (actual: number, expected: number, tolerance = 1e-9): boolean =>
  Math.abs(actual - expected) <= tolerance * Math.max(1, Math.abs(expected));

/** Multiplies every price of a scenario (money per unit) by `factor`; quantities stay. */
function scalePrices(scenario: Scenario, factor: number): Scenario {
  const copy = structuredClone(scenario);
  const site = copy.site!;
  site.electricityUsdPerKwh = site.electricityUsdPerKwh! * factor;
  site.colocationUsdPerKwMonth = (site.colocationUsdPerKwMonth ?? 0) * factor;
  for (const option of copy.options) {
    if (option.kind === "build") {
      option.priceUsd = option.priceUsd! * factor;
      if (option.softwareUsdPerGpuYear !== undefined) option.softwareUsdPerGpuYear *= factor;
      if (option.fteUsdPerYear !== undefined) option.fteUsdPerYear *= factor;
      if (option.otherUsdPerServerYear !== undefined) option.otherUsdPerServerYear *= factor;
    } else if (option.kind === "lease") {
      option.priceUsdPerInstanceHour = option.priceUsdPerInstanceHour! * factor;
      if (option.softwareUsdPerGpuYear !== undefined) option.softwareUsdPerGpuYear *= factor;
    } else {
      option.usdPerMillionInputTokens = option.usdPerMillionInputTokens! * factor;
      option.usdPerMillionOutputTokens = option.usdPerMillionOutputTokens! * factor;
    }
  }
  return copy;
}

describe("evaluate: properties", () => {
  test("at a discount rate of 0, NPV of cost equals TCO", () => {
    fc.assert(
      fc.property(scenarioArbitrary, (scenario) => {
        scenario.finance.discountRatePerYear = 0;
        for (const option of evaluate(scenario).options)
          expect(relativeClose(option.npvCostUsd, option.tcoUsd)).toBe(true);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  test("every month, capex − resale + the cost lines equal the cash line", () => {
    fc.assert(
      fc.property(scenarioArbitrary, (scenario) => {
        for (const option of evaluate(scenario).options) {
          for (const month of option.monthly) {
            let lines = month.capexUsd - month.resaleUsd;
            if (option.kind === "build") {
              const m = month as BuildOptionResult["monthly"][number];
              lines += m.energyUsd + m.facilityUsd + m.maintenanceUsd + m.softwareUsd + m.staffUsd + m.otherUsd;
            } else if (option.kind === "lease") {
              const m = option.monthly[month.month]!;
              lines += m.leaseUsd + m.softwareUsd;
            } else {
              lines += option.monthly[month.month]!.apiUsd;
            }
            expect(relativeClose(lines, month.cashUsd, 1e-12)).toBe(true);
          }
        }
      }),
      { numRuns: NUM_RUNS },
    );
  });

  test("doubling every price doubles cost and levelised cost, and changes no quantity", () => {
    fc.assert(
      fc.property(scenarioArbitrary, (scenario) => {
        const once = evaluate(scenario);
        const twice = evaluate(scalePrices(scenario, 2));
        once.options.forEach((option, index) => {
          const doubled = twice.options[index]!;
          expect(relativeClose(doubled.npvCostUsd, 2 * option.npvCostUsd)).toBe(true);
          expect(relativeClose(doubled.tcoUsd, 2 * option.tcoUsd)).toBe(true);
          expect(relativeClose(doubled.lcotUsdPerMillionTokens, 2 * option.lcotUsdPerMillionTokens)).toBe(true);
          expect(relativeClose(doubled.lcotUsdPerMillionOutputTokens, 2 * option.lcotUsdPerMillionOutputTokens)).toBe(
            true,
          );
          expect(doubled.monthly.map((m) => ("gpus" in m ? m.gpus : 0))).toEqual(
            option.monthly.map((m) => ("gpus" in m ? m.gpus : 0)),
          );
        });
      }),
      { numRuns: NUM_RUNS },
    );
  });

  test("a higher electricity price or PUE never lowers a build option's cost", () => {
    fc.assert(
      fc.property(scenarioArbitrary, real(1, 3), real(0, 0.5), (scenario, priceFactor, pueIncrease) => {
        const base = evaluate(scenario);
        const dearer = structuredClone(scenario);
        dearer.site!.electricityUsdPerKwh = dearer.site!.electricityUsdPerKwh! * priceFactor;
        dearer.site!.pue = (dearer.site!.pue ?? 1) + pueIncrease;
        const after = evaluate(dearer);
        base.options.forEach((option, index) => {
          if (option.kind !== "build") return;
          const other = after.options[index]!;
          expect(other.npvCostUsd).toBeGreaterThanOrEqual(option.npvCostUsd * (1 - 1e-12));
          expect(other.tcoUsd).toBeGreaterThanOrEqual(option.tcoUsd * (1 - 1e-12));
        });
      }),
      { numRuns: NUM_RUNS },
    );
  });

  // Holds when hardware prices are flat or falling. When they rise, buying earlier can be
  // cheaper: see "more demand can lower a build option's cost when hardware prices rise" in
  // evaluate.test.ts, a property of the contract's buy-as-needed policy, not a defect.
  test("more demand never lowers total cost (hardware prices flat or falling)", () => {
    fc.assert(
      fc.property(scenarioArbitrary, real(1, 4), (scenario, demandFactor) => {
        for (const option of scenario.options) {
          if (option.kind === "build") option.priceChangePerYear = Math.min(0, option.priceChangePerYear ?? 0);
        }
        const base = evaluate(scenario);
        const more = structuredClone(scenario);
        more.workload.requestsPerDay *= demandFactor;
        const after = evaluate(more);
        base.options.forEach((option, index) => {
          const other = after.options[index]!;
          expect(other.npvCostUsd).toBeGreaterThanOrEqual(option.npvCostUsd * (1 - 1e-12));
          expect(other.tcoUsd).toBeGreaterThanOrEqual(option.tcoUsd * (1 - 1e-12));
        });
      }),
      { numRuns: NUM_RUNS },
    );
  });

  test("nothing is bought while demand falls (only end-of-life replacements)", () => {
    fc.assert(
      fc.property(scenarioArbitrary, real(-0.6, -0.01), (scenario, growthPerYear) => {
        scenario.workload.growthPerYear = growthPerYear;
        for (const option of evaluate(scenario).options) {
          if (option.kind !== "build") continue;
          for (const month of option.monthly.slice(1)) {
            expect(month.serversBought).toBeLessThanOrEqual(month.serversRetired);
            if (month.serversRetired === 0) expect(month.capexUsd).toBe(0);
          }
        }
      }),
      { numRuns: NUM_RUNS },
    );
  });

  test("input and output costs add up to the whole; the $/GPU-hour parts add up to the whole", () => {
    fc.assert(
      fc.property(scenarioArbitrary, (scenario) => {
        for (const option of evaluate(scenario).options) {
          if (option.splitLcotUsdPerMillionInputTokens !== null && option.splitLcotUsdPerMillionOutputTokens !== null) {
            const split =
              (option.discountedInputTokens * option.splitLcotUsdPerMillionInputTokens) / 1e6 +
              (option.discountedOutputTokens * option.splitLcotUsdPerMillionOutputTokens) / 1e6;
            expect(relativeClose(split, option.npvCostUsd)).toBe(true);
          }
          if (option.kind === "build") {
            const parts = Object.values(option.gpuHourCostSplitUsd).reduce((a, b) => a + b, 0);
            expect(relativeClose(parts, option.effectiveUsdPerGpuHour)).toBe(true);
          }
        }
      }),
      { numRuns: NUM_RUNS },
    );
  });

  test("build capacity always covers the peak: servers × G × T × targetUtilization >= peak output rate", () => {
    fc.assert(
      fc.property(scenarioArbitrary, (scenario) => {
        const result = evaluate(scenario);
        const w = scenario.workload;
        result.options.forEach((option, index) => {
          if (option.kind !== "build") return;
          const input = scenario.options[index] as BuildOptionInput;
          option.monthly.forEach((month) => {
            const peak =
              ((w.requestsPerDay * (1 + (w.growthPerYear ?? 0)) ** (month.month / 12) * w.outputTokensPerRequest) /
                86_400) *
              (w.peakToAverage ?? 1);
            const capacity =
              month.servers * input.gpusPerServer! * input.outputTokensPerSecondPerGpu! * (w.targetUtilization ?? 1);
            expect(capacity).toBeGreaterThanOrEqual(peak * (1 - 1e-9));
            expect(Number.isFinite(month.utilization) && month.utilization > 0 && month.utilization <= 1).toBe(true);
          });
        });
      }),
      { numRuns: NUM_RUNS },
    );
  });
});
