import { Hono, type Context, type MiddlewareHandler } from "hono";
import { catalogFilterNames, catalogQuerySchema } from "@aifp/contracts/api";
import * as v from "valibot";
import type { AppEnv } from "../app.ts";
import { ApiError } from "../errors.ts";
import { documented } from "../openapi-registry.ts";
import { pageOf, toPage } from "../pagination.ts";
import { openDb, type Db } from "../services/db.ts";
import { listCatalog, publishedVersion, type CatalogListName, type PriceBookVersionDto } from "../services/catalog.ts";

const PATHS: Record<CatalogListName, string> = {
  accelerators: "/accelerators",
  servers: "/servers",
  cloudOffers: "/cloud-offers",
  throughput: "/throughput",
  regions: "/regions",
  models: "/models",
  generations: "/generations",
};

const SUMMARIES: Record<CatalogListName, string> = {
  accelerators: "Accelerators: datasheet figures with provenance (and keys seen without a datasheet)",
  servers:
    "On-prem server and rack SKUs: GPUs, power, rack units, cooling, price range (filter by vendor, accelerator, cooling, formFactor)",
  cloudOffers:
    "Cloud GPU offers: $/hour on demand, committed or spot (filter by providerKind, provider, accelerator, commitment)",
  throughput: "Measured throughput points, output tokens/s per GPU (filter by model, accelerator, source, scenario)",
  regions: "Regions: electricity price by customer class and grid carbon intensity",
  models: "Models served: parameters, active parameters, release precision",
  generations: "Hardware generations roadmap: availability, announced parts, performance and price assumptions",
};

const PriceBookRefSchema = v.object({ id: v.string(), version: v.string(), contentHash: v.string() });
const CatalogPageSchema = v.object({
  data: v.array(v.unknown()),
  nextCursor: v.nullable(v.string()),
  priceBook: PriceBookRefSchema,
});

/** What every list's validated query holds; its filters are strings (`catalogFilterNames`). */
type CatalogQuery = { limit?: number; cursor?: string; version?: string };

/** Each list's declaration: its document and the validation of its query (one per list). */
const VALIDATED = Object.fromEntries(
  (Object.keys(PATHS) as CatalogListName[]).map((list) => [
    list,
    documented({
      method: "get",
      path: `/catalog${PATHS[list]}`,
      tag: "Catalog",
      summary: SUMMARIES[list],
      description:
        "Public read of the latest published public price-book version (or `?version=`). Every figure carries value, unit, source, asOf, confidence, derived and method.",
      access: "public",
      query: catalogQuerySchema(list),
      responses: {
        200: { description: "A page of catalog rows", schema: CatalogPageSchema },
        400: { description: "A bad filter, limit or cursor" },
        404: { description: "No such published version" },
      },
    }),
  ]),
) as Record<CatalogListName, MiddlewareHandler<AppEnv, string, { out: { query: CatalogQuery } }>>;

/** The published price-book version a catalog list reads (the latest when none is named), or 404. */
export async function publishedVersionOr404(db: Db, version: string | null): Promise<PriceBookVersionDto> {
  const found = await publishedVersion(db, version);
  if (!found) {
    throw new ApiError(
      404,
      "not_found",
      version
        ? `No published price-book version ${version}.`
        : "No published price book yet: run `npm start` (it seeds the catalog).",
    );
  }
  return found;
}

async function servePage(c: Context<AppEnv>, list: CatalogListName, query: CatalogQuery): Promise<Response> {
  const { limit, cursor } = pageOf(query);
  const db = openDb(c.env.DB);
  const version = await publishedVersionOr404(db, query.version ?? null);
  const filters: Record<string, string | undefined> = {};
  for (const name of catalogFilterNames(list)) filters[name] = (query as Record<string, string | undefined>)[name];
  const rows = await listCatalog(db, list, version.id, filters, cursor?.id ?? null, limit);
  const page = toPage(rows, limit, (row) => ({ after: row.key, id: row.key }));
  return c.json({
    data: page.data.map((row) => row.data),
    nextCursor: page.nextCursor,
    priceBook: { id: version.priceBookId, version: version.version, contentHash: version.contentHash },
  });
}

/** `GET /api/v1/catalog/*`: public, paginated (keyset on the row key), filterable catalog reads. */
export const catalogRoutes = new Hono<AppEnv>();
for (const list of Object.keys(PATHS) as CatalogListName[]) {
  catalogRoutes.get(PATHS[list], VALIDATED[list], (c) => servePage(c, list, c.req.valid("query")));
}
