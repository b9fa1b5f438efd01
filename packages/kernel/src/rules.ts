/**
 * The bounds every number of a scenario must respect, in one table shared by the kernel's own
 * validation and the wire schemas in `@aifp/contracts` (which build their valibot checks from
 * it), so the two can never disagree. Fractions are 0–1; yearly rates are fractions per year.
 */

/** Bounds of one number. Every number must also be finite. */
export interface NumberRule {
  /** Lower bound; inclusive unless `minExclusive`. */
  min?: number;
  minExclusive?: boolean;
  /** Upper bound; inclusive unless `maxExclusive`. */
  max?: number;
  maxExclusive?: boolean;
  /** A whole number (counts of GPUs). */
  integer?: boolean;
  /** A number of years that is a whole number of months (12 × value is an integer). */
  wholeMonths?: boolean;
}

/** Relative tolerance used wherever a float must be treated as a whole number (ceil, months). */
export const WHOLE_NUMBER_TOLERANCE = 1e-9;

const nonNegative: NumberRule = { min: 0 };
const positive: NumberRule = { min: 0, minExclusive: true };
const fraction: NumberRule = { min: 0, max: 1 };
/** A yearly change: above −100 %, at most +1000 % a year (keeps compounding finite). */
const yearlyChange: NumberRule = { min: -1, minExclusive: true, max: 10 };

/** Rules of the scenario's top-level, finance, workload and site numbers. */
export const SCENARIO_RULES = {
  horizonYears: { min: 0, minExclusive: true, max: 50, wholeMonths: true },
  discountRatePerYear: { min: 0, max: 1 },
  inputTokensPerRequest: nonNegative,
  outputTokensPerRequest: positive,
  requestsPerDay: positive,
  growthPerYear: yearlyChange,
  peakToAverage: { min: 1 },
  targetUtilization: { min: 0, minExclusive: true, max: 1 },
  interactivityTokensPerSecondPerUser: { min: 0, minExclusive: true, max: 100_000 },
  timeToFirstTokenMs: { min: 0, minExclusive: true, max: 3_600_000 },
  electricityUsdPerKwh: nonNegative,
  electricityEscalationPerYear: yearlyChange,
  pue: { min: 1 },
  colocationUsdPerKwMonth: nonNegative,
  gridCarbonGPerKwh: nonNegative,
  powerCapKw: positive,
} as const satisfies Record<string, NumberRule>;

/** Rules of the numbers an option may carry (shared names mean the same thing in every kind). */
export const OPTION_RULES = {
  // build
  priceUsd: nonNegative,
  gpusPerServer: { min: 1, integer: true },
  kw: positive,
  adders: nonNegative,
  lifeYears: { min: 0, minExclusive: true, max: 50, wholeMonths: true },
  spareFraction: nonNegative,
  maintenancePerYear: nonNegative,
  warrantyYears: { min: 0, max: 50, wholeMonths: true },
  serversPerFte: positive,
  fteUsdPerYear: nonNegative,
  otherUsdPerServerYear: nonNegative,
  resaleDeclinePerYear: fraction,
  idlePowerFraction: fraction,
  // lease
  priceUsdPerInstanceHour: nonNegative,
  gpusPerInstance: { min: 1, integer: true },
  termYears: { min: 0, max: 50, wholeMonths: true },
  // api
  usdPerMillionInputTokens: nonNegative,
  usdPerMillionOutputTokens: nonNegative,
  // shared
  priceChangePerYear: yearlyChange,
  softwareUsdPerGpuYear: nonNegative,
  outputTokensPerSecondPerGpu: nonNegative,
  inputTokensPerSecondPerGpu: positive,
} as const satisfies Record<string, NumberRule>;

/**
 * Describes a rule in plain words, e.g. `a number >= 1`, `a number between 0 and 1`,
 * `a whole number >= 1`, `a number > 0 and <= 50 that is a whole number of months (12 × years)`.
 */
export function describeRule(rule: NumberRule): string {
  const noun = rule.integer ? "a whole number" : "a number";
  const lower = rule.min === undefined ? "" : `${rule.minExclusive ? ">" : ">="} ${rule.min}`;
  const upper = rule.max === undefined ? "" : `${rule.maxExclusive ? "<" : "<="} ${rule.max}`;
  let text: string;
  if (lower && upper && !rule.minExclusive && !rule.maxExclusive) text = `${noun} between ${rule.min} and ${rule.max}`;
  else if (lower && upper) text = `${noun} ${lower} and ${upper}`;
  else if (lower || upper) text = `${noun} ${lower || upper}`;
  else text = noun;
  if (rule.wholeMonths) text += " that is a whole number of months (12 × years)";
  return text;
}

/** Formats a received value for a message: strings quoted, other values as JSON would show them. */
export function describeReceived(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number") return Number.isNaN(value) ? "NaN" : String(value);
  if (value === null) return "null";
  if (value === undefined) return "nothing";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "an object";
  // What is left (boolean, bigint, symbol, function) never comes from JSON: its type names it.
  return typeof value === "boolean" || typeof value === "bigint" ? String(value) : typeof value;
}

/** True when `value` is a finite number satisfying `rule`. */
export function satisfiesRule(value: number, rule: NumberRule): boolean {
  if (!Number.isFinite(value)) return false;
  if (rule.min !== undefined && (rule.minExclusive ? !(value > rule.min) : !(value >= rule.min))) return false;
  if (rule.max !== undefined && (rule.maxExclusive ? !(value < rule.max) : !(value <= rule.max))) return false;
  if (rule.integer && !Number.isInteger(value)) return false;
  if (rule.wholeMonths && !isWholeNumberOfMonths(value)) return false;
  return true;
}

/** True when `x` is within the relative tolerance {@link WHOLE_NUMBER_TOLERANCE} of an integer. */
export function isWholeNumber(x: number): boolean {
  const nearest = Math.round(x);
  return Math.abs(x - nearest) <= WHOLE_NUMBER_TOLERANCE * Math.max(1, Math.abs(x));
}

/** True when `years` is a whole number of months: 12 × years within 1e-9 of an integer (2.5 → 30 months). */
export function isWholeNumberOfMonths(years: number): boolean {
  return isWholeNumber(years * 12);
}

/**
 * Ceiling with a relative tolerance of 1e-9 (cost-model.md, fleet policy step 1): a value within
 * 1e-9 × |x| of an integer counts as that integer, so 3.0000000001 → 3, while 3.01 → 4.
 */
export function ceilWithTolerance(x: number): number {
  const nearest = Math.round(x);
  if (Math.abs(x - nearest) <= WHOLE_NUMBER_TOLERANCE * Math.abs(x)) return nearest;
  return Math.ceil(x);
}
