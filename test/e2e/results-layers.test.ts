import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { emptyPlan } from "../../apps/web/src/lib/plan.ts";
import { encodeState } from "../../apps/web/src/lib/url-state.ts";
import { axeViolations, blockingViolations } from "./axe.ts";
import { buildPartsWhenNear, launchBrowser, screenshot } from "./browser.ts";

/**
 * The results page in three layers (issue 18 item 6, ADR 022): the answer in one sentence with
 * the saving in dollars, the payback and the P10–P90 band of a Monte Carlo; the comparison in
 * four columns with the rest on demand; the detail (charts with readable axes and labels that do
 * not sit on their lines, a monthly table, every assumption). On a 390 px phone nothing is wider
 * than the screen, and the page prints. Notes name products, never option ids (item 8).
 */

/** The CFO's plan: Llama 3.3 70B, 2 billion tokens a day at the chat preset's mix, 30 % growth, 5 years. */
async function cfoUrl(baseUrl: string, requestsPerDay: string, extra: { tokenApis?: string[] } = {}): Promise<string> {
  const plan = { ...emptyPlan(), model: "llama3.3-70b", ...extra };
  plan.values["workload.requestsPerDay"] = requestsPerDay;
  plan.values["workload.growthPerYear"] = "30";
  plan.values["finance.discountRatePerYear"] = "9";
  return `${baseUrl}/plan/results?p=${await encodeState(plan)}`;
}

/** Relative luminance contrast of an `rgb(…)` colour against white (WCAG formula). */
function contrastOnWhite(rgb: string): number {
  const [r, g, b] = (rgb.match(/[\d.]+/g) ?? ["0", "0", "0"]).slice(0, 3).map((part) => {
    const c = Number(part) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  return 1.05 / (luminance + 0.05);
}

describe("the results page in three layers", () => {
  const baseUrl = inject("baseUrl");
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function open(url: string, viewport: { width: number; height: number }): Promise<Page> {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    await page.goto(url);
    await expect
      .poll(() => page.getByTestId("headline").textContent(), { timeout: 30_000 })
      .toMatch(/per million tokens over 5 years/);
    return page;
  }

  it("answers in one sentence with the saving in dollars, the payback and the Monte Carlo band", async () => {
    const page = await open(await cfoUrl(baseUrl, "20000000"), { width: 1366, height: 900 });
    const headline = (await page.getByTestId("headline").textContent()) ?? "";
    // At 20 million requests a day building is cheapest: the saving against the named baseline, and the payback.
    expect(headline).toMatch(
      /^Building with .+ costs \$[\d.]+ per million tokens over 5 years, \$[\d.,]+(?: million)? \(\d+%\) less in present value than .+, the cheapest way not to build; it pays back against .+ in \d/,
    );
    const range = page.getByTestId("headline-range");
    await range.waitFor({ timeout: 60_000 });
    const rangeText = (await range.textContent()) ?? "";
    expect(rangeText).toMatch(/1,000 simulated futures.*\$[\d.]+ to \$[\d.]+ per million tokens \(P10–P90\)/);
    // When the Monte Carlo finds the answer cheapest in fewer than half of the futures, the range says
    // so first; otherwise it gives the share plainly (which one depends on the price book).
    const cheapestShare = Number(/cheapest in (?:only )?(\d+)%/.exec(rangeText)?.[1]);
    expect(cheapestShare).toBeGreaterThanOrEqual(0);
    if (cheapestShare < 50) expect(rangeText).toMatch(/^Not a sure answer: .* cheapest in only \d+%/);
    else expect(rangeText).toMatch(/^Across 1,000 simulated futures .* it is the cheapest in \d+% of them/);
    if (/never pays back/.test(rangeText))
      expect(rangeText).toMatch(/never pays back against leasing .+ in \d+% of them/);

    // The comparison: four columns, the rest on demand.
    const headers = page.getByTestId("paths-table").locator("thead th");
    expect(await headers.allTextContents()).toEqual([
      "Path",
      "Cost per million tokens",
      "Present value of cost",
      "Pays back",
      "Cash out in year 1",
    ]);
    await page.getByTestId("more-columns").click();
    await expect.poll(() => headers.count()).toBe(12);
    expect(await page.getByTestId("more-columns").getAttribute("aria-expanded")).toBe("true");
    await page.getByTestId("more-columns").click();
    await expect.poll(() => headers.count()).toBe(5);

    // The detail: axis labels of 12 px or more, dark on white, on every chart drawn (each built once near).
    await buildPartsWhenNear(page);
    const ticks = page.locator(".lc-axis-tick-label");
    await expect.poll(() => ticks.count(), { timeout: 30_000 }).toBeGreaterThan(10);
    const styles = await ticks.evaluateAll((nodes) =>
      nodes.map((node) => ({ size: parseFloat(getComputedStyle(node).fontSize), fill: getComputedStyle(node).fill })),
    );
    for (const style of styles) {
      expect(style.size).toBeGreaterThanOrEqual(12);
      expect(contrastOnWhite(style.fill)).toBeGreaterThanOrEqual(4.5);
    }
    // "Pays back" sits beside its dashed line, never on it.
    const label = page.locator(".lc-annotation-line-label", { hasText: "Pays back" }).first();
    await label.waitFor({ timeout: 20_000 });
    const gap = await label.evaluate((node) => {
      const text = node.getBoundingClientRect();
      // The dashed vertical line nearest to the label (LayerChart draws lines and labels in separate groups).
      const lines = [...document.querySelectorAll(".lc-annotation-line")]
        .map((line) => line.getBoundingClientRect())
        .filter((box) => box.width < 4 && box.height > 20);
      const x = lines
        .map((box) => box.left + box.width / 2)
        .sort((a, b) => Math.abs(a - text.left) - Math.abs(b - text.left))[0];
      if (x === undefined) return null;
      return Math.min(Math.abs(text.left - x), Math.abs(text.right - x)) * (text.left > x || text.right < x ? 1 : -1);
    });
    expect(gap).not.toBeNull();
    expect(gap!).toBeGreaterThanOrEqual(3);
    // No power cap in this plan: no cap in the fleet chart's title, no cap line.
    expect(await page.locator("#chart-fleet").textContent()).not.toMatch(/power available/);
    expect(await page.locator(".lc-annotation-line-label", { hasText: "Power available" }).count()).toBe(0);

    // The monthly table on demand: one row a month.
    await page.getByTestId("monthly").locator("summary").click();
    await expect.poll(() => page.locator("table.monthly tbody tr").count()).toBe(60);

    // Notes name products, never option or catalog ids.
    const notes = (await page.getByTestId("notes").textContent()) ?? "";
    expect(notes).not.toMatch(/\b(?:build|lease|api)-[\w:.-]+|api:[\w-]+:|option [a-z]+-/);
    expect(blockingViolations(await axeViolations(page))).toEqual([]);
    await screenshot(page, "results-layers-desktop");
    await page.getByTestId("answer").screenshot({ path: "test-results/e2e/results-layers-answer.png" });
    await page
      .locator("#chart-cash")
      .locator("..")
      .screenshot({ path: "test-results/e2e/results-layers-cash-chart.png" });
    await page.context().close();
  });

  it("draws every part and every row at once before printing, even right after the answer", async () => {
    // The parts after the answer come one per task after each paint (ADR 039, 044); a print made
    // before they are all in must still show everything. `beforeprint` is sent in the first frame
    // that shows the headline, before any later part has been drawn, and the page is read in the
    // same task: the show-all must be synchronous, parts mounted by it included.
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    await page.goto(
      await cfoUrl(baseUrl, "976563", {
        tokenApis: ["api:openrouter:llama3.3-70b", "api:anthropic:claude-sonnet-4-5"],
      }),
    );
    const handle = await page.waitForFunction(
      () => {
        if (!/per million tokens/.test(document.querySelector('[data-testid="headline"]')?.textContent ?? "")) return;
        const count = (selector: string) => document.querySelectorAll(selector).length;
        const before = { comparison: count('[data-testid="comparison"]'), risk: count('[data-testid="risk"]') };
        dispatchEvent(new Event("beforeprint"));
        const body = document.querySelector("table.assumptions tbody");
        return {
          before,
          comparison: count('[data-testid="comparison"]'),
          apiOffers: count('[data-testid^="api-offer-"]'),
          bestPlan: count('[data-testid="best-plan"]'),
          risk: count('[data-testid="risk"]'),
          monteCarlo: count('[data-testid="monte-carlo"]'),
          assumptionRows: body?.querySelectorAll("tr").length ?? 0,
          assumptionsBusy: body?.getAttribute("aria-busy") ?? null,
        };
      },
      undefined,
      { polling: "raf", timeout: 60_000 },
    );
    const seen = await handle.jsonValue();
    if (!seen) throw new Error("the headline was never seen");
    expect(seen.before, "the later parts were not drawn yet: the test would prove nothing").toEqual({
      comparison: 0,
      risk: 0,
    });
    expect(seen).toMatchObject({ comparison: 1, apiOffers: 2, bestPlan: 1, risk: 1, monteCarlo: 1 });
    // Every assumption, not the first task's few: the table is no longer marked busy.
    expect(seen.assumptionRows).toBeGreaterThan(12);
    expect(seen.assumptionsBusy).toBeNull();
    await context.close();
  });

  it("labels an API of another model as such in the table", async () => {
    const page = await open(
      await cfoUrl(baseUrl, "976563", {
        tokenApis: ["api:openrouter:llama3.3-70b", "api:anthropic:claude-sonnet-4-5"],
      }),
      { width: 1366, height: 900 },
    );
    const row = page.getByTestId("path-api-api:anthropic:claude-sonnet-4-5");
    await expect
      .poll(() => row.getByTestId("row-different-model").textContent())
      .toMatch(/A different model \(Claude Sonnet 4\.5, not your Llama 3\.3 70B\)/);
    expect(await page.getByTestId("answer-model").textContent()).toMatch(
      /Every path serves Llama 3\.3 70B, except the token API marked “a different model”/,
    );
    // The plan's own model's API is like for like: no such label.
    expect(
      await page.getByTestId("path-api-api:openrouter:llama3.3-70b").getByTestId("row-different-model").count(),
    ).toBe(0);
    await page.context().close();
  });

  it("fits a 390 px phone without sideways scrolling, and prints", async () => {
    const page = await open(await cfoUrl(baseUrl, "976563"), { width: 390, height: 844 });
    await page.getByTestId("headline-range").waitFor({ timeout: 60_000 });
    // Charts are built when they come near the screen (ADR 024): bring each one in first.
    await buildPartsWhenNear(page);
    await expect.poll(() => page.locator(".lc-axis-tick-label").count(), { timeout: 30_000 }).toBeGreaterThan(5);
    const overflow = () =>
      page.evaluate(() => ({
        page: document.documentElement.scrollWidth,
        view: document.documentElement.clientWidth,
        wide: [...document.querySelectorAll("main *")]
          .filter((node) => node.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
          .filter((node) => !node.closest(".table-wrap, details:not([open])"))
          .slice(0, 5)
          .map((node) => `${node.tagName.toLowerCase()}.${[...node.classList].join(".")}`),
      }));
    const phone = await overflow();
    expect(phone.wide).toEqual([]);
    expect(phone.page).toBeLessThanOrEqual(phone.view);
    await screenshot(page, "results-layers-phone");
    await page.getByTestId("answer").screenshot({ path: "test-results/e2e/results-layers-phone-answer.png" });
    await page.getByTestId("comparison").screenshot({ path: "test-results/e2e/results-layers-phone-comparison.png" });
    await page
      .locator("#chart-cash")
      .locator("..")
      .screenshot({ path: "test-results/e2e/results-layers-phone-chart.png" });

    // Print: the controls go, the answer, the table and the charts stay, and nothing is wider than the paper.
    await page.setViewportSize({ width: 794, height: 1123 });
    await page.emulateMedia({ media: "print" });
    expect(await page.getByTestId("headline").isVisible()).toBe(true);
    expect(await page.getByTestId("paths-table").isVisible()).toBe(true);
    expect(await page.locator("#whatif-heading").isVisible()).toBe(false);
    expect(await page.getByTestId("more-columns").isVisible()).toBe(false);
    expect(await page.locator(".lc-axis-tick-label").first().isVisible()).toBe(true);
    const printed = await overflow();
    expect(printed.page).toBeLessThanOrEqual(printed.view);
    await page.pdf({ path: "test-results/e2e/results-layers.pdf", format: "A4" }).catch(() => undefined);
    await screenshot(page, "results-layers-print");
    await page.context().close();
  });
});
