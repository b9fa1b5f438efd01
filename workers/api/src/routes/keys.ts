import { Hono } from "hono";
import { mintApiKey } from "../services/secrets.ts";
import type { AppEnv } from "../app.ts";
import { principalOf, requireKey } from "../auth.ts";
import { ApiError } from "../errors.ts";
import { idempotent } from "../idempotency.ts";
import { documented } from "../openapi-registry.ts";
import { parsePageQuery, toPage } from "../pagination.ts";
import { randomId } from "../request-id.ts";
import { ApiKeySchema, CreateKeyBodySchema, CreatedApiKeySchema, PageSchema } from "../schemas.ts";
import { nowIso, openDb } from "../services/db.ts";
import { createKey, getKey, listKeys, newKeyDto, revokeKey } from "../services/keys.ts";
import { jsonBody } from "../validation.ts";
import { PAGE_QUERY } from "./page-query.ts";

documented({
  method: "post",
  path: "/keys",
  tag: "API keys",
  summary: "Create an API key in the caller's organisation (admin)",
  description:
    "At least 128 random bits (32 bytes, base58, prefix `aifp_live_`); the plaintext is returned once and only its SHA-256 is stored. Role `member` (default) works with scenarios, plans and exports; `admin` also manages keys.",
  access: "admin",
  idempotent: true,
  requestBody: { schema: CreateKeyBodySchema, required: true },
  responses: { 201: { description: "The key, with its plaintext `key` shown once", schema: CreatedApiKeySchema } },
});
documented({
  method: "get",
  path: "/keys",
  tag: "API keys",
  summary: "List the organisation's keys (admin; never the secret or its hash)",
  access: "admin",
  query: PAGE_QUERY,
  responses: { 200: { description: "A page of keys", schema: PageSchema(ApiKeySchema) } },
});
documented({
  method: "get",
  path: "/keys/{id}",
  tag: "API keys",
  summary: "Get one key (admin)",
  access: "admin",
  responses: { 200: { description: "The key", schema: ApiKeySchema } },
});
documented({
  method: "delete",
  path: "/keys/{id}",
  tag: "API keys",
  summary: "Revoke a key (admin); it stops working on the next request",
  access: "admin",
  responses: { 200: { description: "The revoked key", schema: ApiKeySchema } },
});

/** API keys of the caller's organisation: create (shown once), list, get, revoke. */
export const keyRoutes = new Hono<AppEnv>()
  .post("/", requireKey("admin"), async (c) => {
    const body = await jsonBody(c, CreateKeyBodySchema);
    const principal = principalOf(c);
    return idempotent(c, body, async (db, complete) => {
      const createdAt = nowIso();
      const minted = await mintApiKey();
      const key = {
        id: randomId("key"),
        orgId: principal.orgId,
        name: body.name,
        keyHash: minted.keyHash,
        start: minted.start,
        role: body.role ?? "member",
        createdAt,
        expiresAt:
          body.expiresInDays === undefined
            ? null
            : new Date(Date.parse(createdAt) + body.expiresInDays * 86_400_000).toISOString(),
      };
      const headers = { "Cache-Control": "no-store" };
      // The stored replay has `key: null`: no plaintext key ever reaches the database (S3). A
      // client that lost the first response revokes that key and creates another.
      await createKey(db, key, complete({ status: 201, body: { ...newKeyDto(key), key: null }, headers }));
      return { status: 201 as const, body: { ...newKeyDto(key), key: minted.plaintext }, headers };
    });
  })
  .get("/", requireKey("admin"), async (c) => {
    const { limit, cursor } = parsePageQuery(c);
    const rows = await listKeys(openDb(c.env.DB), principalOf(c).orgId, limit, cursor);
    return c.json(toPage(rows, limit, (row) => ({ after: row.createdAt, id: row.id })));
  })
  .get("/:id", requireKey("admin"), async (c) => {
    const key = await getKey(openDb(c.env.DB), principalOf(c).orgId, c.req.param("id"));
    if (!key) throw new ApiError(404, "not_found", "No such API key.");
    return c.json(key);
  })
  .delete("/:id", requireKey("admin"), async (c) => {
    const key = await revokeKey(openDb(c.env.DB), principalOf(c).orgId, c.req.param("id"));
    if (!key) throw new ApiError(404, "not_found", "No such API key.");
    return c.json(key);
  });
