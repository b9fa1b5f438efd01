/**
 * Volume the way people know it (issue 18 item 3): tokens a day or a month, users × requests per
 * user, or today's API bill at a named price, each converted to the scenario's requests per day
 * (the scenario keeps that one field) and echoed in the other units. Plus the sanity bound that
 * asks "did you mean…?" for a volume beyond any real deployment (item 5). Pure arithmetic.
 */
import { formatLargeNumber, formatNumber, formatUsd } from "./format.ts";

/** Average days in a month (365.25 / 12): the planner's month for "per month" entries. */
export const DAYS_PER_MONTH = 365.25 / 12;

/**
 * The largest inference volume anyone has published: Google's, across all its products. A plan
 * above it is almost surely a typing slip, so the wizard asks before computing.
 */
export const LARGEST_PUBLISHED_DEPLOYMENT = {
  tokensPerMonth: 3.2e15,
  source:
    "Sundar Pichai at Google I/O 2026: Google processes 3.2 quadrillion AI tokens a month across its products (Business Insider, 19 May 2026; The Register)",
  asOf: "2026-05-19",
} as const;

/** How a person gives the volume on the workload step. */
export const VOLUME_MODES = ["requests", "users", "tokensPerDay", "tokensPerMonth", "spend"] as const;
export type VolumeMode = (typeof VOLUME_MODES)[number];

/** Tokens a day (input + output) of a number of requests a day. */
export function tokensPerDay(requestsPerDay: number, inputTokens: number, outputTokens: number): number {
  return requestsPerDay * (inputTokens + outputTokens);
}

/** Requests a day that make up a number of tokens a day (input + output per request). */
export function requestsFromTokens(tokensADay: number, inputTokens: number, outputTokens: number): number | null {
  const perRequest = inputTokens + outputTokens;
  return perRequest > 0 ? tokensADay / perRequest : null;
}

/** What one request costs at an API's prices, USD (prices per million tokens). */
export function usdPerRequest(
  inputTokens: number,
  outputTokens: number,
  usdPerMillionInput: number,
  usdPerMillionOutput: number,
): number {
  return (inputTokens * usdPerMillionInput + outputTokens * usdPerMillionOutput) / 1e6;
}

/** Requests a day that today's monthly API bill pays for at the named prices. */
export function requestsFromSpend(
  usdPerMonth: number,
  inputTokens: number,
  outputTokens: number,
  usdPerMillionInput: number,
  usdPerMillionOutput: number,
): number | null {
  const perRequest = usdPerRequest(inputTokens, outputTokens, usdPerMillionInput, usdPerMillionOutput);
  return perRequest > 0 ? usdPerMonth / DAYS_PER_MONTH / perRequest : null;
}

/** A count in words, with powers of ten beyond a quadrillion ("1.0 × 10^30"). */
export function countInWords(value: number): string {
  if (Math.abs(value) >= 1e15)
    return `${formatNumber(value / 10 ** Math.floor(Math.log10(value)), 1)} × 10^${Math.floor(Math.log10(value))}`;
  return formatLargeNumber(value);
}

/**
 * The volume in every unit people use, for the live echo under the volume fields:
 * "≈ 2.0 billion tokens a day (60.9 billion a month), 11.3 requests a second on average, 22.6 at the busiest hour".
 * @param peakToAverage busiest hour over the average (1 when flat)
 * @param api a named API price: adds what the volume would cost there a month
 */
export function volumeEcho(
  requestsPerDay: number,
  inputTokens: number,
  outputTokens: number,
  peakToAverage: number,
  api: { name: string; usdPerMillionInput: number; usdPerMillionOutput: number } | null = null,
): string {
  const tokens = tokensPerDay(requestsPerDay, inputTokens, outputTokens);
  const perSecond = requestsPerDay / 86_400;
  const peak = perSecond * peakToAverage;
  const rate = (value: number): string =>
    value >= 1e6 ? countInWords(value) : formatNumber(value, value < 10 ? 2 : 1);
  let text = `≈ ${countInWords(tokens)} tokens a day (${countInWords(tokens * DAYS_PER_MONTH)} a month), ${countInWords(
    Math.round(requestsPerDay),
  )} requests a day, ${rate(perSecond)} requests a second on average`;
  if (peakToAverage !== 1) text += `, ${rate(peak)} at the busiest hour`;
  if (api) {
    const monthly =
      usdPerRequest(inputTokens, outputTokens, api.usdPerMillionInput, api.usdPerMillionOutput) *
      requestsPerDay *
      DAYS_PER_MONTH;
    text += `; about ${formatUsd(monthly)} a month at ${api.name}'s prices`;
  }
  return text;
}

/**
 * "Did you mean…?" for a volume no real deployment reaches: null when the volume is plausible.
 * The suggestion drops thousands until the volume is a hundredth of the largest published one.
 * @param typed the number as the person typed it in the field being checked
 */
export function implausibleVolume(
  requestsPerDay: number,
  inputTokens: number,
  outputTokens: number,
  typed: number,
  unit: string,
): string | null {
  const tokens = tokensPerDay(requestsPerDay, inputTokens, outputTokens);
  const largestPerDay = LARGEST_PUBLISHED_DEPLOYMENT.tokensPerMonth / DAYS_PER_MONTH;
  if (!(tokens > largestPerDay)) return null;
  let suggestion = typed;
  let scale = tokens;
  while (scale > largestPerDay / 100 && suggestion >= 1000) {
    suggestion /= 1000;
    scale /= 1000;
  }
  return `${countInWords(typed)} ${unit} means ${countInWords(tokens)} tokens a day: more than Google handles across all its products (about ${countInWords(
    largestPerDay,
  )} a day, May 2026). Did you mean ${formatNumber(suggestion, 2)}?`;
}
