/**
 * The drivers of the risk analysis: what each changes in a scenario, its low and high values
 * with their source, and its distribution for the Monte Carlo. A "scale" driver multiplies the
 * scenario's own numbers (volume × 2); an "absolute" driver sets a value (PUE 1.58).
 * Ranges without a published source are labelled `assumption` and can be overridden per call.
 */
import type { Scenario } from "../scenario.ts";

export type DriverId =
  | "volume"
  | "growth"
  | "electricity"
  | "pue"
  | "hardwarePrice"
  | "leasePriceTrend"
  | "apiPriceTrend"
  | "throughput"
  | "costOfCapital"
  | "life"
  | "resale"
  | "support"
  | "warranty";

/** How a driver's value acts on the scenario. */
export type DriverMode = "scale" | "absolute";

/** One driver's definition. */
export interface DriverDefinition {
  id: DriverId;
  /** Plain-words name for the tornado. */
  label: string;
  /** What the value means, e.g. "× requests per day" or "years". */
  unit: string;
  mode: DriverMode;
  /** Low and high values (factors for `scale`, values for `absolute`). */
  low: number;
  high: number;
  /** Where low and high come from; "assumption: …" when no published figure backs them. */
  source: string;
  /**
   * Monte Carlo distribution, stated: `scale` drivers are log-triangular (triangular on the
   * logarithm of the factor between ln low, 0 and ln high, so the median factor is about 1);
   * `absolute` drivers are triangular between low and high with the scenario's value as mode.
   */
  distribution: "log-triangular" | "triangular";
  /** Smallest meaningful step (life is whole months); 0 for none. */
  step: number;
}

/** The default drivers with their cited or labelled ranges. */
export const DEFAULT_DRIVERS: readonly DriverDefinition[] = [
  {
    id: "volume",
    label: "Demand volume (requests per day)",
    unit: "× requests per day",
    mode: "scale",
    low: 0.5,
    high: 2,
    source: "assumption: a first-year demand forecast within a factor of 2 either way",
    distribution: "log-triangular",
    step: 0,
  },
  {
    id: "growth",
    label: "Demand growth per year",
    unit: "growth per year (fraction)",
    mode: "absolute",
    low: -0.2,
    high: 1,
    source: "assumption: from a 20 %/yr decline to doubling every year",
    distribution: "triangular",
    step: 0,
  },
  {
    id: "electricity",
    label: "Electricity price",
    unit: "× electricity price",
    mode: "scale",
    low: 0.84,
    high: 2.29,
    source:
      "U.S. EIA Electric Power Annual 2023, industrial average revenue per kWh by state (packages/catalog/data/energy.csv): 10th percentile 6.55 ¢ and 90th percentile 17.88 ¢ over the median 7.83 ¢ (derived ratios)",
    distribution: "log-triangular",
    step: 0,
  },
  {
    id: "pue",
    label: "Power usage effectiveness (PUE)",
    unit: "PUE",
    mode: "absolute",
    low: 1.1,
    high: 1.58,
    source:
      "Uptime Institute Global Data Center Survey (industry average 1.58 in 2023, 1.56 in 2024) and hyperscale ~1.1 (epoch-research/training-cost-trends); packages/catalog/data/defaults.csv site.pue",
    distribution: "triangular",
    step: 0,
  },
  {
    id: "hardwarePrice",
    label: "Server price",
    unit: "× server price",
    mode: "scale",
    low: 0.95,
    high: 1.05,
    source:
      'H100 all-in cluster capex $47k–52k per GPU by InfiniBand tier ("H100 Freakonomics", substack.tech-talk-cto.com): ±5 % around the midpoint (derived)',
    distribution: "log-triangular",
    step: 0,
  },
  {
    id: "leasePriceTrend",
    label: "Lease price change per year",
    unit: "change per year (fraction)",
    mode: "absolute",
    low: -0.3,
    high: 0,
    source: "assumption: cloud GPU rental prices flat to falling 30 %/yr",
    distribution: "triangular",
    step: 0,
  },
  {
    id: "apiPriceTrend",
    label: "API price change per year",
    unit: "change per year (fraction)",
    mode: "absolute",
    low: -0.5,
    high: 0,
    source: "assumption: API token prices flat to halving every year",
    distribution: "triangular",
    step: 0,
  },
  {
    id: "throughput",
    label: "Throughput per GPU (software, precision)",
    unit: "× tokens per second per GPU",
    mode: "scale",
    low: 0.5,
    high: 2,
    source:
      "InferenceX v2 (2026-02-16): software and precision move cost per token 2–20×, 2–5× within months (high); benchmark points overstate real serving (landscape §7.1) — assumption of up to 2× (low)",
    distribution: "log-triangular",
    step: 0,
  },
  {
    id: "costOfCapital",
    label: "Cost of capital (discount rate)",
    unit: "rate per year (fraction)",
    mode: "absolute",
    low: 0.08,
    high: 0.12,
    source: "the financing table of landscape §6.2 (r = 8 % and 12 %; inferecon CRF method)",
    distribution: "triangular",
    step: 0,
  },
  {
    id: "life",
    label: "Server economic life",
    unit: "years",
    mode: "absolute",
    low: 3,
    high: 6,
    source:
      "3 years (NVIDIA NIM TCO sheet) to 6 (hyperscaler accounting), default 4 (SemiAnalysis); packages/catalog/data/defaults.csv build.lifeYears",
    distribution: "triangular",
    step: 1 / 12,
  },
  {
    id: "resale",
    label: "Resale value decline per year",
    unit: "decline per year (fraction)",
    mode: "absolute",
    low: 0.2,
    high: 0.4,
    source: "assumption around Epoch's 0.276/yr price-performance decay (epoch-research/training-cost-trends)",
    distribution: "triangular",
    step: 0,
  },
  {
    id: "support",
    label: "Support after the warranty (share of server price per year)",
    unit: "fraction of the server price per year",
    mode: "absolute",
    low: 0.08,
    high: 0.2,
    source:
      "8–15 % a year (Sesterce calculator) to about 20 % for NVIDIA DGX support (supercluster.blog); packages/catalog/data/defaults.csv build.maintenancePerYear",
    distribution: "triangular",
    step: 0,
  },
  {
    id: "warranty",
    label: "Years of support included in the server price",
    unit: "years",
    mode: "absolute",
    low: 1,
    high: 3,
    source:
      "OEM warranties of 1 year (some Lenovo machine types) to 3 years (Supermicro, Lenovo, Dell); packages/catalog/data/defaults.csv support.warrantyYears.oem",
    distribution: "triangular",
    step: 1 / 12,
  },
];

/** Overrides of a driver's range (e.g. from the catalog or the user). */
export interface DriverOverride {
  id: DriverId;
  low?: number;
  high?: number;
  source?: string;
}

/** Whether a driver changes anything in this scenario (no lease option: no lease-price trend). */
export function driverApplies(id: DriverId, scenario: Scenario): boolean {
  const has = (kind: string): boolean => scenario.options.some((o) => o.kind === kind);
  switch (id) {
    case "electricity":
    case "pue":
    case "hardwarePrice":
    case "life":
    case "resale":
    case "support":
    case "warranty":
      return has("build");
    case "leasePriceTrend":
      return has("lease");
    case "apiPriceTrend":
      return has("api");
    case "throughput":
      return has("build") || has("lease");
    default:
      return true;
  }
}

/**
 * The scenario's own value of an absolute driver (the first build or lease or API option's for
 * per-option numbers, with cost-model.md defaults), or 1 for a scale driver.
 */
export function baseValue(id: DriverId, scenario: Scenario): number {
  const build = scenario.options.find((o) => o.kind === "build");
  const lease = scenario.options.find((o) => o.kind === "lease");
  const api = scenario.options.find((o) => o.kind === "api");
  switch (id) {
    case "growth":
      return scenario.workload.growthPerYear ?? 0;
    case "pue":
      return scenario.site?.pue ?? 1;
    case "leasePriceTrend":
      return lease?.kind === "lease" ? (lease.priceChangePerYear ?? 0) : 0;
    case "apiPriceTrend":
      return api?.kind === "api" ? (api.priceChangePerYear ?? 0) : 0;
    case "costOfCapital":
      return scenario.finance.discountRatePerYear;
    case "life":
      return build?.kind === "build" ? (build.lifeYears ?? 4) : 4;
    case "resale":
      return build?.kind === "build" ? (build.resaleDeclinePerYear ?? 0) : 0;
    case "support":
      return build?.kind === "build" ? (build.maintenancePerYear ?? 0) : 0;
    case "warranty":
      return build?.kind === "build" ? (build.warrantyYears ?? 0) : 0;
    default:
      return 1;
  }
}

const scaled = (value: number | undefined, factor: number): number | undefined =>
  value === undefined ? undefined : value * factor;

/**
 * A copy of `scenario` with driver `id` at `value` (a factor for scale drivers, a value for
 * absolute ones). Per-option numbers change on every option they concern; life is rounded to
 * whole months (the contract's rule).
 */
export function applyDriver(scenario: Scenario, id: DriverId, value: number): Scenario {
  const next: Scenario = {
    ...scenario,
    finance: { ...scenario.finance },
    workload: { ...scenario.workload },
    ...(scenario.site ? { site: { ...scenario.site } } : {}),
    options: scenario.options.map((o) => ({ ...o })),
  };
  switch (id) {
    case "volume":
      next.workload.requestsPerDay = scenario.workload.requestsPerDay * value;
      break;
    case "growth":
      next.workload.growthPerYear = value;
      break;
    case "electricity":
      if (next.site?.electricityUsdPerKwh !== undefined) next.site.electricityUsdPerKwh *= value;
      break;
    case "pue":
      next.site = { ...(next.site ?? {}), pue: value };
      break;
    case "costOfCapital":
      next.finance.discountRatePerYear = value;
      break;
    default:
      for (const option of next.options) {
        if (option.kind === "build") {
          if (id === "hardwarePrice") option.priceUsd = scaled(option.priceUsd, value);
          if (id === "throughput")
            option.outputTokensPerSecondPerGpu = scaled(option.outputTokensPerSecondPerGpu, value);
          if (id === "life") option.lifeYears = Math.max(1, Math.round(value * 12)) / 12;
          if (id === "resale") option.resaleDeclinePerYear = value;
          if (id === "support") option.maintenancePerYear = value;
          if (id === "warranty") option.warrantyYears = Math.max(0, Math.round(value * 12)) / 12;
        } else if (option.kind === "lease") {
          if (id === "throughput")
            option.outputTokensPerSecondPerGpu = scaled(option.outputTokensPerSecondPerGpu, value);
          if (id === "leasePriceTrend") option.priceChangePerYear = value;
        } else if (id === "apiPriceTrend") option.priceChangePerYear = value;
      }
  }
  return next;
}

/**
 * The drivers to use: the defaults with any overrides applied, only those that change this
 * scenario, each range widened to include the scenario's own value (so the base case lies inside).
 * @throws Error naming a bad override (unknown id, low > high, not finite).
 */
export function resolveDrivers(scenario: Scenario, overrides: readonly DriverOverride[] = []): DriverDefinition[] {
  const byId = new Map(DEFAULT_DRIVERS.map((d) => [d.id, { ...d }]));
  overrides.forEach((o, i) => {
    const driver = byId.get(o.id);
    if (!driver)
      throw new Error(`drivers.${i}.id: expected one of ${[...byId.keys()].join(", ")}, got ${JSON.stringify(o.id)}`);
    const low = o.low ?? driver.low;
    const high = o.high ?? driver.high;
    if (!Number.isFinite(low) || !Number.isFinite(high) || low > high)
      throw new Error(`drivers.${i}: expected finite low <= high, got ${low} and ${high}`);
    if (driver.mode === "scale" && low <= 0) throw new Error(`drivers.${i}.low: expected a factor > 0, got ${low}`);
    Object.assign(driver, {
      low,
      high,
      source: o.source ?? (o.low !== undefined || o.high !== undefined ? "user override" : driver.source),
    });
  });
  const list: DriverDefinition[] = [];
  for (const driver of byId.values()) {
    if (!driverApplies(driver.id, scenario)) continue;
    const base = baseValue(driver.id, scenario);
    list.push({ ...driver, low: Math.min(driver.low, base), high: Math.max(driver.high, base) });
  }
  return list;
}

/**
 * Ids of the options a pure strategy can use from the plan's first month: those without an
 * `availableFrom` ("YYYY-MM", the optimiser's generation field) later than `startMonth`.
 */
export function availableAtStart(scenario: Scenario): Set<string> {
  const ids = new Set<string>();
  for (const option of scenario.options) {
    const from = (option as { availableFrom?: unknown }).availableFrom;
    if (typeof from !== "string" || from <= scenario.startMonth) ids.add(option.id);
  }
  return ids;
}
