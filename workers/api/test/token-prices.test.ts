import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { modelsWithApiOffers, priceBook } from "@aifp/catalog";
import { openDb } from "../src/services/db.ts";
import { seedPublishedBook } from "../src/services/catalog.ts";
import { walkCatalogPages as walk } from "./catalog-pages.ts";
import { get, send } from "./helpers.ts";

beforeAll(async () => {
  await seedPublishedBook(openDb(env.DB), priceBook, "2026-12-06T00:00:00.000Z");
});

describe("GET /api/v1/catalog/token-prices", () => {
  it("walks every price exactly once across pages", async () => {
    const { rows, pages } = await walk("/catalog/token-prices", 40);
    const ids = rows.map((row) => String(row.id));
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(priceBook.tokenPrices.map((price) => price.id).sort());
    expect(pages).toBe(Math.max(1, Math.ceil(priceBook.tokenPrices.length / 40)));
  });

  it("filters by model and status, with each price's provenance", async () => {
    const { rows } = await walk("/catalog/token-prices?model=llama3.3-70b&status=current", 100);
    const expected = priceBook.tokenPrices.filter(
      (price) => price.model === "llama3.3-70b" && price.status === "current",
    );
    expect(rows.map((row) => row.id).sort()).toEqual(expected.map((price) => price.id).sort());
    expect(rows.length).toBeGreaterThanOrEqual(5);
    for (const row of rows) {
      expect(row.usdPerMillionInputTokens).toMatchObject({ unit: "USD per million input tokens", derived: false });
      expect(String((row.usdPerMillionInputTokens as { source: string }).source)).toMatch(
        /^token_prices\.csv line \d+/,
      );
    }
  });

  it("filters by provider name or slug, and with a model", async () => {
    const byName = await walk("/catalog/token-prices?provider=AWS%20Bedrock", 100);
    const bySlug = await walk("/catalog/token-prices?provider=aws-bedrock", 100);
    const expected = priceBook.tokenPrices.filter((price) => price.provider === "AWS Bedrock").map((price) => price.id);
    expect(byName.rows.map((row) => row.id).sort()).toEqual([...expected].sort());
    expect(bySlug.rows.map((row) => row.id).sort()).toEqual([...expected].sort());
    const one = await walk("/catalog/token-prices?provider=groq&model=gpt-oss-120b&status=current", 100);
    expect(one.rows.map((row) => row.id)).toEqual(["api:groq:gpt-oss-120b"]);
  });

  it("keeps the superseded history and the legacy id of a saved scenario's price", async () => {
    const { rows } = await walk("/catalog/token-prices?status=superseded", 100);
    expect(rows.length).toBe(priceBook.tokenPrices.filter((price) => price.status === "superseded").length);
    expect(rows.find((row) => row.legacyId === "deepseek-r1-openrouter")).toMatchObject({
      provider: "OpenRouter",
      model: "deepseek-r1",
    });
  });

  it("answers a bad filter with 400 naming it, and an unknown version with 404", async () => {
    const bad = await get("/catalog/token-prices?status=cheap");
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain("status");
    const unknown = await get("/catalog/token-prices?colour=red");
    expect(unknown.status).toBe(400);
    expect(JSON.stringify(await unknown.json())).toContain("colour");
    const missing = await get("/catalog/token-prices?version=1999.01.01");
    expect(missing.status).toBe(404);
  });
});

describe("POST /api/v1/evaluate buys tokens with no typed price", () => {
  it("prices an API option for every model any host serves, naming the offer, its date and source", async () => {
    const models = modelsWithApiOffers(priceBook);
    expect(models.length).toBeGreaterThanOrEqual(25);
    const scenario = {
      startMonth: "2027-01",
      horizonYears: 3,
      finance: { discountRatePerYear: 0.09 },
      workload: {
        model: "llama3.3-70b",
        inputTokensPerRequest: 1000,
        outputTokensPerRequest: 300,
        requestsPerDay: 100000,
      },
      options: models.map((model) => ({ kind: "api", id: `api-${model}`, model, select: "median" })),
    };
    const response = await send("POST", "/evaluate", scenario, undefined, { "CF-Connecting-IP": "198.51.100.14" });
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      options: { id: string; lcotUsdPerMillionTokens: number }[];
      usedFigures: { path: string; ref: string; source: string; asOf: string }[];
      notes: string[];
    };
    expect(body.options).toHaveLength(models.length);
    for (const [index, option] of body.options.entries()) {
      expect(option.lcotUsdPerMillionTokens, option.id).toBeGreaterThan(0);
      const input = body.usedFigures.find((figure) => figure.path === `options.${index}.usdPerMillionInputTokens`);
      expect(input?.ref, option.id).toMatch(
        new RegExp(`^token-price:api:[a-z0-9-]+:${models[index]!.replaceAll(".", "\\.")}$`),
      );
      expect(input?.source, option.id).toMatch(/^token_prices\.csv line \d+: /);
      expect(input?.asOf, option.id).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
    expect(body.notes.join("\n")).toMatch(/option api-llama3\.3-70b: buys Llama 3\.3 70B from .+ median of \d+ offers/);
    expect(body.notes.join("\n")).toMatch(
      /option api-claude-sonnet-4-5 serves a different model \(Claude Sonnet 4\.5\) from the workload's Llama 3\.3 70B/,
    );
  });
});
