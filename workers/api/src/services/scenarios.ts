import { and, asc, eq } from "drizzle-orm";
import { scenarios } from "@aifp/db";
import type { PageCursor } from "../pagination.ts";
import {
  type Db,
  type Statement,
  assertExactlyOne,
  clearAssert,
  isAssertFailure,
  jsonText,
  runBatch,
  afterCursor,
} from "./db.ts";

/** A saved scenario without its body (lists). */
export interface ScenarioSummaryDto {
  id: string;
  name: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** A saved scenario with its validated body. */
export interface ScenarioDto extends ScenarioSummaryDto {
  scenario: unknown;
  /** The web planner's inputs it was saved from (null when saved through the API). */
  webPlan: unknown;
}

type ScenarioRow = typeof scenarios.$inferSelect;

function toSummary(row: Omit<ScenarioRow, "scenarioJson" | "orgId" | "webPlanJson">): ScenarioSummaryDto {
  return { id: row.id, name: row.name, version: row.version, createdAt: row.createdAt, updatedAt: row.updatedAt };
}

function toDto(row: ScenarioRow): ScenarioDto {
  return {
    ...toSummary(row),
    scenario: row.scenarioJson,
    webPlan: row.webPlanJson,
  };
}

/** A new scenario row: id and timestamps made by the caller, so the response can be built first. */
export interface NewScenario {
  id: string;
  orgId: string;
  name: string;
  scenarioJson: string;
  /** The web planner's inputs as JSON, or null. */
  webPlanJson: string | null;
  createdAt: string;
}

/** Insert a scenario at version 1, with `extra` statements (idempotency completion) in the batch. */
export async function createScenario(db: Db, row: NewScenario, extra: Statement[]): Promise<void> {
  await runBatch(db, [
    db.insert(scenarios).values({
      id: row.id,
      orgId: row.orgId,
      name: row.name,
      scenarioJson: jsonText(row.scenarioJson),
      webPlanJson: row.webPlanJson === null ? null : jsonText(row.webPlanJson),
      version: 1,
      createdAt: row.createdAt,
      updatedAt: row.createdAt,
    }),
    ...extra,
  ]);
}

/** The DTO of a scenario as `createScenario` stores it. */
export function newScenarioDto(row: NewScenario): ScenarioDto {
  return {
    id: row.id,
    name: row.name,
    version: 1,
    createdAt: row.createdAt,
    updatedAt: row.createdAt,
    scenario: JSON.parse(row.scenarioJson) as unknown,
    webPlan: row.webPlanJson === null ? null : (JSON.parse(row.webPlanJson) as unknown),
  };
}

/** One scenario of the organisation, or null (another organisation's is null too). */
export async function getScenario(db: Db, orgId: string, id: string): Promise<ScenarioDto | null> {
  const rows = await db
    .select()
    .from(scenarios)
    .where(and(eq(scenarios.orgId, orgId), eq(scenarios.id, id)))
    .limit(1);
  return rows[0] ? toDto(rows[0]) : null;
}

/** One page (limit + 1 rows, for `toPage`) of the organisation's scenarios by (created_at, id). */
export async function listScenarios(
  db: Db,
  orgId: string,
  limit: number,
  cursor: PageCursor | null,
): Promise<ScenarioSummaryDto[]> {
  const rows = await db
    .select({
      id: scenarios.id,
      name: scenarios.name,
      version: scenarios.version,
      createdAt: scenarios.createdAt,
      updatedAt: scenarios.updatedAt,
    })
    .from(scenarios)
    .where(and(eq(scenarios.orgId, orgId), afterCursor(scenarios.createdAt, scenarios.id, cursor)))
    .orderBy(asc(scenarios.createdAt), asc(scenarios.id))
    .limit(limit + 1);
  return rows.map(toSummary);
}

export type UpdateOutcome = { kind: "updated" } | { kind: "not_found" } | { kind: "conflict"; currentVersion: number };

/**
 * Replace name and body of a scenario at `expectedVersion` and bump its version, as one guarded
 * batch: `_assert` holds only if the row (this org, this id, this version) still exists, so of N
 * concurrent updates at one version exactly one commits and the others change nothing.
 */
export async function updateScenario(
  db: Db,
  orgId: string,
  id: string,
  expectedVersion: number,
  next: { name: string; scenarioJson: string; webPlanJson: string | null; updatedAt: string },
  extra: Statement[],
): Promise<UpdateOutcome> {
  const where = and(eq(scenarios.orgId, orgId), eq(scenarios.id, id), eq(scenarios.version, expectedVersion));
  try {
    await runBatch(db, [
      assertExactlyOne(db, scenarios, where),
      db
        .update(scenarios)
        .set({
          name: next.name,
          scenarioJson: jsonText(next.scenarioJson),
          webPlanJson: next.webPlanJson === null ? null : jsonText(next.webPlanJson),
          updatedAt: next.updatedAt,
          version: expectedVersion + 1,
        })
        .where(where),
      ...extra,
      clearAssert(db),
    ]);
    return { kind: "updated" };
  } catch (error) {
    if (!isAssertFailure(error)) throw error;
    const current = await currentVersion(db, orgId, id);
    return current === null ? { kind: "not_found" } : { kind: "conflict", currentVersion: current };
  }
}

/** The current version of a scenario, or null when the organisation has none with this id. */
export async function currentVersion(db: Db, orgId: string, id: string): Promise<number | null> {
  const rows = await db
    .select({ version: scenarios.version })
    .from(scenarios)
    .where(and(eq(scenarios.orgId, orgId), eq(scenarios.id, id)))
    .limit(1);
  return rows[0]?.version ?? null;
}

/**
 * Delete a scenario (its plans stay: they are immutable records). With `expectedVersion`, only
 * that version is deleted. Returns what happened.
 */
export async function deleteScenario(
  db: Db,
  orgId: string,
  id: string,
  expectedVersion: number | null,
): Promise<UpdateOutcome> {
  const result = await db
    .delete(scenarios)
    .where(
      and(
        eq(scenarios.orgId, orgId),
        eq(scenarios.id, id),
        expectedVersion === null ? undefined : eq(scenarios.version, expectedVersion),
      ),
    )
    .run();
  if (result.meta.changes === 1) return { kind: "updated" };
  const current = await currentVersion(db, orgId, id);
  return current === null ? { kind: "not_found" } : { kind: "conflict", currentVersion: current };
}
