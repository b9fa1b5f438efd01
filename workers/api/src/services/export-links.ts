import { and, asc, eq, isNull } from "drizzle-orm";
import { exportLinks, plans } from "@aifp/db";
import type { PageCursor } from "../pagination.ts";
import type { ExportFormat } from "../schemas.ts";
import {
  type Db,
  type Statement,
  assertExactlyOne,
  clearAssert,
  isAssertFailure,
  runBatch,
  afterCursor,
} from "./db.ts";

/** A link as the API shows it (never the token or its hash). */
export interface ExportLinkDto {
  id: string;
  planId: string;
  format: ExportFormat;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
}

export interface NewExportLink {
  id: string;
  orgId: string;
  planId: string;
  format: ExportFormat;
  tokenHash: string;
  createdByKeyId: string;
  createdAt: string;
  expiresAt: string;
}

type LinkRow = typeof exportLinks.$inferSelect;

function toDto(row: LinkRow | NewExportLink): ExportLinkDto {
  return {
    id: row.id,
    planId: row.planId,
    format: row.format as ExportFormat,
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
    revokedAt: "revokedAt" in row ? row.revokedAt : null,
  };
}

/** The DTO of a link as `createExportLink` stores it. */
export function newExportLinkDto(row: NewExportLink): ExportLinkDto {
  return toDto(row);
}

/** Insert a link, guarded: the plan must belong to the same organisation. False if it does not. */
export async function createExportLink(db: Db, row: NewExportLink, extra: Statement[]): Promise<boolean> {
  try {
    await runBatch(db, [
      assertExactlyOne(db, plans, and(eq(plans.orgId, row.orgId), eq(plans.id, row.planId))),
      db.insert(exportLinks).values({ ...row, revokedAt: null }),
      ...extra,
      clearAssert(db),
    ]);
    return true;
  } catch (error) {
    if (isAssertFailure(error)) return false;
    throw error;
  }
}

/** One page (limit + 1 rows) of a plan's links in the organisation. */
export async function listExportLinks(
  db: Db,
  orgId: string,
  planId: string,
  limit: number,
  cursor: PageCursor | null,
): Promise<ExportLinkDto[]> {
  const rows = await db
    .select()
    .from(exportLinks)
    .where(
      and(
        eq(exportLinks.orgId, orgId),
        eq(exportLinks.planId, planId),
        afterCursor(exportLinks.createdAt, exportLinks.id, cursor),
      ),
    )
    .orderBy(asc(exportLinks.createdAt), asc(exportLinks.id))
    .limit(limit + 1);
  return rows.map(toDto);
}

/** Revoke a link of the organisation's plan (idempotent). Null when there is no such link. */
export async function revokeExportLink(
  db: Db,
  orgId: string,
  planId: string,
  linkId: string,
  now: string,
): Promise<ExportLinkDto | null> {
  const where = and(eq(exportLinks.orgId, orgId), eq(exportLinks.planId, planId), eq(exportLinks.id, linkId));
  await db
    .update(exportLinks)
    .set({ revokedAt: now })
    .where(and(where, isNull(exportLinks.revokedAt)));
  const rows = await db.select().from(exportLinks).where(where).limit(1);
  return rows[0] ? toDto(rows[0]) : null;
}

/** A link looked up by token hash, still valid at `now`, with its org and plan; else null. */
export async function findValidLink(
  db: Db,
  tokenHash: string,
  now: string,
): Promise<{ orgId: string; planId: string; format: ExportFormat; expiresAt: string } | null> {
  const rows = await db
    .select({
      orgId: exportLinks.orgId,
      planId: exportLinks.planId,
      format: exportLinks.format,
      expiresAt: exportLinks.expiresAt,
      revokedAt: exportLinks.revokedAt,
    })
    .from(exportLinks)
    .where(eq(exportLinks.tokenHash, tokenHash))
    .limit(1);
  const row = rows[0];
  if (!row || row.revokedAt !== null || row.expiresAt <= now) return null;
  return { orgId: row.orgId, planId: row.planId, format: row.format as ExportFormat, expiresAt: row.expiresAt };
}
