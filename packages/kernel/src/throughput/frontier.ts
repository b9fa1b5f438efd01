/**
 * The throughput-vs-interactivity Pareto frontier of one accelerator × model (× precision ×
 * sequence lengths): the best output tokens/s per GPU reachable at each tokens/s per user.
 */
import type { ThroughputPoint } from "../reference-data.ts";
import { evaluateSteffen, steffenInterpolant, type SteffenInterpolant } from "./interpolate.ts";

/** A point on the frontier, with the measurement it comes from. */
export interface FrontierPoint {
  /** Tokens/s per user; 0 for an MLPerf Offline run (no latency limit: the batch end). */
  interactivityTokensPerSecondPerUser: number;
  outputTokensPerSecondPerGpu: number;
  point: ThroughputPoint;
}

/**
 * The interactivity a point is placed at on the frontier. MLPerf Offline has no latency limit,
 * so it sits at 0 tok/s/user, the lowest-interactivity end; MLPerf Server and Interactive sit at
 * their TPOT floors (`1000 / TPOT limit`); InferenceX points at their measured median.
 */
export function frontierInteractivity(point: ThroughputPoint): number {
  return point.interactivityTokensPerSecondPerUser ?? 0;
}

/**
 * Extracts the Pareto frontier: a point stays when no other point has at least its interactivity
 * and strictly more throughput (ties on interactivity keep the higher throughput; exact ties the
 * first in input order). Returned sorted by interactivity ascending; throughput is then strictly
 * decreasing, which is what makes the monotone interpolation meaningful.
 *
 * @param points measured points of one series; invalid values (non-finite, negative throughput)
 *   are a RangeError naming the point id.
 */
export function paretoFrontier(points: readonly ThroughputPoint[]): FrontierPoint[] {
  const candidates = points.map((point, order) => {
    const interactivity = frontierInteractivity(point);
    const throughput = point.outputTokensPerSecondPerGpu;
    if (!Number.isFinite(interactivity) || interactivity < 0) {
      throw new RangeError(`point ${point.id}: interactivity must be a finite number >= 0, got ${interactivity}`);
    }
    if (!Number.isFinite(throughput) || throughput <= 0) {
      throw new RangeError(`point ${point.id}: output tokens/s per GPU must be a finite number > 0, got ${throughput}`);
    }
    return { interactivity, throughput, point, order };
  });
  // Highest interactivity first; on equal interactivity the higher throughput first.
  candidates.sort((a, b) => b.interactivity - a.interactivity || b.throughput - a.throughput || a.order - b.order);
  const kept: FrontierPoint[] = [];
  let bestThroughput = -Infinity;
  for (const candidate of candidates) {
    if (candidate.throughput > bestThroughput) {
      kept.push({
        interactivityTokensPerSecondPerUser: candidate.interactivity,
        outputTokensPerSecondPerGpu: candidate.throughput,
        point: candidate.point,
      });
      bestThroughput = candidate.throughput;
    }
  }
  // A kept point with the same interactivity as an earlier-kept one cannot occur: the sort puts
  // the best of equal interactivity first and later ones are not strictly better.
  return kept.reverse();
}

/** Where a target interactivity falls on a frontier. */
export type FrontierReading =
  | {
      kind: "at-point" | "between" | "clamped-below";
      outputTokensPerSecondPerGpu: number;
      /** Frontier points the value comes from: one (at a point, clamped) or the two that bracket it. */
      bracket: FrontierPoint[];
    }
  | { kind: "above-frontier"; bestInteractivityTokensPerSecondPerUser: number };

/** A frontier prepared for repeated reads. */
export interface PreparedFrontier {
  readonly points: readonly FrontierPoint[];
  readonly interpolant: SteffenInterpolant;
}

/** Prepares the Steffen interpolant of throughput over interactivity for a non-empty frontier. */
export function prepareFrontier(points: readonly FrontierPoint[]): PreparedFrontier {
  const interpolant = steffenInterpolant(
    points.map((p) => ({ x: p.interactivityTokensPerSecondPerUser, y: p.outputTokensPerSecondPerGpu })),
  );
  return { points, interpolant };
}

/** Relative tolerance within which a target counts as exactly at a measured interactivity. */
const SAME_INTERACTIVITY_RELATIVE = 1e-9;

/**
 * Reads output tokens/s per GPU at `targetTokensPerSecondPerUser`:
 * - at a frontier point (within 1e-9 relative): that measurement;
 * - between two points: Steffen monotone interpolation, never above the left or below the
 *   right point;
 * - below the lowest interactivity: the lowest point's throughput (clamped: the frontier gives
 *   no evidence that going slower per user buys more throughput);
 * - above the highest interactivity: `above-frontier` (no measured configuration reaches it).
 */
export function readFrontier(frontier: PreparedFrontier, targetTokensPerSecondPerUser: number): FrontierReading {
  const { points, interpolant } = frontier;
  const first = points[0]!;
  const last = points[points.length - 1]!;
  const near = (a: number, b: number) => Math.abs(a - b) <= SAME_INTERACTIVITY_RELATIVE * Math.max(1, Math.abs(b));
  for (const point of points) {
    if (near(targetTokensPerSecondPerUser, point.interactivityTokensPerSecondPerUser)) {
      return { kind: "at-point", outputTokensPerSecondPerGpu: point.outputTokensPerSecondPerGpu, bracket: [point] };
    }
  }
  if (targetTokensPerSecondPerUser > last.interactivityTokensPerSecondPerUser) {
    return {
      kind: "above-frontier",
      bestInteractivityTokensPerSecondPerUser: last.interactivityTokensPerSecondPerUser,
    };
  }
  if (targetTokensPerSecondPerUser < first.interactivityTokensPerSecondPerUser) {
    return { kind: "clamped-below", outputTokensPerSecondPerGpu: first.outputTokensPerSecondPerGpu, bracket: [first] };
  }
  let upperIndex = points.findIndex((p) => p.interactivityTokensPerSecondPerUser > targetTokensPerSecondPerUser);
  if (upperIndex <= 0) upperIndex = 1;
  const lower = points[upperIndex - 1]!;
  const upper = points[upperIndex]!;
  return {
    kind: "between",
    outputTokensPerSecondPerGpu: evaluateSteffen(interpolant, targetTokensPerSecondPerUser),
    bracket: [lower, upper],
  };
}
