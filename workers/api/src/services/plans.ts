import { and, asc, eq } from "drizzle-orm";
import { plans, scenarios } from "@aifp/db";
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
import { currentVersion } from "./scenarios.ts";

/** A plan without its input and result (lists). */
export interface PlanSummaryDto {
  id: string;
  name: string;
  scenarioId: string;
  scenarioVersion: number;
  priceBookVersion: string;
  kernelVersion: string;
  inputHash: string;
  createdAt: string;
}

/** A stored plan: pinned versions, the hashed input and the kernel's result, unchanged forever. */
export interface PlanDto extends PlanSummaryDto {
  input: unknown;
  result: unknown;
}

/** A new plan row, built by the caller (ids and hashes made up front). */
export interface NewPlan extends PlanSummaryDto {
  orgId: string;
  inputJson: string;
  resultJson: string;
}

type PlanRow = typeof plans.$inferSelect;

const summaryColumns = {
  id: plans.id,
  name: plans.name,
  scenarioId: plans.scenarioId,
  scenarioVersion: plans.scenarioVersion,
  priceBookVersion: plans.priceBookVersion,
  kernelVersion: plans.kernelVersion,
  inputHash: plans.inputHash,
  createdAt: plans.createdAt,
};

function toSummary(row: PlanSummaryDto): PlanSummaryDto {
  return {
    id: row.id,
    name: row.name,
    scenarioId: row.scenarioId,
    scenarioVersion: row.scenarioVersion,
    priceBookVersion: row.priceBookVersion,
    kernelVersion: row.kernelVersion,
    inputHash: row.inputHash,
    createdAt: row.createdAt,
  };
}

function toDto(row: PlanRow): PlanDto {
  return { ...toSummary(row), input: row.inputJson, result: row.resultJson };
}

/** The DTO of a plan as `createPlan` stores it. */
export function newPlanDto(row: NewPlan): PlanDto {
  return {
    ...toSummary(row),
    input: JSON.parse(row.inputJson) as unknown,
    result: JSON.parse(row.resultJson) as unknown,
  };
}

export type CreatePlanOutcome =
  { kind: "created" } | { kind: "scenario_not_found" } | { kind: "scenario_changed"; currentVersion: number };

/**
 * Store a plan as one guarded batch: it commits only if the scenario it was computed from is
 * still at the version that was evaluated (same org), so a plan never pins a version whose
 * content it does not reflect.
 */
export async function createPlan(db: Db, row: NewPlan, extra: Statement[]): Promise<CreatePlanOutcome> {
  try {
    await runBatch(db, [
      assertExactlyOne(
        db,
        scenarios,
        and(
          eq(scenarios.orgId, row.orgId),
          eq(scenarios.id, row.scenarioId),
          eq(scenarios.version, row.scenarioVersion),
        ),
      ),
      db.insert(plans).values({
        id: row.id,
        orgId: row.orgId,
        scenarioId: row.scenarioId,
        scenarioVersion: row.scenarioVersion,
        name: row.name,
        priceBookVersion: row.priceBookVersion,
        kernelVersion: row.kernelVersion,
        inputHash: row.inputHash,
        inputJson: jsonText(row.inputJson),
        resultJson: jsonText(row.resultJson),
        createdAt: row.createdAt,
      }),
      ...extra,
      clearAssert(db),
    ]);
    return { kind: "created" };
  } catch (error) {
    if (!isAssertFailure(error)) throw error;
    const current = await currentVersion(db, row.orgId, row.scenarioId);
    return current === null ? { kind: "scenario_not_found" } : { kind: "scenario_changed", currentVersion: current };
  }
}

/** One plan of the organisation, or null (another organisation's is null too). */
export async function getPlan(db: Db, orgId: string, id: string): Promise<PlanDto | null> {
  const rows = await db
    .select()
    .from(plans)
    .where(and(eq(plans.orgId, orgId), eq(plans.id, id)))
    .limit(1);
  return rows[0] ? toDto(rows[0]) : null;
}

/** One page (limit + 1 rows) of the organisation's plans, optionally of one scenario. */
export async function listPlans(
  db: Db,
  orgId: string,
  scenarioId: string | null,
  limit: number,
  cursor: PageCursor | null,
): Promise<PlanSummaryDto[]> {
  const rows = await db
    .select(summaryColumns)
    .from(plans)
    .where(
      and(
        eq(plans.orgId, orgId),
        scenarioId === null ? undefined : eq(plans.scenarioId, scenarioId),
        afterCursor(plans.createdAt, plans.id, cursor),
      ),
    )
    .orderBy(asc(plans.createdAt), asc(plans.id))
    .limit(limit + 1);
  return rows.map(toSummary);
}
