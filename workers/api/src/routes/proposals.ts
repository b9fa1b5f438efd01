import { Hono } from "hono";
import type { AppEnv } from "../app.ts";
import { principalOf, requireRole } from "../auth.ts";
import { ApiError } from "../errors.ts";
import { etagOf, versionConflict } from "../etag.ts";
import { type WriteOutcome, idempotent } from "../idempotency.ts";
import { actorOf, auditStatement } from "../services/audit.ts";
import { pageOf, toPage } from "../pagination.ts";
import { type ProposalInputs } from "../proposals/content.ts";
import { verifyVersion } from "../proposals/generate.ts";
import { warmPdfFonts } from "../proposals/pdf.ts";
import { DEFAULT_SHARE_TTL_SECONDS } from "../proposals/schemas.ts";
import { randomId } from "../request-id.ts";
import { computed } from "../compute.ts";
import type { PlanContent, PlanOptimiseOption } from "../planner.ts";
import type { ComputeOutcome } from "../../../compute/src/outcome.ts";
import type { OrgQuote } from "@aifp/catalog";
import { nowIso, openDb } from "../services/db.ts";
import {
  type ProposalVersionDto,
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
  listShareLinks,
  newShareLinkDto,
  revokeShareLink,
} from "../services/proposals-share.ts";
import { generateSecret, sha256Hex } from "../services/secrets.ts";
import {
  proposalChange,
  proposalCreation,
  proposalIssue,
  proposalListing,
  proposalPdf,
  shareLinkCreation,
  shareLinkListing,
  sharedPdf,
} from "./proposals-openapi.ts";
import {
  PROPOSAL_NOT_FOUND,
  conflictOf,
  fieldsOf,
  generateOr400,
  parseVersionParam,
  patchedFields,
  pdfResponse,
  planOr404,
  proposalBody,
  shareOr404,
} from "./proposals-helpers.ts";

/**
 * Proposals (docs/proposals.md): from a stored plan to a branded proposal, issued as immutable
 * versions, as a PDF (`GET /proposals/{id}.pdf`) and through read-only share links that work
 * without an account. Editors create, change and issue; viewers read.
 */

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
  .get("/shared/:token/proposal.pdf", sharedPdf, async (c) => {
    const { version } = await shareOr404(c);
    const response = await pdfResponse(c, version, "private, no-store", c.req.valid("query").paper);
    // pdfResponse builds its own headers: repeat what shareOr404 set on the context.
    response.headers.set("Referrer-Policy", "no-referrer");
    response.headers.set("X-Robots-Tag", "noindex, nofollow");
    return response;
  })
  .post("/", requireRole("editor"), proposalCreation, async (c) => {
    const body = c.req.valid("json");
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
  .get("/", requireRole("viewer"), proposalListing, async (c) => {
    const { planId, ...page } = c.req.valid("query");
    const { limit, cursor } = pageOf(page);
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
  .get("/:id.pdf", requireRole("viewer"), proposalPdf, async (c, next) => {
    const file = c.req.param("id.pdf");
    if (!file.endsWith(".pdf")) return next();
    const id = file.slice(0, -".pdf".length);
    const db = openDb(c.env.DB);
    const orgId = principalOf(c).orgId;
    const proposal = await getProposal(db, orgId, id);
    if (!proposal) throw new ApiError(404, "not_found", PROPOSAL_NOT_FOUND);
    const query = c.req.valid("query");
    const version = await getProposalVersion(db, orgId, id, query.version ?? proposal.latestVersion);
    if (!version) throw new ApiError(404, "not_found", "No such version of this proposal.");
    // Not cached even when issued (immutable): a copy would outlive a revoked key or member.
    return pdfResponse(c, version, "private, no-store", query.paper);
  })
  .patch("/:id", requireRole("editor"), proposalChange, async (c) => {
    const expected = c.req.valid("header").ifMatch;
    const body = c.req.valid("json");
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
  .post("/:id/issue", requireRole("editor"), proposalIssue, async (c) => {
    const ifMatch = c.req.valid("header").ifMatch;
    const body = c.req.valid("json");
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
    const evaluatePlan = (scenario: unknown, optimise: PlanOptimiseOption, quotes: OrgQuote[]) =>
      computed(c.env.COMPUTE.plan(scenario, optimise, quotes) as Promise<ComputeOutcome<PlanContent>>);
    return c.json(await verifyVersion({ plan, stored: { ...version, proposalId: id }, evaluatePlan }));
  })
  .post("/:id/share-links", requireRole("editor"), shareLinkCreation, async (c) => {
    const body = c.req.valid("json");
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
  .get("/:id/share-links", requireRole("viewer"), shareLinkListing, async (c) => {
    const { limit, cursor } = pageOf(c.req.valid("query"));
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
