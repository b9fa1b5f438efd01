import { Hono } from "hono";
import type { AppEnv } from "../app.ts";
import { authenticate, callerPrincipal, requireUser, sessionUser, userOf } from "../auth.ts";
import { ApiError } from "../errors.ts";
import { documented } from "../openapi-registry.ts";
import { randomId } from "../request-id.ts";
import {
  ActiveOrgSchema,
  CreateMyOrgBodySchema,
  MeSchema,
  MyOrgCreatedSchema,
  SwitchOrgBodySchema,
} from "@aifp/contracts/api";
import { auditStatement } from "../services/audit.ts";
import { nowIso, openDb } from "../services/db.ts";
import { getOrganisation } from "../services/keys.ts";
import {
  MAX_ADMIN_ORGS_PER_USER,
  createOrganisationWithAdmin,
  membershipsOfUser,
  roleOfUser,
  setActiveOrg,
} from "../services/memberships.ts";

documented({
  method: "get",
  path: "/me",
  tag: "Accounts",
  summary: "Who am I: the signed-in person and their organisations, the API key's organisation, or anonymous",
  description:
    "Never returns a session token, key or hash. Anonymous callers get `kind: anonymous` (200), so the web app can ask without an error.",
  access: "public",
  responses: { 200: { description: "The caller", schema: MeSchema } },
});
const orgCreation = documented({
  method: "post",
  path: "/me/orgs",
  tag: "Accounts",
  summary: "Create an organisation; you become its admin and the session switches to it",
  description: "For people signed in to the web app. Audit: org.created, member.added.",
  access: "user",
  requestBody: { schema: CreateMyOrgBodySchema, required: true },
  responses: {
    201: { description: "The organisation", schema: MyOrgCreatedSchema },
  },
});
const orgSwitch = documented({
  method: "post",
  path: "/me/active-org",
  tag: "Accounts",
  summary: "Switch the session to another organisation you belong to (any other id is 404)",
  access: "user",
  requestBody: { schema: SwitchOrgBodySchema, required: true },
  responses: {
    200: { description: "The organisation now active", schema: ActiveOrgSchema },
  },
});

/** 409 for a person who already administers the most organisations one may. */
export function tooManyOrgs(): ApiError {
  return new ApiError(
    409,
    "conflict",
    `You already administer ${MAX_ADMIN_ORGS_PER_USER} organisations, the most one person may; leave or hand over one first.`,
  );
}

/** The signed-in person's own account: who am I, create an organisation, switch organisation. */
export const meRoutes = new Hono<AppEnv>()
  .get("/", async (c) => {
    c.header("Cache-Control", "no-store");
    const db = openDb(c.env.DB);
    if (c.req.header("authorization") !== undefined) {
      const key = await authenticate(c);
      const org = key ? await getOrganisation(db, key.orgId) : null;
      return c.json({
        kind: "key" as const,
        user: null,
        organisations: [],
        active: key && org ? { orgId: org.id, orgName: org.name, role: key.role } : null,
      });
    }
    const user = await sessionUser(c);
    if (!user) return c.json({ kind: "anonymous" as const, user: null, organisations: [], active: null });
    const organisations = await membershipsOfUser(db, user.id);
    const principal = await callerPrincipal(c);
    const activeOrg = principal ? organisations.find((item) => item.orgId === principal.orgId) : undefined;
    return c.json({
      kind: "session" as const,
      user: { id: user.id, name: user.name, email: user.email },
      organisations,
      active:
        principal && activeOrg ? { orgId: activeOrg.orgId, orgName: activeOrg.orgName, role: principal.role } : null,
    });
  })
  .post("/orgs", requireUser(), orgCreation, async (c) => {
    const user = await userOf(c);
    const body = c.req.valid("json");
    const db = openDb(c.env.DB);
    const createdAt = nowIso();
    const organisation = { id: randomId("org"), name: body.name, createdAt };
    const memberId = randomId("mbr");
    const actor = { kind: "session" as const, id: user.id };
    const created = await createOrganisationWithAdmin(db, organisation, { id: memberId, userId: user.id }, [
      auditStatement(
        db,
        {
          orgId: organisation.id,
          actor,
          action: "org.created",
          target: { kind: "org", id: organisation.id },
          detail: { name: body.name },
        },
        createdAt,
      ),
      auditStatement(
        db,
        {
          orgId: organisation.id,
          actor,
          action: "member.added",
          target: { kind: "member", id: memberId },
          detail: { userId: user.id, role: "admin", via: "created the organisation" },
        },
        createdAt,
      ),
    ]);
    if (!created) throw tooManyOrgs();
    await setActiveOrg(db, user.sessionId, organisation.id);
    return c.json({ organisation, role: "admin" as const }, 201);
  })
  .post("/active-org", requireUser(), orgSwitch, async (c) => {
    const user = await userOf(c);
    const body = c.req.valid("json");
    const db = openDb(c.env.DB);
    const role = await roleOfUser(db, body.orgId, user.id);
    if (role === null) throw new ApiError(404, "not_found", "No such organisation.");
    await setActiveOrg(db, user.sessionId, body.orgId);
    return c.json({ orgId: body.orgId, role });
  });
