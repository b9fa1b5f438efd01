import { env } from "cloudflare:test";
import { Hono } from "hono";
import { beforeAll, describe, expect, it } from "vitest";
import { enforceDeclaredAccess } from "../src/auth.ts";
import { type ApiError, errorResponse } from "../src/errors.ts";
import { ROUTE_SPECS, type RouteSpec } from "../src/openapi-registry.ts";
import { createJob } from "../src/services/jobs.ts";
import { requestId } from "../src/request-id.ts";
import { addMember, asUser, createOrgAs, freshIp, inviteToken, signUp, type TestUser } from "./accounts-helpers.ts";
import { smallScenario } from "./fixtures.ts";
import { TENANT_TABLES, concretePath, validBody, type OrgATargets } from "./route-inventory.ts";
import { ORIGIN, api, expectError } from "./helpers.ts";

/**
 * S1, tenant isolation, over every organisation route: each is called by anonymous callers, a
 * revoked key, another organisation's key and session, weaker roles (viewer session and key on
 * editor routes, editors on admin routes) and a signed-in person without an organisation, always
 * with organisation A's ids. Expected: 401 without credentials, 404 for another organisation's
 * objects, 403 for a weak role, and org A's rows unchanged. The routes, their bodies and their
 * org-A targets come from the one inventory (test/route-inventory.ts), which
 * route-inventory.test.ts checks against the OpenAPI document and the served routes.
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

/** Org A's objects as the shared inventory's targets (test/route-inventory.ts). */
function targets(): OrgATargets {
  return {
    orgId: world.orgA,
    scenarioId: world.scenarioId,
    planId: world.planId,
    linkId: world.linkId,
    keyId: world.keyIdA,
    quoteId: world.quoteIdA,
    jobId: world.jobIdA,
    memberId: world.memberIdA,
    invitationId: world.invitationIdA,
    proposalId: world.proposalIdA,
    shareLinkId: world.shareLinkIdA,
  };
}

function call(spec: RouteSpec, caller: Caller): Promise<Response> {
  const body = validBody(spec, targets());
  const headers: Record<string, string> = { "CF-Connecting-IP": freshIp() };
  if (caller.kind === "key") headers.Authorization = `Bearer ${caller.key}`;
  if (caller.kind === "session") {
    headers.Cookie = caller.user.cookie;
    headers.Origin = ORIGIN;
  }
  if (spec.ifMatch === "required") headers["If-Match"] = '"1"';
  if (body !== undefined) headers["Content-Type"] = "application/json";
  return api(concretePath(spec, targets()), {
    method: spec.method.toUpperCase(),
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

/** Org A's rows in every tenant table: must not change when others poke at them. */
async function orgAFingerprint(): Promise<string> {
  const parts: unknown[] = [];
  for (const table of TENANT_TABLES) {
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

describe("deny by default (the inventory itself: route-inventory.test.ts)", () => {
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
      const body = validBody(userRoutes.find((spec) => spec.path === path) as RouteSpec, targets());
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
