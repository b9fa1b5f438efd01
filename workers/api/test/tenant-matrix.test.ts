import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { app } from "../src/app.ts";
import { ROUTE_SPECS, type RouteSpec } from "../src/openapi-registry.ts";
import { createJob } from "../src/services/jobs.ts";
import { smallScenario } from "./fixtures.ts";
import { api, createKey, createOrg, expectError, send, type TestOrg } from "./helpers.ts";

/** Routes other helpers own and document themselves (public catalog reads). */
const FOREIGN_PUBLIC_PREFIXES = ["/catalog", "/price-books"];

function toSpecPath(honoPath: string): string {
  return honoPath.replace(/^\/api\/v1/, "").replace(/:(\w+)/g, "{$1}") || "/";
}

describe("route inventory", () => {
  it("every route the app serves declares its access in the registry (deny by default)", () => {
    const declared = new Set(ROUTE_SPECS.map((spec) => `${spec.method.toUpperCase()} ${spec.path}`));
    const served = app.routes
      .filter((route) => route.method !== "ALL")
      .map((route) => ({ method: route.method, path: route.path }))
      .filter((route) => route.path !== "/api/docs");
    expect(served.length).toBeGreaterThan(20);
    for (const route of served) {
      const path = toSpecPath(route.path);
      if (FOREIGN_PUBLIC_PREFIXES.some((prefix) => path.startsWith(prefix))) continue;
      expect(declared, `${route.method} ${path} has no RouteSpec`).toContain(`${route.method} ${path}`);
    }
    // …and every declared route is really served.
    const servedSet = new Set(served.map((route) => `${route.method} ${toSpecPath(route.path)}`));
    for (const spec of ROUTE_SPECS)
      expect(servedSet, `${spec.method} ${spec.path}`).toContain(`${spec.method.toUpperCase()} ${spec.path}`);
  });
});

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

/** A valid body per write route, so that a 404 can only come from tenancy, not validation. */
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
      return { name: "intruder" };
    case "post /quotes":
      return { targetKind: "sku", targetId: "dell-poweredge-xe9680", unitPriceUsd: 1000, validUntil: "2099-12-31" };
    case "patch /quotes/{id}":
      return { unitPriceUsd: 1 };
    default:
      return undefined;
  }
}

function concretePath(spec: RouteSpec): string {
  return spec.path.replace(/\{(\w+)\}/g, (_match, name: string) => {
    if (name === "linkId") return world.linkId;
    if (spec.path.startsWith("/scenarios/")) return world.scenarioId;
    if (spec.path.startsWith("/plans/")) return world.planId;
    if (spec.path.startsWith("/keys/")) return world.memberKeyId;
    if (spec.path.startsWith("/orgs/")) return world.a.orgId;
    if (spec.path.startsWith("/quotes/")) return world.quoteId;
    if (spec.path.startsWith("/jobs/")) return world.jobId;
    throw new Error(`No org-A object for ${name} in ${spec.path}: extend the tenant matrix`);
  });
}

function request(spec: RouteSpec, key: string | null): Promise<Response> {
  const body = validBody(spec);
  const headers: Record<string, string> = {};
  if (key) headers.Authorization = `Bearer ${key}`;
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
  for (const table of ["api_keys", "scenarios", "plans", "export_links", "idempotency_keys", "org_quotes", "jobs"]) {
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
/** Proposals need an issued proposal and a share link to set up: proposals.test.ts runs this matrix over every /proposals route. */
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
