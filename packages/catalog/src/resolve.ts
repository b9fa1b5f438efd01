import type { OptionInput, Scenario } from "@aifp/kernel";
import { applicableQuote, expiredQuote, quotedUnitPriceUsd } from "./quotes.ts";
import { resolveApi } from "./resolve-api.ts";
import type { Mutable, ResolveContext } from "./resolve-context.ts";
import { resolveBuild, resolveLease } from "./resolve-hardware.ts";
import { fillThroughput } from "./resolve-throughput.ts";
import type { Figure, PriceBook } from "./types.ts";

/** A scenario as it arrives on the wire: the kernel's shape, references allowed in place of numbers. */
export type ScenarioInput = Scenario;

/**
 * An organisation's private quote, layered on the public book for that organisation's scenarios.
 * `unitPriceUsd` replaces the public price (USD per server for a SKU, USD per instance-hour for
 * an offer); `discount` (0–1) applies to the quote's unit price, or to the public price when the
 * quote has none.
 */
export interface OrgQuote {
  id: string;
  orgId: string;
  target: { kind: "sku" | "offer"; id: string };
  unitPriceUsd: number | null;
  discount: number;
  /** Last day the quote is valid, YYYY-MM-DD (inclusive). */
  validUntil: string;
  note: string | null;
}

export interface ResolveOptions {
  /** Quotes of the organisation whose scenario this is; they override public prices. */
  quotes?: readonly OrgQuote[];
  /**
   * Date quotes must still be valid on, YYYY-MM-DD. Default: the first day of the scenario's
   * `startMonth` (the month the first purchase is made), so resolution never reads a clock.
   */
  quoteDate?: string;
  /**
   * Fill cited operating defaults (life, maintenance, licences, resale decline, network adders,
   * insurance, PUE, colocation) where the scenario leaves them out. Default true.
   */
  applyOperatingDefaults?: boolean;
  /**
   * Latency target for catalog throughput, output tokens/s per user. Default: the workload's
   * `interactivityTokensPerSecondPerUser` when present, else none (the frontier's batch end).
   */
  interactivityTokensPerSecondPerUser?: number | null;
  /** Time-to-first-token target for catalog throughput, ms. Default: the workload's `timeToFirstTokenMs`, else none. */
  timeToFirstTokenMs?: number | null;
  /** Electricity customer class to read from the region (default: the region's default class). */
  customerClass?: string;
}

/** One number the resolver filled in, with where it came from. */
export interface UsedFigure extends Figure<number> {
  /** Dotted path in the scenario (`options.1.priceUsd`, `site.electricityUsdPerKwh`). */
  path: string;
  /** `catalog`: a public catalog row; `default`: an operating default; `quote`: an org quote; `throughput`: measured/estimated throughput. */
  origin: "catalog" | "default" | "quote" | "throughput";
  /** The catalog entity the figure was read from (`server:dell-poweredge-xe9680`, `region:US-VA`, …). */
  ref: string;
  /** Version of the public price book the figure (or the figure a quote replaced) comes from. */
  priceBookVersion: string;
}

export interface ResolvedScenario {
  /** The scenario with every reference resolved into numbers; inline numbers untouched. */
  scenario: Scenario;
  usedFigures: UsedFigure[];
  priceBookVersion: string;
  priceBookContentHash: string;
  /** Things a reader should know (e.g. throughput read without a latency target). */
  notes: string[];
  /** Quotes `notes` mention as expired before the plan starts (the public price was used instead). */
  expiredQuoteIds: string[];
  /** The model-API offer each catalog-priced API option buys, with its source (one entry per such option). */
  apiOffers: ApiOfferUse[];
}

/** Which API offer an option buys and why: the result shows it with its source. */
export interface ApiOfferUse {
  optionId: string;
  offerId: string;
  provider: string;
  /** The model the API serves (may differ from the workload's: `differentModel`). */
  servesModel: string;
  workloadModel: string | null;
  differentModel: boolean;
  /** How the offer was chosen: named offer, named provider, cheapest or median of the model's offers. */
  rule: "offer" | "provider" | "cheapest" | "median";
  /** Offers the rule chose among (1 for a named offer). */
  candidates: number;
  source: string;
  asOf: string;
  /** Prices the option pays after the cached-input and batch shares, USD per million tokens. */
  effectiveUsdPerMillionInputTokens: number;
  effectiveUsdPerMillionOutputTokens: number;
}

/** A reference that cannot be resolved: names each offending path. */
export class ResolveError extends Error {
  readonly issues: { path: string; message: string }[];
  constructor(issues: { path: string; message: string }[]) {
    super(
      `The scenario's catalog references cannot be resolved: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join("; ")}`,
    );
    this.name = "ResolveError";
    this.issues = issues;
  }
}

/**
 * Resolve a scenario's catalog references through a price book (cost-model.md "Scenario shape":
 * parameters may come from the catalog; given inline, they win).
 *
 * - `site.region` → `electricityUsdPerKwh` (the region's default customer class: industrial for
 *   US states, EIA 2023 average revenue per kWh) and `gridCarbonGPerKwh`; with operating defaults
 *   on, `pue` and `colocationUsdPerKwMonth` from the book's cited defaults.
 * - build `sku` → `priceUsd` (range midpoint), `gpusPerServer`, `kw` (system maximum), and the
 *   accelerator; operating defaults fill `lifeYears`, `maintenancePerYear` (the post-warranty
 *   support rate) with `warrantyYears` (the support included in the price, by vendor class; only
 *   when maintenance is defaulted too), `resaleDeclinePerYear`, `adders` and
 *   `otherUsdPerServerYear = insurancePerYear × priceUsd`.
 * - `servingStack` (default open source) → `softwareUsdPerGpuYear` of every build and lease
 *   option whose GPUs the stack runs on (ADR 017); a stack without a cited price is asked for.
 * - lease `offer` → `priceUsdPerInstanceHour`, `gpusPerInstance`, `termYears`, accelerator; with
 *   `leaseCommitment` (or an inline `termYears`) the price for that term: published, else
 *   on-demand × the cited commitment ratio (derived).
 * - api `offer` (an id `api:<provider>:<model>`, or a legacy id), `provider` (that provider's
 *   current offer) or `select` ("cheapest" / "median" of the model's offers for the workload's
 *   token mix) → token prices for `model` (default the workload's), after the workload's
 *   `cachedInputShare` and `batchShare` (derived, method recorded); with operating defaults on,
 *   `priceChangePerYear` from the book's derived API price trend (not for legacy ids, so saved
 *   scenarios keep their result). `apiOffers` and the notes name the offer, its source, and a
 *   served model that differs from the workload's.
 * - `outputTokensPerSecondPerGpu` (and the prefill rate when known) from `throughputAt` on the
 *   workload's model × the option's accelerator at the workload's token lengths.
 * - organisation quotes override the public price of a SKU or offer while valid; when only
 *   quotes that expired before `quoteDate` exist for a target, a note says so and the public
 *   price is used.
 *
 * Every filled number is listed in `usedFigures` with its provenance and the book version.
 * Unknown references or missing catalog figures throw {@link ResolveError} naming the path.
 */
export function resolveScenario(input: ScenarioInput, book: PriceBook, options: ResolveOptions = {}): ResolvedScenario {
  const scenario = structuredClone(input) as Mutable<Scenario>;
  const used: UsedFigure[] = [];
  const issues: { path: string; message: string }[] = [];
  const notes: string[] = [];
  const applyDefaults = options.applyOperatingDefaults ?? true;
  const quoteDate = options.quoteDate ?? `${input.startMonth}-01`;
  const quotes = options.quotes ?? [];
  const expiredQuoteIds = new Set<string>();
  const apiOffers: ApiOfferUse[] = [];

  const record = (path: string, fig: Figure, origin: UsedFigure["origin"], ref: string): number => {
    used.push({ ...fig, path, origin, ref, priceBookVersion: book.version });
    return fig.value;
  };
  const defaultFigure = (key: string): Figure | null => book.defaults.find((item) => item.key === key)?.figure ?? null;

  // --- site ------------------------------------------------------------------------------------
  const hasBuild = scenario.options.some((option) => option.kind === "build");
  if (scenario.site?.region !== undefined) {
    const site = scenario.site;
    const region = book.regions.find((item) => item.code === site.region);
    if (!region) {
      issues.push({
        path: "site.region",
        message: `unknown region "${site.region}"; expected a code such as US-VA, IE or DE`,
      });
    } else {
      const ref = `region:${region.code}`;
      if (site.electricityUsdPerKwh === undefined) {
        const customerClass = options.customerClass ?? region.defaultCustomerClass;
        const price = region.electricity.find((item) => item.customerClass === customerClass);
        if (price) {
          site.electricityUsdPerKwh = record(
            "site.electricityUsdPerKwh",
            price.usdPerKwh,
            "catalog",
            `${ref}:${price.customerClass}`,
          );
        } else if (hasBuild) {
          issues.push({
            path: "site.electricityUsdPerKwh",
            message: `region ${region.code} has no electricity price${customerClass ? ` for class "${customerClass}"` : ""} in price book ${book.version}; give electricityUsdPerKwh inline`,
          });
        }
      }
      if (site.gridCarbonGPerKwh === undefined && region.gridCarbonGPerKwh) {
        site.gridCarbonGPerKwh = record("site.gridCarbonGPerKwh", region.gridCarbonGPerKwh, "catalog", ref);
      }
      if (applyDefaults && hasBuild) {
        const pue = defaultFigure("site.pue");
        if (site.pue === undefined && pue) site.pue = record("site.pue", pue, "default", "default:site.pue");
        const colocation = defaultFigure("site.colocationUsdPerKwMonth");
        if (site.colocationUsdPerKwMonth === undefined && colocation) {
          site.colocationUsdPerKwMonth = record(
            "site.colocationUsdPerKwMonth",
            colocation,
            "default",
            "default:site.colocationUsdPerKwMonth",
          );
        }
      }
    }
  }

  // --- options ---------------------------------------------------------------------------------
  const quoteFor = (kind: "sku" | "offer", id: string): OrgQuote | null => applicableQuote(quotes, kind, id, quoteDate);
  /**
   * When the public price is used for a target the organisation has only expired quotes for,
   * say so: the latest of them expired before the date quotes must be valid on (the plan's start).
   */
  const noteExpiredQuote = (kind: "sku" | "offer", id: string, optionId: string): void => {
    const expired = expiredQuote(quotes, kind, id, quoteDate);
    if (!expired) return;
    expiredQuoteIds.add(expired.id);
    notes.push(
      `Quote ${expired.id} for ${kind === "sku" ? "server" : "cloud offer"} ${id} (option ${optionId}) expired on ${expired.validUntil}, before the plan starts on ${quoteDate}; the public price is used`,
    );
  };
  const quotedFigure = (quote: OrgQuote, publicFigure: Figure | null, unit: string): Figure | null => {
    const value = quotedUnitPriceUsd(quote, publicFigure?.value ?? null);
    if (value === null) return null;
    const replaced =
      quote.unitPriceUsd === null
        ? `public figure ${publicFigure?.value} (${publicFigure?.source})`
        : `quoted unit price ${quote.unitPriceUsd}`;
    return {
      value,
      unit,
      source: `organisation ${quote.orgId} quote ${quote.id}${quote.note ? `: ${quote.note}` : ""}`,
      asOf: quoteDate,
      confidence: "high",
      derived: quote.discount !== 0,
      method: quote.discount !== 0 ? `${replaced} × (1 − discount ${quote.discount})` : null,
    };
  };
  const ctx: ResolveContext = {
    book,
    scenario,
    options,
    issues,
    notes,
    apiOffers,
    applyDefaults,
    quoteDate,
    record,
    defaultFigure,
    quoteFor,
    noteExpiredQuote,
    quotedFigure,
  };

  scenario.options = scenario.options.map((original, index) => {
    const option = { ...original } as Mutable<OptionInput>;
    const at = (field: string) => `options.${index}.${field}`;
    let accelerator: string | undefined = option.accelerator;
    if (option.kind === "build") accelerator = resolveBuild(ctx, option, index) ?? accelerator;
    else if (option.kind === "lease") accelerator = resolveLease(ctx, option, index) ?? accelerator;
    else resolveApi(ctx, option, index);

    if (option.kind !== "api" && option.outputTokensPerSecondPerGpu === undefined) {
      if (!accelerator) {
        issues.push({
          path: at("outputTokensPerSecondPerGpu"),
          message: "expected a number, or an accelerator / sku / offer to read throughput from the catalog",
        });
      } else if (!scenario.workload.model) {
        issues.push({
          path: "workload.model",
          message: `expected a catalog model key to read throughput for option "${option.id}" (or give outputTokensPerSecondPerGpu inline)`,
        });
      } else {
        fillThroughput(ctx, option, index, accelerator, scenario.workload.model);
      }
    }
    return option;
  });

  if (issues.length > 0) throw new ResolveError(issues);
  return {
    scenario: scenario,
    usedFigures: used,
    priceBookVersion: book.version,
    priceBookContentHash: book.contentHash,
    notes,
    expiredQuoteIds: [...expiredQuoteIds],
    apiOffers,
  };
}
