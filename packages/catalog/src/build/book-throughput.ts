// Price-book section: measured throughput points (moved verbatim from book.ts).
import { canonicalJson } from "@aifp/formats";
import type { CatalogThroughputPoint } from "../types.ts";
import type { AcceleratorSection } from "./book-accelerators.ts";
import type { BookContext } from "./book-context.ts";
import { sha256 } from "./book-figures.ts";
import type { readModelArchitectures, readModels } from "./book-models.ts";
import { CatalogRowError } from "./csv.ts";
import * as S from "./schemas.ts";

function parseLatency(constraint: string): {
  inputTokens: number | null;
  outputTokens: number | null;
  p99TtftLimitMs: number | null;
  p99TpotLimitMs: number | null;
  medianTtftMs: number | null;
  medianTpotMs: number | null;
} {
  const number = (pattern: RegExp): number | null => {
    const match = pattern.exec(constraint);
    return match?.[1] === undefined ? null : Number(match[1]);
  };
  const lengths = /ISL\/OSL (\d+)\/(\d+)/.exec(constraint);
  return {
    inputTokens: lengths?.[1] === undefined ? null : Number(lengths[1]),
    outputTokens: lengths?.[2] === undefined ? null : Number(lengths[2]),
    p99TtftLimitMs: number(/p99 TTFT<=(\d+(?:\.\d+)?)ms/),
    p99TpotLimitMs: number(/p99 TPOT<=(\d+(?:\.\d+)?)ms/),
    medianTtftMs: number(/median TTFT (\d+(?:\.\d+)?) ms/),
    medianTpotMs: number(/median TPOT (\d+(?:\.\d+)?) ms/),
  };
}

export function readThroughputPoints(
  { read, idsAt, files }: BookContext,
  {
    modelByBenchmark,
    knownModelKeys,
    architectureRows,
    alias,
  }: Pick<ReturnType<typeof readModels>, "modelByBenchmark"> &
    Pick<ReturnType<typeof readModelArchitectures>, "knownModelKeys" | "architectureRows"> &
    Pick<AcceleratorSection, "alias">,
): CatalogThroughputPoint[] {
  // --- throughput points ---------------------------------------------------------------------
  const rounds = new Map(
    read("benchmark_rounds.csv", S.BenchmarkRoundRow).map((item) => [item.row.source, item.row] as const),
  );
  const throughputText = files["inference_throughput.csv"];
  const throughputRows = read("inference_throughput.csv", S.ThroughputRow);
  const pointIds = new Map<string, number>();
  // A row may name its model by a benchmark name (models.csv benchmark_names) or by its model
  // key. Rows of a model that has an architecture row but no models.csv row yet are held back
  // (the model list runs behind the measurements); any other unknown name fails the build.
  const architectureKeys = new Set(architectureRows.map(({ row }) => row.key));
  const throughputPoints: CatalogThroughputPoint[] = throughputRows.flatMap(({ line, row }) => {
    const file = "inference_throughput.csv";
    const round = rounds.get(row.source);
    if (!round) throw new CatalogRowError(file, line, "source", 1, `no benchmark_rounds.csv row for "${row.source}"`);
    const model = modelByBenchmark.get(row.model) ?? (knownModelKeys.has(row.model) ? row.model : undefined);
    if (!model && architectureKeys.has(row.model)) return [];
    if (!model)
      throw new CatalogRowError(
        file,
        line,
        "model",
        6,
        `"${row.model}" is neither a models.csv key nor listed in its benchmark_names`,
      );
    const accelerator = alias("inference_throughput", file, line, "accelerator", row.accelerator, null);
    const asOf = row.run_date ?? round.as_of;
    if (!asOf)
      throw new CatalogRowError(file, line, "run_date", 20, "expected a run date (the round has no publication date)");
    // The per-accelerator rate must be the system rate divided by the accelerator count
    // (the CSV rounds InferenceX rates to 0.1 tok/s, hence the absolute slack of 0.05).
    const perGpu = row.tokens_per_second_system / row.accelerator_count;
    if (Math.abs(perGpu - row.tokens_per_second_per_accelerator) > Math.max(0.051, 0.001 * perGpu)) {
      throw new CatalogRowError(
        file,
        line,
        "tokens_per_second_per_accelerator",
        10,
        `expected tokens_per_second_system / accelerator_count = ${perGpu.toFixed(2)}`,
      );
    }
    const latency = parseLatency(row.latency_constraint);
    // The id hashes the measurement, not its citation: converting sources to ids (ADR 030) keeps ids stable.
    const { source_ids: sourceIdsCell, ...measurement } = row;
    const id = `tp_${sha256(canonicalJson(measurement)).slice(0, 16)}`;
    const pointSourceIds = sourceIdsCell === undefined ? [] : idsAt(file, line);
    const firstLine = pointIds.get(id);
    if (firstLine !== undefined)
      throw new CatalogRowError(file, line, "source", 1, `duplicate row (same as line ${firstLine})`);
    pointIds.set(id, line);
    return {
      id,
      source: row.source,
      accelerator,
      model,
      scenario: row.scenario,
      precision: row.precision,
      inputTokens: latency.inputTokens,
      outputTokens: latency.outputTokens,
      outputTokensPerSecondPerGpu: row.tokens_per_second_per_accelerator,
      totalTokensPerSecondPerGpu: row.tokens_per_second_per_accelerator_input_plus_output,
      interactivityTokensPerSecondPerUser: row.interactivity_tokens_per_s_per_user,
      system: row.system,
      url: row.result_url_or_path,
      asOf,
      benchmark: row.model,
      submitter: row.submitter,
      acceleratorCount: row.accelerator_count,
      p99TtftLimitMs: latency.p99TtftLimitMs,
      p99TpotLimitMs: latency.p99TpotLimitMs,
      medianTtftMs: latency.medianTtftMs,
      medianTpotMs: latency.medianTpotMs,
      latencyConstraint: row.latency_constraint,
      powerW: row.power_w,
      powerScope: row.power_scope,
      software: row.software,
      inferred: (row.notes ?? "").includes("inferred=1"),
      // Ids of the round's sources once the file is converted (ADR 030); absent before.
      ...(pointSourceIds.length > 0 ? { sourceIds: pointSourceIds } : {}),
      confidence: round.confidence,
      sourceLine: line,
    } satisfies CatalogThroughputPoint;
  });
  void throughputText;
  return throughputPoints;
}
