/**
 * Time conventions of cost model v1 (cost-model.md "Time"): monthly periods, 730 hours a
 * month, yearly rates compounded monthly, start-of-month discounting for capital flows and
 * end-of-month discounting for operating flows and tokens.
 */

/** Hours in every plan month: 8760 / 12, the cloud billing convention (cost-model.md). */
export const HOURS_PER_MONTH = 730;

/** Months in a year. */
export const MONTHS_PER_YEAR = 12;

/** Seconds in a day, to turn requests per day into tokens per second. */
export const SECONDS_PER_DAY = 86_400;

/** Hours in a day. */
export const HOURS_PER_DAY = 24;

/**
 * Factors `(1 + ratePerYear) ** (m / 12)` for m = 0 .. months − 1: a quantity with start value
 * x0 and yearly change g is `x0 * factor[m]` in month m (monthly compounding, cost-model.md).
 */
export function monthlyCompoundFactors(ratePerYear: number, months: number): Float64Array {
  const factors = new Float64Array(months);
  const base = 1 + ratePerYear;
  for (let m = 0; m < months; m++) factors[m] = base ** (m / MONTHS_PER_YEAR);
  return factors;
}

/**
 * Discount factors `v ** m` for m = 0 .. months (length months + 1), with
 * `v = 1 / (1 + r) ** (1/12)` for the yearly discount rate r. Capital flows of month m use
 * `v ** m` (start of month), operating flows and tokens `v ** (m + 1)` (end of month), the
 * residual at the horizon `v ** M`.
 */
export function discountFactors(discountRatePerYear: number, months: number): Float64Array {
  const v = 1 / (1 + discountRatePerYear) ** (1 / MONTHS_PER_YEAR);
  const factors = new Float64Array(months + 1);
  for (let m = 0; m <= months; m++) factors[m] = v ** m;
  return factors;
}

/**
 * The calendar label "YYYY-MM" of plan month `monthIndex` (0-based) for a plan starting at
 * `startMonth` ("YYYY-MM"). Example: `monthLabel("2027-11", 3)` is "2028-02".
 */
export function monthLabel(startMonth: string, monthIndex: number): string {
  const year = Number(startMonth.slice(0, 4));
  const month = Number(startMonth.slice(5, 7)) - 1 + monthIndex;
  const y = year + Math.floor(month / 12);
  const mm = (month % 12) + 1;
  return `${String(y).padStart(4, "0")}-${String(mm).padStart(2, "0")}`;
}
