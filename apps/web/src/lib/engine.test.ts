import { priceBook } from "@aifp/catalog";
import { describe, expect, it } from "vitest";
import {
  catalogHasSpeed,
  computePlan,
  evaluateWithWhatIf,
  fieldDefault,
  offerChoices,
  serverChoices,
  withCatalogDefaults,
} from "./engine.ts";
import { optionSpeedId } from "./fields.ts";
import { emptyPlan, NO_WHAT_IF } from "./plan.ts";
import { summarise } from "./results.ts";

function completePlan() {
  const plan = withCatalogDefaults(emptyPlan());
  plan.values["workload.requestsPerDay"] = "10000000";
  plan.values["finance.discountRatePerYear"] = "9";
  return plan;
}

/**
 * The default plan with the first NVIDIA cloud offer the wizard lists shortlisted first: which
 * leases the defaults pick follows the throughput model (they may all be AMD), while the
 * lease-term and NVIDIA-software rules below need an NVIDIA lease to check.
 */
function completePlanWithNvidiaLease() {
  const plan = completePlan();
  const vendorOf = (accelerator: string) => priceBook.accelerators.find((item) => item.key === accelerator)?.vendor;
  const nvidia = offerChoices(plan).find(
    (choice) => vendorOf(choice.offer.accelerator) === "NVIDIA" && choice.usdPerGpuHourPerTokenPerSecond !== null,
  );
  if (nvidia) plan.cloudOffers = [nvidia.offer.id, ...plan.cloudOffers.filter((id) => id !== nvidia.offer.id)];
  return plan;
}

describe("engine: plan → shared schema → catalog resolver → kernel", () => {
  it("preselects a model, a region and build, lease and API paths from the catalog", () => {
    const plan = withCatalogDefaults(emptyPlan());
    expect(plan.model).not.toBe("");
    expect(plan.region).toBe("US-VA");
    expect(plan.servers.length).toBeGreaterThan(0);
    expect(plan.cloudOffers.length).toBeGreaterThan(0);
  });

  it("asks for what the catalog cannot know, naming the fields in plain words", () => {
    const computation = computePlan(withCatalogDefaults(emptyPlan()));
    expect(computation.scenario).toBeNull();
    expect(computation.fieldErrors["workload.requestsPerDay"]?.[0]).toMatch(/\(required\)$/);
    expect(computation.fieldErrors["finance.discountRatePerYear"]?.[0]).toBe(
      "Enter a number between 0 and 100 % (required)",
    );
  });

  it("puts a schema error on the field that was typed, in the field's units", () => {
    const plan = completePlan();
    plan.values["workload.requestsPerDay"] = "abc";
    plan.values["workload.growthPerYear"] = "-150";
    const computation = computePlan(plan);
    expect(computation.fieldErrors["workload.requestsPerDay"]?.[0]).toMatch(/you typed "abc"/);
    expect(computation.fieldErrors["workload.growthPerYear"]?.[0]).toMatch(/%/);
  });

  it("computes a result whose headline names the cheapest path with a number, every default cited", () => {
    const computation = computePlan(completePlan());
    expect(computation.fieldErrors).toEqual({});
    expect(computation.scenario).not.toBeNull();
    const scenario = computation.scenario!;
    const evaluation = evaluateWithWhatIf(scenario, NO_WHAT_IF);
    if (!evaluation.ok) throw new Error(evaluation.messages.join("; "));
    const summary = summarise(evaluation.result, evaluation.scenario, computation.labels);
    expect(summary.headline).toMatch(/costs \$[\d.]+ per million tokens over 5 years/);
    for (const assumption of computation.assumptions) {
      expect(assumption.provenance.source.length).toBeGreaterThan(0);
      expect(Number.isFinite(assumption.value)).toBe(true);
    }
    expect(computation.assumptions.some((item) => item.origin === "throughput")).toBe(true);
  });

  it("applies what-ifs to the resolved scenario: more volume costs more in total", () => {
    const scenario = computePlan(completePlan()).scenario!;
    const base = evaluateWithWhatIf(scenario, NO_WHAT_IF);
    const more = evaluateWithWhatIf(scenario, { ...NO_WHAT_IF, volumeFactor: 2 });
    if (!base.ok || !more.ok) throw new Error("evaluation failed");
    for (const [index, option] of base.result.options.entries()) {
      expect(more.result.options[index]!.tcoUsd).toBeGreaterThan(option.tcoUsd);
    }
    expect(scenario.workload.requestsPerDay).toBe(10_000_000);
  });

  it("typed quotes override the catalog price and are listed as quotes", () => {
    const plan = completePlan();
    const sku = plan.servers[0]!;
    plan.values[`quote.server.${sku}`] = "123456";
    const computation = computePlan(plan);
    const option = computation.scenario!.options.find((item) => item.id === `build-${sku}`);
    expect(option && option.kind === "build" ? option.priceUsd : null).toBe(123456);
    expect(computation.assumptions.some((item) => item.origin === "quote" && item.value === 123456)).toBe(true);
  });

  it("shows catalog defaults with their source", () => {
    const plan = withCatalogDefaults(emptyPlan());
    const pue = fieldDefault("site.pue", plan);
    expect(pue?.value).toBeGreaterThanOrEqual(1);
    expect(pue?.provenance.source).toMatch(/Uptime/);
    expect(fieldDefault("finance.discountRatePerYear", plan)).toBeNull();
  });

  it("lists an accelerator the book has no speed for (TPU) and asks for the person's own speed", () => {
    const plan = completePlan();
    const tpu = "google-cloud-tpu-v6e-1-none";
    expect(catalogHasSpeed(plan, "TPU-v6e-32GB")).toBe(false);
    expect(offerChoices(plan).some((choice) => choice.offer.id === tpu)).toBe(true);
    plan.cloudOffers = [...plan.cloudOffers, tpu];
    // Chosen without a speed: the speed field is named, never filled from another chip.
    const asked = computePlan(plan);
    expect(asked.scenario).toBeNull();
    expect(asked.fieldErrors[optionSpeedId("offer", tpu)]?.length).toBeGreaterThan(0);
    // With the person's figure the plan computes, and the option uses exactly that figure.
    plan.values[optionSpeedId("offer", tpu)] = "1200";
    const computed = computePlan(plan);
    expect(computed.fieldErrors).toEqual({});
    const option = computed.scenario!.options.find((item) => item.id.includes(tpu));
    expect(option && option.kind === "lease" ? option.outputTokensPerSecondPerGpu : null).toBe(1200);
  });

  it("offers current cloud rows only and prices AMD and PCIe servers", () => {
    const plan = completePlan();
    const ids = offerChoices(plan).map((choice) => choice.offer.id);
    expect(ids).not.toContain("nebius-nvidia-hgx-h100-none");
    expect(ids.some((id) => id.startsWith("nebius-gpu-h100"))).toBe(true);
    const priced = serverChoices(plan).filter((choice) => choice.priceUsd !== null);
    expect(priced.some((choice) => choice.sku.accelerator.startsWith("MI"))).toBe(true);
    expect(priced.some((choice) => choice.sku.accelerator === "L40S-48GB")).toBe(true);
  });

  it("shortlists the server cheapest to buy one of, so a small workload sees a small build", () => {
    const plan = emptyPlan();
    plan.model = "llama3.1-8b";
    plan.latency = "interactive";
    const filled = withCatalogDefaults(plan);
    const withSpeed = serverChoices(filled).filter(
      (choice) => choice.usdPerTokenPerSecond !== null && choice.sku.powerKw !== null,
    );
    const cheapest = [...withSpeed].sort((a, b) => (a.priceUsd ?? 0) - (b.priceUsd ?? 0))[0]!;
    expect(filled.servers).toContain(cheapest.sku.id);
    expect(cheapest.priceUsd).toBeLessThan(150_000);
  });
});

describe("engine: build, lease and API on an equal footing (ADR 017)", () => {
  it("defaults to open-source serving, leases at the term matching the plan, and the cheapest non-build baseline", () => {
    const computation = computePlan(completePlanWithNvidiaLease());
    const scenario = computation.scenario;
    expect(scenario).not.toBeNull();
    if (!scenario) return;
    expect(scenario.servingStack).toBe("open-source");
    expect(scenario.options.some((option) => option.kind === "lease" && option.termYears === 3)).toBe(true);
    for (const option of scenario.options) {
      if (option.kind === "api") continue;
      expect(option.softwareUsdPerGpuYear, option.id).toBe(0);
      // 3-year terms where the book publishes or can derive one; otherwise a note says so.
      if (option.kind === "lease" && option.termYears !== 3)
        expect(computation.notes.some((note) => note.includes(option.id) && note.includes("3-year"))).toBe(true);
    }
    const evaluation = evaluateWithWhatIf(scenario, NO_WHAT_IF);
    expect(evaluation.ok).toBe(true);
    if (!evaluation.ok) return;
    const nonBuild = evaluation.result.options.filter((option) => option.kind !== "build");
    const cheapest = nonBuild.reduce((a, b) => (b.npvCostUsd < a.npvCostUsd ? b : a));
    expect(evaluation.baseline).toMatchObject({ optionId: cheapest.id, how: "cheapest-non-build" });
    expect(evaluation.result.comparisons[0]?.baselineOptionId).toBe(cheapest.id);
    const labels = computation.assumptions.map((item) => item.label);
    expect(labels.some((label) => label.startsWith("Serving software on owned and leased GPUs: Open source"))).toBe(
      true,
    );
    expect(labels).toContain("Lease commitment: 3-year terms");
  });

  it("charges NVIDIA AI Enterprise on leased GPUs too, and honours a chosen baseline and on-demand leases", () => {
    const plan = completePlanWithNvidiaLease();
    plan.servingStack = "nvidia-ai-enterprise";
    plan.leaseCommitment = "on-demand";
    const leaseId = `lease-${plan.cloudOffers[0]}`;
    plan.baseline = leaseId;
    const scenario = computePlan(plan).scenario;
    expect(scenario).not.toBeNull();
    if (!scenario) return;
    let nvidiaLeases = 0;
    for (const option of scenario.options) {
      if (option.kind === "lease") {
        // NVIDIA AI Enterprise licenses NVIDIA GPUs; a shortlisted AMD lease carries no such charge.
        const offer = priceBook.cloudOffers.find((item) => `lease-${item.id}` === option.id);
        const vendor = priceBook.accelerators.find((item) => item.key === offer?.accelerator)?.vendor;
        if (vendor === "NVIDIA") {
          nvidiaLeases++;
          expect(option.softwareUsdPerGpuYear).toBe(4500);
        } else expect(option.softwareUsdPerGpuYear ?? 0).toBe(0);
        expect(option.termYears ?? 0).toBe(0);
      }
    }
    expect(nvidiaLeases).toBeGreaterThan(0);
    const evaluation = evaluateWithWhatIf(scenario, NO_WHAT_IF);
    expect(evaluation.ok && evaluation.baseline).toMatchObject({ optionId: leaseId, how: "given" });
  });
});
