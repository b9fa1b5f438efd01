/**
 * What the proposal routes (`proposals.ts`) share: the editable fields with a checked logo,
 * generation with its size cap, lookups that answer 404, version and paper parameters, the PDF
 * response and the share-link check.
 */
import { type Context } from "hono";
import * as v from "valibot";
import type { AppEnv } from "../app.ts";
import { ApiError } from "../errors.ts";
import { versionConflict } from "../etag.ts";
import {
  ProposalContentError,
  type PaperSize,
  type ProposalFields,
  type ProposalInputs,
} from "../proposals/content.ts";
import { generateVersion } from "../proposals/generate.ts";
import { LogoError, checkLogo } from "../proposals/logo.ts";
import { renderProposalPdfWithReport } from "../proposals/pdf.ts";
import type { CreateProposalBodySchema, PatchProposalBodySchema } from "../proposals/schemas.ts";
import { enforceRateLimit } from "../rate-limit.ts";
import { nowIso, openDb, type Db } from "../services/db.ts";
import { type PlanDto, getPlan } from "../services/plans.ts";
import {
  type ProposalSummaryDto,
  type ProposalVersionDto,
  type ProposalWriteOutcome,
  getProposalVersion,
} from "../services/proposals.ts";
import { SHARE_TOKEN_PREFIX, findValidShareLink } from "../services/proposals-share.ts";
import { sha256Hex } from "../services/secrets.ts";
import { parseOr400 } from "../validation.ts";

export const PROPOSAL_NOT_FOUND = "No such proposal.";
export const SHARE_NOT_FOUND = "No such proposal link, or it expired or was revoked.";
/** Most bytes of one version's inputs + outputs JSON (D1 rows hold 2 MB; the idempotency row repeats it). */
export const MAX_VERSION_JSON_BYTES = 900_000;

type FieldsPatch = v.InferOutput<typeof PatchProposalBodySchema>;

export async function fieldsOf(
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
export async function patchedFields(
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

export async function generateOr400(args: Parameters<typeof generateVersion>[0]) {
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

export function proposalBody(summary: ProposalSummaryDto, current: ProposalVersionDto) {
  return { ...summary, current };
}

export async function planOr404(db: Db, orgId: string, planId: string, path = "planId"): Promise<PlanDto> {
  const plan = await getPlan(db, orgId, planId);
  if (!plan)
    throw new ApiError(404, "not_found", "No such plan.", [
      { path, message: "no plan with this id in your organisation" },
    ]);
  return plan;
}

export function conflictOf(outcome: ProposalWriteOutcome, expected: number): void {
  if (outcome.kind === "not_found") throw new ApiError(404, "not_found", PROPOSAL_NOT_FOUND);
  if (outcome.kind === "conflict") throw versionConflict(outcome.revision, expected);
}

export function parseVersionParam(raw: string | undefined, path: string): number {
  return parseOr400(
    v.object({
      [path]: v.pipe(v.string(), v.regex(/^[1-9]\d{0,8}$/, "expected a version number (1, 2, …)"), v.transform(Number)),
    }),
    { [path]: raw ?? "" },
    "path",
  )[path] as number;
}

export async function pdfResponse(
  c: Context<AppEnv>,
  version: ProposalVersionDto,
  cacheControl: string,
  /** `?paper=`, validated; default the proposal's own. */
  paper: PaperSize | undefined,
): Promise<Response> {
  const inputs = version.inputs as ProposalInputs;
  const paperSize = paper ?? inputs.paperSize;
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

export async function shareOr404(c: Context<AppEnv>): Promise<{ version: ProposalVersionDto; expiresAt: string }> {
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
