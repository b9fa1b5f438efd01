import type { Browser, Page } from "playwright-core";

/**
 * The page's main-thread tasks read from a Chromium trace: each task's wall-clock duration and
 * the CPU time the main thread spent in it (`tdur`). A long task's wall-clock time also counts
 * the time the thread waited for a core while other processes ran; its CPU time is the page's own
 * work. On the shared 2-core machine, with the page's own workers busy on both cores, the two
 * differ by a factor of 3 to 6 (ADR 045).
 */
export type MainThreadTask = {
  /** From the mark the caller named, in ms. */
  startMs: number;
  wallMs: number;
  cpuMs: number;
  /** The longest pieces of work inside the task (scripts by URL, style, layout, paint). */
  inside: string[];
};

type TraceEvent = {
  name: string;
  cat: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string; data?: { url?: string; functionName?: string; type?: string } };
};

// The categories of Chromium's own performance panel: each task (RunTask), what ran inside it, and
// the caller's mark.
const CATEGORIES = ["disabled-by-default-devtools.timeline", "devtools.timeline", "blink.user_timing"];
const PIECES = new Set([
  "FunctionCall",
  "EvaluateScript",
  "TimerFire",
  "EventDispatch",
  "FireAnimationFrame",
  "UpdateLayoutTree",
  "Layout",
  "Paint",
  "PrePaint",
  "Layerize",
  "MajorGC",
  "MinorGC",
]);

export async function startMainThreadTrace(browser: Browser, page: Page): Promise<void> {
  await browser.startTracing(page, { categories: CATEGORIES });
}

/** Stops the trace and returns the renderer main thread's tasks that began at or after `markName`. */
export async function mainThreadTasksSince(browser: Browser, markName: string): Promise<MainThreadTask[]> {
  const { traceEvents } = JSON.parse((await browser.stopTracing()).toString()) as { traceEvents: TraceEvent[] };
  const mainThreads = new Set(
    traceEvents
      .filter((event) => event.name === "thread_name" && event.args?.name === "CrRendererMain")
      .map((event) => `${event.pid}:${event.tid}`),
  );
  const mark = traceEvents.find((event) => event.name === markName && event.cat.includes("user_timing"));
  if (!mark) throw new Error(`the trace has no "${markName}" mark`);
  const onMain = traceEvents.filter((event) => event.ph === "X" && mainThreads.has(`${event.pid}:${event.tid}`));
  const pieces = onMain.filter((event) => PIECES.has(event.name));
  return onMain
    .filter((event) => event.name === "RunTask" && event.ts >= mark.ts)
    .map((task) => {
      const end = task.ts + (task.dur ?? 0);
      const inside = pieces
        .filter((piece) => piece.pid === task.pid && piece.tid === task.tid && piece.ts >= task.ts && piece.ts < end)
        .sort((a, b) => (b.dur ?? 0) - (a.dur ?? 0))
        .slice(0, 4)
        .map((piece) => {
          const data = piece.args?.data;
          const what = data?.url ? ` ${data.url.split("/").pop()}` : data?.type ? ` ${data.type}` : "";
          return `${piece.name}${what} ${((piece.dur ?? 0) / 1000).toFixed(1)} ms`;
        });
      return {
        startMs: (task.ts - mark.ts) / 1000,
        wallMs: (task.dur ?? 0) / 1000,
        cpuMs: (task.tdur ?? task.dur ?? 0) / 1000,
        inside,
      };
    });
}
