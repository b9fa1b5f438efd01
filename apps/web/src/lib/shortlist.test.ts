import { describe, expect, it } from "vitest";
import * as engine from "./engine.ts";
import { emptyPlan, type PlanInput } from "./plan.ts";
import {
  bestKnownAccelerator,
  filterOffers,
  reshortlist,
  shortlistOffers,
  shortlistServers,
  useNearestSpeed,
  whyNotServed,
} from "./shortlist.ts";

/** The wizard's default chat plan (Llama 3.3 70B, 35 tokens a second), with a volume and a cost of capital. */
function chatPlan(): PlanInput {
  const plan = engine.withCatalogDefaults(emptyPlan());
  plan.values["workload.requestsPerDay"] = "976563";
  plan.values["finance.discountRatePerYear"] = "9";
  return plan;
}

/** No raw ids, accelerator keys or validator units in what a person reads. */
function expectPlainWords(text: string): void {
  expect(text).not.toMatch(/tok\/s\/user|interactivityTokensPerSecondPerUser|[A-Z0-9]+-\d+GB|api:|_/);
  for (const id of [...engine.book.servers.map((sku) => sku.id), ...engine.book.cloudOffers.map((offer) => offer.id)])
    expect(text).not.toContain(id);
}

const CISCO = "cisco-ucs-c845a-m8";

describe("choices stay consistent when the model or the speed changes", () => {
  it("the default chat plan keeps everything it chose", () => {
    const plan = chatPlan();
    const result = reshortlist(engine, plan);
    expect(result.plan).toEqual(plan);
    expect(result.notice.sentences).toEqual([]);
    expect(result.notice.nearestSpeed).toBeNull();
  });

  it("a model too big for a server drops it, says so in one sentence, and the plan computes without speed errors", () => {
    const plan = chatPlan();
    expect(plan.servers).toContain(CISCO);
    // Before: the validator named the accelerator key and the kernel's field on the speed field.
    const before = engine.computePlan({ ...plan, model: "llama3.1-405b" });
    expect(before.fieldErrors["workload.interactivity"]?.join(" ")).toMatch(/RTX-PRO-6000-96GB/);

    const result = reshortlist(engine, { ...plan, model: "llama3.1-405b" });
    expect(result.droppedServers.map((item) => item.id)).toEqual([CISCO]);
    expect(result.droppedServers[0]?.reason.kind).toBe("memory");
    expect(result.plan.servers).not.toContain(CISCO);
    expect(result.plan.servers.length).toBeGreaterThan(0);
    const sentence = result.notice.sentences[0] ?? "";
    expect(sentence).toMatch(
      /^1 server \(Cisco UCS C845A M8\) no longer fits: Llama 3\.1 405B needs more memory than one RTX PRO 6000 .* holds \(96 GB\)/,
    );
    expectPlainWords(result.notice.sentences.join(" "));
    const after = engine.computePlan(result.plan);
    expect(after.fieldErrors).toEqual({});
    expect(after.scenario).not.toBeNull();
  });

  it("a speed beyond a server's reach drops it and offers the nearest reachable speed, which brings it back", () => {
    const plan = { ...chatPlan(), latency: "custom" as const };
    plan.values["workload.interactivity"] = "100";
    const result = reshortlist(engine, plan);
    expect(result.droppedServers.map((item) => item.id)).toContain(CISCO);
    const nearest = result.notice.nearestSpeed;
    expect(nearest).not.toBeNull();
    // The kernel's physical limit for this pair is 45.5 tokens a second: the nearest whole speed is 45.
    expect(nearest?.tokensPerSecondPerUser).toBe(45);
    expect(nearest?.restoreServers).toEqual([CISCO]);
    expect(nearest?.sentence).toBe(
      "The nearest speed Cisco UCS C845A M8 can reach is about 45 tokens a second per user (you asked for 100).",
    );
    expect(result.notice.sentences.join(" ")).toMatch(
      /^1 server \(Cisco UCS C845A M8\) cannot reach 100 tokens a second per user with Llama 3\.3 70B; the fastest reaches about 45\.$/,
    );
    expectPlainWords([...result.notice.sentences, nearest?.sentence ?? ""].join(" "));

    const taken = useNearestSpeed(result.plan, nearest!);
    expect(taken.latency).toBe("custom");
    expect(taken.values["workload.interactivity"]).toBe("45");
    expect(taken.servers).toContain(CISCO);
    expect(reshortlist(engine, taken).notice.sentences).toEqual([]);
    const computed = engine.computePlan(taken);
    expect(computed.fieldErrors).toEqual({});
    // One above is beyond it again.
    expect(
      whyNotServed(
        engine,
        { ...taken, values: { ...taken.values, "workload.interactivity": "46" } },
        "RTX-PRO-6000-96GB",
      )?.kind,
    ).toBe("speed");
  });

  it("switching DeepSeek-R1 to Llama 3.3 70B removes the DeepSeek APIs and says so", () => {
    const deepseek = engine.withCatalogDefaults({ ...emptyPlan(), model: "deepseek-r1" });
    expect(deepseek.tokenApis.length).toBeGreaterThan(0);
    expect(deepseek.tokenApis.every((id) => engine.apiOffer(id)?.model === "deepseek-r1")).toBe(true);
    const result = reshortlist(engine, { ...deepseek, model: "llama3.3-70b" });
    expect(result.droppedApis).toEqual(deepseek.tokenApis);
    expect(result.plan.tokenApis.length).toBeGreaterThan(0);
    expect(result.plan.tokenApis.every((id) => engine.apiOffer(id)?.model === "llama3.3-70b")).toBe(true);
    const sentence = result.notice.sentences.find((item) => /token API/.test(item)) ?? "";
    expect(sentence).toMatch(
      /^\d+ token APIs were removed: .*\(DeepSeek-R1\).* sell a different model from Llama 3\.3 70B; chosen instead: .* for Llama 3\.3 70B\.$/,
    );
    expectPlainWords(sentence);
  });

  it("every model at every speed preset leaves no validator message on the speed field once re-shortlisted", () => {
    const problems: string[] = [];
    for (const model of engine.modelChoices()) {
      for (const latency of ["reading", "interactive", "fast", "agent"] as const) {
        const result = reshortlist(engine, { ...chatPlan(), model: model.key, latency });
        const computed = engine.computePlan(result.plan);
        const messages = [...(computed.fieldErrors["workload.interactivity"] ?? []), ...computed.generalErrors];
        if (messages.length > 0) problems.push(`${model.key} at ${latency}: ${messages.join("; ")}`);
        expectPlainWords(result.notice.sentences.join(" "));
      }
    }
    expect(problems).toEqual([]);
    // 27 models × 4 speeds through the kernel: seconds on a busy machine.
  }, 90_000);

  it("closed frontier APIs stay across a model change (they are labelled as a different model)", () => {
    const plan = chatPlan();
    const frontier = engine.frontierApiChoices(plan)[0]?.offers[0];
    expect(frontier).toBeDefined();
    plan.tokenApis = [...plan.tokenApis, frontier!.id];
    const result = reshortlist(engine, { ...plan, model: "llama3.1-405b" });
    expect(result.plan.tokenApis).toContain(frontier!.id);
  });

  it("when every chosen server goes, the new model's best-value shortlist replaces them and is named", () => {
    const plan = { ...chatPlan(), servers: [CISCO] };
    const result = reshortlist(engine, { ...plan, model: "llama3.1-405b" });
    expect(result.plan.servers.length).toBeGreaterThan(0);
    expect(result.plan.servers).not.toContain(CISCO);
    expect(result.notice.sentences[0]).toMatch(/; chosen instead: /);
    for (const id of result.plan.servers) {
      const sku = engine.book.servers.find((item) => item.id === id)!;
      expect(whyNotServed(engine, result.plan, sku.accelerator)).toBeNull();
    }
  });
});

describe("offers and servers at human scale", () => {
  const plan = chatPlan();
  const offers = engine.offerChoices(plan);
  const servers = engine.serverChoices(plan);

  it("shortlists at most two offers per provider plus the chosen ones, each provider with a speed represented", () => {
    const shortlist = shortlistOffers(offers, plan.cloudOffers);
    for (const id of plan.cloudOffers) expect(shortlist.map((choice) => choice.offer.id)).toContain(id);
    const perProvider = new Map<string, number>();
    for (const choice of shortlist)
      if (!plan.cloudOffers.includes(choice.offer.id))
        perProvider.set(choice.offer.provider, (perProvider.get(choice.offer.provider) ?? 0) + 1);
    expect(Math.max(...perProvider.values())).toBeLessThanOrEqual(2);
    const withSpeed = new Set(
      offers.filter((choice) => choice.usdPerGpuHourPerTokenPerSecond !== null).map((choice) => choice.offer.provider),
    );
    expect(new Set(shortlist.map((choice) => choice.offer.provider))).toEqual(withSpeed);
    expect(shortlist.length).toBeLessThan(offers.length / 3);
    // The cheapest offer per unit of speed in the whole list is on the shortlist.
    const best = [...offers]
      .filter((choice) => choice.usdPerGpuHourPerTokenPerSecond !== null)
      .sort((a, b) => a.usdPerGpuHourPerTokenPerSecond! - b.usdPerGpuHourPerTokenPerSecond!)[0];
    expect(shortlist).toContain(best);
  });

  it("the best-known accelerator is the one most providers list", () => {
    const reference = bestKnownAccelerator(offers);
    const count = (key: string) =>
      new Set(
        offers
          .filter((choice) => choice.offer.accelerator === key && typeof choice.throughput !== "string")
          .map((choice) => choice.offer.provider),
      ).size;
    for (const choice of offers) expect(count(reference!)).toBeGreaterThanOrEqual(count(choice.offer.accelerator));
  });

  it("filters by provider, commitment and accelerator", () => {
    const aws = filterOffers(offers, { provider: "AWS", commitment: "", accelerator: "" });
    expect(aws.length).toBeGreaterThan(0);
    expect(aws.every((choice) => choice.offer.provider === "AWS")).toBe(true);
    const threeYear = filterOffers(offers, { provider: "", commitment: "3y", accelerator: "" });
    expect(threeYear.length).toBeGreaterThan(0);
    expect(threeYear.every((choice) => choice.offer.commitment === "3y")).toBe(true);
    const h100 = filterOffers(offers, { provider: "", commitment: "", accelerator: "H100-SXM-80GB" });
    expect(h100.every((choice) => choice.offer.accelerator === "H100-SXM-80GB")).toBe(true);
    expect(filterOffers(offers, { provider: "", commitment: "", accelerator: "" })).toEqual(offers);
  });

  it("shortlists servers per vendor: best value and cheapest to buy, plus the chosen", () => {
    const shortlist = shortlistServers(servers, plan.servers);
    for (const id of plan.servers) expect(shortlist.map((choice) => choice.sku.id)).toContain(id);
    const vendors = new Set(
      servers.filter((choice) => choice.usdPerTokenPerSecond !== null).map((choice) => choice.sku.vendor),
    );
    expect(new Set(shortlist.map((choice) => choice.sku.vendor))).toEqual(vendors);
    expect(shortlist.length).toBeLessThanOrEqual(vendors.size * 2 + plan.servers.length);
    expect(shortlist.length).toBeLessThan(servers.length);
  });
});

describe("the wizard's measured-throughput claim", () => {
  it("counts a model as measured exactly when some accelerator's speed for it comes from measurements", () => {
    const disagreements: string[] = [];
    for (const model of engine.modelChoices()) {
      const accelerators = new Set(
        engine.book.throughputPoints.filter((point) => point.model === model.key).map((point) => point.accelerator),
      );
      const answeredFromMeasurements = [...accelerators].some((accelerator) => {
        const answer = engine.throughputFor({ ...chatPlan(), model: model.key }, accelerator);
        return typeof answer !== "string" && answer.basis !== "estimated";
      });
      if (answeredFromMeasurements !== model.measuredPoints > 0)
        disagreements.push(`${model.key}: ${model.note}; answered from measurements: ${answeredFromMeasurements}`);
    }
    expect(disagreements).toEqual([]);
  });
});
