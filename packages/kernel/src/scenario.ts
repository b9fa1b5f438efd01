/**
 * The scenario the kernel evaluates (docs: cost-model.md "Scenario shape"). Money in USD,
 * power in kW, energy in kWh, fractions 0–1, yearly rates as fractions per year.
 *
 * Numbers the catalog can supply (prices, throughput, GPUs per unit, power) are optional in the
 * type, because a scenario on the wire may name a `sku`, `offer` or `accelerator` instead; the
 * catalog fills them in before evaluation. The kernel itself never looks anything up: a required
 * number still missing when `evaluate` runs is a `ScenarioError` naming it.
 */

/** Finance assumptions. */
export interface FinanceInput {
  /** Yearly discount rate r (cost of capital), a fraction: 0.09 = 9 %/yr. Compounded monthly. */
  discountRatePerYear: number;
}

/** The workload served: one model, one request shape, one demand curve. */
export interface WorkloadInput {
  /** Model label (a catalog key when an option needs throughput from the catalog). */
  model?: string;
  /** Average prompt (input) tokens per request. */
  inputTokensPerRequest: number;
  /** Average generated (output) tokens per request. */
  outputTokensPerRequest: number;
  /** Average requests per day in month 0. */
  requestsPerDay: number;
  /** Yearly demand growth, a fraction (0.6 = +60 %/yr, −0.15 = −15 %/yr). Default 0. */
  growthPerYear?: number;
  /** Peak output rate over average output rate, >= 1. Default 1. */
  peakToAverage?: number;
  /** Highest planned load on capacity at peak, 0–1. Default 1. */
  targetUtilization?: number;
  /** Share of input tokens served from a provider's prompt cache, 0–1 (catalog pricing only; the kernel ignores it). */
  cachedInputShare?: number;
  /** Share of requests sent through a provider's batch API, 0–1 (catalog pricing only; the kernel ignores it). */
  batchShare?: number;
}

/** The site where owned servers run (used by build options). */
export interface SiteInput {
  /** Catalog region key (resolved by the catalog, not by the kernel). */
  region?: string;
  /** Electricity price in month 0, USD per kWh. Required when a build option is present. */
  electricityUsdPerKwh?: number;
  /** Yearly change of the electricity price, a fraction. Default 0. */
  electricityEscalationPerYear?: number;
  /** Power usage effectiveness (facility power / IT power), >= 1. Default 1. */
  pue?: number;
  /** Colocation rent per kW of IT power per month, USD. Default 0. */
  colocationUsdPerKwMonth?: number;
  /** Grid carbon intensity, grams CO2 per kWh. Default 0. */
  gridCarbonGPerKwh?: number;
  /** Site power envelope, kW (facility power, IT × PUE). Absent: no cap. */
  powerCapKw?: number;
}

/** Catalog references an option may carry; resolved by the catalog, ignored by the kernel. */
export interface CatalogReferences {
  /** Server SKU key (build). */
  sku?: string;
  /** Cloud offer or API price key (lease, api). */
  offer?: string;
  /** Accelerator key, to read throughput from measured data. */
  accelerator?: string;
}

/** Own servers, bought as needed (cost-model.md "Build option"). */
export interface BuildOptionInput extends CatalogReferences {
  kind: "build";
  /** Unique option id within the scenario. */
  id: string;
  /** Price of one server in month 0, USD. Required. */
  priceUsd?: number;
  /** GPUs per server. Required. */
  gpusPerServer?: number;
  /** Maximum IT power of one server, kW. Required. */
  kw?: number;
  /** Network, storage and installation as a fraction of the server price. Default 0. */
  adders?: number;
  /** Economic life in years; 12 × lifeYears must be a whole number of months. Required. */
  lifeYears?: number;
  /** Spare servers as a fraction of the servers needed. Default 0. */
  spareFraction?: number;
  /** Yearly maintenance as a fraction of the hardware price. Default 0. */
  maintenancePerYear?: number;
  /**
   * Years of support included in the server price (the manufacturer's warranty): maintenance is
   * charged only on cohorts older than this. Extension of cost model v1; default 0, which is the
   * contract's formula (maintenance from the month of purchase).
   */
  warrantyYears?: number;
  /** Software licences, USD per GPU per year. Default 0. */
  softwareUsdPerGpuYear?: number;
  /** Servers one full-time engineer runs. Absent: no staff cost. */
  serversPerFte?: number;
  /** Fully loaded cost of one engineer, USD per year. Required when serversPerFte is given. */
  fteUsdPerYear?: number;
  /** Hosting, insurance or any other lump cost per server per year, USD. Default 0. */
  otherUsdPerServerYear?: number;
  /** Yearly decline of the resale value, a fraction (value after t years: (1 − d)^t). Required. */
  resaleDeclinePerYear?: number;
  /** Yearly change of the server price for later purchases, a fraction. Default 0. */
  priceChangePerYear?: number;
  /** Power drawn when idle as a fraction of maximum power. Default 0. */
  idlePowerFraction?: number;
  /** Output tokens/s per GPU on this workload at its latency target (decode rate). Required. */
  outputTokensPerSecondPerGpu?: number;
  /** Input (prefill) tokens/s per GPU; enables the input/output cost split. Optional. */
  inputTokensPerSecondPerGpu?: number;
}

/** Lease instances from a cloud or neo-cloud (cost-model.md "Lease option"). */
export interface LeaseOptionInput extends CatalogReferences {
  kind: "lease";
  id: string;
  /** Price of one instance-hour in month 0, USD. Required. */
  priceUsdPerInstanceHour?: number;
  /** GPUs per instance. Required. */
  gpusPerInstance?: number;
  /** Commitment in years: 0 on demand, else the price is fixed per block of 12 × termYears months. Default 0. */
  termYears?: number;
  /** Yearly change of the list price, a fraction. Default 0. */
  priceChangePerYear?: number;
  /** Software licences, USD per GPU per year. Default 0. */
  softwareUsdPerGpuYear?: number;
  /** Output tokens/s per GPU on this workload at its latency target. Required. */
  outputTokensPerSecondPerGpu?: number;
  /** Input (prefill) tokens/s per GPU; enables the input/output cost split. Optional. */
  inputTokensPerSecondPerGpu?: number;
}

/** Buy tokens from a model API (cost-model.md "API option"). */
export interface ApiOptionInput extends CatalogReferences {
  kind: "api";
  id: string;
  /** Price per million input tokens in month 0, USD. Required. */
  usdPerMillionInputTokens?: number;
  /** Price per million output tokens in month 0, USD. Required. */
  usdPerMillionOutputTokens?: number;
  /** Yearly change of both prices, a fraction. Default 0. */
  priceChangePerYear?: number;
  /** Catalog model the API serves when not the workload's (resolved by the catalog, ignored by the kernel). */
  model?: string;
  /** Catalog API provider to buy from (resolved by the catalog, ignored by the kernel). */
  provider?: string;
  /** Catalog offer selection rule (resolved by the catalog, ignored by the kernel). */
  select?: "cheapest" | "median";
}

export type OptionInput = BuildOptionInput | LeaseOptionInput | ApiOptionInput;

/** One scenario: one workload, one site, several options each evaluated as a pure strategy. */
export interface Scenario {
  name?: string;
  /** First plan month, "YYYY-MM". */
  startMonth: string;
  /** Plan length in years; 12 × horizonYears months. */
  horizonYears: number;
  finance: FinanceInput;
  workload: WorkloadInput;
  site?: SiteInput;
  options: OptionInput[];
  /**
   * Serving software on the GPUs of every build and lease option (resolved by the catalog into
   * `softwareUsdPerGpuYear`; ignored by the kernel). Absent: open source, no licence.
   */
  servingStack?: "open-source" | "nvidia-ai-enterprise" | "amd-enterprise-ai" | "none";
  /**
   * Commitment term of the lease options that name a catalog offer (resolved by the catalog into
   * `termYears` and the price for that term; ignored by the kernel). Absent: each offer's own term.
   */
  leaseCommitment?: "as-offered" | "on-demand" | "1y" | "3y" | "match-horizon";
  comparison?: {
    /** Option every build option is compared against. Default: the first lease option. */
    baselineOptionId?: string;
  };
}
