// Fill a build or lease option's throughput from the catalog's measured points (throughputAt);
// moved verbatim from resolveScenario in resolve.ts.
import { ScenarioError, throughputAt, type BuildOptionInput, type LeaseOptionInput } from "@aifp/kernel";
import type { Mutable, ResolveContext } from "./resolve-context.ts";
import type { CatalogThroughputPoint, Confidence } from "./types.ts";

export function fillThroughput(
  ctx: ResolveContext,
  option: Mutable<BuildOptionInput | LeaseOptionInput>,
  index: number,
  accelerator: string,
  model: string,
): void {
  const { book, scenario, options, issues, notes, record } = ctx;
  const at = (field: string) => `options.${index}.${field}`;
  const workload = scenario.workload;
  const target = options.interactivityTokensPerSecondPerUser ?? workload.interactivityTokensPerSecondPerUser ?? null;
  const ttftTarget = options.timeToFirstTokenMs ?? workload.timeToFirstTokenMs ?? null;
  try {
    const result = throughputAt(
      {
        accelerator,
        model,
        inputTokens: scenario.workload.inputTokensPerRequest,
        outputTokens: scenario.workload.outputTokensPerRequest,
        interactivityTokensPerSecondPerUser: target,
        timeToFirstTokenMs: ttftTarget,
      },
      book,
    );
    const points = result.sources
      .map((source) => book.throughputPoints.find((point) => point.id === source.id))
      .filter((point): point is CatalogThroughputPoint => point !== undefined);
    const confidence: Confidence =
      result.basis === "estimated" || result.basis === "extrapolated"
        ? "low"
        : points.some((point) => point.confidence === "low")
          ? "low"
          : points.some((point) => point.confidence === "medium")
            ? "medium"
            : "high";
    const asOf =
      result.sources
        .map((source) => source.asOf)
        .sort()
        .at(-1) ?? book.dataAsOf;
    const source =
      result.sources.length === 0
        ? `throughputAt estimate (${result.estimate?.method ?? "performance-model"})`
        : result.sources
            .map((s) => `${s.source} ${s.system} (${s.url})`)
            .slice(0, 3)
            .join("; ") + (result.sources.length > 3 ? `; +${result.sources.length - 3} more` : "");
    // The measured points' sources by id (ADR 030); an estimate from the fitted model names none.
    const sourceIds = [...new Set(points.flatMap((point) => point.sourceIds ?? []))];
    const cited = sourceIds.length > 0 ? { sourceIds } : {};
    const method = [
      `throughputAt ${result.basis} for ${result.model} on ${result.accelerator}`,
      target === null ? "no latency target (frontier batch end)" : `at ${target} tok/s/user`,
      ...(ttftTarget === null ? [] : [`first token within ${ttftTarget} ms`]),
      ...result.notes,
    ].join("; ");
    option.outputTokensPerSecondPerGpu = record(
      at("outputTokensPerSecondPerGpu"),
      {
        value: result.outputTokensPerSecondPerGpu,
        unit: "output tokens/s per GPU",
        source: result.basis === "measured" ? `${source} [${method}]` : source,
        ...cited,
        asOf,
        confidence,
        derived: result.basis !== "measured",
        method: result.basis === "measured" ? null : method,
      },
      "throughput",
      `throughput:${result.accelerator}:${result.model}`,
    );
    if (option.inputTokensPerSecondPerGpu === undefined && result.inputTokensPerSecondPerGpu !== null) {
      option.inputTokensPerSecondPerGpu = record(
        at("inputTokensPerSecondPerGpu"),
        {
          value: result.inputTokensPerSecondPerGpu,
          unit: "input tokens/s per GPU",
          source,
          ...cited,
          asOf,
          confidence: result.inputBasis === "estimated" ? "low" : confidence,
          derived: true,
          method: `throughputAt prefill rate (${result.inputBasis})`,
        },
        "throughput",
        `throughput:${result.accelerator}:${result.model}`,
      );
    }
    if (target === null)
      notes.push(
        `option ${option.id}: throughput read without a latency target (the frontier's batch end); set workload.interactivityTokensPerSecondPerUser for an SLO`,
      );
  } catch (error) {
    if (error instanceof ScenarioError) {
      for (const issue of error.issues)
        issues.push({ path: at("outputTokensPerSecondPerGpu"), message: `${issue.path}: ${issue.message}` });
    } else {
      throw error;
    }
  }
}
