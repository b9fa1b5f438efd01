import { base64UrlToBytes, textToBase64Url } from "@aifp/formats";
import { DEFAULT_PAGE_LIMIT } from "@aifp/contracts/api";
import { ApiError } from "./errors.ts";

/**
 * Keyset pagination (docs/reliability.md §2.12): never OFFSET. A cursor is the sort key of the last
 * row served, opaque to clients (base64url JSON). Lists sort by `(sortKey, id)` ascending.
 */
export interface PageCursor {
  /** The last row's sort value (e.g. `created_at` ISO string, or its id again for id-sorted lists). */
  after: string;
  id: string;
}

export interface PageQuery {
  limit: number;
  cursor: PageCursor | null;
}

export { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT } from "@aifp/contracts/api";

/**
 * The page a list request asks for, from its validated query (`PageQueryEntries` of
 * `@aifp/contracts/api`: `limit` already 1–100): the default limit, the cursor decoded (or 400).
 */
export function pageOf(query: { limit?: number; cursor?: string }): PageQuery {
  return { limit: query.limit ?? DEFAULT_PAGE_LIMIT, cursor: query.cursor ? decodeCursor(query.cursor) : null };
}

export function encodeCursor(cursor: PageCursor): string {
  const json = JSON.stringify([cursor.after, cursor.id]);
  return textToBase64Url(json);
}

export function decodeCursor(raw: string): PageCursor {
  try {
    const parsed: unknown = JSON.parse(
      new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(base64UrlToBytes(raw)),
    );
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      typeof parsed[0] === "string" &&
      typeof parsed[1] === "string"
    ) {
      return { after: parsed[0], id: parsed[1] };
    }
  } catch {
    // fall through to the 400 below
  }
  throw new ApiError(400, "validation_failed", "The cursor is not one this API issued.", [
    { path: "cursor", message: "expected a cursor from a previous page's nextCursor" },
  ]);
}

/**
 * Turn `limit + 1` fetched rows into a page: `{ data, nextCursor }`, where nextCursor is null
 * on the last page. Callers fetch one extra row to know whether another page exists.
 */
export function toPage<TRow>(
  rows: TRow[],
  limit: number,
  cursorOf: (row: TRow) => PageCursor,
): { data: TRow[]; nextCursor: string | null } {
  const data = rows.slice(0, limit);
  const last = data.at(-1);
  return { data, nextCursor: rows.length > limit && last !== undefined ? encodeCursor(cursorOf(last)) : null };
}
