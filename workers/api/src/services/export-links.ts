import { and, eq } from "drizzle-orm";
import { exportLinks, plans } from "@aifp/db";
import type { PageCursor } from "../pagination.ts";
import type { ExportFormat } from "../schemas.ts";
import { type Db, type Statement, assertExactlyOne } from "./db.ts";
import { hashedLinkService } from "./hashed-links.ts";

/**
 * Signed export links (docs/api.md "Signed links"): read-only, one plan, one format, expiring,
 * revocable; the hashed-link service (`services/hashed-links.ts`) over `export_links`.
 */

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

const links = hashedLinkService({
  table: exportLinks,
  parentId: exportLinks.planId,
  // The plan must belong to the link's organisation.
  guard: (db: Db, row: NewExportLink) =>
    assertExactlyOne(db, plans, and(eq(plans.orgId, row.orgId), eq(plans.id, row.planId))),
  scope: (row) => ({ planId: row.planId, format: row.format }),
  target: (row) => ({ planId: row.planId, format: row.format }),
});

/** The DTO of a link as `createExportLink` stores it. */
export function newExportLinkDto(row: NewExportLink): ExportLinkDto {
  return links.newDto(row);
}

/** Insert a link, guarded: the plan must belong to the same organisation. False if it does not. */
export function createExportLink(db: Db, row: NewExportLink, extra: Statement[]): Promise<boolean> {
  return links.create(db, row, extra);
}

/** One page (limit + 1 rows) of a plan's links in the organisation. */
export function listExportLinks(
  db: Db,
  orgId: string,
  planId: string,
  limit: number,
  cursor: PageCursor | null,
): Promise<ExportLinkDto[]> {
  return links.list(db, orgId, planId, limit, cursor);
}

/** Revoke a link of the organisation's plan (idempotent). Null when there is no such link. */
export function revokeExportLink(
  db: Db,
  orgId: string,
  planId: string,
  linkId: string,
  now: string,
): Promise<ExportLinkDto | null> {
  return links.revoke(db, orgId, planId, linkId, now);
}

/** A link looked up by token hash, still valid at `now`, with its org and plan; else null. */
export function findValidLink(
  db: Db,
  tokenHash: string,
  now: string,
): Promise<{ orgId: string; planId: string; format: ExportFormat; expiresAt: string } | null> {
  return links.findValid(db, tokenHash, now);
}
