/**
 * The shapes of a proposal version's content and of the inputs it is built from (the wire shape
 * the API returns and the web app renders), and the disclaimer every proposal carries.
 */
import type { OptionResult } from "@aifp/kernel";
import type * as v from "valibot";
import type { ProposalSummarySchema, ProposalVersionSchema, SharedProposalSchema } from "./proposals.ts";

export type LogoContentType = "image/png" | "image/jpeg";

/** A logo that passed the checks: what a proposal version stores (its bytes as base64). */
export interface CheckedLogo {
  contentType: LogoContentType;
  dataBase64: string;
  bytes: number;
  widthPx: number;
  heightPx: number;
  /** SHA-256 (hex) of the image bytes. */
  sha256: string;
}

/** Version of the content layout; bump when the shape or the generated text changes. */
export const PROPOSAL_CONTENT_SCHEMA = "proposal-content/2";

/** Paper sizes a proposal prints on. */
export type PaperSize = "A4" | "Letter";

/** What the sales engineer enters (validated on the wire). */
export interface ProposalFields {
  title: string;
  customerName: string;
  preparedBy: string;
  vendor: { name: string; accentColor: string; logo: CheckedLogo | null };
  notes: string;
  paperSize: PaperSize;
}

/** The plan a proposal presents, as the proposal pins it. */
export interface PlanReference {
  id: string;
  name: string;
  scenarioId: string;
  scenarioVersion: number;
  inputHash: string;
  createdAt: string;
}

/** Inputs of one proposal version: hashed together with its outputs. */
export interface ProposalInputs extends ProposalFields {
  proposalId: string;
  version: number;
  plan: PlanReference;
  /** Monte Carlo settings when the proposal asked for a risk band, else null. */
  risk: { samples: number; seed: number } | null;
  /** ISO 8601 instant the version was issued (null while it is a draft). */
  issuedAt: string | null;
}

/** The stored plan as the builder reads it (`PlanDto` of the plans service). */
export interface PlanForProposal extends PlanReference {
  priceBookVersion: string;
  kernelVersion: string;
  input: unknown;
  result: unknown;
}

/** One catalog or entered figure with its provenance. */
export interface AssumptionRow {
  path: string;
  label: string;
  value: number;
  unit: string;
  source: string;
  asOf: string;
  confidence: string;
  origin: "catalog" | "default" | "quote" | "throughput" | "entered";
  derived: boolean;
  method: string | null;
}

export interface ComparisonRow {
  optionId: string;
  label: string;
  kind: OptionResult["kind"];
  lcotUsdPerMillionTokens: number;
  lcotUsdPerMillionOutputTokens: number;
  npvCostUsd: number;
  tcoUsd: number;
  effectiveUsdPerGpuHour: number | null;
  /** Build paths against the baseline; null = does not pay back within the plan; absent for other paths. */
  paybackMonths?: number | null;
  irrPerYear?: number | null;
  npvSavingsUsd?: number;
  /** Months where the path's facility power exceeds the site's cap (build only). */
  powerCapExceededMonths: number;
  recommended: boolean;
}

export interface LineItem {
  optionId: string;
  optionLabel: string;
  description: string;
  /** Unit price in month 0, USD per `unit` (null for lines that are a sum, e.g. energy). */
  unitPriceUsd: number | null;
  unit: string;
  /** Units over the plan (servers bought, instance-hours, million tokens); null for sums. */
  quantity: number | null;
  /** Undiscounted USD over the plan. */
  amountUsd: number;
  /** How the amount was computed, in words. */
  basis: string;
  source: string;
  asOf: string;
  confidence: string;
}

export interface ConfigurationPeriod {
  /** First calendar month "YYYY-MM". */
  start: string;
  months: number;
  /** Servers owned at the period's end / bought in it, per build option. */
  servers: { optionId: string; label: string; owned: number; bought: number }[];
  /** Most instances leased in a month of the period, per lease option. */
  leased: { optionId: string; label: string; instances: number }[];
  /** Share of requests served by a token API, 0–1. */
  apiShare: number;
  /** Most GPUs running in a month of the period (owned + leased). */
  gpus: number;
  /** Most facility power of owned servers, kW (servers × kW × PUE); null with no owned servers. */
  facilityKw: number | null;
}

export interface ChartSeries {
  id: string;
  label: string;
  points: { x: number; y: number }[];
}

export interface ProposalContent {
  schema: string;
  headline: {
    recommendedOptionId: string;
    recommendedLabel: string;
    /** `optimiser`: the plan's optimised fleet; `pure-strategy`: the cheapest single path. */
    source: "optimiser" | "pure-strategy";
    lcotUsdPerMillionTokens: number;
    npvCostUsd: number;
    runnerUp: { optionId: string; label: string; lcotUsdPerMillionTokens: number; npvCostUsd: number } | null;
    /** NPV of the runner-up minus the recommendation's, USD (>= 0), null without a runner-up. */
    savingsUsd: number | null;
    /**
     * The recommendation's levelised cost P10–P90 and how often it is the cheapest, from the
     * proposal's Monte Carlo (issue 18 item 8); null without a risk band or for an optimised mix
     * (the Monte Carlo draws single paths). Optional: absent on versions issued before it.
     */
    risk?: { samples: number; p10: number; p90: number; probabilityCheapest: number } | null;
    /**
     * The cheapest path of each kind (build, lease, token API), so the summary names all three
     * ways; a kind the plan did not price is absent. Optional, as `risk`.
     */
    bestOfEachKind?: {
      kind: OptionResult["kind"];
      optionId: string;
      label: string;
      lcotUsdPerMillionTokens: number;
      npvCostUsd: number;
    }[];
  };
  executiveSummary: string[];
  workload: {
    model: string | null;
    requestsPerDay: number;
    inputTokensPerRequest: number;
    outputTokensPerRequest: number;
    growthPerYear: number;
    startMonth: string;
    horizonYears: number;
    discountRatePerYear: number;
    powerCapKw: number | null;
  };
  recommendation: {
    optionId: string;
    label: string;
    source: "optimiser" | "pure-strategy";
    periods: ConfigurationPeriod[];
    notes: string[];
  };
  lineItems: LineItem[];
  comparison: { baselineOptionId: string | null; rows: ComparisonRow[] };
  charts: {
    costPerTokenByYear: ChartSeries[];
    cumulativeCash: {
      series: ChartSeries[];
      paybacks: { optionId: string; baselineOptionId: string; month: number }[];
    };
    fleetVsPowerCap: { capKw: number | null; series: ChartSeries[] };
    riskBand: null | {
      samples: number;
      seed: number;
      rows: { optionId: string; label: string; p10: number; p50: number; p90: number; probabilityCheapest: number }[];
    };
  };
  assumptions: AssumptionRow[];
  versions: {
    priceBookVersion: string;
    priceBookContentHash: string;
    kernelVersion: string;
    planId: string;
    planInputHash: string;
  };
  warnings: string[];
  disclaimer: string;
}

/** Shown on every proposal, in the PDF footer and on the shared page. */
export const ESTIMATE_DISCLAIMER =
  "This proposal is an estimate, not an offer or a quotation of binding prices. Figures are computed by the AI Factory Planner cost model from the listed assumptions, each with its source, date and confidence; actual costs, prices, throughput and demand will differ. Unit prices marked as catalog figures are public list or street prices, not a vendor's quote. Verify every figure before making a decision.";

/** One version of a proposal as the API returns it, with its inputs and content typed. */
export type ProposalVersion = Omit<v.InferOutput<typeof ProposalVersionSchema>, "inputs" | "outputs"> & {
  inputs: ProposalInputs;
  outputs: ProposalContent;
};

/** A proposal as `GET /proposals/{id}` returns it: its summary and current version. */
export type Proposal = v.InferOutput<typeof ProposalSummarySchema> & { current: ProposalVersion };

/** What a share link shows (`GET /proposals/shared/{token}`), with its inputs and content typed. */
export type SharedProposal = Omit<v.InferOutput<typeof SharedProposalSchema>, "inputs" | "outputs"> & {
  inputs: ProposalInputs;
  outputs: ProposalContent;
};
