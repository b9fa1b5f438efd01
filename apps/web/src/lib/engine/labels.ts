/** Option ids of catalog servers, offers and token prices in a scenario, and the names the results show. */
import { leaseTermPrices, modelName as catalogModelName, type CloudOffer } from "@aifp/catalog";
import type { OptionInput } from "@aifp/kernel";
import type { OptionLabel } from "../results.ts";
import { book } from "./book.ts";
import { apiOffer, shortAccelerator } from "./choices.ts";

/** Option id of a catalog server / offer / token price in the scenario. */
export const buildOptionId = (skuId: string): string => `build-${skuId}`;
export const leaseOptionId = (offerId: string): string => `lease-${offerId}`;
export const apiOptionId = (apiId: string): string => `api-${apiId}`;
export const CUSTOM_API_ID = "custom";

function commitmentWords(offer: CloudOffer, termYears: number | null = null): string {
  // The plan's term when the book can price it (published or derived), else the offer's own.
  const priced =
    termYears !== null && termYears !== (offer.termYears ?? 0)
      ? leaseTermPrices(book, offer)[termYears as 0 | 1 | 3]
      : null;
  if (termYears !== null && (termYears === (offer.termYears ?? 0) || priced))
    return termYears === 0 ? "on demand" : `${termYears}-year commitment`;
  if (offer.commitment === "1y") return "1-year commitment";
  if (offer.commitment === "none") return "on demand";
  return offer.commitment.replace("_", " ");
}

/** Names for an option, for the headline and tables. */
export function labelFor(option: OptionInput, leaseTermYears: number | null = null): OptionLabel {
  if (option.kind === "build") {
    const sku = book.servers.find((item) => item.id === option.sku);
    const name = sku ? `${sku.vendor} ${sku.sku}` : option.id;
    return { name, phrase: `Building with ${name}`, accelerator: sku ? shortAccelerator(sku.accelerator) : null };
  }
  if (option.kind === "lease") {
    const offer = book.cloudOffers.find((item) => item.id === option.offer);
    if (!offer) return { name: option.id, phrase: `Leasing ${option.id}`, accelerator: null };
    const accelerator = shortAccelerator(offer.accelerator);
    const kind = offer.providerKind === "neocloud" ? "neo-cloud " : "";
    return {
      name: `${offer.provider} ${offer.acceleratorCount}× ${accelerator} (${commitmentWords(offer, leaseTermYears)})`,
      phrase: `Leasing ${accelerator} from ${kind}${offer.provider}`,
      accelerator,
    };
  }
  const price = option.offer ? apiOffer(option.offer) : undefined;
  if (price) {
    const modelName = catalogModelName(book, price.model);
    return {
      name: `${price.provider} ${modelName} API`,
      phrase: `Buying tokens from ${price.provider}`,
      accelerator: null,
    };
  }
  return { name: "Your token API price", phrase: "Buying tokens at your API price", accelerator: null };
}
