import { Hono } from "hono";
import type { AppEnv } from "../app.ts";
import { principalOf, requireRole } from "../auth.ts";
import { documented } from "../openapi-registry.ts";
import { pageOf, toPage } from "../pagination.ts";
import { AuditEventSchema, PageQuerySchema, PageSchema } from "@aifp/contracts/api";
import { listAuditEvents } from "../services/audit.ts";
import { openDb } from "../services/db.ts";

const validated = documented({
  method: "get",
  path: "/audit",
  tag: "Audit log",
  summary: "The organisation's audit log, newest first (admin)",
  description:
    "Members added or removed, roles changed, invitations created or revoked, API keys created or revoked, price books published, proposals issued or shared. Append-only.",
  access: "admin",
  query: PageQuerySchema,
  responses: { 200: { description: "A page of events", schema: PageSchema(AuditEventSchema) } },
});

/** The audit log of the caller's organisation (admins only). */
export const auditRoutes = new Hono<AppEnv>().get("/", requireRole("admin"), validated, async (c) => {
  const { limit, cursor } = pageOf(c.req.valid("query"));
  const rows = await listAuditEvents(openDb(c.env.DB), principalOf(c).orgId, limit, cursor);
  return c.json(toPage(rows, limit, (row) => ({ after: row.at, id: row.id })));
});
