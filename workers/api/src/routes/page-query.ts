import { MAX_PAGE_LIMIT } from "../pagination.ts";

/** OpenAPI description of the keyset pagination query (`limit`, `cursor`). */
export const PAGE_QUERY = {
  limit: {
    description: `Page size, 1–${MAX_PAGE_LIMIT} (default 50); more is a 400.`,
    schema: { type: "integer", minimum: 1, maximum: MAX_PAGE_LIMIT },
  },
  cursor: {
    description: "The `nextCursor` of the previous page (opaque).",
    schema: { type: "string" },
  },
};
