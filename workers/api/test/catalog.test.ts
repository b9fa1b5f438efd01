import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { priceBook, priceBookRowCounts, priceBookVersionId, PUBLIC_PRICE_BOOK_ID } from "@aifp/catalog";
import { openDb } from "../src/services/db.ts";
import { seedPublishedBook } from "../src/services/catalog.ts";
import { type CatalogPage as Page, walkCatalogPages as walk } from "./catalog-pages.ts";
import { get } from "./helpers.ts";

const versionId = priceBookVersionId(PUBLIC_PRICE_BOOK_ID, priceBook.version);

beforeAll(async () => {
  // Seed through the service the seed script mirrors, from the built book (no mocks).
  await seedPublishedBook(openDb(env.DB), priceBook, "2026-11-22T00:00:00.000Z");
});

describe("seeding the public price book", () => {
  it("publishes the version with every row, and is idempotent", async () => {
    const version = await env.DB.prepare("SELECT status, content_hash, row_count FROM price_book_versions WHERE id = ?")
      .bind(versionId)
      .first();
    expect(version).toEqual({
      status: "published",
      content_hash: priceBook.contentHash,
      row_count: priceBookRowCounts(priceBook).total,
    });
    const counted = await env.DB.prepare("SELECT COUNT(*) AS n FROM catalog_throughput_points WHERE version_id = ?")
      .bind(versionId)
      .first<{ n: number }>();
    expect(counted?.n).toBe(priceBook.throughputPoints.length);
    expect(await seedPublishedBook(openDb(env.DB), priceBook, "2026-11-23T00:00:00.000Z")).toBe("already-published");
  });

  it("refuses to reseed the same version with different content", async () => {
    const changed = { ...priceBook, contentHash: "0".repeat(64) };
    await expect(seedPublishedBook(openDb(env.DB), changed, "2026-11-23T00:00:00.000Z")).rejects.toThrow(
      /bump packages\/catalog\/data\/manifest\.json/,
    );
  });
});

describe("GET /api/v1/catalog/*", () => {
  it.each([
    ["/catalog/throughput", 100, priceBook.throughputPoints.map((item) => item.id), "id"],
    ["/catalog/servers", 7, priceBook.servers.map((item) => item.id), "id"],
    ["/catalog/cloud-offers", 50, priceBook.cloudOffers.map((item) => item.id), "id"],
    ["/catalog/regions", 11, priceBook.regions.map((item) => item.code), "code"],
    ["/catalog/models", 3, priceBook.models.map((item) => item.key), "key"],
    ["/catalog/generations", 4, priceBook.generations.map((item) => item.key), "key"],
    [
      "/catalog/accelerators",
      5,
      [
        ...priceBook.accelerators.map((item) => item.key),
        ...priceBook.acceleratorKeysWithoutSpec.map((item) => item.key),
      ],
      "key",
    ],
  ] as const)("%s walks every row exactly once (limit %d)", async (path, limit, expectedKeys, keyField) => {
    const { rows, pages } = await walk(path, limit);
    const keys = rows.map((row) => String(row[keyField]));
    expect(new Set(keys).size).toBe(keys.length);
    expect([...keys].sort()).toEqual([...expectedKeys].sort());
    expect(pages).toBe(Math.max(1, Math.ceil(expectedKeys.length / limit)));
  });

  it("serves figures with their provenance", async () => {
    const response = await get("/catalog/servers?vendor=NVIDIA&limit=100");
    const page = (await response.json()) as Page;
    const dgx = page.data.find((row) => row.id === "nvidia-dgx-h100") as {
      priceUsd: Record<string, unknown>;
      powerKw: Record<string, unknown>;
    };
    expect(dgx.priceUsd).toMatchObject({
      value: 270000,
      unit: "USD per server",
      confidence: "medium",
      derived: false,
      asOf: "2023-05",
    });
    expect(dgx.powerKw).toMatchObject({ value: 10.2, derived: false });
  });

  it("filters servers by vendor, accelerator and cooling", async () => {
    const { rows } = await walk("/catalog/servers?cooling=liquid&accelerator=GB200-186GB", 100);
    const expected = priceBook.servers
      .filter((item) => item.cooling === "liquid" && item.accelerator === "GB200-186GB")
      .map((item) => item.id);
    expect(rows.map((row) => row.id).sort()).toEqual(expected.sort());
    expect(expected.length).toBeGreaterThan(2);
    const dell = await walk("/catalog/servers?vendor=Dell", 100);
    expect(dell.rows.every((row) => row.vendor === "Dell")).toBe(true);
    expect(dell.rows).toHaveLength(priceBook.servers.filter((item) => item.vendor === "Dell").length);
  });

  it("filters cloud offers by provider kind, accelerator and commitment", async () => {
    const { rows } = await walk(
      "/catalog/cloud-offers?providerKind=hyperscaler&accelerator=A100-SXM-80GB&commitment=1y",
      100,
    );
    const expected = priceBook.cloudOffers.filter(
      (item) => item.providerKind === "hyperscaler" && item.accelerator === "A100-SXM-80GB" && item.commitment === "1y",
    );
    expect(rows.map((row) => row.id).sort()).toEqual(expected.map((item) => item.id).sort());
    expect(expected.length).toBeGreaterThan(0);
  });

  it("filters throughput by model and accelerator", async () => {
    const { rows } = await walk("/catalog/throughput?model=llama2-70b&accelerator=B200-SXM-180GB", 100);
    const expected = priceBook.throughputPoints.filter(
      (item) => item.model === "llama2-70b" && item.accelerator === "B200-SXM-180GB",
    );
    expect(rows).toHaveLength(expected.length);
    expect(rows.every((row) => row.model === "llama2-70b" && row.accelerator === "B200-SXM-180GB")).toBe(true);
  });

  it.each(["limit=0", "limit=101", "limit=abc", "limit=-1"])(
    "answers a bad %s with 400 naming limit",
    async (query) => {
      const response = await get(`/catalog/servers?${query}`);
      expect(response.status).toBe(400);
      const body = (await response.json()) as { error: { code: string; issues: { path: string }[] } };
      expect(body.error.code).toBe("validation_failed");
      expect(body.error.issues.map((issue) => issue.path)).toContain("limit");
    },
  );

  it("answers an unknown filter, a bad enum value or a bad cursor with 400", async () => {
    for (const query of ["colour=red", "cooling=water", "cursor=not-a-cursor", "version=latest"]) {
      const response = await get(`/catalog/servers?${query}`);
      expect(response.status, query).toBe(400);
    }
  });

  it("answers an unknown version with 404", async () => {
    const response = await get("/catalog/models?version=1999.01.01");
    expect(response.status).toBe(404);
  });
});

describe("GET /api/v1/price-books", () => {
  it("lists the public book with its latest published version", async () => {
    const response = await get("/price-books");
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      data: { id: string; latestPublishedVersion: string }[];
      nextCursor: string | null;
    };
    expect(body.data).toEqual([
      expect.objectContaining({ id: PUBLIC_PRICE_BOOK_ID, latestPublishedVersion: priceBook.version }),
    ]);
    expect(body.nextCursor).toBeNull();
  });

  it("shows one version with its row counts, defaults and facility figures", async () => {
    const response = await get(`/price-books/${PUBLIC_PRICE_BOOK_ID}/versions/${priceBook.version}`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      status: string;
      contentHash: string;
      rowCount: number;
      defaults: { key: string }[];
      facility: unknown[];
    };
    expect(body.status).toBe("published");
    expect(body.contentHash).toBe(priceBook.contentHash);
    expect(body.defaults.map((item) => item.key)).toContain("servingStack.nvidia-ai-enterprise.usdPerGpuYear");
    expect(body.facility).toHaveLength(priceBook.facility.length);
    expect((await get(`/price-books/${PUBLIC_PRICE_BOOK_ID}/versions/1999.01.01`)).status).toBe(404);
    expect((await get(`/price-books/nope/versions/${priceBook.version}`)).status).toBe(400);
  });
});

describe("a published version is immutable in the database", () => {
  const refused = /price_book_version_immutable/;

  it.each([
    ["UPDATE price_book_versions SET content_hash = 'x' WHERE id = ?1", "the version row"],
    ["UPDATE price_book_versions SET status = 'draft' WHERE id = ?1", "its status back to draft"],
    ["DELETE FROM price_book_versions WHERE id = ?1", "deleting the version"],
    ["UPDATE catalog_servers SET data_json = '{}' WHERE version_id = ?1", "a server row"],
    ["DELETE FROM catalog_throughput_points WHERE version_id = ?1", "deleting throughput rows"],
    ["UPDATE catalog_cloud_offers SET commitment = 'none' WHERE version_id = ?1", "a cloud offer"],
    [
      "INSERT INTO catalog_models (version_id, key, architecture, data_json) VALUES (?1, 'extra', 'dense', '{}')",
      "adding a row",
    ],
  ])("refuses %s (%s)", async (statement) => {
    await expect(env.DB.prepare(statement).bind(versionId).run()).rejects.toThrow(refused);
    const still = await env.DB.prepare("SELECT status, content_hash FROM price_book_versions WHERE id = ?")
      .bind(versionId)
      .first();
    expect(still).toEqual({ status: "published", content_hash: priceBook.contentHash });
  });

  it("publishes only a complete draft, then allows retiring and nothing else", async () => {
    const id = "pbv_test_retire";
    await env.DB.prepare(
      "INSERT INTO price_book_versions (id, price_book_id, version, status, content_hash, data_as_of, schema_version, row_counts_json, row_count, created_at) VALUES (?1, ?2, '2000.01.01', 'draft', 'h', '2000-01-01', 1, '{}', 2, 't')",
    )
      .bind(id, PUBLIC_PRICE_BOOK_ID)
      .run();
    await env.DB.prepare(
      "INSERT INTO catalog_models (version_id, key, architecture, data_json) VALUES (?1, 'm1', 'dense', '{}')",
    )
      .bind(id)
      .run();
    // Declares 2 rows but holds 1: publishing is refused.
    await expect(
      env.DB.prepare("UPDATE price_book_versions SET status = 'published' WHERE id = ?1").bind(id).run(),
    ).rejects.toThrow(/price_book_version_incomplete/);
    await env.DB.prepare(
      "INSERT INTO catalog_models (version_id, key, architecture, data_json) VALUES (?1, 'm2', 'dense', '{}')",
    )
      .bind(id)
      .run();
    await env.DB.prepare("UPDATE price_book_versions SET status = 'published', published_at = 'p' WHERE id = ?1")
      .bind(id)
      .run();
    await expect(
      env.DB.prepare("UPDATE price_book_versions SET status = 'retired', row_count = 3 WHERE id = ?1").bind(id).run(),
    ).rejects.toThrow(refused);
    await env.DB.prepare("UPDATE price_book_versions SET status = 'retired' WHERE id = ?1").bind(id).run();
    await expect(
      env.DB.prepare("UPDATE price_book_versions SET status = 'published' WHERE id = ?1").bind(id).run(),
    ).rejects.toThrow(refused);
    await expect(env.DB.prepare("DELETE FROM catalog_models WHERE version_id = ?1").bind(id).run()).rejects.toThrow(
      refused,
    );
  });
});

describe("org quotes table", () => {
  it("exists with its columns (the quote routes and their tests: quotes-crud.test.ts, quotes-applied.test.ts)", async () => {
    const columns = await env.DB.prepare("SELECT name FROM pragma_table_info('org_quotes') ORDER BY cid").all<{
      name: string;
    }>();
    expect(columns.results.map((row) => row.name)).toEqual([
      "id",
      "org_id",
      "price_book_id",
      "target_kind",
      "target_id",
      "unit_price_usd",
      "discount",
      "valid_until",
      "note",
      "created_at",
      "updated_at",
      "version",
      "created_by",
    ]);
  });
});
