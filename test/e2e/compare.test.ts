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
 * then /compare must show both plans in one aligned table (the same metric of the same path on
 * one row) with the same headline and per-path figures, and mark the inputs that differ.
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

  it("compare aligns both plans row by row with the figures each results page showed, and marks the inputs that differ", async () => {
    await page.goto(`${baseUrl}/scenarios`);
    for (const plan of plans) await page.getByRole("checkbox", { name: `Compare ${plan.name}` }).check();
    await page.getByTestId("compare").click();
    await page.waitForURL(/\/compare\?ids=scn_[0-9a-z]{16},scn_[0-9a-z]{16}$/);
    const heads = page.getByTestId("compare-plan");
    await expect.poll(() => heads.count(), { timeout: 20_000 }).toBe(2);
    const order = (await heads.allTextContents()).map((text) => text.trim());
    expect([...order].sort()).toEqual(plans.map((plan) => plan.name).sort());
    const headlines = (await page.getByTestId("compare-headline").allTextContents()).map((text) => text.trim());

    // One table: each metric's section has one row per path, one cell per plan.
    const sections = await page.getByTestId("compare-metric").evaluateAll((bodies) =>
      bodies.map((body) => ({
        metric: (body.querySelector("tr.section th")?.textContent ?? "").trim(),
        rows: [...body.querySelectorAll("tr:not(.section)")].map((row) => ({
          name: (row.querySelector("th")?.textContent ?? "").trim(),
          cells: [...row.querySelectorAll("td")].map((cell) => (cell.textContent ?? "").trim()),
        })),
      })),
    );
    expect(sections.map((section) => section.metric)).toEqual([
      "Cost per million tokens",
      "Present value of the cost",
      "Pays back",
    ]);
    for (const [index, plan] of plans.entries()) {
      const column = order.indexOf(plan.name);
      const expected = shown[index]!;
      expect(headlines[column], plan.name).toBe(expected.headline);
      const [perMillion, presentValue, paysBack] = sections.map((section) =>
        section.rows
          .filter((row) => row.cells[column] !== "not in this plan")
          .map((row) => ({ name: row.name, value: row.cells[column] })),
      );
      expect(
        perMillion!.map((row, at) => ({
          name: row.name,
          perMillion: row.value,
          presentValue: presentValue![at]?.value,
          paysBack: paysBack![at]?.value,
        })),
        plan.name,
      ).toEqual(expect.arrayContaining(expected.paths));
      expect(perMillion!.length, plan.name).toBe(expected.paths.length);
    }

    // Inputs on aligned rows; the ones that differ (volume, cost of capital) are marked, the model is not.
    const differs = async (key: string) => page.getByTestId(`input-${key}`).getAttribute("data-differs");
    expect(await differs("discount")).toBe("true");
    expect(await differs("volume")).toBe("true");
    expect(await differs("model")).toBe("false");
    expect(await page.getByTestId("input-discount").textContent()).toMatch(/Cost of capital\s*differs/);
    expect(await page.getByTestId("input-model").locator("td").allTextContents()).toEqual([
      "Llama 3.3 70B",
      "Llama 3.3 70B",
    ]);
    expect(blockingViolations(await axeViolations(page)), "compare page").toEqual([]);
    await screenshot(page, "compare");
  });
});
