import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

describe("GET /api/v1/health", () => {
  it("answers 200 with versions", async () => {
    const response = await exports.default.fetch("http://planner.test/api/v1/health");
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ status: "ok" });
    expect(body.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(typeof body.kernelVersion).toBe("string");
    expect(typeof body.priceBookVersion).toBe("string");
    const catalog = body.catalog as Record<string, number>;
    expect(catalog.servers).toBeGreaterThan(0);
    expect(catalog.throughputPoints).toBeGreaterThan(0);
    expect(response.headers.get("x-request-id")).toMatch(/^req_/);
  });

  it("answers unknown API routes with the error envelope", async () => {
    const response = await exports.default.fetch("http://planner.test/api/v1/nope");
    expect(response.status).toBe(404);
    const body = (await response.json()) as { error: Record<string, unknown> };
    expect(body.error.code).toBe("not_found");
    expect(body.error.requestId).toMatch(/^req_/);
  });

  it("has the migrated D1 schema", async () => {
    const { env } = await import("cloudflare:test");
    const row = await env.DB.prepare("SELECT name FROM sqlite_master WHERE name = '_assert'").first();
    expect(row).toEqual({ name: "_assert" });
  });
});
