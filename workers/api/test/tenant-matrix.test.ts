import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { ROUTE_SPECS, type RouteSpec } from "../src/openapi-registry.ts";
import { createJob } from "../src/services/jobs.ts";
import { smallScenario } from "./fixtures.ts";
import { TENANT_TABLES, concretePath, validBody, type OrgATargets } from "./route-inventory.ts";
import { api, createKey, createOrg, expectError, send, type TestOrg } from "./helpers.ts";

interface World {
  a: TestOrg;
  b: TestOrg;
  revokedKey: string;
  memberKeyId: string;
  scenarioId: string;
  planId: string;
  linkId: string;
  quoteId: string;
  jobId: string;
}

let world: World;

/** Org A's objects as the shared inventory's targets (test/route-inventory.ts). */
function targets(): OrgATargets {
  return {
    orgId: world.a.orgId,
    scenarioId: world.scenarioId,
    planId: world.planId,
    linkId: world.linkId,
    keyId: world.memberKeyId,
    quoteId: world.quoteId,
    jobId: world.jobId,
  };
}

function request(spec: RouteSpec, key: string | null): Promise<Response> {
  const body = validBody(spec, targets());
  const headers: Record<string, string> = {};
  if (key) headers.Authorization = `Bearer ${key}`;
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
      (await env.DB.prepare(`SELECT * FROM "${table}" WHERE org_id = ? ORDER BY rowid`).bind(world.a.orgId).all())
        .results,
    );
  }
  return JSON.stringify(parts);
}

/**
 * Routes this matrix drives with API keys. Members, invitations and the audit log need web
 * sessions to set up: accounts-matrix.test.ts covers them, and every route again with sessions,
 * viewers and editors.
 */
const ACCOUNTS_PREFIXES = ["/members", "/invitations", "/audit"];
/** Proposals need an issued proposal and a share link to set up: proposals-sharing.test.ts runs this matrix over every /proposals route. */
const OWN_MATRIX_PREFIXES = ["/proposals"];
const tenantRoutes = ROUTE_SPECS.filter(
  (spec) =>
    (spec.access === "viewer" || spec.access === "editor" || spec.access === "admin") &&
    !ACCOUNTS_PREFIXES.some((prefix) => spec.path.startsWith(prefix)) &&
    !OWN_MATRIX_PREFIXES.some((prefix) => spec.path.startsWith(prefix)),
);

describe("tenant matrix: every key-protected route × {no key, revoked key, other org's key}", () => {
  beforeAll(async () => {
    const a = await createOrg("A");
    const b = await createOrg("B");
    const member = await createKey(a.adminKey, "member");
    const doomed = await createKey(a.adminKey, "admin");
    await api(`/keys/${doomed.id}`, { method: "DELETE", headers: { Authorization: `Bearer ${a.adminKey}` } });
    const scenario = (await (
      await send("POST", "/scenarios", { scenario: smallScenario("A's") }, a.adminKey)
    ).json()) as { id: string };
    const plan = (await (await send("POST", `/scenarios/${scenario.id}/plans`, {}, a.adminKey)).json()) as {
      id: string;
    };
    const link = (await (
      await send("POST", `/plans/${plan.id}/links`, { format: "summary.csv" }, a.adminKey)
    ).json()) as { id: string };
    const quote = (await (
      await send(
        "POST",
        "/quotes",
        { targetKind: "sku", targetId: "dell-poweredge-xe9680", unitPriceUsd: 250000, validUntil: "2099-12-31" },
        a.adminKey,
      )
    ).json()) as { id: string };
    // A job of A's, written directly (never queued, so it stays as it is during the matrix).
    const job = await createJob(env.DB, {
      orgId: a.orgId,
      kind: "risk",
      createdBy: a.adminKeyId,
      input: { request: {}, quotes: [] },
      progressTotal: 1,
    });
    world = {
      jobId: job!.id,
      a,
      b,
      revokedKey: doomed.key,
      memberKeyId: member.id,
      scenarioId: scenario.id,
      planId: plan.id,
      linkId: link.id,
      quoteId: quote.id,
    };
  });

  it("covers every key-protected route", () => {
    expect(tenantRoutes.length).toBeGreaterThanOrEqual(20);
  });

  for (const spec of tenantRoutes) {
    const name = `${spec.method.toUpperCase()} ${spec.path}`;

    it(`${name}: no key → 401, revoked key → 401, nothing changes`, async () => {
      const before = await orgAFingerprint();
      await expectError(await request(spec, null), 401, "unauthenticated");
      await expectError(await request(spec, world.revokedKey), 401, "unauthenticated");
      expect(await orgAFingerprint()).toBe(before);
    });

    it(`${name}: another organisation's key never sees or changes org A's objects`, async () => {
      const before = await orgAFingerprint();
      const response = await request(spec, world.b.adminKey);
      if (spec.path.includes("{")) {
        await expectError(response, 404, "not_found");
      } else {
        // Collection routes answer for B's own organisation: nothing of A's may appear.
        expect(response.status).toBeLessThan(300);
        const text = await response.text();
        for (const id of [
          world.a.orgId,
          world.scenarioId,
          world.planId,
          world.linkId,
          world.memberKeyId,
          world.quoteId,
          world.jobId,
        ])
          expect(text).not.toContain(id);
      }
      expect(await orgAFingerprint()).toBe(before);
    });
  }

  it("A's own key still works on A's objects (the matrix is not vacuous)", async () => {
    for (const spec of tenantRoutes.filter((item) => item.method === "get")) {
      const response = await request(spec, world.a.adminKey);
      expect(response.status, `${spec.method} ${spec.path}`).toBe(200);
      await response.arrayBuffer();
    }
  });
});
