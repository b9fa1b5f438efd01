/**
 * Choices that stay consistent (issue 18 item 7) and offers at human scale (item 9), ADR 023.
 *
 * - `reshortlist`: after the model, the speed target or the token lengths change, the servers,
 *   lease offers and token APIs the plan had chosen are checked again. What can no longer serve
 *   the plan is dropped and said in one plain sentence per kind ("2 servers no longer fit: …");
 *   when hardware was dropped only because the speed is beyond its reach, the nearest speed it
 *   can reach is offered, with the ids to restore if the person takes it.
 * - `shortlistOffers` / `shortlistServers`: what the Options step shows before "show all": per
 *   provider (vendor) the best value for this plan and the best-known row, plus whatever is chosen.
 *
 * Everything here takes the lazily loaded engine as an argument (the wizard's first paint never
 * waits for the price book) and is pure: same plan and engine, same answer.
 */
import type { Engine } from "./engine-loader.ts";
import type { OfferChoice, ServerChoice } from "./engine.ts";
import type { PlanInput } from "./plan.ts";
import { formatNumber } from "./format.ts";
import { latencyPreset } from "./presets.ts";

/** Why a chosen server or offer can no longer serve the plan. */
export type DropReason =
  /** The model's weights fit on no group of this accelerator. */
  | { kind: "memory"; pooledGb: number | null; gpus: number | null }
  /** The speed target is beyond the hardware; `reachable` is the fastest whole speed it serves (null: none). */
  | { kind: "speed"; reachable: number | null }
  /** The first token cannot come within the preset's time limit. */
  | { kind: "first-token"; limitMs: number }
  /** The price book has nothing to estimate from. */
  | { kind: "no-data" };

export interface DroppedChoice {
  id: string;
  /** "Dell PowerEdge XE9712" or "AWS p5.48xlarge". */
  name: string;
  /** "8× H100 SXM 80GB". */
  hardware: string;
  /** "H100 SXM 80GB". */
  accelerator: string;
  reason: DropReason;
}

/** What changed and why, in words; empty when nothing was dropped. */
export interface ShortlistNotice {
  /** One plain sentence per kind (servers, lease offers, token APIs). */
  sentences: string[];
  /** The nearest speed the dropped hardware reaches, with its sentence; null when speed was not the reason. */
  nearestSpeed: {
    tokensPerSecondPerUser: number;
    sentence: string;
    restoreServers: string[];
    restoreOffers: string[];
  } | null;
}

export interface Reshortlisted {
  plan: PlanInput;
  notice: ShortlistNotice;
  droppedServers: DroppedChoice[];
  droppedOffers: DroppedChoice[];
  droppedApis: string[];
}

/** The parts of a plan that change which hardware and APIs can serve it. */
export function shortlistKey(plan: PlanInput): string {
  return JSON.stringify([
    plan.model,
    plan.latency,
    plan.latency === "custom" ? (plan.values["workload.interactivity"] ?? "") : "",
    plan.values["workload.inputTokensPerRequest"] ?? "",
    plan.values["workload.outputTokensPerRequest"] ?? "",
    plan.useCase,
  ]);
}

/** The model's product name ("Llama 3.3 70B"), open or API-only, else its key. */
export function modelNameOf(engine: Engine, key: string): string {
  return (
    engine.book.models.find((model) => model.key === key)?.name ??
    engine.book.apiOnlyModels.find((model) => model.key === key)?.name ??
    key
  );
}

/** The plan's speed target in words: "35 tokens a second per user". */
function speedWords(tokensPerSecondPerUser: number): string {
  return `${formatNumber(tokensPerSecondPerUser, 1)} tokens a second per user`;
}

/** A plan serving a custom speed target (no first-token limit). */
function atSpeed(plan: PlanInput, tokensPerSecondPerUser: number | null): PlanInput {
  if (tokensPerSecondPerUser === null) return { ...plan, latency: "batch" };
  return {
    ...plan,
    latency: "custom",
    values: { ...plan.values, "workload.interactivity": String(tokensPerSecondPerUser) },
  };
}

const serves = (engine: Engine, plan: PlanInput, accelerator: string): boolean =>
  typeof engine.throughputFor(plan, accelerator) !== "string";

/**
 * The fastest whole speed (tokens a second per user) the accelerator serves the plan's model at,
 * below `ceiling`; null when it serves none. Bisection on `throughputFor` (the kernel's own
 * answer, cached), so it agrees with what the plan will compute.
 */
export function fastestReachableSpeed(
  engine: Engine,
  plan: PlanInput,
  accelerator: string,
  ceiling: number,
): number | null {
  let low = 1;
  let high = Math.floor(ceiling);
  if (high < 1 || !serves(engine, atSpeed(plan, low), accelerator)) return null;
  if (serves(engine, atSpeed(plan, high), accelerator)) return high;
  // Invariant: low serves, high does not.
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (serves(engine, atSpeed(plan, middle), accelerator)) low = middle;
    else high = middle;
  }
  return low;
}

/**
 * Why the plan cannot use this accelerator, or null when it can (or when the price book has no
 * speed for it at all: the Options step then asks the person for one, ADR 014).
 */
export function whyNotServed(engine: Engine, plan: PlanInput, accelerator: string): DropReason | null {
  if (!engine.catalogHasSpeed(plan, accelerator)) return null;
  if (serves(engine, plan, accelerator)) return null;
  const target = engine.planInteractivity(plan);
  if (!serves(engine, atSpeed(plan, null), accelerator)) {
    // Not even with no one waiting: the weights do not fit, or nothing to estimate from.
    const spec = engine.book.accelerators.find((item) => item.key === accelerator);
    const why = engine.throughputFor(atSpeed(plan, null), accelerator);
    if (spec && typeof why === "string" && /fit on no/.test(why)) {
      const gpus = Math.max(1, Math.floor(spec.scaleUpDomain ?? 8));
      return { kind: "memory", pooledGb: spec.hbmGb * gpus, gpus };
    }
    return { kind: "no-data" };
  }
  if (typeof target === "number") {
    // The speed is reachable without a first-token limit: the preset's first-token limit is the cause.
    const limitMs = plan.latency === "custom" ? null : (latencyPreset(plan.latency)?.timeToFirstTokenMs ?? null);
    if (limitMs !== null && serves(engine, atSpeed(plan, target), accelerator)) return { kind: "first-token", limitMs };
    return { kind: "speed", reachable: fastestReachableSpeed(engine, plan, accelerator, target) };
  }
  return { kind: "no-data" };
}

function countWords(count: number, one: string, many: string): string {
  return `${count === 1 ? "1" : formatNumber(count)} ${count === 1 ? one : many}`;
}

function listWords(items: string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

/** "2 servers no longer fit: Llama 3.1 405B needs more memory than …" — one sentence per kind of hardware. */
function hardwareSentence(
  engine: Engine,
  plan: PlanInput,
  dropped: DroppedChoice[],
  one: string,
  many: string,
  replacedBy: string[],
): string {
  const model = modelNameOf(engine, plan.model);
  const target = engine.planInteractivity(plan);
  const parts: string[] = [];
  const byKind = (kind: DropReason["kind"]) => dropped.filter((item) => item.reason.kind === kind);
  const named = (items: DroppedChoice[]) =>
    `${countWords(items.length, one, many)} (${listWords(items.map((item) => item.name))})`;
  const memory = byKind("memory");
  if (memory.length > 0) {
    const first = memory[0]!;
    const reason = first.reason as Extract<DropReason, { kind: "memory" }>;
    const gpus = reason.gpus ?? 1;
    parts.push(
      `${named(memory)} no longer ${memory.length === 1 ? "fits" : "fit"}: ${model} needs more memory than ${
        gpus === 1 ? `one ${first.accelerator} holds` : `${gpus} linked ${first.accelerator} GPUs hold together`
      }${reason.pooledGb ? ` (${formatNumber(reason.pooledGb, 0)} GB)` : ""}`,
    );
  }
  const speed = byKind("speed");
  if (speed.length > 0 && typeof target === "number") {
    const fastest = Math.max(...speed.map((item) => (item.reason as { reachable: number | null }).reachable ?? 0));
    parts.push(
      `${named(speed)} cannot reach ${speedWords(target)} with ${model}${
        fastest > 0
          ? `; the fastest ${speed.length === 1 ? "reaches" : "of them reaches"} about ${formatNumber(fastest, 0)}`
          : ""
      }`,
    );
  }
  const firstToken = byKind("first-token");
  if (firstToken.length > 0) {
    const limitMs = (firstToken[0]!.reason as { limitMs: number }).limitMs;
    parts.push(
      `${named(firstToken)} cannot start answering within ${formatNumber(limitMs / 1000, 2)} seconds with ${model}`,
    );
  }
  const noData = byKind("no-data");
  if (noData.length > 0) {
    parts.push(`${named(noData)} ${noData.length === 1 ? "has" : "have"} no published speed for ${model}`);
  }
  const replaced = replacedBy.length > 0 ? `; chosen instead: ${listWords(replacedBy)}` : "";
  return `${parts.join("; ")}${replaced}.`;
}

function serverName(choice: { vendor: string; sku: string }): string {
  return `${choice.vendor} ${choice.sku}`;
}

/**
 * Checks the plan's chosen servers, lease offers and token APIs against its model and speed, and
 * drops what can no longer serve it. When every chosen server (or offer) went, the best-value
 * shortlist for the new plan replaces them (`withCatalogDefaults`). API offers for another open
 * model go when the model changes (they would buy a different model); closed frontier models stay
 * (they are labelled as a different model everywhere).
 */
export function reshortlist(engine: Engine, plan: PlanInput): Reshortlisted {
  const next: PlanInput = structuredClone(plan);
  const droppedServers: DroppedChoice[] = [];
  for (const id of plan.servers) {
    const sku = engine.book.servers.find((item) => item.id === id);
    if (!sku) continue;
    const reason = whyNotServed(engine, plan, sku.accelerator);
    if (reason)
      droppedServers.push({
        id,
        name: serverName(sku),
        hardware: `${sku.gpusPerServer}× ${engine.acceleratorName(sku.accelerator)}`,
        accelerator: engine.acceleratorName(sku.accelerator),
        reason,
      });
  }
  const droppedOffers: DroppedChoice[] = [];
  for (const id of plan.cloudOffers) {
    const offer = engine.book.cloudOffers.find((item) => item.id === id);
    if (!offer) continue;
    const reason = whyNotServed(engine, plan, offer.accelerator);
    if (reason)
      droppedOffers.push({
        id,
        name: `${offer.provider} ${offer.instanceType}`,
        hardware: `${offer.acceleratorCount}× ${engine.acceleratorName(offer.accelerator)}`,
        accelerator: engine.acceleratorName(offer.accelerator),
        reason,
      });
  }
  next.servers = plan.servers.filter((id) => !droppedServers.some((item) => item.id === id));
  next.cloudOffers = plan.cloudOffers.filter((id) => !droppedOffers.some((item) => item.id === id));
  const refill = engine.withCatalogDefaults({
    ...next,
    servers: next.servers.length === 0 && droppedServers.length > 0 ? [] : next.servers,
    cloudOffers: next.cloudOffers.length === 0 && droppedOffers.length > 0 ? [] : next.cloudOffers,
  });
  const serversIn = next.servers.length === 0 && droppedServers.length > 0 ? refill.servers : [];
  const offersIn = next.cloudOffers.length === 0 && droppedOffers.length > 0 ? refill.cloudOffers : [];
  next.servers = [...next.servers, ...serversIn];
  next.cloudOffers = [...next.cloudOffers, ...offersIn];

  // Token APIs: an open model's offers buy that model; after a model change they go.
  const frontier = new Set(engine.book.apiOnlyModels.map((model) => model.key));
  const droppedApis = plan.tokenApis.filter((id) => {
    const offer = engine.apiOffer(id);
    return offer === undefined || (!frontier.has(offer.model) && offer.model !== plan.model);
  });
  let apisIn: string[] = [];
  if (droppedApis.length > 0) {
    next.tokenApis = engine.tokenApisForModel(next);
    apisIn = next.tokenApis.filter((id) => !plan.tokenApis.includes(id));
  }

  const sentences: string[] = [];
  const serverNames = (ids: string[]) =>
    ids.map((id) => {
      const sku = engine.book.servers.find((item) => item.id === id);
      return sku ? serverName(sku) : id;
    });
  const offerNames = (ids: string[]) =>
    ids.map((id) => {
      const offer = engine.book.cloudOffers.find((item) => item.id === id);
      return offer ? `${offer.provider} ${offer.instanceType}` : id;
    });
  if (droppedServers.length > 0)
    sentences.push(hardwareSentence(engine, plan, droppedServers, "server", "servers", serverNames(serversIn)));
  if (droppedOffers.length > 0)
    sentences.push(hardwareSentence(engine, plan, droppedOffers, "lease offer", "lease offers", offerNames(offersIn)));
  if (droppedApis.length > 0) {
    const names = droppedApis.map((id) => {
      const offer = engine.apiOffer(id);
      return offer ? `${offer.provider} (${modelNameOf(engine, offer.model)})` : "an offer no longer in the price book";
    });
    const newNames = apisIn.map((id) => engine.apiOffer(id)?.provider ?? id);
    sentences.push(
      `${countWords(droppedApis.length, "token API was", "token APIs were")} removed: ${listWords(names)} ${
        droppedApis.length === 1 ? "sells" : "sell"
      } a different model from ${modelNameOf(engine, plan.model)}${
        newNames.length > 0 ? `; chosen instead: ${listWords(newNames)} for ${modelNameOf(engine, plan.model)}` : ""
      }.`,
    );
  }

  // The nearest speed the dropped hardware reaches: taking it brings that hardware back.
  let nearestSpeed: ShortlistNotice["nearestSpeed"] = null;
  const target = engine.planInteractivity(plan);
  const speedDrops = [...droppedServers, ...droppedOffers].filter(
    (item) => item.reason.kind === "speed" && item.reason.reachable !== null,
  );
  if (speedDrops.length > 0 && typeof target === "number") {
    const reach = (item: DroppedChoice) => (item.reason as { reachable: number }).reachable;
    const fastest = Math.max(...speedDrops.map(reach));
    const back = speedDrops.filter((item) => reach(item) >= fastest);
    nearestSpeed = {
      tokensPerSecondPerUser: fastest,
      sentence: `The nearest speed ${listWords(back.map((item) => item.name))} can reach is about ${speedWords(fastest)} (you asked for ${formatNumber(target, 1)}).`,
      restoreServers: back.filter((item) => droppedServers.includes(item)).map((item) => item.id),
      restoreOffers: back.filter((item) => droppedOffers.includes(item)).map((item) => item.id),
    };
  }
  return { plan: next, notice: { sentences, nearestSpeed }, droppedServers, droppedOffers, droppedApis };
}

/**
 * The plan at the nearest reachable speed: a custom speed target, with the hardware dropped for
 * speed back on the plan.
 */
export function useNearestSpeed(plan: PlanInput, nearest: NonNullable<ShortlistNotice["nearestSpeed"]>): PlanInput {
  const next = atSpeed(structuredClone(plan), nearest.tokensPerSecondPerUser);
  next.servers = [...new Set([...plan.servers, ...nearest.restoreServers])];
  next.cloudOffers = [...new Set([...plan.cloudOffers, ...nearest.restoreOffers])];
  return next;
}

// ---------------------------------------------------------------------------------------------
// Offers and servers at human scale (item 9)
// ---------------------------------------------------------------------------------------------

/** Filters of the Options step; "" = any. */
export interface OfferFilters {
  provider: string;
  /** "none" (on demand), "1y" or "3y". */
  commitment: string;
  accelerator: string;
}

export const NO_FILTERS: OfferFilters = { provider: "", commitment: "", accelerator: "" };

export function filterOffers(offers: readonly OfferChoice[], filters: OfferFilters): OfferChoice[] {
  return offers.filter(
    (choice) =>
      (!filters.provider || choice.offer.provider === filters.provider) &&
      (!filters.commitment || choice.offer.commitment === filters.commitment) &&
      (!filters.accelerator || choice.offer.accelerator === filters.accelerator),
  );
}

/**
 * The accelerator most providers list among these offers (for a plan: the one whose price people
 * know best, so a provider's row on it compares across providers). Ties: the key, for stability.
 */
export function bestKnownAccelerator(offers: readonly OfferChoice[]): string | null {
  const providers = new Map<string, Set<string>>();
  for (const choice of offers) {
    if (typeof choice.throughput === "string") continue;
    const set = providers.get(choice.offer.accelerator) ?? new Set<string>();
    set.add(choice.offer.provider);
    providers.set(choice.offer.accelerator, set);
  }
  let best: string | null = null;
  let bestCount = 0;
  for (const [key, set] of [...providers].sort(([a], [b]) => a.localeCompare(b))) {
    if (set.size > bestCount) {
      best = key;
      bestCount = set.size;
    }
  }
  return best;
}

/**
 * The offers shown before "show all": per provider, the best value for this plan (lowest price per
 * GPU-hour per token a second) and its row on the best-known accelerator, plus every chosen offer;
 * in the input's order. A provider with no speed in the price book for any of its rows is left to
 * "show all" (choosing one asks for a speed).
 */
export function shortlistOffers(
  offers: readonly OfferChoice[],
  chosen: readonly string[],
  reference: string | null = bestKnownAccelerator(offers),
): OfferChoice[] {
  const keep = new Set<string>(chosen);
  const byProvider = new Map<string, OfferChoice[]>();
  for (const choice of offers) {
    if (choice.usdPerGpuHourPerTokenPerSecond === null) continue;
    const list = byProvider.get(choice.offer.provider) ?? [];
    list.push(choice);
    byProvider.set(choice.offer.provider, list);
  }
  const cheapest = (list: OfferChoice[]) =>
    [...list].sort(
      (a, b) =>
        (a.usdPerGpuHourPerTokenPerSecond ?? 0) - (b.usdPerGpuHourPerTokenPerSecond ?? 0) ||
        a.offer.id.localeCompare(b.offer.id),
    )[0];
  for (const list of byProvider.values()) {
    const value = cheapest(list);
    if (value) keep.add(value.offer.id);
    const known = cheapest(list.filter((choice) => choice.offer.accelerator === reference));
    if (known) keep.add(known.offer.id);
  }
  return offers.filter((choice) => keep.has(choice.offer.id));
}

/**
 * The servers shown before "show all": per vendor, the best value for this plan (lowest price per
 * token a second of capacity) and the cheapest to buy one of (a small workload's build), plus
 * every chosen server; in the input's order.
 */
export function shortlistServers(servers: readonly ServerChoice[], chosen: readonly string[]): ServerChoice[] {
  const keep = new Set<string>(chosen);
  const byVendor = new Map<string, ServerChoice[]>();
  for (const choice of servers) {
    if (choice.usdPerTokenPerSecond === null) continue;
    const list = byVendor.get(choice.sku.vendor) ?? [];
    list.push(choice);
    byVendor.set(choice.sku.vendor, list);
  }
  for (const list of byVendor.values()) {
    const value = [...list].sort((a, b) => (a.usdPerTokenPerSecond ?? 0) - (b.usdPerTokenPerSecond ?? 0))[0];
    const entry = [...list].sort((a, b) => (a.priceUsd ?? 0) - (b.priceUsd ?? 0))[0];
    for (const pick of [value, entry]) if (pick) keep.add(pick.sku.id);
  }
  return servers.filter((choice) => keep.has(choice.sku.id));
}

/** Why a row cannot be chosen, short, for the Options list ("reaches at most 45 tokens a second per user"). */
export function reasonInWords(reason: DropReason, modelName: string): string {
  switch (reason.kind) {
    case "memory":
      return `too little memory for ${modelName}${reason.pooledGb ? ` (${formatNumber(reason.pooledGb, 0)} GB across its linked GPUs)` : ""}`;
    case "speed":
      return reason.reachable === null
        ? `cannot serve ${modelName} at this speed`
        : `reaches at most ${speedWords(reason.reachable)} with ${modelName}`;
    case "first-token":
      return `cannot start answering within ${formatNumber(reason.limitMs / 1000, 2)} seconds with ${modelName}`;
    case "no-data":
      return `no published speed for ${modelName}`;
  }
}
