import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { goldenScenario, smallScenario } from "./fixtures.ts";
import { api, createOrg, expectError, fingerprint, get, jsonHeaders, send } from "./helpers.ts";

interface ScenarioBody {
  id: string;
  name: string;
  version: number;
  scenario: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}

async function createScenario(key: string, scenario = smallScenario(), name?: string): Promise<ScenarioBody> {
  const response = await send("POST", "/scenarios", name === undefined ? { scenario } : { name, scenario }, key);
  expect(response.status).toBe(201);
  return (await response.json()) as ScenarioBody;
}

describe("scenarios CRUD", () => {
  it("creates, reads with ETag, updates with If-Match, deletes", async () => {
    const org = await createOrg();
    const response = await send("POST", "/scenarios", { scenario: goldenScenario() }, org.adminKey);
    expect(response.status).toBe(201);
    expect(response.headers.get("etag")).toBe('"1"');
    const created = (await response.json()) as ScenarioBody;
    expect(response.headers.get("location")).toBe(`/api/v1/scenarios/${created.id}`);
    expect(created).toMatchObject({ name: "chat-70b-us-east", version: 1, scenario: goldenScenario() });
    expect(created.id).toMatch(/^scn_/);

    const read = await get(`/scenarios/${created.id}`, org.adminKey);
    expect(read.headers.get("etag")).toBe('"1"');
    expect(await read.json()).toEqual(created);

    const renamed = await send("PATCH", `/scenarios/${created.id}`, { name: "Renamed" }, org.adminKey, {
      "If-Match": '"1"',
    });
    expect(renamed.status).toBe(200);
    expect(renamed.headers.get("etag")).toBe('"2"');
    const renamedBody = (await renamed.json()) as ScenarioBody;
    expect(renamedBody).toMatchObject({ name: "Renamed", version: 2, scenario: goldenScenario() });
    expect(await (await get(`/scenarios/${created.id}`, org.adminKey)).json()).toEqual(renamedBody);

    const nextScenario = { ...smallScenario("replaced") };
    // If-Match compares strongly (RFC 9110): a weak tag never matches, refused as a stale one.
    const weak = await send("PATCH", `/scenarios/${created.id}`, { scenario: nextScenario }, org.adminKey, {
      "If-Match": 'W/"2"',
    });
    expect(weak.headers.get("etag")).toBe('"2"');
    expect((await expectError(weak, 409, "version_conflict")).message).toMatch(/weak ETag/);
    expect(await (await get(`/scenarios/${created.id}`, org.adminKey)).json()).toEqual(renamedBody);
    const replaced = await send("PATCH", `/scenarios/${created.id}`, { scenario: nextScenario }, org.adminKey, {
      "If-Match": '"2"',
    });
    expect(replaced.status).toBe(200);
    expect(await replaced.json()).toMatchObject({ name: "Renamed", version: 3, scenario: nextScenario });

    await expectError(
      await api(`/scenarios/${created.id}`, {
        method: "DELETE",
        headers: { Authorization: `Bearer ${org.adminKey}`, "If-Match": '"2"' },
      }),
      409,
      "version_conflict",
    );
    const deleted = await api(`/scenarios/${created.id}`, {
      method: "DELETE",
      headers: { Authorization: `Bearer ${org.adminKey}`, "If-Match": '"3"' },
    });
    expect(deleted.status).toBe(204);
    await expectError(await get(`/scenarios/${created.id}`, org.adminKey), 404, "not_found");
    await expectError(
      await api(`/scenarios/${created.id}`, { method: "DELETE", headers: { Authorization: `Bearer ${org.adminKey}` } }),
      404,
    );
  });

  it("PATCH without If-Match is 428, stale is 409 with the current ETag, and nothing changes", async () => {
    const org = await createOrg();
    const created = await createScenario(org.adminKey);
    await send("PATCH", `/scenarios/${created.id}`, { name: "v2" }, org.adminKey, { "If-Match": '"1"' });
    const before = await fingerprint();
    await expectError(
      await send("PATCH", `/scenarios/${created.id}`, { name: "x" }, org.adminKey),
      428,
      "precondition_required",
    );
    const stale = await send("PATCH", `/scenarios/${created.id}`, { name: "x" }, org.adminKey, { "If-Match": '"1"' });
    expect(stale.headers.get("etag")).toBe('"2"');
    await expectError(stale, 409, "version_conflict");
    await expectError(
      await send("PATCH", `/scenarios/${created.id}`, { name: "x" }, org.adminKey, { "If-Match": "*" }),
      400,
    );
    await expectError(await send("PATCH", `/scenarios/${created.id}`, {}, org.adminKey, { "If-Match": '"2"' }), 400);
    await expectError(
      await send("PATCH", `/scenarios/scn_missing`, { name: "x" }, org.adminKey, { "If-Match": '"1"' }),
      404,
    );
    expect(await fingerprint()).toEqual(before);
  });

  it("validation: 400 naming the field (nested), strict objects, malformed JSON, 415, 413", async () => {
    const org = await createOrg();
    const before = await fingerprint();
    const scenario = goldenScenario();
    (scenario.workload as Record<string, unknown>).peakToAverage = "abc";
    const error = await expectError(
      await send("POST", "/scenarios", { scenario }, org.adminKey),
      400,
      "validation_failed",
    );
    expect(error.issues.map((issue) => issue.path)).toContain("scenario.workload.peakToAverage");

    const unknownKey = await expectError(
      await send("POST", "/scenarios", { scenario: smallScenario(), version: 7 }, org.adminKey),
      400,
    );
    expect(unknownKey.issues.map((issue) => issue.path)).toContain("version");
    const proto = await expectError(
      await api("/scenarios", {
        method: "POST",
        headers: jsonHeaders(org.adminKey),
        body: `{"scenario":${JSON.stringify(smallScenario())},"__proto__":{"admin":true}}`,
      }),
      400,
    );
    expect(proto.issues.map((issue) => issue.path)).toContain("__proto__");
    await expectError(
      await api("/scenarios", { method: "POST", headers: jsonHeaders(org.adminKey), body: '{"scenario":' }),
      400,
      "validation_failed",
    );
    await expectError(
      await api("/scenarios", {
        method: "POST",
        headers: { Authorization: `Bearer ${org.adminKey}`, "Content-Type": "text/plain" },
        body: "{}",
      }),
      415,
      "unsupported_media_type",
    );
    await expectError(
      await api("/scenarios", {
        method: "POST",
        headers: { Authorization: `Bearer ${org.adminKey}` },
        body: JSON.stringify({ scenario: smallScenario() }),
      }),
      415,
    );
    const big = JSON.stringify({ scenario: smallScenario(), padding: "x".repeat(1_100_000) });
    await expectError(
      await api("/scenarios", { method: "POST", headers: jsonHeaders(org.adminKey), body: big }),
      413,
      "payload_too_large",
    );
    // Chunked (no Content-Length) over the cap: counted on the bytes read.
    const chunks = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 12; i++) controller.enqueue(new TextEncoder().encode("x".repeat(100_000)));
        controller.close();
      },
    });
    await expectError(
      await api("/scenarios", { method: "POST", headers: jsonHeaders(org.adminKey), body: chunks }),
      413,
    );
    expect(await fingerprint()).toEqual(before);
  });
});

describe("scenario list pagination", () => {
  it("walks every row exactly once with keyset cursors, even with inserts in between; limit > 100 is 400", async () => {
    const org = await createOrg();
    const other = await createOrg();
    await createScenario(other.adminKey);
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push((await createScenario(org.adminKey, smallScenario(`s${i}`))).id);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const response = await get(`/scenarios?limit=3${cursor ? `&cursor=${cursor}` : ""}`, org.adminKey);
      expect(response.status).toBe(200);
      const page = (await response.json()) as { data: { id: string; scenario?: unknown }[]; nextCursor: string | null };
      expect(page.data.every((item) => item.scenario === undefined)).toBe(true);
      seen.push(...page.data.map((item) => item.id));
      cursor = page.nextCursor;
      if (pages === 0) ids.push((await createScenario(org.adminKey, smallScenario("late"))).id);
      pages += 1;
    } while (cursor);
    expect(seen).toEqual(ids);
    await expectError(await get("/scenarios?limit=101", org.adminKey), 400, "validation_failed");
    await expectError(await get("/scenarios?limit=0", org.adminKey), 400);
    await expectError(await get("/scenarios?limit=abc", org.adminKey), 400);
    await expectError(await get("/scenarios?cursor=not-a-cursor", org.adminKey), 400);
  });
});

describe("optimistic concurrency", () => {
  it("20 concurrent updates at one version: exactly 1 × 200 and 19 × 409", async () => {
    const org = await createOrg();
    const created = await createScenario(org.adminKey);
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        send("PATCH", `/scenarios/${created.id}`, { name: `writer ${i}` }, org.adminKey, { "If-Match": '"1"' }),
      ),
    );
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.filter((status) => status === 409)).toHaveLength(19);
    for (const response of responses) if (response.status === 409) await expectError(response, 409, "version_conflict");
    const winner = responses.find((response) => response.status === 200) as Response;
    const winnerBody = (await winner.json()) as ScenarioBody;
    const final = (await (await get(`/scenarios/${created.id}`, org.adminKey)).json()) as ScenarioBody;
    expect(final.version).toBe(2);
    expect(final.name).toBe(winnerBody.name);
    const row = await env.DB.prepare("SELECT COUNT(*) AS n FROM _assert").first<{ n: number }>();
    expect(row?.n).toBe(0);
  });
});

describe("idempotency keys", () => {
  it("replays the first response 5× in sequence; one resource", async () => {
    const org = await createOrg();
    const body = { scenario: smallScenario("idem") };
    const first = await send("POST", "/scenarios", body, org.adminKey, { "Idempotency-Key": "create-1" });
    expect(first.status).toBe(201);
    const firstBody = await first.json();
    for (let i = 0; i < 5; i++) {
      const again = await send("POST", "/scenarios", body, org.adminKey, { "Idempotency-Key": "create-1" });
      expect(again.status).toBe(201);
      expect(again.headers.get("idempotent-replayed")).toBe("true");
      expect(again.headers.get("etag")).toBe('"1"');
      expect(await again.json()).toEqual(firstBody);
    }
    const list = (await (await get("/scenarios", org.adminKey)).json()) as { data: unknown[] };
    expect(list.data).toHaveLength(1);
  });

  it("same key, different body → 422; another org may use the same key", async () => {
    const org = await createOrg();
    await send("POST", "/scenarios", { scenario: smallScenario("a") }, org.adminKey, { "Idempotency-Key": "k" });
    const before = await fingerprint();
    await expectError(
      await send("POST", "/scenarios", { scenario: smallScenario("b") }, org.adminKey, { "Idempotency-Key": "k" }),
      422,
      "idempotency_key_reused",
    );
    expect(await fingerprint()).toEqual(before);
    const other = await createOrg();
    expect(
      (await send("POST", "/scenarios", { scenario: smallScenario("b") }, other.adminKey, { "Idempotency-Key": "k" }))
        .status,
    ).toBe(201);
    await expectError(
      await send("POST", "/scenarios", { scenario: smallScenario("c") }, org.adminKey, {
        "Idempotency-Key": "x".repeat(256),
      }),
      400,
    );
  });

  it("20 concurrent requests with one key: one resource; the rest replay it or get 409 in flight", async () => {
    const org = await createOrg();
    const body = { scenario: smallScenario("race") };
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => send("POST", "/scenarios", body, org.adminKey, { "Idempotency-Key": "race-1" })),
    );
    const statuses = responses.map((response) => response.status);
    expect(statuses.every((status) => status === 201 || status === 409)).toBe(true);
    const created = responses.filter((response) => response.status === 201);
    const ids = new Set(
      await Promise.all(created.map(async (response) => ((await response.json()) as { id: string }).id)),
    );
    expect(ids.size).toBe(1);
    for (const response of responses)
      if (response.status === 409) await expectError(response, 409, "idempotency_in_progress");
    const count = await env.DB.prepare("SELECT COUNT(*) AS n FROM scenarios WHERE org_id = ?")
      .bind(org.orgId)
      .first<{ n: number }>();
    expect(count?.n).toBe(1);
    // After the dust settles, a retry replays.
    const retry = await send("POST", "/scenarios", body, org.adminKey, { "Idempotency-Key": "race-1" });
    expect(retry.status).toBe(201);
    expect([...ids]).toContain(((await retry.json()) as { id: string }).id);
  });

  it("a request in flight (leased key) is 409; an expired lease is taken over", async () => {
    const org = await createOrg();
    const body = { scenario: smallScenario("lease") };
    const first = await send("POST", "/scenarios", body, org.adminKey, { "Idempotency-Key": "lease-1" });
    expect(first.status).toBe(201);
    // Put the key back into the state a crashed first attempt leaves: in progress, lease live.
    await env.DB.prepare(
      "UPDATE idempotency_keys SET state = 'in_progress', status = NULL, response_json = NULL, locked_until = ? WHERE key = 'lease-1'",
    )
      .bind(new Date(Date.now() + 60_000).toISOString())
      .run();
    await expectError(
      await send("POST", "/scenarios", body, org.adminKey, { "Idempotency-Key": "lease-1" }),
      409,
      "idempotency_in_progress",
    );
    await env.DB.prepare("UPDATE idempotency_keys SET locked_until = ? WHERE key = 'lease-1'")
      .bind(new Date(Date.now() - 1000).toISOString())
      .run();
    const takeover = await send("POST", "/scenarios", body, org.adminKey, { "Idempotency-Key": "lease-1" });
    expect(takeover.status).toBe(201);
    expect(takeover.headers.get("idempotent-replayed")).toBeNull();
  });

  it("a failed write releases the key (nothing stored for a 404)", async () => {
    const org = await createOrg();
    await expectError(
      await api("/scenarios/scn_nope/plans", {
        method: "POST",
        headers: { Authorization: `Bearer ${org.adminKey}`, "Idempotency-Key": "p1" },
      }),
      404,
    );
    const row = await env.DB.prepare("SELECT COUNT(*) AS n FROM idempotency_keys WHERE key = 'p1'").first<{
      n: number;
    }>();
    expect(row?.n).toBe(0);
  });
});
