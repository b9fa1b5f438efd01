import {
  ScenarioError,
  throughputAt,
  type ApiOptionInput,
  type BuildOptionInput,
  type LeaseOptionInput,
  type OptionInput,
  type Scenario,
} from "@aifp/kernel";
import {
  currentApiOffers,
  effectiveApiPrice,
  findApiOffer,
  isProvider,
  modelName,
  pickApiOffer,
  rankApiOffers,
} from "./api-offers.ts";
import { applicableQuote, expiredQuote, quotedUnitPriceUsd } from "./quotes.ts";
import {
  acceleratorVendor,
  DEFAULT_SERVING_STACK,
  stackLicence,
  SERVING_STACK_NAMES,
  type ServingStack,
} from "./serving.ts";
import { leaseTermPrice, termOfCommitment, type LeaseCommitment } from "./terms.ts";
import type { CatalogThroughputPoint, Confidence, Figure, PriceBook, TokenPrice } from "./types.ts";

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

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

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

  scenario.options = scenario.options.map((original, index) => {
    const option = { ...original } as Mutable<OptionInput>;
    const at = (field: string) => `options.${index}.${field}`;
    let accelerator: string | undefined = option.accelerator;
    if (option.kind === "build") accelerator = resolveBuild(option, index) ?? accelerator;
    else if (option.kind === "lease") accelerator = resolveLease(option, index) ?? accelerator;
    else resolveApi(option, index);

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
        fillThroughput(option, index, accelerator, scenario.workload.model);
      }
    }
    return option as OptionInput;
  });

  function resolveBuild(option: Mutable<BuildOptionInput>, index: number): string | undefined {
    const at = (field: string) => `options.${index}.${field}`;
    if (option.sku === undefined) return undefined;
    const server = book.servers.find((item) => item.id === option.sku);
    if (!server) {
      issues.push({ path: at("sku"), message: `unknown server SKU "${option.sku}" in price book ${book.version}` });
      return undefined;
    }
    const ref = `server:${server.id}`;
    if (option.priceUsd === undefined) {
      const quote = quoteFor("sku", server.id);
      const quoted = quote ? quotedFigure(quote, server.priceUsd, "USD per server") : null;
      if (quote && quoted) option.priceUsd = record(at("priceUsd"), quoted, "quote", `quote:${quote.id}`);
      else if (server.priceUsd) {
        option.priceUsd = record(at("priceUsd"), server.priceUsd, "catalog", ref);
        if (!quote) noteExpiredQuote("sku", server.id, option.id);
      } else
        issues.push({
          path: at("priceUsd"),
          message: `server ${server.id} has no price in price book ${book.version}; give priceUsd inline or add a quote`,
        });
    }
    if (option.gpusPerServer === undefined) {
      option.gpusPerServer = record(
        at("gpusPerServer"),
        {
          value: server.gpusPerServer,
          unit: "GPUs per server",
          source: server.specSource,
          asOf: book.dataAsOf,
          confidence: "high",
          derived: false,
          method: null,
        },
        "catalog",
        ref,
      );
    }
    if (option.kw === undefined) {
      if (server.powerKw) option.kw = record(at("kw"), server.powerKw, "catalog", ref);
      else
        issues.push({
          path: at("kw"),
          message: `server ${server.id} has no power figure in price book ${book.version}; give kw inline`,
        });
    }
    if (applyDefaults) {
      const fill = <K extends keyof BuildOptionInput>(field: K, key: string) => {
        const fig = defaultFigure(key);
        if (option[field] === undefined && fig)
          (option as Record<string, unknown>)[field] = record(at(String(field)), fig, "default", `default:${key}`);
      };
      fill("lifeYears", "build.lifeYears");
      const maintenanceDefaulted = option.maintenancePerYear === undefined;
      fill("maintenancePerYear", "build.maintenancePerYear");
      fill("resaleDeclinePerYear", "build.resaleDeclinePerYear");
      fill("adders", "build.addersNetwork");
      // Support included in the price (the warranty), by vendor class; only with the defaulted
      // post-warranty rate, so an inline maintenance rate keeps its meaning (from day one).
      if (maintenanceDefaulted && option.warrantyYears === undefined) {
        fill(
          "warrantyYears",
          server.vendor === "NVIDIA" ? "support.warrantyYears.nvidia-dgx" : "support.warrantyYears.oem",
        );
      }
      const insurance = defaultFigure("build.insurancePerYear");
      if (option.otherUsdPerServerYear === undefined && insurance && option.priceUsd !== undefined) {
        option.otherUsdPerServerYear = record(
          at("otherUsdPerServerYear"),
          {
            ...insurance,
            value: insurance.value * option.priceUsd,
            unit: "USD per server per year",
            derived: true,
            method: `insurance ${insurance.value} of the server price per year × priceUsd ${option.priceUsd}`,
          },
          "default",
          "default:build.insurancePerYear",
        );
      }
    }
    applyServingStack(option, index, option.accelerator ?? server.accelerator);
    return option.accelerator ?? server.accelerator;
  }

  /**
   * The serving stack's licence per GPU-year on a build or lease option (inline
   * `softwareUsdPerGpuYear` wins). The default stack (open source) is filled only with operating
   * defaults on; a stack the scenario names is always applied.
   */
  function applyServingStack(
    option: Mutable<BuildOptionInput | LeaseOptionInput>,
    index: number,
    accelerator: string,
  ): void {
    if (option.softwareUsdPerGpuYear !== undefined) return;
    const named = scenario.servingStack as ServingStack | undefined;
    if (named === undefined && !applyDefaults) return;
    const stack = named ?? DEFAULT_SERVING_STACK;
    const vendor = acceleratorVendor(book, accelerator);
    const licence = stackLicence(book, stack, vendor);
    const path = `options.${index}.softwareUsdPerGpuYear`;
    if (licence.kind === "figure") {
      option.softwareUsdPerGpuYear = record(path, licence.figure, "default", `default:${licence.key}`);
    } else if (licence.kind === "not-applicable") {
      notes.push(
        `option ${option.id}: ${SERVING_STACK_NAMES[stack]} does not run on ${vendor} GPUs (${accelerator}); no serving licence is charged for this option`,
      );
    } else {
      issues.push({
        path,
        message: `${SERVING_STACK_NAMES[stack]} has no cited price in price book ${book.version}; give softwareUsdPerGpuYear (USD per GPU per year) for option "${option.id}"`,
      });
    }
  }

  function resolveLease(option: Mutable<LeaseOptionInput>, index: number): string | undefined {
    const at = (field: string) => `options.${index}.${field}`;
    if (option.offer === undefined) return undefined;
    const offer = book.cloudOffers.find((item) => item.id === option.offer);
    if (!offer) {
      issues.push({
        path: at("offer"),
        message: `unknown cloud offer "${option.offer}" in price book ${book.version}`,
      });
      return undefined;
    }
    const ref = `offer:${offer.id}`;
    // The term to price: inline termYears, else the scenario's leaseCommitment; null = the offer's own.
    const commitment = scenario.leaseCommitment as LeaseCommitment | undefined;
    const wantedTerm =
      option.termYears ?? (commitment === undefined ? null : termOfCommitment(commitment, scenario.horizonYears));
    // An inline price is the price under the chosen term.
    let pricedTerm: number | null = option.priceUsdPerInstanceHour !== undefined ? wantedTerm : null;
    if (option.priceUsdPerInstanceHour === undefined) {
      const quote = quoteFor("offer", offer.id);
      const quoted = quote ? quotedFigure(quote, offer.priceUsdPerHour, "USD per instance-hour") : null;
      if (quote && quoted)
        option.priceUsdPerInstanceHour = record(at("priceUsdPerInstanceHour"), quoted, "quote", `quote:${quote.id}`);
      else if (wantedTerm !== null && wantedTerm !== (offer.termYears ?? 0)) {
        const termPrice = leaseTermPrice(book, offer, wantedTerm);
        if (termPrice) {
          option.priceUsdPerInstanceHour = record(
            at("priceUsdPerInstanceHour"),
            termPrice.priceUsdPerInstanceHour,
            termPrice.basis === "published" ? "catalog" : "default",
            `offer:${termPrice.offerId}`,
          );
          pricedTerm = wantedTerm;
        } else {
          option.priceUsdPerInstanceHour = record(at("priceUsdPerInstanceHour"), offer.priceUsdPerHour, "catalog", ref);
          notes.push(
            `option ${option.id}: no published ${wantedTerm === 0 ? "on-demand" : `${wantedTerm}-year`} price and no cited commitment ratio for ${offer.provider} ${offer.instanceType}; priced at its own ${offer.termYears ? `${offer.termYears}-year` : "on-demand"} rate`,
          );
        }
        if (!quote) noteExpiredQuote("offer", offer.id, option.id);
      } else {
        option.priceUsdPerInstanceHour = record(at("priceUsdPerInstanceHour"), offer.priceUsdPerHour, "catalog", ref);
        if (!quote) noteExpiredQuote("offer", offer.id, option.id);
      }
    }
    if (option.gpusPerInstance === undefined) {
      option.gpusPerInstance = record(
        at("gpusPerInstance"),
        {
          value: offer.acceleratorCount,
          unit: "GPUs per instance",
          source: offer.priceUsdPerHour.source,
          asOf: offer.priceUsdPerHour.asOf,
          confidence: "high",
          derived: false,
          method: null,
        },
        "catalog",
        ref,
      );
    }
    if (option.termYears === undefined && pricedTerm !== null) {
      if (pricedTerm !== 0)
        option.termYears = record(
          at("termYears"),
          {
            value: pricedTerm,
            unit: "years",
            source: `leaseCommitment "${commitment}" of the scenario (plan of ${scenario.horizonYears} years)`,
            asOf: book.dataAsOf,
            confidence: "high",
            derived: false,
            method: null,
          },
          "default",
          `commitment:${commitment}`,
        );
    } else if (option.termYears === undefined && offer.termYears !== null && offer.termYears !== 0) {
      option.termYears = record(
        at("termYears"),
        {
          value: offer.termYears,
          unit: "years",
          source: offer.priceUsdPerHour.source,
          asOf: offer.priceUsdPerHour.asOf,
          confidence: "high",
          derived: false,
          method: null,
        },
        "catalog",
        ref,
      );
    }
    if (offer.commitment === "capacity_block")
      notes.push(
        `option ${option.id}: ${offer.id} is a capacity-block rate (short reservation, dynamic price, Q4 2024): priced as on demand`,
      );
    if (offer.suspect)
      notes.push(`option ${option.id}: ${offer.id} is flagged as a probable collector artefact in the data`);
    // ADR 016: a row kept for the record is still usable when named, but the plan says so.
    if (offer.status !== "current")
      notes.push(
        `option ${option.id}: ${offer.id} is marked ${offer.status} in price book ${book.version} (${offer.status === "outlier" ? "it contradicts the provider's own list price" : "the provider's later list replaced it"}); check the price before relying on it`,
      );
    applyServingStack(option, index, option.accelerator ?? offer.accelerator);
    return option.accelerator ?? offer.accelerator;
  }

  function resolveApi(option: Mutable<ApiOptionInput>, index: number): void {
    const at = (field: string) => `options.${index}.${field}`;
    if (option.offer === undefined && option.provider === undefined && option.select === undefined) return;
    const workload = scenario.workload;
    const mix = {
      inputTokensPerRequest: workload.inputTokensPerRequest,
      outputTokensPerRequest: workload.outputTokensPerRequest,
      cachedInputShare: workload.cachedInputShare,
      batchShare: workload.batchShare,
    };
    let chosen: TokenPrice | null = null;
    let legacy = false;
    let rule: ApiOfferUse["rule"] = "offer";
    let candidates = 1;
    if (option.offer !== undefined) {
      const found = findApiOffer(book, option.offer);
      if (!found) {
        const model = option.model ?? workload.model;
        const known = model ? currentApiOffers(book, model).map((item) => item.id) : [];
        issues.push({
          path: at("offer"),
          message: `unknown API offer "${option.offer}" in price book ${book.version}${known.length > 0 ? `; offers for ${model}: ${known.join(", ")}` : "; offer ids look like api:<provider>:<model>"}`,
        });
        return;
      }
      if (option.model !== undefined && option.model !== found.offer.model) {
        issues.push({
          path: at("model"),
          message: `offer ${found.offer.id} sells ${found.offer.model}, not "${option.model}"`,
        });
        return;
      }
      chosen = found.offer;
      legacy = found.legacy;
      if (chosen.status === "superseded")
        notes.push(
          `option ${option.id}: ${chosen.id} is a superseded price (${chosen.provider}, as of ${chosen.usdPerMillionInputTokens.asOf}${chosen.supersededOn ? `, replaced on ${chosen.supersededOn}` : ""}); the current offer is ${currentApiOffers(book, chosen.model).find((item) => item.provider === chosen?.provider)?.id ?? "not in the book"}`,
        );
    } else {
      const model = option.model ?? workload.model;
      if (!model) {
        issues.push({
          path: at("model"),
          message:
            "expected the model the API serves: set workload.model or this option's model to a catalog model key",
        });
        return;
      }
      const ranked = rankApiOffers(book, model, mix);
      if (ranked.length === 0) {
        issues.push({
          path: option.model !== undefined ? at("model") : "workload.model",
          message: `no API offer for model "${model}" in price book ${book.version}; give usdPerMillionInputTokens and usdPerMillionOutputTokens inline`,
        });
        return;
      }
      candidates = ranked.length;
      if (option.provider !== undefined) {
        const provider = option.provider;
        const match = ranked.find((item) => isProvider(item.offer, provider));
        if (!match) {
          issues.push({
            path: at("provider"),
            message: `no current offer from "${provider}" for ${model}; providers: ${ranked.map((item) => item.offer.provider).join(", ")}`,
          });
          return;
        }
        chosen = match.offer;
        rule = "provider";
      } else {
        const selectRule = option.select ?? "cheapest";
        chosen = pickApiOffer(ranked, selectRule)?.offer ?? null;
        rule = selectRule;
      }
    }
    if (!chosen) return;
    const price = effectiveApiPrice(chosen, mix);
    const ref = `token-price:${chosen.id}`;
    if (option.usdPerMillionInputTokens === undefined)
      option.usdPerMillionInputTokens = record(at("usdPerMillionInputTokens"), price.input, "catalog", ref);
    if (option.usdPerMillionOutputTokens === undefined)
      option.usdPerMillionOutputTokens = record(at("usdPerMillionOutputTokens"), price.output, "catalog", ref);
    if (price.notes.length > 0) notes.push(...price.notes.map((note) => `option ${option.id}: ${note}`));
    // The derived API price trend is a default for offers named the current way; a scenario citing a
    // legacy id keeps its saved meaning (prices only), so it evaluates as it did.
    if (!legacy && applyDefaults && option.priceChangePerYear === undefined && book.apiPriceTrend) {
      option.priceChangePerYear = record(
        at("priceChangePerYear"),
        book.apiPriceTrend,
        "default",
        "default:api.priceChangePerYear",
      );
    }
    const servesModel = chosen.model;
    if (!legacy) option.model = servesModel;
    // What the option pays: the offer's effective price, or a price typed over it (inline wins).
    const paidInput = option.usdPerMillionInputTokens ?? price.input.value;
    const paidOutput = option.usdPerMillionOutputTokens ?? price.output.value;
    const workloadModel = workload.model ?? null;
    const differentModel = workloadModel !== null && workloadModel !== servesModel;
    const ruleWords =
      rule === "offer"
        ? "named offer"
        : rule === "provider"
          ? `named provider (of ${candidates} offers)`
          : `${rule} of ${candidates} offers for the workload's token mix`;
    notes.push(
      `option ${option.id}: buys ${modelName(book, servesModel)} from ${chosen.provider} (${chosen.id}, ${ruleWords}): ${paidInput} USD per million input and ${paidOutput} per million output tokens, as of ${chosen.usdPerMillionInputTokens.asOf}; source: ${chosen.usdPerMillionInputTokens.source}`,
    );
    if (differentModel)
      notes.push(
        `option ${option.id} serves a different model (${modelName(book, servesModel)}) from the workload's ${modelName(book, workloadModel)}: its cost is not a like-for-like comparison of the same model`,
      );
    apiOffers.push({
      optionId: option.id,
      offerId: chosen.id,
      provider: chosen.provider,
      servesModel,
      workloadModel,
      differentModel,
      rule,
      candidates,
      source: chosen.usdPerMillionInputTokens.source,
      asOf: chosen.usdPerMillionInputTokens.asOf,
      effectiveUsdPerMillionInputTokens: paidInput,
      effectiveUsdPerMillionOutputTokens: paidOutput,
    });
  }

  function fillThroughput(
    option: Mutable<BuildOptionInput | LeaseOptionInput>,
    index: number,
    accelerator: string,
    model: string,
  ): void {
    const at = (field: string) => `options.${index}.${field}`;
    const workload = scenario.workload;
    const target = options.interactivityTokensPerSecondPerUser ?? workload.interactivityTokensPerSecondPerUser ?? null;
    const ttftTarget = options.timeToFirstTokenMs ?? workload.timeToFirstTokenMs ?? null;
    try {
      const result = throughputAt(
        {
          accelerator,
          model,
          inputTokens: scenario.workload.inputTokensPerRequest,
          outputTokens: scenario.workload.outputTokensPerRequest,
          interactivityTokensPerSecondPerUser: target,
          timeToFirstTokenMs: ttftTarget,
        },
        book,
      );
      const points = result.sources
        .map((source) => book.throughputPoints.find((point) => point.id === source.id))
        .filter((point): point is CatalogThroughputPoint => point !== undefined);
      const confidence: Confidence =
        result.basis === "estimated" || result.basis === "extrapolated"
          ? "low"
          : points.some((point) => point.confidence === "low")
            ? "low"
            : points.some((point) => point.confidence === "medium")
              ? "medium"
              : "high";
      const asOf =
        result.sources
          .map((source) => source.asOf)
          .sort()
          .at(-1) ?? book.dataAsOf;
      const source =
        result.sources.length === 0
          ? `throughputAt estimate (${result.estimate?.method ?? "performance-model"})`
          : result.sources
              .map((s) => `${s.source} ${s.system} (${s.url})`)
              .slice(0, 3)
              .join("; ") + (result.sources.length > 3 ? `; +${result.sources.length - 3} more` : "");
      // The measured points' sources by id (ADR 030); an estimate from the fitted model names none.
      const sourceIds = [...new Set(points.flatMap((point) => point.sourceIds ?? []))];
      const cited = sourceIds.length > 0 ? { sourceIds } : {};
      const method = [
        `throughputAt ${result.basis} for ${result.model} on ${result.accelerator}`,
        target === null ? "no latency target (frontier batch end)" : `at ${target} tok/s/user`,
        ...(ttftTarget === null ? [] : [`first token within ${ttftTarget} ms`]),
        ...result.notes,
      ].join("; ");
      option.outputTokensPerSecondPerGpu = record(
        at("outputTokensPerSecondPerGpu"),
        {
          value: result.outputTokensPerSecondPerGpu,
          unit: "output tokens/s per GPU",
          source: result.basis === "measured" ? `${source} [${method}]` : source,
          ...cited,
          asOf,
          confidence,
          derived: result.basis !== "measured",
          method: result.basis === "measured" ? null : method,
        },
        "throughput",
        `throughput:${result.accelerator}:${result.model}`,
      );
      if (option.inputTokensPerSecondPerGpu === undefined && result.inputTokensPerSecondPerGpu !== null) {
        option.inputTokensPerSecondPerGpu = record(
          at("inputTokensPerSecondPerGpu"),
          {
            value: result.inputTokensPerSecondPerGpu,
            unit: "input tokens/s per GPU",
            source,
            ...cited,
            asOf,
            confidence: result.inputBasis === "estimated" ? "low" : confidence,
            derived: true,
            method: `throughputAt prefill rate (${result.inputBasis})`,
          },
          "throughput",
          `throughput:${result.accelerator}:${result.model}`,
        );
      }
      if (target === null)
        notes.push(
          `option ${option.id}: throughput read without a latency target (the frontier's batch end); set workload.interactivityTokensPerSecondPerUser for an SLO`,
        );
    } catch (error) {
      if (error instanceof ScenarioError) {
        for (const issue of error.issues)
          issues.push({ path: at("outputTokensPerSecondPerGpu"), message: `${issue.path}: ${issue.message}` });
      } else {
        throw error;
      }
    }
  }

  if (issues.length > 0) throw new ResolveError(issues);
  return {
    scenario: scenario as Scenario,
    usedFigures: used,
    priceBookVersion: book.version,
    priceBookContentHash: book.contentHash,
    notes,
    expiredQuoteIds: [...expiredQuoteIds],
    apiOffers,
  };
}
