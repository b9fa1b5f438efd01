/**
 * Risk: the seeded generator, the samplers, the tornado and break-evens (checked by evaluating
 * either side of each break-even), and the Monte Carlo (same seed, same figures; cancel; progress).
 */
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { evaluate, type Scenario } from "../index.ts";
import { applyDriver, DEFAULT_DRIVERS, resolveDrivers } from "./drivers.ts";
import { monteCarlo, MonteCarloCancelledError, monteCarloSync } from "./monte-carlo.ts";
import { createRandom, quantileSorted, triangular } from "./random.ts";
import { decisionOf, sensitivity } from "./sensitivity.ts";

const golden = (): Scenario =>
  JSON.parse(
    readFileSync(new URL("../../../../test/golden/chat-70b-three-paths.scenario.json", import.meta.url), "utf8"),
  ) as Scenario;

describe("seeded random numbers", () => {
  test("the same seed gives the same stream; another seed another one", () => {
    const a = createRandom(42);
    const b = createRandom(42);
    const c = createRandom(43);
    const first = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(first);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(first);
    expect(createRandom(1).next()).not.toBe(createRandom(2 ** 32 + 1).next());
  });

  test("uniform in [0, 1) with the right moments", () => {
    const random = createRandom(7);
    let sum = 0;
    let sumSq = 0;
    let min = 1;
    let max = 0;
    const n = 200_000;
    for (let i = 0; i < n; i++) {
      const x = random.next();
      sum += x;
      sumSq += x * x;
      min = Math.min(min, x);
      max = Math.max(max, x);
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    expect(Math.abs(sum / n - 0.5)).toBeLessThan(0.005);
    expect(Math.abs(sumSq / n - 1 / 3)).toBeLessThan(0.005);
  });

  test("triangular draws stay in range with mean (a + b + c) / 3", () => {
    const random = createRandom(3);
    let sum = 0;
    const n = 100_000;
    for (let i = 0; i < n; i++) {
      const x = triangular(random, 1, 2, 5);
      expect(x >= 1 && x <= 5).toBe(true);
      sum += x;
    }
    expect(Math.abs(sum / n - 8 / 3)).toBeLessThan(0.02);
    expect(triangular(random, 2, 2, 2)).toBe(2);
    expect(() => triangular(random, 1, 0, 2)).toThrowError(/low <= mode <= high/);
    expect(() => createRandom(0.5)).toThrowError(/seed/);
  });

  test("quantiles interpolate linearly (type 7) and keep infinite order statistics", () => {
    const sorted = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(quantileSorted(sorted, 0.5)).toBe(5.5);
    expect(quantileSorted(sorted, 0.1)).toBeCloseTo(1.9, 12);
    expect(quantileSorted(sorted, 0.9)).toBeCloseTo(9.1, 12);
    expect(quantileSorted([3, 5, Number.POSITIVE_INFINITY], 0.5)).toBe(5);
    expect(quantileSorted([3, Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY], 1)).toBe(Number.POSITIVE_INFINITY);
    expect(() => quantileSorted([], 0.5)).toThrowError(/empty/);
  });
});

describe("drivers", () => {
  test("every default driver states its source and a low below its high", () => {
    for (const d of DEFAULT_DRIVERS) {
      expect(d.source.length).toBeGreaterThan(10);
      expect(d.low).toBeLessThan(d.high);
    }
    expect(DEFAULT_DRIVERS.map((d) => d.id).sort()).toEqual(
      [
        "apiPriceTrend",
        "costOfCapital",
        "electricity",
        "growth",
        "hardwarePrice",
        "leasePriceTrend",
        "life",
        "pue",
        "resale",
        "support",
        "throughput",
        "volume",
        "warranty",
      ].sort(),
    );
  });

  test("drivers change the scenario they name, nothing else, and never the input", () => {
    const scenario = golden();
    const copy = JSON.stringify(scenario);
    const doubled = applyDriver(scenario, "volume", 2);
    expect(doubled.workload.requestsPerDay).toBe(2 * scenario.workload.requestsPerDay);
    const life = applyDriver(scenario, "life", 3.04);
    expect(
      life.options.find((o) => o.kind === "build")?.kind === "build" && life.options.find((o) => o.kind === "build"),
    ).toMatchObject({ lifeYears: 3 });
    expect(JSON.stringify(scenario)).toBe(copy);
    // Drivers that do not apply are left out (no build option: no PUE, no server price).
    const leaseOnly = { ...scenario, options: scenario.options.filter((o) => o.kind !== "build") };
    expect(resolveDrivers(leaseOnly).map((d) => d.id)).not.toContain("pue");
    expect(() => resolveDrivers(scenario, [{ id: "pue", low: 2, high: 1 }])).toThrowError(/low <= high/);
  });
});

describe("sensitivity", () => {
  test("tornado bars are sorted by swing and every break-even flips the decision where it says", () => {
    const scenario = golden();
    const result = sensitivity({ scenario });
    expect(result.tornado.length).toBeGreaterThanOrEqual(10);
    for (let i = 1; i < result.tornado.length; i++)
      expect(result.tornado[i - 1]?.swingUsd).toBeGreaterThanOrEqual(result.tornado[i]?.swingUsd ?? 0);
    expect(result.metric.name).toBe("buildAdvantageUsd");
    expect(result.base.decision).toBe(decisionOf(evaluate(scenario)).decision);
    for (const bar of result.tornado) expect(Number.isFinite(bar.swingUsd)).toBe(true);
    expect(result.breakEvens.length).toBeGreaterThan(0);
    for (const breakEven of result.breakEvens) {
      const bar = result.tornado.find((b) => b.id === breakEven.id);
      const towardsBase = breakEven.value * 0.999 + (bar?.baseValue ?? 0) * 0.001;
      // Just beyond the break-even the decision has changed; on the base side it has not.
      expect(decisionOf(evaluate(applyDriver(scenario, breakEven.id, breakEven.value))).decision).toBe(breakEven.to);
      if (breakEven.id !== "life")
        expect(decisionOf(evaluate(applyDriver(scenario, breakEven.id, towardsBase))).decision).toBe(breakEven.from);
      expect(breakEven.description).toMatch(/becomes cheaper than/);
    }
    expect(result.breakEvenUtilization?.value).toBeGreaterThan(0);
    expect(result.breakEvenUtilization?.averageUtilization).toBeGreaterThan(0);
    expect(result.breakEvenUtilization?.averageUtilization).toBeLessThanOrEqual(1);
  });
});

describe("Monte Carlo", () => {
  const input = { scenario: golden(), samples: 400, seed: 2027 };

  test("the same seed gives the same figures; another seed different ones", async () => {
    const a = await monteCarlo(input);
    const b = monteCarloSync(input);
    expect(b).toEqual(a);
    const c = monteCarloSync({ ...input, seed: 2028 });
    expect(c.comparison?.npvSavingsUsd.p50).not.toBe(a.comparison?.npvSavingsUsd.p50);
  });

  test("percentiles are ordered, probabilities add up, distributions are stated", () => {
    const result = monteCarloSync(input);
    expect(result.samples).toBe(400);
    expect(result.failedSamples).toBe(0);
    for (const p of Object.values(result.lcotUsdPerMillionTokens)) {
      expect(p.p10).toBeLessThanOrEqual(p.p50);
      expect(p.p50).toBeLessThanOrEqual(p.p90);
      expect(p.p10).toBeGreaterThan(0);
    }
    const total = Object.values(result.probabilityCheapest).reduce((a, b) => a + b, 0);
    expect(total).toBeCloseTo(1, 12);
    const comparison = result.comparison;
    expect(comparison?.buildId).toBe("dell-xe9680-h200");
    expect(comparison?.leaseId).toBe("neocloud-h200");
    expect(comparison && comparison.probabilityBuildBeatsLease >= 0 && comparison.probabilityBuildBeatsLease <= 1).toBe(
      true,
    );
    expect((comparison?.npvSavingsUsd.p10 ?? 0) <= (comparison?.npvSavingsUsd.p90 ?? 0)).toBe(true);
    for (const d of result.drivers) {
      expect(d.low).toBeLessThanOrEqual(d.mode);
      expect(d.mode).toBeLessThanOrEqual(d.high);
      expect(["triangular", "log-triangular"]).toContain(d.distribution);
    }
    // The building-beats-leasing share matches the savings distribution's sign.
    const beats = comparison?.probabilityBuildBeatsLease ?? 0;
    if ((comparison?.npvSavingsUsd.p10 ?? 0) > 0) expect(beats).toBeGreaterThanOrEqual(0.9);
    if ((comparison?.npvSavingsUsd.p90 ?? 0) < 0) expect(beats).toBeLessThanOrEqual(0.1);
  });

  test("progress is reported and a run can be cancelled between chunks", async () => {
    const progress: number[] = [];
    const signal = { aborted: false };
    const run = monteCarlo(
      { ...input, samples: 1000 },
      {
        chunkSize: 100,
        signal,
        onProgress: ({ done }) => {
          progress.push(done);
          if (done >= 300) signal.aborted = true;
        },
        yieldToHost: () => Promise.resolve(),
      },
    );
    await expect(run).rejects.toBeInstanceOf(MonteCarloCancelledError);
    expect(progress).toEqual([100, 200, 300]);
  });

  test("bad input is rejected, naming the field", async () => {
    await expect(monteCarlo({ ...input, samples: 0 })).rejects.toThrowError(/samples/);
    expect(() => monteCarloSync({ ...input, seed: 1.5 })).toThrowError(/seed/);
    expect(() => monteCarloSync({ ...input, optionIds: ["nope"] })).toThrowError(/optionIds\.0/);
  });
});
