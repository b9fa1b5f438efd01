import { and, eq } from "drizzle-orm";
import { proposalShareLinks, proposalVersions } from "@aifp/db";
import type { PageCursor } from "../pagination.ts";
import { type Db, type Statement, assertExactlyOne } from "./db.ts";
import { hashedLinkService } from "./hashed-links.ts";

/**
 * Read-only share links to one issued proposal version: the hashed-link service
 * (`services/hashed-links.ts`, docs/reliability.md §2.6) over `proposal_share_links`, as export links
 * are over `export_links`: a 256-bit random token in the URL, only its SHA-256 stored, an
 * expiry, revocation checked on every request.
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

const links = hashedLinkService({
  table: proposalShareLinks,
  parentId: proposalShareLinks.proposalId,
  // The version must exist in the organisation and be issued (drafts are never shared).
  guard: (db: Db, row: NewShareLink) =>
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
  scope: (row) => ({ proposalId: row.proposalId, version: row.version }),
  target: (row) => ({ proposalId: row.proposalId, version: row.version }),
});

/** The DTO of a link as `createShareLink` stores it. */
export function newShareLinkDto(row: NewShareLink): ShareLinkDto {
  return links.newDto(row);
}

/** Insert a link, guarded: the version must exist in the organisation and be issued. */
export function createShareLink(db: Db, row: NewShareLink, extra: Statement[]): Promise<boolean> {
  return links.create(db, row, extra);
}

/** One page (limit + 1 rows) of a proposal's share links in the organisation. */
export function listShareLinks(
  db: Db,
  orgId: string,
  proposalId: string,
  limit: number,
  cursor: PageCursor | null,
): Promise<ShareLinkDto[]> {
  return links.list(db, orgId, proposalId, limit, cursor);
}

/** Revoke a share link of the organisation's proposal (idempotent). Null when there is no such link. */
export function revokeShareLink(
  db: Db,
  orgId: string,
  proposalId: string,
  linkId: string,
  now: string,
): Promise<ShareLinkDto | null> {
  return links.revoke(db, orgId, proposalId, linkId, now);
}

/** A link looked up by token hash, still valid at `now` (not revoked, not expired); else null. */
export function findValidShareLink(
  db: Db,
  tokenHash: string,
  now: string,
): Promise<{ orgId: string; proposalId: string; version: number; expiresAt: string } | null> {
  return links.findValid(db, tokenHash, now);
}
