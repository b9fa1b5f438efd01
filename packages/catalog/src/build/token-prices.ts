import type * as v from "valibot";
import type { Figure, TokenPrice } from "../types.ts";
import { CatalogBuildError, figure, slug } from "./book.ts";
import { CatalogRowError, type Validated } from "./csv.ts";
import type { TokenPriceRow } from "./schemas.ts";

type Row = v.InferOutput<typeof TokenPriceRow>;

const FILE = "token_prices.csv";
/** Shortest observation span a provider-model price history needs to count towards the trend. */
export const TREND_MIN_SPAN_DAYS = 180;
/** Fewest histories the trend needs; with fewer it is null and API options keep the kernel's 0. */
export const TREND_MIN_PAIRS = 3;

/** Stable offer id of a provider's current price for a model: `api:<provider slug>:<model key>`. */
export function apiOfferId(provider: string, model: string): string {
  return `api:${slug(provider)}:${model}`;
}

function dayNumber(date: string): number {
  const [year, month = "01", day = "01"] = date.split("-");
  return Date.UTC(Number(year), Number(month.startsWith("H") ? "01" : month) - 1, Number(day)) / 86_400_000;
}

/**
 * The model-API price book: one `TokenPrice` per row, ids stable across versions (current rows
 * `api:<provider>:<model>`, superseded rows the same with `@<asOf>`), plus the API price trend
 * derived from the dated history.
 */
export function buildTokenPrices(
  rows: Validated<Row>[],
  modelKeys: ReadonlySet<string>,
  sourceIdsAt: (line: number) => readonly string[] = () => [],
): { tokenPrices: TokenPrice[]; apiPriceTrend: Figure | null } {
  const ids = new Map<string, number>();
  const tokenPrices: TokenPrice[] = rows.map(({ line, row }) => {
    if (!modelKeys.has(row.model_key))
      throw new CatalogRowError(FILE, line, "model_key", 2, `unknown model "${row.model_key}"; add it to models.csv`);
    if (row.status === "current" && row.superseded_on !== null)
      throw new CatalogRowError(FILE, line, "superseded_on", 12, "a current price has no superseded_on date");
    if (row.superseded_on !== null && dayNumber(row.superseded_on) < dayNumber(row.as_of))
      throw new CatalogRowError(FILE, line, "superseded_on", 12, `expected a date on or after as_of ${row.as_of}`);
    const base = apiOfferId(row.provider, row.model_key);
    const id = row.status === "current" ? base : `${base}@${row.as_of}`;
    for (const key of [id, ...(row.legacy_id ? [row.legacy_id] : [])]) {
      const first = ids.get(key);
      if (first !== undefined)
        throw new CatalogRowError(
          FILE,
          line,
          key === id ? "status" : "legacy_id",
          key === id ? 11 : 13,
          `id "${key}" is already used on line ${first} (one current price per provider and model; one superseded price per date)`,
        );
      ids.set(key, line);
    }
    const source = `${FILE} line ${line}: ${row.source}`;
    const price = (value: number, unit: string): Figure =>
      figure(value, unit, source, row.as_of, row.confidence, null, sourceIdsAt(line));
    return {
      id,
      legacyId: row.legacy_id,
      model: row.model_key,
      provider: row.provider,
      providerModelId: row.provider_model_id,
      status: row.status,
      supersededOn: row.superseded_on,
      usdPerMillionInputTokens: price(row.usd_per_million_input_tokens, "USD per million input tokens"),
      usdPerMillionCachedInputTokens:
        row.usd_per_million_cached_input_tokens === null
          ? null
          : price(row.usd_per_million_cached_input_tokens, "USD per million cached input tokens"),
      usdPerMillionOutputTokens: price(row.usd_per_million_output_tokens, "USD per million output tokens"),
      batchDiscount:
        row.batch_discount === null ? null : price(row.batch_discount, "fraction off both prices (batch API)"),
      contextTokens: row.context_tokens,
      throughputTier: row.throughput_tier,
      interactivityTokensPerSecondPerUser: row.interactivity_tokens_per_s_per_user,
      notes: row.notes,
    };
  });
  return { tokenPrices, apiPriceTrend: apiPriceTrend(tokenPrices) };
}

/**
 * Yearly API price change from the book's own dated history. For each provider × model ×
 * provider model id with a current price and at least one earlier (superseded) price, observed
 * over ≥ {@link TREND_MIN_SPAN_DAYS} days: the annualised change of the blended price (mean of
 * the input and output price per million tokens) from the earliest to the current observation,
 * `(blend_now / blend_first) ^ (365.25 / days) − 1`. The trend is the median over those
 * histories (≥ {@link TREND_MIN_PAIRS} needed). Rows carried under a legacy id are left out
 * (their price came from another source than the row that replaced them).
 */
export function apiPriceTrend(prices: readonly TokenPrice[]): Figure | null {
  const histories = new Map<string, TokenPrice[]>();
  for (const price of prices) {
    if (price.legacyId !== null) continue;
    const key = `${price.provider}|${price.model}|${price.providerModelId}`;
    histories.set(key, [...(histories.get(key) ?? []), price]);
  }
  const blend = (price: TokenPrice) =>
    (price.usdPerMillionInputTokens.value + price.usdPerMillionOutputTokens.value) / 2;
  const used: { label: string; rate: number; asOf: string; ids: readonly string[] }[] = [];
  for (const list of histories.values()) {
    const current = list.find((price) => price.status === "current");
    if (!current || list.length < 2) continue;
    const first = [...list].sort(
      (a, b) => dayNumber(a.usdPerMillionInputTokens.asOf) - dayNumber(b.usdPerMillionInputTokens.asOf),
    )[0];
    if (!first || first === current) continue;
    const days = dayNumber(current.usdPerMillionInputTokens.asOf) - dayNumber(first.usdPerMillionInputTokens.asOf);
    if (days < TREND_MIN_SPAN_DAYS) continue;
    const rate = (blend(current) / blend(first)) ** (365.25 / days) - 1;
    used.push({
      label: `${current.provider} ${current.model} ${blend(first).toFixed(4)}→${blend(current).toFixed(4)} USD/M over ${days} days (${(rate * 100).toFixed(1)} %/yr)`,
      rate,
      asOf: current.usdPerMillionInputTokens.asOf,
      ids: [...(first.usdPerMillionInputTokens.sourceIds ?? []), ...(current.usdPerMillionInputTokens.sourceIds ?? [])],
    });
  }
  if (used.length < TREND_MIN_PAIRS) return null;
  const rates = used.map((item) => item.rate).sort((a, b) => a - b);
  const middle = Math.floor(rates.length / 2);
  const median =
    rates.length % 2 === 1
      ? (rates[middle] as number)
      : ((rates[middle - 1] as number) + (rates[middle] as number)) / 2;
  if (!Number.isFinite(median)) throw new CatalogBuildError("the API price trend is not a finite number");
  const asOf = used
    .map((item) => item.asOf)
    .sort()
    .at(-1) as string;
  return {
    value: median,
    unit: "fraction per year",
    sourceIds: [...new Set(used.flatMap((item) => item.ids))],
    source: `${FILE}: dated price history of ${used.length} provider-model offers (${used.map((item) => item.label).join("; ")})`,
    asOf,
    confidence: "low",
    derived: true,
    method: `median over offers observed ≥ ${TREND_MIN_SPAN_DAYS} days of (blend_now / blend_first)^(365.25 / days) − 1, blend = mean of the input and output price per million tokens; same provider, model and provider model id; rows under a legacy id left out`,
  };
}
