/**
 * Membership and key rules of issue #19, in workerd with real D1 and real sessions: an
 * organisation made by `POST /orgs` (whose only admin is a key) can demote and remove its
 * members; the last-admin rule counts admin members and active admin keys; a key remembers the
 * person whose authority made it and is revoked when they leave; an organisation holds at most
 * 25 active keys; a signed-in caller of `POST /orgs` becomes its admin member; one IP creates at
 * most 5 organisations a minute.
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { MAX_ACTIVE_KEYS_PER_ORG } from "../src/services/keys.ts";
import { asUser, createOrgAs, freshIp, signUp, type TestUser } from "./accounts-helpers.ts";
import { api, createKey, createOrg, expectError, get, send } from "./helpers.ts";

/** A person joins the key-made organisation through an invitation the admin key issues. */
async function joinByKey(adminKey: string, role: "viewer" | "editor" | "admin"): Promise<TestUser> {
  const invitation = await send("POST", "/invitations", { role }, adminKey);
  expect(invitation.status, await invitation.clone().text()).toBe(201);
  const token = ((await invitation.json()) as { url: string }).url.split("#")[1] ?? "";
  const user = await signUp(role);
  const accepted = await asUser(user, "POST", "/invitations/accept", { token });
  expect(accepted.status, await accepted.clone().text()).toBe(200);
  return user;
}

async function memberIdOf(adminKey: string, userId: string): Promise<string> {
  const page = (await (await get("/members", adminKey)).json()) as { data: { id: string; userId: string }[] };
  const member = page.data.find((item) => item.userId === userId);
  expect(member).toBeDefined();
  return (member as { id: string }).id;
}

describe("an organisation made by POST /orgs can be managed", () => {
  it("its admin key demotes and removes an admin member (the key is an admin too)", async () => {
    const org = await createOrg("key-made");
    const person = await joinByKey(org.adminKey, "admin");
    const memberId = await memberIdOf(org.adminKey, person.userId);
    const demoted = await send("PATCH", `/members/${memberId}`, { role: "viewer" }, org.adminKey);
    expect(demoted.status, await demoted.clone().text()).toBe(200);
    const removed = await api(`/members/${memberId}`, {
      method: "DELETE",
      headers: { Authorization: `Bearer ${org.adminKey}` },
    });
    expect(removed.status).toBe(204);
  });

  it("the last admin still cannot go: the only admin member of a session-made organisation", async () => {
    const owner = await signUp("owner");
    await createOrgAs(owner, "person-made");
    const page = (await (await asUser(owner, "GET", "/members")).json()) as { data: { id: string }[] };
    const self = page.data[0]?.id as string;
    await expectError(await asUser(owner, "PATCH", `/members/${self}`, { role: "editor" }), 409, "conflict");
  });

  it("nor can the last admin member go once the only admin key is revoked", async () => {
    const org = await createOrg("revoked-key");
    const person = await joinByKey(org.adminKey, "admin");
    const memberId = await memberIdOf(org.adminKey, person.userId);
    const revoked = await api(`/keys/${org.adminKeyId}`, {
      method: "DELETE",
      headers: { Authorization: `Bearer ${org.adminKey}` },
    });
    expect(revoked.status).toBe(200);
    await expectError(await asUser(person, "PATCH", `/members/${memberId}`, { role: "viewer" }), 409, "conflict");
  });
});

describe("a key remembers its creator and leaves with them", () => {
  it("removing a member revokes the keys they made, and the keys those keys made", async () => {
    const org = await createOrg("creator");
    const person = await joinByKey(org.adminKey, "admin");
    const made = await asUser(person, "POST", "/keys", { name: "person's key", role: "admin" });
    expect(made.status, await made.clone().text()).toBe(201);
    const personKey = (await made.json()) as { id: string; key: string };
    const grandchild = await createKey(personKey.key, "member");
    const row = await env.DB.prepare("SELECT created_by_user_id AS creator FROM api_keys WHERE id IN (?, ?)")
      .bind(personKey.id, grandchild.id)
      .all<{ creator: string }>();
    expect(row.results.map((r) => r.creator)).toEqual([person.userId, person.userId]);
    // The bootstrap key made at sign-up has no person behind it.
    const bootstrap = await env.DB.prepare("SELECT created_by_user_id AS creator FROM api_keys WHERE id = ?")
      .bind(org.adminKeyId)
      .first<{ creator: string | null }>();
    expect(bootstrap?.creator).toBeNull();

    expect((await get("/scenarios", personKey.key)).status).toBe(200);
    const memberId = await memberIdOf(org.adminKey, person.userId);
    const removed = await api(`/members/${memberId}`, {
      method: "DELETE",
      headers: { Authorization: `Bearer ${org.adminKey}` },
    });
    expect(removed.status).toBe(204);
    await expectError(await get("/scenarios", personKey.key), 401);
    await expectError(await get("/scenarios", grandchild.key), 401);
    // Audited: one key.revoked per key, with the reason.
    const audit = (await (await get("/audit", org.adminKey)).json()) as {
      data: { action: string; target: { id: string }; detail: { reason?: string } }[];
    };
    const revoked = audit.data.filter((event) => event.action === "key.revoked");
    expect(revoked.map((event) => event.target.id).sort()).toEqual([personKey.id, grandchild.id].sort());
    expect(revoked.every((event) => event.detail.reason === "creator_removed")).toBe(true);
    // The organisation's own key is untouched.
    expect((await get("/scenarios", org.adminKey)).status).toBe(200);
  });
});

describe("caps", () => {
  it(`an organisation holds at most ${MAX_ACTIVE_KEYS_PER_ORG} active keys; revoking one makes room`, async () => {
    const org = await createOrg("key cap");
    const ids: string[] = [];
    for (let i = 1; i < MAX_ACTIVE_KEYS_PER_ORG; i++) ids.push((await createKey(org.adminKey, "member")).id);
    const refused = await expectError(
      await send("POST", "/keys", { name: "one too many" }, org.adminKey),
      409,
      "conflict",
    );
    expect(refused.message).toMatch(/already holds 25 active API keys/);
    const count = await env.DB.prepare("SELECT count(*) AS n FROM api_keys WHERE org_id = ?")
      .bind(org.orgId)
      .first<{ n: number }>();
    expect(count?.n).toBe(MAX_ACTIVE_KEYS_PER_ORG);
    await api(`/keys/${ids[0]}`, { method: "DELETE", headers: { Authorization: `Bearer ${org.adminKey}` } });
    expect((await send("POST", "/keys", { name: "room again" }, org.adminKey)).status).toBe(201);
  });

  it("one IP creates at most 5 organisations a minute (429 with Retry-After after)", async () => {
    // Limiters are shared across test files: an address no other test uses.
    const ip = `172.16.${Math.floor(Math.random() * 250)}.${1 + Math.floor(Math.random() * 250)}`;
    const statuses: number[] = [];
    let last: Response | null = null;
    for (let i = 0; i < 7; i++) {
      last = await api("/orgs", {
        method: "POST",
        headers: { "Content-Type": "application/json", "CF-Connecting-IP": ip },
        body: JSON.stringify({ name: `burst ${i}` }),
      });
      statuses.push(last.status);
    }
    expect(statuses.slice(0, 5)).toEqual([201, 201, 201, 201, 201]);
    expect(statuses.slice(5)).toEqual([429, 429]);
    expect(last?.headers.get("retry-after")).toBeTruthy();
  });

  it("a signed-in caller of POST /orgs becomes its admin member, and the key names them", async () => {
    const person = await signUp("founder");
    const response = await asUser(person, "POST", "/orgs", { name: "founded" }, { "CF-Connecting-IP": freshIp() });
    expect(response.status, await response.clone().text()).toBe(201);
    const body = (await response.json()) as { organisation: { id: string }; apiKey: { id: string; key: string } };
    const members = (await (await get("/members", body.apiKey.key)).json()) as {
      data: { userId: string; role: string }[];
    };
    expect(members.data).toEqual([expect.objectContaining({ userId: person.userId, role: "admin" })]);
    const key = await env.DB.prepare("SELECT created_by_user_id AS creator FROM api_keys WHERE id = ?")
      .bind(body.apiKey.id)
      .first<{ creator: string }>();
    expect(key?.creator).toBe(person.userId);
  });
});

describe("fault injection: removing a member and revoking their keys is one batch", () => {
  const TABLES = ["memberships", "api_keys", "sessions", "audit_events", "_assert"];
  async function snapshot(): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    for (const table of TABLES)
      out[table] = JSON.stringify((await env.DB.prepare(`SELECT * FROM "${table}" ORDER BY rowid`).all()).results);
    return out;
  }
  // Every statement kind of the batch: the guards on `_assert`, the membership DELETE, the key
  // revocation UPDATE, the audit rows, the sessions UPDATE, clearing `_assert`.
  const FAULTS = [
    "CREATE TRIGGER fault BEFORE INSERT ON _assert BEGIN SELECT RAISE(ABORT, 'injected fault'); END",
    "CREATE TRIGGER fault BEFORE DELETE ON memberships BEGIN SELECT RAISE(ABORT, 'injected fault'); END",
    "CREATE TRIGGER fault BEFORE UPDATE ON api_keys BEGIN SELECT RAISE(ABORT, 'injected fault'); END",
    "CREATE TRIGGER fault BEFORE INSERT ON audit_events BEGIN SELECT RAISE(ABORT, 'injected fault'); END",
    "CREATE TRIGGER fault BEFORE UPDATE ON sessions BEGIN SELECT RAISE(ABORT, 'injected fault'); END",
    "CREATE TRIGGER fault BEFORE DELETE ON _assert BEGIN SELECT RAISE(ABORT, 'injected fault'); END",
  ];

  it(`a fault at any of ${FAULTS.length} statement kinds rolls back whole (member and keys kept); the retry succeeds`, async () => {
    const org = await createOrg("fault remove");
    const person = await joinByKey(org.adminKey, "admin");
    const made = await asUser(person, "POST", "/keys", { name: "theirs", role: "editor" });
    expect(made.status).toBe(201);
    const theirKey = (await made.json()) as { key: string };
    const memberId = await memberIdOf(org.adminKey, person.userId);
    const remove = () =>
      api(`/members/${memberId}`, { method: "DELETE", headers: { Authorization: `Bearer ${org.adminKey}` } });
    try {
      for (const trigger of FAULTS) {
        const before = await snapshot();
        await env.DB.prepare(trigger).run();
        const error = await expectError(await remove(), 500, "internal");
        expect(error.message).not.toMatch(/injected|trigger|constraint/i);
        await env.DB.prepare("DROP TRIGGER fault").run();
        expect(await snapshot(), trigger).toEqual(before);
        expect((await get("/scenarios", theirKey.key)).status, trigger).toBe(200);
      }
    } finally {
      await env.DB.prepare("DROP TRIGGER IF EXISTS fault").run();
    }
    expect((await remove()).status).toBe(204);
    await expectError(await get("/scenarios", theirKey.key), 401);
  });
});
