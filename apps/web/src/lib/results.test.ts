import type { MonteCarloResult } from "@aifp/kernel";
import { describe, expect, it } from "vitest";
import { computePlan, evaluateWithWhatIf, withCatalogDefaults } from "./engine.ts";
import { emptyPlan, NO_WHAT_IF } from "./plan.ts";
import { monthlyCash, riskSentence, summarise } from "./results.ts";

/** The CFO's plan (issue 18): Llama 3.3 70B, 30 % growth a year, 9 % cost of capital, 5 years. */
function cfo(requestsPerDay: string, tokenApis?: string[]) {
  const plan = withCatalogDefaults({ ...emptyPlan(), model: "llama3.3-70b" });
  plan.values["workload.requestsPerDay"] = requestsPerDay;
  plan.values["workload.growthPerYear"] = "30";
  plan.values["finance.discountRatePerYear"] = "9";
  if (tokenApis) plan.tokenApis = tokenApis;
  const computation = computePlan(plan);
  if (!computation.scenario) throw new Error(JSON.stringify(computation.fieldErrors));
  const evaluation = evaluateWithWhatIf(computation.scenario, NO_WHAT_IF);
  if (!evaluation.ok) throw new Error(evaluation.messages.join("; "));
  return { computation, evaluation, summary: summarise(evaluation.result, evaluation.scenario, computation.labels) };
}

describe("the answer in one sentence (issue 18 item 6)", () => {
  it("names the decision, the saving in dollars against the next path and the payback of building", () => {
    const { summary } = cfo("976563");
    const cheapest = summary.rows[0]!;
    const rival = summary.rows.find((row) => row.kind !== cheapest.kind)!;
    expect(summary.headline).toMatch(/^Buying tokens from the .+ API costs \$[\d.]+ per million tokens over 5 years, /);
    // The saving is the present-value difference, in dollars, against a path named by product.
    const saving = rival.npvCostUsd - cheapest.npvCostUsd;
    expect(saving).toBeGreaterThan(0);
    // The next path is whichever kind comes next on this price book (a lease or a build): named by product.
    const rivalAsObject = rival.kind === "build" ? "building with" : "leasing";
    expect(summary.headline).toContain(`less in present value than ${rivalAsObject} ${rival.label.name}`);
    expect(summary.headline).toMatch(/; building never pays back against it within 5 years\.$/);
  });

  it("for a build answer: the saving against the named baseline and its payback with IRR", () => {
    const { summary } = cfo("20000000");
    const cheapest = summary.rows[0]!;
    expect(cheapest.kind).toBe("build");
    const baseline = summary.rows.find((row) => row.id === summary.baselineId)!;
    expect(summary.headline).toContain(
      `less in present value than buying tokens from the ${baseline.label.name}, the cheapest way not to build; it pays back against ${baseline.label.name} in `,
    );
    expect(summary.headline).toMatch(/\(IRR \d+%\)\.$/);
  });

  it("says when an API row buys another model, in the row label and the headline", () => {
    const { summary } = cfo("976563", ["api:anthropic:claude-sonnet-4-5"]);
    const api = summary.rows.find((row) => row.kind === "api")!;
    expect(api.label.otherModel).toEqual({ serves: "Claude Sonnet 4.5", plan: "Llama 3.3 70B" });
    // No like-for-like API: the lease is cheapest, and the API named next to it says it is another model.
    const lease = summary.rows[0]!;
    if (summary.rows.find((row) => row.kind !== lease.kind)?.id === api.id)
      expect(summary.headline).toContain("a different model (Claude Sonnet 4.5, not your Llama 3.3 70B)");
    const { summary: own } = cfo("976563");
    for (const row of own.rows) expect(row.label.otherModel).toBeUndefined();
  });

  it("is never more certain than the Monte Carlo: a minority share is said first", () => {
    const { summary, computation } = cfo("20000000");
    const cheapestId = summary.cheapestId;
    const other = summary.rows.find((row) => row.kind !== "build")!;
    const lease = summary.rows.find((row) => row.kind === "lease")!;
    const risk: Pick<
      MonteCarloResult,
      "samples" | "failedSamples" | "lcotUsdPerMillionTokens" | "probabilityCheapest" | "comparison"
    > = {
      samples: 1000,
      failedSamples: 0,
      lcotUsdPerMillionTokens: { [cheapestId]: { p10: 0.05, p50: 0.07, p90: 0.12, mean: 0.08 } },
      probabilityCheapest: { [cheapestId]: 0.41, [other.id]: 0.59 },
      comparison: {
        buildId: cheapestId,
        leaseId: lease.id,
        npvSavingsUsd: { p10: -1, p50: 1, p90: 2, mean: 1 },
        paybackMonths: { p10: 12, p50: 26, p90: null, neverShare: 0.46 },
        probabilityBuildBeatsLease: 0.6,
      },
    };
    const sentence = riskSentence(summary, risk, computation.labels)!;
    expect(sentence).toMatch(/^Not a sure answer: across 1,000 simulated futures .+ is the cheapest in only 41%/);
    expect(sentence).toContain(`(${other.label.name} in 59%)`);
    expect(sentence).toContain("$0.05 to $0.12 per million tokens (P10–P90)");
    expect(sentence).toContain(`never pays back against leasing ${lease.label.name} in 46% of them.`);
    const sure = riskSentence(
      summary,
      { ...risk, probabilityCheapest: { [cheapestId]: 0.8 }, comparison: null },
      computation.labels,
    );
    expect(sure).toBe(
      "Across 1,000 simulated futures its cost runs from $0.05 to $0.12 per million tokens (P10–P90), and it is the cheapest in 80% of them.",
    );
  });

  it("gives the first year's cash and a monthly table that adds up to the total cost", () => {
    const { summary, evaluation, computation } = cfo("20000000");
    const table = monthlyCash(evaluation.result, computation.labels);
    expect(table.months).toHaveLength(60);
    expect(table.ids[0]).toBe(summary.cheapestId);
    for (const [index, id] of table.ids.entries()) {
      const row = summary.rows.find((item) => item.id === id)!;
      const firstYear = table.months.slice(0, 12).reduce((sum, month) => sum + (month.usd[index] ?? 0), 0);
      expect(row.firstYearCashUsd).toBeCloseTo(firstYear, 6);
    }
    // Building pays for servers up front: more cash in its first month than the API's. (Over
    // the whole first year it depends on the price book's throughput: more tokens per GPU, fewer
    // servers to buy.)
    const build = summary.rows.find((row) => row.kind === "build")!;
    const api = summary.rows.find((row) => row.kind === "api")!;
    const firstMonth = (id: string) => table.months[0]!.usd[table.ids.indexOf(id)] ?? 0;
    expect(firstMonth(build.id)).toBeGreaterThan(firstMonth(api.id));
    expect(build.firstYearCashUsd).toBeGreaterThan(0);
  });
});
