/**
 * What the "Best plan" section shows, from the kernel's `OptimiseResult`: the strategy comparison
 * (each pure build per server, the best lease, the best token API, "own the base, lease the
 * peak", the optimal mix), what binds in plain words, and the plan period by period. Pure: no
 * catalog, no DOM; money in USD, levelised cost in USD per million tokens, as the kernel gives.
 */
import type { HybridPeriod, OptimiseResult, Scenario, StrategySummary } from "@aifp/kernel";
import type { OptionLabel } from "./results.ts";

type Labels = Readonly<Record<string, OptionLabel>>;

/** One row of the strategy comparison. */
export interface StrategyRow {
  /** The kernel's strategy id (option id, `base-peak:<build>+<lease>`, `hybrid`). */
  id: string;
  kind: StrategySummary["kind"];
  /** Plain words: "Own Dell PowerEdge XE9680", "Lease: Nebius H200 (8 GPUs)", "Optimal mix". */
  name: string;
  /** How the strategy serves the demand. */
  detail: string;
  npvCostUsd: number | null;
  lcotUsdPerMillionTokens: number | null;
  feasible: boolean;
  /** Why it breaks a limit (power cap, availability, …), in the kernel's words with names. */
  reason: string | null;
  /** The recommended plan (the optimal mix). */
  recommended: boolean;
  /** NPV above the recommended plan, USD (>= 0); null when not comparable (no NPV, or infeasible). */
  moreThanBestUsd: number | null;
}

const nameOf = (labels: Labels, id: string): string => labels[id]?.name ?? id;

/**
 * Replaces option ids in a kernel sentence by their names ("build-nvidia-dgx-h200" → "NVIDIA DGX
 * H200"), longest ids first so one id inside another is never half replaced.
 */
export function withNames(text: string, labels: Labels): string {
  let out = text;
  for (const id of Object.keys(labels).sort((a, b) => b.length - a.length)) {
    const name = labels[id]?.name;
    if (name && id !== name) out = out.split(id).join(name);
  }
  return out;
}

/** The build and lease ids of a `base-peak:<build>+<lease>` strategy, matched against known ids. */
function basePeakParts(id: string, labels: Labels): { build: string; lease: string } | null {
  const rest = id.startsWith("base-peak:") ? id.slice("base-peak:".length) : null;
  if (rest === null) return null;
  for (const build of Object.keys(labels))
    if (rest.startsWith(`${build}+`) && labels[rest.slice(build.length + 1)])
      return { build, lease: rest.slice(build.length + 1) };
  return null;
}

/** The cheapest feasible strategy of a kind, else the cheapest of that kind; with how many there are. */
function bestOfKind(
  strategies: StrategySummary[],
  kind: "lease" | "api",
): { best: StrategySummary; count: number } | null {
  const list = strategies.filter((s) => s.kind === kind);
  if (list.length === 0) return null;
  const byNpv = (a: StrategySummary, b: StrategySummary) =>
    (a.npvCostUsd ?? Number.POSITIVE_INFINITY) - (b.npvCostUsd ?? Number.POSITIVE_INFINITY);
  const feasible = list.filter((s) => s.feasible && s.npvCostUsd !== null).sort(byNpv);
  return { best: feasible[0] ?? [...list].sort(byNpv)[0]!, count: list.length };
}

/**
 * The strategy comparison, in a fixed order: every pure build (one row per server), the best
 * lease (of all cloud offers), the best token API, own the base / lease the peak, the optimal mix.
 */
export function strategyRows(result: OptimiseResult, labels: Labels): StrategyRow[] {
  const hybridNpv = result.hybrid.npvCostUsd;
  const row = (s: StrategySummary, name: string, detail: string): StrategyRow => ({
    id: s.id,
    kind: s.kind,
    name,
    detail,
    npvCostUsd: s.npvCostUsd,
    lcotUsdPerMillionTokens: s.lcotUsdPerMillionTokens,
    feasible: s.feasible,
    reason: s.reason ? withNames(s.reason, labels) : null,
    recommended: s.kind === "hybrid",
    // An infeasible strategy can cost less than the plan only by breaking a limit: not comparable.
    moreThanBestUsd: s.npvCostUsd === null || !s.feasible ? null : Math.max(0, s.npvCostUsd - hybridNpv),
  });
  const rows: StrategyRow[] = [];
  for (const s of result.strategies.filter((item) => item.kind === "build"))
    rows.push(row(s, `Own ${nameOf(labels, s.id)}`, "Only these servers, bought month by month as demand needs them"));
  const lease = bestOfKind(result.strategies, "lease");
  if (lease)
    rows.push(
      row(
        lease.best,
        `Lease ${nameOf(labels, lease.best.id)}`,
        lease.count > 1
          ? `The cheapest of ${lease.count} cloud offers, instances sized month by month`
          : "Cloud instances sized month by month",
      ),
    );
  const api = bestOfKind(result.strategies, "api");
  if (api)
    rows.push(
      row(
        api.best,
        `Buy tokens: ${nameOf(labels, api.best.id)}`,
        api.count > 1
          ? `The cheapest of ${api.count} token APIs, paying per token`
          : "Paying per token, nothing to run",
      ),
    );
  for (const s of result.strategies.filter((item) => item.kind === "base-peak")) {
    const parts = basePeakParts(s.id, labels);
    rows.push(
      row(
        s,
        "Own the base, lease the peak",
        parts
          ? `${nameOf(labels, parts.build)} sized for the average load, ${nameOf(labels, parts.lease)} for the peaks`
          : withNames(s.label, labels),
      ),
    );
  }
  const hybrid = result.strategies.find((item) => item.kind === "hybrid");
  if (hybrid)
    rows.push(
      row(
        hybrid,
        "Optimal mix",
        result.hybrid.source === "milp"
          ? "The solver's mix of owned servers, leased instances and tokens, period by period"
          : `No mix beats a single path here: the same as ${nameOf(labels, result.hybrid.source)}`,
      ),
    );
  return rows;
}

/** What binds and why, in plain words with names (the kernel's explanation). */
export function bindingExplanation(result: OptimiseResult, labels: Labels): string[] {
  return result.explanation.map((sentence) => withNames(sentence, labels));
}

/** One period of the plan timeline. */
export interface TimelineRow {
  /** First month "YYYY-MM" and the period's length. */
  start: string;
  months: number;
  /** Servers bought in the period, per hardware generation label ("Hopper", "Blackwell"). */
  boughtByGeneration: Record<string, number>;
  /** Servers sold in the period (end of life or early). */
  retired: number;
  /** Servers owned at the end of the period, per build option name. */
  ownedByOption: Record<string, number>;
  /** GPUs owned at the end of the period, per generation label. */
  ownedGpusByGeneration: Record<string, number>;
  /** Highest instances leased in a month of the period, all offers, and per offer name. */
  leasedInstances: number;
  leasedByOption: Record<string, number>;
  leasedGpus: number;
  /** Share of requests sent to token APIs (average over the period), 0–1. */
  apiShare: number;
  /** Highest facility power of owned servers in the period, kW, and the site's cap (null: none). */
  facilityKw: number;
  powerCapKw: number | null;
  capexUsd: number;
  cashUsd: number;
}

/** Generation label of a build option: from the catalog (via `generationOf`), else "Other servers". */
export type GenerationOf = (optionId: string) => string | null;

/**
 * The plan period by period: servers bought by generation, servers and GPUs owned, instances
 * leased, the API share, facility power against the cap.
 */
export function timelineRows(
  result: OptimiseResult,
  scenario: Scenario,
  labels: Labels,
  generationOf: GenerationOf,
): TimelineRow[] {
  const gpusPerServer = new Map<string, number>();
  for (const option of scenario.options)
    if (option.kind === "build") gpusPerServer.set(option.id, option.gpusPerServer ?? 0);
  const generation = (id: string) => generationOf(id) ?? "Other servers";
  const add = (record: Record<string, number>, key: string, value: number) => {
    if (value > 0) record[key] = (record[key] ?? 0) + value;
  };
  return result.hybrid.periods.map((period: HybridPeriod) => {
    const boughtByGeneration: Record<string, number> = {};
    for (const [id, n] of Object.entries(period.buy)) add(boughtByGeneration, generation(id), n);
    const ownedByOption: Record<string, number> = {};
    const ownedGpusByGeneration: Record<string, number> = {};
    for (const [id, n] of Object.entries(period.servers)) {
      add(ownedByOption, nameOf(labels, id), n);
      add(ownedGpusByGeneration, generation(id), n * (gpusPerServer.get(id) ?? 0));
    }
    const leasedByOption: Record<string, number> = {};
    for (const [id, n] of Object.entries(period.lease)) add(leasedByOption, nameOf(labels, id), n);
    return {
      start: period.start,
      months: period.months,
      boughtByGeneration,
      retired: Object.values(period.retire).reduce((a, b) => a + b, 0),
      ownedByOption,
      ownedGpusByGeneration,
      leasedInstances: Object.values(period.lease).reduce((a, b) => a + b, 0),
      leasedByOption,
      leasedGpus: period.leasedGpus,
      apiShare: period.apiShare,
      facilityKw: period.facilityKw,
      powerCapKw: scenario.site?.powerCapKw ?? null,
      capexUsd: period.capexUsd,
      cashUsd: period.cashUsd,
    };
  });
}

/** Generations that appear anywhere in the timeline (chart series), in first-seen order. */
export function timelineGenerations(rows: readonly TimelineRow[]): string[] {
  const seen: string[] = [];
  for (const row of rows)
    for (const key of Object.keys(row.ownedGpusByGeneration)) if (!seen.includes(key)) seen.push(key);
  return seen;
}

/** "2027-01" as "2027" for yearly periods, "2027-Q2" for quarters, else the month. */
export function periodLabel(start: string, months: number): string {
  if (months >= 12 && start.endsWith("-01")) return start.slice(0, 4);
  if (months === 3) return `${start.slice(0, 4)}-Q${Math.floor((Number(start.slice(5, 7)) - 1) / 3) + 1}`;
  if (months === 6) return `${start.slice(0, 4)}-H${Number(start.slice(5, 7)) <= 6 ? 1 : 2}`;
  return start;
}
