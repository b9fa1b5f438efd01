/** What a new plan starts with, and the default (with its source) a field shows when left empty. */
import { stackLicence, type OrgQuote } from "@aifp/catalog";
import { fieldDef } from "../fields.ts";
import { PREFERRED_MODELS, useCasePreset } from "../presets.ts";
import type { PlanInput } from "../plan.ts";
import { book, defaultFigure, fromFigure, PLANNER_CONVENTION, type FieldDefault } from "./book.ts";
import {
  apiOffer,
  defaultTokenApis,
  findRegion,
  modelChoices,
  offerChoices,
  regionChoices,
  serverChoices,
  tokenPriceChoices,
} from "./choices.ts";
import { planServingStack } from "./plan-settings.ts";
import { throughputFor } from "./throughput.ts";
import { orgQuoteDefault } from "./quotes.ts";

/**
 * Fills the choices a new plan needs from the catalog, leaving anything already chosen alone:
 * the model with the most measured throughput, a region (US-VA, the largest data-centre market,
 * when present), and a sensible shortlist of paths — the two servers with the lowest price per
 * token/s of capacity plus the server cheapest to buy one of (a small workload's build), the two
 * cloud offers (one neo-cloud, one hyperscaler) with the lowest price per token/s, and every
 * catalog token price for the model.
 */
export function withCatalogDefaults(plan: PlanInput): PlanInput {
  const next: PlanInput = structuredClone(plan);
  if (!next.model || !book.models.some((model) => model.key === next.model)) {
    // A model that fits the use case first (a 70B chat model for a chat assistant), when a server
    // can serve it (issue 18); else the most-measured model that all three paths can serve at the
    // plan's speed target: API offers for it, and a server whose measured throughput reaches the target.
    // Servable = some priced server has a speed for the model (what `serverChoices` would price);
    // stops at the first one, and the fallbacks below run only when no preferred model is servable
    // (issue 16: each speed is a `throughputAt` on the arrival's critical path).
    const servableModel = (key: string): boolean => {
      const candidate = { ...next, model: key };
      return book.servers.some(
        (sku) => sku.priceUsd?.value != null && typeof throughputFor(candidate, sku.accelerator) !== "string",
      );
    };
    const preferred = (PREFERRED_MODELS[next.useCase] ?? []).find(
      (key) => book.models.some((model) => model.key === key) && servableModel(key),
    );
    if (preferred) next.model = preferred;
    else {
      const withOffers = modelChoices().filter((model) => tokenPriceChoices({ ...next, model: model.key }).length > 0);
      const servable = withOffers.find((model) => servableModel(model.key));
      next.model = servable?.key ?? withOffers[0]?.key ?? modelChoices()[0]?.key ?? "";
    }
  }
  if (!next.region || !findRegion(next.region)) {
    next.region = findRegion("US-VA")?.electricity.length ? "US-VA" : (regionChoices()[0]?.code ?? "");
  }
  if (next.servers.length === 0) {
    const ranked = serverChoices(next)
      .filter((choice) => choice.usdPerTokenPerSecond !== null && choice.sku.powerKw !== null)
      .sort((a, b) => (a.usdPerTokenPerSecond ?? 0) - (b.usdPerTokenPerSecond ?? 0));
    const picked: string[] = [];
    const accelerators = new Set<string>();
    for (const choice of ranked) {
      if (accelerators.has(choice.sku.accelerator)) continue;
      accelerators.add(choice.sku.accelerator);
      picked.push(choice.sku.id);
      if (picked.length === 2) break;
    }
    // A small workload needs one server, not the best price per token/s at scale: also offer the
    // server that is cheapest to buy one of (ADR 016), when it is not already on the shortlist.
    const entry = [...ranked].sort((a, b) => (a.priceUsd ?? 0) - (b.priceUsd ?? 0))[0];
    if (entry && !picked.includes(entry.sku.id)) picked.push(entry.sku.id);
    next.servers = picked;
  }
  if (next.cloudOffers.length === 0) {
    const ranked = offerChoices(next)
      .filter((choice) => choice.usdPerGpuHourPerTokenPerSecond !== null && choice.offer.commitment === "none")
      .sort((a, b) => (a.usdPerGpuHourPerTokenPerSecond ?? 0) - (b.usdPerGpuHourPerTokenPerSecond ?? 0));
    const picked: string[] = [];
    for (const kind of ["neocloud", "hyperscaler"] as const) {
      const best = ranked.find((choice) => choice.offer.providerKind === kind);
      if (best) picked.push(best.offer.id);
    }
    next.cloudOffers = picked;
  }
  if (next.tokenApis.length === 0) next.tokenApis = defaultTokenApis(next);
  if (!next.values.horizonYears) next.values.horizonYears = "";
  return next;
}

/**
 * The default a field shows when empty, with its source: catalog figures (region electricity
 * and carbon, PUE, colocation, life, maintenance, licences, resale, adders, insurance), preset
 * figures (token lengths, the latency target) and planner conventions (horizon, first month).
 * Null when nothing cited exists: the field then asks. A server or instance price field shows the
 * organisation's quote instead when one applies (`orgQuotes`, the signed-in organisation's).
 */
export function fieldDefault(
  fieldId: string,
  plan: PlanInput,
  orgQuotes: readonly OrgQuote[] = [],
): FieldDefault | null {
  const def = fieldDef(fieldId);
  const scale = def?.percent ? 100 : 1;
  const figure = (key: string): FieldDefault | null => {
    const found = defaultFigure(key);
    return found ? { value: found.value * scale, provenance: fromFigure(found) } : null;
  };
  const preset = useCasePreset(plan.useCase);
  switch (fieldId) {
    case "workload.inputTokensPerRequest":
      return { value: preset.inputTokensPerRequest, provenance: { ...preset.provenance } };
    case "workload.outputTokensPerRequest":
      return { value: preset.outputTokensPerRequest, provenance: { ...preset.provenance } };
    case "site.electricityUsdPerKwh": {
      const region = findRegion(plan.region);
      const customerClass = plan.customerClass || region?.defaultCustomerClass;
      const price = region?.electricity.find((item) => item.customerClass === customerClass);
      return price ? { value: price.usdPerKwh.value, provenance: fromFigure(price.usdPerKwh) } : null;
    }
    case "site.gridCarbonGPerKwh": {
      const carbon = findRegion(plan.region)?.gridCarbonGPerKwh;
      return carbon ? { value: carbon.value, provenance: fromFigure(carbon) } : null;
    }
    case "site.pue":
      return figure("site.pue");
    case "site.colocationUsdPerKwMonth":
      return plan.facility === "colocation" ? figure("site.colocationUsdPerKwMonth") : null;
    case "build.lifeYears":
      return figure("build.lifeYears");
    case "build.maintenancePerYear":
      return figure("build.maintenancePerYear");
    case "build.resaleDeclinePerYear":
      return figure("build.resaleDeclinePerYear");
    case "build.adders":
      return figure("build.addersNetwork");
    case "build.insurancePerYear":
      return figure("build.insurancePerYear");
    case "build.softwareUsdPerGpuYear":
    case "lease.softwareUsdPerGpuYear": {
      // The chosen serving stack's licence (on NVIDIA GPUs for NVIDIA AI Enterprise, AMD for AMD's).
      const stack = planServingStack(plan);
      const licence = stackLicence(book, stack, stack === "amd-enterprise-ai" ? "AMD" : "NVIDIA");
      return licence.kind === "figure" ? { value: licence.figure.value, provenance: fromFigure(licence.figure) } : null;
    }
    case "build.warrantyYears":
      return figure("support.warrantyYears.oem");
    case "finance.discountRatePerYear":
      return figure("finance.discountRatePerYear");
    case "horizonYears":
      return { value: 5, provenance: PLANNER_CONVENTION };
    case "startMonth":
      return null;
    default:
      break;
  }
  const quoted = orgQuoteDefault(fieldId, plan, orgQuotes);
  if (quoted) return quoted;
  if (fieldId.startsWith("quote.server.")) {
    const sku = book.servers.find((item) => item.id === fieldId.slice("quote.server.".length));
    return sku?.priceUsd ? { value: sku.priceUsd.value, provenance: fromFigure(sku.priceUsd) } : null;
  }
  if (fieldId.startsWith("quote.offer.")) {
    const offer = book.cloudOffers.find((item) => item.id === fieldId.slice("quote.offer.".length));
    return offer ? { value: offer.priceUsdPerHour.value, provenance: fromFigure(offer.priceUsdPerHour) } : null;
  }
  const apiMatch = /^api\.(.+)\.(usdPerMillionInputTokens|usdPerMillionOutputTokens)$/.exec(fieldId);
  if (apiMatch) {
    const price = apiMatch[1] ? apiOffer(apiMatch[1]) : undefined;
    const priceFigure = price ? price[apiMatch[2] as "usdPerMillionInputTokens" | "usdPerMillionOutputTokens"] : null;
    return priceFigure ? { value: priceFigure.value, provenance: fromFigure(priceFigure) } : null;
  }
  return null;
}
