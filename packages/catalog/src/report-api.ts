import type { PriceBook, TokenPrice } from "./types.ts";

/** A price older than this many months before the book's data date is flagged in the report. */
export const STALE_API_PRICE_MONTHS = 6;

function monthIndex(date: string): number {
  const [year, month = "01"] = date.split("-");
  return Number(year) * 12 + (month.startsWith("H") ? (month === "H2" ? 6 : 0) : Number(month) - 1);
}

/** Whether a price was last confirmed more than {@link STALE_API_PRICE_MONTHS} months before `dataAsOf`. */
export function isStaleApiPrice(price: TokenPrice, dataAsOf: string): boolean {
  return monthIndex(dataAsOf) - monthIndex(price.usdPerMillionInputTokens.asOf) > STALE_API_PRICE_MONTHS;
}

function cell(price: TokenPrice, dataAsOf: string): string {
  const format = (value: number) => (value >= 10 ? value.toFixed(1) : String(Number(value.toPrecision(3))));
  return `${format(price.usdPerMillionInputTokens.value)}/${format(price.usdPerMillionOutputTokens.value)}${isStaleApiPrice(price, dataAsOf) ? " †" : ""}`;
}

/**
 * The model-API section of the coverage report: a models × providers table of current prices
 * (USD per million input / output tokens; † = older than six months before the data date), the
 * counts, the stale rows, the models no host serves, and the derived API price trend.
 */
export function apiPriceSection(book: PriceBook): string[] {
  const table = (header: string[], rows: string[][]): string => {
    const line = (cells: string[]) => `| ${cells.map((text) => text.replaceAll("|", "\\|")).join(" | ")} |`;
    return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
  };
  const current = book.tokenPrices.filter((price) => price.status === "current");
  const superseded = book.tokenPrices.filter((price) => price.status === "superseded");
  const providers = [...new Set(current.map((price) => price.provider))].sort();
  const modelKeys = [...book.models.map((model) => model.key), ...book.apiOnlyModels.map((model) => model.key)];
  const stale = current.filter((price) => isStaleApiPrice(price, book.dataAsOf));
  const out: string[] = [];
  out.push("", "## Model-API prices: model × provider", "");
  out.push(
    `Current prices, USD per million input / output tokens, from \`token_prices.csv\`; † = last dated more than ${STALE_API_PRICE_MONTHS} months before the data date (${book.dataAsOf}); blank = the provider sells no such offer in the data. ${current.length} current rows and ${superseded.length} superseded (dated history) rows from ${new Set(book.tokenPrices.map((price) => price.provider)).size} providers.`,
    "",
  );
  out.push(
    table(
      ["model", ...providers],
      modelKeys.map((key) => [
        key,
        ...providers.map((provider) => {
          const price = current.find((item) => item.model === key && item.provider === provider);
          return price ? cell(price, book.dataAsOf) : "";
        }),
      ]),
    ),
  );
  const unserved = modelKeys.filter((key) => !current.some((price) => price.model === key));
  out.push(
    "",
    `- **Stale rows** (older than ${STALE_API_PRICE_MONTHS} months): ${stale.length} of ${current.length} current rows: ${stale.map((price) => `${price.id} (${price.usdPerMillionInputTokens.asOf})`).join(", ") || "none"}.`,
    `- **Models no host serves in the data**: ${unserved.join(", ") || "none"}.`,
    `- **API price trend** (default \`priceChangePerYear\` of catalog-priced API options): ${
      book.apiPriceTrend
        ? `${(book.apiPriceTrend.value * 100).toFixed(1)} %/yr, derived (${book.apiPriceTrend.confidence}): ${book.apiPriceTrend.method}. Source: ${book.apiPriceTrend.source}.`
        : "none (too little dated history); API options default to 0."
    }`,
  );
  return out;
}
