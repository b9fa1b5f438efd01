/**
 * The planner's engine in the browser: the public price book, the catalog resolver, the shared
 * valibot schema and the kernel, all in one lazily loaded module (`loadEngine()` in
 * `engine-loader.ts`), so none of it weighs on the first page. Everything here is synchronous
 * once loaded: a what-if recomputes in well under a frame, with no network.
 *
 * Flow: plan (what the person typed) → scenario input with catalog references and typed
 * overrides → `parseScenario` (the shared schema: field errors in plain words) →
 * `resolveScenario` (catalog numbers with provenance) → what-ifs → `evaluate` (the kernel).
 *
 * The code lives in `engine/` by concern (ADR 035); this module re-exports the engine's public
 * names so `loadEngine()` imports one module and every importer keeps its path.
 */
export { book, KERNEL_VERSION, PRICE_BOOK_VERSION, type FieldDefault, type Provenance } from "./engine/book.ts";
export {
  nextMonth,
  offerTermPrices,
  planInteractivity,
  planLeaseCommitment,
  planLeaseTermYears,
  planServingStack,
  servingStackChoices,
} from "./engine/plan-settings.ts";
export { catalogHasSpeed, throughputFor } from "./engine/throughput.ts";
export {
  acceleratorName,
  apiOffer,
  frontierApiChoices,
  modelChoices,
  offerBlendedPrice,
  offerChoices,
  regionChoices,
  serverChoices,
  spendPriceChoices,
  tokenApisForModel,
  tokenPriceChoices,
  type OfferChoice,
  type ServerChoice,
} from "./engine/choices.ts";
export { fieldDefault, withCatalogDefaults } from "./engine/defaults.ts";
export { apiOptionId, buildOptionId, CUSTOM_API_ID, leaseOptionId } from "./engine/labels.ts";
export type { Assumption } from "./engine/assumptions.ts";
export { computePlan, type ApiOfferSummary, type PlanComputation } from "./engine/compute.ts";
export { applyWhatIf, baseWhatIfValues, evaluateWithWhatIf, fieldText, type Evaluation } from "./engine/what-if.ts";
