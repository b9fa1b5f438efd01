import { base64UrlToBytes, textToBase64Url } from "@aifp/formats";
import type { Context } from "hono";
import * as v from "valibot";
import { ApiError } from "./errors.ts";
import { parseOr400 } from "./validation.ts";

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

export const DEFAULT_PAGE_LIMIT = 50;
export const MAX_PAGE_LIMIT = 100;

const LimitSchema = v.pipe(
  v.string(),
  v.regex(/^\d{1,3}$/, "expected a whole number from 1 to 100"),
  v.transform(Number),
  v.number(),
  v.minValue(1, "expected a whole number from 1 to 100"),
  v.maxValue(MAX_PAGE_LIMIT, "expected a whole number from 1 to 100"),
);

/** Read `?limit=` (1–100, default 50) and `?cursor=` from the query, or 400. */
export function parsePageQuery(c: Context): PageQuery {
  const rawLimit = c.req.query("limit");
  const limit =
    rawLimit === undefined
      ? DEFAULT_PAGE_LIMIT
      : parseOr400(v.object({ limit: LimitSchema }), { limit: rawLimit }, "query").limit;
  const rawCursor = c.req.query("cursor");
  return { limit, cursor: rawCursor ? decodeCursor(rawCursor) : null };
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
