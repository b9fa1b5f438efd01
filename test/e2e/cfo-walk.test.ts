import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { axeViolations, blockingViolations } from "./axe.ts";
import { launchBrowser, screenshot } from "./browser.ts";

/**
 * The CFO's walk (issue 18 item 10), step by step with a screenshot of each page (artefacts under
 * test-results/e2e/cfo-walk-*.png, not committed): "an internal chat assistant on a 70B open
 * model, 2 billion tokens a day, growing 30 % a year, 5 years, colocation in Virginia: build,
 * lease or API?". No page may show a file name, a line number or a repository path, and the
 * results must name the baseline and why, price leases at a commitment matched to the plan, and
 * buy tokens of the plan's own model.
 */
describe("the CFO's walk through the planner", () => {
  const baseUrl = inject("baseUrl");
  let browser: Browser;
  let page: Page;
  const heading = () => page.locator("h1").textContent();

  beforeAll(async () => {
    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  });
  afterAll(async () => {
    await browser?.close();
  });

  /** What a person reads on the page: no data files, line numbers, repository paths or commit hashes. */
  async function expectNoInternals(step: string): Promise<void> {
    const text = await page.locator("main").innerText();
    expect(text, step).not.toMatch(/\b[\w-]+\.(csv|json|ts|tsx|md|svelte)\b/i);
    expect(text, step).not.toMatch(/\bline \d+/i);
    expect(text, step).not.toMatch(/docs\/research|packages\/|[\w-]+\/[\w.-]+@[0-9a-f]{7,40}\b/);
    expect(text, step).not.toMatch(/tok\/s\/user|interactivityTokensPerSecondPerUser/);
    expect(blockingViolations(await axeViolations(page)), step).toEqual([]);
  }

  it("walks workload, site, options and finance to an answer, one screenshot per step", async () => {
    await page.goto(`${baseUrl}/scenarios`);
    await page.getByRole("button", { name: "Start a new plan" }).click();
    await page.waitForURL(/\/plan\/workload/);
    await expect.poll(heading, { timeout: 20_000 }).toContain("Step 1 of 5");

    // 1. Workload: a chat assistant on a 70B open model, 2 billion tokens a day, growing 30 % a year.
    await page.getByRole("radio", { name: /Chat assistant/ }).check();
    await expect.poll(() => page.locator("#model option:checked").textContent()).toMatch(/^Llama 3\.3 70B/);
    await page.getByRole("radio", { name: "Tokens per day" }).check();
    await page.getByRole("textbox", { name: "Tokens per day" }).fill("2000000000");
    await page.getByRole("textbox", { name: "Growth per year" }).fill("30");
    await expect.poll(() => page.getByTestId("volume-echo").textContent()).toMatch(/≈ 2 billion tokens a day/);
    await expectNoInternals("workload");
    await screenshot(page, "cfo-walk-1-workload");
    await page.getByRole("button", { name: "Next" }).click();

    // 2. Site: colocation in Virginia.
    await expect.poll(heading).toContain("Step 2 of 5");
    await page.getByTestId("region-search").fill("Virginia");
    await page.locator("#region").selectOption("US-VA");
    await page.getByRole("radio", { name: /Colocation/ }).check();
    await expectNoInternals("site");
    await screenshot(page, "cfo-walk-2-site");
    await page.getByRole("button", { name: "Next" }).click();

    // 3. Options: the shortlist as offered, leases at the commitment matching the plan's length.
    await expect.poll(heading).toContain("Step 3 of 5");
    await expect.poll(() => page.getByTestId("offer-count").textContent()).toMatch(/\d+ of \d+ offers/);
    await expect
      .poll(() => page.getByTestId("lease-commitment").locator("option:checked").textContent())
      .toMatch(/5 years → 3-year terms/);
    await expectNoInternals("options");
    await screenshot(page, "cfo-walk-3-options");
    await page.getByRole("button", { name: "Next" }).click();

    // 4. Finance: 5 years at a 9 % cost of capital.
    await expect.poll(heading).toContain("Step 4 of 5");
    await page.getByRole("textbox", { name: "Planning horizon" }).fill("5");
    await page.getByRole("textbox", { name: "Cost of capital" }).fill("9");
    await expectNoInternals("finance");
    await screenshot(page, "cfo-walk-4-finance");
    await page.getByRole("button", { name: "See the results" }).click();

    // 5. The answer.
    const headline = page.getByTestId("headline");
    await expect.poll(() => headline.textContent(), { timeout: 30_000 }).toMatch(/per million tokens over 5 years/);
    const text = ((await headline.textContent()) ?? "").replace(/\s+/g, " ");
    // The baseline is named in the headline and under it, with why: the cheapest way to serve the
    // same demand without building (ADR 017). With a Llama 3.3 70B API in the price book that is the
    // API for this scenario, and leases are priced at the commitment matching 5 years (ADR 022).
    const baselineNamed = page.getByTestId("baseline-named");
    const baseline = ((await baselineNamed.locator("strong").textContent()) ?? "").trim();
    expect(baseline.length).toBeGreaterThan(0);
    expect(text).toContain(baseline);
    expect(((await baselineNamed.textContent()) ?? "").replace(/\s+/g, " ")).toContain(
      "the cheapest way to serve the same demand without building",
    );
    // The saving in dollars, in the headline itself, against a named path.
    expect(text).toMatch(/\$[\d,]+ \(\d+%\) less in present value than \S/);
    // The model on each side: every path serves the plan's model, said under the answer.
    expect(((await page.getByTestId("answer-model").textContent()) ?? "").replace(/\s+/g, " ")).toMatch(
      /Llama 3\.3 70B/,
    );
    // Leases are compared at the commitment matching 5 years where the book prices one; a
    // shortlisted lease without a 3-year price (today's default AMD leases) is compared on demand,
    // never at a shorter commitment.
    const paths = (await page.locator("table.paths tbody th").allTextContents()).join(" ");
    expect(paths).toMatch(/\((3-year commitment|on demand)\) Lease/);
    expect(paths).not.toMatch(/\(1-year commitment\)/);
    // The token APIs are the plan's model, by name; no API of another open model slipped in.
    expect(paths).toMatch(/Llama 3\.3 70B API/);
    expect(paths).not.toMatch(/DeepSeek/);
    await expectNoInternals("results");
    await screenshot(page, "cfo-walk-5-results");
  });
});
