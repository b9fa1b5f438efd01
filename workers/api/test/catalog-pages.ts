import { expect } from "vitest";
import { priceBook, PUBLIC_PRICE_BOOK_ID } from "@aifp/catalog";
import { get } from "./helpers.ts";

/** One page of a public catalog listing (`/catalog/*`, `/price-books`). */
export interface CatalogPage {
  data: Record<string, unknown>[];
  nextCursor: string | null;
  priceBook: { id: string; version: string; contentHash: string };
}

/**
 * Follows a catalog listing's cursor to the end, checking on every page the status, the page size
 * and that each page names the published book it was read from.
 */
export async function walkCatalogPages(
  path: string,
  limit: number,
): Promise<{ rows: Record<string, unknown>[]; pages: number }> {
  const rows: Record<string, unknown>[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const separator = path.includes("?") ? "&" : "?";
    const response = await get(`${path}${separator}limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`);
    expect(response.status, path).toBe(200);
    const page = (await response.json()) as CatalogPage;
    expect(page.data.length).toBeLessThanOrEqual(limit);
    expect(page.priceBook).toEqual({
      id: PUBLIC_PRICE_BOOK_ID,
      version: priceBook.version,
      contentHash: priceBook.contentHash,
    });
    rows.push(...page.data);
    cursor = page.nextCursor;
    pages += 1;
    if (pages > 200) throw new Error("pagination does not end");
  } while (cursor !== null);
  return { rows, pages };
}
