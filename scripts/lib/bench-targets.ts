// The kernel's speed targets of issue #16 (packages/kernel/bench/targets.bench.ts), timed side by
// side with a baseline build of the kernel when `--baseline DIR` is given: blocks of calls
// alternate (this, baseline, baseline, this, …) so both see the same load, and the ratio of the
// medians is the figure to read on a shared machine.
import {
  KERNEL_TARGETS,
  loadBaselineKernel,
  loadOwnKernel,
  type KernelTarget,
  type KernelUnderTest,
} from "../../packages/kernel/bench/targets.bench.ts";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { median, timeMs as timeOnce } from "../../packages/kernel/bench/timing.ts";

interface TargetOptions {
  /** Other builds to time side by side with this one (each DIR/packages/kernel/src), in order. */
  baselineDirs?: readonly string[] | undefined;
  /** Time budget per target and build, ms (at least `iterations` calls are timed anyway). */
  timeMs: number;
  /** When true, a median over its target makes the run fail. */
  checkTargets?: boolean;
}

// A full garbage collection before each block, outside the timing, so each build pays for its
// own garbage and not for the other's (with call-by-call interleaving, the baseline's garbage
// was collected during this build's calls).
setFlagsFromString("--expose-gc");
const collectGarbage = runInNewContext("gc") as () => void;

/**
 * Times one target on each build in alternating blocks (this, baseline, baseline, this, …) of
 * about `BLOCK_MS`; returns the per-call samples (ms) per build.
 */
function measure(target: KernelTarget, kernels: KernelUnderTest[], timeMs: number): number[][] {
  const runs = kernels.map((kernel) => target.run(kernel));
  const samples: number[][] = kernels.map(() => []);
  // Warm-up: let the JIT compile every build's code before timing.
  const warmups = Math.max(2, Math.min(50, Math.ceil(target.iterations / 4)));
  for (const run of runs) for (let i = 0; i < warmups; i++) run();
  const spent = kernels.map(() => 0);
  for (let round = 0; round < 100_000; round++) {
    const enough = spent.every((total, k) => total >= timeMs && (samples[k] as number[]).length >= target.iterations);
    if (enough) break;
    // Alternate the order each round, so neither build always runs right after the other.
    const order = round % 2 === 0 ? [...runs.keys()] : [...runs.keys()].reverse();
    for (const k of order) {
      const run = runs[k] as () => void;
      const own = samples[k] as number[];
      collectGarbage();
      const blockStart = performance.now();
      do {
        own.push(timeOnce(run));
      } while (performance.now() - blockStart < BLOCK_MS);
      spent[k] = (spent[k] as number) + (performance.now() - blockStart);
    }
  }
  return samples;
}

/** Length of one timed block, ms: long enough for many calls, short enough to alternate often. */
const BLOCK_MS = 50;

const ms = (value: number): string =>
  value < 0.01
    ? `${(value * 1000).toFixed(2)} µs`
    : value < 1000
      ? `${value.toFixed(3)} ms`
      : `${(value / 1000).toFixed(3)} s`;

/** Runs every kernel target and prints one table; ok is false when a case throws (or misses its target with checkTargets). */
export async function runKernelTargets(options: TargetOptions): Promise<{ ok: boolean }> {
  const kernels = [await loadOwnKernel()];
  for (const dir of options.baselineDirs ?? []) kernels.push(await loadBaselineKernel(dir));
  const baselines = kernels.slice(1);
  // Columns name the baselines by position (the legend under the title says which is which).
  const tag = (b: number): string => (baselines.length === 1 ? "baseline" : `baseline ${b + 1}`);
  const header = [
    "target (issue #16)",
    "this build",
    ...baselines.flatMap((_, b) => [tag(b), `speed-up vs ${tag(b)}`]),
    "issue figure",
    "target",
    "status",
    "calls",
  ];
  const rows: string[][] = [];
  let ok = true;
  for (const target of KERNEL_TARGETS) {
    let samples: number[][];
    try {
      samples = measure(target, kernels, options.timeMs);
    } catch (error) {
      ok = false;
      rows.push([target.name, `ERROR: ${error instanceof Error ? error.message : String(error)}`]);
      continue;
    }
    const medians = samples.map(median);
    const own = medians[0] as number;
    const met = target.targetMedianMs === null ? null : own <= target.targetMedianMs;
    if (met === false && options.checkTargets) ok = false;
    rows.push([
      target.name,
      ms(own),
      ...baselines.flatMap((_, b) => {
        const theirs = medians[b + 1] as number;
        return [ms(theirs), `× ${(theirs / own).toFixed(2)}`];
      }),
      target.issueFigureMs === null ? "-" : ms(target.issueFigureMs),
      target.targetMedianMs === null ? "-" : `median ≤ ${ms(target.targetMedianMs)}`,
      met === null ? "" : met ? "met" : "MISSED",
      String((samples[0] as number[]).length),
    ]);
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => c.padEnd(widths[i] as number))
      .join("  ")
      .trimEnd();
  console.log(
    `Kernel targets of issue #16 on Node ${process.versions.node} (medians; blocks of calls alternate between builds)`,
  );
  baselines.forEach((kernel, b) => console.log(`${tag(b)}: ${kernel.label}`));
  if (baselines.length > 0) console.log("speed-up = the baseline's median ÷ this build's median");
  console.log("");
  console.log(line(header));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const row of rows) console.log(line(row));
  console.log("");
  return { ok };
}
