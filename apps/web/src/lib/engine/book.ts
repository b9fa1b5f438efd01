/** The public price book the planner reads, and how a figure's source is shown beside it. */
import { PRICE_BOOK_VERSION, priceBook, type Figure, type PriceBook } from "@aifp/catalog";
import { KERNEL_VERSION } from "@aifp/kernel";

export { PRICE_BOOK_VERSION, KERNEL_VERSION };
export const book: PriceBook = priceBook;

/** Provenance shown next to a default or in the assumptions table. */
export interface Provenance {
  source: string;
  /** Ids of the figure's sources in `book.sources` (ADR 030); absent for typed or planner values. */
  sourceIds?: string[];
  asOf: string | null;
  confidence: "high" | "medium" | "low" | null;
  method: string | null;
}

/** A default a field shows when left empty: the value in the field's units and where it comes from. */
export interface FieldDefault {
  /** In the unit the person types (percent fields in %). */
  value: number;
  provenance: Provenance;
  /** True when the value is the signed-in organisation's quote, not a catalog figure. */
  fromOrgQuote?: boolean;
}

export const PLANNER_CONVENTION: Provenance = {
  source: "Planner default: a common planning choice, not a market figure; change it freely",
  asOf: null,
  confidence: null,
  method: null,
};

export function fromFigure(figure: Figure): Provenance {
  return {
    source: figure.source,
    ...(figure.sourceIds ? { sourceIds: figure.sourceIds } : {}),
    asOf: figure.asOf,
    confidence: figure.confidence,
    method: figure.method,
  };
}

export function defaultFigure(key: string): Figure | null {
  return book.defaults.find((item) => item.key === key)?.figure ?? null;
}
