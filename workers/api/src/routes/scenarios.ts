import { Hono } from "hono";
import type { AppEnv } from "../app.ts";
import { principalOf, requireRole } from "../auth.ts";
import { ApiError } from "../errors.ts";
import { etagOf, versionConflict } from "../etag.ts";
import { idempotent } from "../idempotency.ts";
import { documented } from "../openapi-registry.ts";
import { pageOf, toPage } from "../pagination.ts";
import { computed } from "../compute.ts";
import { type PlanJobRequest } from "../jobs.ts";
import { planRowOf } from "../plan-row.ts";
import { evaluateForPlan, placePlan, scenarioJsonOrThrow, type PlanContent } from "../planner.ts";
import type { ComputeOutcome } from "../../../compute/src/outcome.ts";
import { randomId } from "../request-id.ts";
import {
  CreatePlanBodySchema,
  CreateScenarioBodySchema,
  PageQuerySchema,
  PageSchema,
  PatchScenarioBodySchema,
  PlanSchema,
  StoredScenarioSchema,
  ScenarioSummarySchema,
} from "@aifp/contracts/api";
import { nowIso, openDb, runBatch } from "../services/db.ts";
import { createPlan, newPlanDto } from "../services/plans.ts";
import {
  createScenario,
  deleteScenario,
  getScenario,
  listScenarios,
  newScenarioDto,
  updateScenario,
} from "../services/scenarios.ts";
import { quotesForResolution } from "../services/quotes.ts";
import { JOB_ACCEPTED_RESPONSE, startJobRow as startJob } from "./jobs.ts";

const creation = documented({
  method: "post",
  path: "/scenarios",
  tag: "Scenarios",
  summary: "Save a scenario (validated; version 1)",
  access: "editor",
  idempotent: true,
  requestBody: { schema: CreateScenarioBodySchema, required: true },
  responses: {
    201: {
      description: "The saved scenario; `ETag` is its version",
      schema: StoredScenarioSchema,
      headers: { ETag: "Version" },
    },
  },
});
const listing = documented({
  method: "get",
  path: "/scenarios",
  tag: "Scenarios",
  summary: "List saved scenarios (keyset cursor pagination, oldest first)",
  access: "viewer",
  query: PageQuerySchema,
  responses: { 200: { description: "A page of scenario summaries", schema: PageSchema(ScenarioSummarySchema) } },
});
documented({
  method: "get",
  path: "/scenarios/{id}",
  tag: "Scenarios",
  summary: "Get a scenario; `ETag` carries its version for If-Match",
  access: "viewer",
  responses: { 200: { description: "The scenario", schema: StoredScenarioSchema, headers: { ETag: "Version" } } },
});
const change = documented({
  method: "patch",
  path: "/scenarios/{id}",
  tag: "Scenarios",
  summary: "Update name and/or scenario with optimistic concurrency",
  description:
    "Requires `If-Match` with the ETag of your last read: missing → 428, stale → 409 (nothing changed). The version goes up by one.",
  access: "editor",
  idempotent: true,
  ifMatch: "required",
  requestBody: { schema: PatchScenarioBodySchema, required: true },
  responses: {
    200: { description: "The updated scenario", schema: StoredScenarioSchema, headers: { ETag: "Version" } },
  },
});
const removal = documented({
  method: "delete",
  path: "/scenarios/{id}",
  tag: "Scenarios",
  summary: "Delete a scenario (its plans stay; with If-Match only that version)",
  access: "editor",
  ifMatch: "optional",
  responses: { 204: { description: "Deleted" } },
});
const planning = documented({
  method: "post",
  path: "/scenarios/{id}/plans",
  tag: "Plans",
  summary: "Evaluate the scenario and store the result as an immutable plan",
  description:
    "The plan pins the price-book version, the kernel version and the SHA-256 of the canonical input. The organisation's quotes replace public prices while valid on the scenario's first month; the ones applied are pinned in `input.quotes` (as they were then), so later changes to quotes never change the plan. With `If-Match`, the scenario must still be at that version (409 otherwise). With `optimise` (`true` or optimiser settings, as `POST /optimise` takes them) the optimised fleet plan is stored too, as `result.optimisation`, and the settings are pinned in `input.optimise` (422 `infeasible_scenario` when no plan can serve the demand). An optimised plan beyond one request's limits (more than 20 planning periods, up to 40) runs as a background job: 202 with `Location: /api/v1/jobs/{id}`.",
  access: "editor",
  idempotent: true,
  ifMatch: "optional",
  requestBody: { schema: CreatePlanBodySchema, required: false },
  responses: {
    201: { description: "The stored plan", schema: PlanSchema },
    202: {
      ...JOB_ACCEPTED_RESPONSE,
      description:
        "An optimised plan beyond one request's optimiser limits but within a job's: accepted as a background job (`kind: plan`). The job pins the scenario's version; when it succeeds its `result` is the stored plan (as the 201 would answer, `Location` of the plan in `result.id`); if the scenario changed or was deleted meanwhile it fails with 409 `version_conflict` (or 404) and stores nothing.",
    },
  },
});

const SCENARIO_NOT_FOUND = "No such scenario.";

/** Saved scenarios of the caller's organisation, and plan creation from them. */
export const scenarioRoutes = new Hono<AppEnv>()
  .post("/", requireRole("editor"), creation, async (c) => {
    const body = c.req.valid("json");
    const principal = principalOf(c);
    const scenarioJson = scenarioJsonOrThrow(body.scenario);
    return idempotent(c, body, async (db, complete) => {
      const row = {
        id: randomId("scn"),
        orgId: principal.orgId,
        name: body.name ?? (body.scenario.name?.trim() ? body.scenario.name : "Untitled scenario"),
        scenarioJson,
        webPlanJson: body.webPlan === undefined ? null : JSON.stringify(body.webPlan),
        createdAt: nowIso(),
      };
      const outcome = {
        status: 201 as const,
        body: newScenarioDto(row),
        headers: { ETag: etagOf(1), Location: `/api/v1/scenarios/${row.id}` },
      };
      await createScenario(db, row, complete(outcome));
      return outcome;
    });
  })
  .get("/", requireRole("viewer"), listing, async (c) => {
    const { limit, cursor } = pageOf(c.req.valid("query"));
    const rows = await listScenarios(openDb(c.env.DB), principalOf(c).orgId, limit, cursor);
    return c.json(toPage(rows, limit, (row) => ({ after: row.createdAt, id: row.id })));
  })
  .get("/:id", requireRole("viewer"), async (c) => {
    const scenario = await getScenario(openDb(c.env.DB), principalOf(c).orgId, c.req.param("id"));
    if (!scenario) throw new ApiError(404, "not_found", SCENARIO_NOT_FOUND);
    c.header("ETag", etagOf(scenario.version));
    return c.json(scenario);
  })
  .patch("/:id", requireRole("editor"), change, async (c) => {
    const expectedVersion = c.req.valid("header").ifMatch;
    const body = c.req.valid("json");
    const principal = principalOf(c);
    const id = c.req.param("id");
    const nextScenarioJson = body.scenario === undefined ? null : scenarioJsonOrThrow(body.scenario);
    return idempotent(c, { ifMatch: expectedVersion, body }, async (db, complete) => {
      const current = await getScenario(db, principal.orgId, id);
      if (!current) throw new ApiError(404, "not_found", SCENARIO_NOT_FOUND);
      if (current.version !== expectedVersion) throw versionConflict(current.version, expectedVersion);
      const next = {
        name: body.name ?? current.name,
        scenarioJson: nextScenarioJson ?? JSON.stringify(current.scenario),
        webPlanJson:
          body.webPlan === undefined
            ? current.webPlan === null
              ? null
              : JSON.stringify(current.webPlan)
            : body.webPlan === null
              ? null
              : JSON.stringify(body.webPlan),
        updatedAt: nowIso(),
      };
      const version = expectedVersion + 1;
      const outcome = {
        status: 200 as const,
        body: {
          id,
          name: next.name,
          version,
          createdAt: current.createdAt,
          updatedAt: next.updatedAt,
          scenario: JSON.parse(next.scenarioJson) as unknown,
          webPlan: next.webPlanJson === null ? null : (JSON.parse(next.webPlanJson) as unknown),
        },
        headers: { ETag: etagOf(version) },
      };
      const result = await updateScenario(db, principal.orgId, id, expectedVersion, next, complete(outcome));
      if (result.kind === "not_found") throw new ApiError(404, "not_found", SCENARIO_NOT_FOUND);
      if (result.kind === "conflict") throw versionConflict(result.currentVersion, expectedVersion);
      return outcome;
    });
  })
  .delete("/:id", requireRole("editor"), removal, async (c) => {
    const expectedVersion = c.req.valid("header").ifMatch;
    const result = await deleteScenario(openDb(c.env.DB), principalOf(c).orgId, c.req.param("id"), expectedVersion);
    if (result.kind === "not_found") throw new ApiError(404, "not_found", SCENARIO_NOT_FOUND);
    if (result.kind === "conflict" && expectedVersion !== null)
      throw versionConflict(result.currentVersion, expectedVersion);
    return c.body(null, 204);
  })
  .post("/:id/plans", requireRole("editor"), planning, async (c) => {
    const expectedVersion = c.req.valid("header").ifMatch;
    const body = c.req.valid("json");
    const principal = principalOf(c);
    const scenarioId = c.req.param("id");
    return idempotent(c, { ifMatch: expectedVersion, body }, async (db, complete) => {
      const scenario = await getScenario(db, principal.orgId, scenarioId);
      if (!scenario) throw new ApiError(404, "not_found", SCENARIO_NOT_FOUND);
      if (expectedVersion !== null && scenario.version !== expectedVersion)
        throw versionConflict(scenario.version, expectedVersion);
      // The organisation's quotes apply; the plan pins the ones it used (input.quotes).
      const quotes = await quotesForResolution(db, principal.orgId);
      const optimiseOption = body.optimise ?? false;
      if (placePlan(scenario.scenario, optimiseOption) === "job") {
        // Beyond one request's optimiser limits, within a job's (ADR 029): the job pins the
        // scenario's version now and stores the plan only if the scenario is still at it.
        const job = await startJob(
          c,
          principal,
          "plan",
          {
            scenarioId,
            scenarioVersion: scenario.version,
            optimise: optimiseOption,
            ...(body.name === undefined ? {} : { name: body.name }),
          } satisfies PlanJobRequest,
          quotes,
          2,
        );
        const accepted = {
          status: 202 as const,
          body: job,
          headers: { Location: `/api/v1/jobs/${job.id}`, "Retry-After": "1" },
        };
        await runBatch(db, complete(accepted));
        return accepted;
      }
      // Evaluation alone is light and stays here; an optimiser solve runs in the compute Worker.
      const evaluation =
        optimiseOption === false
          ? await evaluateForPlan(scenario.scenario, false, undefined, quotes)
          : await computed(
              c.env.COMPUTE.plan(scenario.scenario, optimiseOption, quotes) as Promise<ComputeOutcome<PlanContent>>,
            );
      const row = await planRowOf(principal.orgId, scenario, body.name, evaluation);
      const outcome = { status: 201 as const, body: newPlanDto(row), headers: { Location: `/api/v1/plans/${row.id}` } };
      const created = await createPlan(db, row, complete(outcome));
      if (created.kind === "scenario_not_found") throw new ApiError(404, "not_found", SCENARIO_NOT_FOUND);
      if (created.kind === "scenario_changed") throw versionConflict(created.currentVersion, scenario.version);
      return outcome;
    });
  });
