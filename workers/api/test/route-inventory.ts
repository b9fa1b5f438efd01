/**
 * The one route inventory of the API tests (issue #20, item of #19): every route the API serves,
 * once, with what the tenant and role matrices need to call it with organisation A's objects: a
 * valid body for each write (so a refusal can only come from identity, role or tenancy) and an
 * org-A id for each path parameter. `tenant-matrix.test.ts` and `accounts-matrix.test.ts` both
 * read it; `route-inventory.test.ts` fails when the OpenAPI document or the hono app has a route
 * missing here (or this lists one they no longer have). A new route: add one line below.
 */
import type { RouteSpec } from "../src/openapi-registry.ts";
import { smallScenario } from "./fixtures.ts";

/** Organisation A's objects the matrices target (the matrices without some leave them unset). */
export interface OrgATargets {
  orgId: string;
  scenarioId: string;
  planId: string;
  linkId: string;
  keyId: string;
  quoteId: string;
  jobId: string;
  memberId?: string;
  invitationId?: string;
  proposalId?: string;
  shareLinkId?: string;
}

/** One inventory row: the body a valid call of the route sends (writes that take one). */
export interface RouteEntry {
  body?: (targets: OrgATargets) => unknown;
}

const empty = (): unknown => ({});

/** Every route, as `"<method> <OpenAPI path>"` (paths relative to `/api/v1`). */
export const ROUTE_INVENTORY: Record<string, RouteEntry> = {
  // Public and link routes: no tenant, no matrix row; listed so the inventory is complete.
  "get /openapi.json": {},
  "get /health": {},
  "post /evaluate": {},
  "post /optimise": {},
  "post /risk": {},
  "get /catalog/accelerators": {},
  "get /catalog/servers": {},
  "get /catalog/cloud-offers": {},
  "get /catalog/throughput": {},
  "get /catalog/regions": {},
  "get /catalog/models": {},
  "get /catalog/generations": {},
  "get /catalog/token-prices": {},
  "get /price-books": {},
  "get /price-books/{id}/versions/{version}": {},
  "get /links/{token}": {},
  "post /orgs": {},
  "get /proposals/shared/{token}": {},
  "get /proposals/shared/{token}/proposal.pdf": {},
  "post /auth/sign-up/email": {},
  "post /auth/sign-in/email": {},
  "post /auth/sign-out": {},
  "post /invitations/preview": {},
  "get /me": {},
  // Organisation routes (viewer, editor, admin).
  "get /quotes": {},
  "post /quotes": {
    body: () => ({
      targetKind: "sku",
      targetId: "dell-poweredge-xe9680",
      unitPriceUsd: 1000,
      validUntil: "2099-12-31",
    }),
  },
  "get /quotes/{id}": {},
  "patch /quotes/{id}": { body: () => ({ unitPriceUsd: 1 }) },
  "delete /quotes/{id}": {},
  "post /keys": { body: () => ({ name: "intruder", role: "admin" }) },
  "get /keys": {},
  "get /keys/{id}": {},
  "delete /keys/{id}": {},
  "get /orgs": {},
  "get /orgs/{id}": {},
  "get /plans": {},
  "get /plans/{id}": {},
  "get /plans/{id}/monthly.csv": {},
  "get /plans/{id}/summary.csv": {},
  "get /plans/{id}/plan.xlsx": {},
  "post /plans/{id}/links": { body: () => ({ format: "monthly.csv" }) },
  "get /plans/{id}/links": {},
  "delete /plans/{id}/links/{linkId}": {},
  "post /proposals": {
    body: (targets) => ({
      planId: targets.planId,
      title: "T",
      customerName: "C",
      preparedBy: "P",
      vendor: { name: "V", accentColor: "#123456" },
    }),
  },
  "get /proposals": {},
  "get /proposals/{id}": {},
  "patch /proposals/{id}": { body: () => ({ customerName: "hijacked" }) },
  "get /proposals/{id}.pdf": {},
  "post /proposals/{id}/issue": { body: empty },
  "get /proposals/{id}/versions": {},
  "get /proposals/{id}/versions/{version}": {},
  "get /proposals/{id}/versions/{version}/verification": {},
  "post /proposals/{id}/share-links": { body: empty },
  "get /proposals/{id}/share-links": {},
  "delete /proposals/{id}/share-links/{linkId}": {},
  "post /scenarios": { body: () => ({ scenario: smallScenario("matrix") }) },
  "get /scenarios": {},
  "get /scenarios/{id}": {},
  "patch /scenarios/{id}": { body: () => ({ name: "hijacked" }) },
  "delete /scenarios/{id}": {},
  "post /scenarios/{id}/plans": { body: empty },
  "get /jobs/{id}": {},
  "get /audit": {},
  "post /invitations": { body: () => ({ role: "admin" }) },
  "get /invitations": {},
  "get /invitations/{id}": {},
  "delete /invitations/{id}": {},
  "get /members": {},
  "get /members/{id}": {},
  "patch /members/{id}": { body: () => ({ role: "admin" }) },
  "delete /members/{id}": {},
  // Person-only routes (a signed-in person, any or no organisation).
  "post /invitations/accept": { body: () => ({ token: "aifp_inv_x" }) },
  "post /me/orgs": { body: () => ({ name: "x" }) },
  "post /me/active-org": { body: (targets) => ({ orgId: targets.orgId }) },
};

/** A route's inventory key: `"post /scenarios/{id}/plans"`. */
export const routeKey = (spec: Pick<RouteSpec, "method" | "path">): string => `${spec.method} ${spec.path}`;

function entryOf(spec: RouteSpec): RouteEntry {
  const entry = ROUTE_INVENTORY[routeKey(spec)];
  if (!entry) throw new Error(`${routeKey(spec)} is not in the route inventory: add it to test/route-inventory.ts`);
  return entry;
}

/** The valid body of a call (undefined for routes without one); throws for a write that needs one and has none. */
export function validBody(spec: RouteSpec, targets: OrgATargets): unknown {
  const entry = entryOf(spec);
  if (entry.body) return entry.body(targets);
  if (spec.method === "post" || spec.method === "patch")
    throw new Error(`No valid body for ${routeKey(spec)}: give it one in test/route-inventory.ts`);
  return undefined;
}

/** The route's path with organisation A's object for each parameter (by the path's first segment). */
export function concretePath(spec: RouteSpec, targets: OrgATargets): string {
  entryOf(spec);
  const family = spec.path.split("/")[1];
  return spec.path.replace(/\{(\w+)\}/g, (_match, name: string) => {
    const id =
      name === "linkId"
        ? family === "proposals"
          ? targets.shareLinkId
          : targets.linkId
        : name === "version"
          ? "1"
          : {
              proposals: targets.proposalId,
              scenarios: targets.scenarioId,
              plans: targets.planId,
              keys: targets.keyId,
              orgs: targets.orgId,
              members: targets.memberId,
              invitations: targets.invitationId,
              quotes: targets.quoteId,
              jobs: targets.jobId,
            }[family ?? ""];
    if (id === undefined)
      throw new Error(`No org-A object for {${name}} in ${spec.path}: extend OrgATargets in test/route-inventory.ts`);
    return id;
  });
}

/** Every table that holds an organisation's rows (`org_id`): a matrix checks A's are unchanged. */
export const TENANT_TABLES = [
  "api_keys",
  "scenarios",
  "plans",
  "export_links",
  "idempotency_keys",
  "memberships",
  "invitations",
  "audit_events",
  "proposals",
  "proposal_versions",
  "proposal_share_links",
  "org_quotes",
  "jobs",
] as const;
