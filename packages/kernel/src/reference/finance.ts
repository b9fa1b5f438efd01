/**
 * The IRR search as it was before the fast path (one bisection step per sum), kept so the
 * equivalence test compares `evaluate`'s two-steps-per-pass search (finance.ts) with it.
 */
import { IRR_BRACKET_PER_MONTH, npvSign } from "../finance.ts";
import { MONTHS_PER_YEAR } from "../time.ts";

/** `irrPerYear` of finance.ts, one step at a time: the same result, number for number. */
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
  for (let iteration = 0; iteration < 2000; iteration++) {
    const mid = (low + high) / 2;
    if (mid <= low || mid >= high) break;
    const signMid = npvSign(flows, mid);
    if (signMid === 0) {
      low = mid;
      high = mid;
      break;
    }
    if (signMid === signLow) low = mid;
    else high = mid;
  }
  const monthly = (low + high) / 2;
  return (1 + monthly) ** MONTHS_PER_YEAR - 1;
}
