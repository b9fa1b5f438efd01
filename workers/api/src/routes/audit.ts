import { Hono } from "hono";
import type { AppEnv } from "../app.ts";
import { principalOf, requireRole } from "../auth.ts";
import { documented } from "../openapi-registry.ts";
import { parsePageQuery, toPage } from "../pagination.ts";
import { AuditEventSchema, PageSchema } from "@aifp/contracts/api";
import { listAuditEvents } from "../services/audit.ts";
import { openDb } from "../services/db.ts";
import { PAGE_QUERY } from "./page-query.ts";

documented({
  method: "get",
  path: "/audit",
  tag: "Audit log",
  summary: "The organisation's audit log, newest first (admin)",
  description:
    "Members added or removed, roles changed, invitations created or revoked, API keys created or revoked, price books published, proposals issued or shared. Append-only.",
  access: "admin",
  query: PAGE_QUERY,
  responses: { 200: { description: "A page of events", schema: PageSchema(AuditEventSchema) } },
});

/** The audit log of the caller's organisation (admins only). */
export const auditRoutes = new Hono<AppEnv>().get("/", requireRole("admin"), async (c) => {
  const { limit, cursor } = parsePageQuery(c);
  const rows = await listAuditEvents(openDb(c.env.DB), principalOf(c).orgId, limit, cursor);
  return c.json(toPage(rows, limit, (row) => ({ after: row.at, id: row.id })));
});
