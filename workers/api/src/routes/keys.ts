import { Hono } from "hono";
import { mintApiKey } from "../services/secrets.ts";
import type { AppEnv } from "../app.ts";
import { principalOf, requireRole } from "../auth.ts";
import { ApiError } from "../errors.ts";
import { idempotent } from "../idempotency.ts";
import { PageQuerySchema } from "@aifp/contracts/api";
import { documented } from "../openapi-registry.ts";
import { pageOf, toPage } from "../pagination.ts";
import { randomId } from "../request-id.ts";
import { ApiKeySchema, CreateKeyBodySchema, CreatedApiKeySchema, PageSchema } from "../schemas.ts";
import { actorOf, auditStatement } from "../services/audit.ts";
import { nowIso, openDb } from "../services/db.ts";
import {
  MAX_ACTIVE_KEYS_PER_ORG,
  createKey,
  creatorOf,
  getKey,
  listKeys,
  newKeyDto,
  revokeKey,
} from "../services/keys.ts";

const creation = documented({
  method: "post",
  path: "/keys",
  tag: "API keys",
  summary: "Create an API key in the caller's organisation (admin)",
  description:
    "At least 128 random bits (32 bytes, base58, prefix `aifp_live_`); the plaintext is returned once and only its SHA-256 is stored. Role `viewer` reads; `editor` (default; `member` is accepted as its old name) also writes scenarios, plans and exports; `admin` also manages keys, members and invitations. An organisation holds at most 25 active keys (409 `conflict` beyond; revoke one first). The key remembers the person whose authority made it (a signed-in admin, or the person behind the admin key used) and is revoked when that person leaves the organisation. Audit: key.created.",
  access: "admin",
  idempotent: true,
  requestBody: { schema: CreateKeyBodySchema, required: true },
  responses: { 201: { description: "The key, with its plaintext `key` shown once", schema: CreatedApiKeySchema } },
});
const listing = documented({
  method: "get",
  path: "/keys",
  tag: "API keys",
  summary: "List the organisation's keys (admin; never the secret or its hash)",
  access: "admin",
  query: PageQuerySchema,
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
  description: "Audit: key.revoked (once, on the first revocation).",
  access: "admin",
  responses: { 200: { description: "The revoked key", schema: ApiKeySchema } },
});

/** API keys of the caller's organisation: create (shown once), list, get, revoke. */
export const keyRoutes = new Hono<AppEnv>()
  .post("/", requireRole("admin"), creation, async (c) => {
    const body = c.req.valid("json");
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
        role: body.role ?? "editor",
        createdAt,
        expiresAt:
          body.expiresInDays === undefined
            ? null
            : new Date(Date.parse(createdAt) + body.expiresInDays * 86_400_000).toISOString(),
        // Whose authority made it: revoked when that person leaves the organisation.
        createdByUserId: creatorOf(principal),
      };
      const headers = { "Cache-Control": "no-store" };
      // The stored replay has `key: null`: no plaintext key ever reaches the database (S3). A
      // client that lost the first response revokes that key and creates another.
      const audit = auditStatement(
        db,
        {
          orgId: principal.orgId,
          actor: actorOf(principal),
          action: "key.created",
          target: { kind: "key", id: key.id },
          detail: { name: key.name, role: key.role, start: key.start },
        },
        createdAt,
      );
      const created = await createKey(db, key, [
        audit,
        ...complete({ status: 201, body: { ...newKeyDto(key), key: null }, headers }),
      ]);
      if (!created)
        throw new ApiError(
          409,
          "conflict",
          `This organisation already holds ${MAX_ACTIVE_KEYS_PER_ORG} active API keys, the most it may; revoke one first.`,
        );
      return { status: 201 as const, body: { ...newKeyDto(key), key: minted.plaintext }, headers };
    });
  })
  .get("/", requireRole("admin"), listing, async (c) => {
    const { limit, cursor } = pageOf(c.req.valid("query"));
    const rows = await listKeys(openDb(c.env.DB), principalOf(c).orgId, limit, cursor);
    return c.json(toPage(rows, limit, (row) => ({ after: row.createdAt, id: row.id })));
  })
  .get("/:id", requireRole("admin"), async (c) => {
    const key = await getKey(openDb(c.env.DB), principalOf(c).orgId, c.req.param("id"));
    if (!key) throw new ApiError(404, "not_found", "No such API key.");
    return c.json(key);
  })
  .delete("/:id", requireRole("admin"), async (c) => {
    const principal = principalOf(c);
    const db = openDb(c.env.DB);
    const id = c.req.param("id");
    const audit = auditStatement(db, {
      orgId: principal.orgId,
      actor: actorOf(principal),
      action: "key.revoked",
      target: { kind: "key", id },
    });
    const key = await revokeKey(db, principal.orgId, id, audit);
    if (!key) throw new ApiError(404, "not_found", "No such API key.");
    return c.json(key);
  });
