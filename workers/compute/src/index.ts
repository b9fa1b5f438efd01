/**
 * The compute Worker (ADR 029): every optimiser solve and risk analysis the API runs, out of the
 * API's isolate. The API calls it through a service binding (`env.COMPUTE`, RPC to the
 * {@link Compute} entrypoint) and only awaits the answer, so a HiGHS solve (which cannot yield)
 * or a Monte Carlo never holds `/health` or any other API request. It has no bindings of its own:
 * the API keeps D1, the queue and tenancy; this Worker takes validated requests and returns
 * answers (or the error envelope's fields), nothing else. Its own `[limits] cpu_ms`
 * (workers/compute/wrangler.toml) is the backstop of the job budget.
 */
import { WorkerEntrypoint } from "cloudflare:workers";
import type { OrgQuote } from "@aifp/catalog";
import type { OptimisationWire, RiskAnalysisWire } from "@aifp/contracts";
import { ApiError } from "../../api/src/errors.ts";
import {
  evaluateForPlan,
  optimiseJob,
  optimiseRequest,
  riskJob,
  riskRequest,
  type OptimiseRequestInput,
  type PlanContent,
  type PlanOptimiseOption,
  type RiskRequestInput,
} from "../../api/src/planner.ts";
import { discardIsolateSolver, isolateSolver } from "../../api/src/solver.ts";
import type { ComputeOutcome } from "./outcome.ts";

export type { ComputeError, ComputeOutcome } from "./outcome.ts";

/**
 * Monte Carlo work per chunk of a risk job, in the units of the risk budget (samples × months ×
 * max(options, 8)): ~50,000 units is ~20 ms of CPU at the measured ~0.41 µs per unit. Between
 * chunks the job reports progress and lets this isolate serve another call. (Not exported: a
 * Worker's main module may export only handlers and entrypoints.)
 */
const RISK_CHUNK_WORK = 50_000;

/** Progress is reported at most this often (in fractions of the samples). */
const PROGRESS_REPORT_STEP = 0.1;

/** Lets the isolate serve whatever arrived meanwhile (a timer turn: I/O and requests go first). */
const yieldToIsolate = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * Runs one computation: a refusal the caller should see (400, 422) comes back as a value, since
 * an error crossing RPC keeps only its message. Anything else is a fault: a solver fault may
 * leave HiGHS's WebAssembly heap unusable, so the isolate's instance is dropped, and the error
 * is thrown on (the API answers its generic 500, or fails the job).
 */
async function outcomeOf<T>(work: () => T | Promise<T>, usesSolver: boolean): Promise<ComputeOutcome<T>> {
  try {
    return { ok: true, value: await work() };
  } catch (error) {
    if (error instanceof ApiError)
      return {
        ok: false,
        error: { status: error.status, code: error.code, message: error.message, issues: error.issues },
      };
    if (usesSolver) discardIsolateSolver();
    throw error;
  }
}

/** The RPC entrypoint the API's `COMPUTE` service binding points at. */
export class Compute extends WorkerEntrypoint {
  /** `POST /optimise` within one request's limits (ADR 018). */
  optimise(request: OptimiseRequestInput, quotes: OrgQuote[]): Promise<ComputeOutcome<OptimisationWire>> {
    return outcomeOf(() => optimiseRequest(request, isolateSolver, quotes), true);
  }

  /** An optimise job (ADR 025): the job's limits and work budget. */
  optimiseJob(request: OptimiseRequestInput, quotes: OrgQuote[]): Promise<ComputeOutcome<OptimisationWire>> {
    return outcomeOf(() => optimiseJob(request, isolateSolver, quotes), true);
  }

  /** `POST /risk` within one request's work budget. */
  risk(request: RiskRequestInput, quotes: OrgQuote[]): Promise<ComputeOutcome<RiskAnalysisWire>> {
    return outcomeOf(() => riskRequest(request, quotes), false);
  }

  /**
   * A risk job: the Monte Carlo in chunks of {@link RISK_CHUNK_WORK}; every tenth of the
   * samples, `onProgress(samplesDone)` (a function of the caller's, called back over RPC) stores
   * the progress. The same seed gives the same figures as {@link Compute.risk}.
   */
  riskJob(
    request: RiskRequestInput,
    quotes: OrgQuote[],
    onProgress?: (samplesDone: number) => Promise<void>,
  ): Promise<ComputeOutcome<RiskAnalysisWire>> {
    const unitsPerSample =
      Math.round(request.scenario.horizonYears * 12) * Math.max(request.scenario.options.length, 8);
    const total = request.risk?.samples ?? 1000;
    let done = 0;
    let reported = 0;
    return outcomeOf(
      () =>
        riskJob(request, quotes, {
          chunkSize: Math.max(1, Math.floor(RISK_CHUNK_WORK / unitsPerSample)),
          onProgress: (progress) => {
            done = progress.done;
          },
          yieldToHost: async () => {
            // About ten progress reports a job: each is a call back to the API and a D1 write.
            if (onProgress && (done - reported) / total >= PROGRESS_REPORT_STEP) {
              reported = done;
              await onProgress(done);
            } else await yieldToIsolate();
          },
        }),
      false,
    );
  }

  /**
   * A plan of a stored scenario (`POST /scenarios/{id}/plans`): the evaluation, and with
   * `optimise` the optimised plan, under one request's limits (`asJob` false) or a job's.
   */
  plan(
    stored: unknown,
    optimiseOption: PlanOptimiseOption,
    quotes: OrgQuote[],
    asJob = false,
  ): Promise<ComputeOutcome<PlanContent>> {
    return outcomeOf(() => evaluateForPlan(stored, optimiseOption, isolateSolver, quotes, asJob), true);
  }
}

/** No public routes: the Worker is reached only through the API's service binding. */
export default {
  fetch(): Response {
    return new Response("Not found", { status: 404 });
  },
};
