import { env } from "cloudflare:test";
import { API_KEY_PATTERN, sha256Hex } from "@aifp/db";
import { describe, expect, it } from "vitest";
import { api, createKey, createOrg, expectError, fingerprint, get, send } from "./helpers.ts";

describe("organisations", () => {
  it("sign-up creates an organisation and an admin key shown once", async () => {
    const response = await api("/orgs", {
      method: "POST",
      headers: { "Content-Type": "application/json", "CF-Connecting-IP": "192.0.2.10" },
      body: JSON.stringify({ name: "Acme AI", keyName: "laptop" }),
    });
    expect(response.status).toBe(201);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const body = (await response.json()) as {
      organisation: { id: string; name: string };
      apiKey: { id: string; key: string; start: string; role: string; name: string };
    };
    expect(body.organisation.id).toMatch(/^org_[0-9a-z]{16}$/);
    expect(body.organisation.name).toBe("Acme AI");
    expect(body.apiKey.key).toMatch(API_KEY_PATTERN);
    // ≥ 128 bits: 32 random bytes in base58 are 43–44 characters after the prefix.
    expect(body.apiKey.key.length - "aifp_live_".length).toBeGreaterThanOrEqual(43);
    expect(body.apiKey.key.startsWith(body.apiKey.start)).toBe(true);
    expect(body.apiKey).toMatchObject({ role: "admin", name: "laptop" });

    const own = await get("/orgs", body.apiKey.key);
    expect(await own.json()).toEqual({
      data: [expect.objectContaining({ id: body.organisation.id })],
      nextCursor: null,
    });
    const one = await get(`/orgs/${body.organisation.id}`, body.apiKey.key);
    expect(one.status).toBe(200);
  });

  it("validates the sign-up body, naming the field", async () => {
    const before = await fingerprint();
    const error = await expectError(await send("POST", "/orgs", { name: "" }), 400, "validation_failed");
    expect(error.issues[0]?.path).toBe("name");
    const extra = await expectError(await send("POST", "/orgs", { name: "x", orgId: "org_evil" }), 400);
    expect(extra.issues.map((issue) => issue.path)).toContain("orgId");
    await expectError(
      await api("/orgs", { method: "POST", headers: { "Content-Type": "text/plain" }, body: "name=x" }),
      415,
    );
    await expectError(
      await api("/orgs", { method: "POST", headers: { "Content-Type": "application/json" }, body: "{name:" }),
      400,
    );
    expect(await fingerprint()).toEqual(before);
  });

  it("another organisation's id is 404", async () => {
    const a = await createOrg();
    const b = await createOrg();
    await expectError(await get(`/orgs/${a.orgId}`, b.adminKey), 404, "not_found");
  });
});

describe("API keys", () => {
  it("create, list, get, revoke; a revoked key stops at once", async () => {
    const org = await createOrg();
    const member = await createKey(org.adminKey, "member");
    expect(member.key).toMatch(API_KEY_PATTERN);
    expect((await get("/scenarios", member.key)).status).toBe(200);

    const list = (await (await get("/keys?limit=1", org.adminKey)).json()) as {
      data: { id: string }[];
      nextCursor: string;
    };
    expect(list.data).toHaveLength(1);
    const page2 = (await (await get(`/keys?limit=1&cursor=${list.nextCursor}`, org.adminKey)).json()) as {
      data: { id: string }[];
      nextCursor: null;
    };
    expect(page2.data.map((key) => key.id)).toEqual([member.id]);
    expect(page2.nextCursor).toBeNull();
    const listed = JSON.stringify(list) + JSON.stringify(page2);
    expect(listed).not.toMatch(/key_hash|keyHash/);
    expect(listed).not.toMatch(API_KEY_PATTERN);

    const one = await get(`/keys/${member.id}`, org.adminKey);
    expect(((await one.json()) as { revokedAt: string | null }).revokedAt).toBeNull();
    const revoked = await api(`/keys/${member.id}`, {
      method: "DELETE",
      headers: { Authorization: `Bearer ${org.adminKey}` },
    });
    expect(revoked.status).toBe(200);
    expect(((await revoked.json()) as { revokedAt: string }).revokedAt).toMatch(/^\d{4}-/);
    await expectError(await get("/scenarios", member.key), 401, "unauthenticated");
  });

  it("member keys cannot manage keys (403); expired keys are 401", async () => {
    const org = await createOrg();
    const member = await createKey(org.adminKey, "member");
    await expectError(await send("POST", "/keys", { name: "x" }, member.key), 403, "forbidden");
    await expectError(await get("/keys", member.key), 403, "forbidden");
    const expiring = await send("POST", "/keys", { name: "short", expiresInDays: 1 }, org.adminKey);
    const key = (await expiring.json()) as { id: string; key: string; expiresAt: string };
    expect(Date.parse(key.expiresAt) - Date.now()).toBeGreaterThan(86_000_000);
    // Expire it in the database before its first use (a used key may be cached for up to 10 s).
    await env.DB.prepare("UPDATE api_keys SET expires_at = ? WHERE id = ?")
      .bind("2000-01-01T00:00:00.000Z", key.id)
      .run();
    const error = await expectError(await get("/scenarios", key.key), 401, "unauthenticated");
    expect(error.message).toMatch(/expired/);
  });

  it("validates key creation", async () => {
    const org = await createOrg();
    const before = await fingerprint();
    const bad = await expectError(
      await send("POST", "/keys", { name: "x", role: "owner", expiresInDays: 0 }, org.adminKey),
      400,
    );
    expect(bad.issues.map((issue) => issue.path).sort()).toEqual(["expiresInDays", "role"]);
    await expectError(await send("POST", "/keys", { name: "x", keyHash: "00" }, org.adminKey), 400);
    expect(await fingerprint()).toEqual(before);
  });

  it("accepts keys only as Authorization: Bearer", async () => {
    const org = await createOrg();
    const inQuery = await expectError(await api(`/scenarios?api_key=${org.adminKey}`), 401, "unauthenticated");
    expect(inQuery.message).toMatch(/Bearer/);
    await expectError(await get(`/scenarios?api_key=${org.adminKey}`, org.adminKey), 401);
    await expectError(
      await api("/scenarios", { headers: { Authorization: `Basic ${btoa(`${org.adminKey}:`)}` } }),
      401,
    );
    await expectError(await api("/scenarios", { headers: { "X-API-Key": org.adminKey } }), 401);
    await expectError(await api("/scenarios", { headers: { Authorization: `Bearer ${org.adminKey}x` } }), 401);
    const response = await api("/scenarios");
    expect(response.headers.get("www-authenticate")).toMatch(/^Bearer/);
    await expectError(response, 401);
  });

  it("stores keys only as SHA-256: no plaintext key anywhere in D1", async () => {
    const org = await createOrg();
    const member = await createKey(org.adminKey);
    const row = await env.DB.prepare("SELECT key_hash, start FROM api_keys WHERE id = ?")
      .bind(member.id)
      .first<{ key_hash: string; start: string }>();
    expect(row?.key_hash).toBe(await sha256Hex(member.key));
    expect(row?.start).toBe(member.key.slice(0, 16));
    // Replay of a key creation under Idempotency-Key: the stored response has key: null.
    const first = await send("POST", "/keys", { name: "replayed" }, org.adminKey, {
      "Idempotency-Key": "key-create-1",
    });
    const replay = await send("POST", "/keys", { name: "replayed" }, org.adminKey, {
      "Idempotency-Key": "key-create-1",
    });
    expect(first.status).toBe(201);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    const firstBody = (await first.json()) as { id: string; key: string };
    const replayBody = (await replay.json()) as { id: string; key: string | null };
    expect(replayBody.id).toBe(firstBody.id);
    expect(replayBody.key).toBeNull();
    const tables = await env.DB.prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'",
    ).all<{ name: string }>();
    for (const { name } of tables.results) {
      const rows = await env.DB.prepare(`SELECT * FROM "${name}"`).all();
      expect(JSON.stringify(rows.results), `table ${name}`).not.toMatch(API_KEY_PATTERN);
    }
  });
});
