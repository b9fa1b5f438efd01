import { Hono } from "hono";
import type { AppEnv } from "../app.ts";
import { principalOf, requireRole } from "../auth.ts";
import { ApiError } from "../errors.ts";
import { documented } from "../openapi-registry.ts";
import { pageOf, toPage } from "../pagination.ts";
import { MemberSchema, PageQuerySchema, PageSchema, PatchMemberBodySchema } from "@aifp/contracts/api";
import { actorOf, auditStatement } from "../services/audit.ts";
import { openDb } from "../services/db.ts";
import { forgetCachedKey } from "../services/keys.ts";
import {
  activeKeysCreatedBy,
  changeMemberRole,
  getMember,
  listMembers,
  removeMember,
} from "../services/memberships.ts";

const MEMBER_NOT_FOUND = "No such member.";
const LAST_ADMIN = "The organisation needs at least one admin: make someone else admin first.";

const listing = documented({
  method: "get",
  path: "/members",
  tag: "Members",
  summary: "List the organisation's members and their roles (admin)",
  access: "admin",
  query: PageQuerySchema,
  responses: { 200: { description: "A page of members", schema: PageSchema(MemberSchema) } },
});
documented({
  method: "get",
  path: "/members/{id}",
  tag: "Members",
  summary: "Get one member (admin)",
  access: "admin",
  responses: { 200: { description: "The member", schema: MemberSchema } },
});
const change = documented({
  method: "patch",
  path: "/members/{id}",
  tag: "Members",
  summary: "Change a member's role (admin); the last admin cannot be demoted (409)",
  description: "Takes effect on the member's next request. Audit: member.role_changed.",
  access: "admin",
  requestBody: { schema: PatchMemberBodySchema, required: true },
  responses: { 200: { description: "The member with the new role", schema: MemberSchema } },
});
documented({
  method: "delete",
  path: "/members/{id}",
  tag: "Members",
  summary: "Remove a member (admin); the last admin cannot be removed (409)",
  description:
    "Their sessions lose access to the organisation at once, and the API keys they created there (directly, or through a key they created) are revoked in the same step. Admins are admin members and active admin keys: the last one cannot go. Audit: member.removed, and key.revoked for each key.",
  access: "admin",
  responses: { 204: { description: "Removed" } },
});

/** Members of the caller's organisation: list, change role, remove (admins only). */
export const memberRoutes = new Hono<AppEnv>()
  .get("/", requireRole("admin"), listing, async (c) => {
    const { limit, cursor } = pageOf(c.req.valid("query"));
    const rows = await listMembers(openDb(c.env.DB), principalOf(c).orgId, limit, cursor);
    return c.json(toPage(rows, limit, (row) => ({ after: row.createdAt, id: row.id })));
  })
  .get("/:id", requireRole("admin"), async (c) => {
    const member = await getMember(openDb(c.env.DB), principalOf(c).orgId, c.req.param("id"));
    if (!member) throw new ApiError(404, "not_found", MEMBER_NOT_FOUND);
    return c.json(member);
  })
  .patch("/:id", requireRole("admin"), change, async (c) => {
    const body = c.req.valid("json");
    const principal = principalOf(c);
    const db = openDb(c.env.DB);
    const id = c.req.param("id");
    const before = await getMember(db, principal.orgId, id);
    if (!before) throw new ApiError(404, "not_found", MEMBER_NOT_FOUND);
    if (before.role === body.role) return c.json(before);
    const audit = auditStatement(db, {
      orgId: principal.orgId,
      actor: actorOf(principal),
      action: "member.role_changed",
      target: { kind: "member", id },
      detail: { userId: before.userId, from: before.role, to: body.role },
    });
    const outcome = await changeMemberRole(db, principal.orgId, id, body.role, [audit]);
    if (outcome.kind === "not_found") throw new ApiError(404, "not_found", MEMBER_NOT_FOUND);
    if (outcome.kind === "last_admin") throw new ApiError(409, "conflict", LAST_ADMIN);
    return c.json({ ...before, role: body.role });
  })
  .delete("/:id", requireRole("admin"), async (c) => {
    const principal = principalOf(c);
    const db = openDb(c.env.DB);
    const member = await getMember(db, principal.orgId, c.req.param("id"));
    if (!member) throw new ApiError(404, "not_found", MEMBER_NOT_FOUND);
    const audit = auditStatement(db, {
      orgId: principal.orgId,
      actor: actorOf(principal),
      action: "member.removed",
      target: { kind: "member", id: member.id },
      detail: { userId: member.userId, role: member.role },
    });
    // The keys they made leave with them (issue #19): revoked in the same batch, each audited.
    const keyIds = await activeKeysCreatedBy(db, principal.orgId, member.userId);
    const keyAudits = keyIds.map((keyId) =>
      auditStatement(db, {
        orgId: principal.orgId,
        actor: actorOf(principal),
        action: "key.revoked",
        target: { kind: "key", id: keyId },
        detail: { reason: "creator_removed", userId: member.userId },
      }),
    );
    const outcome = await removeMember(db, principal.orgId, member, [audit, ...keyAudits], keyIds);
    for (const keyId of keyIds) forgetCachedKey(keyId);
    if (outcome.kind === "not_found") throw new ApiError(404, "not_found", MEMBER_NOT_FOUND);
    if (outcome.kind === "last_admin") throw new ApiError(409, "conflict", LAST_ADMIN);
    return c.body(null, 204);
  });
