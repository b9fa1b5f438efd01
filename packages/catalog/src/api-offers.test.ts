import { evaluate, type Scenario } from "@aifp/kernel";
import { describe, expect, it } from "vitest";
import { effectiveApiPrice, findApiOffer, modelsWithApiOffers, rankApiOffers } from "./api-offers.ts";
import { priceBook as book } from "./index.ts";
import { resolveScenario, ResolveError } from "./resolve.ts";
import type { TokenPrice } from "./types.ts";

/** A buy-tokens-only scenario for a model: the API option names no price. */
function apiScenario(model: string, option: Record<string, unknown>, workload: Record<string, unknown> = {}): Scenario {
  return {
    startMonth: "2027-01",
    horizonYears: 3,
    finance: { discountRatePerYear: 0.09 },
    workload: {
      model,
      inputTokensPerRequest: 1000,
      outputTokensPerRequest: 300,
      requestsPerDay: 1_000_000,
      ...workload,
    },
    options: [{ kind: "api", id: "api", ...option }],
  };
}

describe("the model catalog and the API price book", () => {
  it("holds at least 25 models and 80 cited, dated prices from at least 12 providers", () => {
    expect(book.models.length + book.apiOnlyModels.length).toBeGreaterThanOrEqual(25);
    expect(book.tokenPrices.length).toBeGreaterThanOrEqual(80);
    expect(new Set(book.tokenPrices.map((price) => price.provider)).size).toBeGreaterThanOrEqual(12);
    for (const model of [...book.models, ...book.apiOnlyModels]) {
      expect(model.source.trim().length, model.key).toBeGreaterThan(0);
      expect(model.asOf, model.key).toMatch(/^\d{4}/);
    }
  });

  it("gives no closed model parameter counts and every open model its architecture", () => {
    for (const model of book.apiOnlyModels) {
      expect(model.openWeights).toBe(false);
      expect(Object.keys(model)).not.toContain("parametersB");
    }
    for (const model of book.models) {
      expect(model.parametersB).toBeGreaterThan(0);
      expect(model.activeParametersB).toBeLessThanOrEqual(model.parametersB);
    }
  });

  it("has no price without a source or a date, and every price positive", () => {
    for (const price of book.tokenPrices) {
      const figures = [
        price.usdPerMillionInputTokens,
        price.usdPerMillionOutputTokens,
        price.usdPerMillionCachedInputTokens,
        price.batchDiscount,
      ].filter((figure) => figure !== null);
      for (const figure of figures) {
        expect(figure.source.length, price.id).toBeGreaterThan(20);
        expect(figure.asOf, price.id).toMatch(/^\d{4}(-\d{2}(-\d{2})?)?$/);
        expect(figure.value, price.id).toBeGreaterThan(0);
      }
      expect(price.usdPerMillionInputTokens.asOf <= book.dataAsOf).toBe(true);
    }
  });

  it("prices output at least as high as input (every provider in the book lists it so)", () => {
    // Where a provider lists output below input the row would need a note; none in this book does.
    const below = book.tokenPrices.filter(
      (price: TokenPrice) => price.usdPerMillionOutputTokens.value < price.usdPerMillionInputTokens.value,
    );
    expect(below.map((price) => price.id)).toEqual([]);
    for (const price of book.tokenPrices) {
      if (price.usdPerMillionCachedInputTokens)
        expect(price.usdPerMillionCachedInputTokens.value, price.id).toBeLessThanOrEqual(
          price.usdPerMillionInputTokens.value,
        );
    }
  });

  it("has one current price per provider and model, and keeps the superseded history dated", () => {
    const current = book.tokenPrices.filter((price) => price.status === "current");
    const keys = current.map((price) => `${price.provider}|${price.model}`);
    expect(new Set(keys).size).toBe(keys.length);
    const superseded = book.tokenPrices.filter((price) => price.status === "superseded");
    expect(superseded.length).toBeGreaterThan(5);
    for (const price of superseded) expect(price.id).toMatch(/@\d{4}/);
  });

  it("derives the API price trend from the dated history, with its method", () => {
    expect(book.apiPriceTrend).not.toBeNull();
    expect(book.apiPriceTrend?.derived).toBe(true);
    expect(book.apiPriceTrend?.method).toMatch(/median/);
    expect(book.apiPriceTrend?.value).toBeGreaterThan(-1);
    expect(book.apiPriceTrend?.value).toBeLessThan(1);
  });
});

describe("effective API prices", () => {
  const offer = book.tokenPrices.find(
    (price) => price.status === "current" && price.usdPerMillionCachedInputTokens && price.batchDiscount,
  ) as TokenPrice;

  it("returns the list figures unchanged without shares", () => {
    const price = effectiveApiPrice(offer, { inputTokensPerRequest: 1, outputTokensPerRequest: 1 });
    expect(price.input).toBe(offer.usdPerMillionInputTokens);
    expect(price.output).toBe(offer.usdPerMillionOutputTokens);
  });

  it("prices the cached share at the cached price and the batch share at the discount", () => {
    const list = offer.usdPerMillionInputTokens.value;
    const cached = offer.usdPerMillionCachedInputTokens?.value ?? 0;
    const discount = offer.batchDiscount?.value ?? 0;
    const price = effectiveApiPrice(offer, {
      inputTokensPerRequest: 1000,
      outputTokensPerRequest: 100,
      cachedInputShare: 0.4,
      batchShare: 0.5,
    });
    const factor = 1 - 0.5 * discount;
    expect(price.input.value).toBeCloseTo((0.6 * list + 0.4 * cached) * factor, 12);
    expect(price.output.value).toBeCloseTo(offer.usdPerMillionOutputTokens.value * factor, 12);
    expect(price.input.derived).toBe(true);
    expect(price.input.method).toContain("cached share 0.4");
    expect(price.output.method).toContain("batch discount");
  });

  it("says so when a provider publishes no cached price or batch discount", () => {
    const plain = book.tokenPrices.find(
      (price) => price.status === "current" && !price.usdPerMillionCachedInputTokens && !price.batchDiscount,
    ) as TokenPrice;
    const price = effectiveApiPrice(plain, {
      inputTokensPerRequest: 1,
      outputTokensPerRequest: 1,
      cachedInputShare: 0.5,
      batchShare: 0.5,
    });
    expect(price.input.value).toBe(plain.usdPerMillionInputTokens.value);
    expect(price.notes.join(" ")).toMatch(/no cached-input price.*no batch discount/);
  });
});

describe("the buy-tokens path resolves like a lease offer", () => {
  it("works with no typed price for every model any host serves", () => {
    const models = modelsWithApiOffers(book);
    expect(models.length).toBeGreaterThanOrEqual(25);
    for (const model of models) {
      for (const select of ["cheapest", "median"] as const) {
        const { scenario, apiOffers, usedFigures } = resolveScenario(apiScenario(model, { select }), book);
        expect(apiOffers, model).toHaveLength(1);
        expect(apiOffers[0]?.servesModel).toBe(model);
        expect(usedFigures.find((figure) => figure.path === "options.0.usdPerMillionInputTokens")?.ref).toBe(
          `token-price:${apiOffers[0]?.offerId}`,
        );
        const result = evaluate(scenario);
        expect(Number.isFinite(result.options[0]?.lcotUsdPerMillionTokens), model).toBe(true);
      }
    }
  });

  it("picks the cheapest and the median host for the workload's token mix", () => {
    const ranked = rankApiOffers(book, "llama3.3-70b", { inputTokensPerRequest: 1000, outputTokensPerRequest: 300 });
    expect(ranked.length).toBeGreaterThanOrEqual(5);
    const cheapest = resolveScenario(apiScenario("llama3.3-70b", { select: "cheapest" }), book).apiOffers[0];
    const median = resolveScenario(apiScenario("llama3.3-70b", { select: "median" }), book).apiOffers[0];
    expect(cheapest?.offerId).toBe(ranked[0]?.offer.id);
    expect(median?.offerId).toBe(ranked[Math.floor((ranked.length - 1) / 2)]?.offer.id);
    expect(median?.candidates).toBe(ranked.length);
  });

  it("buys from a named provider or a named offer, and applies the cached and batch shares as derived figures", () => {
    const { scenario, usedFigures, notes } = resolveScenario(
      apiScenario("llama4-scout", { provider: "aws bedrock" }, { cachedInputShare: 0.3, batchShare: 0.5 }),
      book,
    );
    const offer = findApiOffer(book, "api:aws-bedrock:llama4-scout")?.offer as TokenPrice;
    const option = scenario.options[0] as { usdPerMillionInputTokens: number; usdPerMillionOutputTokens: number };
    const discount = offer.batchDiscount?.value ?? 0;
    expect(discount).toBeGreaterThan(0);
    expect(option.usdPerMillionOutputTokens).toBeCloseTo(
      offer.usdPerMillionOutputTokens.value * (1 - 0.5 * discount),
      12,
    );
    const input = usedFigures.find((figure) => figure.path === "options.0.usdPerMillionInputTokens");
    expect(input?.derived).toBe(true);
    expect(input?.method).toContain("cached share 0.3");
    // No cached price is published for this offer: the note says the cached share pays full price.
    expect(notes.join("\n")).toMatch(/no cached-input price/);
    expect(notes.join("\n")).toMatch(
      /buys Llama 4 Scout .* from AWS Bedrock \(api:aws-bedrock:llama4-scout, named provider/,
    );
  });

  it("fills the API price trend as a default, recorded in usedFigures", () => {
    const { scenario, usedFigures } = resolveScenario(apiScenario("gpt-oss-120b", { select: "cheapest" }), book);
    expect(scenario.options[0]?.priceChangePerYear).toBe(book.apiPriceTrend?.value);
    expect(usedFigures.find((figure) => figure.path === "options.0.priceChangePerYear")).toMatchObject({
      origin: "default",
      ref: "default:api.priceChangePerYear",
      derived: true,
    });
    const inline = resolveScenario(apiScenario("gpt-oss-120b", { select: "cheapest", priceChangePerYear: 0 }), book);
    expect(inline.scenario.options[0]?.priceChangePerYear).toBe(0);
  });

  it("says plainly when the API serves a different model from the self-hosted paths", () => {
    const { apiOffers, notes, scenario } = resolveScenario(
      apiScenario("llama3.3-70b", { model: "claude-sonnet-4-5", provider: "Anthropic" }),
      book,
    );
    expect(apiOffers[0]).toMatchObject({
      servesModel: "claude-sonnet-4-5",
      workloadModel: "llama3.3-70b",
      differentModel: true,
      offerId: "api:anthropic:claude-sonnet-4-5",
    });
    expect((scenario.options[0] as { model?: string }).model).toBe("claude-sonnet-4-5");
    expect(notes.join("\n")).toMatch(
      /serves a different model \(Claude Sonnet 4\.5\) from the workload's Llama 3\.3 70B/,
    );
  });

  it("names the field when an offer, provider or model cannot be resolved", () => {
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ offer: "api:nowhere:llama3.3-70b" }, "options.0.offer", /unknown API offer/],
      [{ provider: "Nowhere", select: "cheapest" }, "options.0.provider", /no current offer from "Nowhere"/],
      [{ model: "no-such-model", select: "cheapest" }, "options.0.model", /no API offer for model "no-such-model"/],
      [{ offer: "api:groq:llama3.3-70b", model: "gpt-5" }, "options.0.model", /sells llama3.3-70b, not "gpt-5"/],
    ];
    for (const [option, path, message] of cases) {
      try {
        resolveScenario(apiScenario("llama3.3-70b", option), book);
        expect.unreachable(JSON.stringify(option));
      } catch (error) {
        expect(error).toBeInstanceOf(ResolveError);
        const issue = (error as ResolveError).issues[0];
        expect(issue?.path).toBe(path);
        expect(issue?.message).toMatch(message);
      }
    }
  });

  it("evaluates a scenario saved before this change (legacy offer id) exactly as its inline prices", () => {
    const saved = apiScenario("deepseek-r1", { offer: "deepseek-r1-openrouter" });
    const resolved = resolveScenario(saved, book);
    const option = resolved.scenario.options[0] as unknown as Record<string, unknown>;
    expect(option).toMatchObject({ usdPerMillionInputTokens: 1.35, usdPerMillionOutputTokens: 5.4 });
    // No trend default and no model field are added to a legacy reference: the saved meaning stands.
    expect(option.priceChangePerYear).toBeUndefined();
    expect(option.model).toBeUndefined();
    const inline = apiScenario("deepseek-r1", { usdPerMillionInputTokens: 1.35, usdPerMillionOutputTokens: 5.4 });
    const a = evaluate(resolved.scenario).options[0];
    const b = evaluate(resolveScenario(inline, book).scenario).options[0];
    expect(a?.npvCostUsd).toBe(b?.npvCostUsd);
    expect(a?.lcotUsdPerMillionTokens).toBe(b?.lcotUsdPerMillionTokens);
    // A scenario that names its prices inline is untouched by the resolver.
    expect(resolveScenario(inline, book).usedFigures).toEqual([]);
  });
});
