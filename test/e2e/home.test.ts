import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchBrowser, screenshot } from "./browser.ts";

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

  it("serves client-side routes through the SPA fallback", async () => {
    const response = await fetch(`${baseUrl}/plans/does-not-exist-yet`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/html");
  });
});
