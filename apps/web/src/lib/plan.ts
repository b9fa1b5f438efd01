/**
 * The working plan: what a person has chosen and typed in the wizard, before the catalog fills
 * the gaps. Numbers are kept exactly as typed (strings), so nothing is lost when an entry is
 * invalid or half-finished; `build-scenario.ts` turns a plan into a kernel scenario.
 *
 * A plan is small JSON: it lives in the URL (compressed), in localStorage and in saved scenarios.
 */
import { USE_CASES, LATENCY_PRESETS, type LatencyKey, type UseCaseKey } from "./presets.ts";
import { VOLUME_MODES, type VolumeMode } from "./volume.ts";

export const PLAN_FORMAT_VERSION = 1;

/** Values `servingStack` may take ("" = default); the catalog's `SERVING_STACKS`, kept here so the first page does not load the catalog. */
export const SERVING_STACK_KEYS: readonly string[] = [
  "",
  "open-source",
  "nvidia-ai-enterprise",
  "amd-enterprise-ai",
  "none",
];
/** Values `leaseCommitment` may take ("" = match the plan's length); the catalog's `LEASE_COMMITMENTS`. */
export const LEASE_COMMITMENT_KEYS: readonly string[] = ["", "as-offered", "on-demand", "1y", "3y", "match-horizon"];

/** What-if adjustments applied on the results page, on top of the plan (fractions / multipliers). */
export interface WhatIf {
  /** Multiplier on requests per day (1 = as planned). */
  volumeFactor: number;
  /** Demand growth per year override, fraction; null = as planned. */
  growthPerYear: number | null;
  /** Electricity price override, USD per kWh; null = as planned. */
  electricityUsdPerKwh: number | null;
  /** Lease price trend per year override, fraction; null = as planned. */
  leasePriceChangePerYear: number | null;
  /** Cost of capital override, fraction per year; null = as planned. */
  discountRatePerYear: number | null;
  /** Target utilisation override, fraction 0–1; null = as planned. */
  targetUtilization: number | null;
}

export const NO_WHAT_IF: WhatIf = {
  volumeFactor: 1,
  growthPerYear: null,
  electricityUsdPerKwh: null,
  leasePriceChangePerYear: null,
  discountRatePerYear: null,
  targetUtilization: null,
};

export interface PlanInput {
  v: typeof PLAN_FORMAT_VERSION;
  name: string;
  useCase: UseCaseKey;
  /** Catalog model key. */
  model: string;
  /**
   * How volume is given: requests per day, users × requests per user per day, tokens a day or a
   * month, or today's API bill (issue 18 item 3); the scenario always gets requests per day.
   */
  volumeMode: VolumeMode;
  /** Latency preset, or "custom" to use the typed `workload.interactivity` value. */
  latency: LatencyKey | "custom";
  /** Catalog region code ("" until chosen). */
  region: string;
  /** Electricity customer class within the region ("" = the catalog's default class). */
  customerClass: string;
  facility: "colocation" | "own";
  /** Selected server SKU ids (build paths). */
  servers: string[];
  /** Selected cloud offer ids (lease paths). */
  cloudOffers: string[];
  /** Selected token-price ids from the catalog (API paths). */
  tokenApis: string[];
  /** Whether the user's own token-API price (typed in `api.custom.*`) is a path. */
  customApi: boolean;
  /** Serving software on owned and leased GPUs ("" = the default, open source without a licence). ADR 017. */
  servingStack: string;
  /** Commitment term of the leases ("" = the term matching the plan's length). ADR 017. */
  leaseCommitment: string;
  /** Option id building is compared against ("" = the cheapest path that does not build). ADR 017. */
  baseline: string;
  /** Every typed number, exactly as typed, by field id ("" or absent: use the default). */
  values: Record<string, string>;
  whatIf: WhatIf;
}

/** A new, empty plan: presets chosen, nothing typed. Catalog-driven choices are filled by `withCatalogDefaults`. */
export function emptyPlan(): PlanInput {
  return {
    v: PLAN_FORMAT_VERSION,
    name: "",
    useCase: "chat",
    model: "",
    volumeMode: "requests",
    latency: "fast",
    region: "",
    customerClass: "",
    facility: "colocation",
    servers: [],
    cloudOffers: [],
    tokenApis: [],
    customApi: false,
    servingStack: "",
    leaseCommitment: "",
    baseline: "",
    values: {},
    whatIf: { ...NO_WHAT_IF },
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}

function numberOrNull(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

/**
 * Reads a plan from untrusted JSON (a URL, localStorage, a saved scenario): keeps every field
 * that has the right type and falls back to the empty plan's value for anything else, so a
 * damaged or older plan still opens with as much of the user's input as survives.
 */
export function normalisePlan(raw: unknown): PlanInput {
  const plan = emptyPlan();
  if (!isRecord(raw)) return plan;
  if (typeof raw.name === "string") plan.name = raw.name;
  if (USE_CASES.some((preset) => preset.key === raw.useCase)) plan.useCase = raw.useCase as UseCaseKey;
  if (typeof raw.model === "string") plan.model = raw.model;
  if (typeof raw.volumeMode === "string" && (VOLUME_MODES as readonly string[]).includes(raw.volumeMode))
    plan.volumeMode = raw.volumeMode as VolumeMode;
  if (raw.latency === "custom" || LATENCY_PRESETS.some((preset) => preset.key === raw.latency)) {
    plan.latency = raw.latency as LatencyKey | "custom";
  }
  if (typeof raw.region === "string") plan.region = raw.region;
  if (typeof raw.customerClass === "string") plan.customerClass = raw.customerClass;
  if (raw.facility === "colocation" || raw.facility === "own") plan.facility = raw.facility;
  plan.servers = stringList(raw.servers);
  plan.cloudOffers = stringList(raw.cloudOffers);
  plan.tokenApis = stringList(raw.tokenApis);
  plan.customApi = raw.customApi === true;
  if (typeof raw.servingStack === "string" && SERVING_STACK_KEYS.includes(raw.servingStack))
    plan.servingStack = raw.servingStack;
  if (typeof raw.leaseCommitment === "string" && LEASE_COMMITMENT_KEYS.includes(raw.leaseCommitment))
    plan.leaseCommitment = raw.leaseCommitment;
  if (typeof raw.baseline === "string") plan.baseline = raw.baseline;
  if (isRecord(raw.values)) {
    for (const [key, value] of Object.entries(raw.values)) {
      if (typeof value === "string") plan.values[key] = value;
    }
  }
  if (isRecord(raw.whatIf)) {
    const whatIf = raw.whatIf;
    const factor = numberOrNull(whatIf.volumeFactor);
    plan.whatIf = {
      volumeFactor: factor !== null && factor > 0 ? factor : 1,
      growthPerYear: numberOrNull(whatIf.growthPerYear),
      electricityUsdPerKwh: numberOrNull(whatIf.electricityUsdPerKwh),
      leasePriceChangePerYear: numberOrNull(whatIf.leasePriceChangePerYear),
      discountRatePerYear: numberOrNull(whatIf.discountRatePerYear),
      targetUtilization: numberOrNull(whatIf.targetUtilization),
    };
  }
  return plan;
}

/** True when any what-if differs from the plan as entered. */
export function hasWhatIf(whatIf: WhatIf): boolean {
  return (
    whatIf.volumeFactor !== 1 ||
    whatIf.growthPerYear !== null ||
    whatIf.electricityUsdPerKwh !== null ||
    whatIf.leasePriceChangePerYear !== null ||
    whatIf.discountRatePerYear !== null ||
    whatIf.targetUtilization !== null
  );
}

/** A plain-language name for a plan that has none yet. */
export function planTitle(plan: PlanInput): string {
  if (plan.name.trim()) return plan.name.trim();
  const useCase = USE_CASES.find((preset) => preset.key === plan.useCase);
  return `${useCase?.label ?? "Plan"}${plan.model ? ` on ${plan.model}` : ""}`;
}
