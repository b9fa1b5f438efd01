import { Hono } from "hono";
import * as v from "valibot";
import { describe, expect, expectTypeOf, it } from "vitest";
import type { AppEnv } from "./app.ts";
import { ApiError } from "./errors.ts";
import { ROUTE_SPECS, documented } from "./openapi-registry.ts";

// One declaration (ADR 040): the spec `documented()` registers for the OpenAPI document is the
// one its middleware validates with, and the handler reads the schemas' output types.

const BodySchema = v.strictObject({ name: v.pipe(v.string(), v.minLength(1)), seats: v.optional(v.number(), 1) });
const QuerySchema = v.object({
  limit: v.optional(v.pipe(v.string(), v.regex(/^\d+$/), v.transform(Number), v.number())),
});

const validated = documented({
  method: "patch",
  path: "/registry-test/{id}",
  tag: "Test",
  summary: "A route declared only for this test",
  access: "editor",
  ifMatch: "required",
  query: QuerySchema,
  requestBody: { schema: BodySchema, required: true },
  responses: { 200: { description: "What the middleware stored" } },
});

/** A bare app with the API's error mapping, so a thrown ApiError is its status and envelope. */
const app = new Hono<AppEnv>()
  .patch("/registry-test/:id", validated, (c) => {
    const body = c.req.valid("json");
    const query = c.req.valid("query");
    const { ifMatch } = c.req.valid("header");
    expectTypeOf(body).toEqualTypeOf<{ name: string; seats: number }>();
    expectTypeOf(query).toEqualTypeOf<{ limit?: number }>();
    expectTypeOf(ifMatch).toEqualTypeOf<number>();
    // @ts-expect-error `nickname` is not a field of BodySchema: reading it fails typecheck.
    void body.nickname;
    // @ts-expect-error this route declares no form body.
    void c.req.valid("form");
    return c.json({ body, query, ifMatch });
  })
  .onError((error, c) =>
    error instanceof ApiError
      ? c.json({ status: error.status, code: error.code, issues: error.issues }, error.status as 400)
      : c.json({ status: 500, message: String(error) }, 500),
  );

function patch(body: string, headers: Record<string, string> = {}, query = ""): Promise<Response> {
  return Promise.resolve(
    app.request(`/registry-test/x${query}`, {
      method: "PATCH",
      body,
      headers: { "content-type": "application/json", "if-match": '"3"', ...headers },
    }),
  );
}

describe("documented(spec)", () => {
  it("registers the spec it validates with", () => {
    const spec = ROUTE_SPECS.find((item) => item.path === "/registry-test/{id}");
    expect(spec?.requestBody?.schema).toBe(BodySchema);
    expect(spec?.query).toBe(QuerySchema);
  });

  it("stores the schemas' output: defaults applied, strings transformed, If-Match parsed", async () => {
    const response = await patch(JSON.stringify({ name: "A" }), {}, "?limit=20");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ body: { name: "A", seats: 1 }, query: { limit: 20 }, ifMatch: 3 });
  });

  it("refuses with the API's envelope: If-Match first, then the query, then the body", async () => {
    const noIfMatch = await app.request("/registry-test/x?limit=x", {
      method: "PATCH",
      body: "[]",
      headers: { "content-type": "application/json" },
    });
    expect(noIfMatch.status).toBe(428);
    const badQuery = await patch("[]", {}, "?limit=x");
    expect(await badQuery.json()).toMatchObject({ status: 400, issues: [{ path: "limit" }] });
    const notObject = await patch("[]");
    expect(await notObject.json()).toMatchObject({
      status: 400,
      issues: [{ path: "", message: "expected a JSON object, got an array" }],
    });
    const unknownField = await patch(JSON.stringify({ name: "A", nickname: "B" }));
    expect(await unknownField.json()).toMatchObject({ status: 400, issues: [{ path: "nickname" }] });
    const notJson = await patch("name=A", { "content-type": "text/plain" });
    expect(notJson.status).toBe(415);
  });
});
