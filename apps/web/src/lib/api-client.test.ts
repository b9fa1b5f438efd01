import type { ApiRoutes, Me, Quote, QuoteSchema } from "@aifp/contracts/api";
import type * as v from "valibot";
import { describe, expect, expectTypeOf, it } from "vitest";
import { type ApiAnswer, type ApiCallOptions, api, apiUrl } from "./api-client.ts";

describe("the web app's API client", () => {
  it("builds the URL from the route, its encoded parameters and its query", () => {
    expect(apiUrl("GET /me")).toBe("/api/v1/me");
    expect(apiUrl("DELETE /proposals/{id}/share-links/{linkId}", { id: "prp_1", linkId: "shl 2/3" })).toBe(
      "/api/v1/proposals/prp_1/share-links/shl%202%2F3",
    );
    expect(apiUrl("GET /quotes", undefined, { limit: 100, status: "valid", cursor: undefined })).toBe(
      "/api/v1/quotes?limit=100&status=valid",
    );
  });

  it("types each call from the contract (checked by `npm run check`, which fails on a mismatch)", () => {
    // What a route answers is the contract's type, which is the schema's output type.
    expectTypeOf<ApiAnswer<"GET /quotes/{id}">["data"]>().toEqualTypeOf<Quote>();
    expectTypeOf<Quote>().toEqualTypeOf<v.InferOutput<typeof QuoteSchema>>();
    expectTypeOf<ApiAnswer<"GET /me">["data"]>().toEqualTypeOf<Me>();
    expectTypeOf<ApiCallOptions<"PATCH /quotes/{id}">["params"]>().toEqualTypeOf<{ id: string }>();
    expectTypeOf<ApiCallOptions<"POST /quotes">["body"]>().toEqualTypeOf<ApiRoutes["POST /quotes"]["body"]>();
    // Never called: these lines only have to compile, or fail to where marked.
    const calls = () => [
      api("GET /me"),
      api("DELETE /keys/{id}", { params: { id: "key_1" } }),
      // @ts-expect-error a route with a path parameter needs it
      api("DELETE /keys/{id}"),
      // @ts-expect-error a body must be the contract's (`role`, not `roles`)
      api("PATCH /members/{id}", { params: { id: "m" }, body: { roles: "admin" } }),
      // @ts-expect-error a route the contract does not list
      api("GET /nowhere"),
    ];
    expect(typeof calls).toBe("function");
  });
});
