/**
 * API option (buy tokens), cost-model.md "API option".
 */
import { emptyCashflows, totalCashflows, type OptionCashflows } from "./cashflows.ts";
import type { Demand } from "./demand.ts";
import { monthlyCompoundFactors } from "./time.ts";
import type { ValidatedApiOption } from "./validate.ts";

/** API columns beyond the common cash flows. */
export interface ApiCashflows extends OptionCashflows {
  /** The part of `apiUsd` paid for input tokens, USD. */
  apiInputUsd: Float64Array;
  /** The part of `apiUsd` paid for output tokens, USD. */
  apiOutputUsd: Float64Array;
}

/**
 * Evaluates one API option: cost `requests(m) × (in × pIn(m) + out × pOut(m)) / 1e6`, with
 * prices `p(m) = p × (1 + priceChangePerYear) ** (m / 12)`.
 */
export function evaluateApi(option: ValidatedApiOption, demand: Demand): ApiCashflows {
  const months = demand.months;
  const flows: ApiCashflows = {
    ...emptyCashflows(months),
    apiInputUsd: new Float64Array(months),
    apiOutputUsd: new Float64Array(months),
  };
  const priceFactors = monthlyCompoundFactors(option.priceChangePerYear, months);
  for (let m = 0; m < months; m++) {
    const factor = priceFactors[m] as number;
    const inputUsd = ((demand.inputTokens[m] as number) * option.usdPerMillionInputTokens * factor) / 1e6;
    const outputUsd = ((demand.outputTokens[m] as number) * option.usdPerMillionOutputTokens * factor) / 1e6;
    flows.apiInputUsd[m] = inputUsd;
    flows.apiOutputUsd[m] = outputUsd;
    flows.apiUsd[m] = inputUsd + outputUsd;
  }
  totalCashflows(flows);
  return flows;
}
