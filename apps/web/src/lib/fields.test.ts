import { describe, expect, it } from "vitest";
import { fieldDef, leftOutFields, messageInFieldUnits, parseFieldValue } from "./fields.ts";

describe("fields: typed text to scenario numbers", () => {
  it("parses numbers with separators, percent fields as fractions", () => {
    expect(parseFieldValue("10,000,000", {})).toBe(10_000_000);
    expect(parseFieldValue(" 60 ", { percent: true })).toBeCloseTo(0.6, 12);
    expect(parseFieldValue("-15%", { percent: true })).toBeCloseTo(-0.15, 12);
    expect(parseFieldValue("$0.08", {})).toBe(0.08);
    expect(parseFieldValue("1e3", {})).toBe(1000);
  });

  it("keeps what is not a number as text (the schema then names it) and empty as undefined", () => {
    expect(parseFieldValue("abc", {})).toBe("abc");
    expect(parseFieldValue("12abc", {})).toBe("12abc");
    expect(parseFieldValue("", {})).toBeUndefined();
    expect(parseFieldValue("   ", {})).toBeUndefined();
    expect(parseFieldValue(undefined, {})).toBeUndefined();
  });

  it("states schema bounds in plain words and in the unit the person typed", () => {
    expect(messageInFieldUnits("expected a number >= -0.99, got -1.5", { percent: true })).toBe(
      "Enter a number of at least −99 %; you typed −150 %",
    );
    expect(messageInFieldUnits('expected a number >= 0, got "abc"', { percent: true })).toBe(
      'Enter a number of at least 0 %; you typed "abc"',
    );
    expect(messageInFieldUnits("expected a number >= 1, got 0.5", {})).toBe(
      "Enter a number of at least 1; you typed 0.5",
    );
    // Cost of capital typed in %: the bounds of the fraction are said in %.
    expect(messageInFieldUnits("missing: expected a number between 0 and 1", { percent: true })).toBe(
      "Enter a number between 0 and 100 % (required)",
    );
    expect(messageInFieldUnits("expected a number > 0, got -975000", {})).toBe(
      "Enter a number above 0; you typed −975,000",
    );
    expect(messageInFieldUnits("unknown field", {})).toBe("unknown field");
  });

  it("knows every static field and builds per-option quote fields", () => {
    // Written expectations, not the table compared with itself.
    expect(fieldDef("workload.requestsPerDay")).toMatchObject({
      id: "workload.requestsPerDay",
      step: "workload",
      label: "Requests per day",
      unit: "requests per day",
    });
    expect(fieldDef("quote.server.dell-poweredge-xe9680")?.unit).toBe("USD per server");
    expect(fieldDef("api.custom.usdPerMillionOutputTokens")?.unit).toBe("USD per million output tokens");
    expect(fieldDef("nope")).toBeNull();
  });
});

describe("figures left out of the cost", () => {
  it("lists the empty sizing figures without a default, with what their absence means", () => {
    const left = leftOutFields({ "build.spareFraction": "5" }, (id) => id === "workload.peakToAverage");
    expect(left.map((item) => item.id)).toEqual([
      "workload.targetUtilization",
      "build.idlePowerFraction",
      "build.serversPerFte",
      "build.fteUsdPerYear",
    ]);
    expect(left[0]?.means).toBe("no headroom (100 % of capacity used at the peak)");
  });
});
