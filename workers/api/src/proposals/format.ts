/**
 * Numbers → strings for proposals (the executive summary, the PDF). Deliberately free of `Intl`
 * and of locale data: the summary sentences are part of a proposal version's hashed content, so
 * their text must not depend on the ICU build of the runtime that renders them. ASCII and
 * WinAnsi characters only (the PDF uses the standard 14 fonts): "-" for minus, "-" for "none".
 * Non-finite values never reach here (the kernel never returns NaN); if one does, it prints "n/a".
 */

const NOT_AVAILABLE = "n/a";

function finite(value: number | null | undefined): value is number {
  return typeof value === "number" && Number.isFinite(value);
}

/** Digits with comma thousands separators and a fixed number of decimals: 1234567.891, 2 → "1,234,567.89". */
export function groupDigits(value: number, decimals: number): string {
  const negative = value < 0;
  const fixed = Math.abs(value).toFixed(decimals);
  const [whole = "0", fraction] = fixed.split(".");
  let grouped = "";
  for (let i = 0; i < whole.length; i++) {
    if (i > 0 && (whole.length - i) % 3 === 0) grouped += ",";
    grouped += whole[i];
  }
  const text = fraction === undefined ? grouped : `${grouped}.${fraction}`;
  return negative && Number(fixed) !== 0 ? `-${text}` : text;
}

/** Rounds to `digits` significant digits. */
function significant(value: number, digits: number): number {
  if (value === 0) return 0;
  return Number(value.toPrecision(digits));
}

/** Decimals needed to show a number rounded to 3 significant digits (at most 6). */
function decimalsFor(value: number, digits: number): number {
  if (value === 0) return 0;
  const magnitude = Math.floor(Math.log10(Math.abs(value)));
  return Math.min(6, Math.max(0, digits - 1 - magnitude));
}

/** US dollars: whole dollars at or above $100, cents below ("$42,927,003", "$2.13"). */
export function usd(value: number | null | undefined): string {
  if (!finite(value)) return NOT_AVAILABLE;
  const decimals = Math.abs(value) >= 100 || value === 0 ? 0 : 2;
  const text = groupDigits(Math.abs(value), decimals);
  return value < 0 && Number(Math.abs(value).toFixed(decimals)) !== 0 ? `-$${text}` : `$${text}`;
}

/** Large dollar amounts in words, 3 significant digits: "$42.9 million", "$1.2 billion", "$850,000". */
export function usdCompact(value: number | null | undefined): string {
  if (!finite(value)) return NOT_AVAILABLE;
  const abs = Math.abs(value);
  const sign = value < 0 ? "-" : "";
  if (abs >= 1e9) return `${sign}$${plainSignificant(abs / 1e9, 3)} billion`;
  if (abs >= 1e6) return `${sign}$${plainSignificant(abs / 1e6, 3)} million`;
  return usd(value);
}

/** Axis labels for money: "$43M", "$1.2B", "$850k", "$12". */
export function usdAxis(value: number): string {
  const abs = Math.abs(value);
  const sign = value < 0 ? "-" : "";
  if (abs >= 1e9) return `${sign}$${plainSignificant(abs / 1e9, 3)}B`;
  if (abs >= 1e6) return `${sign}$${plainSignificant(abs / 1e6, 3)}M`;
  if (abs >= 1e3) return `${sign}$${plainSignificant(abs / 1e3, 3)}k`;
  return `${sign}$${plainSignificant(abs, 3)}`;
}

/** A price per million tokens: 3 significant digits (2 at or above $10): "$0.397", "$12". */
export function usdPerMillionTokens(value: number | null | undefined): string {
  if (!finite(value)) return NOT_AVAILABLE;
  const digits = Math.abs(value) >= 10 ? 2 : 3;
  return `${value < 0 ? "-" : ""}$${plainSignificant(Math.abs(value), digits)}`;
}

/** A unit price in USD with enough precision to be exact for quotes: "$320,000", "$28.00", "$0.60". */
export function unitPriceUsd(value: number | null | undefined): string {
  if (!finite(value)) return NOT_AVAILABLE;
  const abs = Math.abs(value);
  const decimals = abs >= 1000 ? 0 : abs >= 0.01 ? 2 : 4;
  return `${value < 0 ? "-" : ""}$${groupDigits(abs, decimals)}`;
}

/** A fraction as a percentage: 0.22 → "22%", 0.095 → "9.5%", -0.15 → "-15%". */
export function percent(fraction: number | null | undefined, maxDecimals = 1): string {
  if (!finite(fraction)) return NOT_AVAILABLE;
  return `${plain(fraction * 100, maxDecimals)}%`;
}

/** A number with separators and up to `maxDecimals` decimals, trailing zeros dropped: 1500 → "1,500", 1.35 → "1.35". */
export function plain(value: number | null | undefined, maxDecimals = 2): string {
  if (!finite(value)) return NOT_AVAILABLE;
  const text = groupDigits(value, maxDecimals);
  return text.includes(".") ? text.replace(/\.?0+$/, "") : text;
}

/** A number rounded to `digits` significant digits, printed without trailing zeros. */
export function plainSignificant(value: number, digits: number): string {
  const rounded = significant(value, digits);
  return plain(rounded, decimalsFor(rounded, digits));
}

/** Large counts in words: "608 billion", "1.2 trillion", "3.5 million", "12,000". */
export function largeNumber(value: number | null | undefined): string {
  if (!finite(value)) return NOT_AVAILABLE;
  const abs = Math.abs(value);
  const sign = value < 0 ? "-" : "";
  if (abs >= 1e12) return `${sign}${plainSignificant(abs / 1e12, 3)} trillion`;
  if (abs >= 1e9) return `${sign}${plainSignificant(abs / 1e9, 3)} billion`;
  if (abs >= 1e6) return `${sign}${plainSignificant(abs / 1e6, 3)} million`;
  return plain(Math.round(value), 0);
}

/** Months as words: 27 → "2 years 3 months", 12 → "1 year", 5 → "5 months", null → "not within the plan". */
export function months(value: number | null | undefined): string {
  if (value === null || value === undefined) return "not within the plan";
  if (!finite(value)) return NOT_AVAILABLE;
  const whole = Math.round(value);
  const years = Math.floor(whole / 12);
  const rest = whole % 12;
  const parts: string[] = [];
  if (years > 0) parts.push(`${years} year${years === 1 ? "" : "s"}`);
  if (rest > 0 || years === 0) parts.push(`${rest} month${rest === 1 ? "" : "s"}`);
  return parts.join(" ");
}

/** Power: 2,000 kW → "2 MW", 750 → "750 kW". */
export function powerKw(value: number | null | undefined): string {
  if (!finite(value)) return NOT_AVAILABLE;
  return Math.abs(value) >= 1000 ? `${plain(value / 1000, 2)} MW` : `${plain(value, 0)} kW`;
}

const MONTH_NAMES = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "2027-01" → "Jan 2027". */
export function calendarMonth(yyyyMm: string): string {
  const match = /^(\d{4})-(\d{2})$/.exec(yyyyMm);
  if (!match) return yyyyMm;
  return `${MONTH_NAMES[Number(match[2]) - 1] ?? match[2]} ${match[1]}`;
}

/** "2026-11-22T02:26:09.123Z" → "22 Nov 2026" (UTC). */
export function isoDate(instant: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(instant);
  if (!match) return instant;
  return `${Number(match[3])} ${MONTH_NAMES[Number(match[2]) - 1] ?? match[2]} ${match[1]}`;
}

/** The calendar month `offset` months after "YYYY-MM" ("2027-01", 13 → "2028-02"). */
export function addMonths(yyyyMm: string, offset: number): string {
  const [year = 0, month = 1] = yyyyMm.split("-").map(Number);
  const index = year * 12 + (month - 1) + offset;
  return `${String(Math.floor(index / 12)).padStart(4, "0")}-${String((index % 12) + 1).padStart(2, "0")}`;
}
