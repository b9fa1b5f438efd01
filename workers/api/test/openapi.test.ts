import type { ApiRoute } from "@aifp/contracts/api";
import { describe, expect, it } from "vitest";
import { api } from "./helpers.ts";
import { describeErrors, openApiViolations, servedDocument } from "./openapi-reader.ts";
import { ROUTE_INVENTORY } from "./route-inventory.ts";

interface OpenApi {
  openapi: string;
  info: { title: string; version: string };
  components: { schemas: Record<string, Record<string, unknown>>; securitySchemes: Record<string, unknown> };
  paths: Record<
    string,
    Record<
      string,
      {
        responses: Record<string, unknown>;
        requestBody?: { content: Record<string, { schema: Record<string, unknown> }> };
        parameters?: { name: string; in: string; required: boolean }[];
        security: unknown[];
      }
    >
  >;
}

describe("GET /api/v1/openapi.json", () => {
  // The official OpenAPI 3.1 JSON Schema (vendored in test/oas-3.1) judges the served document,
  // read by a third-party validator (test/openapi-reader.ts), not by the code that generated it.
  it("is a valid OpenAPI 3.1 document by the official schema", async () => {
    const doc = await servedDocument();
    const errors = openApiViolations(doc);
    expect(errors, describeErrors(errors)).toEqual([]);
  });

  it("the official schema check can fail: it rejects documents broken in five ways", async () => {
    const doc = await servedDocument();
    const noInfo = structuredClone(doc);
    delete noInfo.info;
    // An unknown top-level field (only `x-` extensions may be added).
    const unknownField = { ...structuredClone(doc), paths2: {} };
    // A schema that is neither an object nor a boolean (the Schema Object slot).
    const badSchema = structuredClone(doc) as unknown as OpenApi;
    (badSchema.components.schemas as Record<string, unknown>).Scenario = 5;
    const badResponse = structuredClone(doc) as unknown as OpenApi;
    // A response object without its required description.
    delete (badResponse.paths["/health"]!.get!.responses["200"] as { description?: string }).description;
    const badParameter = structuredClone(doc) as unknown as OpenApi;
    // A parameter placed "in" somewhere OpenAPI does not know.
    badParameter.paths["/scenarios/{id}"]!.patch!.parameters![0]!.in = "body";
    // Each is rejected, with an error at the place that was broken.
    const cases: [unknown, string][] = [
      [noInfo, "#"],
      [unknownField, "#"],
      [badSchema, "#/components/schemas/Scenario"],
      [badResponse, "#/paths/~1health/get/responses/200"],
      [badParameter, "#/paths/~1scenarios~1{id}/patch/parameters/0"],
    ];
    for (const [broken, where] of cases) {
      const locations = openApiViolations(broken).map((error) => decodeURIComponent(error.instanceLocation));
      expect(locations, where).toContain(where);
    }
  });

  it("holds the written expectations: strict scenario schema, statuses, headers, security, one error envelope", async () => {
    const doc = (await servedDocument()) as unknown as OpenApi;
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.info.title).toMatch(/Planner/);

    // The scenario schema is the contracts' one: strict (additionalProperties false), with its required fields.
    const scenario = doc.components.schemas.Scenario as {
      type: string;
      required: string[];
      additionalProperties: boolean;
      properties: Record<string, unknown>;
    };
    expect(scenario.type).toBe("object");
    expect(scenario.additionalProperties).toBe(false);
    expect(scenario.required).toEqual(
      expect.arrayContaining(["startMonth", "horizonYears", "finance", "workload", "options"]),
    );
    expect(doc.components.schemas.EvaluateResult).toBeDefined();

    const create = doc.paths["/scenarios"]!.post!;
    const body = create.requestBody!.content["application/json"]!.schema as {
      properties: Record<string, unknown>;
      additionalProperties: boolean;
      required: string[];
    };
    expect(body.additionalProperties).toBe(false);
    expect(body.required).toEqual(["scenario"]);
    expect(body.properties.scenario).toEqual({ $ref: "#/components/schemas/Scenario" });
    expect(Object.keys(create.responses)).toEqual(
      expect.arrayContaining(["201", "400", "401", "409", "413", "415", "422", "429"]),
    );
    expect(create.parameters?.map((parameter) => parameter.name)).toContain("Idempotency-Key");
    const patch = doc.paths["/scenarios/{id}"]!.patch!;
    expect(patch.parameters?.find((parameter) => parameter.name === "If-Match")?.required).toBe(true);
    expect(Object.keys(patch.responses)).toEqual(expect.arrayContaining(["200", "409", "428"]));
    expect(doc.paths["/evaluate"]!.post!.requestBody!.content["application/json"]!.schema).toEqual({
      $ref: "#/components/schemas/Scenario",
    });
    expect(doc.paths["/keys"]!.post!.security).toEqual([{ bearer: [] }, { session: [] }]);
    // Every error response points at the one envelope.
    const errorRef = { $ref: "#/components/schemas/Error" };
    for (const operations of Object.values(doc.paths)) {
      for (const operation of Object.values(operations)) {
        for (const [status, response] of Object.entries(operation.responses)) {
          if (Number(status) >= 400)
            expect(
              (response as { content: Record<string, { schema: unknown }> }).content["application/json"]!.schema,
            ).toEqual(errorRef);
        }
      }
    }
  });
});

/**
 * The routes the web app's typed client may call (`ApiRoutes` of `@aifp/contracts/api`). A
 * `Record` over the route type, so adding or removing a key there fails typecheck until this
 * list agrees; the test then checks each is an operation of the served document.
 */
const CLIENT_ROUTES: Record<ApiRoute, true> = {
  "GET /health": true,
  "GET /me": true,
  "POST /me/orgs": true,
  "POST /me/active-org": true,
  "POST /auth/sign-up/email": true,
  "POST /auth/sign-in/email": true,
  "POST /auth/sign-out": true,
  "GET /members": true,
  "PATCH /members/{id}": true,
  "DELETE /members/{id}": true,
  "GET /invitations": true,
  "POST /invitations": true,
  "DELETE /invitations/{id}": true,
  "POST /invitations/preview": true,
  "POST /invitations/accept": true,
  "GET /keys": true,
  "POST /keys": true,
  "DELETE /keys/{id}": true,
  "GET /audit": true,
  "GET /quotes": true,
  "GET /quotes/{id}": true,
  "POST /quotes": true,
  "PATCH /quotes/{id}": true,
  "DELETE /quotes/{id}": true,
  "GET /scenarios": true,
  "GET /scenarios/{id}": true,
  "POST /scenarios": true,
  "PATCH /scenarios/{id}": true,
  "DELETE /scenarios/{id}": true,
  "POST /scenarios/{id}/plans": true,
  "GET /plans": true,
  "GET /proposals/{id}": true,
  "POST /proposals": true,
  "PATCH /proposals/{id}": true,
  "POST /proposals/{id}/issue": true,
  "GET /proposals/{id}/share-links": true,
  "POST /proposals/{id}/share-links": true,
  "DELETE /proposals/{id}/share-links/{linkId}": true,
  "GET /proposals/shared/{token}": true,
};

describe("the typed client's routes (ApiRoutes)", () => {
  it("are each an operation of the served OpenAPI document", async () => {
    const doc = (await (await api("/openapi.json")).json()) as OpenApi;
    const missing = Object.keys(CLIENT_ROUTES).filter((route) => {
      const [method, path] = route.split(" ") as [string, string];
      return doc.paths[path]?.[method.toLowerCase()] === undefined;
    });
    expect(missing).toEqual([]);
  });
});

describe("GET /api/docs", () => {
  it("is a human page with every endpoint of the route inventory and both spreadsheet recipes", async () => {
    const response = await api("/api/docs");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    expect(response.headers.get("x-request-id")).toMatch(/^req_/);
    const html = await response.text();
    expect(html).toContain("IMPORTDATA(");
    expect(html).toContain("Web.Contents(");
    expect(html).toContain("/api/v1/openapi.json");
    const paths = new Set(Object.keys(ROUTE_INVENTORY).map((route) => route.split(" ")[1]!));
    for (const path of paths) expect(html, path).toContain(`/api/v1${path}`);
  });
});
