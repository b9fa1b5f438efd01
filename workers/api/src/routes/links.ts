import { Hono } from "hono";
import { LINK_TOKEN_PREFIX, sha256Hex } from "../services/secrets.ts";
import type { AppEnv } from "../app.ts";
import { ApiError } from "../errors.ts";
import { renderPlanExport } from "../exports/render.ts";
import { documented } from "../openapi-registry.ts";
import { enforceRateLimit } from "../rate-limit.ts";
import { nowIso, openDb } from "../services/db.ts";
import { findValidLink } from "../services/export-links.ts";
import { getPlan } from "../services/plans.ts";

documented({
  method: "get",
  path: "/links/{token}",
  tag: "Export links",
  summary: "Download the export a signed link points to (no header needed)",
  description:
    "Read-only and scoped to one plan and one format. An unknown, expired or revoked link is 404. Use the URL in Google Sheets `=IMPORTDATA(url)` or Excel Power Query `Web.Contents(url)`.",
  access: "link",
  responses: {
    200: { description: "The file: text/csv or an XLSX workbook", contentType: "text/csv" },
  },
});

const LINK_NOT_FOUND = "No such export link, or it expired or was revoked.";

/** Public downloads through signed export links (the token is the only credential). */
export const linkRoutes = new Hono<AppEnv>().get("/:token", async (c) => {
  const token = c.req.param("token");
  if (!token.startsWith(LINK_TOKEN_PREFIX) || token.length > 128) throw new ApiError(404, "not_found", LINK_NOT_FOUND);
  const tokenHash = await sha256Hex(token);
  // Per link, not per IP: Google Sheets fetches from shared Google addresses.
  await enforceRateLimit(c.env.PUBLIC_RATE_LIMITER, `link:${tokenHash.slice(0, 32)}`, true);
  const db = openDb(c.env.DB);
  const link = await findValidLink(db, tokenHash, nowIso());
  if (!link) throw new ApiError(404, "not_found", LINK_NOT_FOUND);
  const plan = await getPlan(db, link.orgId, link.planId);
  if (!plan) throw new ApiError(404, "not_found", LINK_NOT_FOUND);
  const response = await renderPlanExport(plan, link.format);
  // Revocation must take effect at once: no shared or long-lived caches.
  response.headers.set("Cache-Control", "private, no-store");
  response.headers.set("Referrer-Policy", "no-referrer");
  return response;
});
