import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { axeViolations, blockingViolations } from "./axe.ts";
import { launchBrowser, screenshot } from "./browser.ts";

/** What a results page (or a compare column) shows for one path: name, $/M tokens, present value, payback. */
interface PathFigures {
  name: string;
  perMillion: string;
  presentValue: string;
  paysBack: string;
}

interface Shown {
  headline: string;
  paths: PathFigures[];
}

/**
 * The compare page end to end: two plans saved in this browser, each results page read as shown,
 * then /compare must show both plans with the same headline and the same per-path figures.
 */
describe("compare saved scenarios side by side", () => {
  const baseUrl = inject("baseUrl");
  let browser: Browser;
  let page: Page;
  const plans = [
    { name: "Compare: chat at 10 M requests", requestsPerDay: "10000000", costOfCapitalPercent: "9" },
    { name: "Compare: chat at 60 M requests", requestsPerDay: "60000000", costOfCapitalPercent: "12" },
  ];
  const shown: Shown[] = [];

  beforeAll(async () => {
    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport: { width: 1366, height: 900 } })).newPage();
  });
  afterAll(async () => {
    await browser?.close();
  });

  /** The results page's headline and its "each path at a glance" rows, as text. */
  async function readResults(): Promise<Shown> {
    const headline = ((await page.getByTestId("headline").textContent()) ?? "").trim();
    const paths = await page.locator("table.paths tbody tr").evaluateAll((rows) =>
      rows.map((row) => {
        const cells = [...row.querySelectorAll("td")].map((cell) => (cell.textContent ?? "").trim());
        // The row header is the path's name followed by a small "Build · cheapest" label.
        const header = row.querySelector("th");
        const name = (header?.firstChild?.textContent ?? "").trim();
        // Cost per million tokens, present value, pays back: the first three figures (ADR 022).
        return { name, perMillion: cells[0] ?? "", presentValue: cells[1] ?? "", paysBack: cells[2] ?? "" };
      }),
    );
    return { headline, paths };
  }

  for (const [index, plan] of plans.entries()) {
    it(`plans and saves “${plan.name}” in this browser, noting what its results page shows`, async () => {
      if (index === 0) await page.goto(`${baseUrl}/plan/workload`);
      else {
        await page.goto(`${baseUrl}/scenarios`);
        await page.getByRole("button", { name: "Start a new plan" }).click();
        await page.waitForURL(/\/plan\/workload/);
      }
      const requests = page.getByRole("textbox", { name: "Requests per day" });
      await requests.waitFor({ timeout: 20_000 });
      await expect.poll(() => requests.inputValue()).toBe("");
      await requests.fill(plan.requestsPerDay);
      for (let step = 0; step < 3; step++) await page.getByRole("button", { name: "Next" }).click();
      await page.getByRole("textbox", { name: "Cost of capital" }).fill(plan.costOfCapitalPercent);
      await page.getByRole("button", { name: "See the results" }).click();
      await expect
        .poll(() => page.getByTestId("headline").textContent(), { timeout: 20_000 })
        .toMatch(/per million tokens/);
      await page.getByLabel("Scenario name").fill(plan.name);
      await page.getByTestId("save").click();
      await expect
        .poll(() => page.getByTestId("save-status").textContent())
        .toContain(`Saved “${plan.name}” in this browser`);
      const results = await readResults();
      expect(results.paths.length).toBeGreaterThan(1);
      expect(results.paths.every((path) => path.name !== "" && /^\$/.test(path.perMillion))).toBe(true);
      shown.push(results);
    });
  }

  it("the two plans give different figures (so the comparison below can tell them apart)", () => {
    expect(shown).toHaveLength(2);
    expect(shown[0]?.headline).not.toBe(shown[1]?.headline);
  });

  it("compare shows both plans with the headline and path figures each results page showed", async () => {
    await page.goto(`${baseUrl}/scenarios`);
    for (const plan of plans) await page.getByRole("checkbox", { name: `Compare ${plan.name}` }).check();
    await page.getByTestId("compare").click();
    await page.waitForURL(/\/compare\?ids=scn_[0-9a-z]{16},scn_[0-9a-z]{16}$/);
    const columns = page.getByTestId("compare-column");
    await expect.poll(() => columns.count(), { timeout: 20_000 }).toBe(2);

    for (const [index, plan] of plans.entries()) {
      const column = columns.filter({ has: page.getByRole("heading", { name: plan.name, exact: true }) });
      expect(await column.count(), plan.name).toBe(1);
      const expected = shown[index];
      expect(((await column.locator(".headline").textContent()) ?? "").trim()).toBe(expected?.headline);
      const rows = await column.locator("tbody tr").evaluateAll((items) =>
        items.map((row) => {
          const cells = [...row.querySelectorAll("td")].map((cell) => (cell.textContent ?? "").trim());
          return {
            name: (row.querySelector("th")?.textContent ?? "").trim(),
            perMillion: cells[0] ?? "",
            presentValue: cells[1] ?? "",
            paysBack: cells[2] ?? "",
          };
        }),
      );
      expect(rows, plan.name).toEqual(expected?.paths);
    }
    expect(blockingViolations(await axeViolations(page)), "compare page").toEqual([]);
    await screenshot(page, "compare");
  });
});
