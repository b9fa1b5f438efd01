import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { emptyPlan } from "../../apps/web/src/lib/plan.ts";
import { encodeState } from "../../apps/web/src/lib/url-state.ts";
import { launchBrowser, screenshot } from "./browser.ts";

/**
 * Issue 16: the optimiser (HiGHS) and the risk analysis run in Web Workers, so while they run the
 * page's main thread does not compute (a `PerformanceObserver` of type "longtask" sees at most
 * short drawing tasks, each named by its script) and a click on a wizard link responds; a run made stale by a change is stopped; the
 * wizard's last steps load the workers before the results are asked for. No timing is asserted
 * on totals: only the absence of long tasks, which is what keeps input responsive.
 */
/**
 * The guard's bounds. Issue 16's target is no task over 50 ms. The page's own work after the
 * headline is cut into parts (ADR 039: the answer first, then one part per task, the assumptions'
 * rows a few per task), but single parts still take longer than 50 ms on the shared 2-core
 * machine: with the bound at 50 ms, three runs at a load average of 1.9–3.7 on 2026-12-07 passed
 * once and failed twice, on parts drawn by the results page's timers of 60–116 ms and 71 ms (ADR
 * 024 and 033 saw drawing tasks of 100–180 ms at a load of 9 to 13; ADR 028 none over 50 ms idle).
 * With the parts cut smaller (ADR 044: the best plan, the token offers and the Monte Carlo in tasks
 * of their own, rows six per task), three runs at 50 ms at a load of 3.1–7.4 again passed once and
 * failed twice (a results-page timer task of 78 ms; a 62 ms task of mostly style and layout), and
 * with the strategies table's rows two per task, three more at a load of 2.6–5.0 the same (86 and
 * 68 ms, mostly style, layout and an observer callback). With every assumption's rows three per
 * task, three runs at 50 ms at a load of 2.2–4.7 passed (longest task 0 ms), but the fourth, in a
 * run of the e2e suite at a load of 4.0–4.7, failed on a 60 ms timer task of the results page.
 * With the assumptions section laid out as its rows come (not `content-visibility: auto`: its
 * inputs made Chromium force its layout, ADR 044), three runs and a run of the e2e suite at a load
 * of 1.8–3.8 passed four times (longest task 0 ms): the bound is issue 16's target. The test also
 * prints the longest task it saw.
 */
const LONGEST_TASK_MS = 50;
const LONG_TASKS_IN_ALL_MS = 500;

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

  it("the main thread does not compute while they run, and a wizard link responds", async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    const workers: string[] = [];
    page.on("worker", (worker) => workers.push(new URL(worker.url()).pathname));
    // Watched from the headline on: the person reads the top of the page while the optimiser
    // (started on arrival) and the risk analysis compute below.
    await page.addInitScript(() => {
      const tasks: { startMs: number; durationMs: number }[] = [];
      const state = { tasks, from: Number.POSITIVE_INFINITY, optimiserSeenRunning: false };
      (window as unknown as { watch: typeof state }).watch = state;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) tasks.push({ startMs: entry.startTime, durationMs: entry.duration });
      }).observe({ type: "longtask" });
      // Which scripts ran in a slow frame, to name the culprit when the assertion fails.
      const frames: { startMs: number; scripts: string[] }[] = [];
      (window as unknown as { slowFrames: typeof frames }).slowFrames = frames;
      try {
        new PerformanceObserver((list) => {
          for (const entry of list.getEntries() as unknown as {
            startTime: number;
            scripts?: { invoker?: string; sourceFunctionName?: string; sourceURL?: string; duration: number }[];
          }[])
            frames.push({
              startMs: entry.startTime,
              scripts: (entry.scripts ?? []).map(
                (script) =>
                  `${script.invoker ?? ""} ${script.sourceFunctionName ?? ""} ${(script.sourceURL ?? "").split("/").pop() ?? ""} ${Math.round(script.duration)} ms`,
              ),
            });
        }).observe({ type: "long-animation-frame" });
      } catch {
        // Not every browser has long-animation-frame entries: the long tasks alone decide.
      }
    });
    await page.goto(`${baseUrl}/plan/results?${query}`);
    await page.waitForFunction(
      () => {
        const ready = /per million tokens/.test(document.querySelector('[data-testid="headline"]')?.textContent ?? "");
        const watch = (window as unknown as { watch: { from: number } }).watch;
        if (ready && watch.from === Number.POSITIVE_INFINITY) watch.from = performance.now();
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
    expect(await monteCarloDone(page)).toBeLessThan(100_000);

    const tasks = await page.evaluate(async () => {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const watch = (window as unknown as { watch: { from: number; tasks: { startMs: number; durationMs: number }[] } })
        .watch;
      // Tasks that began once the headline showed (the one that drew it is the arrival's).
      return watch.tasks.filter((task) => task.startMs >= watch.from);
    });
    const slowFrames = await page.evaluate(
      () => (window as unknown as { slowFrames: { startMs: number; scripts: string[] }[] }).slowFrames,
    );
    const long = tasks.filter((task) => task.durationMs > 50);
    const framesOf = (task: { startMs: number }) =>
      slowFrames.filter((frame) => Math.abs(task.startMs - frame.startMs) < 200);
    // The computing never runs on the main thread. Issue 16's target is no task over 50 ms; on the
    // shared 2-core machine of this project, under a load of 9 to 13, single tasks of 100–180 ms
    // remain (drawing a worker's answer, a timer of the page: ADR 024, docs/web.md), so the test
    // asserts what tells computing apart from drawing: no task over 250 ms and under 500 ms of long
    // tasks in all, while the Monte Carlo alone is seconds of work (about 15 s for 100,000 samples
    // there) and the page is watched from the headline until 2,000 samples are done.
    const detail = JSON.stringify(long.map((task) => ({ ...task, frames: framesOf(task) })));
    console.log(
      `longest task after the headline: ${Math.round(Math.max(0, ...tasks.map((task) => task.durationMs)))} ms; ` +
        `long tasks (> 50 ms) in all: ${Math.round(long.reduce((sum, task) => sum + task.durationMs, 0))} ms`,
    );
    expect(
      long.filter((task) => task.durationMs > LONGEST_TASK_MS),
      detail,
    ).toEqual([]);
    expect(
      long.reduce((sum, task) => sum + task.durationMs, 0),
      detail,
    ).toBeLessThan(LONG_TASKS_IN_ALL_MS);

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
