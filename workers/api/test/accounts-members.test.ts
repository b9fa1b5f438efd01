import { env } from "cloudflare:test";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { addMember, asUser, authPost, createOrgAs, inviteToken, signUp, type TestUser } from "./accounts-helpers.ts";
import { smallScenario } from "./fixtures.ts";
import { api, expectError, get, send } from "./helpers.ts";

interface AuditPage {
  data: {
    action: string;
    actor: { kind: string; id: string };
    target: { kind: string; id: string };
    detail: Record<string, unknown>;
  }[];
  nextCursor: string | null;
}

async function auditActions(admin: TestUser): Promise<string[]> {
  const page = (await (await asUser(admin, "GET", "/audit")).json()) as AuditPage;
  return page.data.map((event) => event.action);
}

describe("organisations, invitations by link and roles", () => {
  it("the done-when story: sign up, create an organisation, invite a viewer, save a plan the viewer reads but cannot change", async () => {
    const owner = await signUp("owner");
    const orgId = await createOrgAs(owner, "Northwind Compute");
    const invitation = await inviteToken(owner, "viewer");
    expect(invitation.url).toBe(`http://planner.test/invite#${invitation.token}`);

    // The colleague opens the link: the accept page can show what it is for, before signing up.
    const preview = await send("POST", "/invitations/preview", { token: invitation.token });
    expect(await preview.json()).toMatchObject({ orgName: "Northwind Compute", role: "viewer" });
    const colleague = await signUp("colleague");
    const accepted = await asUser(colleague, "POST", "/invitations/accept", { token: invitation.token });
    expect(await accepted.json()).toEqual({ orgId, orgName: "Northwind Compute", role: "viewer" });

    const scenario = (await (
      await asUser(owner, "POST", "/scenarios", {
        scenario: smallScenario("Shared plan"),
        webPlan: { v: 1, name: "Shared plan" },
      })
    ).json()) as { id: string };
    const plan = (await (await asUser(owner, "POST", `/scenarios/${scenario.id}/plans`, {})).json()) as { id: string };

    const list = (await (await asUser(colleague, "GET", "/scenarios")).json()) as { data: { id: string }[] };
    expect(list.data.map((item) => item.id)).toEqual([scenario.id]);
    const read = (await (await asUser(colleague, "GET", `/scenarios/${scenario.id}`)).json()) as { webPlan: unknown };
    expect(read.webPlan).toEqual({ v: 1, name: "Shared plan" });
    expect((await asUser(colleague, "GET", `/plans/${plan.id}`)).status).toBe(200);
    await expectError(
      await asUser(colleague, "PATCH", `/scenarios/${scenario.id}`, { name: "changed" }, { "If-Match": '"1"' }),
      403,
      "forbidden",
    );
    await expectError(await asUser(colleague, "DELETE", `/scenarios/${scenario.id}`), 403, "forbidden");
    const me = (await (await asUser(colleague, "GET", "/me")).json()) as { active: { role: string } };
    expect(me.active.role).toBe("viewer");
  });

  it("an invitation link works once; revoked and expired links do not; members cannot join twice", async () => {
    const admin = await signUp("inviter");
    await createOrgAs(admin, "Once Only");
    const first = await inviteToken(admin, "editor");
    const joiner = await signUp("joiner");
    expect((await asUser(joiner, "POST", "/invitations/accept", { token: first.token })).status).toBe(200);
    const late = await signUp("late");
    await expectError(await asUser(late, "POST", "/invitations/accept", { token: first.token }), 404, "not_found");
    await expectError(await send("POST", "/invitations/preview", { token: first.token }), 404, "not_found");

    const revoked = await inviteToken(admin, "viewer");
    const revokedDto = (await (await asUser(admin, "DELETE", `/invitations/${revoked.id}`)).json()) as {
      status: string;
    };
    expect(revokedDto.status).toBe("revoked");
    await expectError(await asUser(late, "POST", "/invitations/accept", { token: revoked.token }), 404, "not_found");

    const expired = await inviteToken(admin, "viewer");
    await env.DB.prepare("UPDATE invitations SET expires_at = ? WHERE id = ?")
      .bind("2000-01-01T00:00:00.000Z", expired.id)
      .run();
    await expectError(await asUser(late, "POST", "/invitations/accept", { token: expired.token }), 404, "not_found");

    const again = await inviteToken(admin, "admin");
    await expectError(await asUser(joiner, "POST", "/invitations/accept", { token: again.token }), 409, "conflict");
    const stillPending = (await (await asUser(admin, "GET", `/invitations/${again.id}`)).json()) as { status: string };
    expect(stillPending.status).toBe("pending");

    const list = await (await asUser(admin, "GET", "/invitations")).text();
    for (const token of [first.token, revoked.token, expired.token, again.token]) expect(list).not.toContain(token);
    expect(list).not.toMatch(/token|hash/i);
    const statuses = (JSON.parse(list) as { data: { status: string }[] }).data.map((item) => item.status);
    expect(statuses).toEqual(["accepted", "revoked", "expired", "pending"]);
    // Only the SHA-256 of each token is stored.
    const stored = await env.DB.prepare("SELECT * FROM invitations").all();
    const dump = JSON.stringify(stored.results);
    for (const token of [first.token, revoked.token, expired.token, again.token]) expect(dump).not.toContain(token);
  });

  it("admins change roles (effective at once), remove members, and can never remove or demote the last admin", async () => {
    const admin = await signUp("roles");
    const orgId = await createOrgAs(admin, "Roles Inc");
    const dana = await addMember(admin, "viewer", "dana");
    const body = { scenario: smallScenario("by dana") };
    await expectError(await asUser(dana, "POST", "/scenarios", body), 403, "forbidden");

    const members = (await (await asUser(admin, "GET", "/members")).json()) as {
      data: { id: string; userId: string; email: string; role: string }[];
    };
    expect(members.data.map((member) => member.role)).toEqual(["admin", "viewer"]);
    const danaMember = members.data.find((member) => member.userId === dana.userId)!;
    expect(danaMember.email).toBe(dana.email);
    const adminMember = members.data.find((member) => member.userId === admin.userId)!;

    const promoted = await asUser(admin, "PATCH", `/members/${danaMember.id}`, { role: "editor" });
    expect(((await promoted.json()) as { role: string }).role).toBe("editor");
    expect((await asUser(dana, "POST", "/scenarios", body)).status).toBe(201);

    await expectError(await asUser(admin, "PATCH", `/members/${adminMember.id}`, { role: "viewer" }), 409, "conflict");
    await expectError(await asUser(admin, "DELETE", `/members/${adminMember.id}`), 409, "conflict");
    // An editor is not an admin: no member management.
    await expectError(await asUser(dana, "PATCH", `/members/${adminMember.id}`, { role: "viewer" }), 403, "forbidden");

    expect((await asUser(admin, "DELETE", `/members/${danaMember.id}`)).status).toBe(204);
    await expectError(await asUser(dana, "GET", "/scenarios"), 403, "forbidden");
    const me = (await (await asUser(dana, "GET", "/me")).json()) as { organisations: unknown[]; active: unknown };
    expect(me.organisations).toEqual([]);
    expect(me.active).toBeNull();

    // With a second admin, the first may step down.
    const second = await addMember(admin, "admin", "second");
    expect(second.userId).toMatch(/^usr_/);
    expect((await asUser(admin, "PATCH", `/members/${adminMember.id}`, { role: "viewer" })).status).toBe(200);
    const roles = await env.DB.prepare("SELECT role FROM memberships WHERE org_id = ? ORDER BY created_at")
      .bind(orgId)
      .all<{ role: string }>();
    expect(roles.results.map((row) => row.role)).toEqual(["viewer", "admin"]);
    expect((await env.DB.prepare("SELECT COUNT(*) AS n FROM _assert").first<{ n: number }>())?.n).toBe(0);
  });

  it("sessions and API keys reach the same services: what one saves, the other reads", async () => {
    const admin = await signUp("samesvc");
    await createOrgAs(admin, "Same Services");
    const keyResponse = await asUser(admin, "POST", "/keys", { name: "sheet", role: "member" });
    const key = (await keyResponse.json()) as { key: string; role: string };
    expect(key.role).toBe("editor");
    const bySession = (await (
      await asUser(admin, "POST", "/scenarios", { scenario: smallScenario("session's") })
    ).json()) as { id: string };
    const byKey = (await (await send("POST", "/scenarios", { scenario: smallScenario("key's") }, key.key)).json()) as {
      id: string;
    };
    expect((await get(`/scenarios/${bySession.id}`, key.key)).status).toBe(200);
    expect((await asUser(admin, "GET", `/scenarios/${byKey.id}`)).status).toBe(200);
  });
});

describe("the audit log", () => {
  it("records member, role, invitation and key changes with who did them; admins read it, newest first", async () => {
    const admin = await signUp("auditor");
    const orgId = await createOrgAs(admin, "Audited");
    const invitation = await inviteToken(admin, "viewer");
    const viewer = await signUp("audited-viewer");
    await asUser(viewer, "POST", "/invitations/accept", { token: invitation.token });
    const members = (await (await asUser(admin, "GET", "/members")).json()) as {
      data: { id: string; userId: string }[];
    };
    const viewerMember = members.data.find((member) => member.userId === viewer.userId)!;
    await asUser(admin, "PATCH", `/members/${viewerMember.id}`, { role: "editor" });
    const created = (await (await asUser(admin, "POST", "/keys", { name: "ci", role: "viewer" })).json()) as {
      id: string;
      key: string;
    };
    await asUser(admin, "DELETE", `/keys/${created.id}`);
    await asUser(admin, "DELETE", `/keys/${created.id}`); // twice: audited once
    const revokedInvitation = await inviteToken(admin, "admin");
    await asUser(admin, "DELETE", `/invitations/${revokedInvitation.id}`);
    await asUser(admin, "DELETE", `/members/${viewerMember.id}`);

    const actions = await auditActions(admin);
    expect(actions.slice(0, 8)).toEqual([
      "member.removed",
      "invitation.revoked",
      "invitation.created",
      "key.revoked",
      "key.created",
      "member.role_changed",
      "member.added",
      "invitation.created",
    ]);
    // Creating the organisation writes two events in one batch, at one instant.
    expect(actions.slice(8).sort()).toEqual(["member.added", "org.created"]);
    const page = (await (await asUser(admin, "GET", "/audit?limit=3")).json()) as AuditPage;
    expect(page.data).toHaveLength(3);
    expect(page.data[0]).toMatchObject({
      actor: { kind: "session", id: admin.userId },
      target: { kind: "member", id: viewerMember.id },
    });
    const next = (await (await asUser(admin, "GET", `/audit?limit=3&cursor=${page.nextCursor}`)).json()) as AuditPage;
    expect(next.data.map((event) => event.action)).toEqual(["key.revoked", "key.created", "member.role_changed"]);
    const roleChange = next.data[2]!;
    expect(roleChange.detail).toEqual({ userId: viewer.userId, from: "viewer", to: "editor" });
    const joined = (await (await asUser(admin, "GET", "/audit?limit=100")).json()) as AuditPage;
    expect(
      joined.data.find((event) => event.action === "member.added" && event.detail.via === "invitation")?.actor,
    ).toEqual({ kind: "session", id: viewer.userId });

    // Append-only: the database itself refuses to rewrite history.
    await expect(
      env.DB.prepare("UPDATE audit_events SET action = 'x' WHERE org_id = ?").bind(orgId).run(),
    ).rejects.toThrow(/audit_append_only/);
    await expect(env.DB.prepare("DELETE FROM audit_events WHERE org_id = ?").bind(orgId).run()).rejects.toThrow(
      /audit_append_only/,
    );
  });

  it("keys act in the log as themselves; an organisation made through the API logs its bootstrap key", async () => {
    const response = await api("/orgs", {
      method: "POST",
      headers: { "Content-Type": "application/json", "CF-Connecting-IP": "203.0.113.77" },
      body: JSON.stringify({ name: "API-made" }),
    });
    const { apiKey } = (await response.json()) as { apiKey: { id: string; key: string } };
    const second = (await (await send("POST", "/keys", { name: "second" }, apiKey.key)).json()) as { id: string };
    const log = (await (await get("/audit", apiKey.key)).json()) as AuditPage;
    expect(log.data.map((event) => [event.action, event.actor.kind])[0]).toEqual(["key.created", "key"]);
    // The two sign-up events share one instant: their order between them is the ids'.
    expect(
      log.data
        .slice(1)
        .map((event) => `${event.action} ${event.actor.kind}`)
        .sort(),
    ).toEqual(["key.created system", "org.created system"]);
    expect(log.data[0]?.actor.id).toBe(apiKey.id);
    expect(log.data[0]?.target.id).toBe(second.id);
  });
});

describe("no password, key, token or session secret in a log line or in a later response", () => {
  const lines: string[] = [];
  beforeEach(() => {
    lines.length = 0;
    for (const level of ["log", "info", "warn", "error", "debug"] as const) {
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
        lines.push(
          args
            .map((arg) =>
              arg instanceof Error
                ? `${arg.message} ${arg.stack ?? ""}`
                : typeof arg === "string"
                  ? arg
                  : JSON.stringify(arg),
            )
            .join(" "),
        );
      });
    }
  });
  afterEach(() => vi.restoreAllMocks());

  it("through sign-up, failed and good sign-ins, keys, invitations and sign-out", async () => {
    const admin = await signUp("secretive");
    await createOrgAs(admin, "Secretive");
    await authPost("/auth/sign-in/email", { email: admin.email, password: `${admin.password}-wrong` });
    const signIn = await authPost("/auth/sign-in/email", { email: admin.email, password: admin.password });
    const secondCookie = signIn.headers.getSetCookie().join(";");
    const key = (await (await asUser(admin, "POST", "/keys", { name: "k" })).json()) as { id: string; key: string };
    const invitation = await inviteToken(admin, "viewer");
    const guest = await signUp("guest");
    await asUser(guest, "POST", "/invitations/accept", { token: invitation.token });
    await send("POST", "/scenarios", { scenario: smallScenario("k") }, key.key);
    await get("/scenarios", "aifp_live_notARealKeyButLooksLikeOne1234567890");

    const secrets = [
      admin.password,
      guest.password,
      key.key,
      invitation.token,
      decodeURIComponent(admin.cookie.split("=")[1] ?? "").split(".")[0] as string,
      decodeURIComponent(guest.cookie.split("=")[1] ?? "").split(".")[0] as string,
    ];
    for (const secret of secrets) expect(secret.length).toBeGreaterThan(11);

    // Every later read: nothing secret in any body.
    const later = [
      await asUser(admin, "GET", "/me"),
      await asUser(admin, "GET", "/keys"),
      await asUser(admin, "GET", `/keys/${key.id}`),
      await asUser(admin, "GET", "/invitations"),
      await asUser(admin, "GET", "/members"),
      await asUser(admin, "GET", "/audit"),
      await asUser(guest, "GET", "/me"),
      await asUser(admin, "POST", "/auth/sign-out", {}),
    ];
    for (const response of later) {
      const text = await response.text();
      for (const secret of secrets) expect(text).not.toContain(secret);
      expect(text).not.toMatch(/password|key_hash|token_hash/i);
    }
    expect(secondCookie).toContain("HttpOnly");
    // The spy sees the Worker's own security log (sign-ins, the refused key), so this is not vacuous.
    const events = lines.map((line) => (/"event":"([\w.]+)"/.exec(line) ?? [])[1]);
    expect(events).toEqual(
      expect.arrayContaining([
        "sign_up.succeeded",
        "sign_in.failed",
        "sign_in.succeeded",
        "api_key.refused",
        "sign_out",
      ]),
    );
    for (const line of lines) for (const secret of secrets) expect(line).not.toContain(secret);
  });
});
