import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from "cloudflare:test";
import { count, inArray } from "drizzle-orm";
import type { SQLiteColumn, SQLiteTable } from "drizzle-orm/sqlite-core";
import {
  auditEvents,
  exportLinks,
  idempotencyKeys,
  invitations,
  organisations,
  plans,
  proposalShareLinks,
  proposals,
  scenarios,
  sessions,
  users,
  verifications,
} from "@aifp/db";
import { afterEach, describe, expect, it, vi } from "vitest";
import worker from "../src/index.ts";
import { openDb } from "../src/services/db.ts";
import {
  EXPIRED_INVITATION_RETENTION_MS,
  EXPIRED_LINK_RETENTION_MS,
  type HousekeepingCounts,
  IDEMPOTENCY_RETENTION_MS,
  runHousekeeping,
} from "../src/services/housekeeping.ts";

/** The instant every run in this file happens at (the cron controller's scheduledTime). */
const NOW_MS = Date.parse("2026-11-22T12:00:00.000Z");
const SECOND_MS = 1_000;
const DAY_MS = 86_400_000;
const iso = (ms: number): string => new Date(ms).toISOString();

const db = openDb(env.DB);
const ORG_ID = "org_housekeeping";
const USER_ID = "usr_housekeeping";

afterEach(() => {
  vi.restoreAllMocks();
});

async function seedOwners(): Promise<void> {
  await db.insert(organisations).values({ id: ORG_ID, name: "Housekeeping", createdAt: iso(NOW_MS - 400 * DAY_MS) });
  await db.insert(users).values({
    id: USER_ID,
    name: "Housekeeping",
    email: "housekeeping@example.com",
    createdAt: new Date(NOW_MS - 400 * DAY_MS),
    updatedAt: new Date(NOW_MS - 400 * DAY_MS),
  });
}

/** Rows each side of every threshold; `gone` are the ids that must be deleted, `kept` the rest. */
async function seedAroundThresholds(): Promise<{ gone: Record<keyof HousekeepingCounts, string[]>; kept: string[] }> {
  const idemCutoff = NOW_MS - IDEMPOTENCY_RETENTION_MS;
  const idem = (key: string, createdMs: number, state: "completed" | "in_progress", lockedUntilMs: number) => ({
    orgId: ORG_ID,
    key,
    principalId: "key_x",
    methodPath: "POST /api/v1/scenarios",
    requestHash: "h",
    state,
    status: state === "completed" ? 201 : null,
    responseJson: state === "completed" ? { headers: {}, body: {} } : null,
    lockedUntil: iso(lockedUntilMs),
    createdAt: iso(createdMs),
  });
  await db.insert(idempotencyKeys).values([
    idem("idem-completed-old", idemCutoff - SECOND_MS, "completed", idemCutoff + 59 * SECOND_MS),
    idem("idem-completed-young", idemCutoff + SECOND_MS, "completed", idemCutoff + 61 * SECOND_MS),
    // Abandoned: the Worker died mid-request a day ago; its lease lapsed long since.
    idem("idem-abandoned-old", idemCutoff - 3_600_000, "in_progress", idemCutoff - 3_540_000),
    // Old but its lease was just taken over by a retry that is running now: keep.
    idem("idem-retaken-old", idemCutoff - 3_600_000, "in_progress", NOW_MS + 30 * SECOND_MS),
    // Young with a lapsed lease: within 24 h a retry may still take it over.
    idem("idem-abandoned-young", NOW_MS - 3_600_000, "in_progress", NOW_MS - 3_540_000),
  ]);

  const linkCutoff = NOW_MS - EXPIRED_LINK_RETENTION_MS;
  const exportLink = (id: string, expiresMs: number, revoked: boolean) => ({
    id,
    orgId: ORG_ID,
    planId: "pln_any",
    format: "monthly.csv" as const,
    tokenHash: `hash-${id}`,
    createdByKeyId: "key_x",
    createdAt: iso(expiresMs - DAY_MS),
    expiresAt: iso(expiresMs),
    revokedAt: revoked ? iso(expiresMs - DAY_MS / 2) : null,
  });
  await db
    .insert(exportLinks)
    .values([
      exportLink("lnk_old", linkCutoff - SECOND_MS, false),
      exportLink("lnk_old_revoked", linkCutoff - DAY_MS, true),
      exportLink("lnk_recently_expired", linkCutoff + SECOND_MS, false),
      exportLink("lnk_revoked_live", NOW_MS + DAY_MS, true),
      exportLink("lnk_live", NOW_MS + DAY_MS, false),
    ]);
  const shareLink = (id: string, expiresMs: number, revoked: boolean) => ({
    id,
    orgId: ORG_ID,
    proposalId: "prp_any",
    version: 1,
    tokenHash: `hash-${id}`,
    createdByKeyId: "key_x",
    createdAt: iso(expiresMs - 30 * DAY_MS),
    expiresAt: iso(expiresMs),
    revokedAt: revoked ? iso(expiresMs - DAY_MS) : null,
  });
  await db
    .insert(proposalShareLinks)
    .values([
      shareLink("shr_old", linkCutoff - SECOND_MS, false),
      shareLink("shr_old_revoked", linkCutoff - 10 * DAY_MS, true),
      shareLink("shr_recently_expired", linkCutoff + SECOND_MS, false),
      shareLink("shr_live", NOW_MS + 60 * DAY_MS, false),
    ]);

  const invitationCutoff = NOW_MS - EXPIRED_INVITATION_RETENTION_MS;
  const invitation = (id: string, expiresMs: number, accepted: boolean) => ({
    id,
    orgId: ORG_ID,
    role: "viewer" as const,
    tokenHash: `hash-${id}`,
    createdById: USER_ID,
    createdAt: iso(expiresMs - 7 * DAY_MS),
    expiresAt: iso(expiresMs),
    acceptedAt: accepted ? iso(expiresMs - DAY_MS) : null,
    acceptedByUserId: accepted ? USER_ID : null,
  });
  await db
    .insert(invitations)
    .values([
      invitation("inv_old_pending", invitationCutoff - SECOND_MS, false),
      invitation("inv_old_accepted", invitationCutoff - 5 * DAY_MS, true),
      invitation("inv_recently_expired", invitationCutoff + SECOND_MS, false),
      invitation("inv_live", NOW_MS + DAY_MS, false),
    ]);

  const session = (id: string, expiresMs: number) => ({
    id,
    token: `token-${id}`,
    userId: USER_ID,
    expiresAt: new Date(expiresMs),
    createdAt: new Date(expiresMs - 7 * DAY_MS),
    updatedAt: new Date(expiresMs - 7 * DAY_MS),
  });
  await db
    .insert(sessions)
    .values([
      session("ses_expired", NOW_MS - 1),
      session("ses_long_expired", NOW_MS - 90 * DAY_MS),
      session("ses_live", NOW_MS + 1),
    ]);
  const verification = (id: string, expiresMs: number) => ({
    id,
    identifier: `identifier-${id}`,
    value: "v",
    expiresAt: new Date(expiresMs),
    createdAt: new Date(expiresMs - 600_000),
    updatedAt: new Date(expiresMs - 600_000),
  });
  await db
    .insert(verifications)
    .values([verification("ver_expired", NOW_MS - 1), verification("ver_live", NOW_MS + 1)]);

  // Never touched, however old: plans, scenarios, proposals, the audit log.
  const ancient = iso(NOW_MS - 3_000 * DAY_MS);
  await db.insert(scenarios).values({
    id: "scn_ancient",
    orgId: ORG_ID,
    name: "s",
    scenarioJson: {},
    version: 1,
    createdAt: ancient,
    updatedAt: ancient,
  });
  await db.insert(plans).values({
    id: "pln_ancient",
    orgId: ORG_ID,
    scenarioId: "scn_ancient",
    scenarioVersion: 1,
    name: "p",
    priceBookVersion: "2020.01.01",
    kernelVersion: "0",
    inputHash: "h",
    inputJson: {},
    resultJson: {},
    createdAt: ancient,
  });
  await db.insert(proposals).values({
    id: "prp_ancient",
    orgId: ORG_ID,
    planId: "pln_ancient",
    latestVersion: 1,
    revision: 1,
    createdByKeyId: "key_x",
    createdAt: ancient,
    updatedAt: ancient,
  });
  await db.insert(auditEvents).values({
    id: "aud_ancient",
    orgId: ORG_ID,
    createdAt: ancient,
    actorKind: "system",
    actorId: "system",
    action: "test.seeded",
    targetKind: "org",
    targetId: ORG_ID,
    detailJson: {},
  });

  return {
    gone: {
      idempotencyKeys: ["idem-completed-old", "idem-abandoned-old"],
      exportLinks: ["lnk_old", "lnk_old_revoked"],
      proposalShareLinks: ["shr_old", "shr_old_revoked"],
      invitations: ["inv_old_pending", "inv_old_accepted"],
      sessions: ["ses_expired", "ses_long_expired"],
      verifications: ["ver_expired"],
    },
    kept: [
      "idem-completed-young",
      "idem-retaken-old",
      "idem-abandoned-young",
      "lnk_recently_expired",
      "lnk_revoked_live",
      "lnk_live",
      "shr_recently_expired",
      "shr_live",
      "inv_recently_expired",
      "inv_live",
      "ses_live",
      "ver_live",
      "scn_ancient",
      "pln_ancient",
      "prp_ancient",
      "aud_ancient",
    ],
  };
}

/** Which of `known` are present now, across the tables housekeeping prunes and the ones it must never touch. */
async function presentIds(known: string[]): Promise<Set<string>> {
  const columns: [SQLiteTable, SQLiteColumn][] = [
    [idempotencyKeys, idempotencyKeys.key],
    [exportLinks, exportLinks.id],
    [proposalShareLinks, proposalShareLinks.id],
    [invitations, invitations.id],
    [sessions, sessions.id],
    [verifications, verifications.id],
    [scenarios, scenarios.id],
    [plans, plans.id],
    [proposals, proposals.id],
    [auditEvents, auditEvents.id],
  ];
  const ids = new Set<string>();
  for (const [table, column] of columns) {
    const rows = await db.select({ id: column }).from(table);
    for (const row of rows) if (known.includes(String(row.id))) ids.add(String(row.id));
  }
  return ids;
}

/** Run the Worker's own `scheduled` handler at NOW_MS; return the JSON line it logged. */
async function runCron(): Promise<{ event: string; deleted: HousekeepingCounts; backlog: string[]; failed: object }> {
  const logged: string[] = [];
  const spy = vi.spyOn(console, "log").mockImplementation((line: unknown) => {
    logged.push(String(line));
  });
  const controller = createScheduledController({ scheduledTime: NOW_MS, cron: "17 * * * *" });
  const ctx = createExecutionContext();
  await worker.scheduled(controller, env, ctx);
  await waitOnExecutionContext(ctx);
  spy.mockRestore();
  const lines = logged.filter((line) => line.includes('"event":"housekeeping"'));
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0]!) as { event: string; deleted: HousekeepingCounts; backlog: string[]; failed: object };
}

describe("scheduled housekeeping", () => {
  it("deletes exactly the rows past each threshold, counts them, logs one line, and is idempotent", async () => {
    await seedOwners();
    const { gone, kept } = await seedAroundThresholds();
    const known = [...Object.values(gone).flat(), ...kept];
    const before = await presentIds(known);
    expect(before.size).toBe(known.length);

    const first = await runCron();
    expect(first.event).toBe("housekeeping");
    expect(first.failed).toEqual({});
    expect(first.backlog).toEqual([]);
    expect(first.deleted).toEqual({
      idempotencyKeys: gone.idempotencyKeys.length,
      exportLinks: gone.exportLinks.length,
      proposalShareLinks: gone.proposalShareLinks.length,
      invitations: gone.invitations.length,
      sessions: gone.sessions.length,
      verifications: gone.verifications.length,
    });
    const after = await presentIds(known);
    for (const id of Object.values(gone).flat()) expect(after.has(id), `${id} deleted`).toBe(false);
    for (const id of kept) expect(after.has(id), `${id} kept`).toBe(true);
    expect(after.size).toBe(kept.length);

    // A second run at the same instant has nothing left to do.
    const second = await runCron();
    expect(second.deleted).toEqual({
      idempotencyKeys: 0,
      exportLinks: 0,
      proposalShareLinks: 0,
      invitations: 0,
      sessions: 0,
      verifications: 0,
    });
    expect(await presentIds(known)).toEqual(after);

    // The owners outlive housekeeping too (the user's live session still points at it).
    const [owners] = await db
      .select({ n: count() })
      .from(users)
      .where(inArray(users.id, [USER_ID]));
    expect(owners?.n).toBe(1);
  });

  it("deletes in bounded batches, reports the backlog, and finishes it on later runs", async () => {
    const expiredMs = NOW_MS - EXPIRED_LINK_RETENTION_MS - DAY_MS;
    const ids = Array.from({ length: 7 }, (_, index) => `lnk_batch_${index}`);
    await db.insert(organisations).values({ id: "org_batches", name: "Batches", createdAt: iso(NOW_MS) });
    await db.insert(exportLinks).values(
      ids.map((id) => ({
        id,
        orgId: "org_batches",
        planId: "pln_any",
        format: "xlsx" as const,
        tokenHash: `hash-${id}`,
        createdByKeyId: "key_x",
        createdAt: iso(expiredMs - DAY_MS),
        expiresAt: iso(expiredMs),
        revokedAt: null,
      })),
    );
    const remaining = async (): Promise<number> =>
      (await db.select({ n: count() }).from(exportLinks).where(inArray(exportLinks.id, ids)))[0]?.n ?? -1;

    const first = await runHousekeeping(db, NOW_MS, { batchRows: 3, maxBatchesPerTable: 2 });
    expect(first.deleted.exportLinks).toBe(6);
    expect(first.backlog).toEqual(["exportLinks"]);
    expect(await remaining()).toBe(1);

    const second = await runHousekeeping(db, NOW_MS, { batchRows: 3, maxBatchesPerTable: 2 });
    expect(second.deleted.exportLinks).toBe(1);
    expect(second.backlog).toEqual([]);
    expect(await remaining()).toBe(0);

    const third = await runHousekeeping(db, NOW_MS, { batchRows: 3, maxBatchesPerTable: 2 });
    expect(third.deleted.exportLinks).toBe(0);
  });

  it("refuses a bad batch size or instant with an error naming the field", async () => {
    await expect(runHousekeeping(db, NOW_MS, { batchRows: 0 })).rejects.toThrow(
      /batchRows: expected a positive integer/,
    );
    await expect(runHousekeeping(db, NOW_MS, { maxBatchesPerTable: 1.5 })).rejects.toThrow(/maxBatchesPerTable/);
    await expect(runHousekeeping(db, Number.NaN)).rejects.toThrow(/nowMs/);
  });
  it("finds what to prune through an index on each table, never a full scan", async () => {
    const prunable: [table: string, where: string][] = [
      ["idempotency_keys", "created_at < ?1"],
      ["export_links", "expires_at < ?1"],
      ["proposal_share_links", "expires_at < ?1"],
      ["invitations", "expires_at < ?1"],
      ["sessions", "expires_at < ?1"],
      ["verifications", "expires_at < ?1"],
    ];
    for (const [table, where] of prunable) {
      const plan = await env.DB.prepare(`EXPLAIN QUERY PLAN SELECT rowid FROM ${table} WHERE ${where} LIMIT 500`)
        .bind(0)
        .all<{ detail: string }>();
      const details = plan.results.map((row) => row.detail).join("; ");
      expect(details, table).toMatch(/USING (COVERING )?INDEX/);
    }
  });
});
