import { Hono } from "hono";
import { mintApiKey } from "../services/secrets.ts";
import type { AppEnv } from "../app.ts";
import { assertSameOrigin, principalOf, requireRole, sessionUser } from "../auth.ts";
import { ApiError } from "../errors.ts";
import { documented } from "../openapi-registry.ts";
import { clientIp, enforceRateLimit } from "../rate-limit.ts";
import { randomId } from "../request-id.ts";
import { CreateOrgBodySchema, CreatedOrgSchema, OrgSchema, PageSchema } from "../schemas.ts";
import { auditStatement } from "../services/audit.ts";
import { nowIso, openDb } from "../services/db.ts";
import { createOrganisationWithKey, getOrganisation } from "../services/keys.ts";
import { assertOrgRoom, insertMembershipStatement } from "../services/memberships.ts";
import { tooManyOrgs } from "./me.ts";
import { before } from "./before.ts";

const creation = documented({
  method: "post",
  path: "/orgs",
  tag: "Organisations",
  summary: "Create an organisation and its first admin API key",
  description:
    "Open sign-up when the server's ORG_SIGNUP is \"open\" (403 when closed); rate-limited per IP, and at most 5 organisations per IP a minute. A signed-in caller (session cookie) also becomes the organisation's first admin member (at most 20 organisations administered per person: 409 `conflict` beyond), and the key records them as its creator. The key is in the response once and never again: only its SHA-256 is stored.",
  access: "public",
  publicRateLimited: true,
  requestBody: { schema: CreateOrgBodySchema, required: true },
  responses: { 201: { description: "The organisation and its admin key (shown once)", schema: CreatedOrgSchema } },
});
documented({
  method: "get",
  path: "/orgs",
  tag: "Organisations",
  summary: "The caller's organisation: a key's, or the one a web session works in (see GET /me for all of a person's)",
  access: "viewer",
  responses: { 200: { description: "A page with the caller's organisation", schema: PageSchema(OrgSchema) } },
});
documented({
  method: "get",
  path: "/orgs/{id}",
  tag: "Organisations",
  summary: "Get the caller's organisation (any other id is 404)",
  access: "viewer",
  responses: { 200: { description: "The organisation", schema: OrgSchema } },
});

/** Organisations: sign-up (public, rate-limited) and reads of the caller's own. */
export const orgRoutes = new Hono<AppEnv>()
  .post(
    "/",
    before(async (c) => {
      if ((c.env.ORG_SIGNUP ?? "open") !== "open") {
        throw new ApiError(
          403,
          "forbidden",
          "Organisation sign-up is closed on this server. Ask an operator for a key.",
        );
      }
      await enforceRateLimit(c.env.PUBLIC_RATE_LIMITER, `signup:${clientIp(c)}`, false);
    }),
    creation,
    async (c) => {
      const body = c.req.valid("json");
      // A signed-in caller becomes the organisation's first admin member (so people, not only
      // the bootstrap key, can manage it), within their organisation cap; an anonymous caller is
      // capped per IP (issue #19).
      const user = c.req.header("authorization") === undefined ? await sessionUser(c) : null;
      if (user) assertSameOrigin(c);
      if (!user) await enforceRateLimit(c.env.ORG_SIGNUP_RATE_LIMITER, `org-created:${clientIp(c)}`, false);
      const createdAt = nowIso();
      const organisation = { id: randomId("org"), name: body.name, createdAt };
      const minted = await mintApiKey();
      const key = {
        id: randomId("key"),
        orgId: organisation.id,
        name: body.keyName ?? "bootstrap",
        keyHash: minted.keyHash,
        start: minted.start,
        role: "admin" as const,
        createdAt,
        expiresAt: null,
        createdByUserId: user?.id ?? null,
      };
      const db = openDb(c.env.DB);
      const system = user ? { kind: "session" as const, id: user.id } : { kind: "system" as const, id: "api-sign-up" };
      const memberId = randomId("mbr");
      const admin = user
        ? {
            guard: assertOrgRoom(db, user.id),
            membership: insertMembershipStatement(db, {
              id: memberId,
              orgId: organisation.id,
              userId: user.id,
              role: "admin",
              createdAt,
            }),
          }
        : null;
      const memberAudit = user
        ? [
            auditStatement(
              db,
              {
                orgId: organisation.id,
                actor: system,
                action: "member.added",
                target: { kind: "member", id: memberId },
                detail: { userId: user.id, role: "admin", via: "created the organisation" },
              },
              createdAt,
            ),
          ]
        : [];
      const apiKey = await createOrganisationWithKey(
        db,
        organisation,
        key,
        [
          auditStatement(
            db,
            {
              orgId: organisation.id,
              actor: system,
              action: "org.created",
              target: { kind: "org", id: organisation.id },
              detail: { name: organisation.name },
            },
            createdAt,
          ),
          auditStatement(
            db,
            {
              orgId: organisation.id,
              actor: system,
              action: "key.created",
              target: { kind: "key", id: key.id },
              detail: { name: key.name, role: key.role, start: key.start },
            },
            createdAt,
          ),
          ...memberAudit,
        ],
        admin,
      );
      if (!apiKey) throw tooManyOrgs();
      c.header("Cache-Control", "no-store");
      return c.json({ organisation, apiKey: { ...apiKey, key: minted.plaintext } }, 201);
    },
  )
  .get("/", requireRole("viewer"), async (c) => {
    const organisation = await getOrganisation(openDb(c.env.DB), principalOf(c).orgId);
    return c.json({ data: organisation ? [organisation] : [], nextCursor: null });
  })
  .get("/:id", requireRole("viewer"), async (c) => {
    const principal = principalOf(c);
    const organisation =
      c.req.param("id") === principal.orgId ? await getOrganisation(openDb(c.env.DB), principal.orgId) : null;
    if (!organisation) throw new ApiError(404, "not_found", "No such organisation.");
    return c.json(organisation);
  });
