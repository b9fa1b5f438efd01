import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { priceBook } from "@aifp/catalog";
import { smallScenario } from "./fixtures.ts";
import { api, createKey, createOrg, expectError, get, send, type TestOrg } from "./helpers.ts";

/**
 * Organisation quotes in workerd against a real local D1: CRUD with ETag/If-Match, every refusal,
 * roles and tenancy, concurrency, idempotent creation, and the quotes applied to plans (pinned in
 * the plan's input, so deleting a quote changes neither the plan nor its proposal's
 * verification) and to /evaluate, /optimise and /risk with a key.
 */

/** A server of the public book with a price, and one without (for discount-only refusals). */
const SKU = "dell-poweredge-xe9680";
const SKU_WITHOUT_PRICE = priceBook.servers.find((server) => server.priceUsd === null)?.id as string;
/** A cloud offer of the public book. */
const OFFER = "lambda-gpu-8x-h100-sxm-80gb-none";
const PUBLIC_SKU_PRICE = priceBook.servers.find((server) => server.id === SKU)?.priceUsd?.value as number;
const PUBLIC_OFFER_PRICE = priceBook.cloudOffers.find((offer) => offer.id === OFFER)?.priceUsdPerHour.value as number;

interface QuoteBody {
  id: string;
  targetKind: "sku" | "offer";
  targetId: string;
  targetName: string;
  unit: string;
  unitPriceUsd: number | null;
  discount: number;
  effectiveUnitPriceUsd: number | null;
  publicUnitPriceUsd: number | null;
  publicPriceBookVersion: string;
  validUntil: string;
  note: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

interface UsedFigure {
  path: string;
  value: number;
  origin: string;
  ref: string;
  source: string;
}

function isoDay(offsetDays: number): string {
  return new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
}

/** A 1-year scenario with a server SKU from the book (price from the book or a quote) and an API option. */
function buildScenario(startMonth = "2027-01"): Record<string, unknown> {
  const base = smallScenario("quoted build");
  return {
    ...base,
    startMonth,
    site: { electricityUsdPerKwh: 0.08, pue: 1.3 },
    options: [
      { kind: "build", id: "xe9680", sku: SKU, outputTokensPerSecondPerGpu: 1500 },
      { kind: "api", id: "api-a", usdPerMillionInputTokens: 0.6, usdPerMillionOutputTokens: 0.6 },
    ],
  };
}

function quoteBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    targetKind: "sku",
    targetId: SKU,
    unitPriceUsd: 265000,
    discount: 0.05,
    validUntil: "2027-03-31",
    note: "Dell quote Q-1234",
    ...overrides,
  };
}

async function createQuote(key: string, overrides: Record<string, unknown> = {}): Promise<QuoteBody> {
  const response = await send("POST", "/quotes", quoteBody(overrides), key);
  const text = await response.text();
  expect(response.status, text).toBe(201);
  return JSON.parse(text) as QuoteBody;
}

async function quoteCount(orgId: string): Promise<number> {
  const row = await env.DB.prepare("SELECT count(*) AS n FROM org_quotes WHERE org_id = ?").bind(orgId).first<{
    n: number;
  }>();
  return row?.n ?? 0;
}

let org: TestOrg;
let other: TestOrg;
let editorKey: string;
let viewerKey: string;

beforeAll(async () => {
  org = await createOrg("Quotes");
  other = await createOrg("Other");
  editorKey = (await createKey(org.adminKey, "member")).key;
  const viewer = await send("POST", "/keys", { name: "viewer", role: "viewer" }, org.adminKey);
  expect(viewer.status).toBe(201);
  viewerKey = ((await viewer.json()) as { key: string }).key;
});

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

describe("quotes applied to plans, proposals and stateless evaluations", () => {
  let own: TestOrg;
  beforeAll(async () => {
    own = await createOrg("Applied");
  });

  it("a plan uses the quoted price, pins the quote, and neither a later change nor a deletion alters it or its proposal", async () => {
    const quote = await createQuote(own.adminKey, { validUntil: "2027-06-30" });
    const scenario = (await (await send("POST", "/scenarios", { scenario: buildScenario() }, own.adminKey)).json()) as {
      id: string;
    };
    const planResponse = await send("POST", `/scenarios/${scenario.id}/plans`, {}, own.adminKey);
    const planText = await planResponse.text();
    expect(planResponse.status, planText).toBe(201);
    const plan = JSON.parse(planText) as {
      id: string;
      inputHash: string;
      input: {
        resolvedScenario: { options: { id: string; priceUsd?: number }[] };
        usedFigures: UsedFigure[];
        quotes?: unknown[];
        expiredQuotes?: unknown[];
      };
    };
    const figure = plan.input.usedFigures.find((item) => item.path === "options.0.priceUsd");
    expect(figure).toMatchObject({ origin: "quote", ref: `quote:${quote.id}`, value: quote.effectiveUnitPriceUsd });
    expect(figure?.source).toContain("Dell quote Q-1234");
    expect(plan.input.resolvedScenario.options[0]?.priceUsd).toBe(quote.effectiveUnitPriceUsd);
    expect(plan.input.quotes).toEqual([
      {
        id: quote.id,
        orgId: own.orgId,
        target: { kind: "sku", id: SKU },
        unitPriceUsd: 265000,
        discount: 0.05,
        validUntil: "2027-06-30",
        note: "Dell quote Q-1234",
      },
    ]);
    expect(plan.input.expiredQuotes).toBeUndefined();

    // Another organisation's plan of the same scenario prices the server publicly.
    const theirs = (await (await send("POST", "/scenarios", { scenario: buildScenario() }, other.adminKey)).json()) as {
      id: string;
    };
    const theirPlan = (await (await send("POST", `/scenarios/${theirs.id}/plans`, {}, other.adminKey)).json()) as {
      input: { usedFigures: UsedFigure[]; quotes?: unknown };
    };
    expect(theirPlan.input.usedFigures.find((item) => item.path === "options.0.priceUsd")).toMatchObject({
      origin: "catalog",
      value: PUBLIC_SKU_PRICE,
    });
    expect(theirPlan.input.quotes).toBeUndefined();

    const proposal = await send(
      "POST",
      "/proposals",
      {
        planId: plan.id,
        title: "Quoted",
        customerName: "Contoso",
        preparedBy: "Jane",
        vendor: { name: "Northwind", accentColor: "#1F5FBF" },
      },
      own.adminKey,
    );
    const proposalText = await proposal.text();
    expect(proposal.status, proposalText).toBe(201);
    const proposalId = (JSON.parse(proposalText) as { id: string }).id;
    const issued = await send("POST", `/proposals/${proposalId}/issue`, {}, own.adminKey);
    expect(issued.status).toBe(200);
    const issuedHash = ((await issued.json()) as { current: { contentHash: string } }).current.contentHash;

    // Change the quote, then delete it: the stored plan and the proposal's regeneration stand.
    const patched = await send("PATCH", `/quotes/${quote.id}`, { unitPriceUsd: 150000 }, own.adminKey, {
      "If-Match": '"1"',
    });
    expect(patched.status).toBe(200);
    expect(
      (await api(`/quotes/${quote.id}`, { method: "DELETE", headers: { Authorization: `Bearer ${own.adminKey}` } }))
        .status,
    ).toBe(204);
    const stored = await (await get(`/plans/${plan.id}`, own.adminKey)).text();
    expect(JSON.parse(stored)).toEqual(JSON.parse(planText));
    const verification = await get(`/proposals/${proposalId}/versions/1/verification`, own.adminKey);
    const verificationText = await verification.text();
    expect(verification.status, verificationText).toBe(200);
    expect(JSON.parse(verificationText)).toMatchObject({
      matches: true,
      planInputHashMatches: true,
      regeneratedHash: issuedHash,
    });

    // A new plan now prices the server publicly again.
    const after = (await (await send("POST", `/scenarios/${scenario.id}/plans`, {}, own.adminKey)).json()) as {
      inputHash: string;
      input: { usedFigures: UsedFigure[]; quotes?: unknown };
    };
    expect(after.input.usedFigures.find((item) => item.path === "options.0.priceUsd")?.origin).toBe("catalog");
    expect(after.input.quotes).toBeUndefined();
    expect(after.inputHash).not.toBe(plan.inputHash);
  });

  it("/evaluate applies the caller's quotes with a key; ?quotes=none and anonymous callers get public figures", async () => {
    const org2 = await createOrg("Evaluator");
    const skuQuote = await createQuote(org2.adminKey, { validUntil: "2027-06-30" });
    const offerQuote = await createQuote(org2.adminKey, {
      targetKind: "offer",
      targetId: OFFER,
      unitPriceUsd: 21.5,
      discount: 0,
      validUntil: "2027-06-30",
    });
    const scenario = buildScenario();
    (scenario.options as unknown[]).push({
      kind: "lease",
      id: "lambda",
      offer: OFFER,
      outputTokensPerSecondPerGpu: 1500,
    });
    const priceOf = async (query: string, key?: string): Promise<UsedFigure[]> => {
      const response = await send("POST", `/evaluate${query}`, scenario, key, { "CF-Connecting-IP": "203.0.113.77" });
      const text = await response.text();
      expect(response.status, text).toBe(200);
      return (JSON.parse(text) as { usedFigures: UsedFigure[] }).usedFigures.filter((figure) =>
        /^options\.\d+\.(priceUsd|priceUsdPerInstanceHour)$/.test(figure.path),
      );
    };
    // Any member applies them: a viewer key here.
    const viewer = await send("POST", "/keys", { name: "viewer", role: "viewer" }, org2.adminKey);
    const quoted = await priceOf("", ((await viewer.json()) as { key: string }).key);
    expect(quoted).toEqual([
      expect.objectContaining({
        path: "options.0.priceUsd",
        origin: "quote",
        ref: `quote:${skuQuote.id}`,
        value: skuQuote.effectiveUnitPriceUsd,
      }),
      expect.objectContaining({
        path: "options.2.priceUsdPerInstanceHour",
        origin: "quote",
        ref: `quote:${offerQuote.id}`,
        value: 21.5,
      }),
    ]);
    for (const figures of [await priceOf("?quotes=none", org2.adminKey), await priceOf("")]) {
      expect(figures).toEqual([
        expect.objectContaining({ path: "options.0.priceUsd", origin: "catalog", value: PUBLIC_SKU_PRICE }),
        expect.objectContaining({
          path: "options.2.priceUsdPerInstanceHour",
          origin: "catalog",
          value: PUBLIC_OFFER_PRICE,
        }),
      ]);
    }
    const error = await expectError(
      await send("POST", "/evaluate?quotes=all", scenario, org2.adminKey),
      400,
      "validation_failed",
    );
    expect(error.issues.map((issue) => issue.path)).toEqual(["quotes"]);

    // /risk and /optimise resolve through the same quotes.
    const risk = await send("POST", "/risk", { scenario, risk: { samples: 50, seed: 3 } }, org2.adminKey);
    const riskText = await risk.text();
    expect(risk.status, riskText).toBe(200);
    expect(
      (JSON.parse(riskText) as { usedFigures: UsedFigure[] }).usedFigures.filter((f) => f.origin === "quote"),
    ).toHaveLength(2);
    const riskPublic = (await (
      await send("POST", "/risk?quotes=none", { scenario, risk: { samples: 50, seed: 3 } }, org2.adminKey)
    ).json()) as { usedFigures: UsedFigure[] };
    expect(riskPublic.usedFigures.filter((f) => f.origin === "quote")).toHaveLength(0);
    const optimised = await send("POST", "/optimise", { scenario }, org2.adminKey);
    const optimisedText = await optimised.text();
    expect(optimised.status, optimisedText).toBe(200);
    expect(
      (JSON.parse(optimisedText) as { usedFigures: UsedFigure[] }).usedFigures.filter((f) => f.origin === "quote"),
    ).toHaveLength(2);
  });

  it("a quote that expires before the plan starts gives a note and the public price, in evaluations and plans", async () => {
    const org3 = await createOrg("Expiring");
    const quote = await createQuote(org3.adminKey, { validUntil: "2027-12-31" });
    const scenario = buildScenario("2028-01");
    const response = await send("POST", "/evaluate", scenario, org3.adminKey);
    const text = await response.text();
    expect(response.status, text).toBe(200);
    const body = JSON.parse(text) as { usedFigures: UsedFigure[]; notes: string[] };
    expect(body.usedFigures.find((figure) => figure.path === "options.0.priceUsd")).toMatchObject({
      origin: "catalog",
      value: PUBLIC_SKU_PRICE,
    });
    expect(body.notes).toContain(
      `Quote ${quote.id} for server ${SKU} (option xe9680) expired on 2027-12-31, before the plan starts on 2028-01-01; the public price is used`,
    );

    // The plan pins the noted quote apart from applied ones, so its notes regenerate.
    const saved = (await (await send("POST", "/scenarios", { scenario }, org3.adminKey)).json()) as { id: string };
    const plan = (await (await send("POST", `/scenarios/${saved.id}/plans`, {}, org3.adminKey)).json()) as {
      input: { notes: string[]; quotes?: unknown; expiredQuotes?: { id: string }[] };
    };
    expect(plan.input.quotes).toBeUndefined();
    expect(plan.input.expiredQuotes?.map((item) => item.id)).toEqual([quote.id]);
    expect(plan.input.notes.some((note) => note.startsWith(`Quote ${quote.id} for server`))).toBe(true);
  });
});
