// Resolve a build option's server SKU and a lease option's cloud offer, and the serving stack's
// licence on either (moved verbatim from resolveScenario in resolve.ts).
import type { BuildOptionInput, LeaseOptionInput } from "@aifp/kernel";
import type { Mutable, ResolveContext } from "./resolve-context.ts";
import { acceleratorVendor, DEFAULT_SERVING_STACK, stackLicence, SERVING_STACK_NAMES } from "./serving.ts";
import { leaseTermPrice, termOfCommitment } from "./terms.ts";

export function resolveBuild(
  ctx: ResolveContext,
  option: Mutable<BuildOptionInput>,
  index: number,
): string | undefined {
  const { book, issues, applyDefaults, record, defaultFigure, quoteFor, noteExpiredQuote, quotedFigure } = ctx;
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
  applyServingStack(ctx, option, index, option.accelerator ?? server.accelerator);
  return option.accelerator ?? server.accelerator;
}

/**
 * The serving stack's licence per GPU-year on a build or lease option (inline
 * `softwareUsdPerGpuYear` wins). The default stack (open source) is filled only with operating
 * defaults on; a stack the scenario names is always applied.
 */
export function applyServingStack(
  ctx: ResolveContext,
  option: Mutable<BuildOptionInput | LeaseOptionInput>,
  index: number,
  accelerator: string,
): void {
  const { book, scenario, issues, notes, applyDefaults, record } = ctx;
  if (option.softwareUsdPerGpuYear !== undefined) return;
  const named = scenario.servingStack;
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

export function resolveLease(
  ctx: ResolveContext,
  option: Mutable<LeaseOptionInput>,
  index: number,
): string | undefined {
  const { book, scenario, issues, notes, record, quoteFor, noteExpiredQuote, quotedFigure } = ctx;
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
  const commitment = scenario.leaseCommitment;
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
  applyServingStack(ctx, option, index, option.accelerator ?? offer.accelerator);
  return option.accelerator ?? offer.accelerator;
}
