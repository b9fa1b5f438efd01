import golden from "../../../test/golden/chat-70b-three-paths.scenario.json";

/**
 * A valid scenario: the worked example of the cost model (test/golden, from the product's
 * cost-model spec), build + lease + api over 5 years, every number inline.
 */
export function goldenScenario(): Record<string, unknown> {
  return structuredClone(golden);
}

/** A smaller valid scenario (1 year, lease + api): cheap to evaluate in loops. */
export function smallScenario(name = "small"): Record<string, unknown> {
  return {
    name,
    startMonth: "2027-01",
    horizonYears: 1,
    finance: { discountRatePerYear: 0.09 },
    workload: { inputTokensPerRequest: 1000, outputTokensPerRequest: 500, requestsPerDay: 100000, growthPerYear: 0.2 },
    options: [
      {
        kind: "lease",
        id: "lease-a",
        priceUsdPerInstanceHour: 28,
        gpusPerInstance: 8,
        outputTokensPerSecondPerGpu: 1500,
      },
      { kind: "api", id: "api-a", usdPerMillionInputTokens: 0.6, usdPerMillionOutputTokens: 0.6 },
    ],
  };
}
