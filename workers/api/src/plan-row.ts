/**
 * A plan's row from its evaluation: one builder for `POST /scenarios/{id}/plans` answered in the
 * request and for the plan job that stores it later (ADR 029), so both store the same plan.
 */
import { canonicalJson } from "./canonical-json.ts";
import { ApiError } from "./errors.ts";
import type { PlanContent } from "./planner.ts";
import { randomId } from "./request-id.ts";
import { MAX_PLAN_JSON_BYTES } from "./schemas.ts";
import { nowIso } from "./services/db.ts";
import type { NewPlan } from "./services/plans.ts";
import { sha256Hex } from "./services/secrets.ts";

/** The scenario a plan is made of, as it was read (its version is the one the plan pins). */
export interface PlannedScenario {
  id: string;
  name: string;
  version: number;
}

/** The plan row (413 when its JSON would not fit a D1 row comfortably). */
export async function planRowOf(
  orgId: string,
  scenario: PlannedScenario,
  name: string | undefined,
  evaluation: PlanContent,
): Promise<NewPlan> {
  const inputJson = canonicalJson(evaluation.input);
  const resultJson = JSON.stringify(evaluation.result);
  const encoder = new TextEncoder();
  if (encoder.encode(inputJson).byteLength + encoder.encode(resultJson).byteLength > MAX_PLAN_JSON_BYTES) {
    throw new ApiError(
      413,
      "payload_too_large",
      `The plan would be larger than ${MAX_PLAN_JSON_BYTES} bytes of JSON (a D1 row holds 2 MB). Evaluate it with POST /evaluate, or store fewer options or a shorter horizon.`,
    );
  }
  return {
    id: randomId("pln"),
    orgId,
    name: name ?? scenario.name,
    scenarioId: scenario.id,
    scenarioVersion: scenario.version,
    priceBookVersion: evaluation.priceBookVersion,
    kernelVersion: evaluation.kernelVersion,
    inputHash: await sha256Hex(inputJson),
    inputJson,
    resultJson,
    createdAt: nowIso(),
  };
}
