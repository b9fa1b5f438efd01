import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { priceBook } from "@aifp/catalog";
import { api, createKey, createOrg, expectError, get, send } from "./helpers.ts";
import {
  SKU,
  SKU_WITHOUT_PRICE,
  OFFER,
  PUBLIC_SKU_PRICE,
  PUBLIC_OFFER_PRICE,
  type QuoteBody,
  isoDay,
  quoteBody,
  createQuote,
  quoteCount,
  org,
  other,
  editorKey,
  viewerKey,
  setUpQuoteOrgs,
} from "./quotes-setup.ts";

/**
 * Organisation quotes: CRUD with ETag/If-Match, every refusal, roles and tenancy, concurrency and
 * idempotent creation (setup: quotes-setup.ts).
 */

setUpQuoteOrgs();

describe("quotes: create, read, list, update, delete", () => {
  it("creates a quote (201, Location, ETag) with its target's name and public and effective prices", async () => {
    const response = await send("POST", "/quotes", quoteBody(), org.adminKey);
    const text = await response.text();
    expect(response.status, text).toBe(201);
    const quote = JSON.parse(text) as QuoteBody;
    expect(quote.id).toMatch(/^qte_[0-9a-z]+$/);
    expect(response.headers.get("etag")).toBe('"1"');
    expect(response.headers.get("location")).toBe(`/api/v1/quotes/${quote.id}`);
    expect(quote).toMatchObject({
      targetKind: "sku",
      targetId: SKU,
      targetName: "Dell PowerEdge XE9680 (8× H100 SXM 80GB)",
      unit: "USD per server",
      unitPriceUsd: 265000,
      discount: 0.05,
      effectiveUnitPriceUsd: 265000 * (1 - 0.05),
      publicUnitPriceUsd: PUBLIC_SKU_PRICE,
      publicPriceBookVersion: priceBook.version,
      validUntil: "2027-03-31",
      note: "Dell quote Q-1234",
      version: 1,
    });
    expect(quote.createdAt).toBe(quote.updatedAt);

    const read = await get(`/quotes/${quote.id}`, viewerKey);
    expect(read.status).toBe(200);
    expect(read.headers.get("etag")).toBe('"1"');
    expect(await read.json()).toEqual(quote);

    const row = await env.DB.prepare("SELECT created_by, version FROM org_quotes WHERE id = ?")
      .bind(quote.id)
      .first<{ created_by: string; version: number }>();
    expect(row).toEqual({ created_by: org.adminKeyId, version: 1 });
  });

  it("a discount-only offer quote applies to the public hourly price", async () => {
    const quote = await createQuote(org.adminKey, {
      targetKind: "offer",
      targetId: OFFER,
      unitPriceUsd: null,
      discount: 0.2,
      note: null,
    });
    expect(quote).toMatchObject({
      unit: "USD per instance-hour",
      unitPriceUsd: null,
      publicUnitPriceUsd: PUBLIC_OFFER_PRICE,
      effectiveUnitPriceUsd: PUBLIC_OFFER_PRICE * (1 - 0.2),
      note: null,
    });
    expect(quote.targetName).toMatch(/^Lambda .*8× H100 SXM 80GB, on demand\)$/);
  });

  it("lists oldest first with keyset pages and filters by target and status", async () => {
    const own = await createOrg("Lister");
    const a = await createQuote(own.adminKey, { validUntil: isoDay(0) });
    const b = await createQuote(own.adminKey, { targetKind: "offer", targetId: OFFER, unitPriceUsd: 20 });
    const c = await createQuote(own.adminKey, { validUntil: isoDay(400) });
    // An expired quote cannot be created through the API: age one directly in D1.
    await env.DB.prepare("UPDATE org_quotes SET valid_until = ? WHERE id = ?").bind(isoDay(-1), c.id).run();

    const first = (await (await get("/quotes?limit=2", own.adminKey)).json()) as {
      data: QuoteBody[];
      nextCursor: string | null;
    };
    expect(first.data.map((quote) => quote.id)).toEqual([a.id, b.id]);
    expect(first.nextCursor).not.toBeNull();
    const second = (await (await get(`/quotes?limit=2&cursor=${first.nextCursor as string}`, own.adminKey)).json()) as {
      data: QuoteBody[];
      nextCursor: string | null;
    };
    expect(second.data.map((quote) => quote.id)).toEqual([c.id]);
    expect(second.nextCursor).toBeNull();

    const ids = async (query: string): Promise<string[]> => {
      const response = await get(`/quotes?${query}`, own.adminKey);
      const text = await response.text();
      expect(response.status, text).toBe(200);
      return (JSON.parse(text) as { data: QuoteBody[] }).data.map((quote) => quote.id);
    };
    expect(await ids("targetKind=offer")).toEqual([b.id]);
    expect(await ids(`targetId=${SKU}`)).toEqual([a.id, c.id]);
    // Valid today (validUntil = today counts), expired since yesterday.
    expect(await ids("status=valid")).toEqual([a.id, b.id]);
    expect(await ids("status=expired")).toEqual([c.id]);
    expect(await ids("status=all&targetKind=sku")).toEqual([a.id, c.id]);
    for (const [query, path] of [
      ["status=old", "status"],
      ["targetKind=server", "targetKind"],
      ["limit=0", "limit"],
    ] as const) {
      const error = await expectError(await get(`/quotes?${query}`, own.adminKey), 400, "validation_failed");
      expect(error.issues.map((issue) => issue.path)).toContain(path);
    }
  });

  it("updates with If-Match (version + 1), keeps what is not sent, and deletes", async () => {
    const quote = await createQuote(org.adminKey);
    const patched = await send("PATCH", `/quotes/${quote.id}`, { discount: 0.1, note: null }, org.adminKey, {
      "If-Match": '"1"',
    });
    const text = await patched.text();
    expect(patched.status, text).toBe(200);
    expect(patched.headers.get("etag")).toBe('"2"');
    const body = JSON.parse(text) as QuoteBody;
    expect(body).toMatchObject({
      id: quote.id,
      unitPriceUsd: 265000,
      discount: 0.1,
      effectiveUnitPriceUsd: 265000 * (1 - 0.1),
      validUntil: "2027-03-31",
      note: null,
      version: 2,
      createdAt: quote.createdAt,
    });
    expect(body.updatedAt >= quote.updatedAt).toBe(true);
    expect(await (await get(`/quotes/${quote.id}`, org.adminKey)).json()).toEqual(body);

    // Unit price removed: the discount now applies to the public price.
    const discountOnly = (await (
      await send("PATCH", `/quotes/${quote.id}`, { unitPriceUsd: null }, org.adminKey, { "If-Match": '"2"' })
    ).json()) as QuoteBody;
    expect(discountOnly.effectiveUnitPriceUsd).toBe(PUBLIC_SKU_PRICE * (1 - 0.1));

    await expectError(
      await api(`/quotes/${quote.id}`, {
        method: "DELETE",
        headers: { Authorization: `Bearer ${org.adminKey}`, "If-Match": '"2"' },
      }),
      409,
      "version_conflict",
    );
    const deleted = await api(`/quotes/${quote.id}`, {
      method: "DELETE",
      headers: { Authorization: `Bearer ${org.adminKey}`, "If-Match": '"3"' },
    });
    expect(deleted.status).toBe(204);
    await expectError(await get(`/quotes/${quote.id}`, org.adminKey), 404, "not_found");
    await expectError(
      await api(`/quotes/${quote.id}`, { method: "DELETE", headers: { Authorization: `Bearer ${org.adminKey}` } }),
      404,
      "not_found",
    );
  });

  it("writes an audit event per change, in the change's own batch", async () => {
    const quote = await createQuote(org.adminKey);
    await send("PATCH", `/quotes/${quote.id}`, { validUntil: "2027-04-30" }, org.adminKey, { "If-Match": '"1"' });
    await api(`/quotes/${quote.id}`, { method: "DELETE", headers: { Authorization: `Bearer ${org.adminKey}` } });
    const events = await env.DB.prepare(
      "SELECT action, actor_kind, actor_id, detail_json FROM audit_events WHERE org_id = ? AND target_id = ? ORDER BY created_at, rowid",
    )
      .bind(org.orgId, quote.id)
      .all<{ action: string; actor_kind: string; actor_id: string; detail_json: string }>();
    expect(events.results.map((event) => event.action)).toEqual(["quote.created", "quote.updated", "quote.deleted"]);
    for (const event of events.results) expect(event).toMatchObject({ actor_kind: "key", actor_id: org.adminKeyId });
    expect(JSON.parse(events.results[1]?.detail_json as string)).toMatchObject({
      targetId: SKU,
      validUntil: "2027-04-30",
      version: 2,
    });
  });
});

describe("quotes: refusals name the field and change nothing", () => {
  it("every invalid creation is a 400 naming the field", async () => {
    const yesterday = isoDay(-1);
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [quoteBody({ targetId: "no-such-server" }), "targetId", /unknown server SKU "no-such-server".*such as "/],
      [quoteBody({ targetKind: "offer", targetId: SKU }), "targetId", /unknown cloud offer/],
      [quoteBody({ targetKind: "gpu" }), "targetKind", /"sku".*"offer"/],
      [quoteBody({ validUntil: "2027-02-30" }), "validUntil", /real calendar date/],
      [quoteBody({ validUntil: "31/03/2027" }), "validUntil", /YYYY-MM-DD/],
      [quoteBody({ validUntil: yesterday }), "validUntil", /today .* or a later date/],
      [quoteBody({ discount: 1 }), "discount", /0 <= discount < 1/],
      [quoteBody({ discount: -0.1 }), "discount", /0 <= discount < 1/],
      [quoteBody({ unitPriceUsd: 0 }), "unitPriceUsd", /> 0/],
      [quoteBody({ unitPriceUsd: 2e9 }), "unitPriceUsd", /<= 1000000000/],
      [quoteBody({ unitPriceUsd: "265000" }), "unitPriceUsd", /number/],
      [quoteBody({ unitPriceUsd: null, discount: 0 }), "unitPriceUsd", /a unit price, a discount, or both/],
      [{ targetKind: "sku", targetId: SKU, validUntil: "2027-03-31" }, "unitPriceUsd", /a unit price, a discount/],
      [
        quoteBody({ targetId: SKU_WITHOUT_PRICE, unitPriceUsd: null, discount: 0.1 }),
        "unitPriceUsd",
        /no public price/,
      ],
      [quoteBody({ note: "x".repeat(501) }), "note", /at most 500 characters/],
      [quoteBody({ extra: 1 }), "extra", /./],
      [quoteBody({ validUntil: undefined }), "validUntil", /./],
    ];
    const before = await quoteCount(org.orgId);
    for (const [body, path, message] of cases) {
      const error = await expectError(await send("POST", "/quotes", body, org.adminKey), 400, "validation_failed");
      const issue = error.issues.find((item) => item.path === path);
      expect(issue, `${JSON.stringify(body)} → ${JSON.stringify(error.issues)}`).toBeDefined();
      expect(issue?.message).toMatch(message);
    }
    // 500 characters (emoji count as one each) are fine.
    await createQuote(org.adminKey, { note: "🙂".repeat(500) });
    expect(await quoteCount(org.orgId)).toBe(before + 1);
  });

  it("PATCH: 428 without If-Match, 409 when stale, 400 for the target, an empty body or a past date", async () => {
    const quote = await createQuote(org.adminKey);
    await expectError(
      await send("PATCH", `/quotes/${quote.id}`, { discount: 0.1 }, org.adminKey),
      428,
      "precondition_required",
    );
    const stale = await send("PATCH", `/quotes/${quote.id}`, { discount: 0.1 }, org.adminKey, { "If-Match": '"7"' });
    expect(stale.headers.get("etag")).toBe('"1"');
    await expectError(stale, 409, "version_conflict");
    for (const [body, path] of [
      [{ targetId: "nvidia-dgx-h100" }, "targetId"],
      [{}, ""],
      [{ validUntil: isoDay(-1) }, "validUntil"],
      [{ discount: 0, unitPriceUsd: null }, "unitPriceUsd"],
      [{ note: "y".repeat(501) }, "note"],
    ] as const) {
      const error = await expectError(
        await send("PATCH", `/quotes/${quote.id}`, body, org.adminKey, { "If-Match": '"1"' }),
        400,
        "validation_failed",
      );
      expect(
        error.issues.map((issue) => issue.path),
        JSON.stringify(body),
      ).toContain(path);
    }
    expect(await (await get(`/quotes/${quote.id}`, org.adminKey)).json()).toEqual(quote);
  });

  it("viewers and editors read but cannot write (403); admins can", async () => {
    const quote = await createQuote(org.adminKey);
    for (const key of [viewerKey, editorKey]) {
      expect((await get(`/quotes/${quote.id}`, key)).status).toBe(200);
      expect((await get("/quotes", key)).status).toBe(200);
      await expectError(await send("POST", "/quotes", quoteBody(), key), 403, "forbidden");
      await expectError(
        await send("PATCH", `/quotes/${quote.id}`, { discount: 0.2 }, key, { "If-Match": '"1"' }),
        403,
        "forbidden",
      );
      await expectError(
        await api(`/quotes/${quote.id}`, { method: "DELETE", headers: { Authorization: `Bearer ${key}` } }),
        403,
        "forbidden",
      );
    }
    await expectError(await get("/quotes"), 401, "unauthenticated");
    expect(await (await get(`/quotes/${quote.id}`, org.adminKey)).json()).toEqual(quote);
    const admin = (await createKey(org.adminKey, "admin")).key;
    const patched = await send("PATCH", `/quotes/${quote.id}`, { discount: 0.2 }, admin, { "If-Match": '"1"' });
    expect(patched.status).toBe(200);
  });

  it("another organisation cannot read, list, change or delete them (404)", async () => {
    const quote = await createQuote(org.adminKey);
    await expectError(await get(`/quotes/${quote.id}`, other.adminKey), 404, "not_found");
    await expectError(
      await send("PATCH", `/quotes/${quote.id}`, { discount: 0.3 }, other.adminKey, { "If-Match": '"1"' }),
      404,
      "not_found",
    );
    await expectError(
      await api(`/quotes/${quote.id}`, { method: "DELETE", headers: { Authorization: `Bearer ${other.adminKey}` } }),
      404,
      "not_found",
    );
    const list = await (await get("/quotes?limit=100", other.adminKey)).text();
    expect(list).not.toContain(quote.id);
    expect(await (await get(`/quotes/${quote.id}`, org.adminKey)).json()).toEqual(quote);
  });

  it(`at most 500 quotes per organisation: 422 too_many_quotes, nothing written`, async () => {
    const full = await createOrg("Full");
    const now = new Date().toISOString();
    const statements = Array.from({ length: 499 }, (_, index) =>
      env.DB.prepare(
        "INSERT INTO org_quotes (id, org_id, target_kind, target_id, unit_price_usd, discount, valid_until, created_at, updated_at) VALUES (?, ?, 'sku', ?, 100000, 0, '2027-12-31', ?, ?)",
      ).bind(`qte_bulk${index}`, full.orgId, SKU, now, now),
    );
    await env.DB.batch(statements);
    await createQuote(full.adminKey);
    expect(await quoteCount(full.orgId)).toBe(500);
    await expectError(await send("POST", "/quotes", quoteBody(), full.adminKey), 422, "too_many_quotes");
    expect(await quoteCount(full.orgId)).toBe(500);
  });
});

describe("quotes: concurrency and idempotency", () => {
  it("20 concurrent PATCHes at one version: exactly 1 × 200 and 19 × 409", async () => {
    const quote = await createQuote(org.adminKey);
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        send("PATCH", `/quotes/${quote.id}`, { unitPriceUsd: 200000 + index }, org.adminKey, { "If-Match": '"1"' }),
      ),
    );
    const statuses = responses.map((response) => response.status).sort();
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.filter((status) => status === 409)).toHaveLength(19);
    const winner = responses.find((response) => response.status === 200) as Response;
    const won = (await winner.json()) as QuoteBody;
    for (const response of responses) if (response !== winner) await response.arrayBuffer();
    const stored = (await (await get(`/quotes/${quote.id}`, org.adminKey)).json()) as QuoteBody;
    expect(stored).toEqual(won);
    expect(stored.version).toBe(2);
  });

  it("an idempotent POST replays the first answer and stores one quote", async () => {
    const own = await createOrg("Idempotent");
    const headers = { "Idempotency-Key": "quote-create-1" };
    const first = await send("POST", "/quotes", quoteBody(), own.adminKey, headers);
    const firstBody = await first.text();
    expect(first.status).toBe(201);
    const again = await send("POST", "/quotes", quoteBody(), own.adminKey, headers);
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.headers.get("etag")).toBe('"1"');
    expect(await again.text()).toBe(firstBody);
    expect(await quoteCount(own.orgId)).toBe(1);
    await expectError(
      await send("POST", "/quotes", quoteBody({ discount: 0.2 }), own.adminKey, headers),
      422,
      "idempotency_key_reused",
    );
    expect(await quoteCount(own.orgId)).toBe(1);
  });
});
