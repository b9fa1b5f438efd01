import { modelsWithApiOffers, priceBook } from "@aifp/catalog";
import { describe, expect, it } from "vitest";
import {
  apiOffer,
  computePlan,
  evaluateWithWhatIf,
  frontierApiChoices,
  tokenApisForModel,
  tokenPriceChoices,
  withCatalogDefaults,
} from "./engine.ts";
import { emptyPlan, NO_WHAT_IF, type PlanInput } from "./plan.ts";

/** A plan with only token paths: no server, no cloud offer, no typed price. */
function apiOnlyPlan(model: string | null): PlanInput {
  const plan = withCatalogDefaults(emptyPlan());
  if (model !== null) plan.model = model;
  plan.servers = [];
  plan.cloudOffers = [];
  plan.tokenApis = [];
  plan.values["workload.requestsPerDay"] = "2000000";
  plan.values["finance.discountRatePerYear"] = "9";
  return plan;
}

/** Resolve and evaluate a plan the way the wizard's results page does; fails on any error. */
function evaluatePlan(plan: PlanInput) {
  const computation = computePlan(plan);
  expect(computation.fieldErrors, plan.model).toEqual({});
  expect(computation.generalErrors, plan.model).toEqual([]);
  expect(computation.scenario, plan.model).not.toBeNull();
  const evaluation = evaluateWithWhatIf(computation.scenario!, NO_WHAT_IF);
  if (!evaluation.ok) throw new Error(`${plan.model}: ${evaluation.messages.join("; ")}`);
  return { computation, result: evaluation.result };
}

describe("the wizard buys tokens with no typed price", () => {
  const openModels = new Set(priceBook.models.map((model) => model.key));
  const served = modelsWithApiOffers(priceBook);

  it("for every open model any host serves: the model's offers, chosen by default, priced", () => {
    const open = served.filter((key) => openModels.has(key));
    expect(open.length).toBeGreaterThanOrEqual(20);
    for (const model of open) {
      const plan = apiOnlyPlan(model);
      plan.tokenApis = tokenApisForModel(plan);
      expect(plan.tokenApis.length, model).toBeGreaterThan(0);
      // The cheapest offer for the plan's mix comes first.
      expect(plan.tokenApis[0]).toBe(tokenPriceChoices(plan)[0]?.id);
      const { computation, result } = evaluatePlan(plan);
      expect(result.options).toHaveLength(plan.tokenApis.length);
      for (const option of result.options) expect(option.lcotUsdPerMillionTokens, model).toBeGreaterThan(0);
      expect(computation.apiOffers).toHaveLength(plan.tokenApis.length);
      for (const offer of computation.apiOffers) {
        expect(offer.differentModel, model).toBe(false);
        expect(offer.source, model).toMatch(/^token_prices\.csv line \d+: /);
        expect(offer.asOf, model).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      }
    }
  });

  it("for every closed model: a frontier offer priced, and said to be a different model", () => {
    const closed = served.filter((key) => !openModels.has(key));
    expect(closed.length).toBeGreaterThanOrEqual(5);
    const base = apiOnlyPlan(null);
    const groups = frontierApiChoices(base);
    for (const model of closed) {
      const offers = groups.find((group) => group.model === model)?.offers ?? [];
      expect(offers.length, model).toBeGreaterThan(0);
      const plan = { ...base, tokenApis: [offers[0]!.id] };
      const { computation } = evaluatePlan(plan);
      expect(computation.apiOffers[0]).toMatchObject({ differentModel: true, provider: offers[0]!.provider });
      expect(computation.apiOffers[0]?.workloadModelName).not.toBeNull();
    }
  });

  it("swaps in the new model's offers when the model changes, keeping frontier comparisons", () => {
    const plan = apiOnlyPlan("llama3.3-70b");
    const frontier = frontierApiChoices(plan)[0]?.offers[0]?.id;
    expect(frontier).toBeDefined();
    plan.tokenApis = [...tokenApisForModel(plan), frontier!];
    plan.model = "gpt-oss-120b";
    const next = tokenApisForModel(plan);
    expect(next).toContain(frontier);
    for (const id of next.filter((item) => item !== frontier)) expect(apiOffer(id)?.model).toBe("gpt-oss-120b");
    expect(next.some((id) => apiOffer(id)?.model === "llama3.3-70b")).toBe(false);
  });
});
