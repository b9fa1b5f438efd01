import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchBrowser, screenshot, watchCspViolations } from "./browser.ts";

describe("the web app served by the Worker", () => {
  const baseUrl = inject("baseUrl");
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("answers /api/v1/health over HTTP", async () => {
    const response = await fetch(`${baseUrl}/api/v1/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: "ok" });
  });

  it("renders the home page in Chromium, which calls the API", async () => {
    const page = await browser.newPage();
    const apiCalls: string[] = [];
    page.on("request", (request) => {
      if (request.url().includes("/api/v1/")) apiCalls.push(new URL(request.url()).pathname);
    });
    await page.goto(`${baseUrl}/`);
    await expect.poll(() => page.getByTestId("health-status").textContent(), { timeout: 15_000 }).toBe("Running");
    expect(apiCalls).toContain("/api/v1/health");
    // The catalog size comes from the built price book through the API.
    expect(Number(await page.getByTestId("catalog-servers").textContent())).toBeGreaterThan(0);
    await screenshot(page, "home");
    await page.close();
  });

  it("serves pages under a strict CSP (hashed inline script, frame-ancestors 'none') that the app runs under without a violation", async () => {
    for (const path of ["/", "/plan/workload", "/share/aifp_share_x"]) {
      const response = await fetch(`${baseUrl}${path}`);
      const csp = response.headers.get("content-security-policy") ?? "";
      expect(csp, path).toMatch(/script-src 'self' 'wasm-unsafe-eval' 'sha256-[A-Za-z0-9+/]+=*'/);
      expect(csp, path).not.toMatch(/script-src[^;]*'unsafe-inline'/);
      expect(csp, path).toContain("frame-ancestors 'none'");
      expect(response.headers.get("x-content-type-options"), path).toBe("nosniff");
      expect(response.headers.get("x-frame-options"), path).toBe("DENY");
      await response.text();
    }
    const share = await fetch(`${baseUrl}/share/aifp_share_x`);
    expect(share.headers.get("cache-control")).toBe("private, no-store");
    expect(share.headers.get("x-robots-tag")).toBe("noindex, nofollow");
    const page = await browser.newPage();
    const violations = watchCspViolations(page);
    const assets: { path: string; nosniff: string | null }[] = [];
    page.on("response", (response) => {
      if (new URL(response.url()).pathname.startsWith("/_app/"))
        assets.push({
          path: new URL(response.url()).pathname,
          nosniff: response.headers()["x-content-type-options"] ?? null,
        });
    });
    await page.goto(`${baseUrl}/`);
    await expect.poll(() => page.getByTestId("health-status").textContent(), { timeout: 15_000 }).toBe("Running");
    await page.goto(`${baseUrl}/plan/workload`);
    await page.waitForLoadState("networkidle");
    expect(violations).toEqual([]);
    expect(assets.length).toBeGreaterThan(0);
    expect(assets.filter((asset) => asset.nosniff !== "nosniff")).toEqual([]);
    // A script injected into the page is refused (the CSP is enforced, not only sent).
    const injected = await page.evaluate(() => {
      const script = document.createElement("script");
      script.textContent = "window.__injected = true";
      document.head.append(script);
      return (window as unknown as { __injected?: boolean }).__injected === true;
    });
    expect(injected).toBe(false);
    await page.close();
  });

  it("serves client-side routes through the SPA fallback", async () => {
    const response = await fetch(`${baseUrl}/plans/does-not-exist-yet`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/html");
  });
});
