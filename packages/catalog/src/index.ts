import type { PerfCalibration } from "@aifp/kernel";
import bookJson from "../generated/price-book.json" with { type: "json" };
import calibrationJson from "../generated/throughput-calibration.json" with { type: "json" };
import type {
  CatalogAccelerator,
  CatalogModel,
  CatalogThroughputPoint,
  CloudOffer,
  DefaultFigure,
  PriceBook,
  Region,
  ServerSku,
} from "./types.ts";

export type * from "./types.ts";
export { resolveScenario, ResolveError } from "./resolve.ts";
export { firstAvailableMonth, generationOfAccelerator } from "./roadmap.ts";
export { applicableQuote, expiredQuote, quotedUnitPriceUsd } from "./quotes.ts";
export type { ApiOfferUse, ResolveOptions, ResolvedScenario, UsedFigure, OrgQuote, ScenarioInput } from "./resolve.ts";
export {
  currentApiOffers,
  effectiveApiPrice,
  findApiOffer,
  isProvider,
  modelName,
  modelsWithApiOffers,
  pickApiOffer,
  rankApiOffers,
} from "./api-offers.ts";
export type { ApiMix, ApiSelectRule, EffectiveApiPrice, RankedApiOffer } from "./api-offers.ts";

/**
 * The public price book built from `packages/catalog/data` by `npm run catalog:build`
 * (`generated/price-book.json`, committed; a unit test fails when it drifts from a fresh build).
 */
export const priceBook: PriceBook = withCalibration(bookJson as unknown as PriceBook);

/**
 * The throughput performance model's calibration fitted on this book's measurements by
 * `npm run catalog:build` (`generated/throughput-calibration.json`), attached when it was fitted
 * on exactly this book's content; otherwise `throughputAt` fits on first use.
 */
function withCalibration(book: PriceBook): PriceBook {
  const file = calibrationJson as unknown as { priceBookContentHash: string; calibration: PerfCalibration };
  return file.priceBookContentHash === book.contentHash ? { ...book, throughputCalibration: file.calibration } : book;
}

/** Version of the public price book ("YYYY.MM.DD" of its data date). */
export const PRICE_BOOK_VERSION: string = priceBook.version;

/** SHA-256 (hex) of the book's canonical content; two books with one version must share it. */
export const PRICE_BOOK_CONTENT_HASH: string = priceBook.contentHash;

/** The accelerator with this normalised key (e.g. "H200-SXM-141GB"), or undefined. */
export function findAccelerator(book: PriceBook, key: string): CatalogAccelerator | undefined {
  return book.accelerators.find((item) => item.key === key);
}

/** The model with this key (e.g. "llama2-70b"), or one of its benchmark names ("llama2-70b-99.9"). */
export function findModel(book: PriceBook, key: string): CatalogModel | undefined {
  return book.models.find((item) => item.key === key || item.benchmarkNames.includes(key));
}

/** The server SKU with this id (slug of vendor and SKU, e.g. "dell-poweredge-xe9680"). */
export function findServer(book: PriceBook, id: string): ServerSku | undefined {
  return book.servers.find((item) => item.id === id);
}

/** The cloud offer with this id (slug of provider, instance type and commitment). */
export function findCloudOffer(book: PriceBook, id: string): CloudOffer | undefined {
  return book.cloudOffers.find((item) => item.id === id);
}

/** The region with this code ("US-VA", "IE", "EU27"). */
export function findRegion(book: PriceBook, code: string): Region | undefined {
  return book.regions.find((item) => item.code === code);
}

/** The operating default with this key (e.g. "build.lifeYears"). */
export function findDefault(book: PriceBook, key: string): DefaultFigure | undefined {
  return book.defaults.find((item) => item.key === key);
}

/**
 * Throughput points for a model (key or benchmark name) and optionally one accelerator,
 * optionally one scenario. Sorted as in the book (model, accelerator, source, scenario, id).
 */
export function throughputPointsFor(
  book: PriceBook,
  query: { model: string; accelerator?: string; scenario?: CatalogThroughputPoint["scenario"] },
): CatalogThroughputPoint[] {
  const model = findModel(book, query.model);
  if (!model) return [];
  return book.throughputPoints.filter(
    (point) =>
      point.model === model.key &&
      (query.accelerator === undefined || point.accelerator === query.accelerator) &&
      (query.scenario === undefined || point.scenario === query.scenario),
  );
}
export { priceBookRows, priceBookRowCounts, priceBookVersionId, PUBLIC_PRICE_BOOK_ID } from "./rows.ts";
export type { CatalogRow, CatalogTableName } from "./rows.ts";
export { coverageReport } from "./report.ts";
export {
  acceleratorVendor,
  DEFAULT_SERVING_STACK,
  SERVING_STACK_NAMES,
  SERVING_STACKS,
  stackLicence,
  type ServingStack,
  type StackLicence,
} from "./serving.ts";
export {
  commitmentRatio,
  LEASE_COMMITMENTS,
  LEASE_TERMS_YEARS,
  leaseTermPrice,
  leaseTermPrices,
  publishedTermOffer,
  termMatchingHorizon,
  termOfCommitment,
  type LeaseCommitment,
  type LeaseTermPrice,
} from "./terms.ts";
export { describeBaseline, evaluateWithFairBaseline, withFairBaseline, type BaselineChoice } from "./baseline.ts";
