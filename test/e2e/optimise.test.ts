import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { emptyPlan } from "../../apps/web/src/lib/plan.ts";
import { encodeState } from "../../apps/web/src/lib/url-state.ts";
import { buildPartsWhenNear, launchBrowser, screenshot, watchCspViolations } from "./browser.ts";

const axeSource = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

/** Serious and critical axe-core (WCAG 2.x A/AA) violations on the page as it is now, one line each. */
async function seriousAxeViolations(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol: the app's CSP (no inline scripts) would block a
  // <script> tag, by design.
  await page.evaluate(await readFile(axeSource, "utf8"));
  return page.evaluate(async () => {
    type Violation = { id: string; impact: string | null; nodes: { target: string[] }[] };
    const axe = (window as unknown as { axe: { run(d: Document, o: object): Promise<{ violations: Violation[] }> } })
      .axe;
    const { violations } = await axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
    });
    return violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  });
}

/**
 * The results page's "Best plan" and risk sections, in Chromium against the real Worker: the
 * optimiser (HiGHS in a Web Worker) shows the strategy comparison and the plan timeline, the
 * tornado shows, the Monte Carlo runs to completion with a progress bar, and Cancel stops a run.
 */
describe("best plan and risk on the results page", () => {
  const baseUrl = inject("baseUrl");
  let browser: Browser;
  let page: Page;
  const workerScripts: string[] = [];
  let cspViolations: string[] = [];

  beforeAll(async () => {
    browser = await launchBrowser();
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    page = await context.newPage();
    page.on("worker", (worker) => workerScripts.push(new URL(worker.url()).pathname));
    cspViolations = watchCspViolations(page);
    // A plan as a shared link carries it: the catalog fills the rest (model, region, servers, offers, API).
    // DeepSeek-R1: a model with a catalog token price, so the API path is among the strategies.
    const plan = { ...emptyPlan(), model: "deepseek-r1" };
    plan.values["workload.requestsPerDay"] = "10000000";
    plan.values["finance.discountRatePerYear"] = "9";
    plan.values["site.powerCapKw"] = "1500";
    await page.goto(`${baseUrl}/plan/results?p=${await encodeState(plan)}`);
    await page.waitForFunction(
      () => /per million tokens/.test(document.querySelector('[data-testid="headline"]')?.textContent ?? ""),
      undefined,
      { timeout: 30_000 },
    );
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("shows the strategy comparison, what binds and the plan timeline", async () => {
    const table = page.getByTestId("strategy-table");
    await table.waitFor({ timeout: 60_000 });
    // Its rows come a few per task after the paint (ADR 044): the table body is busy until all are in.
    await table.locator("tbody:not([aria-busy])").waitFor();
    // Each pure build per server, the best lease, the API, own-the-base-lease-the-peak, the optimal mix.
    expect(await table.getByTestId("strategy-build").count()).toBeGreaterThanOrEqual(1);
    for (const kind of ["lease", "api", "base-peak", "hybrid"])
      expect(await table.getByTestId(`strategy-${kind}`).count(), kind).toBe(1);
    const hybrid = table.getByTestId("strategy-hybrid");
    expect(await hybrid.textContent()).toMatch(/Optimal mix.*recommended/s);
    expect(await hybrid.textContent()).toMatch(/\$[\d.]+/);
    // What binds, in plain words, with names rather than option ids.
    const explanation = (await page.getByTestId("best-plan-explanation").textContent()) ?? "";
    expect(explanation).toMatch(/power cap/);
    expect(explanation).not.toMatch(/build-[a-z0-9-]+/);
    // The timeline: a chart and its table view, one row per plan year.
    // Charts are built when scrolled near (issue 16): scroll to it.
    await buildPartsWhenNear(page);
    const timeline = page.getByTestId("plan-timeline");
    await timeline.locator("summary").click();
    expect(await page.getByTestId("plan-timeline-table").locator("tbody tr").count()).toBe(5);
    expect(await timeline.locator("svg").count()).toBeGreaterThan(0);
    expect(workerScripts.some((script) => /optimise\.worker/.test(script))).toBe(true);
    // HiGHS (WebAssembly, in a Web Worker) runs under the app's CSP.
    expect(cspViolations).toEqual([]);
    await page.getByTestId("best-plan").scrollIntoViewIfNeeded();
    await screenshot(page, "optimise-best-plan");
  });

  it("shows the tornado with its table and the break-even values", async () => {
    const tornado = page.getByTestId("tornado");
    await expect
      .poll(
        async () => {
          await buildPartsWhenNear(page);
          return tornado.count();
        },
        { timeout: 60_000 },
      )
      .toBe(1);
    await tornado.locator("summary").click();
    expect(await page.getByTestId("tornado-table").locator("tbody tr").count()).toBeGreaterThanOrEqual(5);
    expect(await tornado.locator("svg").count()).toBeGreaterThan(0);
    expect((await page.getByTestId("break-evens").textContent())?.length ?? 0).toBeGreaterThan(10);
    await tornado.scrollIntoViewIfNeeded();
    await screenshot(page, "optimise-tornado");
  });

  it("runs the Monte Carlo to completion in a Web Worker, with progress", async () => {
    await page.getByTestId("mc-samples").selectOption("10000");
    await page.getByTestId("mc-run").click();
    const progress = page.getByTestId("mc-progress");
    const seen = new Set<number>();
    await expect
      .poll(
        async () => {
          const value = Number(await progress.getAttribute("value"));
          seen.add(value);
          return page.getByTestId("mc-status").textContent();
        },
        { timeout: 90_000, interval: 50 },
      )
      .toMatch(/^Done: 10,000 samples/);
    // The bar moved through intermediate values before it was full.
    expect([...seen].some((value) => value > 0 && value < 10_000)).toBe(true);
    expect(Number(await progress.getAttribute("value"))).toBe(10_000);
    expect(await page.getByTestId("mc-table").locator("tbody tr").count()).toBeGreaterThanOrEqual(2);
    expect(await page.getByTestId("mc-build-vs-lease").textContent()).toMatch(/in \d+% of the futures drawn/);
    expect(workerScripts.some((script) => /risk\.worker/.test(script))).toBe(true);
    await page.getByTestId("monte-carlo").scrollIntoViewIfNeeded();
    await screenshot(page, "optimise-monte-carlo");
  });

  it("Cancel stops a run part-way", async () => {
    await page.getByTestId("mc-samples").selectOption("100000");
    await page.getByTestId("mc-run").click();
    const progress = page.getByTestId("mc-progress");
    await expect
      .poll(async () => Number(await progress.getAttribute("value")), { timeout: 30_000, interval: 20 })
      .toBeGreaterThan(0);
    await page.getByTestId("mc-cancel").click();
    await expect
      .poll(() => page.getByTestId("mc-status").textContent(), { timeout: 20_000 })
      .toMatch(/^Cancelled after [\d,]+ of 100,000 samples\./);
    const status = (await page.getByTestId("mc-status").textContent()) ?? "";
    const done = Number(/after ([\d,]+)/.exec(status)?.[1]?.replace(/,/g, ""));
    expect(done).toBeGreaterThan(0);
    expect(done).toBeLessThan(100_000);
    // The page is usable again: the run button is back and the last complete band is still shown.
    expect(await page.getByTestId("mc-run").isEnabled()).toBe(true);
    expect(await page.getByTestId("mc-cancel").isDisabled()).toBe(true);
    expect(await page.getByTestId("mc-table").locator("tbody tr").count()).toBeGreaterThanOrEqual(2);
    await screenshot(page, "optimise-monte-carlo-cancelled");
  });

  it("the whole results page, with every chart rendered, has no serious or critical axe violations", async () => {
    // Chart legends are plain text beside the charts (PlanLegend), not buttons inside aria-hidden SVG blocks.
    await buildPartsWhenNear(page);
    expect(await page.locator("[data-render-when-near]").count()).toBe(0);
    expect(await page.locator('[aria-hidden="true"] button').count()).toBe(0);
    expect(await seriousAxeViolations(page)).toEqual([]);
  });

  it("a what-if slider marks the best plan and the tornado stale instead of re-running them; Re-run updates them", async () => {
    const status = page.getByTestId("best-plan-status");
    await expect.poll(() => status.textContent(), { timeout: 60_000 }).toMatch(/Solved/);
    const solved = await status.textContent();
    await page.getByTestId("whatif-volumeFactor").fill("3");
    await page.getByTestId("best-plan-stale").waitFor({ timeout: 10_000 });
    await page.getByTestId("tornado-stale").waitFor({ timeout: 10_000 });
    // Well past the old 400 ms re-plan: nothing ran again (a new solve reports a new time).
    await page.waitForTimeout(1_500);
    expect(await status.textContent()).toBe(solved);
    await screenshot(page, "optimise-stale");

    await page.getByTestId("best-plan-rerun").click();
    await expect.poll(() => page.getByTestId("best-plan-stale").count(), { timeout: 60_000 }).toBe(0);
    await expect.poll(() => status.textContent(), { timeout: 60_000 }).toMatch(/Solved/);
    await page.getByTestId("tornado-rerun").click();
    await expect.poll(() => page.getByTestId("tornado-stale").count(), { timeout: 60_000 }).toBe(0);
    expect(await page.getByTestId("tornado-table").locator("tbody tr").count()).toBeGreaterThanOrEqual(5);
  });
});
