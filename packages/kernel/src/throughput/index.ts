/** Throughput at a latency target: measured frontiers, monotone interpolation, calibrated roofline. */
export { throughputAt, calibrationFor } from "./throughput-at.ts";
export type { ThroughputQuery, ThroughputData, ThroughputResult, ThroughputSource } from "./throughput-at.ts";
export { ACCELERATOR_ALIASES, MODEL_ALIASES, resolveName, isResolved } from "./aliases.ts";
export type { ResolvedName, UnresolvedName } from "./aliases.ts";
export { paretoFrontier, prepareFrontier, readFrontier, frontierInteractivity } from "./frontier.ts";
export type { FrontierPoint, FrontierReading, PreparedFrontier } from "./frontier.ts";
export { steffenInterpolant, evaluateSteffen } from "./interpolate.ts";
export type { Knot, SteffenInterpolant } from "./interpolate.ts";
export {
  KNOWN_PRECISIONS,
  precisionFamily,
  precisionMatches,
  matchLengths,
  lengthKey,
  BENCHMARK_LENGTHS,
} from "./series.ts";
export type { PrecisionFamily, LengthMatch } from "./series.ts";
export {
  calibrateRoofline,
  estimateFromReferences,
  referenceSeries,
  prefillRoofline,
  peakDenseTflops,
  scenarioBand,
  bandKey,
  RIDGE_PSEUDO_OBSERVATIONS,
  INTERACTIVITY_BANDWIDTH_EXPONENT,
} from "./roofline.ts";
export type { RooflineCalibration, RooflineEstimate, ReferenceSeries, ScenarioBand } from "./roofline.ts";
export { leaveOneOutEvaluation, summariseLeaveOneOutErrors } from "./evaluation.ts";
export type { LeaveOneOutReport, LeaveOneOutCase, ErrorSummary as LeaveOneOutErrorSummary } from "./evaluation.ts";
