import { describe, expect, it } from "vitest";
import { alignPaths, alignRows, planInputsInWords } from "./compare.ts";
import * as engine from "./engine.ts";
import { emptyPlan, type PlanInput } from "./plan.ts";

const names = {
  model: (key: string) => engine.book.models.find((model) => model.key === key)?.name ?? key,
  region: (code: string) => engine.book.regions.find((region) => region.code === code)?.name ?? code,
};

function scenarioOf(plan: PlanInput) {
  const computation = engine.computePlan(plan);
  expect(computation.fieldErrors).toEqual({});
  return computation.scenario!;
}

describe("Compare lines plans up", () => {
  it("puts the same input on one row and marks the ones that differ", () => {
    const first = engine.withCatalogDefaults(emptyPlan());
    first.values["workload.requestsPerDay"] = "976563";
    first.values["finance.discountRatePerYear"] = "9";
    const second = structuredClone(first);
    second.values["finance.discountRatePerYear"] = "12";
    const rows = alignRows([first, second].map((plan) => planInputsInWords(plan, scenarioOf(plan), names)));
    const byKey = new Map(rows.map((row) => [row.key, row]));
    expect(byKey.get("discount")).toMatchObject({ label: "Cost of capital", values: ["9%", "12%"], differs: true });
    expect(byKey.get("model")).toMatchObject({ values: ["Llama 3.3 70B", "Llama 3.3 70B"], differs: false });
    expect(byKey.get("region")?.values).toEqual(["Virginia, United States", "Virginia, United States"]);
    expect(byKey.get("volume")?.values[0]).toMatch(/^2 billion tokens a day \(976,563 requests\)$/);
    expect(rows.filter((row) => row.differs).map((row) => row.key)).toEqual(["discount"]);
  });

  it("aligns paths by id across plans, with a gap where a plan lacks one", () => {
    const a = [
      { id: "build-x", name: "Dell X", perMillion: "$0.10", presentValue: "$1M", paysBack: "2 years" },
      { id: "api-y", name: "OpenRouter Llama", perMillion: "$0.20", presentValue: "$2M", paysBack: "—" },
    ];
    const b = [{ id: "api-y", name: "OpenRouter Llama", perMillion: "$0.30", presentValue: "$3M", paysBack: "—" }];
    const sections = alignPaths([a, b]);
    expect(sections.map((section) => section.metric)).toEqual([
      "Cost per million tokens",
      "Present value of the cost",
      "Pays back",
    ]);
    expect(sections[0]?.rows).toEqual([
      { key: "build-x", label: "Dell X", values: ["$0.10", null], differs: true },
      { key: "api-y", label: "OpenRouter Llama", values: ["$0.20", "$0.30"], differs: true },
    ]);
    expect(sections[2]?.rows[1]).toEqual({
      key: "api-y",
      label: "OpenRouter Llama",
      values: ["—", "—"],
      differs: false,
    });
  });
});
