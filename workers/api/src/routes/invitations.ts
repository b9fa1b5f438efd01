import { Hono } from "hono";
import type { AppEnv } from "../app.ts";
import { principalOf, requireRole, requireUser, userOf } from "../auth.ts";
import { appOrigin } from "../better-auth.ts";
import { ApiError } from "../errors.ts";
import { idempotent } from "../idempotency.ts";
import { documented } from "../openapi-registry.ts";
import { pageOf, toPage } from "../pagination.ts";
import { clientIp, enforceRateLimit } from "../rate-limit.ts";
import { randomId } from "../request-id.ts";
import {
  CreatedInvitationSchema,
  CreateInvitationBodySchema,
  DEFAULT_INVITATION_DAYS,
  INVITATION_TOKEN_PREFIX,
  InvitationAcceptedSchema,
  InvitationPreviewSchema,
  InvitationSchema,
  InvitationTokenBodySchema,
  MAX_INVITATION_DAYS,
  PageSchema,
  PageQuerySchema,
} from "@aifp/contracts/api";
import { actorOf, auditStatement } from "../services/audit.ts";
import { nowIso, openDb } from "../services/db.ts";
import {
  acceptInvitation,
  createInvitation,
  findPendingInvitation,
  getInvitation,
  listInvitations,
  newInvitationDto,
  revokeInvitation,
  setActiveOrg,
} from "../services/memberships.ts";
import { generateSecret, sha256Hex } from "../services/secrets.ts";
import { before } from "./before.ts";

const INVITATION_NOT_FOUND = "No such invitation.";
const LINK_GONE =
  "This invitation link is not valid any more: it was used, revoked or has expired. Ask an admin for a new one.";

const creation = documented({
  method: "post",
  path: "/invitations",
  tag: "Members",
  summary: "Create an invitation link for a role (admin); copy the link and hand it over",
  description: `No e-mail is sent. The link carries a 256-bit random token, shown once in \`url\`; only its SHA-256 is stored. Single use; expires after ${DEFAULT_INVITATION_DAYS} days unless told otherwise (at most ${MAX_INVITATION_DAYS}). Audit: invitation.created.`,
  access: "admin",
  idempotent: true,
  requestBody: { schema: CreateInvitationBodySchema, required: true },
  responses: { 201: { description: "The invitation, with its link shown once", schema: CreatedInvitationSchema } },
});
const listing = documented({
  method: "get",
  path: "/invitations",
  tag: "Members",
  summary: "List the organisation's invitations and their status (admin; never the links)",
  access: "admin",
  query: PageQuerySchema,
  responses: { 200: { description: "A page of invitations", schema: PageSchema(InvitationSchema) } },
});
documented({
  method: "get",
  path: "/invitations/{id}",
  tag: "Members",
  summary: "Get one invitation (admin)",
  access: "admin",
  responses: { 200: { description: "The invitation", schema: InvitationSchema } },
});
documented({
  method: "delete",
  path: "/invitations/{id}",
  tag: "Members",
  summary: "Revoke a pending invitation (admin): its link stops working at once",
  description: "Audit: invitation.revoked.",
  access: "admin",
  responses: { 200: { description: "The invitation", schema: InvitationSchema } },
});
const preview = documented({
  method: "post",
  path: "/invitations/preview",
  tag: "Members",
  summary: "What an invitation link leads to (organisation name and role), for the accept page",
  description:
    "The token travels in the body, never in a URL. A used, revoked, expired or unknown token is 404. Rate-limited per IP.",
  access: "public",
  publicRateLimited: true,
  requestBody: { schema: InvitationTokenBodySchema, required: true },
  responses: { 200: { description: "The invitation", schema: InvitationPreviewSchema } },
});
const acceptance = documented({
  method: "post",
  path: "/invitations/accept",
  tag: "Members",
  summary: "Accept an invitation: join the organisation with its role; the session switches to it",
  description:
    "For people signed in to the web app. One use per link: a second accept is 404. Already a member: 409. Audit: member.added.",
  access: "user",
  requestBody: { schema: InvitationTokenBodySchema, required: true },
  responses: { 200: { description: "Joined", schema: InvitationAcceptedSchema } },
});

/** Invitations by link: admins create, list and revoke; invitees preview and accept. */
export const invitationRoutes = new Hono<AppEnv>()
  .post(
    "/preview",
    before((c) => enforceRateLimit(c.env.PUBLIC_RATE_LIMITER, `invite-preview:${clientIp(c)}`, false)),
    preview,
    async (c) => {
      const body = c.req.valid("json");
      const found = await findPendingInvitation(openDb(c.env.DB), await sha256Hex(body.token), nowIso());
      if (!found) throw new ApiError(404, "not_found", LINK_GONE);
      c.header("Cache-Control", "no-store");
      return c.json({ orgName: found.orgName, role: found.role, expiresAt: found.expiresAt });
    },
  )
  .post("/accept", requireUser(), acceptance, async (c) => {
    const user = await userOf(c);
    const body = c.req.valid("json");
    const db = openDb(c.env.DB);
    const now = nowIso();
    const found = await findPendingInvitation(db, await sha256Hex(body.token), now);
    if (!found) throw new ApiError(404, "not_found", LINK_GONE);
    const memberId = randomId("mbr");
    const audit = auditStatement(
      db,
      {
        orgId: found.orgId,
        actor: { kind: "session", id: user.id },
        action: "member.added",
        target: { kind: "member", id: memberId },
        detail: { userId: user.id, role: found.role, via: "invitation", invitationId: found.id },
      },
      now,
    );
    const outcome = await acceptInvitation(db, found, { id: memberId, userId: user.id }, now, [audit]);
    if (outcome.kind === "gone") throw new ApiError(404, "not_found", LINK_GONE);
    if (outcome.kind === "already_member") {
      throw new ApiError(409, "conflict", `You are already a member of ${found.orgName}; the link stays unused.`);
    }
    await setActiveOrg(db, user.sessionId, found.orgId);
    return c.json({ orgId: found.orgId, orgName: found.orgName, role: found.role });
  })
  .post("/", requireRole("admin"), creation, async (c) => {
    const body = c.req.valid("json");
    const principal = principalOf(c);
    const origin = appOrigin(c.env, c.req.url);
    return idempotent(c, body, async (db, complete) => {
      const token = generateSecret(INVITATION_TOKEN_PREFIX);
      const createdAt = nowIso();
      const row = {
        id: randomId("inv"),
        orgId: principal.orgId,
        role: body.role,
        tokenHash: await sha256Hex(token),
        note: body.note ?? null,
        createdById: principal.id,
        createdAt,
        expiresAt: new Date(
          Date.parse(createdAt) + (body.expiresInDays ?? DEFAULT_INVITATION_DAYS) * 86_400_000,
        ).toISOString(),
      };
      const audit = auditStatement(
        db,
        {
          orgId: principal.orgId,
          actor: actorOf(principal),
          action: "invitation.created",
          target: { kind: "invitation", id: row.id },
          detail: { role: row.role, expiresAt: row.expiresAt },
        },
        createdAt,
      );
      const headers = { "Cache-Control": "no-store" };
      // The fragment (#) keeps the token out of server logs and Referer headers; the stored
      // replay has url: null, so no token ever reaches the database.
      const url = `${origin}/invite#${token}`;
      await createInvitation(db, row, [
        audit,
        ...complete({ status: 201, body: { ...newInvitationDto(row), url: null }, headers }),
      ]);
      return { status: 201 as const, body: { ...newInvitationDto(row), url }, headers };
    });
  })
  .get("/", requireRole("admin"), listing, async (c) => {
    const { limit, cursor } = pageOf(c.req.valid("query"));
    const rows = await listInvitations(openDb(c.env.DB), principalOf(c).orgId, limit, cursor, nowIso());
    return c.json(toPage(rows, limit, (row) => ({ after: row.createdAt, id: row.id })));
  })
  .get("/:id", requireRole("admin"), async (c) => {
    const invitation = await getInvitation(openDb(c.env.DB), principalOf(c).orgId, c.req.param("id"), nowIso());
    if (!invitation) throw new ApiError(404, "not_found", INVITATION_NOT_FOUND);
    return c.json(invitation);
  })
  .delete("/:id", requireRole("admin"), async (c) => {
    const principal = principalOf(c);
    const db = openDb(c.env.DB);
    const id = c.req.param("id");
    const audit = auditStatement(db, {
      orgId: principal.orgId,
      actor: actorOf(principal),
      action: "invitation.revoked",
      target: { kind: "invitation", id },
    });
    const invitation = await revokeInvitation(db, principal.orgId, id, nowIso(), audit);
    if (!invitation) throw new ApiError(404, "not_found", INVITATION_NOT_FOUND);
    return c.json(invitation);
  });
