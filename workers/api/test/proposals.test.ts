import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { ROUTE_SPECS, type RouteSpec } from "../src/openapi-registry.ts";
import { goldenScenario } from "./fixtures.ts";
import { api, createOrg, expectError, get, send, type TestOrg } from "./helpers.ts";

/**
 * Proposals in workerd against a real local D1: create, edit, issue, new version, the
 * immutability trigger, the PDF, hash regeneration, share links (create, open without an
 * account, revoke, expire) and a tenant matrix over every /proposals route.
 */

/** A valid 1 × 1 PNG (the smallest complete PNG: signature, IHDR, IDAT, IEND). */
const PNG_1X1 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

interface VersionBody {
  proposalId: string;
  version: number;
  status: "draft" | "issued";
  contentHash: string;
  priceBookVersion: string;
  engineVersion: string;
  issuedAt: string | null;
  inputs: { customerName: string; notes: string; issuedAt: string | null; vendor: { logo: unknown } };
  outputs: {
    executiveSummary: string[];
    assumptions: { source: string }[];
    comparison: { rows: unknown[] };
    headline: { recommendedOptionId: string };
  };
}
interface ProposalBody {
  id: string;
  planId: string;
  latestVersion: number;
  revision: number;
  current: VersionBody;
}

function proposalFields(customerName = "Contoso Ltd"): Record<string, unknown> {
  return {
    title: "Inference capacity 2027-2031",
    customerName,
    preparedBy: "Jane Doe",
    vendor: {
      name: "Northwind Systems",
      accentColor: "#1F5FBF",
      logo: { contentType: "image/png", dataBase64: PNG_1X1 },
    },
    notes: "Quoted server price valid until 31 Dec 2026.",
    paperSize: "A4",
  };
}

async function createPlan(org: TestOrg): Promise<string> {
  const scenario = (await (await send("POST", "/scenarios", { scenario: goldenScenario() }, org.adminKey)).json()) as {
    id: string;
  };
  const response = await send("POST", `/scenarios/${scenario.id}/plans`, {}, org.adminKey);
  expect(response.status).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

async function createProposal(org: TestOrg, planId: string, customerName?: string): Promise<ProposalBody> {
  const response = await send("POST", "/proposals", { planId, ...proposalFields(customerName) }, org.adminKey);
  const text = await response.text();
  expect(response.status, text).toBe(201);
  expect(response.headers.get("etag")).toBe('"1"');
  return JSON.parse(text) as ProposalBody;
}

async function issue(org: TestOrg, id: string): Promise<ProposalBody> {
  const response = await send("POST", `/proposals/${id}/issue`, {}, org.adminKey);
  const text = await response.text();
  expect(response.status, text).toBe(200);
  return JSON.parse(text) as ProposalBody;
}

async function bytesOf(response: Response): Promise<Uint8Array> {
  return new Uint8Array(await response.arrayBuffer());
}

let org: TestOrg;
let other: TestOrg;
let planId: string;

beforeAll(async () => {
  org = await createOrg("Vendor");
  other = await createOrg("Other");
  planId = await createPlan(org);
});

describe("proposals: create, edit, issue, new version", () => {
  it("creates a draft from a plan with generated content", async () => {
    const proposal = await createProposal(org, planId);
    expect(proposal.id).toMatch(/^prp_[0-9a-z]+$/);
    expect(proposal).toMatchObject({ planId, latestVersion: 1, revision: 1 });
    const current = proposal.current;
    expect(current).toMatchObject({ version: 1, status: "draft", issuedAt: null });
    expect(current.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(current.outputs.executiveSummary[0]).toContain("Contoso Ltd");
    expect(current.outputs.comparison.rows).toHaveLength(3);
    // Every number of the golden scenario is entered inline: each is an assumption with a source.
    expect(current.outputs.assumptions.length).toBeGreaterThan(20);
    for (const row of current.outputs.assumptions) expect(row.source.length).toBeGreaterThan(0);
    // The accent colour is stored normalised; the logo was checked and hashed.
    expect(current.inputs.vendor.logo).toMatchObject({ contentType: "image/png", widthPx: 1, heightPx: 1, bytes: 70 });

    const read = await get(`/proposals/${proposal.id}`, org.adminKey);
    expect(read.status).toBe(200);
    expect(read.headers.get("etag")).toBe('"1"');
    expect(((await read.json()) as ProposalBody).current.contentHash).toBe(current.contentHash);
  });

  it("refuses bad input naming the field, and changes nothing", async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ planId, ...proposalFields(), extra: 1 }, "extra"],
      [{ planId, ...proposalFields(), vendor: { name: "N", accentColor: "blue" } }, "vendor.accentColor"],
      [{ planId, ...proposalFields(), customerName: "   " }, "customerName"],
      [
        {
          planId,
          ...proposalFields(),
          vendor: { name: "N", accentColor: "#000000", logo: { contentType: "image/jpeg", dataBase64: PNG_1X1 } },
        },
        "vendor.logo.contentType",
      ],
      [
        {
          planId,
          ...proposalFields(),
          vendor: { name: "N", accentColor: "#000000", logo: { contentType: "image/svg+xml", dataBase64: "PHN2Zy8+" } },
        },
        "vendor.logo.contentType",
      ],
      [
        {
          planId,
          ...proposalFields(),
          vendor: {
            name: "N",
            accentColor: "#000000",
            logo: { contentType: "image/png", dataBase64: "A".repeat(400_000) },
          },
        },
        "vendor.logo.dataBase64",
      ],
      [{ ...proposalFields(), planId: "pln_nope" }, "planId"],
    ];
    const before = await env.DB.prepare("SELECT COUNT(*) AS n FROM proposals").first<{ n: number }>();
    for (const [body, path] of cases) {
      const response = await send("POST", "/proposals", body, org.adminKey);
      const error = await expectError(response, path === "planId" ? 404 : 400);
      expect(
        error.issues.map((issue) => issue.path),
        JSON.stringify(error),
      ).toContain(path);
    }
    const after = await env.DB.prepare("SELECT COUNT(*) AS n FROM proposals").first<{ n: number }>();
    expect(after?.n).toBe(before?.n);
  });

  it("edits a draft in place with If-Match; 428 without, 409 when stale", async () => {
    const proposal = await createProposal(org, planId);
    await expectError(await send("PATCH", `/proposals/${proposal.id}`, { notes: "x" }, org.adminKey), 428);
    const edited = await send("PATCH", `/proposals/${proposal.id}`, { notes: "Valid for 30 days." }, org.adminKey, {
      "If-Match": '"1"',
    });
    expect(edited.status).toBe(200);
    expect(edited.headers.get("etag")).toBe('"2"');
    const body = (await edited.json()) as ProposalBody;
    expect(body.current).toMatchObject({ version: 1, status: "draft" });
    expect(body.current.inputs.notes).toBe("Valid for 30 days.");
    expect(body.current.contentHash).not.toBe(proposal.current.contentHash);
    // The logo survives an edit that does not touch the vendor.
    expect(body.current.inputs.vendor.logo).toMatchObject({ contentType: "image/png" });
    await expectError(
      await send("PATCH", `/proposals/${proposal.id}`, { notes: "late" }, org.adminKey, { "If-Match": '"1"' }),
      409,
      "version_conflict",
    );
  });

  it("issues the draft (idempotently); a change after issuing makes version 2 and leaves version 1 as it was", async () => {
    const proposal = await createProposal(org, planId);
    const issued = await issue(org, proposal.id);
    expect(issued.current).toMatchObject({ version: 1, status: "issued" });
    expect(issued.current.issuedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(issued.current.inputs.issuedAt).toBe(issued.current.issuedAt);
    expect(issued.revision).toBe(2);
    const again = await issue(org, proposal.id);
    expect(again.current.contentHash).toBe(issued.current.contentHash);
    expect(again.revision).toBe(2);

    const changed = await send("PATCH", `/proposals/${proposal.id}`, { customerName: "Contoso Group" }, org.adminKey, {
      "If-Match": '"2"',
    });
    expect(changed.status).toBe(200);
    const v2 = (await changed.json()) as ProposalBody;
    expect(v2).toMatchObject({ latestVersion: 2, revision: 3 });
    expect(v2.current).toMatchObject({ version: 2, status: "draft" });
    expect(v2.current.outputs.executiveSummary[0]).toContain("Contoso Group");

    const v1 = (await (await get(`/proposals/${proposal.id}/versions/1`, org.adminKey)).json()) as VersionBody;
    expect(v1.contentHash).toBe(issued.current.contentHash);
    expect(v1.inputs.customerName).toBe("Contoso Ltd");
    const list = (await (await get(`/proposals/${proposal.id}/versions`, org.adminKey)).json()) as {
      data: { version: number; status: string }[];
    };
    expect(list.data.map((row) => [row.version, row.status])).toEqual([
      [1, "issued"],
      [2, "draft"],
    ]);
    const v2issued = await issue(org, proposal.id);
    expect(v2issued.current).toMatchObject({ version: 2, status: "issued" });
  });

  it("the database refuses to change or delete an issued version (trigger), but not a draft", async () => {
    const proposal = await createProposal(org, planId);
    await env.DB.prepare("UPDATE proposal_versions SET outputs_json = '{}' WHERE proposal_id = ? AND version = 1")
      .bind(proposal.id)
      .run();
    const issued = await issue(org, proposal.id);
    const attempts = [
      "UPDATE proposal_versions SET outputs_json = '{}' WHERE proposal_id = ?",
      "UPDATE proposal_versions SET status = 'draft', issued_at = NULL, issued_by_key_id = NULL WHERE proposal_id = ?",
      "DELETE FROM proposal_versions WHERE proposal_id = ?",
    ];
    for (const sql of attempts) {
      await expect(env.DB.prepare(sql).bind(proposal.id).run()).rejects.toThrow(/proposal_immutable/);
    }
    await expect(
      env.DB.prepare(
        "INSERT INTO proposal_versions (org_id, proposal_id, version, status, inputs_json, outputs_json, price_book_version, engine_version, content_hash, created_by_key_id, created_at, updated_at, issued_at, issued_by_key_id) VALUES (?, ?, 9, 'issued', '{}', '{}', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x')",
      )
        .bind(org.orgId, proposal.id)
        .run(),
    ).rejects.toThrow(/proposal_immutable/);
    const after = (await (await get(`/proposals/${proposal.id}/versions/1`, org.adminKey)).json()) as VersionBody;
    expect(after.contentHash).toBe(issued.current.contentHash);
  });

  it("regenerating an issued version from the pinned price book and kernel gives the same hash", async () => {
    const proposal = await createProposal(org, planId);
    const issued = await issue(org, proposal.id);
    const response = await get(`/proposals/${proposal.id}/versions/1/verification`, org.adminKey);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      proposalId: proposal.id,
      version: 1,
      storedHash: issued.current.contentHash,
      regeneratedHash: issued.current.contentHash,
      matches: true,
      planInputHashMatches: true,
      reason: null,
    });
  });

  it("a plan with an optimised fleet: the proposal recommends it and regenerates (optimiser included) to the same hash", async () => {
    // The golden scenario without its token API and with a cheaper server: the optimiser's mixed
    // fleet (measured: $39.1M NPV) beats leasing ($42.9M) and building alone ($41.9M, over the cap).
    const variant = goldenScenario() as { options: { kind: string; priceUsd?: number }[] };
    variant.options = variant.options.filter((option) => option.kind !== "api");
    (variant.options.find((option) => option.kind === "build") as { priceUsd: number }).priceUsd = 200000;
    const scenario = (await (await send("POST", "/scenarios", { scenario: variant }, org.adminKey)).json()) as {
      id: string;
    };
    const planResponse = await send("POST", `/scenarios/${scenario.id}/plans`, { optimise: true }, org.adminKey);
    const planText = await planResponse.text();
    expect(planResponse.status, planText).toBe(201);
    const plan = JSON.parse(planText) as { id: string; result: { optimisation: { hybrid: { npvCostUsd: number } } } };
    const proposal = await createProposal(org, plan.id, "Optimised Inc");
    const outputs = proposal.current.outputs as unknown as {
      headline: { source: string; recommendedOptionId: string; npvCostUsd: number; runnerUp: { optionId: string } };
      recommendation: { periods: { servers: unknown[]; leased: unknown[]; apiShare: number }[]; notes: string[] };
      comparison: { rows: { optionId: string; recommended: boolean }[] };
    };
    expect(outputs.headline).toMatchObject({ source: "optimiser", recommendedOptionId: "hybrid" });
    expect(outputs.headline.npvCostUsd).toBe(plan.result.optimisation.hybrid.npvCostUsd);
    // The runner-up keeps to the power cap: leasing, not the cheaper build that breaks it.
    expect(outputs.headline.runnerUp.optionId).toBe("neocloud-h200");
    expect(outputs.recommendation.periods.some((period) => period.servers.length > 0)).toBe(true);
    expect(outputs.comparison.rows.every((row) => !row.recommended)).toBe(true);
    const issued = await issue(org, proposal.id);
    const verification = (await (
      await get(`/proposals/${proposal.id}/versions/1/verification`, org.adminKey)
    ).json()) as {
      matches: boolean;
      regeneratedHash: string;
    };
    expect(verification).toMatchObject({ matches: true, regeneratedHash: issued.current.contentHash });
    const pdf = await get(`/proposals/${proposal.id}.pdf`, org.adminKey);
    expect(pdf.status).toBe(200);
    await pdf.arrayBuffer();
  }, 20_000); // two optimiser runs, and the isolate's first PDF loads the embedded font

  it("a viewer key reads but cannot create or issue (403)", async () => {
    const created = await send("POST", "/keys", { name: "viewer", role: "viewer" }, org.adminKey);
    expect(created.status).toBe(201);
    const viewer = ((await created.json()) as { key: string }).key;
    const proposal = await createProposal(org, planId);
    expect((await get(`/proposals/${proposal.id}`, viewer)).status).toBe(200);
    await expectError(await send("POST", "/proposals", { planId, ...proposalFields() }, viewer), 403, "forbidden");
    await expectError(await send("POST", `/proposals/${proposal.id}/issue`, {}, viewer), 403, "forbidden");
  });

  it("replays a create with the same Idempotency-Key", async () => {
    const body = { planId, ...proposalFields("Replay Inc") };
    const first = await send("POST", "/proposals", body, org.adminKey, { "Idempotency-Key": "prp-replay-1" });
    const second = await send("POST", "/proposals", body, org.adminKey, { "Idempotency-Key": "prp-replay-1" });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    expect(await second.json()).toEqual(await first.json());
  });
});

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

describe("proposal actions are audited (docs/accounts.md: proposal issued/shared)", () => {
  it("issuing writes proposal.issued once (an idempotent re-issue adds none); sharing writes proposal.shared without the token", async () => {
    const proposal = await createProposal(org, planId);
    const issued = await issue(org, proposal.id);
    await issue(org, proposal.id);
    const shared = await send("POST", `/proposals/${proposal.id}/share-links`, {}, org.adminKey);
    expect(shared.status).toBe(201);
    const link = (await shared.json()) as { id: string; url: string };
    const log = (await (await get("/audit?limit=100", org.adminKey)).json()) as {
      data: {
        action: string;
        actor: { kind: string; id: string };
        target: { id: string };
        detail: Record<string, unknown>;
      }[];
    };
    const mine = log.data.filter((event) => event.target.id === proposal.id);
    expect(mine.map((event) => event.action).sort()).toEqual(["proposal.issued", "proposal.shared"]);
    const issuedEvent = mine.find((event) => event.action === "proposal.issued");
    expect(issuedEvent?.detail).toEqual({ version: 1, contentHash: issued.current.contentHash });
    expect(issuedEvent?.actor).toEqual({ kind: "key", id: org.adminKeyId });
    const sharedEvent = mine.find((event) => event.action === "proposal.shared");
    expect(sharedEvent?.detail).toMatchObject({ linkId: link.id, version: 1 });
    const token = link.url.split("/share/")[1] as string;
    expect(JSON.stringify(log)).not.toContain(token);
  });
});
