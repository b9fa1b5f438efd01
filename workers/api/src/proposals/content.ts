/**
 * The content of a proposal version, generated from a stored plan (numbers, not hype): executive
 * summary, recommended configuration, quoted line items, the comparison of paths, chart series,
 * the assumptions appendix, the pinned versions and the estimate disclaimer.
 *
 * Pure and deterministic: the same plan and the same proposal inputs give the same content,
 * byte for byte as canonical JSON, so the content hash of an issued version can be regenerated
 * (reliability.md §2.9). No clock, no randomness, no locale data (see `format.ts`).
 */
import type {
  EvaluateResult,
  MonteCarloResult,
  OptimiseResult,
  OptionResult,
  Scenario,
  OptionInput,
} from "@aifp/kernel";
import { leaseTermPrices, type PriceBook } from "@aifp/catalog";
import { noteInWords, noteNames, plainTrail, provenanceTrail } from "@aifp/catalog/source-words";
import * as fmt from "./format.ts";
import type { CheckedLogo } from "./logo.ts";

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

/** The plan's stored input (what `planner.ts` pins). */
interface PlanInputShape {
  scenario: Scenario;
  resolvedScenario: Scenario;
  usedFigures: {
    path: string;
    value: number;
    unit: string;
    source: string;
    asOf: string;
    confidence: string;
    derived: boolean;
    method: string | null;
    origin: AssumptionRow["origin"];
    ref: string;
  }[];
  notes: string[];
  priceBookContentHash: string;
}

/** Thrown when a stored plan does not have the shape a proposal needs. */
export class ProposalContentError extends Error {}

function planInputOf(plan: PlanForProposal): PlanInputShape {
  const input = plan.input as Partial<PlanInputShape> | null;
  if (!input || typeof input !== "object" || !input.resolvedScenario || !Array.isArray(input.usedFigures)) {
    throw new ProposalContentError(`plan ${plan.id} has no resolved scenario to build a proposal from`);
  }
  return input as PlanInputShape;
}

function resultOf(plan: PlanForProposal): EvaluateResult & { optimisation?: OptimiseResult } {
  const result = plan.result as (EvaluateResult & { optimisation?: OptimiseResult }) | null;
  if (!result || !Array.isArray(result.options) || result.options.length === 0) {
    throw new ProposalContentError(`plan ${plan.id} has no evaluated options`);
  }
  return result;
}

// --- labels ----------------------------------------------------------------------------------

/**
 * A name for each option a customer recognises: the catalog's vendor and SKU, provider and
 * instance, or API provider and model when the option names one and the price book is the
 * plan's pinned version; else the option's id.
 */
export function optionLabels(scenario: Scenario, book: PriceBook | null): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const option of scenario.options) labels[option.id] = labelOf(option, book);
  return labels;
}

function labelOf(option: OptionInput, book: PriceBook | null): string {
  // Product names, never ids (issue 18 item 8): an option the book cannot name is described by its kind.
  if (option.kind === "build") {
    const server = option.sku ? book?.servers.find((row) => row.id === option.sku) : undefined;
    return server ? `Build: ${server.vendor} ${server.sku}` : "Build: servers at the entered price";
  }
  if (option.kind === "lease") {
    const offer = option.offer ? book?.cloudOffers.find((row) => row.id === option.offer) : undefined;
    if (!offer) return "Lease: cloud GPUs at the entered price";
    const accelerator = book?.accelerators.find((row) => row.key === offer.accelerator)?.name ?? offer.accelerator;
    // Some providers list a machine preset ("gpu-b200-sxm_8gpu-160vcpu-1792gb"), not a product name.
    const presetName = offer.instanceType.includes("_") || offer.instanceType.split("-").length > 4;
    return presetName
      ? `Lease: ${offer.provider} ${offer.acceleratorCount}× ${accelerator}`
      : `Lease: ${offer.provider} ${offer.instanceType} (${offer.acceleratorCount}× ${accelerator})`;
  }
  const price = option.offer ? book?.tokenPrices.find((row) => row.id === option.offer) : undefined;
  if (!price) return "Token API at the entered price";
  const model = book?.models.find((row) => row.key === price.model)?.name ?? price.model;
  return `Token API: ${price.provider} ${model}`;
}

/** The model's name in the price book (its key when the book does not list it). */
export function modelName(key: string | undefined, book: PriceBook | null): string | null {
  if (!key) return null;
  return book?.models.find((row) => row.key === key || row.benchmarkNames.includes(key))?.name ?? key;
}

// --- assumptions -----------------------------------------------------------------------------

/** Units and plain names of every number a scenario can carry, by key. */
const FIELD_INFO: Record<string, { label: string; unit: string }> = {
  horizonYears: { label: "plan length", unit: "years" },
  discountRatePerYear: { label: "cost of capital (discount rate)", unit: "fraction per year" },
  inputTokensPerRequest: { label: "input tokens per request", unit: "tokens" },
  outputTokensPerRequest: { label: "output tokens per request", unit: "tokens" },
  requestsPerDay: { label: "requests per day in the first month", unit: "requests/day" },
  growthPerYear: { label: "demand growth", unit: "fraction per year" },
  peakToAverage: { label: "peak to average output rate", unit: "ratio" },
  targetUtilization: { label: "highest planned load at peak", unit: "fraction" },
  interactivityTokensPerSecondPerUser: { label: "latency target (output speed per user)", unit: "tokens/s per user" },
  electricityUsdPerKwh: { label: "electricity price", unit: "USD/kWh" },
  electricityEscalationPerYear: { label: "electricity price change", unit: "fraction per year" },
  pue: { label: "power usage effectiveness (PUE)", unit: "ratio" },
  colocationUsdPerKwMonth: { label: "colocation rent", unit: "USD per kW-month" },
  gridCarbonGPerKwh: { label: "grid carbon intensity", unit: "g CO2/kWh" },
  powerCapKw: { label: "site power cap (facility)", unit: "kW" },
  priceUsd: { label: "server price", unit: "USD per server" },
  gpusPerServer: { label: "GPUs per server", unit: "GPUs" },
  kw: { label: "server maximum power", unit: "kW per server" },
  adders: { label: "network, storage and installation adders", unit: "fraction of server price" },
  lifeYears: { label: "economic life", unit: "years" },
  spareFraction: { label: "spare servers", unit: "fraction" },
  maintenancePerYear: { label: "support after the warranty", unit: "fraction of price per year" },
  warrantyYears: { label: "support included in the server price (warranty)", unit: "years" },
  softwareUsdPerGpuYear: { label: "serving software licence", unit: "USD per GPU-year" },
  serversPerFte: { label: "servers per engineer", unit: "servers per FTE" },
  fteUsdPerYear: { label: "engineer cost", unit: "USD per FTE-year" },
  otherUsdPerServerYear: { label: "insurance and other costs", unit: "USD per server-year" },
  resaleDeclinePerYear: { label: "resale value decline", unit: "fraction per year" },
  priceChangePerYear: { label: "price change", unit: "fraction per year" },
  idlePowerFraction: { label: "idle power", unit: "fraction of maximum" },
  outputTokensPerSecondPerGpu: { label: "output throughput", unit: "tokens/s per GPU" },
  inputTokensPerSecondPerGpu: { label: "input (prefill) throughput", unit: "tokens/s per GPU" },
  priceUsdPerInstanceHour: { label: "instance price", unit: "USD per instance-hour" },
  gpusPerInstance: { label: "GPUs per instance", unit: "GPUs" },
  termYears: { label: "commitment term", unit: "years" },
  usdPerMillionInputTokens: { label: "input token price", unit: "USD per million input tokens" },
  usdPerMillionOutputTokens: { label: "output token price", unit: "USD per million output tokens" },
};

function fieldLabel(path: string, labels: Record<string, string>, scenario: Scenario): string {
  const parts = path.split(".");
  const key = parts[parts.length - 1] ?? path;
  const name = FIELD_INFO[key]?.label ?? key;
  if (parts[0] === "options" && parts.length === 3) {
    const option = scenario.options[Number(parts[1])];
    return `${option ? (labels[option.id] ?? option.id) : `option ${parts[1]}`}: ${name}`;
  }
  const scope =
    parts[0] === "site" ? "Site" : parts[0] === "workload" ? "Workload" : parts[0] === "finance" ? "Finance" : "Plan";
  return `${scope}: ${name}`;
}

/** Numeric leaves of a scenario with their dotted paths (options by index). */
function numericLeaves(scenario: Scenario): { path: string; value: number }[] {
  const out: { path: string; value: number }[] = [];
  const visit = (value: unknown, path: string): void => {
    if (typeof value === "number") {
      if (Number.isFinite(value)) out.push({ path, value });
      return;
    }
    if (Array.isArray(value)) {
      value.forEach((item, index) => visit(item, path ? `${path}.${index}` : String(index)));
      return;
    }
    if (value && typeof value === "object") {
      for (const key of Object.keys(value).sort())
        visit((value as Record<string, unknown>)[key], path ? `${path}.${key}` : key);
    }
  };
  for (const key of ["horizonYears", "finance", "workload", "site", "options"] as const) {
    visit((scenario as unknown as Record<string, unknown>)[key], key);
  }
  return out;
}

/**
 * Every figure the plan used, with source, date and confidence: the catalog, default, quote and
 * throughput figures the resolver filled in (as it recorded them), then every number entered in
 * the scenario itself (source: the plan's scenario, dated by the plan).
 */
/** Serving stacks in words (ADR 017). */
const SERVING_STACK_WORDS: Readonly<Record<string, string>> = {
  "open-source": "open source (vLLM, SGLang, TensorRT-LLM), no licence",
  "nvidia-ai-enterprise": "NVIDIA AI Enterprise / NIM, licensed per GPU-year",
  "amd-enterprise-ai": "AMD Enterprise AI, licensed per GPU-year",
  none: "no serving-software licence",
};

/** A figure of the price book with its provenance, as the catalog states it. */
interface BookFigure {
  value: number;
  source: string;
  asOf: string;
  confidence: string;
  derived: boolean;
  method: string | null;
}

/**
 * The catalog figure a scenario number came from, when the pinned book holds that very value
 * for it (the web planner sends the scenario with catalog prices filled in, so they arrive
 * without a `usedFigures` record): its source is the catalog's, not "entered" (issue 18 item 8).
 */
function catalogFigureOf(
  scenario: Scenario,
  path: string,
  value: number,
  book: PriceBook | null,
): (BookFigure & { kind: "price" | "default" }) | null {
  if (!book) return null;
  const parts = path.split(".");
  const key = parts[parts.length - 1] ?? "";
  // Prices are specific to the product: a match names their source. A default (life 4 years) may be
  // typed by chance, so a match is said as such.
  const candidates: (BookFigure | null | undefined)[] = [];
  const defaults: (BookFigure | null | undefined)[] = [];
  if (parts[0] === "options" && parts.length === 3) {
    const option = scenario.options[Number(parts[1])];
    if (!option) return null;
    if (option.kind === "build") {
      const server = option.sku ? book.servers.find((row) => row.id === option.sku) : undefined;
      if (key === "priceUsd") candidates.push(server?.priceUsd);
      if (key === "kw") candidates.push(server?.powerKw);
      defaults.push(book.defaults.find((row) => row.key === `build.${key}`)?.figure);
    } else if (option.kind === "lease") {
      const offer = option.offer ? book.cloudOffers.find((row) => row.id === option.offer) : undefined;
      if (key === "priceUsdPerInstanceHour" && offer) {
        // The listed price, or the price at the plan's commitment term (published or derived, ADR 017).
        candidates.push(offer.priceUsdPerHour);
        candidates.push(...Object.values(leaseTermPrices(book, offer)).map((term) => term?.priceUsdPerInstanceHour));
      }
      defaults.push(book.defaults.find((row) => row.key === `lease.${key}`)?.figure);
    } else {
      const price = option.offer ? book.tokenPrices.find((row) => row.id === option.offer) : undefined;
      if (key === "usdPerMillionInputTokens") candidates.push(price?.usdPerMillionInputTokens);
      if (key === "usdPerMillionOutputTokens") candidates.push(price?.usdPerMillionOutputTokens);
      defaults.push(book.defaults.find((row) => row.key === `api.${key}`)?.figure);
      // The API price trend is derived by the book from dated price histories (ADR 015).
      if (key === "priceChangePerYear") defaults.push(book.apiPriceTrend);
    }
  } else {
    defaults.push(book.defaults.find((row) => row.key === path)?.figure);
    const region = scenario.site?.region ? book.regions.find((row) => row.code === scenario.site?.region) : undefined;
    if (path === "site.electricityUsdPerKwh")
      candidates.push(...(region?.electricity.map((row) => row.usdPerKwh) ?? []));
    if (path === "site.gridCarbonGPerKwh") candidates.push(region?.gridCarbonGPerKwh);
  }
  const same = (figure: BookFigure | null | undefined): figure is BookFigure =>
    !!figure && Math.abs(figure.value - value) <= 1e-9 * Math.max(1, Math.abs(value));
  const price = candidates.find(same);
  if (price) return { ...price, kind: "price" };
  const fallback = defaults.find(same);
  return fallback ? { ...fallback, kind: "default" } : null;
}

export function assumptionsOf(
  plan: PlanForProposal,
  labels: Record<string, string>,
  book: PriceBook | null = null,
): AssumptionRow[] {
  const input = planInputOf(plan);
  const scenario = input.resolvedScenario;
  const rows: AssumptionRow[] = [];
  const seen = new Set<string>();
  for (const figure of input.usedFigures) {
    seen.add(figure.path);
    const key = figure.path.split(".").pop() ?? figure.path;
    rows.push({
      path: figure.path,
      label: fieldLabel(figure.path, labels, scenario),
      value: figure.value,
      unit: figure.unit || FIELD_INFO[key]?.unit || "",
      // In people's words: no file name, line number or repository path (ADR 019).
      source: provenanceTrail(figure, book?.sources ?? []),
      asOf: figure.asOf,
      confidence: figure.confidence,
      origin: figure.origin,
      derived: figure.derived,
      method: figure.method ? plainTrail(figure.method) : null,
    });
  }
  // ADR 017: the serving stack and the lease commitment are named with what they mean.
  const choices: { path: string; label: string; value: number; unit: string }[] = [];
  if (scenario.servingStack)
    choices.push({
      path: "servingStack",
      label: `Plan: serving software on owned and leased GPUs — ${SERVING_STACK_WORDS[scenario.servingStack] ?? scenario.servingStack}`,
      value: scenario.options.find((option) => option.kind !== "api" && option.softwareUsdPerGpuYear !== undefined)
        ? ((
            scenario.options.find((option) => option.kind !== "api" && option.softwareUsdPerGpuYear !== undefined) as {
              softwareUsdPerGpuYear: number;
            }
          ).softwareUsdPerGpuYear ?? 0)
        : 0,
      unit: "USD per GPU-year",
    });
  if (scenario.leaseCommitment)
    choices.push({
      path: "leaseCommitment",
      label: `Plan: lease commitment — ${scenario.leaseCommitment === "match-horizon" ? "the longest term within the plan" : scenario.leaseCommitment}`,
      value:
        (scenario.options.find((option) => option.kind === "lease") as { termYears?: number } | undefined)?.termYears ??
        0,
      unit: "years",
    });
  for (const choice of choices)
    rows.push({
      ...choice,
      source: `Chosen in the plan "${plan.name}"; prices and licences cited in the rows of each path`,
      asOf: plan.createdAt.slice(0, 10),
      confidence: "as entered",
      origin: "entered",
      derived: false,
      method: null,
    });
  for (const leaf of numericLeaves(scenario)) {
    if (seen.has(leaf.path)) continue;
    const key = leaf.path.split(".").pop() ?? leaf.path;
    const catalog = catalogFigureOf(scenario, leaf.path, leaf.value, book);
    if (catalog) {
      rows.push({
        path: leaf.path,
        label: fieldLabel(leaf.path, labels, scenario),
        value: leaf.value,
        unit: FIELD_INFO[key]?.unit ?? "",
        source:
          catalog.kind === "price"
            ? `Catalog: ${provenanceTrail(catalog, book?.sources ?? [])}`
            : `Entered in the plan "${plan.name}", the same as the catalog default: ${provenanceTrail(catalog, book?.sources ?? [])}`,
        asOf: catalog.asOf,
        confidence: catalog.confidence,
        origin: catalog.kind === "price" ? "catalog" : "default",
        derived: catalog.derived,
        method: catalog.method ? plainTrail(catalog.method) : null,
      });
      continue;
    }
    rows.push({
      path: leaf.path,
      label: fieldLabel(leaf.path, labels, scenario),
      value: leaf.value,
      unit: FIELD_INFO[key]?.unit ?? "",
      source: `Entered in the plan "${plan.name}"`,
      asOf: plan.createdAt.slice(0, 10),
      confidence: "as entered",
      origin: "entered",
      derived: false,
      method: null,
    });
  }
  return rows;
}

// --- line items ------------------------------------------------------------------------------

function provenance(assumptions: AssumptionRow[], path: string): { source: string; asOf: string; confidence: string } {
  const row = assumptions.find((candidate) => candidate.path === path);
  return row
    ? { source: row.source, asOf: row.asOf, confidence: row.confidence }
    : { source: "Cost model default (not set)", asOf: "", confidence: "default" };
}

function sum<T>(items: readonly T[], pick: (item: T) => number): number {
  let total = 0;
  for (const item of items) total += pick(item);
  return total;
}

/**
 * Quoted line items of every path: unit prices as the plan used them (the organisation's quote,
 * the catalog or the entered figure, with provenance) times the quantities the plan needs, and
 * each cost line's undiscounted total over the plan.
 */
export function lineItemsOf(
  scenario: Scenario,
  result: EvaluateResult,
  labels: Record<string, string>,
  assumptions: AssumptionRow[],
  order: string[],
): LineItem[] {
  const items: LineItem[] = [];
  const pue = scenario.site?.pue ?? 1;
  for (const optionId of order) {
    const option = result.options.find((candidate) => candidate.id === optionId);
    const index = scenario.options.findIndex((candidate) => candidate.id === optionId);
    const input = scenario.options[index];
    if (!option || !input) continue;
    const label = labels[option.id] ?? option.id;
    const at = (key: string) => provenance(assumptions, `options.${index}.${key}`);
    const years = option.yearly;
    const add = (item: Omit<LineItem, "optionId" | "optionLabel">) => {
      if (item.amountUsd !== 0 || item.quantity !== null)
        items.push({ optionId: option.id, optionLabel: label, ...item });
    };
    if (option.kind === "build" && input.kind === "build") {
      const adders = input.adders ?? 0;
      const capex = sum(option.monthly, (month) => month.capexUsd);
      const bought = sum(option.monthly, (month) => month.serversBought);
      const change = input.priceChangePerYear ?? 0;
      add({
        description: `Servers (${input.gpusPerServer ?? 0} GPUs each), bought as demand needs them`,
        unitPriceUsd: input.priceUsd ?? null,
        unit: "server",
        quantity: bought,
        amountUsd: capex / (1 + adders),
        basis: `${fmt.plain(bought, 0)} servers at ${fmt.unitPriceUsd(input.priceUsd)} in month 0${change !== 0 ? `, later purchases ${fmt.percent(change)} per year` : ""}`,
        ...at("priceUsd"),
      });
      add({
        description: "Network, storage and installation",
        unitPriceUsd: null,
        unit: "fraction of server price",
        quantity: null,
        amountUsd: capex - capex / (1 + adders),
        basis: `${fmt.percent(adders)} of the server price`,
        ...at("adders"),
      });
      add({
        description: "Resale of retired servers and value at the end of the plan",
        unitPriceUsd: null,
        unit: "USD",
        quantity: null,
        amountUsd: -(sum(option.monthly, (month) => month.resaleUsd) + option.residualUsd),
        basis: `value declines ${fmt.percent(input.resaleDeclinePerYear)} per year`,
        ...at("resaleDeclinePerYear"),
      });
      add({
        description: "Energy",
        unitPriceUsd: scenario.site?.electricityUsdPerKwh ?? null,
        unit: "kWh",
        quantity: sum(option.monthly, (month) => month.kwh),
        amountUsd: sum(years, (year) => year.energyUsd),
        basis: `facility energy at PUE ${fmt.plain(pue)}`,
        ...provenance(assumptions, "site.electricityUsdPerKwh"),
      });
      add({
        description: "Colocation",
        unitPriceUsd: scenario.site?.colocationUsdPerKwMonth ?? null,
        unit: "kW-month",
        quantity: null,
        amountUsd: sum(years, (year) => year.facilityUsd),
        basis: "rent per kW of IT power",
        ...provenance(assumptions, "site.colocationUsdPerKwMonth"),
      });
      add({
        description: "Support after the warranty",
        unitPriceUsd: null,
        unit: "fraction of price per year",
        quantity: null,
        amountUsd: sum(years, (year) => year.maintenanceUsd),
        basis: `${fmt.percent(input.maintenancePerYear ?? 0)} of the hardware price per year${input.warrantyYears ? ` after ${fmt.plain(input.warrantyYears)} years included in the price` : ""}`,
        ...at("maintenancePerYear"),
      });
      add({
        description: "Serving software licences",
        unitPriceUsd: input.softwareUsdPerGpuYear ?? null,
        unit: "GPU-year",
        quantity: null,
        amountUsd: sum(years, (year) => year.softwareUsd),
        basis: `per GPU per year${scenario.servingStack ? ` (${SERVING_STACK_WORDS[scenario.servingStack] ?? scenario.servingStack})` : ""}`,
        ...at("softwareUsdPerGpuYear"),
      });
      add({
        description: "Operations staff",
        unitPriceUsd: input.fteUsdPerYear ?? null,
        unit: "FTE-year",
        quantity: null,
        amountUsd: sum(years, (year) => year.staffUsd),
        basis: input.serversPerFte ? `one engineer per ${fmt.plain(input.serversPerFte, 0)} servers` : "no staff cost",
        ...at("fteUsdPerYear"),
      });
      add({
        description: "Insurance and other costs",
        unitPriceUsd: input.otherUsdPerServerYear ?? null,
        unit: "server-year",
        quantity: null,
        amountUsd: sum(years, (year) => year.otherUsd),
        basis: "per server per year",
        ...at("otherUsdPerServerYear"),
      });
    } else if (option.kind === "lease" && input.kind === "lease") {
      const instanceHours = sum(option.monthly, (month) => month.instances) * result.hoursPerMonth;
      const change = input.priceChangePerYear ?? 0;
      add({
        description: `Instance-hours (${input.gpusPerInstance ?? 0} GPUs each)`,
        unitPriceUsd: input.priceUsdPerInstanceHour ?? null,
        unit: "instance-hour",
        quantity: instanceHours,
        amountUsd: sum(years, (year) => year.leaseUsd),
        basis: `${fmt.largeNumber(instanceHours)} instance-hours at ${fmt.unitPriceUsd(input.priceUsdPerInstanceHour)} in month 0${input.termYears ? `, ${fmt.plain(input.termYears)}-year commitment` : ", on demand"}${change !== 0 ? `, price ${fmt.percent(change)} per year` : ""}`,
        ...at("priceUsdPerInstanceHour"),
      });
      add({
        description: "Serving software licences",
        unitPriceUsd: input.softwareUsdPerGpuYear ?? null,
        unit: "GPU-year",
        quantity: null,
        amountUsd: sum(years, (year) => year.softwareUsd),
        basis: `per GPU per year${scenario.servingStack ? ` (${SERVING_STACK_WORDS[scenario.servingStack] ?? scenario.servingStack})` : ""}`,
        ...at("softwareUsdPerGpuYear"),
      });
    } else if (option.kind === "api" && input.kind === "api") {
      const tokens = sum(option.monthly, (month) => month.tokens);
      const output = sum(option.monthly, (month) => month.outputTokens);
      const change = input.priceChangePerYear ?? 0;
      add({
        description: "Input tokens",
        unitPriceUsd: input.usdPerMillionInputTokens ?? null,
        unit: "million tokens",
        quantity: (tokens - output) / 1e6,
        amountUsd: 0,
        basis: "priced with the output tokens below",
        ...at("usdPerMillionInputTokens"),
      });
      add({
        description: "Output tokens (amount covers input and output)",
        unitPriceUsd: input.usdPerMillionOutputTokens ?? null,
        unit: "million tokens",
        quantity: output / 1e6,
        amountUsd: sum(years, (year) => year.apiUsd),
        basis: `month-0 prices${change !== 0 ? `, changing ${fmt.percent(change)} per year` : ""}`,
        ...at("usdPerMillionOutputTokens"),
      });
    }
  }
  return items;
}

// --- configuration ---------------------------------------------------------------------------

function pureConfiguration(
  scenario: Scenario,
  result: EvaluateResult,
  option: OptionResult,
  labels: Record<string, string>,
): ConfigurationPeriod[] {
  const input = scenario.options.find((candidate) => candidate.id === option.id);
  const pue = scenario.site?.pue ?? 1;
  const kw = input && input.kind === "build" ? (input.kw ?? 0) : 0;
  return option.yearly.map((year) => {
    const months = option.monthly.slice(year.year * 12, year.year * 12 + year.months);
    const label = labels[option.id] ?? option.id;
    const last = months[months.length - 1];
    if (option.kind === "build") {
      const buildMonths = months as typeof option.monthly;
      const owned = last && "servers" in last ? (last.servers as number) : 0;
      return {
        start: year.startMonth,
        months: year.months,
        servers: [{ optionId: option.id, label, owned, bought: sum(buildMonths, (month) => month.serversBought) }],
        leased: [],
        apiShare: 0,
        gpus: Math.max(0, ...buildMonths.map((month) => month.gpus)),
        facilityKw: Math.max(0, ...buildMonths.map((month) => month.servers * kw * pue)),
      };
    }
    if (option.kind === "lease") {
      const leaseMonths = months as typeof option.monthly;
      return {
        start: year.startMonth,
        months: year.months,
        servers: [],
        leased: [
          { optionId: option.id, label, instances: Math.max(0, ...leaseMonths.map((month) => month.instances)) },
        ],
        apiShare: 0,
        gpus: Math.max(0, ...leaseMonths.map((month) => month.gpus)),
        facilityKw: null,
      };
    }
    void result;
    return {
      start: year.startMonth,
      months: year.months,
      servers: [],
      leased: [],
      apiShare: 1,
      gpus: 0,
      facilityKw: null,
    };
  });
}

function optimisedConfiguration(optimisation: OptimiseResult, labels: Record<string, string>): ConfigurationPeriod[] {
  return optimisation.hybrid.periods.map((period) => ({
    start: period.start,
    months: period.months,
    servers: Object.keys(period.servers)
      .sort()
      .filter((id) => (period.servers[id] ?? 0) > 0 || (period.buy[id] ?? 0) > 0)
      .map((id) => ({
        optionId: id,
        label: labels[id] ?? id,
        owned: period.servers[id] ?? 0,
        bought: period.buy[id] ?? 0,
      })),
    leased: Object.keys(period.lease)
      .sort()
      .filter((id) => (period.lease[id] ?? 0) > 0)
      .map((id) => ({ optionId: id, label: labels[id] ?? id, instances: period.lease[id] ?? 0 })),
    apiShare: period.apiShare,
    gpus: period.gpus,
    facilityKw: period.ownedGpus > 0 ? period.facilityKw : null,
  }));
}

/** Which paths an optimised plan uses: "build", "lease", "token API". */
function pathsOf(optimisation: OptimiseResult): string[] {
  const periods = optimisation.hybrid.periods;
  const paths: string[] = [];
  if (periods.some((period) => Object.values(period.servers).some((n) => n > 0))) paths.push("build");
  if (periods.some((period) => Object.values(period.lease).some((n) => n > 0))) paths.push("lease");
  if (periods.some((period) => period.apiShare > 0)) paths.push("token API");
  return paths.length > 0 ? paths : ["no capacity"];
}

function isOptimisation(value: unknown): value is OptimiseResult {
  const candidate = value as Partial<OptimiseResult> | null;
  return (
    !!candidate &&
    typeof candidate === "object" &&
    !!candidate.hybrid &&
    Array.isArray(candidate.hybrid.periods) &&
    typeof candidate.hybrid.npvCostUsd === "number"
  );
}

// --- the builder -----------------------------------------------------------------------------

/** Everything the builder needs; `book` is the price book only when it is the plan's pinned version. */
export interface BuildProposalContentInput {
  plan: PlanForProposal;
  inputs: ProposalInputs;
  book: PriceBook | null;
  /** A seeded Monte Carlo on the plan's scenario when the proposal asked for one, else null. */
  monteCarlo: MonteCarloResult | null;
}

/**
 * Generate a proposal version's content from its plan. Recommendation: the plan's optimised
 * fleet when the plan carries one (`result.optimisation`, from `POST /scenarios/{id}/plans`
 * with `optimise`) and it is at least as cheap as every pure path; otherwise the cheapest pure
 * path by NPV of cost (which orders levelised cost the same way: every path serves the same
 * tokens).
 */
export function buildProposalContent({ plan, inputs, book, monteCarlo }: BuildProposalContentInput): ProposalContent {
  const input = planInputOf(plan);
  const result = resultOf(plan);
  const scenario = input.resolvedScenario;
  const labels = optionLabels(scenario, book);
  const names = noteNames(scenario.options, book, (id) => labels[id]?.replace(/^(?:Build|Lease|Token API): /, ""));
  const assumptions = assumptionsOf(plan, labels, book);
  const comparisons = new Map(result.comparisons.map((comparison) => [comparison.optionId, comparison]));
  const byNpv = [...result.options].sort((a, b) => a.npvCostUsd - b.npvCostUsd || (a.id < b.id ? -1 : 1));
  const exceedsCap = (option: OptionResult) => option.kind === "build" && option.powerCapExceededMonths.length > 0;
  // A path that breaks the site's power cap is not recommended while another path keeps to it.
  const cheapest = byNpv.find((option) => !exceedsCap(option)) ?? (byNpv[0] as OptionResult);
  const cheaperOverCap = byNpv.filter((option) => option.npvCostUsd < cheapest.npvCostUsd && exceedsCap(option));

  const optimisation = isOptimisation(result.optimisation) ? result.optimisation : null;
  // The optimiser's plan is recommended when it is its own (solver) plan and strictly cheaper
  // than the best single path; when it fell back to a single strategy, that path is named as is.
  const useOptimiser =
    optimisation !== null &&
    optimisation.hybrid.source === "milp" &&
    optimisation.hybrid.npvCostUsd < cheapest.npvCostUsd * (1 - 1e-9);
  const hybridLabel = optimisation ? `Optimised fleet plan (${pathsOf(optimisation).join(" + ")})` : "";
  const recommended = useOptimiser
    ? {
        id: "hybrid",
        label: hybridLabel,
        lcot: optimisation.hybrid.lcotUsdPerMillionTokens,
        npv: optimisation.hybrid.npvCostUsd,
      }
    : {
        id: cheapest.id,
        label: labels[cheapest.id] ?? cheapest.id,
        lcot: cheapest.lcotUsdPerMillionTokens,
        npv: cheapest.npvCostUsd,
      };
  const others = byNpv.filter((option) => option.id !== cheapest.id);
  const runner = useOptimiser ? cheapest : (others.find((option) => !exceedsCap(option)) ?? others[0]);
  const runnerUp = runner
    ? {
        optionId: runner.id,
        label: labels[runner.id] ?? runner.id,
        lcotUsdPerMillionTokens: runner.lcotUsdPerMillionTokens,
        npvCostUsd: runner.npvCostUsd,
      }
    : null;

  const rows: ComparisonRow[] = byNpv.map((option) => {
    const comparison = comparisons.get(option.id);
    return {
      optionId: option.id,
      label: labels[option.id] ?? option.id,
      kind: option.kind,
      lcotUsdPerMillionTokens: option.lcotUsdPerMillionTokens,
      lcotUsdPerMillionOutputTokens: option.lcotUsdPerMillionOutputTokens,
      npvCostUsd: option.npvCostUsd,
      tcoUsd: option.tcoUsd,
      effectiveUsdPerGpuHour: option.effectiveUsdPerGpuHour,
      ...(option.kind === "build"
        ? {
            paybackMonths: comparison?.paybackMonths ?? null,
            irrPerYear: comparison?.irrPerYear ?? null,
            ...(comparison ? { npvSavingsUsd: comparison.npvSavingsUsd } : {}),
          }
        : {}),
      powerCapExceededMonths: option.kind === "build" ? option.powerCapExceededMonths.length : 0,
      recommended: !useOptimiser && option.id === cheapest.id,
    };
  });
  const baselineOptionId = result.comparisons[0]?.baselineOptionId ?? null;

  // Charts: cost per token by plan year; cumulative cash by month with payback; facility power vs cap.
  const costPerTokenByYear: ChartSeries[] = byNpv.map((option) => ({
    id: option.id,
    label: labels[option.id] ?? option.id,
    points: option.yearly.map((year) => ({ x: year.year + 1, y: year.lcotUsdPerMillionTokens })),
  }));
  const cumulative = (monthly: readonly { cashUsd: number }[]) => {
    let total = 0;
    return monthly.map((month, index) => {
      total += month.cashUsd;
      return { x: index + 1, y: total };
    });
  };
  const cashSeries: ChartSeries[] = byNpv.map((option) => ({
    id: option.id,
    label: labels[option.id] ?? option.id,
    points: cumulative(option.monthly),
  }));
  if (useOptimiser)
    cashSeries.unshift({ id: "hybrid", label: hybridLabel, points: cumulative(optimisation.hybrid.monthly) });
  const paybacks = result.comparisons
    .filter((comparison) => comparison.paybackMonths !== null)
    .map((comparison) => ({
      optionId: comparison.optionId,
      baselineOptionId: comparison.baselineOptionId,
      month: comparison.paybackMonths as number,
    }));
  const pue = scenario.site?.pue ?? 1;
  const powerSeries: ChartSeries[] = [];
  for (const option of byNpv) {
    if (option.kind !== "build") continue;
    const optionInput = scenario.options.find((candidate) => candidate.id === option.id);
    const kw = optionInput && optionInput.kind === "build" ? (optionInput.kw ?? 0) : 0;
    powerSeries.push({
      id: option.id,
      label: labels[option.id] ?? option.id,
      points: option.monthly.map((month, index) => ({ x: index + 1, y: month.servers * kw * pue })),
    });
  }
  if (useOptimiser && optimisation.hybrid.monthly.length > 0) {
    powerSeries.unshift({
      id: "hybrid",
      label: hybridLabel,
      points: optimisation.hybrid.monthly.map((month, index) => {
        let facilityKw = 0;
        for (const [id, servers] of Object.entries(month.servers)) {
          const optionInput = scenario.options.find((candidate) => candidate.id === id);
          facilityKw += servers * (optionInput && optionInput.kind === "build" ? (optionInput.kw ?? 0) : 0) * pue;
        }
        return { x: index + 1, y: facilityKw };
      }),
    });
  }

  const riskBand = monteCarlo
    ? {
        samples: monteCarlo.samples - monteCarlo.failedSamples,
        seed: monteCarlo.seed,
        rows: monteCarlo.optionIds
          .filter((id) => monteCarlo.lcotUsdPerMillionTokens[id] !== undefined)
          .map((id) => {
            const band = monteCarlo.lcotUsdPerMillionTokens[id] as { p10: number; p50: number; p90: number };
            return {
              optionId: id,
              label: labels[id] ?? id,
              p10: band.p10,
              p50: band.p50,
              p90: band.p90,
              probabilityCheapest: monteCarlo.probabilityCheapest[id] ?? 0,
            };
          }),
      }
    : null;

  const periods = useOptimiser
    ? optimisedConfiguration(optimisation, labels)
    : pureConfiguration(scenario, result, cheapest, labels);
  const recommendationNotes = useOptimiser
    ? [...optimisation.explanation]
    : [
        optimisation !== null
          ? `The optimiser found no mixed fleet cheaper than ${labels[cheapest.id] ?? cheapest.id}, so that single path is recommended as it is.`
          : "Each path was evaluated as a pure strategy (one way of serving all demand); the plan carries no optimised mixed fleet.",
      ];
  for (const option of cheaperOverCap) {
    recommendationNotes.push(
      `${labels[option.id] ?? option.id} costs less but exceeds the site's power cap in ${option.kind === "build" ? option.powerCapExceededMonths.length : 0} months, so it is not recommended.`,
    );
  }

  const workload = scenario.workload;
  const powerCapKw = scenario.site?.powerCapKw ?? null;
  const order = [...(useOptimiser ? [] : [cheapest.id]), ...byNpv.map((option) => option.id)].filter(
    (id, index, all) => all.indexOf(id) === index,
  );

  const content: ProposalContent = {
    schema: PROPOSAL_CONTENT_SCHEMA,
    headline: {
      recommendedOptionId: recommended.id,
      recommendedLabel: recommended.label,
      source: useOptimiser ? "optimiser" : "pure-strategy",
      lcotUsdPerMillionTokens: recommended.lcot,
      npvCostUsd: recommended.npv,
      runnerUp,
      savingsUsd: runnerUp ? runnerUp.npvCostUsd - recommended.npv : null,
      risk: (() => {
        const row = riskBand?.rows.find((item) => item.optionId === recommended.id);
        return riskBand && row
          ? { samples: riskBand.samples, p10: row.p10, p90: row.p90, probabilityCheapest: row.probabilityCheapest }
          : null;
      })(),
      bestOfEachKind: (["build", "lease", "api"] as const).flatMap((kind) => {
        const best = byNpv.find((option) => option.kind === kind);
        return best
          ? [
              {
                kind,
                optionId: best.id,
                label: labels[best.id] ?? best.id,
                lcotUsdPerMillionTokens: best.lcotUsdPerMillionTokens,
                npvCostUsd: best.npvCostUsd,
              },
            ]
          : [];
      }),
    },
    executiveSummary: [],
    workload: {
      // The model's product name, never its catalog key (issue 18 item 8).
      model: modelName(workload.model, book),
      requestsPerDay: workload.requestsPerDay,
      inputTokensPerRequest: workload.inputTokensPerRequest,
      outputTokensPerRequest: workload.outputTokensPerRequest,
      growthPerYear: workload.growthPerYear ?? 0,
      startMonth: scenario.startMonth,
      horizonYears: scenario.horizonYears,
      discountRatePerYear: scenario.finance.discountRatePerYear,
      powerCapKw,
    },
    recommendation: {
      optionId: recommended.id,
      label: recommended.label,
      source: useOptimiser ? "optimiser" : "pure-strategy",
      periods,
      notes: recommendationNotes,
    },
    lineItems: lineItemsOf(scenario, result, labels, assumptions, order),
    comparison: { baselineOptionId, rows },
    charts: {
      costPerTokenByYear,
      cumulativeCash: { series: cashSeries, paybacks },
      fleetVsPowerCap: { capKw: powerCapKw, series: powerSeries },
      riskBand,
    },
    assumptions,
    versions: {
      priceBookVersion: plan.priceBookVersion,
      priceBookContentHash: input.priceBookContentHash,
      kernelVersion: plan.kernelVersion,
      planId: plan.id,
      planInputHash: plan.inputHash,
    },
    // Resolver notes quote sources: in people's words, as on the results page (ADR 019).
    // and product names, never option or catalog ids (issue 18 item 8).
    warnings: [
      ...result.warnings.map((warning) => noteInWords(`${warning.path}: ${warning.message}`, names)),
      ...input.notes.map((note) => noteInWords(note, names)),
    ],
    disclaimer: ESTIMATE_DISCLAIMER,
  };
  content.executiveSummary = executiveSummary(content, inputs, rows, labels);
  return content;
}

/** A few sentences of numbers: what is recommended, by how much, payback, power, risk, basis. */
function executiveSummary(
  content: ProposalContent,
  inputs: ProposalInputs,
  rows: ComparisonRow[],
  labels: Record<string, string>,
): string[] {
  const { headline, workload } = content;
  const sentences: string[] = [];
  const tokensPerRequest = workload.inputTokensPerRequest + workload.outputTokensPerRequest;
  sentences.push(
    `${inputs.customerName}'s workload${workload.model ? ` (${workload.model})` : ""}: ${fmt.largeNumber(workload.requestsPerDay)} requests a day of ${fmt.plain(tokensPerRequest, 0)} tokens each (${fmt.plain(workload.inputTokensPerRequest, 0)} in, ${fmt.plain(workload.outputTokensPerRequest, 0)} out), growing ${fmt.percent(workload.growthPerYear)} a year, planned over ${fmt.plain(workload.horizonYears)} years from ${fmt.calendarMonth(workload.startMonth)} at a ${fmt.percent(workload.discountRatePerYear)} cost of capital.`,
  );
  let recommendation = `Recommended: ${headline.recommendedLabel}, at ${fmt.usdPerMillionTokens(headline.lcotUsdPerMillionTokens)} per million tokens levelised and ${fmt.usdCompact(headline.npvCostUsd)} in net present cost.`;
  if (headline.runnerUp && headline.savingsUsd !== null) {
    const share = headline.runnerUp.npvCostUsd > 0 ? headline.savingsUsd / headline.runnerUp.npvCostUsd : 0;
    recommendation +=
      headline.savingsUsd > 0
        ? ` That is ${fmt.usdCompact(headline.savingsUsd)} (${fmt.percent(share)}) less than the next option, ${headline.runnerUp.label} (${fmt.usdPerMillionTokens(headline.runnerUp.lcotUsdPerMillionTokens)} per million tokens).`
        : ` The next option, ${headline.runnerUp.label}, costs the same.`;
  }
  sentences.push(recommendation);
  // Build, lease and token API side by side (issue 18 item 8): the customer sees all three ways.
  const kinds = headline.bestOfEachKind ?? [];
  if (kinds.length > 0) {
    const kindWords = { build: "building", lease: "leasing", api: "buying tokens from an API" } as const;
    const missing = (["build", "lease", "api"] as const).filter((kind) => !kinds.some((item) => item.kind === kind));
    sentences.push(
      `Paths compared: ${kinds
        .map(
          (item) =>
            `${kindWords[item.kind]} (best: ${item.label.replace(/^(?:Build|Lease|Token API): /, "")}, ${fmt.usdPerMillionTokens(item.lcotUsdPerMillionTokens)} per million tokens, ${fmt.usdCompact(item.npvCostUsd)} net present cost)`,
        )
        .join(
          "; ",
        )}${missing.length > 0 ? `; ${missing.map((kind) => kindWords[kind]).join(" and ")} not priced in this plan` : ""}.`,
    );
  }
  const baseline = content.comparison.baselineOptionId;
  const builds = rows.filter((row) => row.kind === "build" && row.paybackMonths !== undefined);
  if (baseline !== null && builds.length > 0) {
    const paying = builds
      .filter((row) => row.paybackMonths !== null)
      .sort((a, b) => (a.paybackMonths ?? 0) - (b.paybackMonths ?? 0));
    const best = paying[0];
    const baselineLabel = labels[baseline] ?? baseline;
    sentences.push(
      best
        ? `Against ${baselineLabel}, ${best.label} pays back in ${fmt.months(best.paybackMonths)}${best.irrPerYear !== null && best.irrPerYear !== undefined ? ` with an IRR of ${fmt.percent(best.irrPerYear)}` : ""} and saves ${fmt.usdCompact(best.npvSavingsUsd ?? 0)} in net present cost.`
        : `Against ${baselineLabel}, no build path pays back within the ${fmt.plain(workload.horizonYears)}-year plan.`,
    );
  }
  const power = content.charts.fleetVsPowerCap;
  if (power.capKw !== null && power.series.length > 0) {
    const recommendedSeries = power.series.find((series) => series.id === headline.recommendedOptionId);
    const peak = recommendedSeries ? Math.max(0, ...recommendedSeries.points.map((point) => point.y)) : 0;
    const over = rows.filter((row) => row.powerCapExceededMonths > 0);
    const recommendedPower =
      peak > 0
        ? `the recommended plan draws up to ${fmt.powerKw(peak)} at full load${peak <= power.capKw ? ", within the cap" : ""}`
        : "the recommended plan owns no servers on site";
    const breaches = over.map(
      (row) => `${row.label} would exceed it in ${fmt.plain(row.powerCapExceededMonths, 0)} months`,
    );
    sentences.push(
      `The site's power cap is ${fmt.powerKw(power.capKw)}; ${recommendedPower}${breaches.length > 0 ? `; ${breaches.join("; ")}` : ""}.`,
    );
  }
  const risk = content.charts.riskBand;
  const recommendedRisk = risk?.rows.find((row) => row.optionId === headline.recommendedOptionId);
  if (risk && recommendedRisk) {
    // Never more certain than the risk analysis: a path cheapest in under half of the futures is said to be so.
    const leader = [...risk.rows].sort((a, b) => b.probabilityCheapest - a.probabilityCheapest)[0];
    sentences.push(
      recommendedRisk.probabilityCheapest < 0.5
        ? `Not a sure answer: across ${fmt.plain(risk.samples, 0)} Monte Carlo samples it is the cheapest path in only ${fmt.percent(recommendedRisk.probabilityCheapest, 0)}${leader && leader.optionId !== recommendedRisk.optionId ? ` (${leader.label} in ${fmt.percent(leader.probabilityCheapest, 0)})` : ""}, and its levelised cost ranges from ${fmt.usdPerMillionTokens(recommendedRisk.p10)} (P10) to ${fmt.usdPerMillionTokens(recommendedRisk.p90)} (P90) per million tokens.`
        : `Across ${fmt.plain(risk.samples, 0)} Monte Carlo samples, its levelised cost ranges from ${fmt.usdPerMillionTokens(recommendedRisk.p10)} (P10) to ${fmt.usdPerMillionTokens(recommendedRisk.p90)} (P90) per million tokens, and it is the cheapest path in ${fmt.percent(recommendedRisk.probabilityCheapest, 0)} of samples.`,
    );
  } else if (risk) {
    sentences.push(
      `The risk band (${fmt.plain(risk.samples, 0)} Monte Carlo samples) draws single paths, not the optimised mix: see the chart for each path's P10–P90 range.`,
    );
  } else {
    sentences.push("No risk band was computed for this proposal: the figures above are the central case only.");
  }
  sentences.push(
    `Every figure is an estimate from price book ${content.versions.priceBookVersion} and cost model ${content.versions.kernelVersion}; the appendix lists each assumption with its source, date and confidence.`,
  );
  return sentences;
}
