/**
 * Lease terms a buyer would really sign (ADR 017): every cloud offer priced on demand, for a
 * 1-year and for a 3-year commitment. A published row for the same provider and instance type
 * wins; otherwise the cited commitment ratio of `defaults.csv` (`commitment.*`) is applied to the
 * on-demand price, and the figure is marked derived with the method.
 */
import type { CloudOffer, Figure, PriceBook } from "./types.ts";

/** How a scenario's lease options choose their commitment term (the scenario field `leaseCommitment`). */
export type LeaseCommitment = "as-offered" | "on-demand" | "1y" | "3y" | "match-horizon";

export const LEASE_COMMITMENTS: readonly LeaseCommitment[] = ["as-offered", "on-demand", "1y", "3y", "match-horizon"];

/** The terms priced for every offer, in years. */
export const LEASE_TERMS_YEARS = [0, 1, 3] as const;

/** The price of one instance-hour of an offer under one term. */
export interface LeaseTermPrice {
  termYears: number;
  priceUsdPerInstanceHour: Figure;
  /** `published`: a catalog row for this term; `derived`: on-demand × a cited commitment ratio. */
  basis: "published" | "derived";
  /** The catalog row the price comes from (the published row, or the on-demand row a ratio was applied to). */
  offerId: string;
}

/**
 * The commitment term that matches a plan: the longest of 3 years, 1 year and on demand that
 * does not outlast the horizon (a 5-year plan signs 3-year terms; a 2-year plan 1-year terms).
 */
export function termMatchingHorizon(horizonYears: number): number {
  if (horizonYears >= 3) return 3;
  if (horizonYears >= 1) return 1;
  return 0;
}

/** The term in years a commitment choice means for a plan; null for "as-offered" (the offer's own term). */
export function termOfCommitment(commitment: LeaseCommitment, horizonYears: number): number | null {
  switch (commitment) {
    case "as-offered":
      return null;
    case "on-demand":
      return 0;
    case "1y":
      return 1;
    case "3y":
      return 3;
    case "match-horizon":
      return termMatchingHorizon(horizonYears);
  }
}

/** Rows that price instances for a term: not capacity blocks or spot, not flagged, not marked stale. */
function usable(offer: CloudOffer): boolean {
  if (offer.suspect) return false;
  if (offer.commitment === "capacity_block" || offer.commitment === "spot_only") return false;
  // ADR 016: superseded and outlier rows are kept for the record, never priced as a term.
  if (offer.status !== "current") return false;
  return offer.termYears !== null;
}

/** The published row for this provider and instance type under `termYears` (the cheapest when several). */
export function publishedTermOffer(book: PriceBook, offer: CloudOffer, termYears: number): CloudOffer | null {
  if (usable(offer) && offer.termYears === termYears) return offer;
  const rows = book.cloudOffers.filter(
    (row) =>
      row.provider === offer.provider &&
      row.instanceType === offer.instanceType &&
      usable(row) &&
      row.termYears === termYears,
  );
  rows.sort((a, b) => a.priceUsdPerHour.value - b.priceUsdPerHour.value);
  return rows[0] ?? null;
}

/** The cited commitment ratio (price under the term / on-demand price) for an offer, with its key; null when none. */
export function commitmentRatio(
  book: PriceBook,
  offer: CloudOffer,
  termYears: number,
): { key: string; figure: Figure; note: string | null } | null {
  if (termYears === 0) return null;
  const find = (key: string) => book.defaults.find((item) => item.key === key);
  const candidates: { key: string; note: string | null }[] = [];
  const provider = offer.provider.toLowerCase();
  if (provider === "aws") candidates.push({ key: `commitment.aws.savingsPlan${termYears}y`, note: null });
  if (provider === "gcp" || provider.includes("google"))
    candidates.push({ key: `commitment.gcp.cud${termYears}y`, note: null });
  if (offer.providerKind === "neocloud")
    candidates.push({
      key: `commitment.neocloud.reserved.${offer.accelerator}`,
      note: "the neocloud ratio is reserved vs on-demand with no stated term; applied to 1-year and 3-year terms alike",
    });
  for (const candidate of candidates) {
    const found = find(candidate.key);
    if (found) return { key: candidate.key, figure: found.figure, note: candidate.note };
  }
  return null;
}

/**
 * The price of `offer`'s instance under `termYears`: the published row when the book has one,
 * else the on-demand price (published, or the offer's committed price ÷ its own ratio) × the
 * cited ratio for the term. Null when neither exists (no published row, no cited ratio).
 */
export function leaseTermPrice(book: PriceBook, offer: CloudOffer, termYears: number): LeaseTermPrice | null {
  const published = publishedTermOffer(book, offer, termYears);
  if (published) {
    return {
      termYears,
      priceUsdPerInstanceHour: published.priceUsdPerHour,
      basis: "published",
      offerId: published.id,
    };
  }
  const ratio = commitmentRatio(book, offer, termYears);
  const onDemandRow = publishedTermOffer(book, offer, 0);
  let onDemand: { value: number; source: string; asOf: string; offerId: string; method: string } | null = null;
  if (onDemandRow) {
    onDemand = {
      value: onDemandRow.priceUsdPerHour.value,
      source: onDemandRow.priceUsdPerHour.source,
      asOf: onDemandRow.priceUsdPerHour.asOf,
      offerId: onDemandRow.id,
      method: `on-demand ${onDemandRow.priceUsdPerHour.value} USD/h (${onDemandRow.id})`,
    };
  } else if (offer.termYears !== null && offer.termYears > 0 && usable(offer)) {
    const own = commitmentRatio(book, offer, offer.termYears);
    if (own) {
      onDemand = {
        value: offer.priceUsdPerHour.value / own.figure.value,
        source: offer.priceUsdPerHour.source,
        asOf: offer.priceUsdPerHour.asOf,
        offerId: offer.id,
        method: `on-demand ${offer.priceUsdPerHour.value} USD/h ${offer.termYears}-year price ÷ ${own.key} ${own.figure.value}`,
      };
    }
  }
  if (!onDemand) return null;
  if (termYears === 0) {
    return {
      termYears,
      priceUsdPerInstanceHour: {
        value: onDemand.value,
        unit: "USD per instance-hour",
        source: onDemand.source,
        asOf: onDemand.asOf,
        confidence: "low",
        derived: true,
        method: onDemand.method,
      },
      basis: "derived",
      offerId: onDemand.offerId,
    };
  }
  if (!ratio) return null;
  return {
    termYears,
    priceUsdPerInstanceHour: {
      value: onDemand.value * ratio.figure.value,
      unit: "USD per instance-hour",
      source: `${onDemand.source}; ratio: ${ratio.figure.source}`,
      asOf: ratio.figure.asOf < onDemand.asOf ? ratio.figure.asOf : onDemand.asOf,
      confidence: ratio.figure.confidence === "high" ? "medium" : ratio.figure.confidence,
      derived: true,
      method: `${onDemand.method} × ${ratio.key} ${ratio.figure.value}${ratio.note ? ` (${ratio.note})` : ""}`,
    },
    basis: "derived",
    offerId: onDemand.offerId,
  };
}

/** On-demand, 1-year and 3-year prices of an offer (null where the book can neither publish nor derive one). */
export function leaseTermPrices(book: PriceBook, offer: CloudOffer): Record<0 | 1 | 3, LeaseTermPrice | null> {
  return {
    0: leaseTermPrice(book, offer, 0),
    1: leaseTermPrice(book, offer, 1),
    3: leaseTermPrice(book, offer, 3),
  };
}
