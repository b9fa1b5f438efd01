/** Reading a measured frontier for `throughputAt`: the point at a target interactivity, and each point as a cited source. */
import type { ThroughputPoint } from "../reference-data.ts";
import { paretoFrontier, prepareFrontier, readFrontier, type FrontierPoint } from "./frontier.ts";
import { lengthKey, matchLengths, type LengthMatch } from "./series.ts";
import type { ThroughputQuery, ThroughputSource } from "./throughput-types.ts";

export function toSource(frontierPoint: FrontierPoint): ThroughputSource {
  const p = frontierPoint.point;
  return {
    id: p.id,
    source: p.source,
    system: p.system,
    url: p.url,
    asOf: p.asOf,
    accelerator: p.accelerator,
    model: p.model,
    scenario: p.scenario,
    precision: p.precision,
    inputTokens: p.inputTokens,
    outputTokens: p.outputTokens,
    interactivity: frontierPoint.interactivityTokensPerSecondPerUser,
    outputTokensPerSecondPerGpu: p.outputTokensPerSecondPerGpu,
  };
}

export function formatRate(value: number): string {
  return value >= 100 ? value.toFixed(0) : value.toPrecision(3);
}

/** The measured reading for one pair, or why there is none. */
interface MeasuredReading {
  kind: "reading";
  outputTokensPerSecondPerGpu: number;
  basis: "measured" | "interpolated";
  clamped: boolean;
  bracket: FrontierPoint[];
  frontier: FrontierPoint[];
  lengths: LengthMatch;
}

export function readMeasured(
  pairPoints: readonly ThroughputPoint[],
  query: ThroughputQuery,
  target: number | null,
):
  | MeasuredReading
  | { kind: "unreachable"; best: FrontierPoint; frontier: FrontierPoint[]; lengths: LengthMatch }
  | null {
  const lengths = matchLengths(pairPoints.map(lengthKey), query.inputTokens, query.outputTokens);
  if (lengths === null) return null;
  const series = pairPoints.filter((p) => lengthKey(p) === lengths.key);
  const frontierPoints = paretoFrontier(series);
  const prepared = prepareFrontier(frontierPoints);
  if (target === null) {
    // No latency target: the highest-throughput point (the batch end of the frontier).
    const first = frontierPoints[0]!;
    return {
      kind: "reading",
      outputTokensPerSecondPerGpu: first.outputTokensPerSecondPerGpu,
      basis: "measured",
      clamped: false,
      bracket: [first],
      frontier: frontierPoints,
      lengths,
    };
  }
  const reading = readFrontier(prepared, target);
  if (reading.kind === "above-frontier") {
    return { kind: "unreachable", best: frontierPoints[frontierPoints.length - 1]!, frontier: frontierPoints, lengths };
  }
  return {
    kind: "reading",
    outputTokensPerSecondPerGpu: reading.outputTokensPerSecondPerGpu,
    basis: reading.kind === "between" ? "interpolated" : "measured",
    clamped: reading.kind === "clamped-below",
    bracket: reading.bracket,
    frontier: frontierPoints,
    lengths,
  };
}
