/**
 * Headers, caching and credentials in URLs (issue #19), in workerd through the real fetch
 * handler: every route of the OpenAPI answers with the API's CSP, `frame-ancestors 'none'`,
 * `X-Frame-Options: DENY` and `nosniff`; authenticated exports and PDFs are `no-store`; the
 * shared PDF is `noindex`; HTML pages get a CSP whose script hashes match their inline scripts;
 * a query parameter that looks like a credential (by name in any case, or by value) is refused.
 */
import { describe, expect, it, beforeAll } from "vitest";
import "../src/app.ts";
import { ROUTE_SPECS } from "../src/openapi-registry.ts";
import { API_CSP, cspHash, inlineBlocks, pageCsp, securedAsset } from "../src/security-headers.ts";
import { goldenScenario } from "./fixtures.ts";
import { exports } from "cloudflare:workers";
import { ORIGIN, api, createOrg, expectError, get, send, type TestOrg } from "./helpers.ts";

let org: TestOrg;
let scenarioId: string;
let planId: string;
let proposalId: string;
let shareToken: string;
let exportToken: string;

function expectApiHeaders(response: Response, label: string): void {
  expect(response.headers.get("content-security-policy"), label).toBe(API_CSP);
  expect(response.headers.get("x-content-type-options"), label).toBe("nosniff");
  expect(response.headers.get("x-frame-options"), label).toBe("DENY");
}

beforeAll(async () => {
  org = await createOrg("headers");
  const scenario = await send("POST", "/scenarios", { scenario: goldenScenario() }, org.adminKey);
  scenarioId = ((await scenario.json()) as { id: string }).id;
  const plan = await send("POST", `/scenarios/${scenarioId}/plans`, {}, org.adminKey);
  expect(plan.status).toBe(201);
  planId = ((await plan.json()) as { id: string }).id;
  const proposal = await send(
    "POST",
    "/proposals",
    {
      planId,
      title: "Headers",
      customerName: "Contoso",
      preparedBy: "Jane Doe",
      vendor: { name: "Northwind", accentColor: "#1F5FBF" },
    },
    org.adminKey,
  );
  expect(proposal.status, await proposal.clone().text()).toBe(201);
  proposalId = ((await proposal.json()) as { id: string }).id;
  expect((await send("POST", `/proposals/${proposalId}/issue`, {}, org.adminKey)).status).toBe(200);
  const share = await send("POST", `/proposals/${proposalId}/share-links`, {}, org.adminKey);
  shareToken = ((await share.json()) as { url: string }).url.split("/share/")[1] as string;
  const link = await send("POST", `/plans/${planId}/links`, { format: "monthly.csv" }, org.adminKey);
  expect(link.status, await link.clone().text()).toBe(201);
  exportToken = ((await link.json()) as { url: string }).url.split("/links/")[1] as string;
});

/** A concrete URL for an OpenAPI path: this test's own objects for reads, a dummy id otherwise. */
function concrete(path: string, read: boolean): string {
  const ids: Record<string, string> = read ? { scenarios: scenarioId, plans: planId, proposals: proposalId } : {};
  return path
    .replace(/^\/(\w[\w-]*)\/\{id\}/, (_, resource: string) => `/${resource}/${ids[resource] ?? "x_missing"}`)
    .replace("{version}", "1")
    .replace("/proposals/shared/{token}", `/proposals/shared/${read ? shareToken : "aifp_share_x"}`)
    .replace("/links/{token}", `/links/${read ? exportToken : "aifp_link_x"}`)
    .replace(/\{\w+\}/g, "x_missing");
}

describe("every OpenAPI route carries the security headers", () => {
  it(`${ROUTE_SPECS.length} routes: CSP default-src 'none' with frame-ancestors 'none', DENY, nosniff; never a 5xx`, async () => {
    expect(ROUTE_SPECS.length).toBeGreaterThan(50);
    const seen: string[] = [];
    for (const spec of ROUTE_SPECS) {
      const read = spec.method === "get";
      const url = concrete(spec.path, read);
      const key = spec.access === "public" || spec.access === "link" ? undefined : org.adminKey;
      // Writes go to dummy ids with an empty body: refused (4xx) before any change, headers still set.
      const response = read
        ? await get(url, key, { "CF-Connecting-IP": "198.18.19.1" })
        : await send(spec.method.toUpperCase(), url, {}, key, { "CF-Connecting-IP": "198.18.19.1" });
      const label = `${spec.method.toUpperCase()} ${url} → ${response.status}`;
      expect(response.status, label).toBeLessThan(500);
      expectApiHeaders(response, label);
      seen.push(label);
      await response.arrayBuffer();
    }
    // The reads of this test's objects succeed, so handler-built responses (files) are covered.
    expect(seen).toEqual(
      expect.arrayContaining([
        `GET /plans/${planId}/monthly.csv → 200`,
        `GET /plans/${planId}/plan.xlsx → 200`,
        `GET /proposals/${proposalId}.pdf → 200`,
        `GET /proposals/shared/${shareToken}/proposal.pdf → 200`,
        `GET /links/${exportToken} → 200`,
      ]),
    );
  });

  it("the docs page and unknown paths under /api too", async () => {
    const docs = await api("/api/docs");
    expect(docs.status).toBe(200);
    const csp = docs.headers.get("content-security-policy") ?? "";
    expect(csp).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/]+=*';/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(docs.headers.get("x-content-type-options")).toBe("nosniff");
    expectApiHeaders(await api("/nothing-here"), "404");
  });
});

describe("caching of authenticated files and the share links", () => {
  it("exports and proposal PDFs are no-store; the shared PDF is noindex and sends no referrer", async () => {
    for (const path of [
      `/plans/${planId}/monthly.csv`,
      `/plans/${planId}/summary.csv`,
      `/plans/${planId}/plan.xlsx`,
      `/proposals/${proposalId}.pdf`,
    ]) {
      const response = await get(path, org.adminKey);
      expect(response.status, path).toBe(200);
      expect(response.headers.get("cache-control"), path).toBe("private, no-store");
      await response.arrayBuffer();
    }
    const shared = await get(`/proposals/shared/${shareToken}/proposal.pdf`);
    expect(shared.status).toBe(200);
    expect(shared.headers.get("content-type")).toBe("application/pdf");
    expect(shared.headers.get("x-robots-tag")).toBe("noindex, nofollow");
    expect(shared.headers.get("referrer-policy")).toBe("no-referrer");
    expect(shared.headers.get("cache-control")).toBe("private, no-store");
    await shared.arrayBuffer();
  });
});

describe("HTML pages", () => {
  // The shape of SvelteKit's built index.html: one inline bootstrap script, inline style attributes.
  const INDEX = `<!doctype html><html><head><link href="/_app/immutable/entry/start.js" rel="modulepreload"></head>
<body><div style="display: contents"><script>
  { __sveltekit_x = { base: "" }; import("/_app/immutable/entry/start.js"); }
</script></div><script src="/_app/other.js"></script></body></html>`;

  it("the page CSP allows exactly the inline scripts the page carries, by hash", async () => {
    const inline = '\n  { __sveltekit_x = { base: "" }; import("/_app/immutable/entry/start.js"); }\n';
    const csp = await pageCsp(INDEX);
    const scriptSrc = csp.split("; ").find((directive) => directive.startsWith("script-src ")) ?? "";
    expect(scriptSrc).toBe(`script-src 'self' 'wasm-unsafe-eval' ${await cspHash(inline)}`);
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    expect(csp).not.toMatch(/'unsafe-eval'/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    // A script the build did not produce (an injected one) is not allowed.
    expect(scriptSrc).not.toContain(await cspHash("alert(1)"));
  });

  it("an asset response gets the page headers; the share page is also no-store, no-referrer, noindex", async () => {
    const page = await securedAsset(
      new Request("https://planner.test/share/aifp_share_abc"),
      new Response(INDEX, { headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "public" } }),
    );
    expect(await page.text()).toBe(INDEX);
    expect(page.headers.get("content-security-policy")).toBe(await pageCsp(INDEX));
    expect(page.headers.get("x-frame-options")).toBe("DENY");
    expect(page.headers.get("x-content-type-options")).toBe("nosniff");
    expect(page.headers.get("cache-control")).toBe("private, no-store");
    expect(page.headers.get("x-robots-tag")).toBe("noindex, nofollow");
    expect(page.headers.get("referrer-policy")).toBe("no-referrer");
    const script = await securedAsset(
      new Request("https://planner.test/_app/immutable/entry/start.js"),
      new Response("export {}", { headers: { "Content-Type": "text/javascript" } }),
    );
    expect(script.headers.get("x-content-type-options")).toBe("nosniff");
    expect(script.headers.get("content-security-policy")).toBeNull();
    const notModified = await securedAsset(
      new Request("https://planner.test/"),
      new Response(null, { status: 304, headers: { "Content-Type": "text/html" } }),
    );
    // A 304 must not replace the stored CSP with one lacking the page's hashes.
    expect(notModified.headers.get("content-security-policy")).toBeNull();
  });
});

describe("credentials in the URL", () => {
  it("any parameter named like a key or token, in any case, or carrying one of our secrets is refused", async () => {
    const refused = [
      `?API_KEY=${org.adminKey}`,
      "?Api-Key=abc",
      "?X-API-KEY=abc",
      "?access.token=abc",
      "?ACCESS_TOKEN=abc",
      "?session_token=abc",
      "?Authorization=Bearer%20abc",
      "?client_secret=abc",
      "?password=abc",
      `?q=${org.adminKey}`,
      "?cursor=aifp_share_abc",
      "?note=Bearer%20abc",
      `?${org.adminKey}=1`,
    ];
    for (const query of refused) {
      const error = await expectError(await get(`/scenarios${query}`, org.adminKey), 401, "unauthenticated");
      expect(error.message, query).toMatch(/Bearer/);
      // The message never echoes a secret.
      expect(error.message).not.toContain(org.adminKey);
    }
    // Ordinary parameters still work.
    expect((await get("/scenarios?limit=5", org.adminKey)).status).toBe(200);
    expect((await get("/audit?targetKind=key&limit=5", org.adminKey)).status).toBe(200);
  });
});

describe("the SPA through the Worker (the built apps/web/build)", () => {
  it("pages and client routes carry the CSP of the served index.html, hashes included; assets nosniff", async (context) => {
    const home = await exports.default.fetch(`${ORIGIN}/`);
    const html = await home.text();
    // The workers project runs before the e2e build on a fresh checkout; the e2e run (real
    // wrangler dev + Chromium, test/e2e/home.test.ts) checks the same headers on the built app.
    if (home.status === 404) context.skip("apps/web/build is absent: run npm run build");
    const { scripts } = inlineBlocks(html);
    expect(scripts.length).toBeGreaterThan(0);
    const csp = home.headers.get("content-security-policy") ?? "";
    for (const script of scripts) expect(csp).toContain(await cspHash(script));
    expect(csp).toBe(await pageCsp(html));
    for (const path of ["/plan/workload", "/share/aifp_share_abc"]) {
      const response = await exports.default.fetch(`${ORIGIN}${path}`);
      expect(response.status, path).toBe(200);
      expect(response.headers.get("content-security-policy"), path).toBe(await pageCsp(await response.text()));
      expect(response.headers.get("x-frame-options"), path).toBe("DENY");
    }
    const asset = /href="(\/_app\/[^"]+\.js)"/.exec(html)?.[1] as string;
    const script = await exports.default.fetch(`${ORIGIN}${asset}`);
    expect(script.status).toBe(200);
    expect(script.headers.get("x-content-type-options")).toBe("nosniff");
    await script.arrayBuffer();
  });
});
