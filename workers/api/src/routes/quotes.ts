import type { Context } from "hono";
import { Hono } from "hono";
import {
  type OrgQuote,
  findAccelerator,
  findCloudOffer,
  findServer,
  priceBook,
  quotedUnitPriceUsd,
} from "@aifp/catalog";
import type { AppEnv } from "../app.ts";
import { callerPrincipal, principalOf, requireRole } from "../auth.ts";
import { ApiError } from "../errors.ts";
import { etagOf, versionConflict } from "../etag.ts";
import { idempotent } from "../idempotency.ts";
import { documented } from "../openapi-registry.ts";
import { pageOf, toPage } from "../pagination.ts";
import { randomId } from "../request-id.ts";
import {
  CreateQuoteBodySchema,
  MAX_QUOTE_UNIT_PRICE_USD,
  PageSchema,
  PatchQuoteBodySchema,
  type QuoteDto,
  QuoteSchema,
  QuoteListQuerySchema,
  todayUtc,
} from "@aifp/contracts/api";
import { actorOf, auditStatement } from "../services/audit.ts";
import { nowIso, openDb } from "../services/db.ts";
import {
  MAX_QUOTES_PER_ORG,
  type QuoteFields,
  type QuoteRow,
  createQuote,
  deleteQuote,
  getQuote,
  listQuotes,
  newQuoteRow,
  quotesForResolution,
  updateQuote,
} from "../services/quotes.ts";

/**
 * Organisation quotes (issue #4): an organisation's private prices for server SKUs and cloud
 * offers of the public price book (a vendor's quote for a server, a negotiated hourly rate).
 * Viewers read them; admins write them. Plans, evaluations, optimisations and risk analyses of
 * the organisation resolve through them (docs/api.md "Custom quotes", ADR 012).
 */

// --- the public book ------------------------------------------------------------------------

const COMMITMENT_LABEL: Record<string, string> = {
  none: "on demand",
  "1y": "1-year commitment",
  "3y": "3-year commitment",
  capacity_block: "capacity block",
  spot_only: "spot",
};

/** What a quote's target is in the public book: its name, unit and public price. */
interface PublicTarget {
  name: string;
  unit: string;
  publicUnitPriceUsd: number | null;
}

function acceleratorName(key: string): string {
  return findAccelerator(priceBook, key)?.name ?? key;
}

/** The target in the Worker's public book, or null when the book does not have it. */
function publicTarget(kind: "sku" | "offer", id: string): PublicTarget | null {
  if (kind === "sku") {
    const server = findServer(priceBook, id);
    if (!server) return null;
    return {
      name: `${server.vendor} ${server.sku} (${server.gpusPerServer}× ${acceleratorName(server.accelerator)})`,
      unit: "USD per server",
      publicUnitPriceUsd: server.priceUsd?.value ?? null,
    };
  }
  const offer = findCloudOffer(priceBook, id);
  if (!offer) return null;
  return {
    name: `${offer.provider} ${offer.instanceType} (${offer.acceleratorCount}× ${acceleratorName(offer.accelerator)}, ${COMMITMENT_LABEL[offer.commitment] ?? offer.commitment})`,
    unit: "USD per instance-hour",
    publicUnitPriceUsd: offer.priceUsdPerHour.value,
  };
}

function badRequest(path: string, message: string): ApiError {
  return new ApiError(400, "validation_failed", `The request body is invalid: ${path}: ${message}`, [
    { path, message },
  ]);
}

/** The target of a new quote in the public book, or 400 naming `targetId` with an example id. */
function publicTargetOr400(kind: "sku" | "offer", id: string): PublicTarget {
  const target = publicTarget(kind, id);
  if (target) return target;
  const example =
    kind === "sku"
      ? (priceBook.servers.find((server) => server.priceUsd !== null) ?? priceBook.servers[0])?.id
      : priceBook.cloudOffers[0]?.id;
  throw badRequest(
    "targetId",
    `unknown ${kind === "sku" ? "server SKU" : "cloud offer"} "${id}" in price book ${priceBook.version}; expected an id such as "${example}" (GET /api/v1/catalog/${kind === "sku" ? "servers" : "cloud-offers"} lists them)`,
  );
}

/**
 * A quote must say what it costs: a unit price, or a discount on a public price that exists.
 * 400 naming `unitPriceUsd` otherwise.
 */
function assertPriced(fields: QuoteFields, target: PublicTarget | null): void {
  if (fields.unitPriceUsd !== null) return;
  if (fields.discount === 0)
    throw badRequest(
      "unitPriceUsd",
      "expected a unit price, a discount, or both (a quote with neither would just repeat the public price)",
    );
  if (target === null || target.publicUnitPriceUsd === null)
    throw badRequest(
      "unitPriceUsd",
      `expected a unit price: the target has no public price in price book ${priceBook.version} to apply the discount to`,
    );
}

/** A stored quote as the API returns it, with its target's name and public price from the book. */
export function quoteDto(row: QuoteRow): QuoteDto {
  const kind = row.targetKind;
  const target = publicTarget(kind, row.targetId);
  const publicUnitPriceUsd = target?.publicUnitPriceUsd ?? null;
  return {
    id: row.id,
    targetKind: kind,
    targetId: row.targetId,
    targetName: target?.name ?? row.targetId,
    unit: kind === "sku" ? "USD per server" : "USD per instance-hour",
    unitPriceUsd: row.unitPriceUsd,
    discount: row.discount,
    // The resolver's own rule, so the two agree exactly.
    effectiveUnitPriceUsd: quotedUnitPriceUsd(row, publicUnitPriceUsd),
    publicUnitPriceUsd,
    publicPriceBookVersion: priceBook.version,
    validUntil: row.validUntil,
    note: row.note,
    version: row.version,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/**
 * The quotes an evaluation, optimisation or risk analysis resolves through: the caller's
 * organisation quotes (API key or session), none for anonymous callers or with `?quotes=none`
 * (400 naming `quotes` for any other value).
 */
export async function callerQuotes(c: Context<AppEnv>, mode: "org" | "none"): Promise<OrgQuote[]> {
  const principal = await callerPrincipal(c);
  if (principal === null || mode === "none") return [];
  return quotesForResolution(openDb(c.env.DB), principal.orgId);
}

// --- routes ---------------------------------------------------------------------------------

const listing = documented({
  method: "get",
  path: "/quotes",
  tag: "Quotes",
  summary: "List the organisation's quotes (keyset cursor pagination, oldest first)",
  access: "viewer",
  query: QuoteListQuerySchema,
  responses: { 200: { description: "A page of quotes", schema: PageSchema(QuoteSchema) } },
});
const creation = documented({
  method: "post",
  path: "/quotes",
  tag: "Quotes",
  summary: "Add a quote for a server SKU or cloud offer of the public price book (version 1)",
  description: `Admins only. \`targetId\` must be in the public price book (400 naming it otherwise); \`validUntil\` a real date not before today (UTC); a unit price (> 0, ≤ ${MAX_QUOTE_UNIT_PRICE_USD}), a discount (0 ≤ d < 1), or both. At most ${MAX_QUOTES_PER_ORG} quotes per organisation (422 \`too_many_quotes\`). Audited as \`quote.created\`.`,
  access: "admin",
  idempotent: true,
  requestBody: { schema: CreateQuoteBodySchema, required: true },
  responses: {
    201: { description: "The saved quote; `ETag` is its version", schema: QuoteSchema, headers: { ETag: "Version" } },
  },
});
documented({
  method: "get",
  path: "/quotes/{id}",
  tag: "Quotes",
  summary: "Get a quote; `ETag` carries its version for If-Match",
  access: "viewer",
  responses: { 200: { description: "The quote", schema: QuoteSchema, headers: { ETag: "Version" } } },
});
const change = documented({
  method: "patch",
  path: "/quotes/{id}",
  tag: "Quotes",
  summary: "Change a quote's price, discount, validity or note with optimistic concurrency",
  description:
    "Admins only. Requires `If-Match` with the ETag of your last read: missing → 428, stale → 409 (nothing changed). The target cannot change (create a new quote). Plans made earlier keep the quote as it was. Audited as `quote.updated`.",
  access: "admin",
  idempotent: true,
  ifMatch: "required",
  requestBody: { schema: PatchQuoteBodySchema, required: true },
  responses: { 200: { description: "The updated quote", schema: QuoteSchema, headers: { ETag: "Version" } } },
});
const removal = documented({
  method: "delete",
  path: "/quotes/{id}",
  tag: "Quotes",
  summary: "Delete a quote (plans that applied it keep their pinned copy; with If-Match only that version)",
  description: "Admins only. Audited as `quote.deleted`.",
  access: "admin",
  ifMatch: "optional",
  responses: { 204: { description: "Deleted" } },
});

const QUOTE_NOT_FOUND = "No such quote.";

/** The organisation's quotes: viewers read, admins write. */
export const quoteRoutes = new Hono<AppEnv>()
  .get("/", requireRole("viewer"), listing, async (c) => {
    const { limit: rawLimit, cursor: rawCursor, ...query } = c.req.valid("query");
    const { limit, cursor } = pageOf({ limit: rawLimit, cursor: rawCursor });
    const rows = await listQuotes(
      openDb(c.env.DB),
      principalOf(c).orgId,
      { ...query, today: todayUtc() },
      limit,
      cursor,
    );
    const page = toPage(rows, limit, (row) => ({ after: row.createdAt, id: row.id }));
    return c.json({ data: page.data.map(quoteDto), nextCursor: page.nextCursor });
  })
  .post("/", requireRole("admin"), creation, async (c) => {
    const body = c.req.valid("json");
    const principal = principalOf(c);
    const target = publicTargetOr400(body.targetKind, body.targetId);
    const fields: QuoteFields = {
      unitPriceUsd: body.unitPriceUsd ?? null,
      discount: body.discount ?? 0,
      validUntil: body.validUntil,
      note: body.note ?? null,
    };
    assertPriced(fields, target);
    return idempotent(c, body, async (db, complete) => {
      const quote = {
        ...fields,
        id: randomId("qte"),
        orgId: principal.orgId,
        targetKind: body.targetKind,
        targetId: body.targetId,
        createdBy: principal.id,
        createdAt: nowIso(),
      };
      const outcome = {
        status: 201 as const,
        body: quoteDto(newQuoteRow(quote)),
        headers: { ETag: etagOf(1), Location: `/api/v1/quotes/${quote.id}` },
      };
      const created = await createQuote(db, quote, [
        auditStatement(
          db,
          {
            orgId: principal.orgId,
            actor: actorOf(principal),
            action: "quote.created",
            target: { kind: "quote", id: quote.id },
            detail: auditDetail(quote.targetKind, quote.targetId, fields),
          },
          quote.createdAt,
        ),
        ...complete(outcome),
      ]);
      if (created.kind === "too_many")
        throw new ApiError(
          422,
          "too_many_quotes",
          `The organisation already has ${MAX_QUOTES_PER_ORG} quotes, the most it may hold. Delete expired ones (GET /api/v1/quotes?status=expired) first.`,
        );
      return outcome;
    });
  })
  .get("/:id", requireRole("viewer"), async (c) => {
    const row = await getQuote(openDb(c.env.DB), principalOf(c).orgId, c.req.param("id"));
    if (!row) throw new ApiError(404, "not_found", QUOTE_NOT_FOUND);
    c.header("ETag", etagOf(row.version));
    return c.json(quoteDto(row));
  })
  .patch("/:id", requireRole("admin"), change, async (c) => {
    const expectedVersion = c.req.valid("header").ifMatch;
    const body = c.req.valid("json");
    const principal = principalOf(c);
    const id = c.req.param("id");
    return idempotent(c, { ifMatch: expectedVersion, body }, async (db, complete) => {
      const current = await getQuote(db, principal.orgId, id);
      if (!current) throw new ApiError(404, "not_found", QUOTE_NOT_FOUND);
      if (current.version !== expectedVersion) throw versionConflict(current.version, expectedVersion);
      const fields: QuoteFields = {
        unitPriceUsd: body.unitPriceUsd === undefined ? current.unitPriceUsd : body.unitPriceUsd,
        discount: body.discount ?? current.discount,
        validUntil: body.validUntil ?? current.validUntil,
        note: body.note === undefined ? current.note : body.note,
      };
      assertPriced(fields, publicTarget(current.targetKind, current.targetId));
      const updatedAt = nowIso();
      const version = expectedVersion + 1;
      const outcome = {
        status: 200 as const,
        body: quoteDto({ ...current, ...fields, version, updatedAt }),
        headers: { ETag: etagOf(version) },
      };
      const result = await updateQuote(db, principal.orgId, id, expectedVersion, { ...fields, updatedAt }, [
        auditStatement(
          db,
          {
            orgId: principal.orgId,
            actor: actorOf(principal),
            action: "quote.updated",
            target: { kind: "quote", id },
            detail: { ...auditDetail(current.targetKind, current.targetId, fields), version },
          },
          updatedAt,
        ),
        ...complete(outcome),
      ]);
      if (result.kind === "not_found") throw new ApiError(404, "not_found", QUOTE_NOT_FOUND);
      if (result.kind === "conflict") throw versionConflict(result.currentVersion, expectedVersion);
      return outcome;
    });
  })
  .delete("/:id", requireRole("admin"), removal, async (c) => {
    const expectedVersion = c.req.valid("header").ifMatch;
    const principal = principalOf(c);
    const id = c.req.param("id");
    const db = openDb(c.env.DB);
    // The target never changes, so the row read here names what the audit event records.
    const current = await getQuote(db, principal.orgId, id);
    if (!current) throw new ApiError(404, "not_found", QUOTE_NOT_FOUND);
    const result = await deleteQuote(db, principal.orgId, id, expectedVersion, [
      auditStatement(db, {
        orgId: principal.orgId,
        actor: actorOf(principal),
        action: "quote.deleted",
        target: { kind: "quote", id },
        detail: { targetKind: current.targetKind, targetId: current.targetId },
      }),
    ]);
    if (result.kind === "not_found") throw new ApiError(404, "not_found", QUOTE_NOT_FOUND);
    if (result.kind === "conflict" && expectedVersion !== null)
      throw versionConflict(result.currentVersion, expectedVersion);
    return c.body(null, 204);
  });

/** The small, plain detail of a quote's audit event (no note: free text stays out of the log). */
function auditDetail(
  targetKind: string,
  targetId: string,
  fields: QuoteFields,
): Record<string, string | number | null> {
  return {
    targetKind,
    targetId,
    unitPriceUsd: fields.unitPriceUsd,
    discount: fields.discount,
    validUntil: fields.validUntil,
  };
}
