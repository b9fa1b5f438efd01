import { describe, expect, it } from "vitest";
import {
  formatAsOf,
  formatFieldValue,
  formatGramsCo2,
  formatMonths,
  formatNumber,
  formatPercent,
  formatPlanMonth,
  formatPowerKw,
  formatPriceAge,
  formatUsd,
  formatUsdCompact,
  formatUsdPerMillionTokens,
} from "./format.ts";

describe("format: the only place numbers become strings", () => {
  it("formats dollars with thousands separators, cents only below $100", () => {
    expect(formatUsd(42927003.42)).toBe("$42,927,003");
    expect(formatUsd(2.1299)).toBe("$2.13");
    expect(formatUsd(-1500)).toBe("-$1,500");
    expect(formatUsdCompact(42927003.42)).toBe("$42.9 million");
    expect(formatUsdCompact(-11870736)).toBe("−$11.9 million");
    expect(formatUsdCompact(1.2e9)).toBe("$1.2 billion");
  });

  it("gives cost per million tokens 2–3 significant digits", () => {
    expect(formatUsdPerMillionTokens(0.3972587076816427)).toBe("$0.397");
    expect(formatUsdPerMillionTokens(0.0836)).toBe("$0.0836");
    expect(formatUsdPerMillionTokens(12.34)).toBe("$12");
    expect(formatUsdPerMillionTokens(5.4)).toBe("$5.4");
  });

  it("formats fractions as percentages and months in words", () => {
    expect(formatPercent(0.22)).toBe("22%");
    expect(formatPercent(-0.15)).toBe("−15%");
    expect(formatPercent(0.7939, 0)).toBe("79%");
    expect(formatMonths(27)).toBe("2 years 3 months");
    expect(formatMonths(12)).toBe("1 year");
    expect(formatMonths(1)).toBe("1 month");
    expect(formatMonths(0)).toBe("0 months");
    expect(formatMonths(null)).toBe("never");
  });

  it("never prints NaN: missing or non-finite values are a dash", () => {
    for (const format of [formatUsd, formatUsdCompact, formatUsdPerMillionTokens, formatPercent, formatNumber]) {
      expect(format(Number.NaN)).toBe("—");
      expect(format(null)).toBe("—");
      expect(format(Infinity)).toBe("—");
    }
    expect(formatMonths(Number.NaN)).toBe("—");
  });

  it("formats power, CO2, dates and field values", () => {
    expect(formatPowerKw(850)).toBe("850 kW");
    expect(formatPowerKw(2000)).toBe("2 MW");
    expect(formatGramsCo2(4.686)).toBe("4.69 g CO₂");
    expect(formatPlanMonth("2027-01", 14)).toBe("Mar 2028");
    expect(formatAsOf("2024")).toBe("2024");
    expect(formatAsOf("2025-09")).toBe("Sep 2025");
    expect(formatAsOf("2026-10-10")).toBe("10 Oct 2026");
    expect(formatFieldValue(27.560000000000002)).toBe("27.56");
    expect(formatFieldValue(null)).toBe("");
  });

  it("says a price's age in plain words", () => {
    expect(formatPriceAge("2026-10-10")).toBe("price from Oct 2026");
    expect(formatPriceAge("2026-04")).toBe("price from Apr 2026");
    expect(formatPriceAge("2025")).toBe("price from 2025");
    expect(formatPriceAge(null)).toBe("");
  });
});
