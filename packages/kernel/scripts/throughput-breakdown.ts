// `npm run throughput:validate -- --breakdown`: where the held-out error at measured
// interactivity comes from. Groups the held-out interactive cases (leave-one-model-out and
// leave-one-accelerator-out) by source, model, accelerator, serving stack, parallelism,
// multi-token prediction, disaggregation and interactivity band, with signed errors
// (prediction ÷ measurement: above 1 over-predicts), and says per series whether the error is a
// level (the same factor along the curve) or a shape (it changes from the batch end to the
// tight end). Then the batch-end points (no latency limit): the same groups, and the worst held-out
// points with the configuration the full fit models them in (group, batch, what limits the batch),
// to tell a data error from a missing assumption. Prints Markdown; writes nothing.
import { priceBook } from "@aifp/catalog";
import { stackTerms } from "../src/throughput/calibrate.ts";
import { MAX_BATCH_PER_GROUP, USABLE_HBM_FRACTION } from "../src/throughput/perf-model.ts";
import { stackCurvePoint } from "../src/throughput/stack.ts";
import { observationLengths } from "../src/throughput/validate.ts";
import {
  physicalLimit,
  throughputObservations,
  workloadCost,
  type PerfCalibration,
  type ValidationCase,
  type ValidationReport,
} from "@aifp/kernel";

type Observation = ReturnType<typeof throughputObservations>[number];

const pct = (value: number) => `${(value * 100).toFixed(1)}%`;
const times = (ln: number) => `×${Math.exp(ln).toFixed(2)}`;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Decode parallelism named in an InferenceX system text (`TP8/EP8 DP-attn`), else the MLPerf group. */
function parallelism(o: Observation): string {
  const text = o.point.system;
  const tp = /TP(\d+)/.exec(text)?.[1];
  const ep = /EP(\d+)/.exec(text)?.[1];
  const dp = /DP-attn/.test(text) ? " DP-attn" : "";
  if (tp) return `TP${tp}${ep && ep !== "1" ? `/EP${ep}` : ""}${dp}`;
  return o.source === "mlperf" ? "MLPerf (not stated)" : "not stated";
}

/** Interactivity as a share of the datasheet batch-1 limit on 8 GPUs (the curve's widest group). */
function band(o: Observation): string {
  const lengths = o.lengths ?? { input: 1024, output: 1024 };
  const cost = workloadCost(o.architecture, o.family, lengths.input, lengths.output);
  const chip = { ...o.chip, limitGroups: o.chip.groups };
  const limit = physicalLimit(chip, cost)?.interactivity ?? Infinity;
  const share = o.interactivity / limit;
  if (share < 0.05) return "a < 5% of batch-1 limit";
  if (share < 0.1) return "b 5–10%";
  if (share < 0.2) return "c 10–20%";
  if (share < 0.4) return "d 20–40%";
  return "e ≥ 40%";
}

function seriesKey(o: Observation): string {
  return `${o.accelerator} ${o.model} ${o.lengths ? `${o.lengths.input}/${o.lengths.output}` : "dataset"} ${o.family} ${o.source}`;
}

interface Row {
  c: ValidationCase;
  o: Observation;
  ln: number;
}

function table(title: string, rows: readonly Row[], keyOf: (r: Row) => string): string[] {
  const groups = new Map<string, Row[]>();
  for (const r of rows) groups.set(keyOf(r), [...(groups.get(keyOf(r)) ?? []), r]);
  const lines = [
    `#### ${title}`,
    "",
    "| group | points | median \\|error\\| | median prediction ÷ measurement | over / under |",
    "|---|---|---|---|---|",
  ];
  for (const key of [...groups.keys()].sort()) {
    const mine = groups.get(key)!;
    const abs = mine.map((r) => Math.abs(Math.exp(r.ln) - 1));
    const over = mine.filter((r) => r.ln > 0).length;
    lines.push(
      `| ${key} | ${mine.length} | ${pct(median(abs))} | ${times(median(mine.map((r) => r.ln)))} | ${over} / ${mine.length - over} |`,
    );
  }
  lines.push("");
  return lines;
}

/**
 * Per series: the level (median ln ratio) and the shape (least-squares slope of ln ratio on
 * ln interactivity; ratio at the tight end ÷ ratio at the loose end).
 */
function shapes(rows: readonly Row[]): string[] {
  const groups = new Map<string, Row[]>();
  for (const r of rows) groups.set(seriesKey(r.o), [...(groups.get(seriesKey(r.o)) ?? []), r]);
  const lines = [
    "#### Level or shape, per series of 3 or more points",
    "",
    "| series | points | interactivity (tok/s/user) | level: median prediction ÷ measurement | loose end | tight end | slope of ln ratio per ln u |",
    "|---|---|---|---|---|---|---|",
  ];
  const slopes: number[] = [];
  for (const key of [...groups.keys()].sort()) {
    const mine = groups.get(key)!.sort((a, b) => a.o.interactivity - b.o.interactivity);
    if (mine.length < 3) continue;
    const x = mine.map((r) => Math.log(r.o.interactivity));
    const y = mine.map((r) => r.ln);
    const mx = x.reduce((s, v) => s + v, 0) / x.length;
    const my = y.reduce((s, v) => s + v, 0) / y.length;
    const sxx = x.reduce((s, v) => s + (v - mx) ** 2, 0);
    const slope = sxx > 0 ? x.reduce((s, v, i) => s + (v - mx) * (y[i]! - my), 0) / sxx : 0;
    slopes.push(slope);
    lines.push(
      `| ${key} | ${mine.length} | ${mine[0]!.o.interactivity.toFixed(0)}–${mine[mine.length - 1]!.o.interactivity.toFixed(0)} | ${times(median(y))} | ${times(y[0]!)} | ${times(y[y.length - 1]!)} | ${slope.toFixed(2)} |`,
    );
  }
  lines.push("");
  lines.push(
    `Median slope over ${slopes.length} series: ${median(slopes).toFixed(2)} (0 = a level; > 0 = over-predicts more at the tight end).`,
  );
  lines.push("");
  return lines;
}

/**
 * The configuration the full fit models a point in: group size, batch per group, what limits the
 * batch (HBM after the weights, the stack's batch ceiling, the run's stated concurrency) and the
 * regime; plus the in-sample ratio (the point with every factor fitted, itself included).
 */
function modelled(o: Observation, full: PerfCalibration): string {
  const { lengths, cost, point } = fullFitPoint(o, full);
  if (point === null) return "– | – | –";
  const n = point.groupSize;
  const memoryBatch = (n * o.chip.hbmBytes * USABLE_HBM_FRACTION - cost.totalWeightBytes) / cost.kvBytesPerSequenceMax;
  const limit =
    o.concurrencyPerGpu !== null && point.batch <= o.concurrencyPerGpu * n + 1e-9
      ? "concurrency"
      : point.batch >= MAX_BATCH_PER_GROUP - 1e-9 && memoryBatch > MAX_BATCH_PER_GROUP
        ? `ceiling (HBM ${memoryBatch.toFixed(0)})`
        : "HBM";
  return `${lengths.input}/${lengths.output} | N=${n}, B=${point.batch.toFixed(0)} (${limit}), ${point.regime} | ${point.outputTokensPerSecondPerGpu.toFixed(0)}`;
}

/** Whether the full fit models the point bandwidth- or compute-bound (or at batch 1). */
function regime(o: Observation, full: PerfCalibration): string {
  return fullFitPoint(o, full).point?.regime ?? "none";
}

/** The point's lengths, workload cost and curve point as the full fit models it. */
function fullFitPoint(o: Observation, full: PerfCalibration) {
  const lengths = observationLengths(o, full);
  const cost = workloadCost(o.architecture, o.family, lengths.input, lengths.output);
  const terms = stackTerms(full, o.stack, o.mtp, o.disaggregated, o.concurrencyPerGpu);
  return { lengths, cost, point: stackCurvePoint(o.chip, cost, full.params, o.interactivity, terms) };
}

/** Batch-end cases (no latency limit): groups, then the worst `count` points with their configuration. */
function batchEnd(
  label: string,
  cases: readonly ValidationCase[],
  obs: Map<string, Observation>,
  full: PerfCalibration,
  count: number,
): string[] {
  const rows: Row[] = cases
    .filter((c) => c.interactivity === 0 && c.predicted !== null)
    .map((c) => ({ c, o: obs.get(c.pointId)!, ln: Math.log(c.predicted! / c.measured) }))
    .filter((r) => r.o !== undefined);
  const lines = [`### ${label}, batch end (${rows.length} points)`, ""];
  lines.push(...table("By source and precision", rows, (r) => `${r.o.source} ${r.o.family}`));
  lines.push(...table("By model", rows, (r) => r.o.model));
  lines.push(...table("By accelerator", rows, (r) => r.o.accelerator));
  lines.push(...table("By full-fit regime and precision", rows, (r) => `${regime(r.o, full)} ${r.o.family}`));
  lines.push(`#### The ${count} worst points`, "");
  lines.push(
    "| point | accelerator | model | source | label → cost | system | measured tok/s/GPU | held out ÷ measured | lengths modelled | full-fit configuration | full-fit physics tok/s/GPU |",
    "|---|---|---|---|---|---|---|---|---|---|---|",
  );
  const worst = [...rows].sort((a, b) => Math.abs(Math.exp(b.ln) - 1) - Math.abs(Math.exp(a.ln) - 1)).slice(0, count);
  for (const r of worst)
    lines.push(
      `| ${r.c.pointId} | ${r.o.accelerator} | ${r.o.model} | ${r.o.point.source} | ${r.o.point.precision} → ${r.o.family} | ${r.o.point.system.replaceAll("|", "/")} | ${r.c.measured.toFixed(0)} | ${times(r.ln)} | ${modelled(r.o, full)} |`,
    );
  lines.push("");
  return lines;
}

/** The breakdown section for `report` (its LOMO and LOAO interactive cases). */
export function breakdownSection(report: ValidationReport): string {
  const obs = new Map(throughputObservations(priceBook).map((o) => [o.point.id, o]));
  const lines: string[] = [];
  for (const [label, cases] of [
    ["leave-one-model-out", report.lomo],
    ["leave-one-accelerator-out", report.loao],
  ] as const) {
    const rows: Row[] = cases
      .filter((c) => c.interactivity > 0 && c.predicted !== null)
      .map((c) => ({ c, o: obs.get(c.pointId)!, ln: Math.log(c.predicted! / c.measured) }))
      .filter((r) => r.o !== undefined);
    lines.push(`### ${label}, at measured interactivity (${rows.length} points)`, "");
    lines.push(...table("By source", rows, (r) => r.o.source));
    lines.push(...table("By model", rows, (r) => r.o.model));
    lines.push(...table("By accelerator", rows, (r) => r.o.accelerator));
    lines.push(...table("By serving stack", rows, (r) => r.o.stack));
    lines.push(
      ...table(
        "By serving mode",
        rows,
        (r) => `${r.o.disaggregated ? "disaggregated" : "aggregated"}${r.o.mtp ? " +MTP" : ""}`,
      ),
    );
    lines.push(...table("By decode parallelism", rows, (r) => parallelism(r.o)));
    lines.push(...table("By interactivity band (share of the 8-GPU batch-1 limit)", rows, (r) => band(r.o)));
    lines.push(
      ...table(
        "By source × model",
        rows,
        (r) => `${r.o.source} ${r.o.model}${r.o.source === "inferencex" ? ` ${r.o.stack}` : ""}`,
      ),
    );
    lines.push(...shapes(rows));
  }
  for (const [label, cases] of [
    ["leave-one-model-out", report.lomo],
    ["leave-one-architecture-out", report.loarch],
    ["leave-one-accelerator-out", report.loao],
  ] as const)
    lines.push(...batchEnd(label, cases, obs, report.full, 15));
  return lines.join("\n");
}
