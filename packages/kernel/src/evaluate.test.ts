/**
 * Unit tests of `evaluate` beyond the golden examples: the extensions (input/output split,
 * $/GPU-hour split, yearly breakdown), the fleet policy's edges, finance helpers, and errors.
 */
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import {
  ceilWithTolerance,
  evaluate,
  irrPerYear,
  monthLabel,
  paybackMonths,
  ScenarioError,
  type BuildOptionResult,
  type LeaseOptionResult,
  type OptionResult,
  type Scenario,
} from "./index.ts";

const golden = (name: string): Scenario =>
  JSON.parse(readFileSync(new URL(`../../../test/golden/${name}.scenario.json`, import.meta.url), "utf8")) as Scenario;

const close = (actual: number, expected: number, relative = 1e-9): void => {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(relative * Math.max(1, Math.abs(expected)));
};

/** A small scenario with one option of each kind, to mutate per test. */
function smallScenario(): Scenario {
  return {
    name: "small",
    startMonth: "2027-11",
    horizonYears: 3,
    finance: { discountRatePerYear: 0.08 },
    workload: {
      inputTokensPerRequest: 2000,
      outputTokensPerRequest: 500,
      requestsPerDay: 1_000_000,
      growthPerYear: 0.3,
    },
    site: { electricityUsdPerKwh: 0.1, pue: 1.3, colocationUsdPerKwMonth: 150, gridCarbonGPerKwh: 400 },
    options: [
      {
        kind: "lease",
        id: "lease",
        priceUsdPerInstanceHour: 30,
        gpusPerInstance: 8,
        outputTokensPerSecondPerGpu: 1200,
        inputTokensPerSecondPerGpu: 12000,
      },
      {
        kind: "build",
        id: "build",
        priceUsd: 300_000,
        gpusPerServer: 8,
        kw: 10,
        lifeYears: 4,
        resaleDeclinePerYear: 0.3,
        maintenancePerYear: 0.08,
        softwareUsdPerGpuYear: 4500,
        serversPerFte: 40,
        fteUsdPerYear: 200_000,
        otherUsdPerServerYear: 2000,
        outputTokensPerSecondPerGpu: 1200,
        inputTokensPerSecondPerGpu: 12000,
      },
      {
        kind: "api",
        id: "api",
        usdPerMillionInputTokens: 0.5,
        usdPerMillionOutputTokens: 1.5,
        priceChangePerYear: -0.2,
      },
    ],
  };
}

const errorOf = (run: () => unknown): ScenarioError => {
  try {
    run();
  } catch (error) {
    if (error instanceof ScenarioError) return error;
    throw error;
  }
  throw new Error("expected a ScenarioError");
};

describe("input/output token split", () => {
  test("input cost + output cost add up to the whole NPV, for every kind", () => {
    const result = evaluate(smallScenario());
    for (const option of result.options) {
      expect(option.splitLcotUsdPerMillionInputTokens).not.toBeNull();
      const inputCost = (option.discountedInputTokens * (option.splitLcotUsdPerMillionInputTokens as number)) / 1e6;
      const outputCost = (option.discountedOutputTokens * (option.splitLcotUsdPerMillionOutputTokens as number)) / 1e6;
      close(inputCost + outputCost, option.npvCostUsd);
    }
  });

  test("build and lease share cost by GPU time per phase (landscape §6.1)", () => {
    const lease = evaluate(smallScenario()).options[0] as LeaseOptionResult;
    // 2000 input tokens at 12000/s = 1/6 s; 500 output tokens at 1200/s = 5/12 s; input share = (1/6) / (7/12) = 2/7.
    close(lease.inputCostShare as number, 2 / 7);
    close(
      lease.splitLcotUsdPerMillionInputTokens as number,
      ((2 / 7) * lease.npvCostUsd * 1e6) / lease.discountedInputTokens,
    );
    expect(lease.costSplitBasis).toMatch(/GPU time per request/);
  });

  test("API split follows the two prices", () => {
    const api = evaluate(smallScenario()).options[2] as OptionResult;
    // Both prices fall at the same rate, so each levelises to its month-0 price times the same factor.
    close((api.splitLcotUsdPerMillionOutputTokens as number) / (api.splitLcotUsdPerMillionInputTokens as number), 3);
    expect(api.costSplitBasis).toMatch(/API prices/);
  });

  test("without a prefill rate the split is null and says why", () => {
    const result = evaluate(golden("chat-70b-three-paths"));
    const lease = result.options[0] as LeaseOptionResult;
    expect(lease.splitLcotUsdPerMillionInputTokens).toBeNull();
    expect(lease.splitLcotUsdPerMillionOutputTokens).toBeNull();
    expect(lease.inputCostShare).toBeNull();
    expect(lease.costSplitBasis).toMatch(/inputTokensPerSecondPerGpu/);
    // The contract's whole-cost-per-output-token figure is still there.
    expect(lease.lcotUsdPerMillionOutputTokens).toBeGreaterThan(0);
  });
});

describe("effective $/GPU-hour split (build)", () => {
  test.each(["chat-70b-three-paths", "shrinking-demand-refresh"])(
    "%s: the parts add up to effectiveUsdPerGpuHour",
    (name) => {
      for (const option of evaluate(golden(name)).options) {
        if (option.kind !== "build") continue;
        const parts = Object.values(option.gpuHourCostSplitUsd);
        expect(parts).toHaveLength(7);
        close(
          parts.reduce((a, b) => a + b, 0),
          option.effectiveUsdPerGpuHour,
          1e-12,
        );
        expect(option.gpuHourCostSplitUsd.energyUsd).toBeGreaterThan(0);
        expect(option.gpuHourCostSplitUsd.capitalUsd).toBeGreaterThan(0);
      }
    },
  );
});

describe("yearly breakdown", () => {
  test.each(["chat-70b-three-paths", "shrinking-demand-refresh"])("%s: years add up to the option's totals", (name) => {
    const scenario = golden(name);
    for (const option of evaluate(scenario).options) {
      expect(option.yearly).toHaveLength(scenario.horizonYears);
      const total = (key: "totalUsd" | "npvCostUsd" | "tokens" | "residualUsd") =>
        option.yearly.reduce((sum, year) => sum + year[key], 0);
      close(total("totalUsd") - total("residualUsd"), option.tcoUsd);
      close(total("npvCostUsd"), option.npvCostUsd);
      close(total("residualUsd"), option.residualUsd);
      close(
        total("tokens"),
        option.monthly.reduce((sum, month) => sum + month.tokens, 0),
      );
      for (const year of option.yearly) {
        const lines =
          year.capitalUsd +
          year.energyUsd +
          year.facilityUsd +
          year.maintenanceUsd +
          year.softwareUsd +
          year.staffUsd +
          year.otherUsd +
          year.leaseUsd +
          year.apiUsd;
        close(lines, year.totalUsd);
        expect(year.lcotUsdPerMillionTokens).toBeGreaterThan(0);
      }
    }
  });

  test("plan years carry calendar labels and a partial final year", () => {
    const scenario = smallScenario();
    scenario.horizonYears = 2.5;
    const build = evaluate(scenario).options[1] as BuildOptionResult;
    expect(build.monthly).toHaveLength(30);
    expect(build.yearly.map((y) => [y.startMonth, y.months])).toEqual([
      ["2027-11", 12],
      ["2028-11", 12],
      ["2029-11", 6],
    ]);
    expect(build.yearly[2]?.residualUsd).toBe(build.residualUsd);
    expect(build.yearly[0]?.residualUsd).toBe(0);
  });
});

describe("warrantyYears (extension: maintenance after the included support)", () => {
  test("absent and 0 give exactly the contract's formula", () => {
    const base = evaluate(smallScenario()).options[1] as BuildOptionResult;
    const scenario = smallScenario();
    (scenario.options[1] as { warrantyYears?: number }).warrantyYears = 0;
    const zero = evaluate(scenario).options[1] as BuildOptionResult;
    expect(zero.npvCostUsd).toBe(base.npvCostUsd);
    expect(zero.monthly.map((m) => m.maintenanceUsd)).toEqual(base.monthly.map((m) => m.maintenanceUsd));
  });

  test("each cohort pays maintenance only from the month it is 12 × warrantyYears months old", () => {
    const scenario = smallScenario();
    (scenario.options[1] as { warrantyYears?: number }).warrantyYears = 1;
    const build = evaluate(scenario).options[1] as BuildOptionResult;
    // Recompute by hand from the fleet: cohorts by purchase month at 300k each, 8 %/yr.
    const bought = build.monthly.map((m) => m.serversBought);
    build.monthly.forEach((month, m) => {
      let value = 0;
      for (let p = 0; p <= m - 12; p++) value += (bought[p] as number) * 300_000;
      close(month.maintenanceUsd, (0.08 / 12) * value);
    });
    expect(build.monthly[11]!.maintenanceUsd).toBe(0);
    expect(build.monthly[12]!.maintenanceUsd).toBeGreaterThan(0);
    const base = evaluate(smallScenario()).options[1] as BuildOptionResult;
    expect(build.npvCostUsd).toBeLessThan(base.npvCostUsd);
  });

  test("a warranty that is not a whole number of months is an error naming the field", () => {
    const scenario = smallScenario();
    (scenario.options[1] as { warrantyYears?: number }).warrantyYears = 0.01;
    expect(errorOf(() => evaluate(scenario)).issues[0]?.path).toBe("options.1.warrantyYears");
  });
});

describe("build fleet policy", () => {
  test("a 2.5-year life resells cohort 0 in month 30 and replaces what is still needed", () => {
    const result = evaluate(golden("shrinking-demand-refresh"));
    const build = result.options[0] as BuildOptionResult;
    const first = build.monthly[0]!;
    const month30 = build.monthly[30]!;
    expect(month30.serversRetired).toBe(first.serversBought);
    close(month30.resaleUsd, first.serversBought * 515_000 * 0.65 ** 2.5);
    expect(month30.serversBought).toBe(month30.servers);
    close(month30.capexUsd, month30.serversBought * 515_000 * 0.8 ** 2.5 * 1.2);
    for (let m = 1; m < 30; m++) expect(build.monthly[m]!.capexUsd).toBe(0);
  });

  test("the power cap flags months whose facility power exceeds it; no cap, no flag", () => {
    const scenario = smallScenario();
    const uncapped = evaluate(scenario).options[1] as BuildOptionResult;
    expect(uncapped.powerCapExceededMonths).toEqual([]);
    const peakServers = Math.max(...uncapped.monthly.map((m) => m.servers));
    scenario.site = { ...scenario.site, powerCapKw: (peakServers - 1) * 10 * 1.3 };
    const capped = evaluate(scenario).options[1] as BuildOptionResult;
    const expected = capped.monthly.filter((m) => m.servers * 10 * 1.3 > (peakServers - 1) * 13).map((m) => m.month);
    expect(capped.powerCapExceededMonths).toEqual(expected);
    expect(expected.length).toBeGreaterThan(0);
  });

  test("more demand can lower a build option's cost when hardware prices rise (documented limit)", () => {
    // Demand +12 %: the fleet of 2 is bought at once in month 0 instead of 1 + 1 a few months
    // later at a 10 %/yr higher price. With no operating cost and no resale decline, buying
    // earlier is cheaper. The property test of monotone cost therefore fixes prices flat or falling.
    const scenario = (requestsPerDay: number): Scenario => ({
      startMonth: "2027-01",
      horizonYears: 1,
      finance: { discountRatePerYear: 0 },
      workload: { inputTokensPerRequest: 0, outputTokensPerRequest: 1000, requestsPerDay, growthPerYear: 0.5 },
      site: { electricityUsdPerKwh: 0 },
      options: [
        {
          kind: "build",
          id: "b",
          priceUsd: 100_000,
          gpusPerServer: 1,
          kw: 1,
          lifeYears: 5,
          resaleDeclinePerYear: 0,
          adders: 0.5,
          priceChangePerYear: 0.1,
          outputTokensPerSecondPerGpu: 1000,
        },
      ],
    });
    const less = evaluate(scenario(77_760)).options[0]!;
    const more = evaluate(scenario(87_264)).options[0]!;
    expect(more.tcoUsd).toBeLessThan(less.tcoUsd);
    close(more.tcoUsd, 100_000);
  });

  test("defaults apply: no growth, peak = average, full utilisation, PUE 1", () => {
    const scenario: Scenario = {
      startMonth: "2027-01",
      horizonYears: 1,
      finance: { discountRatePerYear: 0 },
      workload: { inputTokensPerRequest: 0, outputTokensPerRequest: 1000, requestsPerDay: 86_400 },
      site: { electricityUsdPerKwh: 0.1 },
      options: [
        {
          kind: "build",
          id: "b",
          priceUsd: 1200,
          gpusPerServer: 1,
          kw: 1,
          lifeYears: 1,
          resaleDeclinePerYear: 1,
          outputTokensPerSecondPerGpu: 500,
        },
      ],
    };
    const build = evaluate(scenario).options[0] as BuildOptionResult;
    // 86 400 requests/day × 1000 tokens / 86 400 s = 1000 tokens/s → 2 GPUs at 500 tokens/s.
    expect(build.monthly.every((m) => m.servers === 2 && m.utilization === 1)).toBe(true);
    close(build.monthly[0]!.kwh, 2 * 730);
    close(build.monthly[0]!.energyUsd, 2 * 730 * 0.1);
    // No resale value (decline 1), life = horizon: residual (1 − 1)^1 = 0; TCO = capex + energy.
    close(build.tcoUsd, 2400 + 12 * 146);
    close(build.npvCostUsd, build.tcoUsd);
    expect(build.splitLcotUsdPerMillionInputTokens).toBeNull();
  });
});

describe("lease pricing", () => {
  test("a term fixes the price per block of 12 × termYears months; on demand it moves monthly", () => {
    const scenario = smallScenario();
    scenario.options = [
      {
        kind: "lease",
        id: "od",
        priceUsdPerInstanceHour: 40,
        gpusPerInstance: 8,
        priceChangePerYear: -0.2,
        outputTokensPerSecondPerGpu: 1000,
      },
      {
        kind: "lease",
        id: "1y",
        priceUsdPerInstanceHour: 40,
        gpusPerInstance: 8,
        termYears: 1,
        priceChangePerYear: -0.2,
        outputTokensPerSecondPerGpu: 1000,
      },
    ];
    const [onDemand, term] = evaluate(scenario).options as [LeaseOptionResult, LeaseOptionResult];
    close(onDemand.monthly[6]!.priceUsdPerInstanceHour, 40 * 0.8 ** 0.5);
    for (let m = 0; m < 12; m++) expect(term.monthly[m]!.priceUsdPerInstanceHour).toBe(40);
    close(term.monthly[12]!.priceUsdPerInstanceHour, 32);
    close(term.monthly[35]!.priceUsdPerInstanceHour, 40 * 0.8 ** 2);
  });
});

describe("finance helpers", () => {
  test("IRR by bisection: −100 then +110 a month later is 10 %/month", () => {
    close(irrPerYear(new Float64Array([-100, 110])) as number, 1.1 ** 12 - 1, 1e-12);
  });

  test("IRR is null without a sign change, or when the bracket ends share a sign", () => {
    expect(irrPerYear(new Float64Array([100, 50, 0]))).toBeNull();
    expect(irrPerYear(new Float64Array([-1, -2]))).toBeNull();
    // Root below −99 %/month: −1 then +0.001 a month later has irr = −99.9 %/month, outside the bracket.
    expect(irrPerYear(new Float64Array([-1, 0.001]))).toBeNull();
  });

  test("IRR of a 50-year series at the bracket ends neither overflows nor returns NaN", () => {
    const flows = new Float64Array(600).fill(10);
    flows[0] = -1000;
    const irr = irrPerYear(flows) as number;
    expect(Number.isFinite(irr)).toBe(true);
    const monthly = (1 + irr) ** (1 / 12) - 1;
    let npv = 0;
    flows.forEach((x, m) => (npv += x / (1 + monthly) ** m));
    expect(Math.abs(npv)).toBeLessThan(1e-6);
  });

  test("payback: first k with cumulative savings through month k − 1 >= 0", () => {
    const baseline = new Float64Array([10, 10, 10, 10]);
    expect(paybackMonths(baseline, new Float64Array([25, 0, 0, 0]))).toBe(3);
    expect(paybackMonths(baseline, new Float64Array([5, 10, 10, 10]))).toBe(1);
    expect(paybackMonths(baseline, new Float64Array([50, 0, 0, 0]))).toBeNull();
  });

  test("ceil with a relative tolerance of 1e-9", () => {
    expect(ceilWithTolerance(3.0000000001)).toBe(3);
    expect(ceilWithTolerance(2.9999999999)).toBe(3);
    expect(ceilWithTolerance(3.01)).toBe(4);
    expect(ceilWithTolerance(0)).toBe(0);
  });

  test("month labels roll over years", () => {
    expect(monthLabel("2027-11", 0)).toBe("2027-11");
    expect(monthLabel("2027-11", 3)).toBe("2028-02");
    expect(monthLabel("2027-01", 59)).toBe("2031-12");
  });
});

describe("comparisons", () => {
  test("baseline defaults to the first lease option; api options are not compared", () => {
    const result = evaluate(smallScenario());
    expect(result.comparisons).toHaveLength(1);
    expect(result.comparisons[0]).toMatchObject({ baselineOptionId: "lease", optionId: "build" });
  });

  test("no lease option and no baseline: no comparisons", () => {
    const scenario = smallScenario();
    scenario.options = scenario.options.filter((o) => o.kind !== "lease");
    expect(evaluate(scenario).comparisons).toEqual([]);
  });
});

describe("errors, never NaN", () => {
  test("missing and malformed numbers are named, all at once", () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- reshaped into invalid input on purpose
    const scenario = smallScenario() as any;
    delete scenario.options[1].priceUsd;
    scenario.workload.peakToAverage = "abc";
    scenario.options[0].gpusPerInstance = 0;
    delete scenario.finance.discountRatePerYear;
    const error = errorOf(() => evaluate(scenario as Scenario));
    expect(error.kind).toBe("invalid");
    expect(error.issues).toEqual(
      expect.arrayContaining([
        { path: "finance.discountRatePerYear", message: "missing: expected a number between 0 and 1" },
        { path: "workload.peakToAverage", message: 'expected a number >= 1, got "abc"' },
        { path: "options.0.gpusPerInstance", message: "expected a whole number >= 1, got 0" },
        expect.objectContaining({
          path: "options.1.priceUsd",
          message: expect.stringMatching(/^missing: expected a number >= 0/),
        }),
      ]),
    );
    expect(error.issues).toHaveLength(4);
  });

  test("a build option needs the electricity price", () => {
    const scenario = smallScenario();
    scenario.site = {};
    const error = errorOf(() => evaluate(scenario));
    expect(error.issues.map((i) => i.path)).toEqual(["site.electricityUsdPerKwh"]);
    expect(error.issues[0]?.message).toMatch(/build option "build"/);
  });

  test("zero throughput is infeasible, said in words", () => {
    const scenario = smallScenario();
    (scenario.options[0] as { outputTokensPerSecondPerGpu: number }).outputTokensPerSecondPerGpu = 0;
    const error = errorOf(() => evaluate(scenario));
    expect(error.kind).toBe("infeasible");
    expect(error.issues[0]?.path).toBe("options.0.outputTokensPerSecondPerGpu");
    expect(error.issues[0]?.message).toMatch(/no number of GPUs/);
  });

  test("duplicate ids, unknown baseline, bad start month, fractional months", () => {
    const scenario = smallScenario();
    scenario.options[2]!.id = "lease";
    scenario.comparison = { baselineOptionId: "nope" };
    scenario.startMonth = "2027-1";
    (scenario.options[1] as { lifeYears: number }).lifeYears = 2.51;
    const paths = errorOf(() => evaluate(scenario)).issues.map((i) => i.path);
    expect(paths).toEqual(["startMonth", "options.1.lifeYears", "options.2.id", "comparison.baselineOptionId"]);
  });

  test("figures beyond float64 are infeasible, not Infinity", () => {
    const scenario = smallScenario();
    scenario.workload.requestsPerDay = 1e306;
    expect(errorOf(() => evaluate(scenario)).kind).toBe("infeasible");
  });

  test("not an object at all", () => {
    expect(errorOf(() => evaluate(null as unknown as Scenario)).issues).toEqual([
      { path: "", message: "expected a scenario object, got null" },
    ]);
  });

  test("staff: serversPerFte needs a salary; a salary alone is ignored with a warning", () => {
    const scenario = smallScenario();
    delete (scenario.options[1] as { fteUsdPerYear?: number }).fteUsdPerYear;
    expect(errorOf(() => evaluate(scenario)).issues.map((i) => i.path)).toEqual(["options.1.fteUsdPerYear"]);
    const alone = smallScenario();
    delete (alone.options[1] as { serversPerFte?: number }).serversPerFte;
    const result = evaluate(alone);
    expect(result.warnings).toEqual([
      { path: "options.1.fteUsdPerYear", message: "ignored: without serversPerFte there is no staff cost" },
    ]);
    expect((result.options[1] as BuildOptionResult).monthly.every((m) => m.staffUsd === 0)).toBe(true);
  });

  test("evaluate does not modify its input", () => {
    const scenario = smallScenario();
    const copy = structuredClone(scenario);
    evaluate(scenario);
    expect(scenario).toEqual(copy);
  });
});

describe("monthly table and yearly summaries built on first read (issue #16)", () => {
  const scenario = (): Scenario => golden("chat-70b-three-paths");
  /** Every table read at once, as plain data. */
  const readAll = (result: ReturnType<typeof evaluate>): unknown => JSON.parse(JSON.stringify(result)) as unknown;

  test("JSON, structuredClone and spread see the same tables, in the same key order", () => {
    const expected = readAll(evaluate(scenario()));
    const viaClone = structuredClone(evaluate(scenario()));
    expect(viaClone).toEqual(expected);
    expect(JSON.stringify(viaClone)).toBe(JSON.stringify(expected));
    const spread = evaluate(scenario()).options.map((option) => ({ ...option }));
    expect(spread).toEqual((expected as { options: unknown[] }).options);
    const keys = Object.keys(evaluate(scenario()).options[0] as OptionResult);
    expect(keys.slice(-2)).toEqual(["yearly", "monthly"]);
  });

  test("a later evaluate of another scenario does not change an earlier result's tables", () => {
    const first = evaluate(scenario());
    const changed = scenario();
    changed.workload.requestsPerDay *= 3;
    const second = evaluate(changed);
    // Read the first result's tables only now, after the shared workspace was reused.
    expect(readAll(first)).toEqual(readAll(evaluate(scenario())));
    expect(second.options[0]?.monthly[12]?.tokens).toBeCloseTo((first.options[0]?.monthly[12]?.tokens ?? 0) * 3, 3);
  });

  test("a proxy of a result (a reactive store's) and an object inheriting from one read the same tables", () => {
    const expected = readAll(evaluate(scenario())) as { options: OptionResult[] };
    const viaProxy = new Proxy(evaluate(scenario()).options[1] as OptionResult, {});
    expect(viaProxy.monthly).toEqual(expected.options[1]?.monthly);
    const inheriting = Object.create(evaluate(scenario()).options[2] as OptionResult) as OptionResult;
    expect(inheriting.yearly).toEqual(expected.options[2]?.yearly);
    expect(Reflect.ownKeys(inheriting)).toEqual([]);
  });

  test("the tables become plain data properties once read, and can be assigned before or after", () => {
    const result = evaluate(scenario());
    const option = result.options[1] as OptionResult;
    const monthly = option.monthly;
    expect(Object.getOwnPropertyDescriptor(option, "monthly")).toMatchObject({ value: monthly, enumerable: true });
    expect(Object.getOwnPropertyDescriptor(result.options[0], "yearly")?.get).toBeUndefined();
    const other = evaluate(scenario());
    (other.options[0] as OptionResult).yearly = [];
    expect((other.options[0] as OptionResult).yearly).toEqual([]);
    expect((other.options[0] as OptionResult).monthly.length).toBe(other.horizonMonths);
    expect((other.options[0] as OptionResult).yearly).toEqual([]);
  });
});
