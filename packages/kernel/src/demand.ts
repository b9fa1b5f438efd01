/**
 * Demand per month (cost-model.md "Demand"): requests, tokens and the output token rates that
 * size capacity. Shared by every option of a scenario.
 */
import { HOURS_PER_DAY, HOURS_PER_MONTH, monthlyCompoundFactors, SECONDS_PER_DAY } from "./time.ts";
import type { ResolvedWorkload } from "./validate.ts";

/** Demand columns, one entry per plan month. */
export interface Demand {
  months: number;
  /** Requests served in the month: requestsPerDay(m) × 730 / 24. */
  requests: Float64Array;
  /** Input + output tokens of the month. */
  tokens: Float64Array;
  /** Input (prompt) tokens of the month. */
  inputTokens: Float64Array;
  /** Output (generated) tokens of the month. */
  outputTokens: Float64Array;
  /** Average output tokens per second: requestsPerDay(m) × outputTokensPerRequest / 86400. */
  averageOutputTokensPerSecond: Float64Array;
  /** Peak output tokens per second: avgOutTps(m) × peakToAverage. */
  peakOutputTokensPerSecond: Float64Array;
  /** Highest planned load on capacity at peak, 0–1 (the workload's targetUtilization). */
  targetUtilization: number;
}

/**
 * Computes the demand columns:
 * `requestsPerDay(m) = requestsPerDay × (1 + growthPerYear) ** (m / 12)`,
 * `requests(m) = requestsPerDay(m) × 730 / 24`, `tokens(m) = requests(m) × (in + out)`,
 * `avgOutTps(m) = requestsPerDay(m) × out / 86400`, `peakOutTps = avgOutTps × peakToAverage`.
 */
export function computeDemand(workload: ResolvedWorkload, months: number): Demand {
  const growth = monthlyCompoundFactors(workload.growthPerYear, months);
  const requests = new Float64Array(months);
  const tokens = new Float64Array(months);
  const inputTokens = new Float64Array(months);
  const outputTokens = new Float64Array(months);
  const averageOutputTokensPerSecond = new Float64Array(months);
  const peakOutputTokensPerSecond = new Float64Array(months);
  const tokensPerRequest = workload.inputTokensPerRequest + workload.outputTokensPerRequest;
  for (let m = 0; m < months; m++) {
    const requestsPerDay = workload.requestsPerDay * (growth[m] as number);
    const monthRequests = (requestsPerDay * HOURS_PER_MONTH) / HOURS_PER_DAY;
    requests[m] = monthRequests;
    tokens[m] = monthRequests * tokensPerRequest;
    inputTokens[m] = monthRequests * workload.inputTokensPerRequest;
    outputTokens[m] = monthRequests * workload.outputTokensPerRequest;
    const average = (requestsPerDay * workload.outputTokensPerRequest) / SECONDS_PER_DAY;
    averageOutputTokensPerSecond[m] = average;
    peakOutputTokensPerSecond[m] = average * workload.peakToAverage;
  }
  return {
    months,
    requests,
    tokens,
    inputTokens,
    outputTokens,
    averageOutputTokensPerSecond,
    peakOutputTokensPerSecond,
    targetUtilization: workload.targetUtilization,
  };
}
