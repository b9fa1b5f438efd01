import { Hono } from "hono";
import * as v from "valibot";
import { TokenPriceQuerySchema } from "@aifp/contracts/api";
import type { AppEnv } from "../app.ts";
import { documented } from "../openapi-registry.ts";
import { pageOf, toPage } from "../pagination.ts";
import { openDb } from "../services/db.ts";
import { listTokenPrices } from "../services/token-prices.ts";
import { publishedVersionOr404 } from "./catalog.ts";

const validated = documented({
  method: "get",
  path: "/catalog/token-prices",
  tag: "Catalog",
  summary:
    "Model-API token prices: provider, model, USD per million input / cached input / output tokens, batch discount, date and source (filter by model, provider, status)",
  description:
    "Public read of the latest published public price-book version (or `?version=`). One row per provider and model (`id` `api:<provider>:<model>`, the id an API option's `offer` names); superseded rows (`status=superseded`, id suffixed `@<asOf>`) keep the dated history. Every price is a figure with value, unit, source, asOf, confidence, derived and method. Keyset-paginated by id.",
  access: "public",
  query: TokenPriceQuerySchema,
  responses: {
    200: {
      description: "A page of token prices",
      schema: v.object({
        data: v.array(v.unknown()),
        nextCursor: v.nullable(v.string()),
        priceBook: v.object({ id: v.string(), version: v.string(), contentHash: v.string() }),
      }),
    },
    400: { description: "A bad filter, limit or cursor" },
    404: { description: "No such published version" },
  },
});

/** `GET /api/v1/catalog/token-prices`: the model-API price book, public, filterable, keyset-paginated. */
export const tokenPriceRoutes = new Hono<AppEnv>();

tokenPriceRoutes.get("/token-prices", validated, async (c) => {
  const query = c.req.valid("query");
  const { limit, cursor } = pageOf(query);
  const db = openDb(c.env.DB);
  const version = await publishedVersionOr404(db, query.version ?? null);
  const rows = await listTokenPrices(
    db,
    version.id,
    { model: query.model, provider: query.provider, status: query.status },
    cursor?.id ?? null,
    limit,
  );
  const page = toPage(rows, limit, (row) => ({ after: row.id, id: row.id }));
  return c.json({
    data: page.data.map((row) => row.data),
    nextCursor: page.nextCursor,
    priceBook: { id: version.priceBookId, version: version.version, contentHash: version.contentHash },
  });
});
