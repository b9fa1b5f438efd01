/**
 * The declarations of the proposal routes (`proposals.ts`), registered once at import: each
 * exported one is the middleware that validates that route's input (`documented()`).
 */
import * as v from "valibot";
import { documented } from "../openapi-registry.ts";
import {
  CreateProposalBodySchema,
  CreateShareLinkBodySchema,
  CreatedShareLinkSchema,
  IssueProposalBodySchema,
  PatchProposalBodySchema,
  ProposalSchema,
  ProposalSummarySchema,
  ProposalVersionSchema,
  ProposalVersionSummarySchema,
  ShareLinkSchema,
  SharedProposalSchema,
  VerificationSchema,
} from "../proposals/schemas.ts";
import { PageSchema } from "../schemas.ts";
import {
  PageQuerySchema,
  ProposalListQuerySchema,
  ProposalPdfQuerySchema,
  SharedPdfQuerySchema,
} from "@aifp/contracts/api";

export const proposalCreation = documented({
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
export const proposalListing = documented({
  method: "get",
  path: "/proposals",
  tag: "Proposals",
  summary: "List proposals (optionally of one plan), oldest first",
  access: "viewer",
  query: ProposalListQuerySchema,
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
export const proposalPdf = documented({
  method: "get",
  path: "/proposals/{id}.pdf",
  tag: "Proposals",
  summary: "The proposal as a PDF (latest version, or `?version=`; A4 or US Letter)",
  description:
    "Selectable text, vector charts, page numbers. The same version renders to the same bytes (dates from its issue time). A draft is marked DRAFT.",
  access: "viewer",
  query: ProposalPdfQuerySchema,
  responses: { 200: { description: "The PDF", contentType: "application/pdf" } },
});
export const proposalChange = documented({
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
export const proposalIssue = documented({
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
export const shareLinkCreation = documented({
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
export const shareLinkListing = documented({
  method: "get",
  path: "/proposals/{id}/share-links",
  tag: "Proposals",
  summary: "List a proposal's share links (never their tokens)",
  access: "viewer",
  query: PageQuerySchema,
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
export const sharedPdf = documented({
  method: "get",
  path: "/proposals/shared/{token}/proposal.pdf",
  tag: "Proposals",
  summary: "The shared proposal as a PDF",
  access: "link",
  query: SharedPdfQuerySchema,
  responses: { 200: { description: "The PDF", contentType: "application/pdf" } },
});
