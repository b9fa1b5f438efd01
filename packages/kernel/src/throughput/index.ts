/** Throughput at a latency target: measured frontiers, monotone interpolation, a calibrated performance model. */
export { throughputAt, perfCalibrationFor, answersRequests } from "./throughput-at.ts";
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
export { peakDenseTflops } from "./roofline.ts";
export {
  curvePoint,
  chipFigures,
  physicalLimit,
  prefillRate,
  timeToFirstTokenMs,
  workloadCost,
  DEFAULT_PERF_PARAMS,
} from "./perf-model.ts";
export type { PerfParams, CurvePoint, WorkloadCost, ChipFigures } from "./perf-model.ts";
export {
  calibratePerformance,
  observations as throughputObservations,
  MLPERF_INPUT_TOKENS,
  MLPERF_OUTPUT_TOKENS,
  RIDGE_PSEUDO_OBSERVATIONS,
  PRIOR_WEIGHT,
} from "./calibrate.ts";
export type { PerfCalibration, SourceKind } from "./calibrate.ts";
export { validatePerformanceModel, stats as validationStats, EXTRAPOLATION_TOLERANCE } from "./validate.ts";
export type { ValidationReport, ValidationCase, ExtrapolationCase, PrefillCase, ErrorStats } from "./validate.ts";
