import { describe, expect, it } from "vitest";
import baseline from "../../../docs/openapi/v1-baseline.json";
import { type Json, diffOpenApi, formatChanges } from "../../../scripts/lib/openapi-diff.ts";
import { api } from "./helpers.ts";

// The v1 compatibility gate (docs/api.md "Compatibility", docs/decisions/013-api-compatibility-gate.md):
// the spec the Worker serves now may only add to the committed baseline of the released contract.
describe("OpenAPI compatibility with the v1 baseline", () => {
  it("has no breaking change against docs/openapi/v1-baseline.json", async () => {
    const response = await api("/openapi.json");
    expect(response.status).toBe(200);
    const current = (await response.json()) as Json;
    const diff = diffOpenApi(baseline as unknown as Json, current);
    expect(
      diff.breaking,
      `Breaking changes against the v1 baseline (see docs/api.md, "Compatibility"):\n${formatChanges(diff.breaking)}`,
    ).toEqual([]);
  });

  it("the baseline is a real v1 document (every operation states its access)", () => {
    const document = baseline as unknown as {
      openapi: string;
      paths: Record<string, Record<string, { "x-access"?: string }>>;
    };
    expect(document.openapi).toBe("3.1.0");
    const operations = Object.values(document.paths).flatMap((item) => Object.values(item));
    expect(operations.length).toBeGreaterThanOrEqual(50);
    for (const operation of operations)
      expect(["public", "link", "user", "viewer", "editor", "admin"]).toContain(operation["x-access"]);
  });
});
