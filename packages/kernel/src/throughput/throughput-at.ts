/**
 * `throughputAt`: output tokens/s per GPU for an accelerator × model at a latency target, with
 * its basis — measured, interpolated along the measured frontier, extrapolated beyond it along
 * the performance model's curve, or estimated by the calibrated performance model — and every
 * source it rests on.
 */
import { ScenarioError } from "../errors.ts";
import type { ThroughputPoint } from "../reference-data.ts";
import { ACCELERATOR_ALIASES, MODEL_ALIASES } from "./aliases.ts";
import { promptDataset } from "./calibration-keys.ts";
import {
  architectureFor,
  architectureKey,
  calibratePerformance,
  modelClass,
  stackTerms,
  type PerfCalibration,
} from "./calibrate.ts";
import { STACK_NAMES, isDisaggregated, servingStack, usesMtp } from "./stack.ts";
import { physicalLimit, workloadCost, type CurvePoint } from "./perf-model.ts";
import { precisionFamily, precisionMatches, type LengthMatch } from "./series.ts";
import type { ThroughputQuery, ThroughputData, ThroughputSource, ThroughputResult } from "./throughput-types.ts";
import { validate, resolveOrThrow } from "./query-validate.ts";
import { toSource, formatRate, readMeasured } from "./measured-reading.ts";
import { defaultFamily, modelContext, seriesLengths, ttftGroups, modelCurve, limitMessage } from "./model-context.ts";
import {
  ttftInfeasible,
  estimateDetails,
  relatives,
  inputRate,
  lengthsTuple,
  latencyFields,
} from "./answer-details.ts";

export type { ThroughputQuery, ThroughputData, ThroughputSource, ThroughputResult } from "./throughput-types.ts";

const calibrationCache = new WeakMap<readonly ThroughputPoint[], Map<string, PerfCalibration>>();

interface PointIndex {
  acceleratorKeys: ReadonlySet<string>;
  modelKeys: ReadonlySet<string>;
  /** "accelerator|model" → the pair's points that answer requests. */
  answering: ReadonlyMap<string, ThroughputPoint[]>;
}
const pointIndexCache = new WeakMap<readonly ThroughputPoint[], PointIndex>();

/**
 * Whether a measured point can answer a throughput request. Runs on a prompt dataset of
 * unpublished mean length (ML.ENERGY, ADR 043) only calibrate the model: a pair measured only by
 * them is answered by the estimate, so the wizard must not call it measured either.
 */
export function answersRequests(point: ThroughputPoint): boolean {
  return promptDataset(point) === null;
}

/**
 * The book's names and each pair's answering points, built once per points array (every slider
 * move calls `throughputAt`). Runs on a prompt dataset of unpublished mean length (ML.ENERGY)
 * calibrate the model but do not answer a request at stated lengths, so they are not indexed.
 */
function pointIndex(data: ThroughputData): PointIndex {
  const cached = pointIndexCache.get(data.throughputPoints);
  if (cached) return cached;
  const answering = new Map<string, ThroughputPoint[]>();
  for (const p of data.throughputPoints) {
    if (!answersRequests(p)) continue;
    const key = `${p.accelerator}|${p.model}`;
    const pairPoints = answering.get(key);
    if (pairPoints) pairPoints.push(p);
    else answering.set(key, [p]);
  }
  const index: PointIndex = {
    acceleratorKeys: new Set(data.throughputPoints.map((p) => p.accelerator)),
    modelKeys: new Set(data.throughputPoints.map((p) => p.model)),
    answering,
  };
  pointIndexCache.set(data.throughputPoints, index);
  return index;
}

/**
 * The performance-model calibration for `data`: `data.throughputCalibration` when the caller
 * carries a precomputed one (the price book does) and nothing is left out, else a fit (a few
 * seconds), memoised per points array and exclusion.
 */
export function perfCalibrationFor(
  data: ThroughputData,
  exclude: { model?: string; accelerator?: string } | null,
): PerfCalibration {
  if (exclude === null && data.throughputCalibration) return data.throughputCalibration;
  let byKey = calibrationCache.get(data.throughputPoints);
  if (byKey === undefined) {
    byKey = new Map();
    calibrationCache.set(data.throughputPoints, byKey);
  }
  const key = exclude ? `${exclude.accelerator ?? ""}\u0000${exclude.model ?? ""}` : "";
  let calibration = byKey.get(key);
  if (calibration === undefined) {
    calibration = calibratePerformance(data, exclude);
    byKey.set(key, calibration);
  }
  return calibration;
}

/**
 * Output tokens/s per GPU of `query.accelerator` serving `query.model` at the latency target
 * `query.interactivityTokensPerSecondPerUser` (tok/s/user), with its basis and sources.
 *
 * Method (docs/throughput.md):
 * 1. Points of the accelerator × model (× precision family when given) are grouped by sequence
 *    lengths and the series matching the request chosen (`matchLengths`: exact nominal ISL/OSL,
 *    else nearest, else the MLPerf benchmark dataset); the result says when lengths differ.
 * 2. Pareto frontier of throughput vs interactivity, read with Steffen monotone interpolation: at
 *    a point `measured`, between two `interpolated`, below the lowest `clamped`. Above the last
 *    measured point: `extrapolated` along the performance model's curve, scaled to pass through
 *    that point; only a target above the physical limit (batch 1, widest group, full bandwidth)
 *    is an `infeasible` ScenarioError, and it gives the limit.
 * 3. No measurement of the pair (or its precision), or `leaveOneOut`: the calibrated
 *    performance model (`perf-model.ts`, `calibrate.ts`) from the model's architecture and the
 *    accelerator's datasheet, times the fitted accelerator, model-class, model and source
 *    factors: `estimated`. An accelerator never measured uses its architecture siblings'
 *    factor, or none ("estimated from datasheet"); a model never measured its class's factor.
 * 4. Prefill rate: the highest measured input-token rate of the pair (a lower bound), else the
 *    model's prefill rate. A time-to-first-token target limits the group sizes to those whose
 *    prefill meets it.
 *
 * @throws ScenarioError `invalid` for a bad field or unknown name (path = the query field),
 *   `infeasible` when the target is unreachable or nothing supports an answer.
 */
export function throughputAt(query: ThroughputQuery, data: ThroughputData): ThroughputResult {
  validate(query);
  const points = data.throughputPoints;
  const index = pointIndex(data);
  const acceleratorKeys = [...new Set([...index.acceleratorKeys, ...data.accelerators.map((a) => a.key)])];
  const modelKeys = [...new Set([...index.modelKeys, ...data.models.map((m) => m.key)])];
  const accelerator = resolveOrThrow("accelerator", query.accelerator, acceleratorKeys, ACCELERATOR_ALIASES);
  const model = resolveOrThrow("model", query.model, modelKeys, MODEL_ALIASES);
  const target = query.interactivityTokensPerSecondPerUser ?? null;
  const ttftTarget = query.timeToFirstTokenMs ?? null;
  const requestedPrecision = query.precision?.trim().toLowerCase() ?? null;
  const notes: string[] = [];
  if (accelerator.via !== "exact")
    notes.push(`accelerator "${accelerator.requested}" read as ${accelerator.key} (${accelerator.via})`);
  if (model.via !== "exact") notes.push(`model "${model.requested}" read as ${model.key} (${model.via})`);

  const allPairPoints = index.answering.get(`${accelerator.key}|${model.key}`) ?? [];
  const pairPoints =
    requestedPrecision === null
      ? allPairPoints
      : allPairPoints.filter((p) => precisionMatches(requestedPrecision, p.precision));
  const measured = pairPoints.length > 0 ? readMeasured(pairPoints, query, target) : null;
  const spec = data.accelerators.find((a) => a.key === accelerator.key) ?? null;
  const excludedPair = query.leaveOneOut ? { accelerator: accelerator.key, model: model.key } : null;
  const calibration = () => perfCalibrationFor(data, excludedPair);

  const lengthsOf = (match: LengthMatch) => ({
    requestedInputTokens: query.inputTokens,
    requestedOutputTokens: query.outputTokens,
    measuredInputTokens: match.measuredInputTokens,
    measuredOutputTokens: match.measuredOutputTokens,
    match: match.match,
  });
  const lengthNote = (match: LengthMatch, what: string) => {
    if (match.match === "benchmark-dataset") {
      notes.push(
        `${what} come from MLPerf's fixed dataset for this benchmark, not ${query.inputTokens}/${query.outputTokens} tokens; throughput is not rescaled for length`,
      );
    } else if (match.match === "nearest") {
      notes.push(
        `${what} are at nominal ${match.measuredInputTokens}/${match.measuredOutputTokens} input/output tokens, the nearest measured to the requested ${query.inputTokens}/${query.outputTokens}; throughput is not rescaled for length`,
      );
    }
  };
  const sourceNotes = (sources: ThroughputSource[]) => {
    if (sources.some((s) => s.source.startsWith("mlperf"))) {
      notes.push(
        "MLPerf interactivity is the p99 TPOT floor (1000 / TPOT limit), not a measured mean; MLPerf throughput counts output tokens only",
      );
    }
    if (sources.some((s) => s.source.startsWith("inferencex"))) {
      notes.push(
        "InferenceX interactivity is the measured median tok/s/user; check each source's TTFT before using a point for a strict SLO",
      );
    }
    if (sources.some((s) => s.source.startsWith("trtllm"))) {
      notes.push(
        "TensorRT-LLM perf-overview points are maximum-load runs at fixed synthetic lengths (NVIDIA's own benchmark)",
      );
    }
  };

  if (!query.leaveOneOut && measured !== null) {
    // The physics needs a precision family: the anchor point's, else the requested one, else
    // what an estimate would assume (MLPerf v5.0 rows do not state their precision).
    const family =
      precisionFamily(
        measured.kind === "reading" ? measured.bracket[0]!.point.precision : measured.best.point.precision,
      ) ??
      (requestedPrecision ? precisionFamily(requestedPrecision) : null) ??
      (spec ? defaultFamily(spec, model.key, points) : null);
    const context = modelContext(data, spec, model.key, family, calibration);
    const physics = context
      ? workloadCost(
          context.architecture,
          context.costFamily,
          ...lengthsTuple(seriesLengths(measured.lengths, model.key, context.calibration)),
        )
      : null;
    const requestCost = context
      ? workloadCost(context.architecture, context.costFamily, query.inputTokens, query.outputTokens)
      : null;
    const limit = context && physics ? physicalLimit(context.chip, physics) : null;
    const groups = context && requestCost ? ttftGroups(context, requestCost, ttftTarget) : null;
    if (groups !== null && groups.length === 0 && ttftTarget !== null && context && requestCost) {
      throw ttftInfeasible(accelerator.key, model.key, ttftTarget, context, requestCost);
    }
    lengthNote(measured.lengths, "the measurements");
    let outputRate: number;
    let basis: ThroughputResult["basis"];
    let clamped = false;
    let sources: ThroughputSource[];
    let extrapolatedFrom: ThroughputSource | null = null;
    let estimate: ThroughputResult["estimate"] = null;
    let operating: CurvePoint | null = null;
    if (measured.kind === "unreachable") {
      const best = measured.best;
      if (context === null || physics === null) {
        throw new ScenarioError("infeasible", [
          {
            path: "interactivityTokensPerSecondPerUser",
            message:
              `${target} tok/s/user is beyond the last measured interactivity on ${accelerator.key} for ${model.key}` +
              ` (${formatRate(best.interactivityTokensPerSecondPerUser)} tok/s/user, ${formatRate(best.outputTokensPerSecondPerGpu)} output tok/s/GPU, ${best.point.source} ${best.point.id})` +
              `, and without ${spec === null ? "a datasheet" : "a known precision and architecture"} the curve cannot be extended`,
          },
        ]);
      }
      if (limit === null || target! > limit.interactivity) {
        throw new ScenarioError("infeasible", [
          {
            path: "interactivityTokensPerSecondPerUser",
            message: `${target} tok/s/user is unreachable on ${accelerator.key} for ${model.key}: ${limitMessage(limit)}`,
          },
        ]);
      }
      const anchorU = best.interactivityTokensPerSecondPerUser;
      // Along the anchor's own serving stack (its per-layer latency, MTP, disaggregation).
      const anchorStack = servingStack(best.point, spec?.vendor ?? null);
      const anchorTerms = stackTerms(
        context.calibration,
        anchorStack,
        usesMtp(best.point),
        isDisaggregated(best.point),
      );
      const atAnchor = modelCurve(context, physics, anchorU, context.chip.groups, anchorTerms);
      const atTarget = modelCurve(context, physics, target!, groups ?? context.chip.groups, anchorTerms);
      if (atAnchor === null || atTarget === null) {
        throw new ScenarioError("infeasible", [
          {
            path: "interactivityTokensPerSecondPerUser",
            message: `${target} tok/s/user on ${accelerator.key} for ${model.key}: the performance model has no operating point there; ${limitMessage(limit)}`,
          },
        ]);
      }
      outputRate =
        best.outputTokensPerSecondPerGpu *
        (atTarget.outputTokensPerSecondPerGpu / atAnchor.outputTokensPerSecondPerGpu);
      basis = "extrapolated";
      extrapolatedFrom = toSource(best);
      sources = [extrapolatedFrom];
      operating = atTarget;
      notes.push(
        `extrapolated: ${target} tok/s/user is beyond the last measured point (${formatRate(anchorU)} tok/s/user, ${formatRate(best.outputTokensPerSecondPerGpu)} output tok/s/GPU, ${best.point.source} ${best.point.id}); ` +
          `the performance model's curve, scaled to pass through that point, gives ${formatRate(outputRate)} (×${(atTarget.outputTokensPerSecondPerGpu / atAnchor.outputTokensPerSecondPerGpu).toFixed(3)}); ` +
          `the curve uses the measured run's serving software (${STACK_NAMES[anchorStack]}${anchorTerms.tokensPerStep > 1 ? ", multi-token prediction" : ""}${anchorTerms.disaggregated ? ", prefill on separate GPUs" : ""}: a fitted fixed time of ${anchorTerms.layerStepLatencyUs.toFixed(0)} µs per layer per step); ${limitMessage(limit)}`,
      );
      estimate = estimateDetails(context, atTarget, model.key, spec!, false);
    } else {
      outputRate = measured.outputTokensPerSecondPerGpu;
      basis = measured.basis;
      clamped = measured.clamped;
      sources = measured.bracket.map(toSource);
      if (target === null) notes.push("no interactivity target: the frontier's highest-throughput (batch) point");
      if (measured.clamped) {
        const first = measured.frontier[0]!;
        notes.push(
          `clamped: ${target} tok/s/user is below the lowest measured interactivity (${formatRate(first.interactivityTokensPerSecondPerUser)}); the lowest point's throughput is used, as the data show no gain from going slower`,
        );
      }
      if (measured.basis === "interpolated")
        notes.push("interpolated between the two bracketing frontier points (Steffen monotone cubic)");
      if (context && requestCost)
        operating = modelCurve(context, requestCost, target ?? 0, groups ?? context.chip.groups);
    }
    sourceNotes(sources);
    notes.push(
      "the frontier takes the best submitted result at each interactivity; medians across submitters run lower (1–5% offline, up to ~13% server, catalog NOTES.md)",
    );
    const input = inputRate({ pairPoints, context, requestCost, notes });
    const frontier = measured.frontier;
    return {
      accelerator: accelerator.key,
      model: model.key,
      resolvedFrom: { accelerator, model },
      interactivityTokensPerSecondPerUser: target,
      precision: requestedPrecision,
      outputTokensPerSecondPerGpu: outputRate,
      inputTokensPerSecondPerGpu: input.rate,
      inputBasis: input.basis,
      basis,
      clamped,
      lengths: lengthsOf(measured.lengths),
      sources,
      frontier: frontier.map((f) => ({
        interactivity: f.interactivityTokensPerSecondPerUser,
        outputTokensPerSecondPerGpu: f.outputTokensPerSecondPerGpu,
        id: f.point.id,
      })),
      estimate,
      leaveOneOut: null,
      extrapolatedFrom,
      physicalLimitTokensPerSecondPerUser: limit?.interactivity ?? null,
      ...latencyFields(context, requestCost, operating, ttftTarget, notes),
      notes,
    };
  }

  // Estimate: the calibrated performance model.
  if (spec === null) {
    throw new ScenarioError("infeasible", [
      {
        path: "accelerator",
        message: `${accelerator.key} has no measurement${requestedPrecision ? ` at ${requestedPrecision}` : ""} for ${model.key} and no datasheet (memory bandwidth, FLOP/s) to estimate from`,
      },
    ]);
  }
  if (!query.leaveOneOut && allPairPoints.length > 0 && pairPoints.length === 0) {
    const measuredPrecisions = [...new Set(allPairPoints.map((p) => p.precision ?? "unstated"))].sort();
    notes.push(
      `no measurement of ${accelerator.key} × ${model.key} at ${requestedPrecision}; measured precisions: ${measuredPrecisions.join(", ")}; estimated instead`,
    );
  }
  const referencePoints = excludedPair
    ? points.filter((p) => !(p.accelerator === accelerator.key && p.model === model.key))
    : points;
  const family = requestedPrecision
    ? precisionFamily(requestedPrecision)!
    : defaultFamily(spec, model.key, referencePoints);
  const context = modelContext(data, spec, model.key, family, calibration);
  if (context === null) {
    throw new ScenarioError("infeasible", [
      {
        path: architectureFor(data, model.key) === null ? "model" : "accelerator",
        message:
          architectureFor(data, model.key) === null
            ? `cannot estimate ${accelerator.key} × ${model.key}: no measurement, and neither an architecture row nor a model spec (parameters) to compute its cost per token`
            : `cannot estimate ${accelerator.key} × ${model.key}: the datasheet lacks a dense tensor rate for ${family}`,
      },
    ]);
  }
  const cost = workloadCost(context.architecture, context.costFamily, query.inputTokens, query.outputTokens);
  const limit = physicalLimit(context.chip, cost);
  if (target !== null && (limit === null || target > limit.interactivity)) {
    throw new ScenarioError("infeasible", [
      {
        path: "interactivityTokensPerSecondPerUser",
        message: `${target} tok/s/user is unreachable on ${accelerator.key} for ${model.key}: ${limitMessage(limit)}`,
      },
    ]);
  }
  const groups = ttftGroups(context, cost, ttftTarget);
  if (groups.length === 0 && ttftTarget !== null)
    throw ttftInfeasible(accelerator.key, model.key, ttftTarget, context, cost);
  const operating = modelCurve(context, cost, target ?? 0, groups);
  if (operating === null) {
    throw new ScenarioError("infeasible", [
      {
        path: target === null ? "model" : "interactivityTokensPerSecondPerUser",
        message: `cannot serve ${model.key} on ${accelerator.key}${target === null ? "" : ` at ${target} tok/s/user`}: ${limitMessage(limit)}`,
      },
    ]);
  }
  const details = estimateDetails(context, operating, model.key, spec, true);
  const modelMeasured = referencePoints.some((p) => architectureKey(p.model) === architectureKey(model.key));
  const twin = !modelMeasured && !details.crossModel;
  details.crossModel = !modelMeasured;
  const factorLn =
    Math.log(details.factors.accelerator) +
    Math.log(details.factors.model) +
    Math.log(details.factors.modelClass) +
    Math.log(details.factors.source);
  const outputRate = operating.outputTokensPerSecondPerGpu * Math.exp(factorLn);
  const p = context.calibration.params;
  notes.push(
    `estimated by the performance model: ${context.architecture.activeParametersB.toFixed(1)}B parameters read per token at ${family} ` +
      `on ${operating.groupSize} GPU${operating.groupSize > 1 ? "s" : ""} with ${Math.round(operating.batch)} concurrent sequences (${operating.regime}); ` +
      `fitted efficiencies: HBM ${(p.bandwidthEfficiency * 100).toFixed(0)}%, decode FLOPs ${(p.computeEfficiency * 100).toFixed(0)}%, prefill FLOPs ${(p.prefillEfficiency * 100).toFixed(0)}%, ` +
      `${p.stepOverheadMs.toFixed(2)} ms per step; factors: accelerator ×${details.factors.accelerator.toFixed(2)} (${details.factors.acceleratorBasis}), ` +
      `architecture (${modelClass(context.architecture)}, ${context.architecture.activeParametersB.toFixed(0)}B active) ×${details.factors.modelClass.toFixed(2)}, model ×${details.factors.model.toFixed(2)}, benchmark level ×${details.factors.source.toFixed(2)} (see docs/throughput.md for the held-out error)`,
  );
  if (details.factors.acceleratorBasis === "datasheet")
    notes.push(
      `estimated from datasheet: ${accelerator.key} has no measurement of any model, and no measured accelerator shares its architecture (${spec.architecture}); its efficiency factor is 1 (uncalibrated)`,
    );
  else if (details.factors.acceleratorBasis === "architecture")
    notes.push(
      `${accelerator.key} has no measurement of any model: its factor is the mean of its architecture's measured chips (${details.referenceAccelerators.join(", ")})`,
    );
  if (details.crossModel)
    notes.push(
      `no measurement of ${model.key} on any accelerator: estimated from its architecture (${context.architectureFromRow ? "model_architecture.csv" : "parameter count only, as a dense model — coarse"}) with ` +
        (twin
          ? "the fitted factor of a measured model with the same architecture (layers, widths, attention, experts)"
          : "the factor its features carry (mixture-of-experts, size; fitted on the measured models)"),
    );
  if (!requestedPrecision) notes.push(`precision not given: estimated at ${family}`);
  if (target === null) notes.push("no interactivity target: the batch end (largest batch that fits in HBM)");
  const input = inputRate({ pairPoints: query.leaveOneOut ? [] : pairPoints, context, requestCost: cost, notes });
  let leaveOneOut: ThroughputResult["leaveOneOut"] = null;
  if (query.leaveOneOut) {
    const comparison = pairPoints.length > 0 ? readMeasured(pairPoints, query, target) : null;
    const measuredValue = comparison?.kind === "reading" ? comparison.outputTokensPerSecondPerGpu : null;
    leaveOneOut = {
      measuredOutputTokensPerSecondPerGpu: measuredValue,
      relativeError: measuredValue === null ? null : (outputRate - measuredValue) / measuredValue,
      note:
        measuredValue === null
          ? `leave-one-out: no measured value of ${accelerator.key} × ${model.key} at this target to compare with`
          : `leave-one-out: the ${accelerator.key} × ${model.key} measurements were hidden from the fit; relativeError = (estimate − measured) / measured`,
    };
  }
  return {
    accelerator: accelerator.key,
    model: model.key,
    resolvedFrom: { accelerator, model },
    interactivityTokensPerSecondPerUser: target,
    precision: requestedPrecision ?? family,
    outputTokensPerSecondPerGpu: outputRate,
    inputTokensPerSecondPerGpu: input.rate,
    inputBasis: input.basis,
    basis: "estimated",
    clamped: false,
    lengths: {
      requestedInputTokens: query.inputTokens,
      requestedOutputTokens: query.outputTokens,
      measuredInputTokens: null,
      measuredOutputTokens: null,
      match: "exact",
    },
    sources: relatives(referencePoints, accelerator.key, model.key),
    frontier: [],
    estimate: details,
    leaveOneOut,
    extrapolatedFrom: null,
    physicalLimitTokensPerSecondPerUser: limit?.interactivity ?? null,
    ...latencyFields(context, cost, operating, ttftTarget, notes),
    notes,
  };
}
