import type { OrgQuote } from "@aifp/catalog";
import { describe, expect, it } from "vitest";
import { ApiRequestError } from "./api.ts";
import { book, buildOptionId, computePlan, evaluateWithWhatIf, fieldDefault, withCatalogDefaults } from "./engine.ts";
import { serverQuoteId } from "./fields.ts";
import {
  changedFields,
  formOfQuote,
  isExpired,
  orgQuoteProvenance,
  parseQuoteForm,
  quoteApiErrors,
  todayUtc,
  toOrgQuote,
  type Quote,
  type QuoteForm,
} from "./org-quotes.ts";
import { emptyPlan, NO_WHAT_IF, type PlanInput } from "./plan.ts";
import { summarise } from "./results.ts";

const quote = (overrides: Partial<OrgQuote> = {}): OrgQuote => ({
  id: "qte_a",
  orgId: "org_1",
  target: { kind: "sku", id: "dell-xe9680" },
  unitPriceUsd: 265000,
  discount: 0.05,
  validUntil: "2027-03-31",
  note: "Dell quote Q-1234",
  ...overrides,
});

const apiQuote: Quote = {
  id: "qte_a",
  targetKind: "sku",
  targetId: "dell-xe9680",
  targetName: "Dell PowerEdge XE9680",
  unit: "USD per server",
  unitPriceUsd: 265000,
  discount: 0.05,
  effectiveUnitPriceUsd: 251750,
  publicUnitPriceUsd: 289000,
  publicPriceBookVersion: "2026.11.22",
  validUntil: "2027-03-31",
  note: "Dell quote Q-1234",
  version: 3,
  createdAt: "2026-11-01T00:00:00.000Z",
  updatedAt: "2026-11-02T00:00:00.000Z",
};

const form = (overrides: Partial<QuoteForm> = {}): QuoteForm => ({
  targetKind: "sku",
  targetId: "dell-xe9680",
  unitPrice: "",
  discountPercent: "",
  validUntil: "2027-03-31",
  note: "",
  ...overrides,
});

describe("org quotes: which quote applies, and how its source reads", () => {
  it("names the source in plain words: the organisation's quote, its note and its last day", () => {
    const provenance = orgQuoteProvenance(quote(), 289000);
    expect(provenance.source).toBe("Your organisation's quote (Dell quote Q-1234), valid until 31 Mar 2027");
    expect(provenance.method).toBe("quoted price $265,000 less a 5% discount");
    const onPublic = orgQuoteProvenance(
      quote({ unitPriceUsd: null, discount: 0.1, note: null, target: { kind: "offer", id: "x" } }),
      98.32,
    );
    expect(onPublic.source).toBe("Your organisation's quote, valid until 31 Mar 2027");
    expect(onPublic.method).toBe("public price $98.32 per hour less a 10% discount");
    expect(orgQuoteProvenance(quote({ discount: 0 }), 289000).method).toBeNull();
  });

  it("tells expired from valid by UTC day, and maps an API quote to the resolver's record", () => {
    expect(todayUtc(new Date("2027-03-31T23:59:59Z"))).toBe("2027-03-31");
    expect(isExpired({ validUntil: "2027-03-31" }, "2027-03-31")).toBe(false);
    expect(isExpired({ validUntil: "2027-03-31" }, "2027-04-01")).toBe(true);
    expect(toOrgQuote(apiQuote, "org_9")).toEqual(quote({ orgId: "org_9" }));
  });
});

describe("org quotes: the add / change form", () => {
  it("turns typed text into the API body: % becomes a fraction, separators are accepted, empty means none", () => {
    const parsed = parseQuoteForm(
      form({ unitPrice: "$265,000", discountPercent: "5.1", note: "  Dell quote Q-1234 " }),
    );
    expect(parsed).toEqual({
      ok: true,
      draft: {
        targetKind: "sku",
        targetId: "dell-xe9680",
        unitPriceUsd: 265000,
        discount: 0.051,
        validUntil: "2027-03-31",
        note: "Dell quote Q-1234",
      },
    });
    const bare = parseQuoteForm(form({ discountPercent: "10" }));
    expect(bare.ok && bare.draft.unitPriceUsd).toBeNull();
    expect(bare.ok && bare.draft.note).toBeNull();
  });

  it("names each field the browser itself cannot send, and leaves ranges to the API", () => {
    const parsed = parseQuoteForm(
      form({ targetId: "", unitPrice: "lots", discountPercent: "five", validUntil: "", targetKind: "offer" }),
    );
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors.targetId).toBe("Choose the cloud offer this quote is for.");
    expect(parsed.errors.unitPriceUsd).toMatch(/“lots” is not a number/);
    expect(parsed.errors.discount).toMatch(/“five” is not a number/);
    expect(parsed.errors.validUntil).toMatch(/last day/);
    // A discount of 150 % is the API's to refuse (one copy of the rules).
    expect(parseQuoteForm(form({ discountPercent: "150" })).ok).toBe(true);
  });

  it("round-trips a quote through the form and sends only what changed", () => {
    const filled = formOfQuote(apiQuote);
    expect(filled.discountPercent).toBe("5");
    const parsed = parseQuoteForm(filled);
    expect(parsed.ok && changedFields(apiQuote, parsed.draft)).toEqual({});
    const edited = parseQuoteForm({ ...filled, note: "Dell quote Q-1235", discountPercent: "" });
    expect(edited.ok && changedFields(apiQuote, edited.draft)).toEqual({ note: "Dell quote Q-1235", discount: 0 });
  });

  it("puts the API's field errors next to the fields, the discount restated in %", () => {
    const error = new ApiRequestError(400, {
      error: {
        code: "validation_failed",
        message: "The quote is invalid.",
        requestId: "req_1",
        issues: [
          { path: "discount", message: "expected a fraction 0 <= discount < 1 (0.05 is 5 % off)" },
          { path: "validUntil", message: "expected a date not before 2026-11-22" },
          { path: "", message: "give unitPriceUsd or a discount" },
        ],
      },
    });
    const mapped = quoteApiErrors(error);
    expect(mapped.fields.discount).toBe("expected a percentage from 0 % up to, not including, 100 %");
    expect(mapped.fields.validUntil).toBe("expected a date not before 2026-11-22");
    expect(mapped.other).toEqual(["give unitPriceUsd or a discount"]);
    expect(quoteApiErrors(new Error("offline"))).toEqual({ fields: {}, other: [] });
  });
});

describe("org quotes in the planner engine", () => {
  function completePlan(): PlanInput {
    const plan = withCatalogDefaults(emptyPlan());
    plan.values["workload.requestsPerDay"] = "10000000";
    plan.values["finance.discountRatePerYear"] = "9";
    plan.values.startMonth = "2027-01";
    return plan;
  }
  const plan = completePlan();
  const skuId = plan.servers[0] ?? "";
  const publicPriceUsd = book.servers.find((item) => item.id === skuId)?.priceUsd?.value ?? 0;
  const orgQuote = quote({ id: "qte_e2e", target: { kind: "sku", id: skuId }, unitPriceUsd: null, discount: 0.2 });
  const npvOf = (computation: ReturnType<typeof computePlan>): number => {
    const evaluation = evaluateWithWhatIf(computation.scenario!, NO_WHAT_IF);
    if (!evaluation.ok) throw new Error(evaluation.messages.join("; "));
    const row = summarise(evaluation.result, evaluation.scenario, computation.labels).rows.find(
      (item) => item.id === buildOptionId(skuId),
    );
    return row?.npvCostUsd ?? Number.NaN;
  };

  it("the default shortlist has a priced server to quote", () => {
    expect(skuId).not.toBe("");
    expect(publicPriceUsd).toBeGreaterThan(0);
  });

  it("applies a valid quote: the server price, its source in the assumptions, and a lower cost", () => {
    const anonymous = computePlan(plan);
    const quoted = computePlan(plan, [orgQuote]);
    expect(quoted.fieldErrors).toEqual({});
    const optionIndex = quoted.scenario!.options.findIndex((option) => option.id === buildOptionId(skuId));
    const option = quoted.scenario!.options[optionIndex];
    expect(option?.kind === "build" && option.priceUsd).toBeCloseTo(publicPriceUsd * 0.8, 6);
    const row = quoted.assumptions.find(
      (item) => item.optionId === buildOptionId(skuId) && item.fieldId === serverQuoteId(skuId),
    );
    expect(row?.origin).toBe("quote");
    expect(row?.provenance.source).toBe("Your organisation's quote (Dell quote Q-1234), valid until 31 Mar 2027");
    expect(row?.value).toBeCloseTo(publicPriceUsd * 0.8, 6);
    expect(npvOf(quoted)).toBeLessThan(npvOf(anonymous));

    const shown = fieldDefault(serverQuoteId(skuId), plan, [orgQuote]);
    expect(shown?.fromOrgQuote).toBe(true);
    expect(shown?.value).toBeCloseTo(publicPriceUsd * 0.8, 6);
    expect(shown?.provenance.source).toMatch(/^Your organisation's quote/);
    expect(fieldDefault(serverQuoteId(skuId), plan)?.value).toBe(publicPriceUsd);
  });

  it("insurance typed as % of the server price is a share of the quoted price", () => {
    const insured = structuredClone(plan);
    insured.values["build.insurancePerYear"] = "1";
    const option = computePlan(insured, [orgQuote]).scenario!.options.find((item) => item.id === buildOptionId(skuId));
    expect(option?.kind === "build" && option.otherUsdPerServerYear).toBeCloseTo(0.01 * publicPriceUsd * 0.8, 6);
  });

  it("a price typed into the planner still wins over the organisation's quote", () => {
    const typed = structuredClone(plan);
    typed.values[serverQuoteId(skuId)] = "123456";
    const computation = computePlan(typed, [orgQuote]);
    const option = computation.scenario!.options.find((item) => item.id === buildOptionId(skuId));
    expect(option?.kind === "build" && option.priceUsd).toBe(123456);
    // Even an organisation quote that never expires does not displace a typed price.
    const forever = computePlan(typed, [{ ...orgQuote, id: "qte_0", validUntil: "9999-12-31" }]);
    const same = forever.scenario!.options.find((item) => item.id === buildOptionId(skuId));
    expect(same?.kind === "build" && same.priceUsd).toBe(123456);
  });

  it("a quote that expires before the plan starts is not used, and the page says so in plain words", () => {
    const early = { ...orgQuote, validUntil: "2026-12-31" };
    const computation = computePlan(plan, [early]);
    const option = computation.scenario!.options.find((item) => item.id === buildOptionId(skuId));
    expect(option?.kind === "build" && option.priceUsd).toBe(publicPriceUsd);
    expect(fieldDefault(serverQuoteId(skuId), plan, [early])?.fromOrgQuote).toBeUndefined();
    // The resolver notes the expired quote; the planner restates it for people.
    expect(computation.notes.filter((item) => item.includes("Dell quote Q-1234"))).toEqual([
      expect.stringMatching(
        /^Your organisation's quote for .+ \(Dell quote Q-1234\) is valid until 31 Dec 2026, before this plan starts \(Jan 2027\): the public price is used\.$/,
      ),
    ]);
  });
});
