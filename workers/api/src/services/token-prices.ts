import { and, asc, eq, gt, sql, type SQL } from "drizzle-orm";
import { catalogFigures } from "@aifp/db";
import type { Db } from "./db.ts";

/** Filters of the token-price list (exact match; `provider` by display name or slug). */
export interface TokenPriceFilters {
  model?: string | undefined;
  provider?: string | undefined;
  status?: "current" | "superseded" | undefined;
}

/** Lower-case slug as the catalog builds offer ids (`api:<provider slug>:<model>`). */
function providerSlug(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9.]+/g, "-")
    .replace(/\.(?![0-9])/g, "-")
    .replace(/-+/g, "-")
    .replace(/^-|-$/g, "");
}

/**
 * One page of a published version's token prices (stored in `catalog_figures`, kind
 * `token_price`): rows after `afterId` in id order matching the filters, at most `limit + 1`.
 */
export async function listTokenPrices(
  db: Db,
  versionId: string,
  filters: TokenPriceFilters,
  afterId: string | null,
  limit: number,
): Promise<{ id: string; data: unknown }[]> {
  const data = catalogFigures.dataJson;
  const conditions: (SQL | undefined)[] = [
    eq(catalogFigures.versionId, versionId),
    eq(catalogFigures.kind, "token_price"),
  ];
  if (filters.model !== undefined) conditions.push(sql`json_extract(${data}, '$.model') = ${filters.model}`);
  if (filters.status !== undefined) conditions.push(sql`json_extract(${data}, '$.status') = ${filters.status}`);
  if (filters.provider !== undefined) {
    // By display name (any case) or by the provider slug in the offer id.
    conditions.push(
      sql`(lower(json_extract(${data}, '$.provider')) = lower(${filters.provider}) OR ${catalogFigures.id} LIKE ${`api:${providerSlug(filters.provider)}:%`})`,
    );
  }
  if (afterId !== null) conditions.push(gt(catalogFigures.id, afterId));
  const rows = await db
    .select({ id: catalogFigures.id, dataJson: data })
    .from(catalogFigures)
    .where(and(...conditions))
    .orderBy(asc(catalogFigures.id))
    .limit(limit + 1)
    .all();
  return rows.map((row) => ({ id: row.id, data: row.dataJson }));
}
