import { and, desc, eq, lt, or } from "drizzle-orm";
import { auditEvents } from "@aifp/db";
import type { PageCursor } from "../pagination.ts";
import { randomId } from "../request-id.ts";
import { type Db, type Statement, nowIso } from "./db.ts";

/**
 * The audit log of sensitive actions (issue #9): who did what to whom, per organisation,
 * append-only (triggers refuse UPDATE and DELETE). Writers put {@link auditStatement} into the
 * same `db.batch()` as the action, so an action and its audit row exist together or not at all.
 */

/** Every action the log knows. Proposals, price books and quotes use theirs from their own routes. */
export const AUDIT_ACTIONS = [
  "org.created",
  "member.added",
  "member.removed",
  "member.role_changed",
  "invitation.created",
  "invitation.revoked",
  "key.created",
  "key.revoked",
  "price_book.published",
  "proposal.issued",
  "proposal.shared",
  "quote.created",
  "quote.updated",
  "quote.deleted",
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** Who acted: a signed-in person (user id), an API key (key id), or the system. */
export interface AuditActor {
  kind: "session" | "key" | "system";
  id: string;
}

/** One event to record. `detail` is small, plain JSON and never holds a secret. */
export interface AuditEventInput {
  orgId: string;
  actor: AuditActor;
  action: AuditAction;
  target: { kind: string; id: string };
  detail?: Record<string, string | number | boolean | null>;
}

/** An event as the API shows it. */
export interface AuditEventDto {
  id: string;
  at: string;
  actor: AuditActor;
  action: string;
  target: { kind: string; id: string };
  detail: Record<string, unknown>;
}

/** The INSERT of one audit event, for the action's own batch. */
export function auditStatement(db: Db, event: AuditEventInput, at: string = nowIso()): Statement {
  return db.insert(auditEvents).values({
    id: randomId("aud"),
    orgId: event.orgId,
    createdAt: at,
    actorKind: event.actor.kind,
    actorId: event.actor.id,
    action: event.action,
    targetKind: event.target.kind,
    targetId: event.target.id,
    detailJson: event.detail ?? {},
  });
}

/** One page of an organisation's audit log, newest first (keyset on `(created_at, id)` descending). */
export async function listAuditEvents(
  db: Db,
  orgId: string,
  limit: number,
  cursor: PageCursor | null,
): Promise<AuditEventDto[]> {
  const rows = await db
    .select()
    .from(auditEvents)
    .where(
      and(
        eq(auditEvents.orgId, orgId),
        cursor
          ? or(
              lt(auditEvents.createdAt, cursor.after),
              and(eq(auditEvents.createdAt, cursor.after), lt(auditEvents.id, cursor.id)),
            )
          : undefined,
      ),
    )
    .orderBy(desc(auditEvents.createdAt), desc(auditEvents.id))
    .limit(limit + 1);
  return rows.map((row) => ({
    id: row.id,
    at: row.createdAt,
    actor: { kind: row.actorKind, id: row.actorId },
    action: row.action,
    target: { kind: row.targetKind, id: row.targetId },
    detail: row.detailJson,
  }));
}

/** The audit actor of a principal: the person (session) or the API key that acted. */
export function actorOf(principal: { kind: "session" | "key"; id: string }): AuditActor {
  return { kind: principal.kind, id: principal.id };
}
