import { and, asc, eq, gt, isNull, sql } from "drizzle-orm";
import { apiKeys, assertTable, invitations, memberships, organisations, sessions, users } from "@aifp/db";
import type { PageCursor } from "../pagination.ts";
import type { Role } from "../schemas.ts";
import {
  type Db,
  type Statement,
  assertExactlyOne,
  clearAssert,
  isAssertFailure,
  isUniqueViolation,
  runBatch,
  afterCursor,
} from "./db.ts";

/**
 * Organisations, their members and invitations (docs/accounts.md). Every function takes the
 * organisation id first and filters on it (docs/reliability.md §2.7): another organisation's member
 * or invitation is "not found". Multi-statement writes are guarded batches (§2.3), each with its
 * audit row.
 */

/** A member as the API shows it. */
export interface MemberDto {
  id: string;
  userId: string;
  name: string;
  email: string;
  role: Role;
  createdAt: string;
}

/** An organisation the signed-in person belongs to, with their role in it. */
export interface MembershipSummary {
  orgId: string;
  orgName: string;
  role: Role;
  joinedAt: string;
}

/** An invitation as the API shows it (never the token or its hash). */
export interface InvitationDto {
  id: string;
  role: Role;
  note: string | null;
  createdAt: string;
  expiresAt: string;
  status: "pending" | "accepted" | "revoked" | "expired";
  acceptedAt: string | null;
  revokedAt: string | null;
}

type InvitationRow = typeof invitations.$inferSelect;

/** The organisation a new session starts in: the one the person joined first, or null. */
export async function firstOrgOfUser(db: Db, userId: string): Promise<string | null> {
  const rows = await db
    .select({ orgId: memberships.orgId })
    .from(memberships)
    .where(eq(memberships.userId, userId))
    .orderBy(asc(memberships.createdAt), asc(memberships.id))
    .limit(1);
  return rows[0]?.orgId ?? null;
}

/** The person's role in the organisation, or null when they are not a member. */
export async function roleOfUser(db: Db, orgId: string, userId: string): Promise<Role | null> {
  const rows = await db
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)))
    .limit(1);
  return rows[0]?.role ?? null;
}

/** Every organisation the person belongs to (at most 100), oldest membership first. */
export async function membershipsOfUser(db: Db, userId: string): Promise<MembershipSummary[]> {
  const rows = await db
    .select({
      orgId: memberships.orgId,
      orgName: organisations.name,
      role: memberships.role,
      joinedAt: memberships.createdAt,
    })
    .from(memberships)
    .innerJoin(organisations, eq(organisations.id, memberships.orgId))
    .where(eq(memberships.userId, userId))
    .orderBy(asc(memberships.createdAt), asc(memberships.id))
    .limit(100);
  return rows.map((row) => ({ ...row, role: row.role }));
}

/** Point a session at an organisation (the caller checked membership). */
export async function setActiveOrg(db: Db, sessionId: string, orgId: string): Promise<void> {
  await db.update(sessions).set({ activeOrgId: orgId }).where(eq(sessions.id, sessionId));
}

/** The INSERT of a membership, for a batch. */
export function insertMembershipStatement(
  db: Db,
  row: { id: string; orgId: string; userId: string; role: Role; createdAt: string },
): Statement {
  return db.insert(memberships).values(row);
}

/** Most organisations one person may administer (each new one makes them its admin). */
export const MAX_ADMIN_ORGS_PER_USER = 20;

/**
 * `_assert` gets 1 while the person administers fewer than {@link MAX_ADMIN_ORGS_PER_USER}
 * organisations: put first in the batch that creates one, it refuses the one too many.
 */
export function assertOrgRoom(db: Db, userId: string): Statement {
  return db.insert(assertTable).select(
    db
      .select({ ok: sql<number>`count(*) < ${MAX_ADMIN_ORGS_PER_USER}`.as("ok") })
      .from(memberships)
      .where(and(eq(memberships.userId, userId), eq(memberships.role, "admin"))),
  );
}

/**
 * Create an organisation with its first member (an admin) and the audit rows, in one batch.
 * False when the person already administers {@link MAX_ADMIN_ORGS_PER_USER} organisations.
 */
export async function createOrganisationWithAdmin(
  db: Db,
  org: { id: string; name: string; createdAt: string },
  member: { id: string; userId: string },
  extra: Statement[],
): Promise<boolean> {
  try {
    await runBatch(db, [
      assertOrgRoom(db, member.userId),
      clearAssert(db),
      db.insert(organisations).values(org),
      insertMembershipStatement(db, { ...member, orgId: org.id, role: "admin", createdAt: org.createdAt }),
      ...extra,
    ]);
  } catch (error) {
    if (isAssertFailure(error)) return false;
    throw error;
  }
  return true;
}

/** One page of the organisation's members, ordered by (created_at, id). */
export async function listMembers(
  db: Db,
  orgId: string,
  limit: number,
  cursor: PageCursor | null,
): Promise<MemberDto[]> {
  const rows = await db
    .select({
      id: memberships.id,
      userId: memberships.userId,
      name: users.name,
      email: users.email,
      role: memberships.role,
      createdAt: memberships.createdAt,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.orgId, orgId), afterCursor(memberships.createdAt, memberships.id, cursor)))
    .orderBy(asc(memberships.createdAt), asc(memberships.id))
    .limit(limit + 1);
  return rows.map((row) => ({ ...row, role: row.role }));
}

/** One member of the organisation, or null (another organisation's member is null too). */
export async function getMember(db: Db, orgId: string, memberId: string): Promise<MemberDto | null> {
  const rows = await db
    .select({
      id: memberships.id,
      userId: memberships.userId,
      name: users.name,
      email: users.email,
      role: memberships.role,
      createdAt: memberships.createdAt,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.orgId, orgId), eq(memberships.id, memberId)))
    .limit(1);
  const row = rows[0];
  return row ? { ...row, role: row.role } : null;
}

/**
 * `_assert` gets 1 when the organisation still has an admin after the batch's change: an admin
 * member, or an active (not revoked, not expired) admin API key (an organisation made by
 * `POST /orgs` starts with an admin key only). Appended after the UPDATE/DELETE, it rolls the
 * change back when the last admin would go.
 */
function assertAdminRemains(db: Db, orgId: string, now: string): Statement {
  const adminMembers = sql`(SELECT count(*) FROM ${memberships} WHERE ${memberships.orgId} = ${orgId} AND ${memberships.role} = 'admin')`;
  const adminKeys = sql`(SELECT count(*) FROM ${apiKeys} WHERE ${apiKeys.orgId} = ${orgId} AND ${apiKeys.role} = 'admin' AND ${apiKeys.revokedAt} IS NULL AND (${apiKeys.expiresAt} IS NULL OR ${apiKeys.expiresAt} > ${now}))`;
  return db.insert(assertTable).select(
    db
      .select({ ok: sql<number>`${adminMembers} + ${adminKeys} >= 1`.as("ok") })
      .from(organisations)
      .where(eq(organisations.id, orgId)),
  );
}

/** Ids of the active keys a person made in an organisation (revoked when they leave it). */
export async function activeKeysCreatedBy(db: Db, orgId: string, userId: string): Promise<string[]> {
  const rows = await db
    .select({ id: apiKeys.id })
    .from(apiKeys)
    .where(and(eq(apiKeys.orgId, orgId), eq(apiKeys.createdByUserId, userId), isNull(apiKeys.revokedAt)));
  return rows.map((row) => row.id);
}

/** Outcome of a change that must leave the organisation an admin. */
export type MemberChange = { kind: "ok" } | { kind: "not_found" } | { kind: "last_admin" };

/** Change a member's role (with its audit row); refuses to leave the organisation without an admin. */
export async function changeMemberRole(
  db: Db,
  orgId: string,
  memberId: string,
  role: Role,
  extra: Statement[],
): Promise<MemberChange> {
  const where = and(eq(memberships.orgId, orgId), eq(memberships.id, memberId));
  try {
    await runBatch(db, [
      assertExactlyOne(db, memberships, where),
      clearAssert(db),
      db.update(memberships).set({ role }).where(where),
      assertAdminRemains(db, orgId, new Date().toISOString()),
      clearAssert(db),
      ...extra,
    ]);
    return { kind: "ok" };
  } catch (error) {
    if (!isAssertFailure(error)) throw error;
    return (await getMember(db, orgId, memberId)) ? { kind: "last_admin" } : { kind: "not_found" };
  }
}

/**
 * Remove a member (with its audit row); their sessions leave the organisation with them, and
 * the API keys they made there are revoked in the same batch (`revokedKeyIds`, each audited by
 * the caller in `extra`). Refuses to remove the last admin (admin members and active admin keys
 * counted after the revocations).
 */
export async function removeMember(
  db: Db,
  orgId: string,
  member: MemberDto,
  extra: Statement[],
  revokedKeyIds: readonly string[] = [],
): Promise<MemberChange> {
  const where = and(eq(memberships.orgId, orgId), eq(memberships.id, member.id));
  const now = new Date().toISOString();
  try {
    await runBatch(db, [
      assertExactlyOne(db, memberships, where),
      clearAssert(db),
      db.delete(memberships).where(where),
      ...revokedKeyIds.map((keyId) =>
        db
          .update(apiKeys)
          .set({ revokedAt: now })
          .where(and(eq(apiKeys.orgId, orgId), eq(apiKeys.id, keyId), isNull(apiKeys.revokedAt))),
      ),
      assertAdminRemains(db, orgId, now),
      clearAssert(db),
      db
        .update(sessions)
        .set({ activeOrgId: null })
        .where(and(eq(sessions.userId, member.userId), eq(sessions.activeOrgId, orgId))),
      ...extra,
    ]);
    return { kind: "ok" };
  } catch (error) {
    if (!isAssertFailure(error)) throw error;
    return (await getMember(db, orgId, member.id)) ? { kind: "last_admin" } : { kind: "not_found" };
  }
}

function invitationStatus(row: InvitationRow, now: string): InvitationDto["status"] {
  if (row.acceptedAt !== null) return "accepted";
  if (row.revokedAt !== null) return "revoked";
  if (row.expiresAt <= now) return "expired";
  return "pending";
}

function toInvitationDto(row: InvitationRow, now: string): InvitationDto {
  return {
    id: row.id,
    role: row.role,
    note: row.note,
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
    status: invitationStatus(row, now),
    acceptedAt: row.acceptedAt,
    revokedAt: row.revokedAt,
  };
}

/** A new invitation row (the caller made the token and hashed it). */
export interface NewInvitation {
  id: string;
  orgId: string;
  role: Role;
  tokenHash: string;
  note: string | null;
  createdById: string;
  createdAt: string;
  expiresAt: string;
}

/** Store an invitation with its audit row (and idempotency completion) in one batch. */
export async function createInvitation(db: Db, row: NewInvitation, extra: Statement[]): Promise<InvitationDto> {
  await runBatch(db, [db.insert(invitations).values(row), ...extra]);
  return newInvitationDto(row);
}

/** The DTO of an invitation about to be stored. */
export function newInvitationDto(row: NewInvitation): InvitationDto {
  return {
    id: row.id,
    role: row.role,
    note: row.note,
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
    status: "pending",
    acceptedAt: null,
    revokedAt: null,
  };
}

/** One page of the organisation's invitations, ordered by (created_at, id). */
export async function listInvitations(
  db: Db,
  orgId: string,
  limit: number,
  cursor: PageCursor | null,
  now: string,
): Promise<InvitationDto[]> {
  const rows = await db
    .select()
    .from(invitations)
    .where(and(eq(invitations.orgId, orgId), afterCursor(invitations.createdAt, invitations.id, cursor)))
    .orderBy(asc(invitations.createdAt), asc(invitations.id))
    .limit(limit + 1);
  return rows.map((row) => toInvitationDto(row, now));
}

/** One invitation of the organisation, or null. */
export async function getInvitation(db: Db, orgId: string, id: string, now: string): Promise<InvitationDto | null> {
  const rows = await db
    .select()
    .from(invitations)
    .where(and(eq(invitations.orgId, orgId), eq(invitations.id, id)))
    .limit(1);
  return rows[0] ? toInvitationDto(rows[0], now) : null;
}

/**
 * Revoke a pending invitation (with its audit row). Returns null when the organisation has no
 * such invitation; an accepted or already revoked one is returned unchanged (no audit row).
 */
export async function revokeInvitation(
  db: Db,
  orgId: string,
  id: string,
  now: string,
  audit: Statement,
): Promise<InvitationDto | null> {
  const pending = and(
    eq(invitations.orgId, orgId),
    eq(invitations.id, id),
    isNull(invitations.acceptedAt),
    isNull(invitations.revokedAt),
  );
  try {
    await runBatch(db, [
      assertExactlyOne(db, invitations, pending),
      clearAssert(db),
      db.update(invitations).set({ revokedAt: now }).where(pending),
      audit,
    ]);
  } catch (error) {
    if (!isAssertFailure(error)) throw error;
  }
  return getInvitation(db, orgId, id, now);
}

/** What an invitation link leads to, for the accept page. */
export interface InvitationPreview {
  orgId: string;
  orgName: string;
  role: Role;
  expiresAt: string;
}

/** A usable (pending, unexpired) invitation by the SHA-256 of its token, or null. */
export async function findPendingInvitation(
  db: Db,
  tokenHash: string,
  now: string,
): Promise<(InvitationPreview & { id: string }) | null> {
  const rows = await db
    .select({
      id: invitations.id,
      orgId: invitations.orgId,
      orgName: organisations.name,
      role: invitations.role,
      expiresAt: invitations.expiresAt,
      acceptedAt: invitations.acceptedAt,
      revokedAt: invitations.revokedAt,
    })
    .from(invitations)
    .innerJoin(organisations, eq(organisations.id, invitations.orgId))
    .where(eq(invitations.tokenHash, tokenHash))
    .limit(1);
  const row = rows[0];
  if (!row || row.acceptedAt !== null || row.revokedAt !== null || row.expiresAt <= now) return null;
  return { id: row.id, orgId: row.orgId, orgName: row.orgName, role: row.role, expiresAt: row.expiresAt };
}

/** Outcome of accepting an invitation. */
export type AcceptOutcome = { kind: "ok" } | { kind: "gone" } | { kind: "already_member" };

/**
 * Accept an invitation: one guarded batch marks it used (only if still pending and unexpired:
 * two people racing for one link, one wins), adds the membership and its audit row.
 */
export async function acceptInvitation(
  db: Db,
  invitation: { id: string; orgId: string; role: Role },
  member: { id: string; userId: string },
  now: string,
  extra: Statement[],
): Promise<AcceptOutcome> {
  const pending = and(
    eq(invitations.id, invitation.id),
    isNull(invitations.acceptedAt),
    isNull(invitations.revokedAt),
    gt(invitations.expiresAt, now),
  );
  try {
    await runBatch(db, [
      assertExactlyOne(db, invitations, pending),
      clearAssert(db),
      db.update(invitations).set({ acceptedAt: now, acceptedByUserId: member.userId }).where(pending),
      insertMembershipStatement(db, {
        id: member.id,
        orgId: invitation.orgId,
        userId: member.userId,
        role: invitation.role,
        createdAt: now,
      }),
      ...extra,
    ]);
    return { kind: "ok" };
  } catch (error) {
    if (isAssertFailure(error)) return { kind: "gone" };
    if (isUniqueViolation(error)) return { kind: "already_member" };
    throw error;
  }
}
