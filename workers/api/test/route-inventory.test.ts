import { describe, expect, it } from "vitest";
import { app } from "../src/app.ts";
import { specPathOf } from "../src/auth.ts";
import { openApiDocument } from "../src/openapi.ts";
import { ROUTE_SPECS } from "../src/openapi-registry.ts";
import { ROUTE_INVENTORY, concretePath, routeKey, validBody, type OrgATargets } from "./route-inventory.ts";

/**
 * The route inventory (test/route-inventory.ts) against the two places routes really live: the
 * OpenAPI document clients read and the hono app that serves. A route added to either and not to
 * the inventory fails here, before a matrix silently skips it; so does an inventory line for a
 * route that no longer exists. Also deny by default: every served route declares its access.
 */

const METHODS = new Set(["get", "post", "put", "patch", "delete"]);
const inventory = new Set(Object.keys(ROUTE_INVENTORY));

/** `"<method> <path>"` of every operation in the OpenAPI document. */
function documentedRoutes(): string[] {
  const paths = (openApiDocument() as { paths: Record<string, Record<string, unknown>> }).paths;
  return Object.entries(paths).flatMap(([path, operations]) =>
    Object.keys(operations)
      .filter((method) => METHODS.has(method))
      .map((method) => `${method} ${path}`),
  );
}

/** `"<method> <path>"` of every route the hono app serves (the human docs page aside). */
function servedRoutes(): string[] {
  return [
    ...new Set(
      app.routes
        .filter((route) => route.method !== "ALL" && route.path !== "/api/docs")
        .map((route) => `${route.method.toLowerCase()} ${specPathOf(route.path)}`),
    ),
  ];
}

describe("route inventory", () => {
  it("holds every operation of the OpenAPI document, and nothing the document lacks", () => {
    const documented = documentedRoutes();
    expect(documented.length).toBeGreaterThan(70);
    const missing = documented.filter((route) => !inventory.has(route));
    expect(missing, "in the OpenAPI document but not in test/route-inventory.ts").toEqual([]);
    const stale = [...inventory].filter((route) => !documented.includes(route));
    expect(stale, "in test/route-inventory.ts but not in the OpenAPI document").toEqual([]);
  });

  it("holds every route the hono app serves, and nothing it does not serve", () => {
    const served = servedRoutes();
    expect(served.length).toBeGreaterThan(70);
    const missing = served.filter((route) => !inventory.has(route));
    expect(missing, "served but not in test/route-inventory.ts").toEqual([]);
    const stale = [...inventory].filter((route) => !served.includes(route));
    expect(stale, "in test/route-inventory.ts but not served").toEqual([]);
  });

  it("every served route declares its access, and every declared route is served (deny by default)", () => {
    const declared = new Set(ROUTE_SPECS.map(routeKey));
    const served = servedRoutes();
    for (const route of served) expect(declared, `${route} declares no access`).toContain(route);
    for (const route of declared) expect(served, `${route} is declared but not served`).toContain(route);
  });

  it("gives every organisation and person-only route an org-A target and a valid body", () => {
    const targets: Required<OrgATargets> = {
      orgId: "o",
      scenarioId: "s",
      planId: "p",
      linkId: "l",
      keyId: "k",
      quoteId: "q",
      jobId: "j",
      memberId: "m",
      invitationId: "i",
      proposalId: "r",
      shareLinkId: "h",
    };
    const guarded = ROUTE_SPECS.filter((spec) => !["public", "link"].includes(spec.access));
    expect(guarded.length).toBeGreaterThanOrEqual(50);
    for (const spec of guarded) {
      expect(() => concretePath(spec, targets), routeKey(spec)).not.toThrow();
      expect(() => validBody(spec, targets), routeKey(spec)).not.toThrow();
    }
  });
});
