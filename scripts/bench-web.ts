// The web part of the benchmark: what the first page costs to download and how long a person
// waits for a computed result, measured in headless Chromium against the real Worker.
//
//   node scripts/bench-web.ts [--runs 3] [--skip-build]
//
// Figures:
//   - first page JavaScript (gzip): every script the home page loads, read from the built
//     assets (apps/web/build) and gzipped here (zlib level 6, what a CDN typically serves);
//     budget 250 KB. The planner's engine (price book + kernel) loads lazily and is reported
//     apart, as is the whole results route.
//   - time to a computed result: navigation start → the results headline showing a cost per
//     million tokens, in a fresh browser context (cold cache), for a plan carried in the URL.
//   - what-if recompute: a slider move → the headline changed, measured inside the page.
// Exit code 1 when the first page is over budget.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import type { Browser, Page } from "playwright-core";
import { launchBrowser } from "../test/e2e/browser.ts";
import { emptyPlan } from "../apps/web/src/lib/plan.ts";
import { encodeState } from "../apps/web/src/lib/url-state.ts";
import { prepareLocal, repoRoot, startWorker } from "./lib/dev-server.ts";

const FIRST_PAGE_BUDGET_BYTES = 250 * 1024;
const BUILD_DIR = path.join(repoRoot, "apps/web/build");

const { values } = parseArgs({
  options: { runs: { type: "string", default: "3" }, "skip-build": { type: "boolean", default: false } },
});
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1 || runs > 20) {
  console.error(`--runs must be a whole number from 1 to 20, got "${values.runs}"`);
  process.exit(2);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** gzip size of a built asset, by its URL path. */
async function gzipBytes(urlPath: string): Promise<{ raw: number; gzip: number }> {
  const file = path.join(BUILD_DIR, decodeURIComponent(urlPath));
  if (!file.startsWith(BUILD_DIR)) throw new Error(`asset outside the build: ${urlPath}`);
  const bytes = await readFile(file);
  return { raw: bytes.length, gzip: gzipSync(bytes, { level: 6 }).length };
}

/** Scripts (JS) a page loads until the network is idle, by URL path. */
async function scriptsOf(browser: Browser, url: string, waitFor: (page: Page) => Promise<void>): Promise<string[]> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const scripts = new Set<string>();
  page.on("response", (response) => {
    const type = response.request().resourceType();
    const pathname = new URL(response.url()).pathname;
    if (type === "script" || pathname.endsWith(".js")) scripts.add(pathname);
  });
  await page.goto(url, { waitUntil: "networkidle" });
  await waitFor(page);
  await context.close();
  return [...scripts];
}

async function weigh(paths: string[]): Promise<{ raw: number; gzip: number }> {
  let raw = 0;
  let gzip = 0;
  for (const urlPath of paths) {
    const size = await gzipBytes(urlPath);
    raw += size.raw;
    gzip += size.gzip;
  }
  return { raw, gzip };
}

const median = (list: number[]): number => {
  const sorted = [...list].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};
const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;

const stateDir = await mkdtemp(path.join(os.tmpdir(), "planner-bench-web-"));
let stopWorker: (() => Promise<void>) | undefined;
let browser: Browser | undefined;
try {
  await prepareLocal({ persistTo: stateDir, quiet: true, buildWeb: !values["skip-build"] });
  const worker = await startWorker({ port: await freePort(), persistTo: stateDir });
  stopWorker = worker.stop;
  browser = await launchBrowser();

  // 1. The first page's JavaScript.
  const firstPage = await scriptsOf(browser, `${worker.url}/`, async (page) => {
    await page.getByTestId("health-status").waitFor({ timeout: 15_000 });
  });
  const firstWeight = await weigh(firstPage);

  // 2. A plan in the URL, as a shared link would carry it: the catalog fills the rest.
  const plan = emptyPlan();
  plan.values["workload.requestsPerDay"] = "10000000";
  plan.values["finance.discountRatePerYear"] = "9";
  const resultsUrl = `${worker.url}/plan/results?p=${await encodeState(plan)}`;
  const headlineReady = (page: Page) =>
    page.waitForFunction(
      () => /per million tokens/.test(document.querySelector('[data-testid="headline"]')?.textContent ?? ""),
      undefined,
      { polling: "raf", timeout: 30_000 },
    );

  const resultsScripts = await scriptsOf(browser, resultsUrl, async (page) => {
    await headlineReady(page);
  });
  const resultsWeight = await weigh(resultsScripts);
  const engineChunks = [];
  for (const script of resultsScripts) {
    const size = await gzipBytes(script);
    if (size.raw > 500_000) engineChunks.push(size);
  }

  const times: number[] = [];
  const whatIfTimes: number[] = [];
  for (let run = 0; run < runs; run++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(resultsUrl);
    await headlineReady(page);
    times.push(await page.evaluate(() => performance.now()));
    whatIfTimes.push(
      await page.evaluate(async () => {
        const slider = document.querySelector<HTMLInputElement>('[data-testid="whatif-volumeFactor"]');
        const headline = document.querySelector('[data-testid="headline"]');
        if (!slider || !headline) throw new Error("results page without a volume slider or headline");
        const before = headline.textContent;
        const started = performance.now();
        slider.value = "2.5";
        slider.dispatchEvent(new Event("input", { bubbles: true }));
        for (let frame = 0; frame < 120; frame++) {
          await new Promise((resolve) => requestAnimationFrame(resolve));
          if (headline.textContent !== before) return performance.now() - started;
        }
        throw new Error("the headline did not change within 120 frames of a slider move");
      }),
    );
    await context.close();
  }

  const firstOk = firstWeight.gzip <= FIRST_PAGE_BUDGET_BYTES;
  const rows = [
    {
      figure: "First page JavaScript (gzip)",
      value: kb(firstWeight.gzip),
      detail: `${firstPage.length} scripts, ${kb(firstWeight.raw)} raw`,
      budget: kb(FIRST_PAGE_BUDGET_BYTES),
      status: firstOk ? "ok" : "OVER",
    },
    {
      figure: "Results page JavaScript (gzip)",
      value: kb(resultsWeight.gzip),
      detail: `${resultsScripts.length} scripts, lazily loaded engine included`,
      budget: "",
      status: "",
    },
    {
      figure: "Engine chunk: price book + kernel (gzip)",
      value: engineChunks.map((chunk) => kb(chunk.gzip)).join(", ") || "—",
      detail: engineChunks.map((chunk) => `${kb(chunk.raw)} raw`).join(", "),
      budget: "lazy",
      status: "",
    },
    {
      figure: "Time to a computed result (median)",
      value: `${median(times).toFixed(0)} ms`,
      detail: `cold cache, ${runs} runs: ${times.map((time) => time.toFixed(0)).join(", ")} ms`,
      budget: "",
      status: "",
    },
    {
      figure: "What-if recompute to new headline (median)",
      value: `${median(whatIfTimes).toFixed(1)} ms`,
      detail: `slider input → headline changed, ${whatIfTimes.map((time) => time.toFixed(1)).join(", ")} ms`,
      budget: "1 frame ≈ 16.7 ms",
      status: median(whatIfTimes) <= 16.7 ? "ok" : "slow",
    },
  ];
  console.log("\nWeb: first page weight and time to a result (headless Chromium, real Worker)\n");
  console.table(rows);
  if (!firstOk) process.exitCode = 1;
} finally {
  await browser?.close();
  await stopWorker?.();
  await rm(stateDir, { recursive: true, force: true });
}
