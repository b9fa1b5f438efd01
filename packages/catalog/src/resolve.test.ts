import { evaluate, type Scenario } from "@aifp/kernel";
import { describe, expect, it } from "vitest";
import { priceBook, PRICE_BOOK_VERSION } from "./index.ts";
import { resolveScenario, ResolveError, type OrgQuote, type UsedFigure } from "./resolve.ts";

/** The scenario of the issue's "done when": only a model, a region, two SKUs and two cloud offers. */
function referencesOnly(): Scenario {
  return {
    name: "references only",
    startMonth: "2027-01",
    horizonYears: 4,
    finance: { discountRatePerYear: 0.09 },
    workload: {
      model: "llama2-70b",
      inputTokensPerRequest: 1000,
      outputTokensPerRequest: 300,
      requestsPerDay: 2_000_000,
      interactivityTokensPerSecondPerUser: 5,
    },
    site: { region: "US-VA" },
    options: [
      { kind: "build", id: "dgx-h100", sku: "nvidia-dgx-h100" },
      { kind: "build", id: "xe9680l", sku: "dell-poweredge-xe9680l" },
      { kind: "lease", id: "lambda-h100", offer: "lambda-gpu-8x-h100-sxm-80gb-none" },
      { kind: "lease", id: "lambda-b200", offer: "lambda-gpu-8x-b200-sxm6-180gb-none" },
    ],
  };
}

describe("resolveScenario", () => {
  it("fills a references-only scenario with cited figures that evaluate", () => {
    const { scenario, usedFigures, priceBookVersion } = resolveScenario(referencesOnly(), priceBook);
    expect(priceBookVersion).toBe(PRICE_BOOK_VERSION);
    const byPath = new Map(usedFigures.map((figure) => [figure.path, figure]));
    expect(byPath.get("site.electricityUsdPerKwh")).toMatchObject({
      value: 0.0892,
      origin: "catalog",
      ref: "region:US-VA:industrial",
      confidence: "high",
    });
    expect(byPath.get("options.0.priceUsd")).toMatchObject({ value: 270000, origin: "catalog", derived: false });
    expect(byPath.get("options.1.priceUsd")).toMatchObject({ derived: true, confidence: "low" });
    expect(byPath.get("options.2.priceUsdPerInstanceHour")).toMatchObject({ value: 31.92, asOf: "2026-10-10" });
    expect(byPath.get("options.0.outputTokensPerSecondPerGpu")?.origin).toBe("throughput");
    for (const figure of usedFigures) {
      expect(figure.priceBookVersion).toBe(PRICE_BOOK_VERSION);
      expect(figure.source.length, figure.path).toBeGreaterThan(0);
      expect(figure.derived, figure.path).toBe(figure.method !== null);
    }
    const result = evaluate(scenario);
    expect(result.options).toHaveLength(4);
    for (const option of result.options) expect(Number.isFinite(option.npvCostUsd)).toBe(true);
  });

  it("lets inline numbers win and does not list them", () => {
    const input = referencesOnly();
    input.site = { region: "US-VA", electricityUsdPerKwh: 0.05 };
    input.options[0] = {
      kind: "build",
      id: "dgx-h100",
      sku: "nvidia-dgx-h100",
      priceUsd: 123456,
      lifeYears: 5,
      outputTokensPerSecondPerGpu: 1000,
    };
    const { scenario, usedFigures } = resolveScenario(input, priceBook);
    expect(scenario.site?.electricityUsdPerKwh).toBe(0.05);
    const option = scenario.options[0];
    expect(option).toMatchObject({ priceUsd: 123456, lifeYears: 5, outputTokensPerSecondPerGpu: 1000, kw: 10.2 });
    const paths = usedFigures.map((figure) => figure.path);
    expect(paths).not.toContain("site.electricityUsdPerKwh");
    expect(paths).not.toContain("options.0.priceUsd");
    expect(paths).not.toContain("options.0.outputTokensPerSecondPerGpu");
    expect(paths).toContain("options.0.kw");
  });

  it("does not modify its input", () => {
    const input = referencesOnly();
    const before = JSON.stringify(input);
    resolveScenario(input, priceBook);
    expect(JSON.stringify(input)).toBe(before);
  });

  it("applies a valid organisation quote over the public price, and ignores an expired one", () => {
    const quotes: OrgQuote[] = [
      {
        id: "qt_1",
        orgId: "org_a",
        target: { kind: "sku", id: "nvidia-dgx-h100" },
        unitPriceUsd: 240000,
        discount: 0.05,
        validUntil: "2027-06-30",
        note: "Q4 deal",
      },
      {
        id: "qt_2",
        orgId: "org_a",
        target: { kind: "offer", id: "lambda-gpu-8x-h100-sxm-80gb-none" },
        unitPriceUsd: 20,
        discount: 0,
        validUntil: "2026-12-31",
        note: null,
      },
      {
        id: "qt_3",
        orgId: "org_a",
        target: { kind: "offer", id: "lambda-gpu-8x-b200-sxm6-180gb-none" },
        unitPriceUsd: null,
        discount: 0.2,
        validUntil: "2027-12-31",
        note: null,
      },
    ];
    const { scenario, usedFigures } = resolveScenario(referencesOnly(), priceBook, { quotes });
    expect(scenario.options[0]).toMatchObject({ priceUsd: 240000 * 0.95 });
    expect(usedFigures.find((figure) => figure.path === "options.0.priceUsd")).toMatchObject({
      origin: "quote",
      ref: "quote:qt_1",
      derived: true,
    });
    // qt_2 expired before the scenario's first month: the public price stands.
    expect(scenario.options[2]).toMatchObject({ priceUsdPerInstanceHour: 31.92 });
    expect(scenario.options[3]).toMatchObject({ priceUsdPerInstanceHour: 53.52 * 0.8 });
  });

  it("notes a quote that expired before the plan starts, and uses the public price", () => {
    const quote = (id: string, validUntil: string, kind: "sku" | "offer", target: string): OrgQuote => ({
      id,
      orgId: "org_a",
      target: { kind, id: target },
      unitPriceUsd: kind === "sku" ? 200000 : 20,
      discount: 0,
      validUntil,
      note: null,
    });
    const expiredOnly = [
      quote("qt_old", "2026-06-30", "sku", "nvidia-dgx-h100"),
      quote("qt_later", "2026-12-31", "sku", "nvidia-dgx-h100"),
      quote("qt_offer", "2026-11-30", "offer", "lambda-gpu-8x-h100-sxm-80gb-none"),
    ];
    const { scenario, usedFigures, notes, expiredQuoteIds } = resolveScenario(referencesOnly(), priceBook, {
      quotes: expiredOnly,
    });
    expect(scenario.options[0]).toMatchObject({ priceUsd: 270000 });
    expect(usedFigures.find((figure) => figure.path === "options.0.priceUsd")).toMatchObject({ origin: "catalog" });
    // One note per target: the latest-expiring of its expired quotes, with both dates.
    expect(notes.filter((note) => note.startsWith("Quote "))).toEqual([
      "Quote qt_later for server nvidia-dgx-h100 (option dgx-h100) expired on 2026-12-31, before the plan starts on 2027-01-01; the public price is used",
      "Quote qt_offer for cloud offer lambda-gpu-8x-h100-sxm-80gb-none (option lambda-h100) expired on 2026-11-30, before the plan starts on 2027-01-01; the public price is used",
    ]);
    // The same quotes, by id, for callers that pin what the answer depends on.
    expect(expiredQuoteIds).toEqual(["qt_later", "qt_offer"]);

    // A quote valid on the first day of the start month applies, and no note is written.
    const valid = resolveScenario(referencesOnly(), priceBook, {
      quotes: [...expiredOnly, quote("qt_ok", "2027-01-01", "sku", "nvidia-dgx-h100")],
    });
    expect(valid.scenario.options[0]).toMatchObject({ priceUsd: 200000 });
    expect(valid.notes.some((note) => note.includes("qt_later"))).toBe(false);
    expect(valid.notes.some((note) => note.includes("qt_offer"))).toBe(true);
    expect(valid.expiredQuoteIds).toEqual(["qt_offer"]);

    // An inline price wins: no quote is consulted, so nothing is noted.
    const inline = referencesOnly();
    inline.options[0] = { kind: "build", id: "dgx-h100", sku: "nvidia-dgx-h100", priceUsd: 250000 };
    const inlined = resolveScenario(inline, priceBook, { quotes: expiredOnly });
    expect(inlined.notes.some((note) => note.includes("qt_later"))).toBe(false);
  });

  it("names every unresolvable reference", () => {
    const input = referencesOnly();
    input.site = { region: "XX" };
    input.options[0] = { kind: "build", id: "nope", sku: "no-such-sku" };
    input.options[2] = { kind: "lease", id: "nope2", offer: "no-such-offer", outputTokensPerSecondPerGpu: 10 };
    try {
      resolveScenario(input, priceBook);
      throw new Error("expected a ResolveError");
    } catch (error) {
      expect(error).toBeInstanceOf(ResolveError);
      const paths = (error as ResolveError).issues.map((issue) => issue.path);
      expect(paths).toEqual(expect.arrayContaining(["site.region", "options.0.sku", "options.2.offer"]));
    }
  });

  it("refuses a SKU without a price or power instead of inventing one", () => {
    const input = referencesOnly();
    input.options = [
      { kind: "build", id: "nvl", sku: "lenovo-thinksystem-sr675-v3", outputTokensPerSecondPerGpu: 1000 },
    ];
    expect(() => resolveScenario(input, priceBook)).toThrow(/options\.0\.priceUsd.*no price/);
  });

  it("notes when a scenario names a cloud row kept for the record (superseded or outlier)", () => {
    const input = referencesOnly();
    input.options = [{ kind: "lease", id: "nebius", offer: "nebius-nvidia-hgx-h100-none" }];
    const { notes, scenario } = resolveScenario(input, priceBook);
    expect(notes.some((note) => /nebius-nvidia-hgx-h100-none is marked outlier/.test(note))).toBe(true);
    expect(scenario.options[0]).toMatchObject({ priceUsdPerInstanceHour: 4.5 });
  });

  it("reads a 3-year commitment's term from the offer", () => {
    const input = referencesOnly();
    input.options = [
      { kind: "lease", id: "tpu", offer: "google-cloud-tpu-v6e-1-3y", outputTokensPerSecondPerGpu: 500 },
    ];
    const { scenario } = resolveScenario(input, priceBook);
    expect(scenario.options[0]).toMatchObject({ termYears: 3, priceUsdPerInstanceHour: 1.22, gpusPerInstance: 1 });
  });

  it("refuses a build site whose region has no electricity price", () => {
    const input = referencesOnly();
    input.site = { region: "JP" };
    expect(() => resolveScenario(input, priceBook)).toThrow(/site\.electricityUsdPerKwh/);
  });

  it("extrapolates a latency target beyond the measured data, labelled derived and low confidence", () => {
    const input = referencesOnly();
    input.workload.interactivityTokensPerSecondPerUser = 25;
    input.workload.timeToFirstTokenMs = 2000;
    const { usedFigures } = resolveScenario(input, priceBook);
    const h100 = usedFigures.find((figure) => figure.path === "options.0.outputTokensPerSecondPerGpu")!;
    expect(h100).toMatchObject({ origin: "throughput", derived: true, confidence: "low" });
    expect(h100.method).toMatch(/throughputAt extrapolated/);
    expect(h100.method).toMatch(/first token within 2000 ms/);
  });

  it("reports a latency target beyond the physical limit on the option's path", () => {
    const input = referencesOnly();
    input.workload.interactivityTokensPerSecondPerUser = 50_000;
    expect(() => resolveScenario(input, priceBook)).toThrow(/options\.0\.outputTokensPerSecondPerGpu.*physical limit/);
  });

  it("fills API token prices from the book", () => {
    const input = referencesOnly();
    input.workload.model = "deepseek-r1";
    input.options = [{ kind: "api", id: "openrouter", offer: "deepseek-r1-openrouter" }];
    const { scenario } = resolveScenario(input, priceBook);
    expect(scenario.options[0]).toMatchObject({ usdPerMillionInputTokens: 1.35, usdPerMillionOutputTokens: 5.4 });
  });

  describe("equal footing (ADR 017)", () => {
    const figureAt = (usedFigures: UsedFigure[], path: string) => usedFigures.find((item) => item.path === path);

    it("defaults to the open-source stack: no licence on any build or lease option, cited", () => {
      const { scenario, usedFigures } = resolveScenario(referencesOnly(), priceBook);
      for (const [index, option] of scenario.options.entries()) {
        if (option.kind === "api") continue;
        expect(option.softwareUsdPerGpuYear, option.id).toBe(0);
        expect(figureAt(usedFigures, `options.${index}.softwareUsdPerGpuYear`)).toMatchObject({
          ref: "default:servingStack.open-source.usdPerGpuYear",
        });
      }
    });

    it("charges NVIDIA AI Enterprise on owned and leased NVIDIA GPUs alike, and notes it does not run on AMD", () => {
      const input = referencesOnly();
      input.servingStack = "nvidia-ai-enterprise";
      input.options.push({ kind: "build", id: "mi300x", sku: "supermicro-as-8125gs-tnmr2", priceUsd: 250_000, kw: 10 });
      const { scenario, notes } = resolveScenario(input, priceBook);
      const software = Object.fromEntries(
        scenario.options.map((option) => [option.id, option.kind === "api" ? null : option.softwareUsdPerGpuYear]),
      );
      expect(software).toMatchObject({ "dgx-h100": 4500, xe9680l: 4500, "lambda-h100": 4500, "lambda-b200": 4500 });
      expect(software.mi300x).toBeUndefined();
      expect(notes.some((note) => note.includes("mi300x") && note.includes("does not run on AMD"))).toBe(true);
    });

    it("asks for the AMD Enterprise AI price on AMD options (no cited price), naming the field", () => {
      const input = referencesOnly();
      input.servingStack = "amd-enterprise-ai";
      input.options = [{ kind: "build", id: "mi300x", sku: "supermicro-as-8125gs-tnmr2", priceUsd: 250_000, kw: 10 }];
      expect(() => resolveScenario(input, priceBook)).toThrow(ResolveError);
      try {
        resolveScenario(input, priceBook);
      } catch (error) {
        expect((error as ResolveError).issues.map((issue) => issue.path)).toEqual(["options.0.softwareUsdPerGpuYear"]);
      }
      input.options = [
        {
          kind: "build",
          id: "mi300x",
          sku: "supermicro-as-8125gs-tnmr2",
          priceUsd: 250_000,
          kw: 10,
          softwareUsdPerGpuYear: 1000,
        },
      ];
      expect(resolveScenario(input, priceBook).scenario.options[0]).toMatchObject({ softwareUsdPerGpuYear: 1000 });
    });

    it("fills the warranty by vendor class with the post-warranty rate, and not when maintenance is inline", () => {
      const { scenario, usedFigures } = resolveScenario(referencesOnly(), priceBook);
      expect(scenario.options[0]).toMatchObject({ warrantyYears: 3, maintenancePerYear: 0.115 });
      expect(figureAt(usedFigures, "options.0.warrantyYears")).toMatchObject({
        ref: "default:support.warrantyYears.nvidia-dgx",
        confidence: "low",
      });
      expect(figureAt(usedFigures, "options.1.warrantyYears")).toMatchObject({
        ref: "default:support.warrantyYears.oem",
      });
      const input = referencesOnly();
      input.options[1] = { kind: "build", id: "xe9680l", sku: "dell-poweredge-xe9680l", maintenancePerYear: 0.08 };
      const inline = resolveScenario(input, priceBook).scenario.options[1] as { warrantyYears?: number };
      expect(inline.warrantyYears).toBeUndefined();
    });

    it("prices the commitment term: a published 1-year row, else on-demand × the cited ratio (derived)", () => {
      const input = referencesOnly();
      input.leaseCommitment = "1y";
      input.options = [
        { kind: "lease", id: "p4d", offer: "aws-p4d.24xlarge-none", outputTokensPerSecondPerGpu: 500 },
        { kind: "lease", id: "p5", offer: "aws-p5.48xlarge-none" },
        { kind: "lease", id: "lambda", offer: "lambda-gpu-8x-h100-sxm-80gb-none" },
      ];
      const { scenario, usedFigures } = resolveScenario(input, priceBook);
      expect(scenario.options.map((option) => (option.kind === "lease" ? option.termYears : null))).toEqual([1, 1, 1]);
      expect(figureAt(usedFigures, "options.0.priceUsdPerInstanceHour")).toMatchObject({
        value: 13.9211,
        ref: "offer:aws-p4d.24xlarge-1y",
        derived: false,
      });
      const p5 = figureAt(usedFigures, "options.1.priceUsdPerInstanceHour") as {
        value: number;
        derived: boolean;
        method: string;
      };
      expect(p5.derived).toBe(true);
      expect(p5.value).toBeCloseTo(55.04 * 0.6, 9);
      expect(p5.method).toContain("commitment.aws.savingsPlan1y");
      const lambda = figureAt(usedFigures, "options.2.priceUsdPerInstanceHour")!;
      expect(lambda.value).toBeCloseTo(31.92 * 0.58, 9);
      expect(lambda.method).toContain("commitment.neocloud.reserved.H100-SXM-80GB");
    });

    it("match-horizon signs the longest term within the plan; as-offered and absent keep the offer's own", () => {
      const input = referencesOnly();
      input.options = [{ kind: "lease", id: "p5", offer: "aws-p5.48xlarge-none" }];
      input.leaseCommitment = "match-horizon";
      expect(resolveScenario(input, priceBook).scenario.options[0]).toMatchObject({ termYears: 3 });
      input.horizonYears = 2;
      expect(resolveScenario(input, priceBook).scenario.options[0]).toMatchObject({ termYears: 1 });
      input.leaseCommitment = "as-offered";
      const asOffered = resolveScenario(input, priceBook).scenario.options[0] as {
        termYears?: number;
        priceUsdPerInstanceHour?: number;
      };
      expect(asOffered.termYears).toBeUndefined();
      expect(asOffered.priceUsdPerInstanceHour).toBe(55.04);
    });
  });
});
