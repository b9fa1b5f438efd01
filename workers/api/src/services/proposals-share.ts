import { and, asc, eq, isNull } from "drizzle-orm";
import { proposalShareLinks, proposalVersions } from "@aifp/db";
import type { PageCursor } from "../pagination.ts";
import {
  type Db,
  type Statement,
  assertExactlyOne,
  clearAssert,
  isAssertFailure,
  runBatch,
  afterCursor,
} from "./db.ts";

/**
 * Read-only share links to one issued proposal version, on the export-link pattern
 * (`services/export-links.ts`, reliability.md §2.6): a 256-bit random token in the URL, only its
 * SHA-256 stored, an expiry, revocation checked on every request.
 */

/** Prefix of every share-link token (`aifp_share_` + base58 of 32 random bytes). */
export const SHARE_TOKEN_PREFIX = "aifp_share_";

/** A share link as the API shows it (never the token or its hash). */
export interface ShareLinkDto {
  id: string;
  proposalId: string;
  version: number;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
}

export interface NewShareLink extends Omit<ShareLinkDto, "revokedAt"> {
  orgId: string;
  tokenHash: string;
  createdByKeyId: string;
}

type LinkRow = typeof proposalShareLinks.$inferSelect;

function toDto(row: LinkRow | NewShareLink): ShareLinkDto {
  return {
    id: row.id,
    proposalId: row.proposalId,
    version: row.version,
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
    revokedAt: "revokedAt" in row ? row.revokedAt : null,
  };
}

/** The DTO of a link as `createShareLink` stores it. */
export function newShareLinkDto(row: NewShareLink): ShareLinkDto {
  return toDto(row);
}

/** Insert a link, guarded: the version must exist in the organisation and be issued. */
export async function createShareLink(db: Db, row: NewShareLink, extra: Statement[]): Promise<boolean> {
  try {
    await runBatch(db, [
      assertExactlyOne(
        db,
        proposalVersions,
        and(
          eq(proposalVersions.orgId, row.orgId),
          eq(proposalVersions.proposalId, row.proposalId),
          eq(proposalVersions.version, row.version),
          eq(proposalVersions.status, "issued"),
        ),
      ),
      db.insert(proposalShareLinks).values({ ...row, revokedAt: null }),
      ...extra,
      clearAssert(db),
    ]);
    return true;
  } catch (error) {
    if (isAssertFailure(error)) return false;
    throw error;
  }
}

/** One page (limit + 1 rows) of a proposal's share links in the organisation. */
export async function listShareLinks(
  db: Db,
  orgId: string,
  proposalId: string,
  limit: number,
  cursor: PageCursor | null,
): Promise<ShareLinkDto[]> {
  const rows = await db
    .select()
    .from(proposalShareLinks)
    .where(
      and(
        eq(proposalShareLinks.orgId, orgId),
        eq(proposalShareLinks.proposalId, proposalId),
        afterCursor(proposalShareLinks.createdAt, proposalShareLinks.id, cursor),
      ),
    )
    .orderBy(asc(proposalShareLinks.createdAt), asc(proposalShareLinks.id))
    .limit(limit + 1);
  return rows.map(toDto);
}

/** Revoke a share link of the organisation's proposal (idempotent). Null when there is no such link. */
export async function revokeShareLink(
  db: Db,
  orgId: string,
  proposalId: string,
  linkId: string,
  now: string,
): Promise<ShareLinkDto | null> {
  const where = and(
    eq(proposalShareLinks.orgId, orgId),
    eq(proposalShareLinks.proposalId, proposalId),
    eq(proposalShareLinks.id, linkId),
  );
  await db
    .update(proposalShareLinks)
    .set({ revokedAt: now })
    .where(and(where, isNull(proposalShareLinks.revokedAt)));
  const rows = await db.select().from(proposalShareLinks).where(where).limit(1);
  return rows[0] ? toDto(rows[0]) : null;
}

/** A link looked up by token hash, still valid at `now` (not revoked, not expired); else null. */
export async function findValidShareLink(
  db: Db,
  tokenHash: string,
  now: string,
): Promise<{ orgId: string; proposalId: string; version: number; expiresAt: string } | null> {
  const rows = await db.select().from(proposalShareLinks).where(eq(proposalShareLinks.tokenHash, tokenHash)).limit(1);
  const row = rows[0];
  if (!row || row.revokedAt !== null || row.expiresAt <= now) return null;
  return { orgId: row.orgId, proposalId: row.proposalId, version: row.version, expiresAt: row.expiresAt };
}
