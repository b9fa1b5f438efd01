import { describe, expect, it } from "vitest";
import { applicableQuote, expiredQuote, quotedUnitPriceUsd } from "./quotes.ts";
import type { OrgQuote } from "./resolve.ts";

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

describe("quote rules shared by the resolver, the API and the web planner", () => {
  const quotes = [
    quote({ id: "qte_b", validUntil: "2027-06-30" }),
    quote({ id: "qte_a", validUntil: "2027-06-30" }),
    quote({ id: "qte_c", validUntil: "2026-12-31" }),
    quote({ id: "qte_d", target: { kind: "offer", id: "dell-xe9680" }, validUntil: "2030-01-01" }),
  ];

  it("picks the latest-expiring quote still valid on the date, ties by id", () => {
    expect(applicableQuote(quotes, "sku", "dell-xe9680", "2026-12-01")?.id).toBe("qte_a");
    expect(applicableQuote(quotes, "sku", "dell-xe9680", "2027-06-30")?.id).toBe("qte_a");
    expect(applicableQuote(quotes, "sku", "dell-xe9680", "2027-07-01")).toBeNull();
    expect(applicableQuote(quotes, "sku", "other", "2026-12-01")).toBeNull();
  });

  it("names the latest expired quote only when none applies on the date", () => {
    expect(expiredQuote(quotes, "sku", "dell-xe9680", "2026-12-01")).toBeNull();
    expect(expiredQuote(quotes, "sku", "dell-xe9680", "2027-07-01")?.id).toBe("qte_a");
    expect(expiredQuote(quotes, "offer", "dell-xe9680", "2030-01-02")?.id).toBe("qte_d");
    expect(expiredQuote(quotes, "sku", "other", "2030-01-02")).toBeNull();
  });

  it("computes the effective price: quoted or public price, less the discount", () => {
    expect(quotedUnitPriceUsd({ unitPriceUsd: 265000, discount: 0.05 }, 289000)).toBeCloseTo(251750, 6);
    expect(quotedUnitPriceUsd({ unitPriceUsd: null, discount: 0.1 }, 289000)).toBeCloseTo(260100, 6);
    expect(quotedUnitPriceUsd({ unitPriceUsd: null, discount: 0.1 }, null)).toBeNull();
  });
});
