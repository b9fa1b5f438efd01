import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { emptyPlan } from "../../apps/web/src/lib/plan.ts";
import { encodeState } from "../../apps/web/src/lib/url-state.ts";
import { launchBrowser, screenshot } from "./browser.ts";
import { type MainThreadTask, mainThreadTasksSince, startMainThreadTrace } from "./main-thread.ts";

/**
 * Issue 16: the optimiser (HiGHS) and the risk analysis run in Web Workers, so while they run the
 * page's main thread does not compute (its trace shows only short drawing tasks, each named by
 * what ran in it) and a click on a wizard link responds; a run made stale by a change is stopped;
 * the wizard's last steps load the workers before the results are asked for. No timing is
 * asserted on totals: only the absence of long tasks, which is what keeps input responsive.
 */
/**
 * The guard's bounds. Issue 16's target is no main-thread task over 50 ms while the optimiser and
 * the risk analysis run. The test reads each task of the page's main thread from a Chromium trace,
 * from the headline on, with both its wall-clock time and the CPU time the thread spent in it, and
 * holds the CPU time to the target (`LONGEST_TASK_CPU_MS`): that is the page's own work, which
 * computing on the main thread would take to seconds. The wall-clock time also counts the waits
 * for a core while the page's two workers and other processes run on the shared 2-core machine
 * (ADR 045: tasks of at most 12 ms of CPU lasted 35–67 ms at a load of 6, and a clean-clone CI
 * run saw a 97 ms task with no script in it), so it is held only to `LONGEST_TASK_WALL_MS`, the
 * bound that has held at loads of 9 to 13 (ADR 024). The page is visited up to `VISITS_AT_MOST`
 * times, each in a new browser context, and passes on the first visit within both bounds; work of
 * the page's own comes back in every visit. Every visit's longest task is printed.
 */
const LONGEST_TASK_CPU_MS = 50;
const LONGEST_TASK_WALL_MS = 250;
const VISITS_AT_MOST = 3;

type Visit = { page: Page; context: BrowserContext; workers: string[]; tasks: MainThreadTask[] };

describe("the results page stays responsive while the optimiser and the risk analysis run", () => {
  const baseUrl = inject("baseUrl");
  let browser: Browser;
  let query: string;

  beforeAll(async () => {
    browser = await launchBrowser();
    // DeepSeek-R1 (a token API path too) under a power cap: the optimiser has real work to do.
    const plan = { ...emptyPlan(), model: "deepseek-r1" };
    plan.values["workload.requestsPerDay"] = "10000000";
    plan.values["finance.discountRatePerYear"] = "9";
    plan.values["site.powerCapKw"] = "1500";
    query = `p=${await encodeState(plan)}`;
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function openResults(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${baseUrl}/plan/results?${query}`);
    await page.waitForFunction(
      () => /per million tokens/.test(document.querySelector('[data-testid="headline"]')?.textContent ?? ""),
      undefined,
      { timeout: 60_000 },
    );
    return page;
  }

  const monteCarloDone = async (page: Page) => Number(await page.getByTestId("mc-progress").getAttribute("value"));

  /**
   * One visit: the results page traced from the headline on, while the optimiser (started on
   * arrival) and a 100,000-sample Monte Carlo compute, until 2,000 samples are done.
   */
  async function watchVisit(): Promise<Visit> {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    const workers: string[] = [];
    page.on("worker", (worker) => workers.push(new URL(worker.url()).pathname));
    await startMainThreadTrace(browser, page);
    await page.goto(`${baseUrl}/plan/results?${query}`);
    await page.waitForFunction(
      () => {
        const ready = /per million tokens/.test(document.querySelector('[data-testid="headline"]')?.textContent ?? "");
        if (ready && performance.getEntriesByName("headline-shown").length === 0) performance.mark("headline-shown");
        return ready;
      },
      undefined,
      { timeout: 60_000, polling: "raf" },
    );
    const optimiserRunning = await page.getByTestId("best-plan-status").textContent();
    expect(optimiserRunning).toMatch(/Finding the cheapest plan|Loading the solver/);
    // The Monte Carlo as a keyboard user starts it (no scroll: the charts beside it stay unbuilt).
    await page.getByTestId("mc-samples").evaluate((select: HTMLSelectElement) => {
      select.value = "100000";
      select.dispatchEvent(new Event("change", { bubbles: true }));
    });
    await page.getByTestId("mc-run").dispatchEvent("click");
    await expect.poll(() => monteCarloDone(page), { timeout: 60_000, interval: 50 }).toBeGreaterThan(2_000);
    const tasks = await mainThreadTasksSince(browser, "headline-shown");
    expect(await monteCarloDone(page)).toBeLessThan(100_000);
    return { page, context, workers, tasks };
  }

  const longest = (visit: Visit, of: "cpuMs" | "wallMs") =>
    Math.round(Math.max(0, ...visit.tasks.map((task) => task[of])));
  const overBounds = (visit: Visit) =>
    visit.tasks.filter((task) => task.cpuMs > LONGEST_TASK_CPU_MS || task.wallMs > LONGEST_TASK_WALL_MS);

  it("the main thread does not compute while they run, and a wizard link responds", async () => {
    const seen: string[] = [];
    let passed: Visit | undefined;
    while (!passed && seen.length < VISITS_AT_MOST) {
      const visit = await watchVisit();
      const over = overBounds(visit);
      seen.push(
        `visit ${seen.length + 1}: ${visit.tasks.length} main-thread tasks after the headline, the longest ` +
          `${longest(visit, "cpuMs")} ms of CPU and ${longest(visit, "wallMs")} ms wall-clock` +
          (over.length > 0 ? `; over the bounds: ${JSON.stringify(over)}` : ""),
      );
      if (visit.tasks.length > 0 && over.length === 0) passed = visit;
      else await visit.context.close();
    }
    console.log(seen.join("\n"));
    expect(passed, seen.join("\n")).toBeDefined();
    const { page, context, workers } = passed as Visit;

    // A wizard link responds while the Monte Carlo is still running: the Finance step opens.
    expect(await monteCarloDone(page)).toBeLessThan(100_000);
    await page
      .getByRole("navigation", { name: "Planner steps" })
      .getByRole("link", { name: /Finance/ })
      .click();
    await page.waitForURL(/\/plan\/finance/);
    await page.getByRole("heading", { level: 1 }).waitFor();
    expect(workers.some((script) => /optimise\.worker/.test(script))).toBe(true);
    expect(workers.some((script) => /risk\.worker/.test(script))).toBe(true);
    await screenshot(page, "responsive-finance-during-risk");
    await context.close();
  });

  it("a what-if change stops a Monte Carlo run made stale by it", async () => {
    const page = await openResults();
    await page.getByTestId("mc-samples").selectOption("100000");
    await page.getByTestId("mc-run").click();
    await expect.poll(() => monteCarloDone(page), { timeout: 60_000, interval: 50 }).toBeGreaterThan(0);
    await page.getByTestId("whatif-volumeFactor").fill("2");
    await expect
      .poll(() => page.getByTestId("mc-status").textContent(), { timeout: 20_000 })
      .toMatch(/^Stopped after [\d,]+ of 100,000 samples: the plan changed\./);
    expect(await page.getByTestId("mc-run").isEnabled()).toBe(true);
    await page.context().close();
  });

  it("the wizard's last step loads the optimiser (with HiGHS) and the risk workers before the results", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const workers: string[] = [];
    const wasm: string[] = [];
    page.on("worker", (worker) => workers.push(new URL(worker.url()).pathname));
    context.on("request", (request) => {
      if (new URL(request.url()).pathname.endsWith(".wasm")) wasm.push(request.url());
    });
    await page.goto(`${baseUrl}/plan/finance?${query}`);
    await expect.poll(() => workers.some((script) => /optimise\.worker/.test(script)), { timeout: 60_000 }).toBe(true);
    await expect.poll(() => workers.some((script) => /risk\.worker/.test(script)), { timeout: 60_000 }).toBe(true);
    await expect.poll(() => wasm.length, { timeout: 60_000 }).toBeGreaterThan(0);
    // Not on the first step: a person who only looks at the workload does not download the solver.
    const early = await browser.newContext();
    const first = await early.newPage();
    const earlyWorkers: string[] = [];
    first.on("worker", (worker) => earlyWorkers.push(worker.url()));
    await first.goto(`${baseUrl}/plan/workload?${query}`);
    await first.getByRole("heading", { level: 1 }).waitFor();
    await first.waitForTimeout(2_000);
    expect(earlyWorkers).toEqual([]);
    await early.close();
    await context.close();
  });
});
