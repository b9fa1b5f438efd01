import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { axeViolations, blockingViolations } from "./axe.ts";
import { launchBrowser, screenshot } from "./browser.ts";

/**
 * Sources in people's words (issue 18 item 4, ADR 019): every page of the planner names a
 * figure's publisher, date and confidence, with the trail in a disclosure, and never shows a
 * file name, a line number, our research notes' path or a repository path.
 */
const INTERNAL: [string, RegExp][] = [
  ["a file name", /\b[\w-]+\.csv\b/],
  ["a line number", /\bline \d+/i],
  ["a research notes path", /docs\/research|packages\/catalog/],
  [
    "a repository path",
    /(?<![\w./-])[A-Za-z0-9][\w-]{2,}\/[A-Za-z0-9][\w.]*-[\w.-]+|(?<![\w./-])\w*[a-z][A-Z]\w*\/[A-Za-z]{4,}/,
  ],
];

describe("sources in people's words", () => {
  const baseUrl = inject("baseUrl");
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    browser = await launchBrowser();
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    page = await context.newPage();
  });
  afterAll(async () => {
    await browser?.close();
  });

  const heading = () => page.locator("h1").textContent();
  /** What a person sees: rendered text only (closed disclosures excluded). */
  const visible = () => page.locator("main").innerText();
  async function expectPlainWords(where: string): Promise<void> {
    const text = await visible();
    for (const [what, pattern] of INTERNAL) {
      const found = pattern.exec(text);
      expect(
        found?.[0],
        `${where} shows ${what}: …${found ? text.slice(Math.max(0, found.index - 80), found.index + 80) : ""}…`,
      ).toBeUndefined();
    }
  }

  it("walks the wizard and the results without a file name, line number or repository path", async () => {
    await page.goto(`${baseUrl}/plan/workload`);
    const requests = page.getByRole("textbox", { name: "Requests per day" });
    await requests.waitFor({ timeout: 20_000 });
    await requests.fill("2000000");
    await expectPlainWords("the workload step");
    await page.getByRole("button", { name: "Next" }).click();
    await expect.poll(heading).toContain("Step 2 of 5");

    // A default's source: publisher/title, date and a confidence badge on one line; the trail on demand.
    const electricity = page.locator('[data-field="site.electricityUsdPerKwh"]');
    await expect.poll(() => electricity.locator("[data-confidence]").count()).toBe(1);
    const trail = electricity.locator("details");
    expect(await trail.locator(".body").isVisible()).toBe(false);
    await trail.locator("summary").click();
    await expect.poll(() => trail.locator(".body").isVisible()).toBe(true);
    await expectPlainWords("the site step with a source opened");
    expect(blockingViolations(await axeViolations(page))).toEqual([]);
    await screenshot(page, "plain-words-site");
    await page.getByRole("button", { name: "Next" }).click();
    await expect.poll(heading).toContain("Step 3 of 5");
    await expectPlainWords("the options step");
    await page.getByRole("button", { name: "Next" }).click();
    await expect.poll(heading).toContain("Step 4 of 5");
    await expectPlainWords("the money step");
    await page.getByRole("textbox", { name: "Cost of capital" }).fill("9");
    await page.getByRole("button", { name: "See the results" }).click();
    await page.getByTestId("baseline-named").waitFor({ timeout: 30_000 });
    // Sizing figures with no cited default that were left empty are named as left out (issue 18 item 5).
    await expect.poll(() => page.getByTestId("left-out").textContent()).toMatch(/Spare servers.*no spares/s);
    // Open every source's trail on the results page: still no internals.
    for (const summary of await page.locator("main details.trail > summary").all()) await summary.click();
    await expectPlainWords("the results page with every source opened");
    await screenshot(page, "plain-words-results");
  });
});
