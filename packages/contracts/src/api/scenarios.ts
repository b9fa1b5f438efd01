import * as v from "valibot";
import { ScenarioSchema } from "../scenario.ts";
import { NameSchema, PlanSummarySchema, ScenarioSummarySchema } from "./resources.ts";

/**
 * Wire schemas of saved scenarios and stored plans. The scenario itself is the contracts'
 * `ScenarioSchema` (cost-model.md's shape); these wrap it as the API stores and returns it.
 */

/** Most bytes of the web planner's inputs stored beside a scenario (its wizard state is ~2 KB). */
export const MAX_WEB_PLAN_JSON_BYTES = 64 * 1024;

/**
 * The web planner's own inputs (its wizard state, `apps/web/src/lib/plan.ts`), stored as given so
 * the web app can reopen the scenario where it was left; the API never interprets it.
 */
export const WebPlanSchema = v.pipe(
  v.record(v.string(), v.unknown(), "expected a JSON object"),
  v.check(
    (value) => new TextEncoder().encode(JSON.stringify(value)).byteLength <= MAX_WEB_PLAN_JSON_BYTES,
    `expected at most ${MAX_WEB_PLAN_JSON_BYTES} bytes of JSON`,
  ),
);

/** `POST /scenarios`: a scenario (cost-model.md's shape), an optional display name and web-planner inputs. */
export const CreateScenarioBodySchema = v.strictObject({
  name: v.optional(NameSchema),
  scenario: ScenarioSchema,
  webPlan: v.optional(WebPlanSchema),
});

/** `PATCH /scenarios/{id}`: a new name, a new scenario, or both. */
export const PatchScenarioBodySchema = v.pipe(
  v.strictObject({
    name: v.optional(NameSchema),
    scenario: v.optional(ScenarioSchema),
    /** New web-planner inputs; null removes them. */
    webPlan: v.optional(v.nullable(WebPlanSchema)),
  }),
  v.check(
    (body) => body.name !== undefined || body.scenario !== undefined || body.webPlan !== undefined,
    "expected at least one of name, scenario, webPlan",
  ),
);

export const StoredScenarioSchema = v.object({
  ...ScenarioSummarySchema.entries,
  scenario: ScenarioSchema,
  webPlan: v.nullable(v.record(v.string(), v.unknown())),
});

/** A stored plan: its summary, the canonical input it was computed from, and the kernel's result. */
export const PlanSchema = v.object({
  ...PlanSummarySchema.entries,
  input: v.unknown(),
  result: v.unknown(),
});

export type StoredScenario = v.InferOutput<typeof StoredScenarioSchema>;
/** What a client sends to `POST /scenarios` (the scenario before defaults are applied). */
export type CreateScenarioBody = v.InferInput<typeof CreateScenarioBodySchema>;
export type PatchScenarioBody = v.InferInput<typeof PatchScenarioBodySchema>;
export type Plan = v.InferOutput<typeof PlanSchema>;
