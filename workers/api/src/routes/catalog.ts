import { Hono, type Context } from "hono";
import * as v from "valibot";
import type { AppEnv } from "../app.ts";
import { ApiError } from "../errors.ts";
import { documented } from "../openapi-registry.ts";
import { parsePageQuery, toPage } from "../pagination.ts";
import { openDb, type Db } from "../services/db.ts";
import { listCatalog, publishedVersion, type CatalogListName, type PriceBookVersionDto } from "../services/catalog.ts";
import { parseOr400 } from "../validation.ts";
import { PAGE_QUERY } from "./page-query.ts";

const FilterValue = v.pipe(
  v.string(),
  v.minLength(1, "expected a non-empty value"),
  v.maxLength(64, "expected at most 64 characters"),
);
const VersionValue = v.pipe(
  v.string(),
  v.regex(/^\d{4}\.\d{2}\.\d{2}$/, "expected a price-book version such as 2026.11.22"),
);
const oneOf = <const TValues extends readonly [string, ...string[]]>(values: TValues) =>
  v.picklist(values, `expected one of ${values.join(", ")}`);

/** The filters each list accepts (exact match); anything else in the query is a 400. */
const FILTERS: Record<CatalogListName, v.ObjectEntries> = {
  accelerators: {
    vendor: v.optional(FilterValue),
    generation: v.optional(FilterValue),
    status: v.optional(oneOf(["shipping", "no-spec", "announced"] as const)),
  },
  servers: {
    vendor: v.optional(FilterValue),
    accelerator: v.optional(FilterValue),
    cooling: v.optional(oneOf(["air", "liquid", "hybrid"] as const)),
    formFactor: v.optional(oneOf(["server", "rack"] as const)),
  },
  cloudOffers: {
    provider: v.optional(FilterValue),
    providerKind: v.optional(oneOf(["hyperscaler", "neocloud", "marketplace"] as const)),
    accelerator: v.optional(FilterValue),
    commitment: v.optional(oneOf(["none", "1y", "3y", "capacity_block", "spot_only"] as const)),
  },
  throughput: {
    model: v.optional(FilterValue),
    accelerator: v.optional(FilterValue),
    source: v.optional(FilterValue),
    scenario: v.optional(oneOf(["offline", "server", "interactive"] as const)),
  },
  regions: {},
  models: { architecture: v.optional(oneOf(["dense", "moe"] as const)) },
  generations: { vendor: v.optional(FilterValue), status: v.optional(oneOf(["shipping", "announced"] as const)) },
};

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

for (const list of Object.keys(PATHS) as CatalogListName[]) {
  documented({
    method: "get",
    path: `/catalog${PATHS[list]}`,
    tag: "Catalog",
    summary: SUMMARIES[list],
    description:
      "Public read of the latest published public price-book version (or `?version=`). Every figure carries value, unit, source, asOf, confidence, derived and method.",
    access: "public",
    query: {
      ...PAGE_QUERY,
      version: {
        description: "Pin a published price-book version (YYYY.MM.DD); default the latest",
        schema: { type: "string" },
      },
      ...Object.fromEntries(
        Object.keys(FILTERS[list]).map((name) => [
          name,
          { description: `Only rows whose ${name} equals this`, schema: { type: "string" } },
        ]),
      ),
    },
    responses: {
      200: { description: "A page of catalog rows", schema: CatalogPageSchema },
      400: { description: "A bad filter, limit or cursor" },
      404: { description: "No such published version" },
    },
  });
}

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

async function servePage(c: Context<AppEnv>, list: CatalogListName): Promise<Response> {
  const query = c.req.query();
  const { limit, cursor } = parsePageQuery(c);
  const schema = v.strictObject({
    ...FILTERS[list],
    version: v.optional(VersionValue),
    limit: v.optional(v.string()),
    cursor: v.optional(v.string()),
  });
  const parsed = parseOr400(schema, query, "query") as Record<string, string | undefined>;
  const db = openDb(c.env.DB);
  const version = await publishedVersionOr404(db, parsed.version ?? null);
  const filters: Record<string, string | undefined> = {};
  for (const name of Object.keys(FILTERS[list])) filters[name] = parsed[name];
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
  catalogRoutes.get(PATHS[list], (c) => servePage(c, list));
}
