// `npm run bench`: micro-benchmarks of the product's hot paths, printed as one figures table.
// Each section lives next to the code it measures (e.g. packages/kernel/bench/) and is listed in
// SECTIONS below; a case may carry a budget on its median, checked and shown in the table.
// Options: --time <ms> per case (default 1000); --baseline DIR (repeatable) times the kernel's
// targets of issue #16 side by side with the kernel of other checkouts (DIR/packages/kernel/src,
// e.g. from `git archive main packages/kernel | tar -x -C DIR`), in alternating blocks in this one run;
// --targets-only prints only that table. Exit code 1 when a case throws or, with
// --check-budgets, when a median is over its budget.
import { Bench } from "tinybench";
import { parseArgs } from "node:util";
import { spawnSync } from "node:child_process";
import { evaluateBenchSection } from "../packages/kernel/bench/evaluate.bench.ts";
import { createOptimiseBenchSection } from "../packages/kernel/bench/optimise.bench.ts";
import { throughputBenchSection } from "../packages/kernel/bench/throughput.bench.ts";
import { priceBook } from "@aifp/catalog";
import { runWorkerdOptimiseBench } from "./lib/bench-workerd.ts";
import { runKernelTargets } from "./lib/bench-targets.ts";

interface BenchCase {
  name: string;
  /** Budget on the median time of one call, milliseconds. */
  budgetMedianMs?: number;
  run: () => void | Promise<void>;
}

interface BenchSection {
  title: string;
  cases: BenchCase[];
}

const { values } = parseArgs({
  options: {
    time: { type: "string", default: "1000" },
    "check-budgets": { type: "boolean", default: false },
    "skip-web": { type: "boolean", default: false },
    "skip-workerd": { type: "boolean", default: false },
    "workerd-runs": { type: "string", default: "7" },
    baseline: { type: "string", multiple: true },
    "targets-only": { type: "boolean", default: false },
  },
});

const timeMs = Number(values.time);
if (!Number.isFinite(timeMs) || timeMs <= 0) {
  console.error(`--time must be a positive number of milliseconds, got "${values.time}"`);
  process.exit(2);
}

// The kernel's targets first (issue #16), with the baseline build beside this one when given.
const targets = await runKernelTargets({
  baselineDirs: values.baseline,
  timeMs,
  checkTargets: values["check-budgets"],
});
if (!targets.ok) process.exitCode = 1;
if (values["targets-only"]) process.exit(process.exitCode ?? 0);

// ← add further sections here (API routes …).
const SECTIONS: BenchSection[] = [
  evaluateBenchSection,
  throughputBenchSection(priceBook),
  await createOptimiseBenchSection(),
];

interface Row {
  section: string;
  name: string;
  median: string;
  p99: string;
  mean: string;
  opsPerSecond: string;
  samples: string;
  budget: string;
  status: string;
}

const ms = (value: number): string => (value < 0.01 ? `${(value * 1000).toFixed(2)} µs` : `${value.toFixed(3)} ms`);
const rows: Row[] = [];
let failed = !targets.ok;

for (const section of SECTIONS) {
  const bench = new Bench({ name: section.title, time: timeMs, warmupTime: Math.min(200, timeMs / 4) });
  for (const benchCase of section.cases) bench.add(benchCase.name, benchCase.run);
  await bench.run();
  for (const benchCase of section.cases) {
    const result = bench.getTask(benchCase.name)?.result;
    if (!result || result.state !== "completed") {
      failed = true;
      const reason = result?.state === "errored" ? result.error.message : (result?.state ?? "not run");
      rows.push({
        section: section.title,
        name: benchCase.name,
        median: "-",
        p99: "-",
        mean: "-",
        opsPerSecond: "-",
        samples: "-",
        budget: "-",
        status: `ERROR: ${reason}`,
      });
      continue;
    }
    const { latency, throughput } = result;
    const over = benchCase.budgetMedianMs !== undefined && latency.p50 > benchCase.budgetMedianMs;
    if (over && values["check-budgets"]) failed = true;
    rows.push({
      section: section.title,
      name: benchCase.name,
      median: ms(latency.p50),
      p99: ms(latency.p99),
      mean: ms(latency.mean),
      opsPerSecond: Math.round(throughput.mean).toLocaleString("en-US"),
      samples: String(latency.samplesCount),
      budget: benchCase.budgetMedianMs === undefined ? "-" : `median < ${benchCase.budgetMedianMs} ms`,
      status: benchCase.budgetMedianMs === undefined ? "" : over ? "OVER BUDGET" : "ok",
    });
  }
}

const headers: Row = {
  section: "section",
  name: "case",
  median: "median",
  p99: "p99",
  mean: "mean",
  opsPerSecond: "ops/s",
  samples: "samples",
  budget: "budget",
  status: "status",
};
const keys = Object.keys(headers) as (keyof Row)[];
const widths = keys.map((key) => Math.max(headers[key].length, ...rows.map((row) => row[key].length)));
const line = (row: Row): string =>
  keys
    .map((key, i) => row[key].padEnd(widths[i] as number))
    .join("  ")
    .trimEnd();
console.log(`Benchmarks on Node ${process.versions.node}, ${timeMs} ms per case\n`);
console.log(line(headers));
console.log(widths.map((w) => "-".repeat(w)).join("  "));
for (const row of rows) console.log(line(row));

// The optimiser in workerd: POST /api/v1/optimise through a local `wrangler dev`, timed from
// outside (workerd's own clock only advances on I/O), next to the same request in Node.
if (!values["skip-workerd"]) {
  const figures = await runWorkerdOptimiseBench({ runs: Number(values["workerd-runs"]) });
  if (!figures.ok) failed = true;
}

// The web figures (first-page JavaScript weight, time to a computed result in Chromium) need
// a built app and a running Worker: scripts/bench-web.ts does both and prints its own table.
if (!values["skip-web"]) {
  console.log("\nWeb app (scripts/bench-web.ts)\n");
  const web = spawnSync(process.execPath, [new URL("./bench-web.ts", import.meta.url).pathname], { stdio: "inherit" });
  if (web.status !== 0) failed = true;
}
process.exitCode = failed ? 1 : 0;
