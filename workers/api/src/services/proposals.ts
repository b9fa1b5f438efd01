import { and, asc, desc, eq } from "drizzle-orm";
import { plans, proposalVersions, proposals } from "@aifp/db";
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

/**
 * Proposals and their versions (the only code that touches these tables). Every function takes
 * the organisation first; another organisation's proposal is "not found". Multi-statement writes
 * are guarded batches (docs/reliability.md §2.3) asserting the proposal's `revision` (optimistic
 * concurrency) and, where it matters, the version's status.
 */

export type VersionStatus = (typeof proposalVersions.$inferSelect)["status"];

/** A proposal without its versions' content (lists). */
export interface ProposalSummaryDto {
  id: string;
  planId: string;
  latestVersion: number;
  revision: number;
  createdAt: string;
  updatedAt: string;
}

/** One version as stored: inputs and outputs parsed back from canonical JSON. */
export interface ProposalVersionDto {
  proposalId: string;
  version: number;
  status: VersionStatus;
  priceBookVersion: string;
  engineVersion: string;
  contentHash: string;
  createdAt: string;
  updatedAt: string;
  issuedAt: string | null;
  inputs: unknown;
  outputs: unknown;
}

/** A version in lists (no content). */
export type ProposalVersionSummaryDto = Omit<ProposalVersionDto, "inputs" | "outputs">;

/** A new version row, built by the caller (ids, hashes and JSON made up front). */
export interface NewProposalVersion {
  orgId: string;
  proposalId: string;
  version: number;
  inputsJson: string;
  outputsJson: string;
  priceBookVersion: string;
  engineVersion: string;
  contentHash: string;
  createdByKeyId: string;
  createdAt: string;
}

type ProposalRow = typeof proposals.$inferSelect;
type VersionRow = typeof proposalVersions.$inferSelect;

function toSummary(row: ProposalRow): ProposalSummaryDto {
  return {
    id: row.id,
    planId: row.planId,
    latestVersion: row.latestVersion,
    revision: row.revision,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

function toVersionSummary(row: VersionRow): ProposalVersionSummaryDto {
  return {
    proposalId: row.proposalId,
    version: row.version,
    status: row.status,
    priceBookVersion: row.priceBookVersion,
    engineVersion: row.engineVersion,
    contentHash: row.contentHash,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    issuedAt: row.issuedAt,
  };
}

function toVersion(row: VersionRow): ProposalVersionDto {
  return {
    ...toVersionSummary(row),
    inputs: row.inputsJson,
    outputs: row.outputsJson,
  };
}

/** The DTO of a version as the caller is about to store it. */
export function newVersionDto(
  row: NewProposalVersion,
  status: VersionStatus = "draft",
  issuedAt: string | null = null,
): ProposalVersionDto {
  return {
    proposalId: row.proposalId,
    version: row.version,
    status,
    priceBookVersion: row.priceBookVersion,
    engineVersion: row.engineVersion,
    contentHash: row.contentHash,
    createdAt: row.createdAt,
    updatedAt: row.createdAt,
    issuedAt,
    inputs: JSON.parse(row.inputsJson) as unknown,
    outputs: JSON.parse(row.outputsJson) as unknown,
  };
}

function insertVersion(db: Db, row: NewProposalVersion): Statement {
  return db.insert(proposalVersions).values({
    orgId: row.orgId,
    proposalId: row.proposalId,
    version: row.version,
    status: "draft",
    inputsJson: jsonText(row.inputsJson),
    outputsJson: jsonText(row.outputsJson),
    priceBookVersion: row.priceBookVersion,
    engineVersion: row.engineVersion,
    contentHash: row.contentHash,
    createdByKeyId: row.createdByKeyId,
    createdAt: row.createdAt,
    updatedAt: row.createdAt,
    issuedAt: null,
    issuedByKeyId: null,
  });
}

/**
 * Create a proposal with its first (draft) version, guarded: the plan must belong to the same
 * organisation. False when it does not (the caller answers 404).
 */
export async function createProposal(
  db: Db,
  proposal: { id: string; orgId: string; planId: string; createdByKeyId: string; createdAt: string },
  first: NewProposalVersion,
  extra: Statement[],
): Promise<boolean> {
  try {
    await runBatch(db, [
      assertExactlyOne(db, plans, and(eq(plans.orgId, proposal.orgId), eq(plans.id, proposal.planId))),
      db.insert(proposals).values({
        id: proposal.id,
        orgId: proposal.orgId,
        planId: proposal.planId,
        latestVersion: 1,
        revision: 1,
        createdByKeyId: proposal.createdByKeyId,
        createdAt: proposal.createdAt,
        updatedAt: proposal.createdAt,
      }),
      insertVersion(db, first),
      ...extra,
      clearAssert(db),
    ]);
    return true;
  } catch (error) {
    if (isAssertFailure(error)) return false;
    throw error;
  }
}

/** A proposal of the organisation, or null (another organisation's is null too). */
export async function getProposal(db: Db, orgId: string, id: string): Promise<ProposalSummaryDto | null> {
  const rows = await db
    .select()
    .from(proposals)
    .where(and(eq(proposals.orgId, orgId), eq(proposals.id, id)))
    .limit(1);
  return rows[0] ? toSummary(rows[0]) : null;
}

/** One version of the organisation's proposal, or null. */
export async function getProposalVersion(
  db: Db,
  orgId: string,
  proposalId: string,
  version: number,
): Promise<ProposalVersionDto | null> {
  const rows = await db
    .select()
    .from(proposalVersions)
    .where(
      and(
        eq(proposalVersions.orgId, orgId),
        eq(proposalVersions.proposalId, proposalId),
        eq(proposalVersions.version, version),
      ),
    )
    .limit(1);
  return rows[0] ? toVersion(rows[0]) : null;
}

/** The newest issued version of the organisation's proposal, or null when none is issued. */
export async function latestIssuedVersion(
  db: Db,
  orgId: string,
  proposalId: string,
): Promise<ProposalVersionDto | null> {
  const rows = await db
    .select()
    .from(proposalVersions)
    .where(
      and(
        eq(proposalVersions.orgId, orgId),
        eq(proposalVersions.proposalId, proposalId),
        eq(proposalVersions.status, "issued"),
      ),
    )
    .orderBy(desc(proposalVersions.version))
    .limit(1);
  return rows[0] ? toVersion(rows[0]) : null;
}

/** Every version of the organisation's proposal, oldest first (no content). */
export async function listProposalVersions(
  db: Db,
  orgId: string,
  proposalId: string,
): Promise<ProposalVersionSummaryDto[]> {
  const rows = await db
    .select()
    .from(proposalVersions)
    .where(and(eq(proposalVersions.orgId, orgId), eq(proposalVersions.proposalId, proposalId)))
    .orderBy(asc(proposalVersions.version));
  return rows.map(toVersionSummary);
}

/** One page (limit + 1 rows) of the organisation's proposals, optionally of one plan. */
export async function listProposals(
  db: Db,
  orgId: string,
  planId: string | null,
  limit: number,
  cursor: PageCursor | null,
): Promise<ProposalSummaryDto[]> {
  const rows = await db
    .select()
    .from(proposals)
    .where(
      and(
        eq(proposals.orgId, orgId),
        planId === null ? undefined : eq(proposals.planId, planId),
        afterCursor(proposals.createdAt, proposals.id, cursor),
      ),
    )
    .orderBy(asc(proposals.createdAt), asc(proposals.id))
    .limit(limit + 1);
  return rows.map(toSummary);
}

export type ProposalWriteOutcome = { kind: "done" } | { kind: "not_found" } | { kind: "conflict"; revision: number };

async function outcomeOfFailure(db: Db, orgId: string, id: string, error: unknown): Promise<ProposalWriteOutcome> {
  if (!isAssertFailure(error)) throw error;
  const current = await getProposal(db, orgId, id);
  return current === null ? { kind: "not_found" } : { kind: "conflict", revision: current.revision };
}

function bumpRevision(
  db: Db,
  orgId: string,
  id: string,
  expectedRevision: number,
  now: string,
  latestVersion?: number,
) {
  return db
    .update(proposals)
    .set({ revision: expectedRevision + 1, updatedAt: now, ...(latestVersion === undefined ? {} : { latestVersion }) })
    .where(and(eq(proposals.orgId, orgId), eq(proposals.id, id), eq(proposals.revision, expectedRevision)));
}

/**
 * Replace the content of the latest version while it is a draft. Guarded: the proposal is at
 * `expectedRevision` and its latest version is still a draft (else conflict, nothing changes).
 */
export async function updateDraft(
  db: Db,
  orgId: string,
  id: string,
  expectedRevision: number,
  version: number,
  content: { inputsJson: string; outputsJson: string; contentHash: string; updatedAt: string },
  extra: Statement[],
): Promise<ProposalWriteOutcome> {
  try {
    await runBatch(db, [
      assertExactlyOne(
        db,
        proposals,
        and(
          eq(proposals.orgId, orgId),
          eq(proposals.id, id),
          eq(proposals.revision, expectedRevision),
          eq(proposals.latestVersion, version),
        ),
      ),
      assertExactlyOne(
        db,
        proposalVersions,
        and(
          eq(proposalVersions.orgId, orgId),
          eq(proposalVersions.proposalId, id),
          eq(proposalVersions.version, version),
          eq(proposalVersions.status, "draft"),
        ),
      ),
      db
        .update(proposalVersions)
        .set({
          inputsJson: jsonText(content.inputsJson),
          outputsJson: jsonText(content.outputsJson),
          contentHash: content.contentHash,
          updatedAt: content.updatedAt,
        })
        .where(
          and(
            eq(proposalVersions.orgId, orgId),
            eq(proposalVersions.proposalId, id),
            eq(proposalVersions.version, version),
            eq(proposalVersions.status, "draft"),
          ),
        ),
      bumpRevision(db, orgId, id, expectedRevision, content.updatedAt),
      ...extra,
      clearAssert(db),
    ]);
    return { kind: "done" };
  } catch (error) {
    return outcomeOfFailure(db, orgId, id, error);
  }
}

/**
 * Add a new draft version after an issued one (changing an issued proposal). Guarded: the
 * proposal is at `expectedRevision` and its latest version is `row.version - 1`.
 */
export async function addVersion(
  db: Db,
  expectedRevision: number,
  row: NewProposalVersion,
  extra: Statement[],
): Promise<ProposalWriteOutcome> {
  try {
    await runBatch(db, [
      assertExactlyOne(
        db,
        proposals,
        and(
          eq(proposals.orgId, row.orgId),
          eq(proposals.id, row.proposalId),
          eq(proposals.revision, expectedRevision),
          eq(proposals.latestVersion, row.version - 1),
        ),
      ),
      insertVersion(db, row),
      bumpRevision(db, row.orgId, row.proposalId, expectedRevision, row.createdAt, row.version),
      ...extra,
      clearAssert(db),
    ]);
    return { kind: "done" };
  } catch (error) {
    return outcomeOfFailure(db, row.orgId, row.proposalId, error);
  }
}

/**
 * Issue the latest (draft) version: its final content, hash and issue instant in one UPDATE
 * from draft to issued; from then on the trigger refuses any change. Guarded like `updateDraft`.
 */
export async function issueVersion(
  db: Db,
  orgId: string,
  id: string,
  expectedRevision: number,
  version: number,
  content: { inputsJson: string; outputsJson: string; contentHash: string; issuedAt: string; issuedByKeyId: string },
  extra: Statement[],
): Promise<ProposalWriteOutcome> {
  const versionWhere = and(
    eq(proposalVersions.orgId, orgId),
    eq(proposalVersions.proposalId, id),
    eq(proposalVersions.version, version),
    eq(proposalVersions.status, "draft"),
  );
  try {
    await runBatch(db, [
      assertExactlyOne(
        db,
        proposals,
        and(
          eq(proposals.orgId, orgId),
          eq(proposals.id, id),
          eq(proposals.revision, expectedRevision),
          eq(proposals.latestVersion, version),
        ),
      ),
      assertExactlyOne(db, proposalVersions, versionWhere),
      db
        .update(proposalVersions)
        .set({
          status: "issued",
          inputsJson: jsonText(content.inputsJson),
          outputsJson: jsonText(content.outputsJson),
          contentHash: content.contentHash,
          updatedAt: content.issuedAt,
          issuedAt: content.issuedAt,
          issuedByKeyId: content.issuedByKeyId,
        })
        .where(versionWhere),
      bumpRevision(db, orgId, id, expectedRevision, content.issuedAt),
      ...extra,
      clearAssert(db),
    ]);
    return { kind: "done" };
  } catch (error) {
    return outcomeOfFailure(db, orgId, id, error);
  }
}

/** True when a trigger refused to change an issued proposal version. */
export function isProposalImmutable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; current instanceof Error && depth < 5; depth++) {
    if (/proposal_immutable/.test(current.message)) return true;
    current = current.cause;
  }
  return false;
}
