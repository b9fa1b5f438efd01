import { type Context, Hono } from "hono";
import * as v from "valibot";
import type { AppEnv } from "../app.ts";
import { principalOf, requireRole } from "../auth.ts";
import { optionalJsonBody } from "../body.ts";
import { ApiError } from "../errors.ts";
import { etagOf, parseIfMatch, requireIfMatch, versionConflict } from "../etag.ts";
import { type WriteOutcome, idempotent } from "../idempotency.ts";
import { documented } from "../openapi-registry.ts";
import { actorOf, auditStatement } from "../services/audit.ts";
import { parsePageQuery, toPage } from "../pagination.ts";
import {
  ProposalContentError,
  type PaperSize,
  type ProposalFields,
  type ProposalInputs,
} from "../proposals/content.ts";
import { generateVersion, verifyVersion } from "../proposals/generate.ts";
import { LogoError, checkLogo } from "../proposals/logo.ts";
import { renderProposalPdfWithReport, warmPdfFonts } from "../proposals/pdf.ts";
import {
  CreateProposalBodySchema,
  CreateShareLinkBodySchema,
  CreatedShareLinkSchema,
  DEFAULT_SHARE_TTL_SECONDS,
  IssueProposalBodySchema,
  PaperSizeSchema,
  PatchProposalBodySchema,
  ProposalSchema,
  ProposalSummarySchema,
  ProposalVersionSchema,
  ProposalVersionSummarySchema,
  ShareLinkSchema,
  SharedProposalSchema,
  VerificationSchema,
} from "../proposals/schemas.ts";
import { enforceRateLimit } from "../rate-limit.ts";
import { randomId } from "../request-id.ts";
import { PageSchema } from "../schemas.ts";
import { isolateSolver } from "../solver.ts";
import { nowIso, openDb, type Db } from "../services/db.ts";
import { type PlanDto, getPlan } from "../services/plans.ts";
import {
  type ProposalVersionDto,
  type ProposalWriteOutcome,
  addVersion,
  createProposal,
  getProposal,
  getProposalVersion,
  latestIssuedVersion,
  listProposalVersions,
  listProposals,
  issueVersion,
  newVersionDto,
  updateDraft,
} from "../services/proposals.ts";
import {
  SHARE_TOKEN_PREFIX,
  createShareLink,
  findValidShareLink,
  listShareLinks,
  newShareLinkDto,
  revokeShareLink,
} from "../services/proposals-share.ts";
import { generateSecret, sha256Hex } from "../services/secrets.ts";
import { jsonBody, parseOr400 } from "../validation.ts";
import { PAGE_QUERY } from "./page-query.ts";

/**
 * Proposals (docs/proposals.md): from a stored plan to a branded proposal, issued as immutable
 * versions, as a PDF (`GET /proposals/{id}.pdf`) and through read-only share links that work
 * without an account. Editors create, change and issue; viewers read.
 */

const PROPOSAL_NOT_FOUND = "No such proposal.";
const SHARE_NOT_FOUND = "No such proposal link, or it expired or was revoked.";
/** Most bytes of one version's inputs + outputs JSON (D1 rows hold 2 MB; the idempotency row repeats it). */
const MAX_VERSION_JSON_BYTES = 900_000;

const PAPER_QUERY = {
  paper: {
    description: 'Paper size: "A4" or "Letter" (default: the proposal\'s own)',
    schema: { type: "string", enum: ["A4", "Letter"] },
  },
};

documented({
  method: "post",
  path: "/proposals",
  tag: "Proposals",
  summary: "Create a proposal from a stored plan (version 1, a draft)",
  description:
    "Customer, prepared by, vendor name and accent colour, an optional PNG/JPEG logo (≤ 256 KiB, type-checked), title, notes, paper size and an optional seeded risk band. The content (summary, configuration, line items, comparison, charts, assumptions) is generated from the plan.",
  access: "editor",
  idempotent: true,
  requestBody: { schema: CreateProposalBodySchema, required: true },
  responses: {
    201: { description: "The proposal and its draft version", schema: ProposalSchema, headers: { ETag: "Revision" } },
  },
});
documented({
  method: "get",
  path: "/proposals",
  tag: "Proposals",
  summary: "List proposals (optionally of one plan), oldest first",
  access: "viewer",
  query: { ...PAGE_QUERY, planId: { description: "Only proposals of this plan", schema: { type: "string" } } },
  responses: { 200: { description: "A page of proposals", schema: PageSchema(ProposalSummarySchema) } },
});
documented({
  method: "get",
  path: "/proposals/{id}",
  tag: "Proposals",
  summary: "Get a proposal with its latest version; `ETag` is its revision",
  access: "viewer",
  responses: { 200: { description: "The proposal", schema: ProposalSchema, headers: { ETag: "Revision" } } },
});
documented({
  method: "get",
  path: "/proposals/{id}.pdf",
  tag: "Proposals",
  summary: "The proposal as a PDF (latest version, or `?version=`; A4 or US Letter)",
  description:
    "Selectable text, vector charts, page numbers. The same version renders to the same bytes (dates from its issue time). A draft is marked DRAFT.",
  access: "viewer",
  query: {
    ...PAPER_QUERY,
    version: { description: "Version number (default: the latest)", schema: { type: "integer", minimum: 1 } },
  },
  responses: { 200: { description: "The PDF", contentType: "application/pdf" } },
});
documented({
  method: "patch",
  path: "/proposals/{id}",
  tag: "Proposals",
  summary: "Change a proposal: edits the draft, or starts a new draft version after an issued one",
  description: "Requires `If-Match` with the proposal's ETag (its revision). An issued version never changes.",
  access: "editor",
  idempotent: true,
  ifMatch: "required",
  requestBody: { schema: PatchProposalBodySchema, required: true },
  responses: {
    200: { description: "The proposal with its (new) draft", schema: ProposalSchema, headers: { ETag: "Revision" } },
  },
});
documented({
  method: "post",
  path: "/proposals/{id}/issue",
  tag: "Proposals",
  summary: "Issue the latest draft: it becomes immutable, with its content hash",
  description:
    "Issuing an already issued latest version returns it unchanged. `If-Match` optional. Audit: proposal.issued (with the version and its content hash).",
  access: "editor",
  idempotent: true,
  ifMatch: "optional",
  requestBody: { schema: IssueProposalBodySchema, required: false },
  responses: {
    200: { description: "The proposal with its issued version", schema: ProposalSchema, headers: { ETag: "Revision" } },
  },
});
documented({
  method: "get",
  path: "/proposals/{id}/versions",
  tag: "Proposals",
  summary: "Every version of a proposal, oldest first (no content)",
  access: "viewer",
  responses: {
    200: { description: "The versions", schema: v.object({ data: v.array(ProposalVersionSummarySchema) }) },
  },
});
documented({
  method: "get",
  path: "/proposals/{id}/versions/{version}",
  tag: "Proposals",
  summary: "One version with its inputs, content and hash",
  access: "viewer",
  responses: { 200: { description: "The version", schema: ProposalVersionSchema } },
});
documented({
  method: "get",
  path: "/proposals/{id}/versions/{version}/verification",
  tag: "Proposals",
  summary: "Regenerate a version from its pinned price book and kernel and compare content hashes",
  access: "viewer",
  responses: { 200: { description: "The comparison", schema: VerificationSchema } },
});
documented({
  method: "post",
  path: "/proposals/{id}/share-links",
  tag: "Proposals",
  summary: "Create a read-only share link to an issued version (no account needed to open it)",
  description:
    "The URL carries a 256-bit random token, shown once; only its SHA-256 is stored. Default lifetime 30 days, at most 90; revocable. Only issued versions can be shared. Audit: proposal.shared (with the link id, never the token).",
  access: "editor",
  idempotent: true,
  requestBody: { schema: CreateShareLinkBodySchema, required: false },
  responses: {
    201: { description: "The link, with its `url` and `pdfUrl` shown once", schema: CreatedShareLinkSchema },
  },
});
documented({
  method: "get",
  path: "/proposals/{id}/share-links",
  tag: "Proposals",
  summary: "List a proposal's share links (never their tokens)",
  access: "viewer",
  query: PAGE_QUERY,
  responses: { 200: { description: "A page of links", schema: PageSchema(ShareLinkSchema) } },
});
documented({
  method: "delete",
  path: "/proposals/{id}/share-links/{linkId}",
  tag: "Proposals",
  summary: "Revoke a share link: it stops working on the next request",
  access: "editor",
  responses: { 200: { description: "The revoked link", schema: ShareLinkSchema } },
});
documented({
  method: "get",
  path: "/proposals/shared/{token}",
  tag: "Proposals",
  summary: "The proposal a share link points to (the token is the only credential)",
  description: "Only the shared version's content: nothing else of the organisation. Unknown, expired or revoked: 404.",
  access: "link",
  responses: { 200: { description: "The shared proposal", schema: SharedProposalSchema } },
});
documented({
  method: "get",
  path: "/proposals/shared/{token}/proposal.pdf",
  tag: "Proposals",
  summary: "The shared proposal as a PDF",
  access: "link",
  query: PAPER_QUERY,
  responses: { 200: { description: "The PDF", contentType: "application/pdf" } },
});

// --- helpers ---------------------------------------------------------------------------------

type FieldsPatch = v.InferOutput<typeof PatchProposalBodySchema>;

async function fieldsOf(
  body: Omit<v.InferOutput<typeof CreateProposalBodySchema>, "planId">,
): Promise<{ fields: ProposalFields; risk: ProposalInputs["risk"] }> {
  let logo = null;
  if (body.vendor.logo) {
    try {
      logo = await checkLogo(body.vendor.logo, "vendor.logo");
    } catch (error) {
      if (error instanceof LogoError) {
        throw new ApiError(400, "validation_failed", `The logo is invalid: ${error.message}`, [
          { path: error.path, message: error.message },
        ]);
      }
      throw error;
    }
  }
  return {
    fields: {
      title: body.title.trim(),
      customerName: body.customerName.trim(),
      preparedBy: body.preparedBy.trim(),
      vendor: { name: body.vendor.name.trim(), accentColor: body.vendor.accentColor, logo },
      notes: body.notes ?? "",
      paperSize: body.paperSize ?? "A4",
    },
    risk: body.risk ?? null,
  };
}

/** The editable fields of a stored version's inputs, with a patch applied (logo re-checked if new). */
async function patchedFields(
  current: ProposalInputs,
  patch: FieldsPatch,
): Promise<{ fields: ProposalFields; risk: ProposalInputs["risk"] }> {
  const next = await fieldsOf({
    title: patch.title ?? current.title,
    customerName: patch.customerName ?? current.customerName,
    preparedBy: patch.preparedBy ?? current.preparedBy,
    vendor: patch.vendor ?? {
      name: current.vendor.name,
      accentColor: current.vendor.accentColor,
      logo: null,
    },
    notes: patch.notes ?? current.notes,
    paperSize: patch.paperSize ?? current.paperSize,
    risk: patch.risk === undefined ? current.risk : patch.risk,
  });
  // A patch without `vendor` keeps the stored (already checked) logo.
  if (patch.vendor === undefined) next.fields.vendor.logo = current.vendor.logo;
  return next;
}

async function generateOr400(args: Parameters<typeof generateVersion>[0]) {
  let generated;
  try {
    generated = await generateVersion(args);
  } catch (error) {
    if (error instanceof ProposalContentError)
      throw new ApiError(400, "validation_failed", error.message, [{ path: "planId", message: error.message }]);
    throw error;
  }
  const bytes =
    new TextEncoder().encode(generated.inputsJson).byteLength +
    new TextEncoder().encode(generated.outputsJson).byteLength;
  if (bytes > MAX_VERSION_JSON_BYTES) {
    throw new ApiError(
      413,
      "payload_too_large",
      `The proposal would be ${bytes} bytes of JSON, over the ${MAX_VERSION_JSON_BYTES}-byte cap: use a smaller logo or a plan with fewer options.`,
    );
  }
  return generated;
}

function proposalBody(
  summary: {
    id: string;
    planId: string;
    latestVersion: number;
    revision: number;
    createdAt: string;
    updatedAt: string;
  },
  current: ProposalVersionDto,
) {
  return { ...summary, current };
}

async function planOr404(db: Db, orgId: string, planId: string, path = "planId"): Promise<PlanDto> {
  const plan = await getPlan(db, orgId, planId);
  if (!plan)
    throw new ApiError(404, "not_found", "No such plan.", [
      { path, message: "no plan with this id in your organisation" },
    ]);
  return plan;
}

function conflictOf(outcome: ProposalWriteOutcome, expected: number): void {
  if (outcome.kind === "not_found") throw new ApiError(404, "not_found", PROPOSAL_NOT_FOUND);
  if (outcome.kind === "conflict") throw versionConflict(outcome.revision, expected);
}

function parseVersionParam(raw: string | undefined, path: string): number {
  return parseOr400(
    v.object({
      [path]: v.pipe(v.string(), v.regex(/^[1-9]\d{0,8}$/, "expected a version number (1, 2, …)"), v.transform(Number)),
    }),
    { [path]: raw ?? "" },
    "path",
  )[path] as number;
}

function paperOf(c: Context<AppEnv>, fallback: PaperSize): PaperSize {
  const raw = c.req.query("paper");
  return raw === undefined ? fallback : parseOr400(v.object({ paper: PaperSizeSchema }), { paper: raw }, "query").paper;
}

async function pdfResponse(c: Context<AppEnv>, version: ProposalVersionDto, cacheControl: string): Promise<Response> {
  const inputs = version.inputs as ProposalInputs;
  const paperSize = paperOf(c, inputs.paperSize);
  const { pdf, missingCharacters } = await renderProposalPdfWithReport({
    inputs,
    content: version.outputs as never,
    status: version.status,
    contentHash: version.contentHash,
    paperSize,
    documentDate: version.issuedAt ?? version.updatedAt,
  });
  const filename = `proposal-${inputs.proposalId}-v${version.version}${version.status === "draft" ? "-draft" : ""}-${paperSize.toLowerCase()}.pdf`;
  const headers = new Headers({
    "Content-Type": "application/pdf",
    "Content-Disposition": `inline; filename="${filename}"`,
    "Cache-Control": cacheControl,
    ETag: `"${version.contentHash}-${paperSize}"`,
    "X-Content-Type-Options": "nosniff",
  });
  // Characters the PDF font has no glyph for (printed as "?"; the PDF's last page lists them too).
  if (missingCharacters.length > 0) headers.set("X-Proposal-Missing-Characters", missingCharacters.join(" "));
  return new Response(pdf, { headers });
}

async function shareOr404(c: Context<AppEnv>): Promise<{ version: ProposalVersionDto; expiresAt: string }> {
  const token = c.req.param("token") ?? "";
  if (!token.startsWith(SHARE_TOKEN_PREFIX) || token.length > 128)
    throw new ApiError(404, "not_found", SHARE_NOT_FOUND);
  const tokenHash = await sha256Hex(token);
  await enforceRateLimit(c.env.PUBLIC_RATE_LIMITER, `share:${tokenHash.slice(0, 32)}`, true);
  const db = openDb(c.env.DB);
  const link = await findValidShareLink(db, tokenHash, nowIso());
  if (!link) throw new ApiError(404, "not_found", SHARE_NOT_FOUND);
  const version = await getProposalVersion(db, link.orgId, link.proposalId, link.version);
  if (!version || version.status !== "issued") throw new ApiError(404, "not_found", SHARE_NOT_FOUND);
  // Revocation must take effect at once: no shared or long-lived caches, no Referer leaks.
  c.header("Cache-Control", "private, no-store");
  c.header("Referrer-Policy", "no-referrer");
  c.header("X-Robots-Tag", "noindex, nofollow");
  return { version, expiresAt: link.expiresAt };
}

// --- routes ----------------------------------------------------------------------------------

/** Proposals of the caller's organisation, plus the public share-link reads. */
export const proposalRoutes = new Hono<AppEnv>()
  // Whoever works with proposals may open a PDF next: once the answer is ready, warm the
  // isolate's PDF fonts in the background (pdf.ts warmPdfFonts; once per isolate), so the first
  // PDF of an isolate is not the one that pays for the font engine (issue #19).
  .use("*", async (c, next) => {
    await next();
    // Only for callers who got a proposal (a refused or unknown request warms nothing).
    if (c.res.status >= 400) return;
    try {
      c.executionCtx.waitUntil(warmPdfFonts());
    } catch {
      // No execution context (a direct app.request in a unit test): nothing to warm for.
    }
  })
  .get("/shared/:token", async (c) => {
    const { version, expiresAt } = await shareOr404(c);
    return c.json({
      version: version.version,
      issuedAt: version.issuedAt,
      contentHash: version.contentHash,
      priceBookVersion: version.priceBookVersion,
      engineVersion: version.engineVersion,
      expiresAt,
      inputs: version.inputs,
      outputs: version.outputs,
    });
  })
  .get("/shared/:token/proposal.pdf", async (c) => {
    const { version } = await shareOr404(c);
    const response = await pdfResponse(c, version, "private, no-store");
    // pdfResponse builds its own headers: repeat what shareOr404 set on the context.
    response.headers.set("Referrer-Policy", "no-referrer");
    response.headers.set("X-Robots-Tag", "noindex, nofollow");
    return response;
  })
  .post("/", requireRole("editor"), async (c) => {
    const body = await jsonBody(c, CreateProposalBodySchema);
    const principal = principalOf(c);
    const { planId, ...rest } = body;
    const { fields, risk } = await fieldsOf(rest);
    return idempotent(c, body, async (db, complete) => {
      const plan = await planOr404(db, principal.orgId, planId);
      const id = randomId("prp");
      const createdAt = nowIso();
      const generated = await generateOr400({ plan, fields, proposalId: id, version: 1, risk, issuedAt: null });
      const row = {
        orgId: principal.orgId,
        proposalId: id,
        version: 1,
        inputsJson: generated.inputsJson,
        outputsJson: generated.outputsJson,
        priceBookVersion: generated.priceBookVersion,
        engineVersion: generated.engineVersion,
        contentHash: generated.contentHash,
        createdByKeyId: principal.id,
        createdAt,
      };
      const summary = { id, planId, latestVersion: 1, revision: 1, createdAt, updatedAt: createdAt };
      const outcome: WriteOutcome = {
        status: 201,
        body: proposalBody(summary, newVersionDto(row)),
        headers: { ETag: etagOf(1), Location: `/api/v1/proposals/${id}` },
      };
      const created = await createProposal(
        db,
        { id, orgId: principal.orgId, planId, createdByKeyId: principal.id, createdAt },
        row,
        complete(outcome),
      );
      if (!created) throw new ApiError(404, "not_found", "No such plan.");
      return outcome;
    });
  })
  .get("/", requireRole("viewer"), async (c) => {
    const { limit, cursor } = parsePageQuery(c);
    const planId = parseOr400(
      v.object({ planId: v.optional(v.pipe(v.string(), v.maxBytes(64, "expected at most 64 bytes"))) }),
      { planId: c.req.query("planId") },
      "query",
    ).planId;
    const rows = await listProposals(openDb(c.env.DB), principalOf(c).orgId, planId ?? null, limit, cursor);
    return c.json(toPage(rows, limit, (row) => ({ after: row.createdAt, id: row.id })));
  })
  .get("/:id", requireRole("viewer"), async (c, next) => {
    const id = c.req.param("id");
    if (id.endsWith(".pdf")) return next();
    const db = openDb(c.env.DB);
    const orgId = principalOf(c).orgId;
    const proposal = await getProposal(db, orgId, id);
    const current = proposal && (await getProposalVersion(db, orgId, id, proposal.latestVersion));
    if (!proposal || !current) throw new ApiError(404, "not_found", PROPOSAL_NOT_FOUND);
    c.header("ETag", etagOf(proposal.revision));
    return c.json(proposalBody(proposal, current));
  })
  .get("/:id.pdf", requireRole("viewer"), async (c, next) => {
    const file = c.req.param("id.pdf");
    if (!file.endsWith(".pdf")) return next();
    const id = file.slice(0, -".pdf".length);
    const db = openDb(c.env.DB);
    const orgId = principalOf(c).orgId;
    const proposal = await getProposal(db, orgId, id);
    if (!proposal) throw new ApiError(404, "not_found", PROPOSAL_NOT_FOUND);
    const rawVersion = c.req.query("version");
    const number = rawVersion === undefined ? proposal.latestVersion : parseVersionParam(rawVersion, "version");
    const version = await getProposalVersion(db, orgId, id, number);
    if (!version) throw new ApiError(404, "not_found", "No such version of this proposal.");
    // Not cached even when issued (immutable): a copy would outlive a revoked key or member.
    return pdfResponse(c, version, "private, no-store");
  })
  .patch("/:id", requireRole("editor"), async (c) => {
    const expected = requireIfMatch(c);
    const body = await jsonBody(c, PatchProposalBodySchema);
    const principal = principalOf(c);
    const id = c.req.param("id");
    return idempotent(c, { ifMatch: expected, body }, async (db, complete) => {
      const proposal = await getProposal(db, principal.orgId, id);
      if (!proposal) throw new ApiError(404, "not_found", PROPOSAL_NOT_FOUND);
      if (proposal.revision !== expected) throw versionConflict(proposal.revision, expected);
      const latest = await getProposalVersion(db, principal.orgId, id, proposal.latestVersion);
      if (!latest) throw new ApiError(404, "not_found", PROPOSAL_NOT_FOUND);
      const plan = await planOr404(db, principal.orgId, proposal.planId);
      const { fields, risk } = await patchedFields(latest.inputs as ProposalInputs, body);
      const now = nowIso();
      const versionNumber = latest.status === "draft" ? latest.version : latest.version + 1;
      const generated = await generateOr400({
        plan,
        fields,
        proposalId: id,
        version: versionNumber,
        risk,
        issuedAt: null,
      });
      const row = {
        orgId: principal.orgId,
        proposalId: id,
        version: versionNumber,
        inputsJson: generated.inputsJson,
        outputsJson: generated.outputsJson,
        priceBookVersion: generated.priceBookVersion,
        engineVersion: generated.engineVersion,
        contentHash: generated.contentHash,
        createdByKeyId: principal.id,
        createdAt: latest.status === "draft" ? latest.createdAt : now,
      };
      const current = { ...newVersionDto(row), updatedAt: now };
      const outcome: WriteOutcome = {
        status: 200,
        body: proposalBody(
          { ...proposal, latestVersion: versionNumber, revision: expected + 1, updatedAt: now },
          current,
        ),
        headers: { ETag: etagOf(expected + 1) },
      };
      const result =
        latest.status === "draft"
          ? await updateDraft(
              db,
              principal.orgId,
              id,
              expected,
              latest.version,
              { ...generated, updatedAt: now },
              complete(outcome),
            )
          : await addVersion(db, expected, row, complete(outcome));
      conflictOf(result, expected);
      return outcome;
    });
  })
  .post("/:id/issue", requireRole("editor"), async (c) => {
    const ifMatch = parseIfMatch(c);
    const body = await optionalJsonBody(c, IssueProposalBodySchema);
    const principal = principalOf(c);
    const id = c.req.param("id");
    return idempotent(c, { ifMatch, body }, async (db, complete) => {
      const proposal = await getProposal(db, principal.orgId, id);
      if (!proposal) throw new ApiError(404, "not_found", PROPOSAL_NOT_FOUND);
      if (ifMatch !== null && proposal.revision !== ifMatch) throw versionConflict(proposal.revision, ifMatch);
      const latest = await getProposalVersion(db, principal.orgId, id, proposal.latestVersion);
      if (!latest) throw new ApiError(404, "not_found", PROPOSAL_NOT_FOUND);
      if (latest.status === "issued") {
        // Issuing is idempotent: the issued version stands as it is.
        return { status: 200, body: proposalBody(proposal, latest), headers: { ETag: etagOf(proposal.revision) } };
      }
      const plan = await planOr404(db, principal.orgId, proposal.planId);
      const inputs = latest.inputs as ProposalInputs;
      const { proposalId: _p, version: _v, plan: _plan, risk, issuedAt: _i, ...fields } = inputs;
      const issuedAt = nowIso();
      // The final content carries the issue date (it is printed), so the hash is computed now.
      const generated = await generateOr400({ plan, fields, proposalId: id, version: latest.version, risk, issuedAt });
      const revision = proposal.revision + 1;
      const current: ProposalVersionDto = {
        ...latest,
        status: "issued",
        contentHash: generated.contentHash,
        updatedAt: issuedAt,
        issuedAt,
        inputs: generated.inputs,
        outputs: generated.content,
      };
      const outcome: WriteOutcome = {
        status: 200,
        body: proposalBody({ ...proposal, revision, updatedAt: issuedAt }, current),
        headers: { ETag: etagOf(revision) },
      };
      const result = await issueVersion(
        db,
        principal.orgId,
        id,
        proposal.revision,
        latest.version,
        { ...generated, issuedAt, issuedByKeyId: principal.id },
        [
          // Audited in the same batch as the issue (docs/accounts.md: proposal issued/shared).
          auditStatement(
            db,
            {
              orgId: principal.orgId,
              actor: actorOf(principal),
              action: "proposal.issued",
              target: { kind: "proposal", id },
              detail: { version: latest.version, contentHash: generated.contentHash },
            },
            issuedAt,
          ),
          ...complete(outcome),
        ],
      );
      conflictOf(result, proposal.revision);
      return outcome;
    });
  })
  .get("/:id/versions", requireRole("viewer"), async (c) => {
    const db = openDb(c.env.DB);
    const orgId = principalOf(c).orgId;
    const id = c.req.param("id");
    if (!(await getProposal(db, orgId, id))) throw new ApiError(404, "not_found", PROPOSAL_NOT_FOUND);
    return c.json({ data: await listProposalVersions(db, orgId, id) });
  })
  .get("/:id/versions/:version", requireRole("viewer"), async (c) => {
    const number = parseVersionParam(c.req.param("version"), "version");
    const version = await getProposalVersion(openDb(c.env.DB), principalOf(c).orgId, c.req.param("id"), number);
    if (!version) throw new ApiError(404, "not_found", "No such version of this proposal.");
    return c.json(version);
  })
  .get("/:id/versions/:version/verification", requireRole("viewer"), async (c) => {
    const number = parseVersionParam(c.req.param("version"), "version");
    const db = openDb(c.env.DB);
    const orgId = principalOf(c).orgId;
    const id = c.req.param("id");
    const proposal = await getProposal(db, orgId, id);
    const version = proposal && (await getProposalVersion(db, orgId, id, number));
    if (!proposal || !version) throw new ApiError(404, "not_found", "No such version of this proposal.");
    const plan = await planOr404(db, orgId, proposal.planId);
    return c.json(await verifyVersion({ plan, stored: { ...version, proposalId: id }, solver: isolateSolver }));
  })
  .post("/:id/share-links", requireRole("editor"), async (c) => {
    const body = await optionalJsonBody(c, CreateShareLinkBodySchema);
    const principal = principalOf(c);
    const id = c.req.param("id");
    return idempotent(c, body, async (db, complete) => {
      const proposal = await getProposal(db, principal.orgId, id);
      if (!proposal) throw new ApiError(404, "not_found", PROPOSAL_NOT_FOUND);
      const target =
        body.version === undefined
          ? await latestIssuedVersion(db, principal.orgId, id)
          : await getProposalVersion(db, principal.orgId, id, body.version);
      if (!target || target.status !== "issued") {
        throw new ApiError(
          409,
          "conflict",
          body.version === undefined
            ? "Issue the proposal before sharing it: only issued versions can be shared."
            : `Version ${body.version} is not issued: only issued versions can be shared.`,
          [{ path: "version", message: "expected an issued version" }],
        );
      }
      const token = generateSecret(SHARE_TOKEN_PREFIX);
      const createdAt = nowIso();
      const row = {
        id: randomId("shr"),
        orgId: principal.orgId,
        proposalId: id,
        version: target.version,
        tokenHash: await sha256Hex(token),
        createdByKeyId: principal.id,
        createdAt,
        expiresAt: new Date(
          Date.parse(createdAt) + (body.expiresInSeconds ?? DEFAULT_SHARE_TTL_SECONDS) * 1000,
        ).toISOString(),
      };
      const origin = new URL(c.req.url).origin;
      const dto = newShareLinkDto(row);
      const headers = { "Cache-Control": "no-store" };
      // As with keys and export links, the stored replay omits the secret: no token reaches D1.
      const created = await createShareLink(db, row, [
        auditStatement(
          db,
          {
            orgId: principal.orgId,
            actor: actorOf(principal),
            action: "proposal.shared",
            target: { kind: "proposal", id },
            detail: { linkId: row.id, version: target.version, expiresAt: row.expiresAt },
          },
          createdAt,
        ),
        ...complete({ status: 201, body: { ...dto, url: null, pdfUrl: null }, headers }),
      ]);
      if (!created) throw new ApiError(404, "not_found", PROPOSAL_NOT_FOUND);
      return {
        status: 201 as const,
        body: {
          ...dto,
          url: `${origin}/share/${token}`,
          pdfUrl: `${origin}/api/v1/proposals/shared/${token}/proposal.pdf`,
        },
        headers,
      };
    });
  })
  .get("/:id/share-links", requireRole("viewer"), async (c) => {
    const { limit, cursor } = parsePageQuery(c);
    const db = openDb(c.env.DB);
    const orgId = principalOf(c).orgId;
    const id = c.req.param("id");
    if (!(await getProposal(db, orgId, id))) throw new ApiError(404, "not_found", PROPOSAL_NOT_FOUND);
    const rows = await listShareLinks(db, orgId, id, limit, cursor);
    return c.json(toPage(rows, limit, (row) => ({ after: row.createdAt, id: row.id })));
  })
  .delete("/:id/share-links/:linkId", requireRole("editor"), async (c) => {
    const link = await revokeShareLink(
      openDb(c.env.DB),
      principalOf(c).orgId,
      c.req.param("id"),
      c.req.param("linkId"),
      nowIso(),
    );
    if (!link) throw new ApiError(404, "not_found", "No such share link.");
    return c.json(link);
  });
