// Where a cold visit of the results page spends its time (issue 16, ADR 033): one or more cold
// visits per build in headless Chromium with a Chrome trace, summarised as
//   - the network waterfall: when each script was requested and arrived (resource timing),
//     grouped into the levels SvelteKit discovers them in;
//   - the main thread until the headline: busy time by kind (compiling, running scripts, style
//     and layout, parsing HTML) and the idle time in between (waiting for the network).
//
//   node scripts/profile-web.ts [--visits 2] [--baseline DIR] [--trace-dir DIR] [--after-ms 0]
//
// --after-ms: keep tracing and profiling this long after the headline (the parts the results page
// draws after the answer, ADR 044); the summaries still cover navigation → headline, the written
// trace and CPU profile the whole time.
// --trace-dir: also write each visit's trace there (open it in Chrome DevTools' Performance panel).
//
// Uses the built app in apps/web/build (run `npm run build -w @aifp/web` first) and, with
// --baseline, another build served the same way, visits alternating (as `bench:web` does).
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { launchBrowser } from "../test/e2e/browser.ts";
import { emptyPlan } from "../apps/web/src/lib/plan.ts";
import { encodeState } from "../apps/web/src/lib/url-state.ts";
import { freePort, prepareLocal, repoRoot, startWorker } from "./lib/dev-server.ts";

const { values } = parseArgs({
  options: {
    visits: { type: "string", default: "2" },
    baseline: { type: "string" },
    "trace-dir": { type: "string" },
    "after-ms": { type: "string", default: "0" },
  },
});
const visits = Number(values.visits);
const afterMs = Number(values["after-ms"]);
const builds = [
  { name: "this build", dir: path.join(repoRoot, "apps/web/build") },
  ...(values.baseline ? [{ name: "baseline", dir: path.resolve(values.baseline) }] : []),
];

/** The build's files as the Worker serves them (`/x` is `x.html` when there is one; else index.html). */
async function serveBuild(context: BrowserContext, origin: string, dir: string): Promise<void> {
  await context.route(
    (url) => url.origin === origin && !url.pathname.startsWith("/api/"),
    async (route) => {
      const file = path.join(dir, decodeURIComponent(new URL(route.request().url()).pathname));
      const inside = file.startsWith(dir + path.sep);
      const body = inside ? await readFile(file).catch(() => null) : null;
      const page =
        !body && inside && path.extname(file) === "" ? await readFile(`${file}.html`).catch(() => null) : null;
      const type = file.endsWith(".js") ? "text/javascript" : file.endsWith(".css") ? "text/css" : "text/html";
      await route.fulfill({
        body: body ?? page ?? (await readFile(path.join(dir, "index.html"))),
        contentType: body ? type : "text/html",
      });
    },
  );
}

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  args?: { name?: string; data?: { url?: string } };
}

/** Busy time on the renderer's main thread by kind, from navigation to `untilMs`. */
function mainThread(events: TraceEvent[], navigationTs: number, untilMs: number): Record<string, number> {
  const main = events.find((event) => event.name === "thread_name" && event.args?.name === "CrRendererMain");
  if (!main) return {};
  const mine = events.filter(
    (event) =>
      event.pid === main.pid &&
      event.tid === main.tid &&
      event.ph === "X" &&
      event.ts >= navigationTs &&
      event.ts <= navigationTs + untilMs * 1000,
  );
  const sum = (names: string[]) =>
    mine.filter((event) => names.includes(event.name)).reduce((total, event) => total + (event.dur ?? 0) / 1000, 0);
  const busy = sum(["RunTask", "ThreadControllerImpl::RunTask"]);
  return {
    "busy (tasks)": busy,
    "compile (v8.compile*)": sum(["v8.compile", "v8.compileModule", "V8.CompileCode", "v8.produceModuleCache"]),
    "evaluate modules": sum(["v8.evaluateModule"]),
    "run script (EvaluateScript)": sum(["EvaluateScript"]),
    "function calls": sum(["FunctionCall"]),
    "style + layout": sum(["UpdateLayoutTree", "Layout"]),
    "parse HTML": sum(["ParseHTML"]),
    "idle (waiting)": untilMs - busy,
  };
}

interface ScriptTiming {
  file: string;
  startMs: number;
  endMs: number;
  bytes: number;
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples: number[];
  timeDeltas: number[];
}

/** The 12 functions with the most self time in a CPU profile, "name (file:line) ms". */
function selfTimes(profile: CpuProfile): string {
  const byNode = new Map(profile.nodes.map((node) => [node.id, node]));
  const totals = new Map<string, number>();
  profile.samples.forEach((id, index) => {
    const frame = byNode.get(id)?.callFrame;
    if (!frame) return;
    const key = `${frame.functionName || "(anonymous)"} (${frame.url.split("/").pop() ?? ""}:${frame.lineNumber + 1})`;
    totals.set(key, (totals.get(key) ?? 0) + (profile.timeDeltas[index] ?? 0) / 1000);
  });
  return [...totals]
    .filter(([key]) => !key.startsWith("(idle)"))
    .sort((a, b) => b[1] - a[1])
    .slice(0, 12)
    .map(([key, ms]) => `${key} ${ms.toFixed(0)} ms`)
    .join("; ");
}

const stateDir = await mkdtemp(path.join(os.tmpdir(), "planner-profile-web-"));
let stopWorker: (() => Promise<void>) | undefined;
let browser: Browser | undefined;
try {
  await prepareLocal({ persistTo: stateDir, quiet: true, buildWeb: false });
  const worker = await startWorker({ port: await freePort(), persistTo: stateDir });
  stopWorker = worker.stop;
  browser = await launchBrowser();
  const plan = emptyPlan();
  plan.values["workload.requestsPerDay"] = "10000000";
  plan.values["finance.discountRatePerYear"] = "9";
  const url = `${worker.url}/plan/results?p=${await encodeState(plan)}`;
  for (let visit = 0; visit < visits; visit++) {
    for (const build of visit % 2 ? [...builds].reverse() : builds) {
      const context: BrowserContext = await browser.newContext();
      await serveBuild(context, worker.url, build.dir);
      const page: Page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      const events: TraceEvent[] = [];
      cdp.on("Tracing.dataCollected", (message) => {
        events.push(...(message.value as unknown as TraceEvent[]));
      });
      await cdp.send("Profiler.enable");
      await cdp.send("Profiler.setSamplingInterval", { interval: 200 });
      await cdp.send("Profiler.start");
      await cdp.send("Tracing.start", {
        categories: "devtools.timeline,disabled-by-default-devtools.timeline,v8,v8.execute,toplevel,loading,__metadata",
        transferMode: "ReportEvents",
      });
      await page.goto(url);
      // Timed when a frame callback first sees the headline (as `bench:web` does).
      await page.waitForFunction(
        () => {
          const shown = /per million tokens/.test(
            document.querySelector('[data-testid="headline"]')?.textContent ?? "",
          );
          const seen = window as unknown as { headlineAt?: number };
          if (shown) seen.headlineAt ??= performance.now();
          return shown;
        },
        undefined,
        { polling: "raf", timeout: 30_000 },
      );
      const timing: { headlineMs: number; scripts: ScriptTiming[] } = await page.evaluate(() => ({
        headlineMs: (window as unknown as { headlineAt?: number }).headlineAt ?? performance.now(),
        scripts: performance
          .getEntriesByType("resource")
          .filter((entry) => /\.js$/.test(new URL(entry.name).pathname))
          .map((entry) => {
            const resource = entry as PerformanceResourceTiming;
            return {
              file: new URL(resource.name).pathname.split("/").slice(-2).join("/"),
              startMs: resource.startTime,
              endMs: resource.responseEnd,
              bytes: resource.decodedBodySize,
            };
          }),
      }));
      if (afterMs > 0) await page.waitForTimeout(afterMs);
      const { profile } = (await cdp.send("Profiler.stop")) as unknown as { profile: CpuProfile };
      const done = new Promise<void>((resolve) => cdp.once("Tracing.tracingComplete", () => resolve()));
      await cdp.send("Tracing.end");
      await done;
      await context.close();
      if (values["trace-dir"]) {
        const stem = path.join(values["trace-dir"], `${build.name.replace(/\W+/g, "-")}-${visit + 1}`);
        await writeFile(`${stem}.json`, JSON.stringify({ traceEvents: events, headlineMs: timing.headlineMs }));
        // The CPU profile too (open it in DevTools, or sum a function's total time from its call tree).
        await writeFile(`${stem}.cpuprofile`, JSON.stringify(profile));
      }
      const navigation = events.find((event) => event.name === "navigationStart" || event.name === "fetchStart");
      const navigationTs =
        navigation?.ts ?? Math.min(...events.filter((event) => event.ts > 0).map((event) => event.ts));
      console.log(`\n${build.name}, visit ${visit + 1}: headline at ${timing.headlineMs.toFixed(0)} ms`);
      // Scripts requested in waves: a wave starts when a request begins > 25 ms after the previous wave's start.
      const sorted: ScriptTiming[] = timing.scripts.sort((a, b) => a.startMs - b.startMs);
      let waveStart = Number.NEGATIVE_INFINITY;
      let wave: ScriptTiming[] = [];
      const waves: ScriptTiming[][] = [];
      for (const script of sorted) {
        if (script.startMs - waveStart > 25) {
          if (wave.length > 0) waves.push(wave);
          wave = [];
          waveStart = script.startMs;
        }
        wave.push(script);
      }
      if (wave.length > 0) waves.push(wave);
      for (const [index, items] of waves.entries()) {
        const start = Math.min(...items.map((item) => item.startMs));
        const end = Math.max(...items.map((item) => item.endMs));
        const kb = items.reduce((sum, item) => sum + item.bytes, 0) / 1024;
        const biggest = [...items].sort((a, b) => b.bytes - a.bytes)[0]?.file ?? "";
        console.log(
          `  wave ${index + 1}: ${items.length} scripts requested ${start.toFixed(0)} ms, all in by ${end.toFixed(0)} ms (${kb.toFixed(0)} KB, largest ${biggest})`,
        );
      }
      const busy = mainThread(events, navigationTs, timing.headlineMs);
      console.log(`  main thread until the headline, self time by function (CPU profile): ${selfTimes(profile)}`);
      console.log(
        "  main thread until the headline: " +
          Object.entries(busy)
            .map(([name, ms]) => `${name} ${ms.toFixed(0)} ms`)
            .join(", "),
      );
    }
  }
} finally {
  await browser?.close();
  await stopWorker?.();
  await rm(stateDir, { recursive: true, force: true });
}
