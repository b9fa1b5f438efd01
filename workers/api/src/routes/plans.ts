import { Hono } from "hono";
import { LINK_TOKEN_PREFIX, generateSecret, sha256Hex } from "../services/secrets.ts";
import type { AppEnv } from "../app.ts";
import { principalOf, requireRole } from "../auth.ts";
import { ApiError } from "../errors.ts";
import { renderPlanExport } from "../exports/render.ts";
import { XLSX_CONTENT_TYPE } from "../exports/xlsx.ts";
import { idempotent } from "../idempotency.ts";
import { documented } from "../openapi-registry.ts";
import { pageOf, toPage } from "../pagination.ts";
import { randomId } from "../request-id.ts";
import {
  CreatedExportLinkSchema,
  CreateLinkBodySchema,
  DEFAULT_LINK_TTL_SECONDS,
  ExportLinkSchema,
  PageSchema,
  PlanSchema,
  PlanSummarySchema,
  type ExportFormat,
  PageQuerySchema,
  PlanListQuerySchema,
} from "@aifp/contracts/api";
import { nowIso, openDb } from "../services/db.ts";
import { createExportLink, listExportLinks, newExportLinkDto, revokeExportLink } from "../services/export-links.ts";
import { getPlan, listPlans } from "../services/plans.ts";

const PLAN_NOT_FOUND = "No such plan.";

const EXPORTS: { path: string; format: ExportFormat; contentType: string; summary: string }[] = [
  {
    path: "monthly.csv",
    format: "monthly.csv",
    contentType: "text/csv",
    summary: "Monthly figures as CSV: one row per option × month, units in headers",
  },
  {
    path: "summary.csv",
    format: "summary.csv",
    contentType: "text/csv",
    summary: "Headline figures as CSV: one row per option, with the comparison against the baseline",
  },
  {
    path: "plan.xlsx",
    format: "xlsx",
    contentType: XLSX_CONTENT_TYPE,
    summary: "The plan as an Excel workbook (sheets Plan, Summary, Yearly, Monthly; numeric cells)",
  },
];

const listing = documented({
  method: "get",
  path: "/plans",
  tag: "Plans",
  summary: "List plans (optionally of one scenario), oldest first",
  access: "viewer",
  query: PlanListQuerySchema,
  responses: { 200: { description: "A page of plan summaries", schema: PageSchema(PlanSummarySchema) } },
});
documented({
  method: "get",
  path: "/plans/{id}",
  tag: "Plans",
  summary: "Get a plan: the same body forever (plans are immutable)",
  access: "viewer",
  responses: { 200: { description: "The plan", schema: PlanSchema } },
});
for (const item of EXPORTS) {
  documented({
    method: "get",
    path: `/plans/{id}/${item.path}`,
    tag: "Exports",
    summary: item.summary,
    description: "Text cells starting with = + - @, tab or CR are prefixed with ' so no spreadsheet evaluates them.",
    access: "viewer",
    responses: { 200: { description: "The file", contentType: item.contentType } },
  });
}
const linkCreation = documented({
  method: "post",
  path: "/plans/{id}/links",
  tag: "Export links",
  summary: "Create a signed, read-only, expiring link to one export of the plan",
  description:
    "For tools that cannot send headers (Google Sheets IMPORTDATA, Excel Power Query). The URL carries a 256-bit random token, shown once; only its SHA-256 is stored. Default lifetime 24 h, at most 7 days; revocable.",
  access: "editor",
  idempotent: true,
  requestBody: { schema: CreateLinkBodySchema, required: true },
  responses: { 201: { description: "The link, with its `url` shown once", schema: CreatedExportLinkSchema } },
});
const linkListing = documented({
  method: "get",
  path: "/plans/{id}/links",
  tag: "Export links",
  summary: "List the plan's links (never their tokens)",
  access: "viewer",
  query: PageQuerySchema,
  responses: { 200: { description: "A page of links", schema: PageSchema(ExportLinkSchema) } },
});
documented({
  method: "delete",
  path: "/plans/{id}/links/{linkId}",
  tag: "Export links",
  summary: "Revoke a link: it stops working on the next request",
  access: "editor",
  responses: { 200: { description: "The revoked link", schema: ExportLinkSchema } },
});

/** Plans of the caller's organisation: reads, exports and their signed links. */
export const planRoutes = new Hono<AppEnv>()
  .get("/", requireRole("viewer"), listing, async (c) => {
    const { scenarioId, ...page } = c.req.valid("query");
    const { limit, cursor } = pageOf(page);
    const rows = await listPlans(openDb(c.env.DB), principalOf(c).orgId, scenarioId ?? null, limit, cursor);
    return c.json(toPage(rows, limit, (row) => ({ after: row.createdAt, id: row.id })));
  })
  .get("/:id", requireRole("viewer"), async (c) => {
    const plan = await getPlan(openDb(c.env.DB), principalOf(c).orgId, c.req.param("id"));
    if (!plan) throw new ApiError(404, "not_found", PLAN_NOT_FOUND);
    c.header("ETag", `"${plan.inputHash}"`);
    return c.json(plan);
  })
  .post("/:id/links", requireRole("editor"), linkCreation, async (c) => {
    const body = c.req.valid("json");
    const principal = principalOf(c);
    const planId = c.req.param("id");
    return idempotent(c, body, async (db, complete) => {
      const token = generateSecret(LINK_TOKEN_PREFIX);
      const createdAt = nowIso();
      const row = {
        id: randomId("lnk"),
        orgId: principal.orgId,
        planId,
        format: body.format,
        tokenHash: await sha256Hex(token),
        createdByKeyId: principal.id,
        createdAt,
        expiresAt: new Date(
          Date.parse(createdAt) + (body.expiresInSeconds ?? DEFAULT_LINK_TTL_SECONDS) * 1000,
        ).toISOString(),
      };
      const url = `${new URL(c.req.url).origin}/api/v1/links/${token}`;
      const dto = newExportLinkDto(row);
      // As with keys, the stored replay omits the secret (url: null): no token reaches D1.
      const created = await createExportLink(
        db,
        row,
        complete({ status: 201, body: { ...dto, url: null }, headers: { "Cache-Control": "no-store" } }),
      );
      if (!created) throw new ApiError(404, "not_found", PLAN_NOT_FOUND);
      return { status: 201 as const, body: { ...dto, url }, headers: { "Cache-Control": "no-store" } };
    });
  })
  .get("/:id/links", requireRole("viewer"), linkListing, async (c) => {
    const { limit, cursor } = pageOf(c.req.valid("query"));
    const principal = principalOf(c);
    const planId = c.req.param("id");
    const db = openDb(c.env.DB);
    if (!(await getPlan(db, principal.orgId, planId))) throw new ApiError(404, "not_found", PLAN_NOT_FOUND);
    const rows = await listExportLinks(db, principal.orgId, planId, limit, cursor);
    return c.json(toPage(rows, limit, (row) => ({ after: row.createdAt, id: row.id })));
  })
  .delete("/:id/links/:linkId", requireRole("editor"), async (c) => {
    const link = await revokeExportLink(
      openDb(c.env.DB),
      principalOf(c).orgId,
      c.req.param("id"),
      c.req.param("linkId"),
      nowIso(),
    );
    if (!link) throw new ApiError(404, "not_found", "No such export link.");
    return c.json(link);
  });

for (const item of EXPORTS) {
  planRoutes.get(`/:id/${item.path}`, requireRole("viewer"), async (c) => {
    const plan = await getPlan(openDb(c.env.DB), principalOf(c).orgId, c.req.param("id"));
    if (!plan) throw new ApiError(404, "not_found", PLAN_NOT_FOUND);
    const response = await renderPlanExport(plan, item.format);
    // Never kept by a browser or proxy: a copy would outlive a revoked key or a removed member.
    response.headers.set("Cache-Control", "private, no-store");
    return response;
  });
}
