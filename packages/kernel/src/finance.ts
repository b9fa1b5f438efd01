/**
 * Finance of cost model v1: present values with the start-/end-of-month conventions, payback,
 * and the internal rate of return by bisection (cost-model.md "Results" and "Comparisons").
 */
import type { OptionCashflows } from "./cashflows.ts";
import { MONTHS_PER_YEAR } from "./time.ts";

/**
 * Present value of an end-of-month series (operating costs, tokens): `Σ x(m) × v ** (m + 1)`.
 * `discount` holds `v ** m` for m = 0 .. M (see `discountFactors`).
 */
export function presentValueEndOfMonth(values: Float64Array, discount: Float64Array): number {
  let total = 0;
  for (let m = 0; m < values.length; m++) total += (values[m] as number) * (discount[m + 1] as number);
  return total;
}

/**
 * Present value of a start-of-month series (capital flows): `Σ x(m) × v ** m`.
 */
export function presentValueStartOfMonth(values: Float64Array, discount: Float64Array): number {
  let total = 0;
  for (let m = 0; m < values.length; m++) total += (values[m] as number) * (discount[m] as number);
  return total;
}

/** Plain sum of a series (undiscounted). */
export function sum(values: Float64Array): number {
  let total = 0;
  for (let m = 0; m < values.length; m++) total += values[m] as number;
  return total;
}

/**
 * Net present cost of an option, USD (cost-model.md):
 * `npvCostUsd = Σ (capex − resale) v^m + Σ opex v^(m+1) − residual v^M`.
 */
export function netPresentCost(flows: OptionCashflows, discount: Float64Array): number {
  let total = 0;
  for (let m = 0; m < flows.months; m++) {
    total += ((flows.capexUsd[m] as number) - (flows.resaleUsd[m] as number)) * (discount[m] as number);
    total += (flows.opexUsd[m] as number) * (discount[m + 1] as number);
  }
  return total - flows.residualUsd * (discount[flows.months] as number);
}

/**
 * Payback of B against baseline A, in months: with `D(i) = Σ_{j<=i} (cashA(j) − cashB(j))`, the
 * smallest k >= 1 with `D(k − 1) >= 0`, or null when the cumulative saving never reaches 0
 * within the horizon. Cash excludes the horizon residual (cost-model.md "Comparisons").
 */
export function paybackMonths(baselineCashUsd: Float64Array, optionCashUsd: Float64Array): number | null {
  let cumulative = 0;
  for (let i = 0; i < optionCashUsd.length; i++) {
    cumulative += (baselineCashUsd[i] as number) - (optionCashUsd[i] as number);
    if (cumulative >= 0) return i + 1;
  }
  return null;
}

/** Bracket of the monthly IRR search (cost-model.md): (−0.99, 10) per month. */
export const IRR_BRACKET_PER_MONTH = { low: -0.99, high: 10 } as const;

/**
 * Sign of `NPV(i) = Σ f(m) (1 + i) ** −m`, computed without overflow: for i >= 0 directly (every
 * factor <= 1); for i < 0 as `Σ f(m) (1 + i) ** (n − 1 − m)`, the NPV times the positive number
 * `(1 + i) ** (n − 1)` (every factor <= 1 again). Same sign, so bisection is unaffected, and
 * a 50-year series at −99 %/month does not overflow.
 */
export function npvSign(flows: Float64Array, ratePerMonth: number): number {
  const base = 1 + ratePerMonth;
  const n = flows.length;
  let total = 0;
  if (ratePerMonth >= 0) {
    const x = 1 / base;
    let factor = 1;
    for (let m = 0; m < n; m++) {
      total += (flows[m] as number) * factor;
      factor *= x;
    }
  } else {
    let factor = 1;
    for (let m = n - 1; m >= 0; m--) {
      total += (flows[m] as number) * factor;
      factor *= base;
    }
  }
  return Math.sign(total);
}

/** Signs at three rates, written by `npvSigns3` (module scratch: the IRR search allocates nothing). */
const threeSigns = new Float64Array(3);

/**
 * `npvSign` at three rates at once, each sum taken exactly as `npvSign` takes it (same operations,
 * same order, so the same signs): three independent chains of additions that the processor
 * overlaps, where one sum waits on each addition in turn. Rates on both sides of 0 (only while
 * the bracket still straddles 0) are taken one by one.
 */
function npvSigns3(flows: Float64Array, rateA: number, rateB: number, rateC: number): Float64Array {
  const n = flows.length;
  let totalA = 0;
  let totalB = 0;
  let totalC = 0;
  if (rateA >= 0 && rateB >= 0 && rateC >= 0) {
    const xA = 1 / (1 + rateA);
    const xB = 1 / (1 + rateB);
    const xC = 1 / (1 + rateC);
    let factorA = 1;
    let factorB = 1;
    let factorC = 1;
    for (let m = 0; m < n; m++) {
      const flow = flows[m] as number;
      totalA += flow * factorA;
      totalB += flow * factorB;
      totalC += flow * factorC;
      factorA *= xA;
      factorB *= xB;
      factorC *= xC;
    }
  } else if (rateA < 0 && rateB < 0 && rateC < 0) {
    const baseA = 1 + rateA;
    const baseB = 1 + rateB;
    const baseC = 1 + rateC;
    let factorA = 1;
    let factorB = 1;
    let factorC = 1;
    for (let m = n - 1; m >= 0; m--) {
      const flow = flows[m] as number;
      totalA += flow * factorA;
      totalB += flow * factorB;
      totalC += flow * factorC;
      factorA *= baseA;
      factorB *= baseB;
      factorC *= baseC;
    }
  } else {
    threeSigns[0] = npvSign(flows, rateA);
    threeSigns[1] = npvSign(flows, rateB);
    threeSigns[2] = npvSign(flows, rateC);
    return threeSigns;
  }
  threeSigns[0] = Math.sign(totalA);
  threeSigns[1] = Math.sign(totalB);
  threeSigns[2] = Math.sign(totalC);
  return threeSigns;
}

/** Iterations of the IRR bisection at most (float64 resolution is reached well before). */
const IRR_MAX_ITERATIONS = 2000;

/**
 * Internal rate of return of a monthly series, as a yearly rate `(1 + irr) ** 12 − 1`.
 * `irr` is the root of `Σ f(m) (1 + irr) ** −m` in (−0.99, 10) per month, found by bisection
 * on that bracket down to the resolution of float64. Null when the series never changes sign or
 * the NPV has the same sign at both ends of the bracket (cost-model.md "Comparisons").
 *
 * Two bisection steps per pass: the sign at the midpoint and, speculatively, at both midpoints
 * the next step may take, in one loop over the series (`npvSigns3`). The steps, their midpoints
 * and their signs are those of one step at a time (reference/finance.ts), so the result is the
 * same number; a pass costs little more than one sum, so the search takes about half the time.
 */
export function irrPerYear(flows: Float64Array): number | null {
  let hasPositive = false;
  let hasNegative = false;
  for (let m = 0; m < flows.length; m++) {
    const x = flows[m] as number;
    if (x > 0) hasPositive = true;
    else if (x < 0) hasNegative = true;
  }
  if (!hasPositive || !hasNegative) return null;
  let low: number = IRR_BRACKET_PER_MONTH.low;
  let high: number = IRR_BRACKET_PER_MONTH.high;
  const signLow = npvSign(flows, low);
  const signHigh = npvSign(flows, high);
  if (signLow === 0 || signHigh === 0 || signLow === signHigh) return null;
  let iteration = 0;
  while (iteration < IRR_MAX_ITERATIONS) {
    const mid = (low + high) / 2;
    if (mid <= low || mid >= high) break;
    const lowerMid = (low + mid) / 2; // the next midpoint if the root is below `mid`
    const upperMid = (mid + high) / 2; // … if it is above
    const signs = npvSigns3(flows, mid, lowerMid, upperMid);
    const signMid = signs[0] as number;
    iteration++;
    if (signMid === 0) {
      low = mid;
      high = mid;
      break;
    }
    let next: number;
    let signNext: number;
    if (signMid === signLow) {
      low = mid;
      next = upperMid;
      signNext = signs[2] as number;
    } else {
      high = mid;
      next = lowerMid;
      signNext = signs[1] as number;
    }
    if (iteration >= IRR_MAX_ITERATIONS) break;
    if (next <= low || next >= high) break;
    iteration++;
    if (signNext === 0) {
      low = next;
      high = next;
      break;
    }
    if (signNext === signLow) low = next;
    else high = next;
  }
  const monthly = (low + high) / 2;
  return (1 + monthly) ** MONTHS_PER_YEAR - 1;
}
