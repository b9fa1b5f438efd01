// The shapes of a fleet plan and its month-by-month evaluation (moved verbatim from fleet.ts, which re-exports them).
import type { OptionCashflows } from "../cashflows.ts";

/** Servers of one purchase cohort sold before the end of their life, at a period's first month. */
export interface FleetRetirement {
  /** Build option id. */
  optionId: string;
  /** Index of the plan period in which the cohort was bought. */
  boughtInPeriod: number;
  /** Servers sold. */
  servers: number;
}

/** One period of a fleet plan. Counts are upper limits, used only as far as demand needs them. */
export interface FleetPlanPeriod {
  /** First plan month of the period, 0-based. */
  startMonth: number;
  /** Months in the period. */
  months: number;
  /** Per build option id: most servers bought in the period (as needed); missing = 0; Infinity = no limit. */
  buyServers?: Record<string, number>;
  /** Per build option id: most servers owned in any month of the period (e.g. sized for the base load); missing = no limit. */
  maxServers?: Record<string, number>;
  /** Early retirements at the period's first month. */
  retire?: FleetRetirement[];
  /** Per lease option id: most instances in any month of the period; missing = 0; Infinity = no limit. */
  leaseInstances?: Record<string, number>;
  /** Per api option id: share of requests (and tokens) sent to it, 0–1; missing = 0. */
  apiShare?: Record<string, number>;
  /** Order in which SKUs buy when several may (default: scenario order). */
  buyOrder?: string[];
  /** Order in which offers lease when several may (default: scenario order). */
  leaseOrder?: string[];
}

/** A fleet plan: contiguous periods from month 0 to the horizon. */
export interface FleetPlan {
  periods: FleetPlanPeriod[];
}

/** One month of an evaluated plan. Money in USD, power in kW, energy in kWh. */
export interface FleetMonth {
  /** Calendar month "YYYY-MM". */
  month: string;
  capexUsd: number;
  resaleUsd: number;
  energyUsd: number;
  facilityUsd: number;
  maintenanceUsd: number;
  softwareUsd: number;
  staffUsd: number;
  otherUsd: number;
  leaseUsd: number;
  apiUsd: number;
  /** capex − resale + operating costs (horizon residual excluded). */
  cashUsd: number;
  /** Servers owned after buying, per build option id. */
  servers: Record<string, number>;
  /** Servers bought this month, per build option id. */
  serversBought: Record<string, number>;
  /** Servers sold this month (end of life or early), per build option id. */
  serversRetired: Record<string, number>;
  /** Instances leased this month, per lease option id. */
  instances: Record<string, number>;
  /** Share of requests sent to APIs, 0–1. */
  apiShare: number;
  ownedGpus: number;
  leasedGpus: number;
  gpus: number;
  /** Owned servers' facility power at full load: Σ servers × kw × PUE. */
  facilityKw: number;
  /** Facility energy of owned servers. */
  kwh: number;
  tokens: number;
  outputTokens: number;
}

/** One plan period, summarised (what the plan timeline shows). */
export interface FleetPeriodSummary {
  /** First calendar month "YYYY-MM". */
  start: string;
  months: number;
  /** Highest facility power of owned servers in the period, kW (IT × PUE at full load). */
  facilityKw: number;
  /** Highest GPUs running (owned + leased) in the period. */
  gpus: number;
  ownedGpus: number;
  leasedGpus: number;
  /** Servers owned at the end of the period, per build option id. */
  servers: Record<string, number>;
  /** Servers bought in the period, per build option id. */
  bought: Record<string, number>;
  /** Servers sold in the period (end of life or early), per build option id. */
  retired: Record<string, number>;
  /** Of `retired`, those sold before the end of their life, per build option id. */
  retiredEarly: Record<string, number>;
  /** Highest instances leased in the period, per lease option id. */
  leased: Record<string, number>;
  /** Share of requests sent to each API option, 0–1 (the average over the period's months). */
  apiShare: Record<string, number>;
  capexUsd: number;
  resaleUsd: number;
  opexUsd: number;
  cashUsd: number;
  /** Present value at plan start of the period's cash flows (the horizon residual in the last period), USD. */
  npvCostUsd: number;
}

/** A plan evaluated month by month. */
export interface FleetEvaluation {
  /** Σ (capex − resale) v^m + Σ opex v^(m+1) − residual v^M, USD (cost-model.md). */
  npvCostUsd: number;
  /** Undiscounted Σ cash − residual, USD. */
  tcoUsd: number;
  /** Value of servers still owned at the horizon, undiscounted, USD. */
  residualUsd: number;
  /** npvCostUsd / Σ tokens v^(m+1) × 1e6, USD per million tokens. */
  lcotUsdPerMillionTokens: number;
  lcotUsdPerMillionOutputTokens: number;
  /** npvCostUsd / Σ gpus × 730 × v^(m+1), USD per GPU-hour; null when no GPU runs (API only). */
  effectiveUsdPerGpuHour: number | null;
  /** Plan months (0-based) where owned facility power exceeds the site's cap. */
  powerCapExceededMonths: number[];
  /** Capex (incl. adders) per plan year, undiscounted USD. */
  capexByYearUsd: number[];
  /** Largest share of a period's peak demand owned servers, leased instances and APIs can serve at the target utilisation, 0–1. */
  maxPathShare: { build: number; lease: number; api: number };
  monthly: FleetMonth[];
  periods: FleetPeriodSummary[];
  /** Cash columns (for payback and IRR against another strategy). */
  flows: OptionCashflows;
}
