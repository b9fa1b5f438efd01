import { Hono } from "hono";
import type { AppEnv } from "../app.ts";
import { openApiDocument } from "../openapi.ts";
import { ROUTE_SPECS, documented } from "../openapi-registry.ts";

documented({
  method: "get",
  path: "/openapi.json",
  tag: "Docs",
  summary: "This API as an OpenAPI 3.1 document (generated from the valibot schemas)",
  access: "public",
  responses: { 200: { description: "The OpenAPI document", contentType: "application/json" } },
});

/** `GET /api/v1/openapi.json`. */
export const openApiRoutes = new Hono<AppEnv>().get("/", (c) => c.json(openApiDocument()));

function escapeHtml(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");
}

/** The human docs page (`/api/docs`): endpoints from the same registry, and the recipes. */
export function docsPage(origin: string): string {
  const rows = ROUTE_SPECS.map(
    (spec) =>
      `<tr><td><code>${spec.method.toUpperCase()}</code></td><td><code>/api/v1${escapeHtml(spec.path)}</code></td><td>${escapeHtml(spec.access)}</td><td>${escapeHtml(spec.summary)}</td></tr>`,
  ).join("\n");
  const base = escapeHtml(origin);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>AI Factory Planner API</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
code,pre{font-family:ui-monospace,monospace;font-size:13px}pre{background:#f4f4f4;padding:.75rem;overflow:auto}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}</style>
</head><body>
<h1>AI Factory Planner API <small>v1</small></h1>
<p>JSON over HTTPS under <code>/api/v1</code>. Machine-readable: <a href="/api/v1/openapi.json">/api/v1/openapi.json</a> (OpenAPI 3.1).</p>
<h2>Authentication</h2>
<p>Send an API key as <code>Authorization: Bearer aifp_live_…</code>; keys in the URL are refused. Locally, <code>npm start</code> prints a development key; <code>npm run keys:create</code> makes more. Everything you store belongs to your organisation: another organisation's object is a 404.</p>
<h2>Errors</h2>
<p>One envelope: <code>{"error":{"code","message","requestId","issues":[{"path","message"}]}}</code>. 400 names each invalid field, 401 no or bad key, 404 not found or not yours, 409 stale <code>If-Match</code> or an <code>Idempotency-Key</code> in flight, 413 body over 1 MB, 415 non-JSON write, 422 infeasible scenario or a reused idempotency key, 428 <code>If-Match</code> missing, 429 rate limited (<code>Retry-After</code>).</p>
<h2>Writes</h2>
<p>POST and PATCH accept <code>Idempotency-Key</code>: a retry replays the first response. Updates need <code>If-Match</code> with the <code>ETag</code> of your last read.</p>
<h2>Spreadsheets</h2>
<p>Create a signed, read-only link (24 h by default, 7 days at most, revocable) and paste its <code>url</code>:</p>
<pre>curl -s -X POST ${base}/api/v1/plans/PLAN_ID/links \\
  -H "Authorization: Bearer $AIFP_KEY" -H "Content-Type: application/json" \\
  -d '{"format":"monthly.csv","expiresInSeconds":86400}'</pre>
<p><b>Google Sheets:</b> <code>=IMPORTDATA("${base}/api/v1/links/aifp_link_…")</code></p>
<p><b>Excel Power Query</b> (Data → Get Data → Blank Query → Advanced Editor):</p>
<pre>let
    Source = Csv.Document(Web.Contents("${base}/api/v1/links/aifp_link_…"), [Delimiter=",", Encoding=65001, QuoteStyle=QuoteStyle.Csv]),
    Promoted = Table.PromoteHeaders(Source, [PromoteAllScalars=true])
in
    Promoted</pre>
<p>Text cells that start with <code>= + - @</code>, tab or CR are prefixed with <code>'</code>, so no spreadsheet runs them as formulas.</p>
<h2>Endpoints</h2>
<table><thead><tr><th>Method</th><th>Path</th><th>Access</th><th>What</th></tr></thead><tbody>
${rows}
</tbody></table>
</body></html>`;
}

documented({
  method: "get",
  path: "/health",
  tag: "Docs",
  summary: "Liveness and the versions this server evaluates with (app, kernel, price book)",
  access: "public",
  responses: {
    200: { description: "`{ status, version, kernelVersion, priceBookVersion }`", contentType: "application/json" },
  },
});
