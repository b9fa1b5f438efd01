/** The assumptions appendix: every figure a plan used, with source, date and confidence. */
import type { Scenario } from "@aifp/kernel";
import { leaseTermPrices, type PriceBook } from "@aifp/catalog";
import { plainTrail, provenanceTrail } from "@aifp/catalog/source-words";
import type { AssumptionRow, PlanForProposal } from "./content-types.ts";
import { planInputOf } from "./plan-input.ts";

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
export const SERVING_STACK_WORDS: Readonly<Record<string, string>> = {
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
