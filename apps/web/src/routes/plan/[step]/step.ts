/** What the wizard's step components share: the field callbacks the page owns, and small list helpers. */
import type { FieldDefault } from "#lib/engine.ts";

/** The page's view of one field: its errors as shown now, and its default with the source. */
export interface StepFields {
  errorsOf: (fieldId: string) => string[];
  fallback: (fieldId: string) => FieldDefault | null;
}

export function toggle(list: string[], id: string, on: boolean): string[] {
  return on ? (list.includes(id) ? list : [...list, id]) : list.filter((item) => item !== id);
}

export const termWords = (years: number): string => (years === 0 ? "on demand" : `${years}-year`);

/** A server or cloud offer to tick on the options step, in words, with the field for its quoted price. */
export interface PathChoice {
  id: string;
  /** Vendor of a server, provider kind of an offer: the folding group it is listed in. */
  group: string;
  testid: string;
  quoteId: string;
  name: string;
  details: string;
  speed: string;
  /** The field asking for the person's own speed, when the price book has none for this accelerator. */
  speedId: string | null;
  /** Why it cannot serve this plan (not offered for choice), in words; null when it can. */
  unavailable: string | null;
}
