import { env } from "cloudflare:test";
import { Hono } from "hono";
import { beforeAll, describe, expect, it } from "vitest";
import { app } from "../src/app.ts";
import { enforceDeclaredAccess, specPathOf } from "../src/auth.ts";
import { type ApiError, errorResponse } from "../src/errors.ts";
import { ROUTE_SPECS, type RouteSpec } from "../src/openapi-registry.ts";
import { createJob } from "../src/services/jobs.ts";
import { requestId } from "../src/request-id.ts";
import { addMember, asUser, createOrgAs, freshIp, inviteToken, signUp, type TestUser } from "./accounts-helpers.ts";
import { smallScenario } from "./fixtures.ts";
import { ORIGIN, api, expectError } from "./helpers.ts";

/**
 * S1, tenant isolation, over every organisation route: each is called by anonymous callers, a
 * revoked key, another organisation's key and session, weaker roles (viewer session and key on
 * editor routes, editors on admin routes) and a signed-in person without an organisation, always
 * with organisation A's ids. Expected: 401 without credentials, 404 for another organisation's
 * objects, 403 for a weak role, and org A's rows unchanged. A route missing from this matrix,
 * or served without a declared access level, fails the inventory.
 */

const ROLE_RANK = { viewer: 0, editor: 1, admin: 2 } as const;
type RoleName = keyof typeof ROLE_RANK;

interface World {
  adminA: TestUser;
  editorA: TestUser;
  viewerA: TestUser;
  /** A second viewer in A: the target of member routes. */
  targetA: TestUser;
  orgA: string;
  adminKeyA: string;
  viewerKeyA: string;
  editorKeyA: string;
  revokedKeyA: string;
  keyIdA: string;
  memberIdA: string;
  invitationIdA: string;
  scenarioId: string;
  planId: string;
  linkId: string;
  /** An issued proposal of A's plan and a share link to it. */
  proposalIdA: string;
  shareLinkIdA: string;
  /** A quote of org A. */
  quoteIdA: string;
  /** A background job of org A (written directly, never queued, so it stays as it is). */
  jobIdA: string;
  adminB: TestUser;
  adminKeyB: string;
  orgB: string;
  noOrg: TestUser;
}

let world: World;

/** A caller: a web session (same-origin browser request) or an API key, or nobody. */
type Caller = { kind: "session"; user: TestUser } | { kind: "key"; key: string } | { kind: "anonymous" };

/** A valid body per write route, so that a refusal can only come from identity, role or tenancy. */
function validBody(spec: RouteSpec): unknown {
  switch (`${spec.method} ${spec.path}`) {
    case "post /scenarios":
      return { scenario: smallScenario("matrix") };
    case "patch /scenarios/{id}":
      return { name: "hijacked" };
    case "post /scenarios/{id}/plans":
      return {};
    case "post /plans/{id}/links":
      return { format: "monthly.csv" };
    case "post /keys":
      return { name: "intruder", role: "admin" };
    case "patch /members/{id}":
      return { role: "admin" };
    case "post /invitations":
      return { role: "admin" };
    case "post /me/orgs":
      return { name: "x" };
    case "post /me/active-org":
      return { orgId: world.orgA };
    case "post /invitations/accept":
      return { token: "aifp_inv_x" };
    case "post /proposals":
      return {
        planId: world.planId,
        title: "T",
        customerName: "C",
        preparedBy: "P",
        vendor: { name: "V", accentColor: "#123456" },
      };
    case "patch /proposals/{id}":
      return { customerName: "hijacked" };
    case "post /proposals/{id}/issue":
    case "post /proposals/{id}/share-links":
      return {};
    case "post /quotes":
      return { targetKind: "sku", targetId: "dell-poweredge-xe9680", unitPriceUsd: 1000, validUntil: "2099-12-31" };
    case "patch /quotes/{id}":
      return { unitPriceUsd: 1 };
    default:
      if (spec.method === "post" || spec.method === "patch")
        throw new Error(`No valid body for ${spec.method} ${spec.path}: extend the accounts matrix`);
      return undefined;
  }
}

function concretePath(spec: RouteSpec): string {
  return spec.path.replace(/\{(\w+)\}/g, (_match, name: string) => {
    const family = spec.path.split("/")[1];
    if (name === "linkId") return family === "proposals" ? world.shareLinkIdA : world.linkId;
    switch (family) {
      case "proposals":
        return name === "version" ? "1" : world.proposalIdA;
      case "scenarios":
        return world.scenarioId;
      case "plans":
        return world.planId;
      case "keys":
        return world.keyIdA;
      case "orgs":
        return world.orgA;
      case "members":
        return world.memberIdA;
      case "invitations":
        return world.invitationIdA;
      case "quotes":
        return world.quoteIdA;
      case "jobs":
        return world.jobIdA;
      default:
        throw new Error(`No org-A object for {${name}} in ${spec.path}: extend the accounts matrix`);
    }
  });
}

function call(spec: RouteSpec, caller: Caller): Promise<Response> {
  const body = validBody(spec);
  const headers: Record<string, string> = { "CF-Connecting-IP": freshIp() };
  if (caller.kind === "key") headers.Authorization = `Bearer ${caller.key}`;
  if (caller.kind === "session") {
    headers.Cookie = caller.user.cookie;
    headers.Origin = ORIGIN;
  }
  if (spec.ifMatch === "required") headers["If-Match"] = '"1"';
  if (body !== undefined) headers["Content-Type"] = "application/json";
  return api(concretePath(spec), {
    method: spec.method.toUpperCase(),
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

/** Org A's rows in every tenant table: must not change when others poke at them. */
async function orgAFingerprint(): Promise<string> {
  const parts: unknown[] = [];
  for (const table of [
    "api_keys",
    "scenarios",
    "plans",
    "export_links",
    "idempotency_keys",
    "memberships",
    "invitations",
    "audit_events",
    "proposals",
    "proposal_versions",
    "proposal_share_links",
    "org_quotes",
    "jobs",
  ]) {
    parts.push(
      (await env.DB.prepare(`SELECT * FROM "${table}" WHERE org_id = ? ORDER BY rowid`).bind(world.orgA).all()).results,
    );
  }
  return JSON.stringify(parts);
}

const isRoleAccess = (spec: RouteSpec): spec is RouteSpec & { access: RoleName } =>
  spec.access === "viewer" || spec.access === "editor" || spec.access === "admin";
const orgRoutes = ROUTE_SPECS.filter(isRoleAccess);
const userRoutes = ROUTE_SPECS.filter((spec) => spec.access === "user");

async function createKeyAs(user: TestUser, role: RoleName): Promise<{ id: string; key: string }> {
  const response = await asUser(user, "POST", "/keys", { name: `${role} key`, role });
  const text = await response.text();
  expect(response.status, text).toBe(201);
  return JSON.parse(text) as { id: string; key: string };
}

describe("route inventory (deny by default)", () => {
  it("every route the app serves declares its access, and every declared route is served", () => {
    const declared = new Set(ROUTE_SPECS.map((spec) => `${spec.method.toUpperCase()} ${spec.path}`));
    const served = app.routes
      .filter((route) => route.method !== "ALL" && route.path !== "/api/docs")
      .map((route) => `${route.method} ${specPathOf(route.path)}`);
    expect(served.length).toBeGreaterThan(30);
    for (const route of served) expect(declared, `${route} declares no access`).toContain(route);
    const servedSet = new Set(served);
    for (const route of declared) expect(servedSet, `${route} is declared but not served`).toContain(route);
  });

  it("every organisation route has an org-A target and a valid body in this matrix", () => {
    // concretePath/validBody throw for a route the matrix does not know: add it there.
    world = {
      ...(world ?? {}),
      scenarioId: "s",
      planId: "p",
      linkId: "l",
      keyIdA: "k",
      orgA: "o",
      memberIdA: "m",
      invitationIdA: "i",
      quoteIdA: "q",
      jobIdA: "j",
    } as World;
    for (const spec of [...orgRoutes, ...userRoutes]) {
      expect(() => concretePath(spec), `${spec.method} ${spec.path}`).not.toThrow();
      expect(() => validBody(spec), `${spec.method} ${spec.path}`).not.toThrow();
    }
  });

  it("a served route that declares nothing is refused at run time", async () => {
    const probe = new Hono();
    probe.use("*", requestId);
    probe.use("*", enforceDeclaredAccess as never);
    probe.get("/api/v1/not-declared-anywhere", (c) => c.text("open"));
    probe.get("/api/v1/health", (c) => c.text("declared public"));
    probe.onError((error, c) => errorResponse(c, error as ApiError));
    await expectError(
      await probe.request("http://planner.test/api/v1/not-declared-anywhere", {}, env),
      403,
      "forbidden",
    );
    expect((await probe.request("http://planner.test/api/v1/health", {}, env)).status).toBe(200);
  });
});

describe("tenant and role matrix: every organisation route × every kind of caller", () => {
  beforeAll(async () => {
    const adminA = await signUp("adminA");
    const orgA = await createOrgAs(adminA, "Org A");
    const editorA = await addMember(adminA, "editor", "editorA");
    const viewerA = await addMember(adminA, "viewer", "viewerA");
    const targetA = await addMember(adminA, "viewer", "targetA");
    const adminKeyA = await createKeyAs(adminA, "admin");
    const viewerKeyA = await createKeyAs(adminA, "viewer");
    const editorKeyA = await createKeyAs(adminA, "editor");
    const doomed = await createKeyAs(adminA, "admin");
    expect((await asUser(adminA, "DELETE", `/keys/${doomed.id}`)).status).toBe(200);
    const members = (await (await asUser(adminA, "GET", "/members")).json()) as {
      data: { id: string; userId: string }[];
    };
    const memberIdA = members.data.find((member) => member.userId === targetA.userId)?.id as string;
    const invitation = await inviteToken(adminA, "editor");
    const scenario = (await (
      await asUser(editorA, "POST", "/scenarios", { scenario: smallScenario("A's") })
    ).json()) as { id: string };
    const plan = (await (await asUser(editorA, "POST", `/scenarios/${scenario.id}/plans`, {})).json()) as {
      id: string;
    };
    const link = (await (
      await asUser(editorA, "POST", `/plans/${plan.id}/links`, { format: "summary.csv" })
    ).json()) as { id: string };
    const proposal = (await (
      await asUser(editorA, "POST", "/proposals", {
        planId: plan.id,
        title: "T",
        customerName: "C",
        preparedBy: "P",
        vendor: { name: "V", accentColor: "#123456" },
      })
    ).json()) as { id: string };
    expect((await asUser(editorA, "POST", `/proposals/${proposal.id}/issue`, {})).status).toBe(200);
    const shareLink = (await (await asUser(editorA, "POST", `/proposals/${proposal.id}/share-links`, {})).json()) as {
      id: string;
    };
    const quote = (await (
      await asUser(adminA, "POST", "/quotes", {
        targetKind: "sku",
        targetId: "dell-poweredge-xe9680",
        unitPriceUsd: 250000,
        validUntil: "2099-12-31",
      })
    ).json()) as { id: string };
    const job = await createJob(env.DB, {
      orgId: orgA,
      kind: "risk",
      createdBy: adminA.userId,
      input: { request: {}, quotes: [] },
      progressTotal: 1,
    });
    const adminB = await signUp("adminB");
    const orgB = await createOrgAs(adminB, "Org B");
    const adminKeyB = await createKeyAs(adminB, "admin");
    const noOrg = await signUp("noOrg");
    world = {
      adminA,
      editorA,
      viewerA,
      targetA,
      orgA,
      adminKeyA: adminKeyA.key,
      viewerKeyA: viewerKeyA.key,
      editorKeyA: editorKeyA.key,
      revokedKeyA: doomed.key,
      keyIdA: viewerKeyA.id,
      memberIdA,
      invitationIdA: invitation.id,
      scenarioId: scenario.id,
      planId: plan.id,
      linkId: link.id,
      proposalIdA: proposal.id,
      shareLinkIdA: shareLink.id,
      quoteIdA: quote.id,
      jobIdA: job!.id,
      adminB,
      adminKeyB: adminKeyB.key,
      orgB,
      noOrg,
    };
    for (const id of [memberIdA, scenario.id, plan.id, link.id, proposal.id, shareLink.id, quote.id])
      expect(id).toMatch(/^[a-z]{3}_/);
  });

  it("covers every organisation route and every person-only route", () => {
    expect(orgRoutes.length).toBeGreaterThanOrEqual(29);
    expect(userRoutes.map((spec) => spec.path).sort()).toEqual(["/invitations/accept", "/me/active-org", "/me/orgs"]);
  });

  for (const spec of orgRoutes) {
    const name = `${spec.method.toUpperCase()} ${spec.path} (${spec.access})`;

    it(`${name}: anonymous and revoked key → 401; no organisation → 403; nothing changes`, async () => {
      const before = await orgAFingerprint();
      await expectError(await call(spec, { kind: "anonymous" }), 401, "unauthenticated");
      await expectError(await call(spec, { kind: "key", key: world.revokedKeyA }), 401, "unauthenticated");
      await expectError(await call(spec, { kind: "session", user: world.noOrg }), 403, "forbidden");
      expect(await orgAFingerprint()).toBe(before);
    });

    it(`${name}: another organisation's key and session never see or change org A's objects`, async () => {
      const before = await orgAFingerprint();
      const ids = [
        world.orgA,
        world.scenarioId,
        world.planId,
        world.linkId,
        world.keyIdA,
        world.memberIdA,
        world.invitationIdA,
        world.proposalIdA,
        world.quoteIdA,
        world.jobIdA,
      ];
      for (const caller of [
        { kind: "key", key: world.adminKeyB },
        { kind: "session", user: world.adminB },
      ] as Caller[]) {
        const response = await call(spec, caller);
        if (spec.path.includes("{") || `${spec.method} ${spec.path}` === "post /proposals") {
          // (POST /proposals names A's plan in its body: another organisation gets 404 too.)
          await expectError(response, 404, "not_found");
        } else {
          // Collection routes answer for B's own organisation: nothing of A's may appear.
          const text = await response.text();
          expect(response.status, text).toBeLessThan(300);
          for (const id of ids) expect(text).not.toContain(id);
        }
      }
      expect(await orgAFingerprint()).toBe(before);
    });

    const weaker = (
      [
        { label: "viewer session", caller: () => ({ kind: "session", user: world.viewerA }), role: "viewer" },
        { label: "viewer key", caller: () => ({ kind: "key", key: world.viewerKeyA }), role: "viewer" },
        { label: "editor session", caller: () => ({ kind: "session", user: world.editorA }), role: "editor" },
        { label: "editor key", caller: () => ({ kind: "key", key: world.editorKeyA }), role: "editor" },
      ] satisfies { label: string; caller: () => Caller; role: RoleName }[]
    ).filter((item) => ROLE_RANK[item.role] < ROLE_RANK[spec.access]);
    if (weaker.length > 0) {
      it(`${name}: ${weaker.map((item) => item.label).join(", ")} → 403, nothing changes`, async () => {
        const before = await orgAFingerprint();
        for (const item of weaker) await expectError(await call(spec, item.caller()), 403, "forbidden");
        expect(await orgAFingerprint()).toBe(before);
      });
    }
  }

  it("reads work for exactly the declared role, by session and by key (the matrix is not vacuous)", async () => {
    const byRole: Record<RoleName, Caller[]> = {
      viewer: [
        { kind: "session", user: world.viewerA },
        { kind: "key", key: world.viewerKeyA },
      ],
      editor: [
        { kind: "session", user: world.editorA },
        { kind: "key", key: world.editorKeyA },
      ],
      admin: [
        { kind: "session", user: world.adminA },
        { kind: "key", key: world.adminKeyA },
      ],
    };
    for (const spec of orgRoutes.filter((item) => item.method === "get")) {
      for (const caller of byRole[spec.access]) {
        const response = await call(spec, caller);
        expect(response.status, `${spec.method} ${spec.path} as ${caller.kind}`).toBe(200);
        await response.arrayBuffer();
      }
    }
  });

  it("a viewer session reads the saved scenario and plan but cannot change, plan or delete them", async () => {
    const before = await orgAFingerprint();
    expect((await asUser(world.viewerA, "GET", `/scenarios/${world.scenarioId}`)).status).toBe(200);
    expect((await asUser(world.viewerA, "GET", `/plans/${world.planId}`)).status).toBe(200);
    await expectError(
      await asUser(world.viewerA, "PATCH", `/scenarios/${world.scenarioId}`, { name: "mine" }, { "If-Match": '"1"' }),
      403,
      "forbidden",
    );
    await expectError(
      await asUser(world.viewerA, "POST", `/scenarios/${world.scenarioId}/plans`, {}),
      403,
      "forbidden",
    );
    await expectError(await asUser(world.viewerA, "DELETE", `/scenarios/${world.scenarioId}`), 403, "forbidden");
    expect(await orgAFingerprint()).toBe(before);
  });

  for (const path of ["/me/orgs", "/me/active-org", "/invitations/accept"]) {
    it(`POST ${path} (person-only): anonymous → 401, any API key → 403, cross-site → 403`, async () => {
      const before = await orgAFingerprint();
      const body = validBody(userRoutes.find((spec) => spec.path === path) as RouteSpec);
      await expectError(
        await api(path, {
          method: "POST",
          headers: { "Content-Type": "application/json", Origin: ORIGIN },
          body: JSON.stringify(body),
        }),
        401,
        "unauthenticated",
      );
      for (const key of [world.adminKeyA, world.adminKeyB]) {
        await expectError(
          await api(path, {
            method: "POST",
            headers: { "Content-Type": "application/json", Authorization: `Bearer ${key}` },
            body: JSON.stringify(body),
          }),
          403,
          "forbidden",
        );
      }
      await expectError(
        await asUser(world.adminB, "POST", path, body, { Origin: "https://evil.example" }),
        403,
        "forbidden",
      );
      expect(await orgAFingerprint()).toBe(before);
    });
  }

  it("switching a session to another organisation's id is 404 and changes nothing", async () => {
    await expectError(await asUser(world.adminB, "POST", "/me/active-org", { orgId: world.orgA }), 404, "not_found");
    const me = (await (await asUser(world.adminB, "GET", "/me")).json()) as { active: { orgId: string } };
    expect(me.active.orgId).toBe(world.orgB);
  });
});
