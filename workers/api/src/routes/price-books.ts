import { Hono } from "hono";
import * as v from "valibot";
import type { AppEnv } from "../app.ts";
import { ApiError } from "../errors.ts";
import { documented } from "../openapi-registry.ts";
import { pageOf, toPage } from "../pagination.ts";
import { openDb } from "../services/db.ts";
import { getPriceBookVersion, listFigures, listPriceBooks } from "../services/catalog.ts";
import { parseOr400 } from "../validation.ts";
import { PageQuerySchema, PriceBookSchema, PriceBookVersionSchema } from "@aifp/contracts/api";

const listing = documented({
  method: "get",
  path: "/price-books",
  tag: "Catalog",
  summary: "Price books (public; keyset cursor pagination by id)",
  access: "public",
  query: PageQuerySchema,
  responses: {
    200: {
      description: "A page of price books",
      schema: v.object({ data: v.array(PriceBookSchema), nextCursor: v.nullable(v.string()) }),
    },
  },
});
documented({
  method: "get",
  path: "/price-books/{id}/versions/{version}",
  tag: "Catalog",
  summary:
    "One price-book version: status, content hash, row counts, and its facility figures, operating defaults, token prices and street prices",
  access: "public",
  responses: {
    200: { description: "The version", schema: PriceBookVersionSchema },
    400: { description: "A malformed id or version" },
    404: { description: "No such book or version" },
  },
});

const ParamsSchema = v.object({
  id: v.pipe(v.string(), v.regex(/^pbk_[a-z0-9_]{1,60}$/, "expected a price-book id such as pbk_public")),
  version: v.pipe(v.string(), v.regex(/^\d{4}\.\d{2}\.\d{2}$/, "expected a version such as 2026.11.22")),
});

/** `GET /api/v1/price-books` and `/price-books/{id}/versions/{version}`: public reads. */
export const priceBookRoutes = new Hono<AppEnv>()
  .get("/", listing, async (c) => {
    const { limit, cursor } = pageOf(c.req.valid("query"));
    const rows = await listPriceBooks(openDb(c.env.DB), cursor?.id ?? null, limit);
    return c.json(toPage(rows, limit, (row) => ({ after: row.id, id: row.id })));
  })
  .get("/:id/versions/:version", async (c) => {
    const params = parseOr400(ParamsSchema, c.req.param(), "path");
    const db = openDb(c.env.DB);
    const version = await getPriceBookVersion(db, params.id, params.version);
    if (!version) throw new ApiError(404, "not_found", `No version ${params.version} of price book ${params.id}.`);
    const [facility, defaults, tokenPrices, streetPrices] = await Promise.all([
      listFigures(db, version.id, "facility"),
      listFigures(db, version.id, "default"),
      listFigures(db, version.id, "token_price"),
      listFigures(db, version.id, "street_price"),
    ]);
    return c.json({ ...version, facility, defaults, tokenPrices, streetPrices });
  });
