/**
 * Response headers for everything the one Worker serves (issue #19, ADR 018): the JSON API, the
 * docs page, exports and PDFs, and the SvelteKit SPA (index.html, its client-side routes such as
 * `/share/<token>`, and its hashed assets).
 *
 * - API responses (JSON, CSV, XLSX, PDF): `default-src 'none'`: nothing in them may load or run.
 * - HTML pages: scripts only from our origin plus the SHA-256 of each inline `<script>` the
 *   page carries (SvelteKit's bootstrap in index.html; the hash is computed from the served
 *   file, so a rebuild needs no hand edit), never `'unsafe-inline'` for scripts.
 *   `'wasm-unsafe-eval'` lets the page compile WebAssembly (not eval JavaScript). Styles allow
 *   inline: Svelte writes `style="…"` attributes, and styles cannot run code.
 * - Everything: `frame-ancestors 'none'` + `X-Frame-Options: DENY` (nothing here is meant to be
 *   embedded), `X-Content-Type-Options: nosniff`, a strict referrer policy.
 */

/** CSP of every API response: JSON and files, nothing to load or run. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** Headers every response carries, whatever it is. */
export const COMMON_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "X-Content-Type-Options": "nosniff",
  "X-Frame-Options": "DENY",
  "Referrer-Policy": "strict-origin-when-cross-origin",
};

/** The inline `<script>` bodies (no `src`) and `<style>` bodies of an HTML document. */
export function inlineBlocks(html: string): { scripts: string[]; styles: string[] } {
  const scripts = [...html.matchAll(/<script(?![^>]*\bsrc\s*=)[^>]*>([\s\S]*?)<\/script\s*>/gi)].map(
    (match) => match[1] ?? "",
  );
  const styles = [...html.matchAll(/<style[^>]*>([\s\S]*?)<\/style\s*>/gi)].map((match) => match[1] ?? "");
  return { scripts, styles };
}

/** `'sha256-…'` of a text, as CSP writes a hash source. */
export async function cspHash(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  let binary = "";
  for (const byte of new Uint8Array(digest)) binary += String.fromCharCode(byte);
  return `'sha256-${btoa(binary)}'`;
}

/** The CSP of an SPA page: our own scripts and the hashes of the page's inline ones. */
export async function pageCsp(html: string): Promise<string> {
  const { scripts } = inlineBlocks(html);
  const hashes = [...new Set(await Promise.all(scripts.map(cspHash)))];
  return [
    "default-src 'self'",
    ["script-src 'self' 'wasm-unsafe-eval'", ...hashes].join(" "),
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** The CSP of the static docs page: no script at all, only its own inline style by hash. */
export async function docsCsp(html: string): Promise<string> {
  const hashes = await Promise.all(inlineBlocks(html).styles.map(cspHash));
  return `default-src 'none'; style-src ${hashes.join(" ") || "'none'"}; frame-ancestors 'none'; base-uri 'none'; form-action 'none'`;
}

// One isolate serves the same index.html thousands of times: hash it once per distinct body.
const pageCspCache = new Map<string, string>();

/**
 * An asset response with the security headers: the page CSP on HTML (computed from the body),
 * and on the share page (`/share/<token>`: the token is in the URL) no caching, no referrer and
 * no indexing, as on the share API.
 */
export async function securedAsset(request: Request, response: Response): Promise<Response> {
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(COMMON_SECURITY_HEADERS)) headers.set(name, value);
  let body: BodyInit | null = response.body;
  // A 304 has no body: leave the CSP the browser stored with the 200 (an empty body's CSP would
  // replace it without the hashes).
  if (response.status !== 304 && (headers.get("content-type") ?? "").includes("text/html")) {
    const html = await response.text();
    body = html;
    let csp = pageCspCache.get(html);
    if (csp === undefined) {
      csp = await pageCsp(html);
      if (pageCspCache.size > 16) pageCspCache.clear();
      pageCspCache.set(html, csp);
    }
    headers.set("Content-Security-Policy", csp);
    headers.set("Cross-Origin-Opener-Policy", "same-origin");
  }
  if (new URL(request.url).pathname.startsWith("/share/")) {
    headers.set("Cache-Control", "private, no-store");
    headers.set("Referrer-Policy", "no-referrer");
    headers.set("X-Robots-Tag", "noindex, nofollow");
  }
  return new Response(body, { status: response.status, statusText: response.statusText, headers });
}
