/** Quoted line items of every path: unit prices times the quantities the plan needs. */
import type { EvaluateResult, Scenario } from "@aifp/kernel";
import * as fmt from "./format.ts";
import type { AssumptionRow, LineItem } from "./content-types.ts";
import { SERVING_STACK_WORDS } from "./assumptions.ts";

function provenance(assumptions: AssumptionRow[], path: string): { source: string; asOf: string; confidence: string } {
  const row = assumptions.find((candidate) => candidate.path === path);
  return row
    ? { source: row.source, asOf: row.asOf, confidence: row.confidence }
    : { source: "Cost model default (not set)", asOf: "", confidence: "default" };
}

export function sum<T>(items: readonly T[], pick: (item: T) => number): number {
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
