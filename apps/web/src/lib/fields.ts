/**
 * The wizard's fields by id: the static definitions (`fields/definitions.ts`), the per-option
 * quote, speed and token-price fields made on demand, and the sizing figures a plan may leave out.
 * Typed text is read and messages are worded in `fields/values.ts`; both are re-exported here.
 */
import { defs, type FieldDef, type WizardStep } from "./fields/definitions.ts";

export type { FieldDef, WizardStep } from "./fields/definitions.ts";
export { messageInFieldUnits, parseFieldValue } from "./fields/values.ts";

/** All static field definitions by id. */
export const FIELDS: Readonly<Record<string, FieldDef>> = Object.fromEntries(defs.map((def) => [def.id, def]));

/** Static fields of one wizard step, in display order. */
export function fieldsOfStep(step: WizardStep): FieldDef[] {
  return defs.filter((def) => def.step === step);
}

/** A per-option quote field (server price, instance-hour price, token prices), created on demand. */
export function quoteField(
  id: string,
  label: string,
  unit: string,
  help: string,
  step: WizardStep = "options",
): FieldDef {
  return { id, step, label, unit, help, input: "decimal" };
}

/** Field id of a custom server price quote. */
export const serverQuoteId = (skuId: string): string => `quote.server.${skuId}`;
/** Field id of a custom instance-hour price quote. */
export const offerQuoteId = (offerId: string): string => `quote.offer.${offerId}`;
/**
 * Field id of a person's own output speed for a server or cloud offer, asked only when the price
 * book has neither a measurement nor a datasheet estimate for its accelerator and the plan's model
 * (TPU, Trainium and other accelerators without a published TDP): never borrowed from another chip.
 */
export const optionSpeedId = (kind: "server" | "offer", id: string): string => `speed.${kind}.${id}`;
/** Field ids of a token-API option's two prices. */
export const apiPriceIds = (apiId: string): { input: string; output: string } => ({
  input: `api.${apiId}.usdPerMillionInputTokens`,
  output: `api.${apiId}.usdPerMillionOutputTokens`,
});

/** The definition of any field id, static or per option (null when unknown). */
export function fieldDef(id: string): FieldDef | null {
  const known = FIELDS[id];
  if (known) return known;
  if (id.startsWith("quote.server.")) {
    return quoteField(id, "Your quoted price per server", "USD per server", "Overrides the catalog price.");
  }
  if (id.startsWith("quote.offer.")) {
    return quoteField(id, "Your quoted price per instance-hour", "USD per instance-hour", "Overrides the list price.");
  }
  if (id.startsWith("speed.server.") || id.startsWith("speed.offer.")) {
    return quoteField(
      id,
      "Your output speed per GPU",
      "output tokens/s per GPU",
      "The price book has no measured or estimated speed for this accelerator and model. Enter one from your own test or the vendor's figure.",
    );
  }
  if (id.startsWith("api.") && id.endsWith(".usdPerMillionInputTokens")) {
    return quoteField(id, "Price of input tokens", "USD per million input tokens", "From your contract or price list.");
  }
  if (id.startsWith("api.") && id.endsWith(".usdPerMillionOutputTokens")) {
    return quoteField(
      id,
      "Price of output tokens",
      "USD per million output tokens",
      "From your contract or price list.",
    );
  }
  return null;
}

/**
 * Figures that size a fleet honestly but have no cited default per use case in the price book
 * (issue 18 item 5): peak-to-average, planned load at peak, spare servers, idle power and
 * operations staff. Left empty, each is left out of the cost, and the results say so.
 */
export const SIZING_FIELDS: readonly string[] = [
  "workload.peakToAverage",
  "workload.targetUtilization",
  "build.spareFraction",
  "build.idlePowerFraction",
  "build.serversPerFte",
  "build.fteUsdPerYear",
];

/**
 * The sizing figures left out of a plan: empty and without a catalog default, each with what its
 * absence means ("no spares").
 * @param values the plan's typed values
 * @param hasDefault whether the catalog fills the field when empty
 */
export function leftOutFields(
  values: Readonly<Record<string, string>>,
  hasDefault: (fieldId: string) => boolean,
): { id: string; label: string; means: string }[] {
  return SIZING_FIELDS.filter((id) => !(values[id] ?? "").trim() && !hasDefault(id)).map((id) => {
    const def = FIELDS[id] as FieldDef;
    return { id, label: def.label, means: def.emptyMeans ?? "" };
  });
}
