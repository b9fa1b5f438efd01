/** Names a customer recognises for a plan's options and models. */
import type { OptionInput, Scenario } from "@aifp/kernel";
import type { PriceBook } from "@aifp/catalog";

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
