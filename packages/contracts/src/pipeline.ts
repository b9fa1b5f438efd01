/**
 * The planner's one pipeline, shared by the API (`workers/api/src/planner.ts`), the CLI
 * (`planner evaluate | optimise | risk`) and the web app: parse the input with the wire schema →
 * resolve catalog references through a price book (`@aifp/catalog` `resolveScenario`, inline
 * numbers winning) → run the kernel (`evaluate`, `optimise`, `sensitivity` + `monteCarlo`).
 * Every answer says which catalog figures it used and from which price-book version.
 *
 * Errors are thrown unchanged: {@link InputError} (the schema's issues), the catalog's
 * `ResolveError`, the kernel's `ScenarioError` (`invalid` or `infeasible`). Each surface maps
 * them to its own form (HTTP 400 / 422, exit codes 2 / 3, field errors).
 *
 * Exported as `@aifp/contracts/pipeline`, not from the package root: it imports the catalog,
 * whose price book should only load where it is used (the web's first page never imports it).
 */
import {
  firstAvailableMonth,
  generationOfAccelerator,
  resolveScenario,
  withFairBaseline,
  type BaselineChoice,
  type OrgQuote,
  type PriceBook,
  type UsedFigure,
} from "@aifp/catalog";
import {
  evaluate,
  KERNEL_VERSION,
  monteCarlo,
  monteCarloSync,
  optimise,
  resolveDrivers,
  sensitivity,
  type DriverOverride,
  type EvaluateResult,
  type MilpSolver,
  type WorkBudget,
  type MonteCarloControl,
  type MonteCarloResult,
  type OptimiseResult,
  type OptimiseSettings,
  type Scenario,
  type SensitivityResult,
} from "@aifp/kernel";
import * as v from "valibot";
import { formatIssues, type FieldIssue } from "./issues.ts";
import { OptimiseRequestSchema, type OptimiseSettingsInput } from "./optimise.ts";
import type { EvaluationWire, OptimisationWire, ProvenanceWire, RiskAnalysisWire } from "./outputs.ts";
import { DEFAULT_RISK_SAMPLES, DEFAULT_RISK_SEED, MAX_API_RISK_SAMPLES, riskRequestSchema } from "./risk.ts";
import { ScenarioSchema } from "./scenario.ts";

/** The input does not match the wire schema; `issues` names each field (`{ path, message }`). */
export class InputError extends Error {
  readonly issues: FieldIssue[];
  constructor(what: string, issues: FieldIssue[]) {
    super(
      `The ${what} is invalid: ${issues.length} problem${issues.length === 1 ? "" : "s"} (${issues
        .slice(0, 3)
        .map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message))
        .join("; ")})`,
    );
    this.name = "InputError";
    this.issues = issues;
  }
}

/** How to resolve catalog references. */
export interface PipelineOptions {
  /** The price book to resolve through (`priceBook` from `@aifp/catalog` for the public one). */
  book: PriceBook;
  /** The organisation's private quotes (they override public prices while valid). */
  quotes?: readonly OrgQuote[];
  /** Latency target for catalog throughput, output tokens/s per user (default: none, the frontier's batch end). */
  interactivityTokensPerSecondPerUser?: number | null;
  /** Electricity customer class of the region (default: the region's default class). */
  customerClass?: string;
}

/** A scenario as given and as resolved, with the provenance of every catalog figure used. */
export interface Resolution {
  /** The scenario as given (after the schema). */
  scenario: Scenario;
  /** Every reference resolved into numbers; inline numbers untouched. */
  resolvedScenario: Scenario;
  usedFigures: UsedFigure[];
  notes: string[];
  /** Organisation quotes `notes` mention as expired before the plan starts. */
  expiredQuoteIds: string[];
  priceBookVersion: string;
  priceBookContentHash: string;
  /**
   * The path building is compared against (payback, NPV savings, IRR) and why: the scenario's own
   * `comparison.baselineOptionId`, else the cheapest non-build path (ADR 017), set explicitly in
   * `resolvedScenario`. Null when there is nothing to compare.
   */
  baseline: BaselineChoice | null;
}

/** An evaluation with its provenance. */
export interface EvaluationOutput extends Resolution {
  result: EvaluateResult;
  kernelVersion: string;
}

function parseWith<TSchema extends v.GenericSchema>(
  schema: TSchema,
  input: unknown,
  what: string,
): v.InferOutput<TSchema> {
  const parsed = v.safeParse(schema, input);
  if (!parsed.success) throw new InputError(what, formatIssues(parsed.issues));
  return parsed.output;
}

/**
 * Resolves an already-parsed scenario through the book (`resolveScenario`: `region`, `sku`,
 * `offer`, `model`, `accelerator` → numbers, each listed in `usedFigures` with its source,
 * date, confidence and book version).
 * @throws ResolveError naming each reference that cannot be resolved.
 */
export function resolveParsed(scenario: Scenario, options: PipelineOptions): Resolution {
  const resolved = resolveScenario(scenario, options.book, {
    ...(options.quotes ? { quotes: options.quotes } : {}),
    ...(options.interactivityTokensPerSecondPerUser !== undefined
      ? { interactivityTokensPerSecondPerUser: options.interactivityTokensPerSecondPerUser }
      : {}),
    ...(options.customerClass ? { customerClass: options.customerClass } : {}),
  });
  // A fair, named baseline: the cheapest non-build path on sale at the plan's start (ADR 017).
  const roadmap = withRoadmapAvailability(resolved.scenario, options.book);
  const onSale = new Set(
    resolved.scenario.options
      .filter((option) => (roadmap.availableFrom[option.id] ?? scenario.startMonth) <= scenario.startMonth)
      .map((option) => option.id),
  );
  // A scenario that gives every number inline (no catalog figure used) is the cost model's
  // contract taken literally: the kernel's default baseline (the first lease), as the golden files expect.
  const fair =
    resolved.usedFigures.length > 0
      ? withFairBaseline(resolved.scenario, onSale)
      : { scenario: resolved.scenario, baseline: kernelDefaultBaseline(resolved.scenario) };
  const notes = [...resolved.notes];
  if (fair.baseline?.how === "cheapest-non-build")
    notes.push(
      `Payback, NPV savings and IRR of building are measured against ${fair.baseline.optionId}, ${fair.baseline.reason}`,
    );
  return {
    scenario,
    resolvedScenario: fair.scenario,
    usedFigures: resolved.usedFigures,
    notes,
    expiredQuoteIds: resolved.expiredQuoteIds,
    priceBookVersion: resolved.priceBookVersion,
    priceBookContentHash: resolved.priceBookContentHash,
    baseline: fair.baseline,
  };
}

/** The baseline the kernel uses when the scenario names none (or the one it names), described. */
function kernelDefaultBaseline(scenario: Scenario): BaselineChoice | null {
  const given = scenario.comparison?.baselineOptionId;
  const option = given
    ? scenario.options.find((item) => item.id === given)
    : scenario.options.find((item) => item.kind === "lease");
  if (!option || !scenario.options.some((item) => item.kind === "build")) return null;
  return given
    ? {
        optionId: option.id,
        kind: option.kind,
        how: "given",
        reason: `${option.id} is the baseline the scenario names`,
      }
    : {
        optionId: option.id,
        kind: option.kind,
        how: "first-lease",
        reason:
          "the first lease option listed: every number of the scenario is given inline, so the cost model's default baseline applies",
      };
}

/**
 * Parses `input` with `ScenarioSchema` and resolves it.
 * @throws InputError, ResolveError.
 */
export function resolveInput(input: unknown, options: PipelineOptions): Resolution {
  // The schema is the type argument here, not its output: the assertion names the kernel shape it yields.
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
  return resolveParsed(parseWith(ScenarioSchema, input, "scenario") as Scenario, options);
}

/** Evaluates a resolved scenario (`evaluate`, cost model v1). @throws ScenarioError. */
export function evaluateResolved(resolution: Resolution): EvaluationOutput {
  return { ...resolution, result: evaluate(resolution.resolvedScenario), kernelVersion: KERNEL_VERSION };
}

/**
 * parse → resolve → `evaluate`: the result of every option (NPV and TCO in USD, levelised cost in
 * USD per million tokens, …) and the catalog figures used.
 * @throws InputError, ResolveError, ScenarioError.
 */
export function evaluateInput(input: unknown, options: PipelineOptions): EvaluationOutput {
  return evaluateResolved(resolveInput(input, options));
}

/** The provenance fields of an answer. */
export function provenanceOf(resolution: Resolution): ProvenanceWire {
  return {
    priceBookVersion: resolution.priceBookVersion,
    priceBookContentHash: resolution.priceBookContentHash,
    usedFigures: resolution.usedFigures,
    notes: resolution.notes,
    ...(resolution.baseline ? { baseline: resolution.baseline } : {}),
  };
}

/**
 * What the API returns and the CLI prints for an evaluation: the kernel's result unchanged, then
 * the provenance fields (`priceBookVersion`, `priceBookContentHash`, `usedFigures`, `notes`).
 */
export function evaluationWire(output: EvaluationOutput): EvaluationWire {
  return { ...output.result, ...provenanceOf(output) };
}

// --- roadmap --------------------------------------------------------------------------------

/**
 * The accelerator an option runs on, as the catalog knows it: its `accelerator`, else its SKU's
 * or its offer's.
 */
function acceleratorOf(option: Scenario["options"][number], book: PriceBook): string | undefined {
  if (option.accelerator) return option.accelerator;
  if (option.kind === "build" && option.sku) return book.servers.find((item) => item.id === option.sku)?.accelerator;
  if (option.kind === "lease" && option.offer)
    return book.cloudOffers.find((item) => item.id === option.offer)?.accelerator;
  return undefined;
}

/**
 * Adds the catalog roadmap's availability to options whose hardware generation is not on sale at
 * the plan's start: `availableFrom` = the first month of the generation's `firstAvailable`
 * (`firstAvailableMonth`, "2026-H2" → "2026-07"), unless the option or the settings already
 * give one. Each addition is explained in `notes`.
 * @returns the scenario (a copy when changed), the effective `availableFrom` by option id, notes.
 */
export function withRoadmapAvailability(
  scenario: Scenario,
  book: PriceBook,
  settingsAvailableFrom: Readonly<Record<string, string>> = {},
): { scenario: Scenario; availableFrom: Record<string, string>; notes: string[] } {
  const availableFrom: Record<string, string> = {};
  const notes: string[] = [];
  const options = scenario.options.map((option) => {
    const own = (option as { availableFrom?: unknown }).availableFrom;
    const given = settingsAvailableFrom[option.id] ?? (typeof own === "string" ? own : undefined);
    if (given !== undefined) {
      availableFrom[option.id] = given;
      return option;
    }
    if (option.kind === "api") return option;
    const accelerator = acceleratorOf(option, book);
    const generation = accelerator ? generationOfAccelerator(book, accelerator) : undefined;
    if (!generation) return option;
    const month = firstAvailableMonth(generation.firstAvailable);
    if (month <= scenario.startMonth) return option;
    availableFrom[option.id] = month;
    notes.push(
      `option ${option.id}: available from ${month}, the catalog roadmap's first availability of ${generation.name} (${generation.firstAvailable}; ${generation.availability.source}, confidence ${generation.availability.confidence})`,
    );
    return { ...option, availableFrom: month };
  });
  return { scenario: notes.length > 0 ? { ...scenario, options } : scenario, availableFrom, notes };
}

// --- optimise -------------------------------------------------------------------------------

/** A parsed optimise request, resolved. */
export interface PreparedOptimise {
  resolution: Resolution;
  settings: OptimiseSettings;
  /** Effective first month per option id, "YYYY-MM" (given, or from the catalog roadmap). */
  availableFrom: Record<string, string>;
}

/** An optimised plan with its provenance. */
export interface OptimiseOutput extends Resolution {
  result: OptimiseResult;
  settings: OptimiseSettings;
  availableFrom: Record<string, string>;
  kernelVersion: string;
}

/**
 * Resolves a parsed planning scenario and its settings: catalog references, then the roadmap's
 * availability for generations not yet on sale.
 * @throws ResolveError.
 */
export function prepareOptimiseParsed(
  scenario: Scenario,
  settings: OptimiseSettingsInput | OptimiseSettings | undefined,
  options: PipelineOptions,
): PreparedOptimise {
  const resolution = resolveParsed(scenario, options);
  const roadmap = withRoadmapAvailability(resolution.resolvedScenario, options.book, settings?.availableFrom);
  return {
    resolution: {
      ...resolution,
      resolvedScenario: roadmap.scenario,
      notes: [...resolution.notes, ...roadmap.notes],
    },
    settings: { ...(settings ?? {}) },
    availableFrom: roadmap.availableFrom,
  };
}

/**
 * Parses `{ scenario, optimise? }` with `OptimiseRequestSchema` and resolves it.
 * @throws InputError, ResolveError.
 */
export function prepareOptimise(request: unknown, options: PipelineOptions): PreparedOptimise {
  const parsed = parseWith(OptimiseRequestSchema, request, "optimise request");
  return prepareOptimiseParsed(parsed.scenario, parsed.optimise, options);
}

/** Runs the optimiser on a prepared request with an initialised HiGHS instance. @throws ScenarioError. */
export function optimisePrepared(prepared: PreparedOptimise, solver: MilpSolver, budget?: WorkBudget): OptimiseOutput {
  const result = optimise({
    scenario: prepared.resolution.resolvedScenario,
    solver,
    settings: prepared.settings,
    ...(budget ? { budget } : {}),
  });
  return {
    ...prepared.resolution,
    result,
    settings: prepared.settings,
    availableFrom: prepared.availableFrom,
    kernelVersion: KERNEL_VERSION,
  };
}

/**
 * parse → resolve → `optimise`: the cheapest plan (NPV in USD, levelised cost in USD per
 * million tokens) compared with every pure strategy, with the catalog figures used.
 * @throws InputError, ResolveError, ScenarioError (`infeasible` names the limit).
 */
export function optimiseInput(
  request: unknown,
  options: PipelineOptions & { solver: MilpSolver; budget?: WorkBudget },
): OptimiseOutput {
  return optimisePrepared(prepareOptimise(request, options), options.solver, options.budget);
}

/** What the API returns and the CLI prints for `optimise`: the kernel's result, then provenance. */
export function optimisationWire(output: OptimiseOutput): OptimisationWire {
  return { ...output.result, ...provenanceOf(output), availableFrom: output.availableFrom };
}

// --- risk -----------------------------------------------------------------------------------

/** A parsed risk request, resolved. */
export interface PreparedRisk {
  resolution: Resolution;
  samples: number;
  seed: number;
  drivers: DriverOverride[] | undefined;
}

/** A risk analysis with its provenance. */
export interface RiskOutput extends Resolution {
  sensitivity: SensitivityResult;
  monteCarlo: MonteCarloResult;
  kernelVersion: string;
}

/**
 * Parses `{ scenario, risk? }` (samples at most `maxSamples`, default the API's cap) and
 * resolves it, the roadmap's availability included.
 * @throws InputError, ResolveError.
 */
export function prepareRisk(
  request: unknown,
  options: PipelineOptions & { maxSamples?: number; samples?: number; seed?: number },
): PreparedRisk {
  const parsed = parseWith(riskRequestSchema(options.maxSamples ?? MAX_API_RISK_SAMPLES), request, "risk request");
  const resolution = resolveParsed(parsed.scenario, options);
  const roadmap = withRoadmapAvailability(resolution.resolvedScenario, options.book);
  const drivers = parsed.risk?.drivers;
  try {
    // The kernel checks what the schema cannot (a scale driver's factor must stay above 0).
    resolveDrivers(roadmap.scenario, drivers);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const match = /^(drivers[.\w]*): (.*)$/s.exec(message);
    throw new InputError("risk request", [
      { path: match ? `risk.${match[1]}` : "risk.drivers", message: match ? (match[2] as string) : message },
    ]);
  }
  return {
    resolution: { ...resolution, resolvedScenario: roadmap.scenario, notes: [...resolution.notes, ...roadmap.notes] },
    samples: options.samples ?? parsed.risk?.samples ?? DEFAULT_RISK_SAMPLES,
    seed: options.seed ?? parsed.risk?.seed ?? DEFAULT_RISK_SEED,
    drivers,
  };
}

/** Tornado, break-evens and a seeded Monte Carlo, synchronously. @throws ScenarioError. */
export function riskPrepared(prepared: PreparedRisk): RiskOutput {
  const scenario = prepared.resolution.resolvedScenario;
  const drivers = prepared.drivers ? { drivers: prepared.drivers } : {};
  return {
    ...prepared.resolution,
    sensitivity: sensitivity({ scenario, ...drivers }),
    monteCarlo: monteCarloSync({ scenario, samples: prepared.samples, seed: prepared.seed, ...drivers }),
    kernelVersion: KERNEL_VERSION,
  };
}

/**
 * The same as {@link riskPrepared} with the Monte Carlo in chunks: progress, cancel (`signal`,
 * throws `MonteCarloCancelledError`) and yielding to the host between chunks (a Web Worker).
 */
export async function riskPreparedAsync(prepared: PreparedRisk, control: MonteCarloControl = {}): Promise<RiskOutput> {
  const scenario = prepared.resolution.resolvedScenario;
  const drivers = prepared.drivers ? { drivers: prepared.drivers } : {};
  const sensitivityResult = sensitivity({ scenario, ...drivers });
  const monteCarloResult = await monteCarlo(
    { scenario, samples: prepared.samples, seed: prepared.seed, ...drivers },
    control,
  );
  return {
    ...prepared.resolution,
    sensitivity: sensitivityResult,
    monteCarlo: monteCarloResult,
    kernelVersion: KERNEL_VERSION,
  };
}

/**
 * parse → resolve → `sensitivity` + `monteCarloSync`.
 * @throws InputError, ResolveError, ScenarioError.
 */
export function riskInput(
  request: unknown,
  options: PipelineOptions & { maxSamples?: number; samples?: number; seed?: number },
): RiskOutput {
  return riskPrepared(prepareRisk(request, options));
}

/** What the API returns and the CLI prints for `risk`. */
export function riskWire(output: RiskOutput): RiskAnalysisWire {
  return {
    kernelVersion: output.kernelVersion,
    sensitivity: output.sensitivity,
    monteCarlo: output.monteCarlo,
    ...provenanceOf(output),
  };
}
