/**
 * The only place in the web app where numbers become strings. Every figure a person sees goes
 * through one of these functions, so units, separators and rounding are the same on every
 * screen. Inputs are the kernel's raw float64 values (USD, fractions 0–1, months); rounding
 * happens here and nowhere else. `null`, `undefined` and non-finite values print as an em dash
 * with no number, never "NaN".
 */

const DASH = "—";
const LOCALE = "en-US";

/**
 * Formatters by locale and options, made once: building an `Intl.NumberFormat` costs about a
 * hundred times a `format` call, and the results page formats a few hundred numbers per slider
 * move (issue 16: slider → headline ≤ 8 ms).
 */
const numberFormats = new Map<string, Intl.NumberFormat>();
function numberFormat(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let format = numberFormats.get(key);
  if (!format) numberFormats.set(key, (format = new Intl.NumberFormat(locale, options)));
  return format;
}
const dateFormats = new Map<string, Intl.DateTimeFormat>();
function dateFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let format = dateFormats.get(key);
  if (!format) dateFormats.set(key, (format = new Intl.DateTimeFormat(locale, options)));
  return format;
}

function isNumber(value: number | null | undefined): value is number {
  return typeof value === "number" && Number.isFinite(value);
}

/** Rounds to `digits` significant digits (2–3 for cost per token: "$0.397" → "$0.40"). */
function toSignificant(value: number, digits: number): number {
  if (value === 0) return 0;
  return Number(value.toPrecision(digits));
}

/**
 * US dollars with thousands separators: whole dollars at or above $100, cents below
 * (`formatUsd(42927003.4)` → "$42,927,003"; `formatUsd(2.13)` → "$2.13").
 * @param usd amount in USD
 */
export function formatUsd(usd: number | null | undefined): string {
  if (!isNumber(usd)) return DASH;
  const abs = Math.abs(usd);
  const fractionDigits = abs >= 100 || abs === 0 ? 0 : 2;
  return numberFormat(LOCALE, {
    style: "currency",
    currency: "USD",
    minimumFractionDigits: fractionDigits,
    maximumFractionDigits: fractionDigits,
  }).format(usd);
}

/**
 * Large US dollar amounts in words a CFO reads at a glance: "$42.9 million", "$1.2 billion",
 * "$850,000" below a million. 3 significant digits.
 * @param usd amount in USD
 */
export function formatUsdCompact(usd: number | null | undefined): string {
  if (!isNumber(usd)) return DASH;
  const abs = Math.abs(usd);
  const sign = usd < 0 ? "−" : "";
  if (abs >= 1e9) return `${sign}$${formatPlain(toSignificant(abs / 1e9, 3))} billion`;
  if (abs >= 1e6) return `${sign}$${formatPlain(toSignificant(abs / 1e6, 3))} million`;
  return formatUsd(usd);
}

/**
 * Short axis labels for money: "$43M", "$1.2B", "$850k".
 * @param usd amount in USD
 */
export function formatUsdAxis(usd: number | null | undefined): string {
  if (!isNumber(usd)) return DASH;
  const abs = Math.abs(usd);
  const sign = usd < 0 ? "−" : "";
  if (abs >= 1e9) return `${sign}$${formatPlain(toSignificant(abs / 1e9, 3))}B`;
  if (abs >= 1e6) return `${sign}$${formatPlain(toSignificant(abs / 1e6, 3))}M`;
  if (abs >= 1e3) return `${sign}$${formatPlain(toSignificant(abs / 1e3, 3))}k`;
  return `${sign}$${formatPlain(toSignificant(abs, 3))}`;
}

/**
 * A price per million tokens with 3 significant digits (2 when the value is at least $10):
 * `0.39725` → "$0.397", `12.34` → "$12", `0.004` → "$0.004".
 * @param usdPerMillionTokens USD per million tokens
 */
export function formatUsdPerMillionTokens(usdPerMillionTokens: number | null | undefined): string {
  if (!isNumber(usdPerMillionTokens)) return DASH;
  const digits = Math.abs(usdPerMillionTokens) >= 10 ? 2 : 3;
  const rounded = toSignificant(usdPerMillionTokens, digits);
  return `$${formatPlain(rounded, 6)}`;
}

/**
 * Dollars per hour (GPU-hour, instance-hour), cents precision: "$2.13".
 * @param usdPerHour USD per hour
 */
export function formatUsdPerHour(usdPerHour: number | null | undefined): string {
  if (!isNumber(usdPerHour)) return DASH;
  return `${formatUsd(usdPerHour)}`;
}

/**
 * A fraction as a percentage: `0.22` → "22%", `0.095` → "9.5%", `-0.15` → "−15%".
 * @param fraction a fraction (0.22 = 22 %)
 * @param maximumFractionDigits decimals kept (default 1)
 */
export function formatPercent(fraction: number | null | undefined, maximumFractionDigits = 1): string {
  if (!isNumber(fraction)) return DASH;
  const text = numberFormat(LOCALE, { style: "percent", maximumFractionDigits }).format(fraction);
  return text.replace("-", "−");
}

/**
 * A whole or decimal number with thousands separators: `10000000` → "10,000,000".
 * @param value the number
 * @param maximumFractionDigits decimals kept (default 2)
 */
export function formatNumber(value: number | null | undefined, maximumFractionDigits = 2): string {
  if (!isNumber(value)) return DASH;
  return formatPlain(value, maximumFractionDigits);
}

/** Numbers in words for very large counts: "608 billion", "1.2 trillion", "3.5 million". */
export function formatLargeNumber(value: number | null | undefined): string {
  if (!isNumber(value)) return DASH;
  const abs = Math.abs(value);
  if (abs >= 1e12) return `${formatPlain(toSignificant(value / 1e12, 3))} trillion`;
  if (abs >= 1e9) return `${formatPlain(toSignificant(value / 1e9, 3))} billion`;
  if (abs >= 1e6) return `${formatPlain(toSignificant(value / 1e6, 3))} million`;
  return formatPlain(Math.round(value), 0);
}

function formatPlain(value: number, maximumFractionDigits = 2): string {
  return numberFormat(LOCALE, { maximumFractionDigits }).format(value).replace("-", "−");
}

/**
 * A duration in months as words: `27` → "2 years 3 months", `12` → "1 year", `5` → "5 months",
 * `null` → "never". Fractions of a month round to the nearest month.
 * @param months whole or fractional months; null for "never"
 */
export function formatMonths(months: number | null | undefined): string {
  if (months === null || months === undefined) return "never";
  if (!Number.isFinite(months)) return DASH;
  const total = Math.round(months);
  const years = Math.floor(total / 12);
  const rest = total % 12;
  const parts: string[] = [];
  if (years > 0) parts.push(`${years} ${years === 1 ? "year" : "years"}`);
  if (rest > 0 || years === 0) parts.push(`${rest} ${rest === 1 ? "month" : "months"}`);
  return parts.join(" ");
}

/**
 * Years for a horizon or a life: `5` → "5 years", `2.5` → "2.5 years", `1` → "1 year".
 * @param years a number of years
 */
export function formatYears(years: number | null | undefined): string {
  if (!isNumber(years)) return DASH;
  return `${formatPlain(years, 2)} ${years === 1 ? "year" : "years"}`;
}

/**
 * Power: kW below 1,000, MW above: `850` → "850 kW", `2000` → "2 MW".
 * @param kw kilowatts
 */
export function formatPowerKw(kw: number | null | undefined): string {
  if (!isNumber(kw)) return DASH;
  if (Math.abs(kw) >= 1000) return `${formatPlain(toSignificant(kw / 1000, 3))} MW`;
  return `${formatPlain(toSignificant(kw, 3))} kW`;
}

/**
 * Grams of CO2 per million tokens, 3 significant digits: "4.69 g CO₂".
 * @param grams grams of CO2
 */
export function formatGramsCo2(grams: number | null | undefined): string {
  if (!isNumber(grams)) return DASH;
  if (Math.abs(grams) >= 1e6) return `${formatPlain(toSignificant(grams / 1e6, 3))} t CO₂`;
  if (Math.abs(grams) >= 1e3) return `${formatPlain(toSignificant(grams / 1e3, 3))} kg CO₂`;
  return `${formatPlain(toSignificant(grams, 3))} g CO₂`;
}

/**
 * Tokens per second (per GPU, per user, per MW), 3 significant digits with separators.
 * @param tokensPerSecond tokens per second
 */
export function formatTokensPerSecond(tokensPerSecond: number | null | undefined): string {
  if (!isNumber(tokensPerSecond)) return DASH;
  return `${formatPlain(toSignificant(tokensPerSecond, 3), 2)} tokens/s`;
}

/**
 * A plan month index as a calendar month: `startMonth` "2027-01", month 14 → "Mar 2028".
 * @param startMonth the plan's first month, "YYYY-MM"
 * @param monthIndex 0-based month of the plan
 */
export function formatPlanMonth(startMonth: string, monthIndex: number): string {
  const [yearText, monthText] = startMonth.split("-");
  const first = Number(yearText) * 12 + (Number(monthText) - 1);
  if (!Number.isFinite(first)) return DASH;
  const index = first + monthIndex;
  const date = new Date(Date.UTC(Math.floor(index / 12), index % 12, 1));
  return dateFormat(LOCALE, { month: "short", year: "numeric", timeZone: "UTC" }).format(date);
}

/**
 * A catalog `asOf` date at the precision the source gives: "2024" → "2024", "2025-09" →
 * "Sep 2025", "2026-10-10" → "10 Oct 2026".
 * @param asOf ISO 8601 date, year or year-month
 */
export function formatAsOf(asOf: string | null | undefined): string {
  if (!asOf) return DASH;
  const parts = asOf.split("-").map(Number);
  const [year, month, day] = parts;
  if (year === undefined || !Number.isFinite(year)) return asOf;
  if (month === undefined || !Number.isFinite(month)) return String(year);
  const date = new Date(Date.UTC(year, month - 1, day ?? 1));
  if (day === undefined || !Number.isFinite(day)) {
    return dateFormat(LOCALE, { month: "short", year: "numeric", timeZone: "UTC" }).format(date);
  }
  return dateFormat("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" }).format(date);
}

/**
 * A price's age in plain words, shown next to the price: "price from Oct 2026" (year-only dates:
 * "price from 2025"). Empty for no date.
 * @param asOf the figure's as-of date (YYYY, YYYY-MM or YYYY-MM-DD)
 */
export function formatPriceAge(asOf: string | null | undefined): string {
  if (!asOf) return "";
  const [year, month] = asOf.split("-").map(Number);
  if (year === undefined || !Number.isFinite(year)) return `price from ${asOf}`;
  if (month === undefined || !Number.isFinite(month)) return `price from ${year}`;
  const name = dateFormat("en-GB", { month: "short", timeZone: "UTC" }).format(new Date(Date.UTC(year, month - 1, 1)));
  return `price from ${name} ${year}`;
}

/**
 * A timestamp (ms since the epoch) as a short local date and time, for "saved at" lists.
 * @param epochMs milliseconds since 1970-01-01 UTC
 */
export function formatSavedAt(epochMs: number): string {
  if (!Number.isFinite(epochMs)) return DASH;
  return dateFormat(LOCALE, { dateStyle: "medium", timeStyle: "short" }).format(new Date(epochMs));
}

/**
 * A number as it goes into a form field (no separators, no unit, up to 6 decimals, trailing
 * zeros dropped): `0.6` as a percent field → "60".
 * @param value the number shown in the field
 */
export function formatFieldValue(value: number | null | undefined): string {
  if (!isNumber(value)) return "";
  return String(Number(value.toFixed(6)));
}
