import * as v from "valibot";

/** Wire schemas of the API's price books (`GET /price-books`, one version with its figures). */

export const PriceBookSchema = v.object({
  id: v.string(),
  name: v.string(),
  orgId: v.nullable(v.string()),
  latestPublishedVersion: v.nullable(v.string()),
  createdAt: v.string(),
});

export const PriceBookVersionSchema = v.object({
  id: v.string(),
  priceBookId: v.string(),
  version: v.string(),
  status: v.picklist(["draft", "published", "retired"]),
  contentHash: v.string(),
  dataAsOf: v.string(),
  schemaVersion: v.number(),
  rowCounts: v.record(v.string(), v.number()),
  rowCount: v.number(),
  createdAt: v.string(),
  publishedAt: v.nullable(v.string()),
  retiredAt: v.nullable(v.string()),
  facility: v.array(v.unknown()),
  defaults: v.array(v.unknown()),
  tokenPrices: v.array(v.unknown()),
  streetPrices: v.array(v.unknown()),
});

export type PriceBook = v.InferOutput<typeof PriceBookSchema>;
export type PriceBookVersion = v.InferOutput<typeof PriceBookVersionSchema>;
