import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { ROUTE_SPECS, type RouteSpec } from "../src/openapi-registry.ts";
import { api, expectError, get, send } from "./helpers.ts";
import {
  proposalFields,
  createProposal,
  issue,
  bytesOf,
  org,
  other,
  planId,
  setUpProposalOrgs,
} from "./proposals-setup.ts";

/**
 * Proposals: the PDF, share links (create, open without an account, revoke, expire) and a tenant
 * matrix over every /proposals route (setup: proposals-setup.ts).
 */

setUpProposalOrgs();

describe("proposals: PDF", () => {
  it("serves a real PDF, identical bytes on every request, A4 and US Letter", async () => {
    const proposal = await createProposal(org, planId);
    await issue(org, proposal.id);
    const first = await get(`/proposals/${proposal.id}.pdf`, org.adminKey);
    expect(first.status).toBe(200);
    expect(first.headers.get("content-type")).toBe("application/pdf");
    expect(first.headers.get("content-disposition")).toContain(`proposal-${proposal.id}-v1-a4.pdf`);
    const a = await bytesOf(first);
    const b = await bytesOf(await get(`/proposals/${proposal.id}.pdf?version=1`, org.adminKey));
    expect(new TextDecoder().decode(a.slice(0, 5))).toBe("%PDF-");
    expect(a.byteLength).toBeGreaterThan(10_000);
    expect(b).toEqual(a);
    const text = new TextDecoder("latin1").decode(a);
    expect(text).toMatch(/\/MediaBox \[\s*0 0 595\.28 841\.89\s*\]/);
    const letter = new TextDecoder("latin1").decode(
      await bytesOf(await get(`/proposals/${proposal.id}.pdf?paper=Letter`, org.adminKey)),
    );
    expect(letter).toMatch(/\/MediaBox \[\s*0 0 612 792\s*\]/);
    await expectError(await get(`/proposals/${proposal.id}.pdf?paper=A5`, org.adminKey), 400);
    await expectError(await get(`/proposals/${proposal.id}.pdf?version=7`, org.adminKey), 404);
    expect(first.headers.get("x-proposal-missing-characters")).toBeNull();
  });

  it("embeds the Unicode font in workerd; characters it lacks are named in a header", async () => {
    const european = await createProposal(org, planId, "Zakłady Łódź · Ελληνική · ООО Ромашка");
    const pdf = await get(`/proposals/${european.id}.pdf`, org.adminKey);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get("x-proposal-missing-characters")).toBeNull();
    const bytes = await bytesOf(pdf);
    expect(await bytesOf(await get(`/proposals/${european.id}.pdf`, org.adminKey))).toEqual(bytes);

    const cjk = await createProposal(org, planId, "株式会社 Contoso");
    const withGaps = await get(`/proposals/${cjk.id}.pdf`, org.adminKey);
    expect(withGaps.status).toBe(200);
    expect(withGaps.headers.get("x-proposal-missing-characters")).toBe("U+4F1A U+5F0F U+682A U+793E");
    expect(new TextDecoder().decode((await bytesOf(withGaps)).slice(0, 5))).toBe("%PDF-");
  });
});

describe("proposals: share links", () => {
  it("only issued versions can be shared", async () => {
    const proposal = await createProposal(org, planId);
    await expectError(await send("POST", `/proposals/${proposal.id}/share-links`, {}, org.adminKey), 409, "conflict");
  });

  it("opens without an account, shows only the proposal, stores the token hashed, and stops when revoked", async () => {
    const proposal = await createProposal(org, planId, "Fabrikam");
    const issued = await issue(org, proposal.id);
    const created = await send(
      "POST",
      `/proposals/${proposal.id}/share-links`,
      { expiresInSeconds: 3600 },
      org.adminKey,
    );
    expect(created.status).toBe(201);
    const link = (await created.json()) as {
      id: string;
      url: string;
      pdfUrl: string;
      version: number;
      expiresAt: string;
    };
    expect(link.id).toMatch(/^shr_/);
    expect(link.version).toBe(1);
    const token = link.url.split("/share/")[1] as string;
    expect(token).toMatch(/^aifp_share_[1-9A-HJ-NP-Za-km-z]{40,}$/);
    expect(link.pdfUrl).toBe(`http://planner.test/api/v1/proposals/shared/${token}/proposal.pdf`);

    const dump = JSON.stringify((await env.DB.prepare("SELECT * FROM proposal_share_links").all()).results);
    expect(dump).not.toContain(token);
    const idem = JSON.stringify((await env.DB.prepare("SELECT * FROM idempotency_keys").all()).results);
    expect(idem).not.toContain(token);

    const shared = await api(`/proposals/shared/${token}`);
    expect(shared.status).toBe(200);
    expect(shared.headers.get("cache-control")).toBe("private, no-store");
    const body = (await shared.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(
      [
        "contentHash",
        "engineVersion",
        "expiresAt",
        "inputs",
        "issuedAt",
        "outputs",
        "priceBookVersion",
        "version",
      ].sort(),
    );
    expect(body.contentHash).toBe(issued.current.contentHash);
    expect(JSON.stringify(body)).not.toContain(org.orgId);

    const pdf = await api(`/proposals/shared/${token}/proposal.pdf`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
    const ownPdf = await bytesOf(await get(`/proposals/${proposal.id}.pdf`, org.adminKey));
    expect(await bytesOf(pdf)).toEqual(ownPdf);

    const links = (await (await get(`/proposals/${proposal.id}/share-links`, org.adminKey)).json()) as {
      data: { id: string }[];
    };
    expect(JSON.stringify(links)).not.toContain(token);
    expect(links.data.map((row) => row.id)).toContain(link.id);

    const revoked = await api(`/proposals/${proposal.id}/share-links/${link.id}`, {
      method: "DELETE",
      headers: { Authorization: `Bearer ${org.adminKey}` },
    });
    expect(revoked.status).toBe(200);
    expect(((await revoked.json()) as { revokedAt: string | null }).revokedAt).not.toBeNull();
    await expectError(await api(`/proposals/shared/${token}`), 404, "not_found");
    await expectError(await api(`/proposals/shared/${token}/proposal.pdf`), 404, "not_found");
  });

  it("an expired link is refused; an unknown or malformed token is 404", async () => {
    const proposal = await createProposal(org, planId);
    await issue(org, proposal.id);
    const link = (await (await send("POST", `/proposals/${proposal.id}/share-links`, {}, org.adminKey)).json()) as {
      id: string;
      url: string;
    };
    const token = link.url.split("/share/")[1] as string;
    expect((await api(`/proposals/shared/${token}`)).status).toBe(200);
    await env.DB.prepare("UPDATE proposal_share_links SET expires_at = ? WHERE id = ?")
      .bind(new Date(Date.now() - 1000).toISOString(), link.id)
      .run();
    await expectError(await api(`/proposals/shared/${token}`), 404, "not_found");
    await expectError(await api("/proposals/shared/aifp_share_unknown"), 404, "not_found");
    await expectError(await api("/proposals/shared/not-a-token"), 404, "not_found");
  });

  it("a link keeps showing the version it was made for after a new version is issued", async () => {
    const proposal = await createProposal(org, planId, "Tailspin");
    const v1 = await issue(org, proposal.id);
    const link = (await (await send("POST", `/proposals/${proposal.id}/share-links`, {}, org.adminKey)).json()) as {
      url: string;
    };
    await send("PATCH", `/proposals/${proposal.id}`, { customerName: "Tailspin Toys" }, org.adminKey, {
      "If-Match": '"2"',
    });
    await issue(org, proposal.id);
    const shared = (await (await api(`/proposals/shared/${link.url.split("/share/")[1]}`)).json()) as {
      version: number;
      contentHash: string;
    };
    expect(shared).toMatchObject({ version: 1, contentHash: v1.current.contentHash });
  });
});

describe("proposals: tenant matrix over every /proposals route", () => {
  let world: { proposalId: string; linkId: string };
  const routes = ROUTE_SPECS.filter((spec) => spec.path.startsWith("/proposals"));
  const keyRoutes = routes.filter((spec) => spec.access !== "link");

  function concrete(spec: RouteSpec): string {
    return spec.path
      .replace("{id}", world.proposalId)
      .replace("{version}", "1")
      .replace("{linkId}", world.linkId)
      .replace("{token}", "aifp_share_x");
  }

  function body(spec: RouteSpec): unknown {
    switch (`${spec.method} ${spec.path}`) {
      case "post /proposals":
        return { planId, ...proposalFields("Intruder") };
      case "patch /proposals/{id}":
        return { customerName: "Hijacked" };
      case "post /proposals/{id}/issue":
      case "post /proposals/{id}/share-links":
        return {};
      default:
        return undefined;
    }
  }

  function call(spec: RouteSpec, key: string | null): Promise<Response> {
    const payload = body(spec);
    const headers: Record<string, string> = {};
    if (key) headers.Authorization = `Bearer ${key}`;
    if (spec.ifMatch === "required") headers["If-Match"] = '"1"';
    if (payload !== undefined) headers["Content-Type"] = "application/json";
    return api(concrete(spec), {
      method: spec.method.toUpperCase(),
      headers,
      ...(payload === undefined ? {} : { body: JSON.stringify(payload) }),
    });
  }

  async function orgRows(): Promise<string> {
    const parts: unknown[] = [];
    for (const table of ["proposals", "proposal_versions", "proposal_share_links"]) {
      parts.push(
        (await env.DB.prepare(`SELECT * FROM "${table}" WHERE org_id = ? ORDER BY rowid`).bind(org.orgId).all())
          .results,
      );
    }
    return JSON.stringify(parts);
  }

  beforeAll(async () => {
    const proposal = await createProposal(org, planId, "Matrix Corp");
    await issue(org, proposal.id);
    const link = (await (await send("POST", `/proposals/${proposal.id}/share-links`, {}, org.adminKey)).json()) as {
      id: string;
    };
    world = { proposalId: proposal.id, linkId: link.id };
  });

  it("covers every proposals route, each declaring its access", () => {
    expect(routes.length).toBe(14);
    expect(keyRoutes.every((spec) => spec.access === "viewer" || spec.access === "editor")).toBe(true);
  });

  for (const spec of ROUTE_SPECS.filter((item) => item.path.startsWith("/proposals") && item.access !== "link")) {
    const name = `${spec.method.toUpperCase()} ${spec.path}`;
    it(`${name}: no key → 401; another organisation → 404 (or its own empty list); nothing changes`, async () => {
      const before = await orgRows();
      await expectError(await call(spec, null), 401, "unauthenticated");
      const response = await call(spec, other.adminKey);
      if (spec.path.includes("{")) {
        await expectError(response, 404, "not_found");
      } else {
        const text = await response.text();
        // B may create its own proposal only from its own plan: A's plan is "not found".
        if (spec.method === "post") expect(response.status, text).toBe(404);
        else expect(response.status, text).toBe(200);
        expect(text).not.toContain(world.proposalId);
      }
      expect(await orgRows()).toBe(before);
    });
  }

  it("A's own key reads every proposals route (the matrix is not vacuous)", async () => {
    for (const spec of keyRoutes.filter((item) => item.method === "get")) {
      const response = await call(spec, org.adminKey);
      expect(response.status, `${spec.method} ${spec.path}`).toBe(200);
      await response.arrayBuffer();
    }
  });
});
