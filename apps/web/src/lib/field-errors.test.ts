import { describe, expect, it } from "vitest";
import { computePlan, withCatalogDefaults } from "./engine.ts";
import { emptyPlan, type PlanInput } from "./plan.ts";
import { DAYS_PER_MONTH, volumeEcho } from "./volume.ts";

function completePlan(): PlanInput {
  const plan = withCatalogDefaults(emptyPlan());
  plan.values["workload.requestsPerDay"] = "10000000";
  plan.values["finance.discountRatePerYear"] = "9";
  return plan;
}

function requestsOf(plan: PlanInput): number | undefined {
  return computePlan(plan).scenario?.workload.requestsPerDay;
}

describe("errors on the field that can fix them, in the units typed (issue 18 item 5)", () => {
  it("reports a prompt length of 0 on that field, once, not per server", () => {
    const plan = completePlan();
    plan.values["workload.inputTokensPerRequest"] = "0";
    const computation = computePlan(plan);
    expect(computation.fieldErrors).toEqual({
      "workload.inputTokensPerRequest": ["Enter a whole number of tokens of at least 1; you typed 0"],
    });
  });

  it("puts negative or missing users on Users, in the number typed", () => {
    const plan = completePlan();
    plan.volumeMode = "users";
    plan.values["volume.users"] = "-5000";
    plan.values["volume.requestsPerUserPerDay"] = "195";
    expect(computePlan(plan).fieldErrors).toEqual({ "volume.users": ["Enter a number above 0; you typed −5,000"] });
    plan.values["volume.users"] = "";
    expect(computePlan(plan).fieldErrors).toEqual({ "volume.users": ["Enter a number above 0 (required)"] });
    plan.values["volume.users"] = "5000";
    plan.values["volume.requestsPerUserPerDay"] = "-2";
    expect(computePlan(plan).fieldErrors).toEqual({
      "volume.requestsPerUserPerDay": ["Enter a number above 0; you typed −2"],
    });
  });

  it("cost of capital typed in % states its bounds in %, and a missing one is asked for", () => {
    const plan = completePlan();
    plan.values["finance.discountRatePerYear"] = "150";
    expect(computePlan(plan).fieldErrors["finance.discountRatePerYear"]?.[0]).toMatch(/100 %; you typed 150 %$/);
  });

  it("asks 'did you mean…?' for a volume beyond the largest published deployment", () => {
    const plan = completePlan();
    plan.values["workload.requestsPerDay"] = "1e30";
    const computation = computePlan(plan);
    expect(computation.scenario).toBeNull();
    const [message] = computation.fieldErrors["workload.requestsPerDay"] ?? [];
    expect(message).toMatch(/^1 × 10\^30 requests per day means .* tokens a day: more than Google handles/);
    expect(message).toMatch(/Did you mean 1,000,000\?$/);
    // A large but real volume (2 billion tokens a day) passes.
    plan.values["workload.requestsPerDay"] = "976563";
    expect(computePlan(plan).fieldErrors).toEqual({});
  });
});

describe("volume the way people know it (issue 18 item 3)", () => {
  it("turns tokens a day or a month into the same requests per day, and back", () => {
    const plan = completePlan();
    const perRequest = 1024 + 1024; // the chat preset
    plan.volumeMode = "tokensPerDay";
    plan.values["volume.tokensPerDay"] = "2,000,000,000";
    const fromDay = requestsOf(plan);
    expect(fromDay).toBeCloseTo(2e9 / perRequest, 6);
    plan.volumeMode = "tokensPerMonth";
    plan.values["volume.tokensPerMonth"] = String(2e9 * DAYS_PER_MONTH);
    expect(requestsOf(plan)).toBeCloseTo(fromDay ?? 0, 6);
    // Both ways: requests per day echo the tokens they mean.
    expect(volumeEcho(fromDay ?? 0, 1024, 1024, 1)).toMatch(
      /^≈ 2 billion tokens a day \(60\.9 billion a month\), 976,563 requests a day, 11\.3 requests a second on average$/,
    );
    expect(volumeEcho(fromDay ?? 0, 1024, 1024, 2)).toMatch(/, 22\.6 at the busiest hour$/);
  });

  it("turns today's API bill at a named price into requests per day", () => {
    const plan = completePlan();
    plan.volumeMode = "spend";
    plan.values["volume.apiSpendUsdPerMonth"] = "30,000";
    plan.values["volume.spendUsdPerMillionInput"] = "1";
    plan.values["volume.spendUsdPerMillionOutput"] = "4";
    // One request: 1,024 × $1 + 1,024 × $4 per million = $0.00512.
    expect(requestsOf(plan)).toBeCloseTo(30_000 / DAYS_PER_MONTH / 0.00512, 6);
    plan.values["volume.spendUsdPerMillionOutput"] = "";
    expect(Object.keys(computePlan(plan).fieldErrors)).toEqual(["volume.spendUsdPerMillionOutput"]);
  });

  it("opens the chat assistant on a 70B-class chat model", () => {
    expect(withCatalogDefaults(emptyPlan()).model).toBe("llama3.3-70b");
  });
});

describe("a slip shows while other fields are still empty", () => {
  it("asks 'did you mean…?' before the cost of capital is typed", () => {
    const plan = withCatalogDefaults(emptyPlan());
    plan.values["workload.requestsPerDay"] = "1e30";
    const errors = computePlan(plan).fieldErrors;
    expect(errors["workload.requestsPerDay"]?.[0]).toMatch(/Did you mean/);
    expect(errors["finance.discountRatePerYear"]?.[0]).toMatch(/required/);
  });
});
