/** Catalog views for the wizard: models, regions, servers, cloud offers and token APIs for a plan. */
import {
  effectiveApiPrice,
  findApiOffer,
  rankApiOffers,
  type ApiMix,
  type CloudOffer,
  type Region,
  type ServerSku,
  type TokenPrice,
} from "@aifp/catalog";
import { answersRequests, type ThroughputResult } from "@aifp/kernel";
import type { PlanInput } from "../plan.ts";
import { book } from "./book.ts";
import { planTokens } from "./plan-settings.ts";
import { catalogHasSpeed, throughputFor } from "./throughput.ts";

/**
 * `a.localeCompare(b)` with one collator made once: the same order (both use the default locale's
 * collation), but a `localeCompare` call sets up collation every time, and sorting the servers for
 * a new plan's shortlist cost tens of milliseconds on the arrival's critical path (issue 16).
 */
const byText = new Intl.Collator().compare;

/** Models the wizard offers: those with measured throughput first. */
export function modelChoices(): { key: string; name: string; measuredPoints: number; note: string }[] {
  return book.models
    .map((model) => {
      // Only points that answer a request count: calibration-only runs leave the speed estimated.
      const measuredPoints = book.throughputPoints.filter(
        (point) => point.model === model.key && answersRequests(point),
      ).length;
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
    .sort((a, b) => b.measuredPoints - a.measuredPoints || byText(a.name, b.name));
}

/** Regions with at least one electricity price, by name. */
export function regionChoices(): Region[] {
  return book.regions.filter((region) => region.electricity.length > 0).sort((a, b) => byText(a.name, b.name));
}

export function findRegion(code: string): Region | undefined {
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

export function shortAccelerator(key: string): string {
  return key.split("-")[0] ?? key;
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
    .sort((a, b) => byText(a.sku.vendor, b.sku.vendor) || byText(a.sku.sku, b.sku.sku));
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
          byText(a.offer.providerKind, b.offer.providerKind) ||
          byText(a.offer.provider, b.offer.provider) ||
          byText(a.offer.instanceType, b.offer.instanceType) ||
          byText(a.offer.commitment, b.offer.commitment),
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
    .sort((a, b) => byText(a.owner, b.owner) || byText(a.name, b.name));
}

/** Blended USD per million tokens of an offer for the plan's token mix (what the wizard sorts by). */
export function offerBlendedPrice(plan: PlanInput, offer: TokenPrice): number {
  return effectiveApiPrice(offer, planApiMix(plan)).blendedUsdPerMillionTokens;
}

/** The cheapest offer for the plan's model and the median host, so the API path needs no typed price. */
export function defaultTokenApis(plan: PlanInput): string[] {
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

/** Every catalog token price, for "today's API bill at a named price" (any model the person uses today). */
export function spendPriceChoices(): TokenPrice[] {
  return [...book.tokenPrices].sort((a, b) => byText(`${a.provider} ${a.model}`, `${b.provider} ${b.model}`));
}
