import type {
  ActiveOrg,
  AuditEvent,
  CreateInvitationBody,
  CreatedInvitation,
  CreateMyOrgBody,
  Invitation,
  InvitationAccepted,
  InvitationPreview,
  Me,
  Member,
  MyOrgCreated,
  PatchMemberBody,
  SignedIn,
  SignedOut,
  SignInBody,
  SignUpBody,
  SwitchOrgBody,
} from "./accounts.ts";
import type * as v from "valibot";
import type { Health } from "./health.ts";
import type { Job } from "./jobs.ts";
import type { Proposal, SharedProposal } from "./proposal-content.ts";
import type {
  CreatedShareLink,
  CreateProposalBody,
  CreateShareLinkBody,
  PatchProposalBody,
  ShareLink,
} from "./proposals.ts";
import type { PlanListQuerySchema, QuoteListQuerySchema } from "./queries.ts";
import type { CreateQuoteBody, PatchQuoteBody, Quote } from "./quotes.ts";
import type { ApiKey, CreatedApiKey, CreateKeyBody, CreatePlanBody, Page, PlanSummary } from "./resources.ts";
import type { CreateScenarioBody, PatchScenarioBody, Plan, StoredScenario } from "./scenarios.ts";

/**
 * The routes of `/api/v1` a typed client may call, keyed `"METHOD /path"` with the path written
 * as in the OpenAPI document (`{id}` for a path parameter): what each takes (`body`, `query`) and
 * what its success answers (`response`). Types only: the web app's client (`apps/web/src/lib/
 * api-client.ts`) is keyed by it, and the API's test checks every key is a documented route
 * (workers/api/test/openapi.test.ts), so a key cannot outlive its route.
 */
export interface ApiRoutes {
  "GET /health": { response: Health };

  "GET /me": { response: Me };
  "POST /me/orgs": { body: CreateMyOrgBody; response: MyOrgCreated };
  "POST /me/active-org": { body: SwitchOrgBody; response: ActiveOrg };
  "POST /auth/sign-up/email": { body: SignUpBody; response: SignedIn };
  "POST /auth/sign-in/email": { body: SignInBody; response: SignedIn };
  "POST /auth/sign-out": { body: Record<string, never>; response: SignedOut };

  "GET /members": { query: PageQuery; response: Page<Member> };
  "PATCH /members/{id}": { body: PatchMemberBody; response: Member };
  "DELETE /members/{id}": { response: null };
  "GET /invitations": { query: PageQuery; response: Page<Invitation> };
  "POST /invitations": { body: CreateInvitationBody; response: CreatedInvitation };
  "DELETE /invitations/{id}": { response: Invitation };
  "POST /invitations/preview": { body: { token: string }; response: InvitationPreview };
  "POST /invitations/accept": { body: { token: string }; response: InvitationAccepted };
  "GET /keys": { query: PageQuery; response: Page<ApiKey> };
  "POST /keys": { body: CreateKeyBody; response: CreatedApiKey };
  "DELETE /keys/{id}": { response: ApiKey };
  "GET /audit": { query: PageQuery; response: Page<AuditEvent> };

  "GET /quotes": {
    query: ListQuery<typeof QuoteListQuerySchema>;
    response: Page<Quote>;
  };
  "GET /quotes/{id}": { response: Quote };
  "POST /quotes": { body: CreateQuoteBody; response: Quote };
  "PATCH /quotes/{id}": { body: PatchQuoteBody; response: Quote };
  "DELETE /quotes/{id}": { response: null };

  "GET /scenarios": { query: PageQuery; response: Page<StoredScenarioSummary> };
  "GET /scenarios/{id}": { response: StoredScenario };
  "POST /scenarios": { body: CreateScenarioBody; response: StoredScenario };
  "PATCH /scenarios/{id}": { body: PatchScenarioBody; response: StoredScenario };
  "DELETE /scenarios/{id}": { response: null };
  /** 201 with the plan, or 202 with a job when the plan is computed in the background. */
  "POST /scenarios/{id}/plans": { body: CreatePlanBody; response: Plan | Job };
  "GET /plans": { query: ListQuery<typeof PlanListQuerySchema>; response: Page<PlanSummary> };

  "GET /proposals/{id}": { response: Proposal };
  "POST /proposals": { body: CreateProposalBody; response: Proposal };
  "PATCH /proposals/{id}": { body: PatchProposalBody; response: Proposal };
  "POST /proposals/{id}/issue": { body: Record<string, never>; response: Proposal };
  "GET /proposals/{id}/share-links": { query: PageQuery; response: Page<ShareLink> };
  "POST /proposals/{id}/share-links": { body: CreateShareLinkBody; response: CreatedShareLink };
  "DELETE /proposals/{id}/share-links/{linkId}": { response: ShareLink };
  /** No account: the token in the path is the credential. */
  "GET /proposals/shared/{token}": { response: SharedProposal };
}

/** `?limit=` (1–100, default 50) and `?cursor=` of every list. */
export interface PageQuery {
  limit?: number;
  cursor?: string;
}

/** A list's query as a client writes it: the page, and the list's own filters from its schema. */
type ListQuery<TSchema extends v.GenericSchema> = PageQuery & Omit<v.InferInput<TSchema>, keyof PageQuery>;

/** One row of `GET /scenarios` (the summary; `GET /scenarios/{id}` has the scenario). */
type StoredScenarioSummary = Omit<StoredScenario, "scenario" | "webPlan">;

/** A route key of {@link ApiRoutes}. */
export type ApiRoute = keyof ApiRoutes;
