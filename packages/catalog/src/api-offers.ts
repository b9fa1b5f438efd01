/**
 * Model-API offers: finding, ranking and pricing the book's token prices for a workload (used by
 * the resolver, the web wizard, the API and the CLI, so they agree on the offer and its price).
 */
import { slug } from "./slug.ts";
import type { Figure, PriceBook, TokenPrice } from "./types.ts";

/** The workload mix an offer is priced for: token lengths and the cached-input / batch shares (0–1). */
export interface ApiMix {
  inputTokensPerRequest: number;
  outputTokensPerRequest: number;
  cachedInputShare?: number | undefined;
  batchShare?: number | undefined;
}

/** The price an option pays per million tokens after the cached-input and batch shares. */
export interface EffectiveApiPrice {
  input: Figure;
  output: Figure;
  /** USD per million tokens of the workload's mix (input and output weighted by their token counts). */
  blendedUsdPerMillionTokens: number;
  /** Plain-language notes (no cached price published, no batch discount, …). */
  notes: string[];
}

export type ApiSelectRule = "cheapest" | "median";

/** A row by its id, or by the id an earlier book gave it (`legacy: true`). */
export function findApiOffer(book: PriceBook, id: string): { offer: TokenPrice; legacy: boolean } | null {
  const byId = book.tokenPrices.find((price) => price.id === id);
  if (byId) return { offer: byId, legacy: false };
  const byLegacy = book.tokenPrices.find((price) => price.legacyId === id);
  return byLegacy ? { offer: byLegacy, legacy: true } : null;
}

/** Whether `name` names the provider (its display name or slug, case-insensitive). */
export function isProvider(price: TokenPrice, name: string): boolean {
  return slug(price.provider) === slug(name);
}

/** The current offers for a model (every provider's current price), unsorted. */
export function currentApiOffers(book: PriceBook, model: string): TokenPrice[] {
  return book.tokenPrices.filter((price) => price.model === model && price.status === "current");
}

/**
 * Effective prices of an offer for a mix: input = ((1 − c) × list + c × cached) × (1 − b × d),
 * output = list × (1 − b × d), with c the cached-input share, b the batch share and d the
 * provider's batch discount. Without a published cached price the cached share pays the list
 * input price; without a batch discount the batch share pays the list price (notes say so). The
 * two discounts are assumed to combine. With no shares the list figures come back unchanged.
 */
export function effectiveApiPrice(offer: TokenPrice, mix: ApiMix): EffectiveApiPrice {
  const cachedShare = mix.cachedInputShare ?? 0;
  const batchShare = mix.batchShare ? mix.batchShare : 0;
  const notes: string[] = [];
  const listIn = offer.usdPerMillionInputTokens;
  const listOut = offer.usdPerMillionOutputTokens;
  const cached = offer.usdPerMillionCachedInputTokens;
  if (cachedShare > 0 && !cached)
    notes.push(
      `${offer.provider} publishes no cached-input price for ${offer.model}: cached input is priced at the full input price`,
    );
  const discount = offer.batchDiscount?.value ?? 0;
  if (batchShare > 0 && !offer.batchDiscount)
    notes.push(
      `${offer.provider} publishes no batch discount for ${offer.model}: batch requests are priced at the list price`,
    );
  const cachedValue = cached?.value ?? listIn.value;
  const batchFactor = 1 - batchShare * discount;
  const inputValue = ((1 - cachedShare) * listIn.value + cachedShare * cachedValue) * batchFactor;
  const outputValue = listOut.value * batchFactor;
  const derivedFrom = (list: Figure, value: number, parts: string[]): Figure =>
    parts.length === 0
      ? list
      : {
          ...list,
          value,
          derived: true,
          method: `${parts.join("; ")} (offer ${offer.id})`,
        };
  const inputParts: string[] = [];
  if (cachedShare > 0)
    inputParts.push(
      `(1 − cached share ${cachedShare}) × list ${listIn.value} + ${cachedShare} × cached ${cachedValue} USD per million input tokens`,
    );
  const batchPart =
    batchShare > 0 && discount > 0 ? `× (1 − batch share ${batchShare} × batch discount ${discount})` : null;
  if (batchPart) inputParts.push(inputParts.length === 0 ? `list ${listIn.value} ${batchPart}` : batchPart);
  const outputParts = batchPart ? [`list ${listOut.value} ${batchPart}`] : [];
  const totalTokens = mix.inputTokensPerRequest + mix.outputTokensPerRequest;
  return {
    input: derivedFrom(listIn, inputValue, inputParts),
    output: derivedFrom(listOut, outputValue, outputParts),
    blendedUsdPerMillionTokens:
      totalTokens > 0
        ? (inputValue * mix.inputTokensPerRequest + outputValue * mix.outputTokensPerRequest) / totalTokens
        : (inputValue + outputValue) / 2,
    notes,
  };
}

/** One ranked offer: the row, its effective prices for the mix. */
export interface RankedApiOffer {
  offer: TokenPrice;
  price: EffectiveApiPrice;
}

/** The current offers for a model, cheapest first for the mix (ties by provider name). */
export function rankApiOffers(book: PriceBook, model: string, mix: ApiMix): RankedApiOffer[] {
  return currentApiOffers(book, model)
    .map((offer) => ({ offer, price: effectiveApiPrice(offer, mix) }))
    .sort(
      (a, b) =>
        a.price.blendedUsdPerMillionTokens - b.price.blendedUsdPerMillionTokens ||
        a.offer.provider.localeCompare(b.offer.provider),
    );
}

/**
 * The offer a rule picks among the ranked offers: `cheapest` the first; `median` the middle one
 * (the lower middle for an even count), an actual offer so its source can be shown.
 */
export function pickApiOffer(ranked: readonly RankedApiOffer[], rule: ApiSelectRule): RankedApiOffer | null {
  if (ranked.length === 0) return null;
  return rule === "cheapest" ? (ranked[0] ?? null) : (ranked[Math.floor((ranked.length - 1) / 2)] ?? null);
}

/** Every model key the book can price through an API (open-weight and closed). */
export function modelsWithApiOffers(book: PriceBook): string[] {
  return [
    ...new Set(book.tokenPrices.filter((price) => price.status === "current").map((price) => price.model)),
  ].sort();
}

/** A model's display name (open-weight or API-only), or its key. */
export function modelName(book: PriceBook, key: string): string {
  return (
    book.models.find((model) => model.key === key)?.name ??
    book.apiOnlyModels.find((model) => model.key === key)?.name ??
    key
  );
}
