/**
 * Plan → scenario: the scenario input of a plan (catalog references plus every typed override),
 * with the field each scenario path belongs to, so the schema's and resolver's messages land on
 * the field that can fix them.
 */
import type { OrgQuote } from "@aifp/catalog";
import type { OptionInput } from "@aifp/kernel";
import { apiPriceIds, offerQuoteId, optionSpeedId, parseFieldValue, serverQuoteId } from "../fields.ts";
import { latencyPreset, useCasePreset } from "../presets.ts";
import type { PlanInput } from "../plan.ts";
import type { OptionLabel } from "../results.ts";
import { book, defaultFigure } from "./book.ts";
import { draftVolume, setTyped } from "./draft-volume.ts";
import { apiOptionId, buildOptionId, CUSTOM_API_ID, labelFor, leaseOptionId } from "./labels.ts";
import {
  nextMonth,
  planInteractivity,
  planLeaseCommitment,
  planLeaseTermYears,
  planServingStack,
} from "./plan-settings.ts";
import { orgQuoteDefault } from "./quotes.ts";
import { catalogHasSpeed } from "./throughput.ts";

const OPTION_FIELD_OF: Readonly<Record<string, string>> = {
  lifeYears: "build.lifeYears",
  resaleDeclinePerYear: "build.resaleDeclinePerYear",
  adders: "build.adders",
  maintenancePerYear: "build.maintenancePerYear",
  warrantyYears: "build.warrantyYears",
  spareFraction: "build.spareFraction",
  serversPerFte: "build.serversPerFte",
  fteUsdPerYear: "build.fteUsdPerYear",
  idlePowerFraction: "build.idlePowerFraction",
  otherUsdPerServerYear: "build.insurancePerYear",
};

export interface Draft {
  input: Record<string, unknown>;
  fieldOfPath: Map<string, string>;
  quotes: OrgQuote[];
  labels: Record<string, OptionLabel>;
  interactivity: number | null | string;
}

/** Builds the scenario input of a plan: catalog references plus every typed override. */
export function draftScenario(plan: PlanInput, orgQuotes: readonly OrgQuote[] = []): Draft {
  const fieldOfPath = new Map<string, string>();
  const preset = useCasePreset(plan.useCase);

  const workload: Record<string, unknown> = {
    model: plan.model || undefined,
    inputTokensPerRequest: preset.inputTokensPerRequest,
    outputTokensPerRequest: preset.outputTokensPerRequest,
  };
  setTyped(
    workload,
    "inputTokensPerRequest",
    plan,
    "workload.inputTokensPerRequest",
    "workload.inputTokensPerRequest",
    fieldOfPath,
  );
  setTyped(
    workload,
    "outputTokensPerRequest",
    plan,
    "workload.outputTokensPerRequest",
    "workload.outputTokensPerRequest",
    fieldOfPath,
  );
  draftVolume(plan, workload, fieldOfPath);
  setTyped(workload, "growthPerYear", plan, "workload.growthPerYear", "workload.growthPerYear", fieldOfPath);
  setTyped(workload, "peakToAverage", plan, "workload.peakToAverage", "workload.peakToAverage", fieldOfPath);
  setTyped(
    workload,
    "targetUtilization",
    plan,
    "workload.targetUtilization",
    "workload.targetUtilization",
    fieldOfPath,
  );
  fieldOfPath.set("workload.model", "model");
  // Latency targets travel in the scenario, so a saved plan pins them with its numbers.
  const interactivity = planInteractivity(plan);
  if (typeof interactivity === "number") workload.interactivityTokensPerSecondPerUser = interactivity;
  fieldOfPath.set("workload.interactivityTokensPerSecondPerUser", "workload.interactivity");
  const timeToFirstTokenMs =
    plan.latency === "custom" ? null : (latencyPreset(plan.latency)?.timeToFirstTokenMs ?? null);
  if (timeToFirstTokenMs !== null) workload.timeToFirstTokenMs = timeToFirstTokenMs;

  const site: Record<string, unknown> = {};
  if (plan.region) site.region = plan.region;
  fieldOfPath.set("site.region", "region");
  for (const key of [
    "electricityUsdPerKwh",
    "gridCarbonGPerKwh",
    "pue",
    "powerCapKw",
    "electricityEscalationPerYear",
  ]) {
    setTyped(site, key, plan, `site.${key}`, `site.${key}`, fieldOfPath);
  }
  setTyped(
    site,
    "colocationUsdPerKwMonth",
    plan,
    "site.colocationUsdPerKwMonth",
    "site.colocationUsdPerKwMonth",
    fieldOfPath,
  );
  if (plan.facility === "own" && site.colocationUsdPerKwMonth === undefined) site.colocationUsdPerKwMonth = 0;

  const finance: Record<string, unknown> = {};
  setTyped(
    finance,
    "discountRatePerYear",
    plan,
    "finance.discountRatePerYear",
    "finance.discountRatePerYear",
    fieldOfPath,
  );
  if (finance.discountRatePerYear === undefined) {
    const fallback = defaultFigure("finance.discountRatePerYear");
    if (fallback) finance.discountRatePerYear = fallback.value;
  }

  const quotes: OrgQuote[] = [];
  const labels: Record<string, OptionLabel> = {};
  const options: Record<string, unknown>[] = [];
  const addOption = (option: Record<string, unknown>): number => {
    options.push(option);
    labels[option.id as string] = labelFor(option as unknown as OptionInput, planLeaseTermYears(plan));
    return options.length - 1;
  };
  const quoteFrom = (kind: "sku" | "offer", id: string, fieldId: string, path: string): void => {
    const typed = parseFieldValue(plan.values[fieldId], {});
    fieldOfPath.set(path, fieldId);
    if (typeof typed === "number") {
      quotes.push({
        id: `typed-${id}`,
        orgId: "this-browser",
        target: { kind, id },
        unitPriceUsd: typed,
        discount: 0,
        validUntil: "9999-12-31",
        note: "price typed into the planner",
      });
    }
  };

  /**
   * Where the price book has a speed for the option's accelerator, a failure to read it is about the
   * speed target; where it has none (no measurement, no datasheet to estimate from), the person's
   * own figure is asked for and required: an empty one is named, never filled from another chip.
   */
  const askSpeedWithoutCatalog = (
    option: Record<string, unknown>,
    kind: "server" | "offer",
    id: string,
    accelerator: string | undefined,
    at: (key: string) => string,
  ): void => {
    const speedId = optionSpeedId(kind, id);
    const typed = parseFieldValue(plan.values[speedId], {});
    if (typed !== undefined) {
      option.outputTokensPerSecondPerGpu = typed;
      fieldOfPath.set(at("outputTokensPerSecondPerGpu"), speedId);
      return;
    }
    if (accelerator !== undefined && !catalogHasSpeed(plan, accelerator)) {
      option.outputTokensPerSecondPerGpu = "";
      fieldOfPath.set(at("outputTokensPerSecondPerGpu"), speedId);
      return;
    }
    fieldOfPath.set(at("outputTokensPerSecondPerGpu"), "workload.interactivity");
  };

  for (const skuId of plan.servers) {
    const option: Record<string, unknown> = { kind: "build", id: buildOptionId(skuId), sku: skuId };
    const index = addOption(option);
    const at = (key: string) => `options.${index}.${key}`;
    quoteFrom("sku", skuId, serverQuoteId(skuId), at("priceUsd"));
    const typedQuote = parseFieldValue(plan.values[serverQuoteId(skuId)], {});
    if (typeof typedQuote === "string") option.priceUsd = typedQuote;
    for (const [key, fieldId] of Object.entries(OPTION_FIELD_OF)) {
      if (key === "otherUsdPerServerYear") continue;
      setTyped(option, key, plan, fieldId, at(key), fieldOfPath);
    }
    setTyped(
      option,
      "softwareUsdPerGpuYear",
      plan,
      "build.softwareUsdPerGpuYear",
      at("softwareUsdPerGpuYear"),
      fieldOfPath,
    );
    setTyped(option, "priceChangePerYear", plan, "build.priceChangePerYear", at("priceChangePerYear"), fieldOfPath);
    // A typed support rate is the rate after the warranty: keep the catalog's warranty for this server class.
    if (option.maintenancePerYear !== undefined && option.warrantyYears === undefined) {
      const vendor = book.servers.find((item) => item.id === skuId)?.vendor;
      const warranty = defaultFigure(
        vendor === "NVIDIA" ? "support.warrantyYears.nvidia-dgx" : "support.warrantyYears.oem",
      );
      if (warranty) option.warrantyYears = warranty.value;
    }
    // Insurance typed as % of the server price becomes a yearly amount per server.
    const insurance = parseFieldValue(plan.values["build.insurancePerYear"], { percent: true });
    fieldOfPath.set(at("otherUsdPerServerYear"), "build.insurancePerYear");
    if (typeof insurance === "string") option.otherUsdPerServerYear = insurance;
    else if (insurance !== undefined) {
      // The price the resolver will use: typed, else the organisation's quote, else the catalog's.
      const price =
        typeof typedQuote === "number"
          ? typedQuote
          : (orgQuoteDefault(serverQuoteId(skuId), plan, orgQuotes)?.value ??
            book.servers.find((item) => item.id === skuId)?.priceUsd?.value);
      if (price !== undefined) option.otherUsdPerServerYear = insurance * price;
    }
    fieldOfPath.set(at("kw"), `server:${skuId}`);
    askSpeedWithoutCatalog(option, "server", skuId, book.servers.find((item) => item.id === skuId)?.accelerator, at);
  }
  for (const offerId of plan.cloudOffers) {
    const option: Record<string, unknown> = { kind: "lease", id: leaseOptionId(offerId), offer: offerId };
    const index = addOption(option);
    const at = (key: string) => `options.${index}.${key}`;
    quoteFrom("offer", offerId, offerQuoteId(offerId), at("priceUsdPerInstanceHour"));
    const typedQuote = parseFieldValue(plan.values[offerQuoteId(offerId)], {});
    if (typeof typedQuote === "string") option.priceUsdPerInstanceHour = typedQuote;
    setTyped(option, "priceChangePerYear", plan, "lease.priceChangePerYear", at("priceChangePerYear"), fieldOfPath);
    setTyped(
      option,
      "softwareUsdPerGpuYear",
      plan,
      "lease.softwareUsdPerGpuYear",
      at("softwareUsdPerGpuYear"),
      fieldOfPath,
    );
    askSpeedWithoutCatalog(
      option,
      "offer",
      offerId,
      book.cloudOffers.find((item) => item.id === offerId)?.accelerator,
      at,
    );
  }
  const apiIds = [...plan.tokenApis, ...(plan.customApi ? [CUSTOM_API_ID] : [])];
  for (const apiId of apiIds) {
    const option: Record<string, unknown> = { kind: "api", id: apiOptionId(apiId) };
    if (apiId !== CUSTOM_API_ID) option.offer = apiId;
    const index = addOption(option);
    const ids = apiPriceIds(apiId);
    setTyped(
      option,
      "usdPerMillionInputTokens",
      plan,
      ids.input,
      `options.${index}.usdPerMillionInputTokens`,
      fieldOfPath,
    );
    setTyped(
      option,
      "usdPerMillionOutputTokens",
      plan,
      ids.output,
      `options.${index}.usdPerMillionOutputTokens`,
      fieldOfPath,
    );
    setTyped(
      option,
      "priceChangePerYear",
      plan,
      "api.priceChangePerYear",
      `options.${index}.priceChangePerYear`,
      fieldOfPath,
    );
    if (apiId === CUSTOM_API_ID) {
      // Never invent a token price: the person's own price is required, and missing ones are named.
      if (option.usdPerMillionInputTokens === undefined) option.usdPerMillionInputTokens = "";
      if (option.usdPerMillionOutputTokens === undefined) option.usdPerMillionOutputTokens = "";
    }
  }
  fieldOfPath.set("options", "options");

  const input: Record<string, unknown> = {
    name: plan.name.trim() || undefined,
    startMonth: plan.values.startMonth?.trim() || nextMonth(),
    horizonYears: 5,
    finance,
    workload,
    site,
    options,
    // ADR 017: the serving stack and the lease term are explicit choices of every plan.
    servingStack: planServingStack(plan),
    leaseCommitment: planLeaseCommitment(plan),
  };
  // A baseline the person picked (kept only while that path is in the plan); else the fair one at evaluation.
  if (plan.baseline && options.some((option) => option.id === plan.baseline))
    input.comparison = { baselineOptionId: plan.baseline };
  setTyped(input, "horizonYears", plan, "horizonYears", "horizonYears", fieldOfPath);
  fieldOfPath.set("startMonth", "startMonth");
  fieldOfPath.set("finance", "finance.discountRatePerYear");
  return { input, fieldOfPath, quotes, labels, interactivity: planInteractivity(plan) };
}

export function withoutUndefined(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value)) as unknown;
}

/** The field an issue path belongs to: the longest recorded prefix. */
export function fieldForPath(path: string, fieldOfPath: Map<string, string>): string | null {
  let candidate = path;
  while (candidate) {
    const field = fieldOfPath.get(candidate);
    if (field) return field;
    const cut = candidate.lastIndexOf(".");
    if (cut < 0) break;
    candidate = candidate.slice(0, cut);
  }
  return null;
}

export function optionIndexOf(path: string): number | null {
  const match = /^options\.(\d+)/.exec(path);
  return match ? Number(match[1]) : null;
}
