/**
 * The planner's engine in the browser: the public price book, the catalog resolver, the shared
 * valibot schema and the kernel, all in one lazily loaded module (`loadEngine()` in
 * `engine-loader.ts`), so none of it weighs on the first page. Everything here is synchronous
 * once loaded: a what-if recomputes in well under a frame, with no network.
 *
 * Flow: plan (what the person typed) → scenario input with catalog references and typed
 * overrides → `parseScenario` (the shared schema: field errors in plain words) →
 * `resolveScenario` (catalog numbers with provenance) → what-ifs → `evaluate` (the kernel).
 */
import {
  PRICE_BOOK_VERSION,
  priceBook,
  applicableQuote,
  effectiveApiPrice,
  findApiOffer,
  modelName as catalogModelName,
  leaseTermPrices,
  quotedUnitPriceUsd,
  rankApiOffers,
  resolveScenario,
  ResolveError,
  type ApiMix,
  type ApiOfferUse,
  SERVING_STACK_NAMES,
  stackLicence,
  termOfCommitment,
  evaluateWithFairBaseline,
  type BaselineChoice,
  type LeaseCommitment,
  type LeaseTermPrice,
  type ServingStack,
  type CloudOffer,
  type Figure,
  type OrgQuote,
  type PriceBook,
  type Region,
  type ServerSku,
  type TokenPrice,
  type UsedFigure,
} from "@aifp/catalog";
import { parseScenario, type FieldIssue } from "@aifp/contracts";
import {
  KERNEL_VERSION,
  ScenarioError,
  throughputAt,
  type EvaluateResult,
  type OptionInput,
  type Scenario,
  type ThroughputResult,
} from "@aifp/kernel";
import {
  apiPriceIds,
  fieldDef,
  messageInFieldUnits,
  offerQuoteId,
  optionSpeedId,
  parseFieldValue,
  serverQuoteId,
} from "./fields.ts";
import { formatAsOf, formatFieldValue } from "./format.ts";
import { orgQuoteProvenance } from "./org-quotes.ts";
import { latencyPreset, PREFERRED_MODELS, useCasePreset } from "./presets.ts";
import { DAYS_PER_MONTH, implausibleVolume, requestsFromSpend, requestsFromTokens } from "./volume.ts";
import type { PlanInput, WhatIf } from "./plan.ts";
import type { OptionLabel } from "./results.ts";

export { PRICE_BOOK_VERSION, KERNEL_VERSION };
export const book: PriceBook = priceBook;

/** Provenance shown next to a default or in the assumptions table. */
export interface Provenance {
  source: string;
  /** Ids of the figure's sources in `book.sources` (ADR 030); absent for typed or planner values. */
  sourceIds?: string[];
  asOf: string | null;
  confidence: "high" | "medium" | "low" | null;
  method: string | null;
}

/** A default a field shows when left empty: the value in the field's units and where it comes from. */
export interface FieldDefault {
  /** In the unit the person types (percent fields in %). */
  value: number;
  provenance: Provenance;
  /** True when the value is the signed-in organisation's quote, not a catalog figure. */
  fromOrgQuote?: boolean;
}

const PLANNER_CONVENTION: Provenance = {
  source: "Planner default: a common planning choice, not a market figure; change it freely",
  asOf: null,
  confidence: null,
  method: null,
};

function fromFigure(figure: Figure): Provenance {
  return {
    source: figure.source,
    ...(figure.sourceIds ? { sourceIds: figure.sourceIds } : {}),
    asOf: figure.asOf,
    confidence: figure.confidence,
    method: figure.method,
  };
}

function defaultFigure(key: string): Figure | null {
  return book.defaults.find((item) => item.key === key)?.figure ?? null;
}

/** The first month after `today` as "YYYY-MM" (the browser's clock; the kernel never reads one). */
export function nextMonth(today: Date = new Date()): string {
  const index = today.getUTCFullYear() * 12 + today.getUTCMonth() + 1;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, "0")}`;
}

/** The plan's serving stack ("" = the default, open source). */
export function planServingStack(plan: PlanInput): ServingStack {
  return (plan.servingStack || "open-source") as ServingStack;
}

/** The plan's lease commitment ("" = the term matching the plan's length). */
export function planLeaseCommitment(plan: PlanInput): LeaseCommitment {
  return (plan.leaseCommitment || "match-horizon") as LeaseCommitment;
}

/** Plan length in years as typed, else the planner convention (5). */
function planHorizonYears(plan: PlanInput): number {
  const typed = parseFieldValue(plan.values.horizonYears, {});
  return typeof typed === "number" && typed > 0 ? typed : 5;
}

/** The commitment term the plan's leases are priced at, in years (null: each offer's own). */
export function planLeaseTermYears(plan: PlanInput): number | null {
  return termOfCommitment(planLeaseCommitment(plan), planHorizonYears(plan));
}

/** Serving stacks in words, for the wizard's choice. */
export function servingStackChoices(): { key: ServingStack; name: string; licence: FieldDefault | null }[] {
  return (["open-source", "nvidia-ai-enterprise", "amd-enterprise-ai", "none"] as const).map((key) => {
    const licence = stackLicence(book, key, key === "amd-enterprise-ai" ? "AMD" : "NVIDIA");
    return {
      key,
      name: SERVING_STACK_NAMES[key],
      licence:
        licence.kind === "figure" ? { value: licence.figure.value, provenance: fromFigure(licence.figure) } : null,
    };
  });
}

/** On-demand, 1-year and 3-year prices of a cloud offer (published or derived), for the wizard. */
export function offerTermPrices(offerId: string): Record<0 | 1 | 3, LeaseTermPrice | null> | null {
  const offer = book.cloudOffers.find((item) => item.id === offerId);
  return offer ? leaseTermPrices(book, offer) : null;
}

// ---------------------------------------------------------------------------------------------
// Catalog views for the wizard
// ---------------------------------------------------------------------------------------------

/** Models the wizard offers: those with measured throughput first. */
export function modelChoices(): { key: string; name: string; measuredPoints: number; note: string }[] {
  return book.models
    .map((model) => {
      const measuredPoints = book.throughputPoints.filter((point) => point.model === model.key).length;
      const params =
        model.activeParametersB !== model.parametersB
          ? `${model.parametersB}B parameters, ${model.activeParametersB}B active`
          : `${model.parametersB}B parameters`;
      return {
        key: model.key,
        name: model.name,
        measuredPoints,
        note: `${params}; ${measuredPoints > 0 ? `${measuredPoints} measured throughput results` : "no measured throughput: speeds are estimated"}`,
      };
    })
    .sort((a, b) => b.measuredPoints - a.measuredPoints || a.name.localeCompare(b.name));
}

/** Regions with at least one electricity price, by name. */
export function regionChoices(): Region[] {
  return book.regions.filter((region) => region.electricity.length > 0).sort((a, b) => a.name.localeCompare(b.name));
}

function findRegion(code: string): Region | undefined {
  return book.regions.find((region) => region.code === code);
}

/** The accelerator's display name ("H200 SXM 141GB"), or the key. */
export function acceleratorName(key: string): string {
  return (
    book.accelerators.find((item) => item.key === key)?.name ??
    book.acceleratorKeysWithoutSpec.find((item) => item.key === key)?.name ??
    key
  );
}

function shortAccelerator(key: string): string {
  return key.split("-")[0] ?? key;
}

/** Latency target of a plan in output tokens/s per user; null for batch; the raw text when the custom entry is not a number. */
export function planInteractivity(plan: PlanInput): number | null | string {
  if (plan.latency === "custom") {
    const typed = parseFieldValue(plan.values["workload.interactivity"], {});
    return typed === undefined ? null : typed;
  }
  return latencyPreset(plan.latency)?.tokensPerSecondPerUser ?? null;
}

function planTokens(plan: PlanInput): { input: number; output: number } {
  const preset = useCasePreset(plan.useCase);
  const input = parseFieldValue(plan.values["workload.inputTokensPerRequest"], {});
  const output = parseFieldValue(plan.values["workload.outputTokensPerRequest"], {});
  return {
    input: typeof input === "number" && input >= 1 ? Math.round(input) : preset.inputTokensPerRequest,
    output: typeof output === "number" && output >= 1 ? Math.round(output) : preset.outputTokensPerRequest,
  };
}

/** Throughput cache per (model, accelerator, lengths, target): the wizard asks for the same many times. */
const throughputCache = new Map<string, ThroughputResult | string>();

/**
 * Output tokens/s per GPU of an accelerator for the plan's model, token lengths and latency
 * target (`throughputAt` on the public data), or a sentence saying why there is none.
 */
export function throughputFor(plan: PlanInput, accelerator: string): ThroughputResult | string {
  const target = planInteractivity(plan);
  if (typeof target === "string") return "the speed target is not a number";
  const tokens = planTokens(plan);
  const key = [plan.model, accelerator, tokens.input, tokens.output, target, plan.latency].join("|");
  const cached = throughputCache.get(key);
  if (cached !== undefined) return cached;
  let value: ThroughputResult | string;
  try {
    value = throughputAt(
      {
        accelerator,
        model: plan.model,
        inputTokens: tokens.input,
        outputTokens: tokens.output,
        interactivityTokensPerSecondPerUser: target,
        timeToFirstTokenMs:
          plan.latency === "custom" ? null : (latencyPreset(plan.latency)?.timeToFirstTokenMs ?? null),
      },
      book,
    );
  } catch (error) {
    value =
      error instanceof ScenarioError
        ? error.issues.map((issue) => issue.message).join("; ")
        : error instanceof Error
          ? error.message
          : String(error);
  }
  throughputCache.set(key, value);
  return value;
}

/**
 * True when the price book can give a speed for this accelerator and the plan's model at some
 * target: a measurement, or a datasheet to estimate from. False means the person must give one.
 */
export function catalogHasSpeed(plan: PlanInput, accelerator: string): boolean {
  if (book.accelerators.some((item) => item.key === accelerator)) return true;
  return book.throughputPoints.some((point) => point.accelerator === accelerator && point.model === plan.model);
}

export interface ServerChoice {
  sku: ServerSku;
  acceleratorName: string;
  priceUsd: number | null;
  throughput: ThroughputResult | string;
  /** Server price per output token/s of capacity, USD (null without price or throughput). */
  usdPerTokenPerSecond: number | null;
}

/** Partner servers grouped by vendor, with their catalog price and throughput for the plan. */
export function serverChoices(plan: PlanInput): ServerChoice[] {
  return book.servers
    .map((sku) => {
      const throughput = throughputFor(plan, sku.accelerator);
      const priceUsd = sku.priceUsd?.value ?? null;
      const usdPerTokenPerSecond =
        priceUsd !== null && typeof throughput !== "string"
          ? priceUsd / (sku.gpusPerServer * throughput.outputTokensPerSecondPerGpu)
          : null;
      return { sku, acceleratorName: acceleratorName(sku.accelerator), priceUsd, throughput, usdPerTokenPerSecond };
    })
    .sort((a, b) => a.sku.vendor.localeCompare(b.sku.vendor) || a.sku.sku.localeCompare(b.sku.sku));
}

export interface OfferChoice {
  offer: CloudOffer;
  acceleratorName: string;
  throughput: ThroughputResult | string;
  /** USD per GPU-hour per output token/s (null without throughput). */
  usdPerGpuHourPerTokenPerSecond: number | null;
}

/**
 * Cloud and neo-cloud offers that can serve the plan: on demand or 1- or 3-year commitments, current
 * rows only (ADR 016), not flagged as collector artefacts, with throughput for the plan's model on
 * their accelerator, or with no speed in the book at all (the wizard then asks for one).
 */
export function offerChoices(plan: PlanInput): OfferChoice[] {
  return (
    book.cloudOffers
      .filter(
        (offer) =>
          (offer.commitment === "none" || offer.commitment === "1y" || offer.commitment === "3y") &&
          !offer.suspect &&
          // Rows kept for the record (superseded, outlier) are never offered (ADR 016).
          (offer.status === "current" || plan.cloudOffers.includes(offer.id)),
      )
      .map((offer) => {
        const throughput = throughputFor(plan, offer.accelerator);
        return {
          offer,
          acceleratorName: acceleratorName(offer.accelerator),
          throughput,
          usdPerGpuHourPerTokenPerSecond:
            typeof throughput === "string"
              ? null
              : offer.priceUsdPerGpuHour.value / throughput.outputTokensPerSecondPerGpu,
        };
      })
      // Offers whose accelerator has no speed in the book are still listed: choosing one asks for a speed.
      .filter(
        (choice) =>
          typeof choice.throughput !== "string" ||
          !catalogHasSpeed(plan, choice.offer.accelerator) ||
          plan.cloudOffers.includes(choice.offer.id),
      )
      .sort(
        (a, b) =>
          a.offer.providerKind.localeCompare(b.offer.providerKind) ||
          a.offer.provider.localeCompare(b.offer.provider) ||
          a.offer.instanceType.localeCompare(b.offer.instanceType) ||
          a.offer.commitment.localeCompare(b.offer.commitment),
      )
  );
}

/** The plan's token mix, for ranking API offers (effective price per million tokens of this workload). */
function planApiMix(plan: PlanInput): ApiMix {
  const tokens = planTokens(plan);
  return { inputTokensPerRequest: tokens.input, outputTokensPerRequest: tokens.output };
}

/**
 * Current model-API offers for the plan's model, cheapest first for the plan's token mix. Only
 * the same model key: a dated release (deepseek-r1-0528) is a different model from its namesake.
 */
export function tokenPriceChoices(plan: PlanInput): TokenPrice[] {
  return rankApiOffers(book, plan.model, planApiMix(plan)).map((item) => item.offer);
}

/** Offers for closed frontier models (GPT, Claude, Gemini) to compare against, by model then price. */
export function frontierApiChoices(
  plan: PlanInput,
): { model: string; name: string; owner: string; offers: TokenPrice[] }[] {
  return book.apiOnlyModels
    .map((model) => ({
      model: model.key,
      name: model.name,
      owner: model.owner,
      offers: rankApiOffers(book, model.key, planApiMix(plan)).map((item) => item.offer),
    }))
    .filter((group) => group.offers.length > 0)
    .sort((a, b) => a.owner.localeCompare(b.owner) || a.name.localeCompare(b.name));
}

/** Blended USD per million tokens of an offer for the plan's token mix (what the wizard sorts by). */
export function offerBlendedPrice(plan: PlanInput, offer: TokenPrice): number {
  return effectiveApiPrice(offer, planApiMix(plan)).blendedUsdPerMillionTokens;
}

/** The cheapest offer for the plan's model and the median host, so the API path needs no typed price. */
function defaultTokenApis(plan: PlanInput): string[] {
  const ranked = tokenPriceChoices(plan);
  const picks = [ranked[0], ranked[Math.floor((ranked.length - 1) / 2)]].filter(
    (price): price is TokenPrice => price !== undefined,
  );
  return [...new Set(picks.map((price) => price.id))];
}

/**
 * The API choices after the plan's model changed: offers chosen for the old model go (they would
 * buy a different model), frontier comparisons stay, and the new model's defaults come in.
 */
export function tokenApisForModel(plan: PlanInput): string[] {
  const frontier = new Set(book.apiOnlyModels.map((model) => model.key));
  const kept = plan.tokenApis.filter((id) => {
    const offer = apiOffer(id);
    return offer !== undefined && (frontier.has(offer.model) || offer.model === plan.model);
  });
  return [...new Set([...defaultTokenApis(plan), ...kept])];
}

/** An API offer by its id or legacy id. */
export function apiOffer(id: string): TokenPrice | undefined {
  return findApiOffer(book, id)?.offer;
}

/**
 * Fills the choices a new plan needs from the catalog, leaving anything already chosen alone:
 * the model with the most measured throughput, a region (US-VA, the largest data-centre market,
 * when present), and a sensible shortlist of paths — the two servers with the lowest price per
 * token/s of capacity plus the server cheapest to buy one of (a small workload's build), the two
 * cloud offers (one neo-cloud, one hyperscaler) with the lowest price per token/s, and every
 * catalog token price for the model.
 */
export function withCatalogDefaults(plan: PlanInput): PlanInput {
  const next: PlanInput = structuredClone(plan);
  if (!next.model || !book.models.some((model) => model.key === next.model)) {
    // A model that fits the use case first (a 70B chat model for a chat assistant), when a server
    // can serve it (issue 18); else the most-measured model that all three paths can serve at the
    // plan's speed target: API offers for it, and a server whose measured throughput reaches the target.
    const servableModel = (key: string): boolean =>
      serverChoices({ ...next, model: key }).some((choice) => choice.usdPerTokenPerSecond !== null);
    const preferred = (PREFERRED_MODELS[next.useCase] ?? []).find(
      (key) => book.models.some((model) => model.key === key) && servableModel(key),
    );
    const withOffers = modelChoices().filter((model) => tokenPriceChoices({ ...next, model: model.key }).length > 0);
    const servable = withOffers.find((model) => servableModel(model.key));
    next.model = preferred ?? servable?.key ?? withOffers[0]?.key ?? modelChoices()[0]?.key ?? "";
  }
  if (!next.region || !findRegion(next.region)) {
    next.region = findRegion("US-VA")?.electricity.length ? "US-VA" : (regionChoices()[0]?.code ?? "");
  }
  if (next.servers.length === 0) {
    const ranked = serverChoices(next)
      .filter((choice) => choice.usdPerTokenPerSecond !== null && choice.sku.powerKw !== null)
      .sort((a, b) => (a.usdPerTokenPerSecond ?? 0) - (b.usdPerTokenPerSecond ?? 0));
    const picked: string[] = [];
    const accelerators = new Set<string>();
    for (const choice of ranked) {
      if (accelerators.has(choice.sku.accelerator)) continue;
      accelerators.add(choice.sku.accelerator);
      picked.push(choice.sku.id);
      if (picked.length === 2) break;
    }
    // A small workload needs one server, not the best price per token/s at scale: also offer the
    // server that is cheapest to buy one of (ADR 016), when it is not already on the shortlist.
    const entry = [...ranked].sort((a, b) => (a.priceUsd ?? 0) - (b.priceUsd ?? 0))[0];
    if (entry && !picked.includes(entry.sku.id)) picked.push(entry.sku.id);
    next.servers = picked;
  }
  if (next.cloudOffers.length === 0) {
    const ranked = offerChoices(next)
      .filter((choice) => choice.usdPerGpuHourPerTokenPerSecond !== null && choice.offer.commitment === "none")
      .sort((a, b) => (a.usdPerGpuHourPerTokenPerSecond ?? 0) - (b.usdPerGpuHourPerTokenPerSecond ?? 0));
    const picked: string[] = [];
    for (const kind of ["neocloud", "hyperscaler"] as const) {
      const best = ranked.find((choice) => choice.offer.providerKind === kind);
      if (best) picked.push(best.offer.id);
    }
    next.cloudOffers = picked;
  }
  if (next.tokenApis.length === 0) next.tokenApis = defaultTokenApis(next);
  if (!next.values.horizonYears) next.values.horizonYears = "";
  return next;
}

/**
 * The default a field shows when empty, with its source: catalog figures (region electricity
 * and carbon, PUE, colocation, life, maintenance, licences, resale, adders, insurance), preset
 * figures (token lengths, the latency target) and planner conventions (horizon, first month).
 * Null when nothing cited exists: the field then asks. A server or instance price field shows the
 * organisation's quote instead when one applies (`orgQuotes`, the signed-in organisation's).
 */
export function fieldDefault(
  fieldId: string,
  plan: PlanInput,
  orgQuotes: readonly OrgQuote[] = [],
): FieldDefault | null {
  const def = fieldDef(fieldId);
  const scale = def?.percent ? 100 : 1;
  const figure = (key: string): FieldDefault | null => {
    const found = defaultFigure(key);
    return found ? { value: found.value * scale, provenance: fromFigure(found) } : null;
  };
  const preset = useCasePreset(plan.useCase);
  switch (fieldId) {
    case "workload.inputTokensPerRequest":
      return { value: preset.inputTokensPerRequest, provenance: { ...preset.provenance } };
    case "workload.outputTokensPerRequest":
      return { value: preset.outputTokensPerRequest, provenance: { ...preset.provenance } };
    case "site.electricityUsdPerKwh": {
      const region = findRegion(plan.region);
      const customerClass = plan.customerClass || region?.defaultCustomerClass;
      const price = region?.electricity.find((item) => item.customerClass === customerClass);
      return price ? { value: price.usdPerKwh.value, provenance: fromFigure(price.usdPerKwh) } : null;
    }
    case "site.gridCarbonGPerKwh": {
      const carbon = findRegion(plan.region)?.gridCarbonGPerKwh;
      return carbon ? { value: carbon.value, provenance: fromFigure(carbon) } : null;
    }
    case "site.pue":
      return figure("site.pue");
    case "site.colocationUsdPerKwMonth":
      return plan.facility === "colocation" ? figure("site.colocationUsdPerKwMonth") : null;
    case "build.lifeYears":
      return figure("build.lifeYears");
    case "build.maintenancePerYear":
      return figure("build.maintenancePerYear");
    case "build.resaleDeclinePerYear":
      return figure("build.resaleDeclinePerYear");
    case "build.adders":
      return figure("build.addersNetwork");
    case "build.insurancePerYear":
      return figure("build.insurancePerYear");
    case "build.softwareUsdPerGpuYear":
    case "lease.softwareUsdPerGpuYear": {
      // The chosen serving stack's licence (on NVIDIA GPUs for NVIDIA AI Enterprise, AMD for AMD's).
      const stack = planServingStack(plan);
      const licence = stackLicence(book, stack, stack === "amd-enterprise-ai" ? "AMD" : "NVIDIA");
      return licence.kind === "figure" ? { value: licence.figure.value, provenance: fromFigure(licence.figure) } : null;
    }
    case "build.warrantyYears":
      return figure("support.warrantyYears.oem");
    case "finance.discountRatePerYear":
      return figure("finance.discountRatePerYear");
    case "horizonYears":
      return { value: 5, provenance: PLANNER_CONVENTION };
    case "startMonth":
      return null;
    default:
      break;
  }
  const quoted = orgQuoteDefault(fieldId, plan, orgQuotes);
  if (quoted) return quoted;
  if (fieldId.startsWith("quote.server.")) {
    const sku = book.servers.find((item) => item.id === fieldId.slice("quote.server.".length));
    return sku?.priceUsd ? { value: sku.priceUsd.value, provenance: fromFigure(sku.priceUsd) } : null;
  }
  if (fieldId.startsWith("quote.offer.")) {
    const offer = book.cloudOffers.find((item) => item.id === fieldId.slice("quote.offer.".length));
    return offer ? { value: offer.priceUsdPerHour.value, provenance: fromFigure(offer.priceUsdPerHour) } : null;
  }
  const apiMatch = /^api\.(.+)\.(usdPerMillionInputTokens|usdPerMillionOutputTokens)$/.exec(fieldId);
  if (apiMatch) {
    const price = apiMatch[1] ? apiOffer(apiMatch[1]) : undefined;
    const priceFigure = price ? price[apiMatch[2] as "usdPerMillionInputTokens" | "usdPerMillionOutputTokens"] : null;
    return priceFigure ? { value: priceFigure.value, provenance: fromFigure(priceFigure) } : null;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// The signed-in organisation's quotes
// ---------------------------------------------------------------------------------------------

/** The day quotes must still be valid on for a plan: the first day of its start month, as the resolver reads it. */
function planQuoteDate(plan: PlanInput): string {
  return `${plan.values.startMonth?.trim() || nextMonth()}-01`;
}

/** Public price of a quote's target in the book: USD per server, or USD per instance-hour; null when none. */
function publicUnitPriceUsd(kind: "sku" | "offer", id: string): number | null {
  if (kind === "sku") return book.servers.find((item) => item.id === id)?.priceUsd?.value ?? null;
  return book.cloudOffers.find((item) => item.id === id)?.priceUsdPerHour.value ?? null;
}

/** The organisation's quoted price for a server / instance price field, when a quote applies on the plan's start. */
function orgQuoteDefault(fieldId: string, plan: PlanInput, orgQuotes: readonly OrgQuote[]): FieldDefault | null {
  if (orgQuotes.length === 0) return null;
  const kind = fieldId.startsWith("quote.server.") ? "sku" : fieldId.startsWith("quote.offer.") ? "offer" : null;
  if (!kind) return null;
  const targetId = fieldId.slice(kind === "sku" ? "quote.server.".length : "quote.offer.".length);
  const quote = applicableQuote(orgQuotes, kind, targetId, planQuoteDate(plan));
  if (!quote) return null;
  const publicUsd = publicUnitPriceUsd(kind, targetId);
  const value = quotedUnitPriceUsd(quote, publicUsd);
  return value === null ? null : { value, provenance: orgQuoteProvenance(quote, publicUsd), fromOrgQuote: true };
}

/** The source of a figure the resolver took from one of the organisation's quotes, in plain words; null otherwise. */
function orgQuoteSource(figure: UsedFigure, orgQuotes: readonly OrgQuote[]): Provenance | null {
  if (figure.origin !== "quote" || !figure.ref.startsWith("quote:")) return null;
  const quote = orgQuotes.find((item) => item.id === figure.ref.slice("quote:".length));
  return quote ? orgQuoteProvenance(quote, publicUnitPriceUsd(quote.target.kind, quote.target.id)) : null;
}

/** The resolver's note on a quote that expires before the plan starts, in plain words (other notes unchanged). */
function plainQuoteNote(note: string, orgQuotes: readonly OrgQuote[]): string {
  const match =
    /^Quote (\S+) for .* expired on (\d{4}-\d{2}-\d{2}), before the plan starts on (\d{4}-\d{2}-\d{2})/.exec(note);
  const quote = match ? orgQuotes.find((item) => item.id === match[1]) : undefined;
  if (!match || !quote) return note;
  const target =
    quote.target.kind === "sku"
      ? book.servers.find((item) => item.id === quote.target.id)
      : book.cloudOffers.find((item) => item.id === quote.target.id);
  const name = !target
    ? quote.target.id
    : "vendor" in target
      ? `${target.vendor} ${target.sku}`
      : `${target.provider} ${target.instanceType}`;
  const why = quote.note?.trim() ? ` (${quote.note.trim()})` : "";
  return `Your organisation's quote for ${name}${why} is valid until ${formatAsOf(match[2])}, before this plan starts (${formatAsOf(match[3]?.slice(0, 7))}): the public price is used.`;
}

// ---------------------------------------------------------------------------------------------
// Plan → scenario
// ---------------------------------------------------------------------------------------------

/** One entry of the assumptions table. */
export interface Assumption {
  /** What the figure is, in words, with the path it belongs to. */
  label: string;
  /** The value in the field's units (percent fields in %), or the scenario's units when no field. */
  value: number;
  unit: string;
  provenance: Provenance;
  /** Where the number came from. */
  origin: "typed" | "catalog" | "default" | "quote" | "throughput" | "preset" | "convention";
  /** Field id to edit it in place; null when it is not editable from the table. */
  fieldId: string | null;
  /** The option it belongs to, or null for the whole scenario. */
  optionId: string | null;
}

export interface PlanComputation {
  /** The scenario as sent to the schema (may hold raw text where a typed value is not a number). */
  input: Record<string, unknown>;
  /** Field errors by field id, in plain words, from the shared schema, the resolver and the kernel. */
  fieldErrors: Record<string, string[]>;
  /** Problems that belong to no single field. */
  generalErrors: string[];
  /** Option names by option id. */
  labels: Record<string, OptionLabel>;
  /** The resolved scenario (all numbers inline) when the plan is complete and valid. */
  scenario: Scenario | null;
  usedFigures: UsedFigure[];
  notes: string[];
  assumptions: Assumption[];
  /** What each catalog-priced token path buys, in plain words for the results (empty until resolved). */
  apiOffers: ApiOfferSummary[];
}

/** One token path's offer as the results show it: who sells which model, at what price, from when and where. */
export interface ApiOfferSummary {
  optionId: string;
  provider: string;
  servesModelName: string;
  /** The workload's model (what the owned and leased paths run), when the plan names one. */
  workloadModelName: string | null;
  /** The API sells another model than the one the other paths run: not a like-for-like comparison. */
  differentModel: boolean;
  /** Effective prices after the plan's cached-input and batch shares, USD per million tokens. */
  usdPerMillionInputTokens: number;
  usdPerMillionOutputTokens: number;
  asOf: string;
  source: string;
}

function apiOfferSummary(use: ApiOfferUse): ApiOfferSummary {
  return {
    optionId: use.optionId,
    provider: use.provider,
    servesModelName: catalogModelName(book, use.servesModel),
    workloadModelName: use.workloadModel === null ? null : catalogModelName(book, use.workloadModel),
    differentModel: use.differentModel,
    usdPerMillionInputTokens: use.effectiveUsdPerMillionInputTokens,
    usdPerMillionOutputTokens: use.effectiveUsdPerMillionOutputTokens,
    asOf: use.asOf,
    source: use.source,
  };
}

const OPTION_FIELD_OF: Readonly<Record<string, string>> = {
  lifeYears: "build.lifeYears",
  resaleDeclinePerYear: "build.resaleDeclinePerYear",
  adders: "build.adders",
  maintenancePerYear: "build.maintenancePerYear",
  warrantyYears: "build.warrantyYears",
  spareFraction: "build.spareFraction",
  serversPerFte: "build.serversPerFte",
  fteUsdPerYear: "build.fteUsdPerYear",
  idlePowerFraction: "build.idlePowerFraction",
  otherUsdPerServerYear: "build.insurancePerYear",
};

/** Option id of a catalog server / offer / token price in the scenario. */
export const buildOptionId = (skuId: string): string => `build-${skuId}`;
export const leaseOptionId = (offerId: string): string => `lease-${offerId}`;
export const apiOptionId = (apiId: string): string => `api-${apiId}`;
export const CUSTOM_API_ID = "custom";

function commitmentWords(offer: CloudOffer, termYears: number | null = null): string {
  // The plan's term when the book can price it (published or derived), else the offer's own.
  const priced =
    termYears !== null && termYears !== (offer.termYears ?? 0)
      ? leaseTermPrices(book, offer)[termYears as 0 | 1 | 3]
      : null;
  if (termYears !== null && (termYears === (offer.termYears ?? 0) || priced))
    return termYears === 0 ? "on demand" : `${termYears}-year commitment`;
  if (offer.commitment === "1y") return "1-year commitment";
  if (offer.commitment === "none") return "on demand";
  return offer.commitment.replace("_", " ");
}

/** Names for an option, for the headline and tables. */
function labelFor(option: OptionInput, leaseTermYears: number | null = null): OptionLabel {
  if (option.kind === "build") {
    const sku = book.servers.find((item) => item.id === option.sku);
    const name = sku ? `${sku.vendor} ${sku.sku}` : option.id;
    return { name, phrase: `Building with ${name}`, accelerator: sku ? shortAccelerator(sku.accelerator) : null };
  }
  if (option.kind === "lease") {
    const offer = book.cloudOffers.find((item) => item.id === option.offer);
    if (!offer) return { name: option.id, phrase: `Leasing ${option.id}`, accelerator: null };
    const accelerator = shortAccelerator(offer.accelerator);
    const kind = offer.providerKind === "neocloud" ? "neo-cloud " : "";
    return {
      name: `${offer.provider} ${offer.acceleratorCount}× ${accelerator} (${commitmentWords(offer, leaseTermYears)})`,
      phrase: `Leasing ${accelerator} from ${kind}${offer.provider}`,
      accelerator,
    };
  }
  const price = option.offer ? apiOffer(option.offer) : undefined;
  if (price) {
    const modelName = catalogModelName(book, price.model);
    return {
      name: `${price.provider} ${modelName} API`,
      phrase: `Buying tokens from ${price.provider}`,
      accelerator: null,
    };
  }
  return { name: "Your token API price", phrase: "Buying tokens at your API price", accelerator: null };
}

/** Adds a typed number to `target[key]` when the field has a value, recording which field the path belongs to. */
function setTyped(
  target: Record<string, unknown>,
  key: string,
  plan: PlanInput,
  fieldId: string,
  path: string,
  fieldOfPath: Map<string, string>,
): void {
  const def = fieldDef(fieldId);
  const value = parseFieldValue(plan.values[fieldId], def ?? {});
  fieldOfPath.set(path, fieldId);
  if (value !== undefined) target[key] = value;
}

/** Tokens in and out of one request: typed, else the use case's preset. */
function planTokensPerRequest(plan: PlanInput): { input: number; output: number } {
  const preset = useCasePreset(plan.useCase);
  const typed = (fieldId: string, fallback: number): number => {
    const value = parseFieldValue(plan.values[fieldId], {});
    return typeof value === "number" ? value : fallback;
  };
  return {
    input: typed("workload.inputTokensPerRequest", preset.inputTokensPerRequest),
    output: typed("workload.outputTokensPerRequest", preset.outputTokensPerRequest),
  };
}

/** Every catalog token price, for "today's API bill at a named price" (any model the person uses today). */
export function spendPriceChoices(): TokenPrice[] {
  return [...book.tokenPrices].sort((a, b) => `${a.provider} ${a.model}`.localeCompare(`${b.provider} ${b.model}`));
}

/** The prices today's API bill is read at: a catalog price chosen by id, or the two typed ones. */
function spendPrices(plan: PlanInput): { input: number | string | undefined; output: number | string | undefined } {
  const chosen = plan.values["volume.spendPrice"] ?? "";
  const price = book.tokenPrices.find((item) => item.id === chosen);
  if (price) return { input: price.usdPerMillionInputTokens.value, output: price.usdPerMillionOutputTokens.value };
  return {
    input: parseFieldValue(plan.values["volume.spendUsdPerMillionInput"], {}),
    output: parseFieldValue(plan.values["volume.spendUsdPerMillionOutput"], {}),
  };
}

/**
 * Requests per day from the volume as the person gave it (issue 18 item 3). An entry that is
 * missing, not a number or not positive is passed on as typed and mapped to its own field, so the
 * schema's message sits on the field that can fix it and quotes what was typed (item 5).
 */
function draftVolume(plan: PlanInput, workload: Record<string, unknown>, fieldOfPath: Map<string, string>): void {
  const path = "workload.requestsPerDay";
  if (plan.volumeMode === "requests") {
    setTyped(workload, "requestsPerDay", plan, path, path, fieldOfPath);
    return;
  }
  const entries: { fieldId: string; value: number | string | undefined }[] = [];
  const tokens = planTokensPerRequest(plan);
  let convert: (values: number[]) => number | null;
  if (plan.volumeMode === "users") {
    entries.push({ fieldId: "volume.users", value: parseFieldValue(plan.values["volume.users"], {}) });
    entries.push({
      fieldId: "volume.requestsPerUserPerDay",
      value: parseFieldValue(plan.values["volume.requestsPerUserPerDay"], {}),
    });
    convert = ([users = 0, perUser = 0]) => users * perUser;
  } else if (plan.volumeMode === "tokensPerDay" || plan.volumeMode === "tokensPerMonth") {
    const fieldId = `volume.${plan.volumeMode}`;
    const days = plan.volumeMode === "tokensPerMonth" ? DAYS_PER_MONTH : 1;
    entries.push({ fieldId, value: parseFieldValue(plan.values[fieldId], {}) });
    convert = ([count = 0]) => requestsFromTokens(count / days, tokens.input, tokens.output);
  } else {
    const prices = spendPrices(plan);
    entries.push({
      fieldId: "volume.apiSpendUsdPerMonth",
      value: parseFieldValue(plan.values["volume.apiSpendUsdPerMonth"], {}),
    });
    entries.push({ fieldId: "volume.spendUsdPerMillionInput", value: prices.input });
    entries.push({ fieldId: "volume.spendUsdPerMillionOutput", value: prices.output });
    convert = ([usd = 0, input = 0, output = 0]) => requestsFromSpend(usd, tokens.input, tokens.output, input, output);
  }
  // Prices may be 0 (a free tier) but not all of the bill: only the first entry must be positive.
  const bad = entries.find(
    (entry, index) =>
      entry.value === undefined ||
      typeof entry.value === "string" ||
      (index === 0 ? entry.value <= 0 : entry.value < 0),
  );
  if (bad) {
    fieldOfPath.set(path, bad.fieldId);
    if (bad.value !== undefined) workload.requestsPerDay = bad.value;
    return;
  }
  fieldOfPath.set(path, entries[0]?.fieldId ?? path);
  const requests = convert(entries.map((entry) => entry.value as number));
  workload.requestsPerDay = requests ?? 0;
}

interface Draft {
  input: Record<string, unknown>;
  fieldOfPath: Map<string, string>;
  quotes: OrgQuote[];
  labels: Record<string, OptionLabel>;
  interactivity: number | null | string;
}

/** Builds the scenario input of a plan: catalog references plus every typed override. */
function draftScenario(plan: PlanInput, orgQuotes: readonly OrgQuote[] = []): Draft {
  const fieldOfPath = new Map<string, string>();
  const preset = useCasePreset(plan.useCase);

  const workload: Record<string, unknown> = {
    model: plan.model || undefined,
    inputTokensPerRequest: preset.inputTokensPerRequest,
    outputTokensPerRequest: preset.outputTokensPerRequest,
  };
  setTyped(
    workload,
    "inputTokensPerRequest",
    plan,
    "workload.inputTokensPerRequest",
    "workload.inputTokensPerRequest",
    fieldOfPath,
  );
  setTyped(
    workload,
    "outputTokensPerRequest",
    plan,
    "workload.outputTokensPerRequest",
    "workload.outputTokensPerRequest",
    fieldOfPath,
  );
  draftVolume(plan, workload, fieldOfPath);
  setTyped(workload, "growthPerYear", plan, "workload.growthPerYear", "workload.growthPerYear", fieldOfPath);
  setTyped(workload, "peakToAverage", plan, "workload.peakToAverage", "workload.peakToAverage", fieldOfPath);
  setTyped(
    workload,
    "targetUtilization",
    plan,
    "workload.targetUtilization",
    "workload.targetUtilization",
    fieldOfPath,
  );
  fieldOfPath.set("workload.model", "model");
  // Latency targets travel in the scenario, so a saved plan pins them with its numbers.
  const interactivity = planInteractivity(plan);
  if (typeof interactivity === "number") workload.interactivityTokensPerSecondPerUser = interactivity;
  fieldOfPath.set("workload.interactivityTokensPerSecondPerUser", "workload.interactivity");
  const timeToFirstTokenMs =
    plan.latency === "custom" ? null : (latencyPreset(plan.latency)?.timeToFirstTokenMs ?? null);
  if (timeToFirstTokenMs !== null) workload.timeToFirstTokenMs = timeToFirstTokenMs;

  const site: Record<string, unknown> = {};
  if (plan.region) site.region = plan.region;
  fieldOfPath.set("site.region", "region");
  for (const key of [
    "electricityUsdPerKwh",
    "gridCarbonGPerKwh",
    "pue",
    "powerCapKw",
    "electricityEscalationPerYear",
  ]) {
    setTyped(site, key, plan, `site.${key}`, `site.${key}`, fieldOfPath);
  }
  setTyped(
    site,
    "colocationUsdPerKwMonth",
    plan,
    "site.colocationUsdPerKwMonth",
    "site.colocationUsdPerKwMonth",
    fieldOfPath,
  );
  if (plan.facility === "own" && site.colocationUsdPerKwMonth === undefined) site.colocationUsdPerKwMonth = 0;

  const finance: Record<string, unknown> = {};
  setTyped(
    finance,
    "discountRatePerYear",
    plan,
    "finance.discountRatePerYear",
    "finance.discountRatePerYear",
    fieldOfPath,
  );
  if (finance.discountRatePerYear === undefined) {
    const fallback = defaultFigure("finance.discountRatePerYear");
    if (fallback) finance.discountRatePerYear = fallback.value;
  }

  const quotes: OrgQuote[] = [];
  const labels: Record<string, OptionLabel> = {};
  const options: Record<string, unknown>[] = [];
  const addOption = (option: Record<string, unknown>): number => {
    options.push(option);
    labels[option.id as string] = labelFor(option as unknown as OptionInput, planLeaseTermYears(plan));
    return options.length - 1;
  };
  const quoteFrom = (kind: "sku" | "offer", id: string, fieldId: string, path: string): void => {
    const typed = parseFieldValue(plan.values[fieldId], {});
    fieldOfPath.set(path, fieldId);
    if (typeof typed === "number") {
      quotes.push({
        id: `typed-${id}`,
        orgId: "this-browser",
        target: { kind, id },
        unitPriceUsd: typed,
        discount: 0,
        validUntil: "9999-12-31",
        note: "price typed into the planner",
      });
    }
  };

  /**
   * Where the price book has a speed for the option's accelerator, a failure to read it is about the
   * speed target; where it has none (no measurement, no datasheet to estimate from), the person's
   * own figure is asked for and required: an empty one is named, never filled from another chip.
   */
  const askSpeedWithoutCatalog = (
    option: Record<string, unknown>,
    kind: "server" | "offer",
    id: string,
    accelerator: string | undefined,
    at: (key: string) => string,
  ): void => {
    const speedId = optionSpeedId(kind, id);
    const typed = parseFieldValue(plan.values[speedId], {});
    if (typed !== undefined) {
      option.outputTokensPerSecondPerGpu = typed;
      fieldOfPath.set(at("outputTokensPerSecondPerGpu"), speedId);
      return;
    }
    if (accelerator !== undefined && !catalogHasSpeed(plan, accelerator)) {
      option.outputTokensPerSecondPerGpu = "";
      fieldOfPath.set(at("outputTokensPerSecondPerGpu"), speedId);
      return;
    }
    fieldOfPath.set(at("outputTokensPerSecondPerGpu"), "workload.interactivity");
  };

  for (const skuId of plan.servers) {
    const option: Record<string, unknown> = { kind: "build", id: buildOptionId(skuId), sku: skuId };
    const index = addOption(option);
    const at = (key: string) => `options.${index}.${key}`;
    quoteFrom("sku", skuId, serverQuoteId(skuId), at("priceUsd"));
    const typedQuote = parseFieldValue(plan.values[serverQuoteId(skuId)], {});
    if (typeof typedQuote === "string") option.priceUsd = typedQuote;
    for (const [key, fieldId] of Object.entries(OPTION_FIELD_OF)) {
      if (key === "otherUsdPerServerYear") continue;
      setTyped(option, key, plan, fieldId, at(key), fieldOfPath);
    }
    setTyped(
      option,
      "softwareUsdPerGpuYear",
      plan,
      "build.softwareUsdPerGpuYear",
      at("softwareUsdPerGpuYear"),
      fieldOfPath,
    );
    setTyped(option, "priceChangePerYear", plan, "build.priceChangePerYear", at("priceChangePerYear"), fieldOfPath);
    // A typed support rate is the rate after the warranty: keep the catalog's warranty for this server class.
    if (option.maintenancePerYear !== undefined && option.warrantyYears === undefined) {
      const vendor = book.servers.find((item) => item.id === skuId)?.vendor;
      const warranty = defaultFigure(
        vendor === "NVIDIA" ? "support.warrantyYears.nvidia-dgx" : "support.warrantyYears.oem",
      );
      if (warranty) option.warrantyYears = warranty.value;
    }
    // Insurance typed as % of the server price becomes a yearly amount per server.
    const insurance = parseFieldValue(plan.values["build.insurancePerYear"], { percent: true });
    fieldOfPath.set(at("otherUsdPerServerYear"), "build.insurancePerYear");
    if (typeof insurance === "string") option.otherUsdPerServerYear = insurance;
    else if (insurance !== undefined) {
      // The price the resolver will use: typed, else the organisation's quote, else the catalog's.
      const price =
        typeof typedQuote === "number"
          ? typedQuote
          : (orgQuoteDefault(serverQuoteId(skuId), plan, orgQuotes)?.value ??
            book.servers.find((item) => item.id === skuId)?.priceUsd?.value);
      if (price !== undefined) option.otherUsdPerServerYear = insurance * price;
    }
    fieldOfPath.set(at("kw"), `server:${skuId}`);
    askSpeedWithoutCatalog(option, "server", skuId, book.servers.find((item) => item.id === skuId)?.accelerator, at);
  }
  for (const offerId of plan.cloudOffers) {
    const option: Record<string, unknown> = { kind: "lease", id: leaseOptionId(offerId), offer: offerId };
    const index = addOption(option);
    const at = (key: string) => `options.${index}.${key}`;
    quoteFrom("offer", offerId, offerQuoteId(offerId), at("priceUsdPerInstanceHour"));
    const typedQuote = parseFieldValue(plan.values[offerQuoteId(offerId)], {});
    if (typeof typedQuote === "string") option.priceUsdPerInstanceHour = typedQuote;
    setTyped(option, "priceChangePerYear", plan, "lease.priceChangePerYear", at("priceChangePerYear"), fieldOfPath);
    setTyped(
      option,
      "softwareUsdPerGpuYear",
      plan,
      "lease.softwareUsdPerGpuYear",
      at("softwareUsdPerGpuYear"),
      fieldOfPath,
    );
    askSpeedWithoutCatalog(
      option,
      "offer",
      offerId,
      book.cloudOffers.find((item) => item.id === offerId)?.accelerator,
      at,
    );
  }
  const apiIds = [...plan.tokenApis, ...(plan.customApi ? [CUSTOM_API_ID] : [])];
  for (const apiId of apiIds) {
    const option: Record<string, unknown> = { kind: "api", id: apiOptionId(apiId) };
    if (apiId !== CUSTOM_API_ID) option.offer = apiId;
    const index = addOption(option);
    const ids = apiPriceIds(apiId);
    setTyped(
      option,
      "usdPerMillionInputTokens",
      plan,
      ids.input,
      `options.${index}.usdPerMillionInputTokens`,
      fieldOfPath,
    );
    setTyped(
      option,
      "usdPerMillionOutputTokens",
      plan,
      ids.output,
      `options.${index}.usdPerMillionOutputTokens`,
      fieldOfPath,
    );
    setTyped(
      option,
      "priceChangePerYear",
      plan,
      "api.priceChangePerYear",
      `options.${index}.priceChangePerYear`,
      fieldOfPath,
    );
    if (apiId === CUSTOM_API_ID) {
      // Never invent a token price: the person's own price is required, and missing ones are named.
      if (option.usdPerMillionInputTokens === undefined) option.usdPerMillionInputTokens = "";
      if (option.usdPerMillionOutputTokens === undefined) option.usdPerMillionOutputTokens = "";
    }
  }
  fieldOfPath.set("options", "options");

  const input: Record<string, unknown> = {
    name: plan.name.trim() || undefined,
    startMonth: plan.values.startMonth?.trim() || nextMonth(),
    horizonYears: 5,
    finance,
    workload,
    site,
    options,
    // ADR 017: the serving stack and the lease term are explicit choices of every plan.
    servingStack: planServingStack(plan),
    leaseCommitment: planLeaseCommitment(plan),
  };
  // A baseline the person picked (kept only while that path is in the plan); else the fair one at evaluation.
  if (plan.baseline && options.some((option) => option.id === plan.baseline))
    input.comparison = { baselineOptionId: plan.baseline };
  setTyped(input, "horizonYears", plan, "horizonYears", "horizonYears", fieldOfPath);
  fieldOfPath.set("startMonth", "startMonth");
  fieldOfPath.set("finance", "finance.discountRatePerYear");
  return { input, fieldOfPath, quotes, labels, interactivity: planInteractivity(plan) };
}

function withoutUndefined(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value)) as unknown;
}

/** The field an issue path belongs to: the longest recorded prefix. */
function fieldForPath(path: string, fieldOfPath: Map<string, string>): string | null {
  let candidate = path;
  while (candidate) {
    const field = fieldOfPath.get(candidate);
    if (field) return field;
    const cut = candidate.lastIndexOf(".");
    if (cut < 0) break;
    candidate = candidate.slice(0, cut);
  }
  return null;
}

function optionIndexOf(path: string): number | null {
  const match = /^options\.(\d+)/.exec(path);
  return match ? Number(match[1]) : null;
}

/**
 * Checks the schema cannot make (issue 18 item 5), each on the field that can fix it: a request
 * needs at least one token in and out (the speed tables start there; without this the failure
 * surfaced as one line per server), and a volume beyond the largest published deployment asks
 * "did you mean…?". False when a message was added.
 */
function plausibleVolume(
  plan: PlanInput,
  input: Record<string, unknown>,
  fieldOfPath: Map<string, string>,
  fieldErrors: Record<string, string[]>,
): boolean {
  const { input: inputTokensPerRequest, output: outputTokensPerRequest } = planTokensPerRequest(plan);
  const requestsPerDay = (input.workload as { requestsPerDay?: unknown } | undefined)?.requestsPerDay;
  let ok = true;
  for (const [fieldId, tokens] of [
    ["workload.inputTokensPerRequest", inputTokensPerRequest],
    ["workload.outputTokensPerRequest", outputTokensPerRequest],
  ] as const) {
    // Negative or fractional counts are the schema's to report; 0 parses but cannot be served.
    if (tokens >= 0 && tokens < 1) {
      (fieldErrors[fieldId] ??= []).push(
        messageInFieldUnits(`expected a whole number of tokens >= 1, got ${tokens}`, {}),
      );
      ok = false;
    }
  }
  if (!ok || typeof requestsPerDay !== "number") return ok;
  const fieldId = fieldOfPath.get("workload.requestsPerDay") ?? "workload.requestsPerDay";
  const typed = parseFieldValue(plan.values[fieldId], {});
  const message = implausibleVolume(
    requestsPerDay,
    inputTokensPerRequest,
    outputTokensPerRequest,
    typeof typed === "number" ? typed : requestsPerDay,
    fieldDef(fieldId)?.unit ?? "requests per day",
  );
  if (!message) return true;
  (fieldErrors[fieldId] ??= []).push(message);
  return false;
}

/**
 * Everything the wizard and the results page need from a plan: the scenario, field errors from
 * the shared schema / resolver / kernel mapped onto the fields, the resolved scenario with the
 * provenance of every figure, and the assumptions table.
 *
 * `orgQuotes`: the signed-in organisation's quotes (none for anonymous use). They replace public
 * server / instance prices while valid on the plan's first day; a price typed into the planner
 * for the same server or offer still wins.
 */
export function computePlan(plan: PlanInput, orgQuotes: readonly OrgQuote[] = []): PlanComputation {
  const draft = draftScenario(plan, orgQuotes);
  const typedTargets = new Set(draft.quotes.map((quote) => `${quote.target.kind}:${quote.target.id}`));
  const appliedOrgQuotes = orgQuotes.filter((quote) => !typedTargets.has(`${quote.target.kind}:${quote.target.id}`));
  const input = withoutUndefined(draft.input) as Record<string, unknown>;
  const fieldErrors: Record<string, string[]> = {};
  const generalErrors: string[] = [];
  const options = (input.options as { id: string }[]) ?? [];
  const report = (issues: readonly FieldIssue[]): void => {
    for (const issue of issues) {
      const fieldId = fieldForPath(issue.path, draft.fieldOfPath);
      const index = optionIndexOf(issue.path);
      const optionName = index !== null ? draft.labels[options[index]?.id ?? ""]?.name : undefined;
      const def = fieldId ? fieldDef(fieldId) : null;
      if (fieldId && def) {
        const prefix =
          optionName && !fieldId.startsWith("quote.") && !fieldId.startsWith("api.") ? `${optionName}: ` : "";
        (fieldErrors[fieldId] ??= []).push(prefix + messageInFieldUnits(issue.message, def));
      } else if (fieldId === "options") {
        generalErrors.push("Choose at least one path to compare: a server, a cloud offer or a token API.");
      } else {
        generalErrors.push(
          `${optionName ? `${optionName}: ` : ""}${issue.message}${fieldId && !def ? "" : ` (${issue.path})`}`,
        );
        if (fieldId) (fieldErrors[fieldId] ??= []).push(issue.message);
      }
    }
  };
  const result: PlanComputation = {
    input,
    fieldErrors,
    generalErrors,
    labels: draft.labels,
    scenario: null,
    usedFigures: [],
    notes: [],
    assumptions: [],
    apiOffers: [],
  };
  if (typeof draft.interactivity === "string") {
    (fieldErrors["workload.interactivity"] ??= []).push(`expected a number > 0, got "${draft.interactivity}"`);
    return result;
  }
  // Checked before the schema so a slip shows even while other fields are still empty.
  const volumeOk = plausibleVolume(plan, input, draft.fieldOfPath, fieldErrors);
  const parsed = parseScenario(input);
  if (!parsed.ok) {
    report(parsed.issues);
    return result;
  }
  if (!volumeOk) return result;
  let resolved;
  try {
    resolved = resolveScenario(parsed.scenario, book, {
      quotes: [...draft.quotes, ...appliedOrgQuotes],
      interactivityTokensPerSecondPerUser: draft.interactivity,
      ...(plan.customerClass ? { customerClass: plan.customerClass } : {}),
    });
  } catch (error) {
    if (error instanceof ResolveError) {
      report(error.issues);
      return result;
    }
    throw error;
  }
  result.scenario = resolved.scenario;
  result.usedFigures = resolved.usedFigures;
  result.notes = resolved.notes.map((note) => plainQuoteNote(note, appliedOrgQuotes));
  result.assumptions = assumptionsOf(plan, resolved.scenario, resolved.usedFigures, draft, appliedOrgQuotes);
  result.apiOffers = resolved.apiOffers.map(apiOfferSummary);
  // An API selling another model than the plan's says so wherever it is named (issue 18 item 1).
  for (const offer of result.apiOffers) {
    const label = result.labels[offer.optionId];
    if (offer.differentModel && label && offer.workloadModelName !== null)
      result.labels = {
        ...result.labels,
        [offer.optionId]: { ...label, otherModel: { serves: offer.servesModelName, plan: offer.workloadModelName } },
      };
  }
  return result;
}

function assumptionsOf(
  plan: PlanInput,
  scenario: Scenario,
  usedFigures: UsedFigure[],
  draft: Draft,
  orgQuotes: readonly OrgQuote[] = [],
): Assumption[] {
  const list: Assumption[] = [];
  const typedProvenance: Provenance = { source: "Typed into the planner", asOf: null, confidence: null, method: null };
  const seenFields = new Set<string>();
  const nameOf = (path: string): { optionId: string | null; prefix: string } => {
    const index = optionIndexOf(path);
    if (index === null) return { optionId: null, prefix: "" };
    const option = scenario.options[index];
    return { optionId: option?.id ?? null, prefix: option ? `${draft.labels[option.id]?.name ?? option.id}: ` : "" };
  };
  for (const figure of usedFigures) {
    const fieldId = fieldForPath(figure.path, draft.fieldOfPath);
    const def = fieldId ? fieldDef(fieldId) : null;
    const { optionId, prefix } = nameOf(figure.path);
    const key = figure.path.split(".").at(-1) ?? figure.path;
    const usePercent = def?.percent === true && key !== "otherUsdPerServerYear";
    list.push({
      label: `${prefix}${def && isPlainField(fieldId) && key !== "otherUsdPerServerYear" ? def.label : humanKey(key)}`,
      value: usePercent ? figure.value * 100 : figure.value,
      unit: usePercent && def ? def.unit : figure.unit,
      provenance: orgQuoteSource(figure, orgQuotes) ?? fromFigure(figure),
      origin: figure.origin,
      fieldId:
        def &&
        key !== "otherUsdPerServerYear" &&
        !(fieldId ?? "").startsWith("server:") &&
        fieldId !== "workload.interactivity"
          ? fieldId
          : null,
      optionId,
    });
  }
  // Typed values and preset values the resolver did not fill.
  const preset = useCasePreset(plan.useCase);
  for (const [path, fieldId] of draft.fieldOfPath) {
    const def = fieldDef(fieldId);
    if (!def || seenFields.has(`${fieldId}|${nameOf(path).optionId}`)) continue;
    const typed = parseFieldValue(plan.values[fieldId], def);
    const isTokens = fieldId === "workload.inputTokensPerRequest" || fieldId === "workload.outputTokensPerRequest";
    if (typeof typed !== "number" && !isTokens && fieldId !== "horizonYears") continue;
    if (optionIndexOf(path) !== null && fieldId.startsWith("quote.")) continue; // quotes appear through usedFigures
    seenFields.add(`${fieldId}|${nameOf(path).optionId}`);
    const { optionId, prefix } = nameOf(path);
    let value: number;
    let provenance: Provenance = typedProvenance;
    let origin: Assumption["origin"] = "typed";
    if (typeof typed === "number") value = def.percent ? typed * 100 : typed;
    else if (fieldId === "horizonYears") {
      value = scenario.horizonYears;
      provenance = PLANNER_CONVENTION;
      origin = "convention";
    } else {
      value =
        fieldId === "workload.inputTokensPerRequest" ? preset.inputTokensPerRequest : preset.outputTokensPerRequest;
      provenance = { ...preset.provenance };
      origin = "preset";
    }
    list.push({ label: `${prefix}${def.label}`, value, unit: def.unit, provenance, origin, fieldId, optionId });
  }
  // ADR 017: the serving stack and the lease term, as chosen or defaulted.
  const stack = planServingStack(plan);
  const stackChoice = servingStackChoices().find((item) => item.key === stack);
  list.push({
    label: `Serving software on owned and leased GPUs: ${SERVING_STACK_NAMES[stack]}`,
    value: stackChoice?.licence?.value ?? 0,
    unit: "USD per GPU per year",
    provenance: plan.servingStack
      ? {
          ...(stackChoice?.licence?.provenance ?? typedProvenance),
          source: `Chosen in the planner; licence: ${stackChoice?.licence?.provenance.source ?? "typed per GPU-year"}`,
        }
      : (stackChoice?.licence?.provenance ?? PLANNER_CONVENTION),
    origin: plan.servingStack ? "typed" : "default",
    fieldId: null,
    optionId: null,
  });
  if (scenario.options.some((option) => option.kind === "lease")) {
    const term = planLeaseTermYears(plan);
    list.push({
      label: `Lease commitment: ${term === null ? "as each offer is listed" : term === 0 ? "on demand" : `${term}-year terms`}`,
      value: term ?? 0,
      unit: "years",
      provenance: plan.leaseCommitment
        ? typedProvenance
        : {
            source:
              "Planner default: the longest commitment (3 years, 1 year, on demand) that does not outlast the plan; prices published by the provider, else on demand × the cited commitment discount",
            asOf: null,
            confidence: null,
            method: null,
          },
      origin: plan.leaseCommitment ? "typed" : "convention",
      fieldId: null,
      optionId: null,
    });
  }
  if (plan.latency !== "custom") {
    const latency = latencyPreset(plan.latency);
    if (latency && latency.tokensPerSecondPerUser !== null) {
      list.push({
        label: `Speed each user sees (${latency.label.toLowerCase()})`,
        value: latency.tokensPerSecondPerUser,
        unit: "output tokens per second per user",
        provenance: { ...latency.provenance },
        origin: "preset",
        fieldId: "workload.interactivity",
        optionId: null,
      });
    }
  }
  return list;
}

/** Fields whose label names the figure itself (quotes and the speed target label the option instead). */
function isPlainField(fieldId: string | null): boolean {
  return (
    fieldId !== null &&
    !fieldId.startsWith("quote.") &&
    fieldId !== "workload.interactivity" &&
    !fieldId.startsWith("api.")
  );
}

function humanKey(key: string): string {
  const words: Record<string, string> = {
    priceUsd: "Server price",
    gpusPerServer: "GPUs per server",
    kw: "Maximum power per server",
    otherUsdPerServerYear: "Insurance per server per year (derived)",
    priceUsdPerInstanceHour: "Price per instance-hour",
    gpusPerInstance: "GPUs per instance",
    termYears: "Commitment term",
    outputTokensPerSecondPerGpu: "Output speed per GPU at the target",
    inputTokensPerSecondPerGpu: "Prompt-reading speed per GPU",
    usdPerMillionInputTokens: "Price of input tokens",
    usdPerMillionOutputTokens: "Price of output tokens",
    softwareUsdPerGpuYear: "Serving software licence per GPU per year",
    warrantyYears: "Support included in the server price (years)",
    maintenancePerYear: "Support after the warranty",
  };
  return words[key] ?? key;
}

// ---------------------------------------------------------------------------------------------
// What-ifs and evaluation
// ---------------------------------------------------------------------------------------------

/**
 * Applies what-if adjustments to a resolved scenario (a copy): volume × factor, and overrides
 * of growth, electricity price, every lease option's price trend, cost of capital and target
 * utilisation. Cheap: one shallow copy per object touched.
 */
export function applyWhatIf(scenario: Scenario, whatIf: WhatIf): Scenario {
  const next: Scenario = {
    ...scenario,
    finance: { ...scenario.finance },
    workload: { ...scenario.workload, requestsPerDay: scenario.workload.requestsPerDay * whatIf.volumeFactor },
    site: { ...scenario.site },
    options: scenario.options.map((option) =>
      option.kind === "lease" && whatIf.leasePriceChangePerYear !== null
        ? { ...option, priceChangePerYear: whatIf.leasePriceChangePerYear }
        : option,
    ),
  };
  if (whatIf.growthPerYear !== null) next.workload.growthPerYear = whatIf.growthPerYear;
  if (whatIf.targetUtilization !== null) next.workload.targetUtilization = whatIf.targetUtilization;
  if (whatIf.discountRatePerYear !== null) next.finance.discountRatePerYear = whatIf.discountRatePerYear;
  if (whatIf.electricityUsdPerKwh !== null && next.site) next.site.electricityUsdPerKwh = whatIf.electricityUsdPerKwh;
  return next;
}

export type Evaluation =
  | { ok: true; result: EvaluateResult; scenario: Scenario; baseline: BaselineChoice | null }
  | { ok: false; messages: string[] };

/**
 * Evaluates a resolved scenario with what-ifs applied; kernel errors come back as sentences.
 * Without a baseline the person chose, building is compared with the cheapest path that does not
 * build under these what-ifs (ADR 017), set explicitly on the returned scenario.
 */
export function evaluateWithWhatIf(scenario: Scenario, whatIf: WhatIf): Evaluation {
  try {
    // One evaluation per move when the cheapest non-build path is unchanged (issue 16).
    return { ok: true, ...evaluateWithFairBaseline(applyWhatIf(scenario, whatIf)) };
  } catch (error) {
    if (error instanceof ScenarioError) {
      return {
        ok: false,
        messages: error.issues.map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message)),
      };
    }
    throw error;
  }
}

/** The value a what-if slider starts from: the plan's own figure (fractions as fractions). */
export function baseWhatIfValues(scenario: Scenario): {
  growthPerYear: number;
  electricityUsdPerKwh: number | null;
  leasePriceChangePerYear: number | null;
  discountRatePerYear: number;
  targetUtilization: number;
} {
  const lease = scenario.options.find((option) => option.kind === "lease");
  return {
    growthPerYear: scenario.workload.growthPerYear ?? 0,
    electricityUsdPerKwh: scenario.site?.electricityUsdPerKwh ?? null,
    leasePriceChangePerYear: lease ? (lease.priceChangePerYear ?? 0) : null,
    discountRatePerYear: scenario.finance.discountRatePerYear,
    targetUtilization: scenario.workload.targetUtilization ?? 1,
  };
}

/** A typed value for a field as the form shows it (for "use this value" actions). */
export function fieldText(value: number): string {
  return formatFieldValue(value);
}
