// The state one resolveScenario call shares with its per-option resolvers (resolve-*.ts):
// the book, the scenario being filled in, and the lists every filled figure, issue and note goes to.
import type { Scenario } from "@aifp/kernel";
import type { ApiOfferUse, OrgQuote, ResolveOptions, UsedFigure } from "./resolve.ts";
import type { Figure, PriceBook } from "./types.ts";

export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export interface ResolveContext {
  book: PriceBook;
  scenario: Mutable<Scenario>;
  options: ResolveOptions;
  issues: { path: string; message: string }[];
  notes: string[];
  apiOffers: ApiOfferUse[];
  applyDefaults: boolean;
  quoteDate: string;
  /** Record a filled figure in `usedFigures` and return its value. */
  record: (path: string, fig: Figure, origin: UsedFigure["origin"], ref: string) => number;
  defaultFigure: (key: string) => Figure | null;
  quoteFor: (kind: "sku" | "offer", id: string) => OrgQuote | null;
  noteExpiredQuote: (kind: "sku" | "offer", id: string, optionId: string) => void;
  quotedFigure: (quote: OrgQuote, publicFigure: Figure | null, unit: string) => Figure | null;
}
