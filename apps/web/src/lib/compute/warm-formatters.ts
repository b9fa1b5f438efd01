import {
  formatAsOf,
  formatLargeNumber,
  formatMonths,
  formatNumber,
  formatPercent,
  formatPlanMonth,
  formatUsd,
  formatUsdCompact,
  formatUsdPerHour,
  formatUsdPerMillionTokens,
  formatYears,
} from "../format.ts";

/**
 * Builds the number and date formatters the results page's first screens draw with (each kept by
 * `format.ts`), so the browser loads its locale data for them while the engine chunk downloads and
 * the main thread is idle: their first use cost 20–40 ms on the answer's path (issue 16, ADR 039).
 * The strings are thrown away; nothing shown changes.
 */
export function warmFormatters(): void {
  for (const usd of [42_927_003.4, 2.13, 950]) formatUsd(usd);
  for (const usd of [1.2e9, 4.29e7, 950_000, 950]) formatUsdCompact(usd);
  for (const usd of [0.397, 12.5, 150]) formatUsdPerMillionTokens(usd);
  formatUsdPerHour(2.1);
  formatPercent(0.125);
  formatPercent(0.125, 0);
  formatNumber(1.25);
  formatNumber(1.25, 3);
  formatLargeNumber(1.2e6);
  formatMonths(14);
  formatYears(2.5);
  formatAsOf("2026-10");
  formatAsOf("2026-10-10");
  formatPlanMonth("2027-01", 14);
}

/** Runs `warmFormatters` when the main thread is idle (a timer where idle callbacks do not exist). */
export function warmFormattersWhenIdle(): () => void {
  if (typeof requestIdleCallback === "function") {
    const handle = requestIdleCallback(warmFormatters, { timeout: 500 });
    return () => cancelIdleCallback(handle);
  }
  const timer = setTimeout(warmFormatters, 0);
  return () => clearTimeout(timer);
}
