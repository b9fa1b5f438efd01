import { describe, expect, it } from "vitest";
import { api, createOrg, expectError, get, jsonHeaders } from "./helpers.ts";

/** hono's request-id and body-limit middleware, as the API mounts them (ADR 036). */
describe("request ids", () => {
  it("makes a req_ id when none is sent, and echoes it in the error body", async () => {
    const response = await api("/nope");
    const id = response.headers.get("x-request-id");
    expect(id).toMatch(/^req_[0-9a-hjkmnp-tv-z]{16}$/);
    const error = await expectError(response, 404, "not_found");
    expect(error.requestId).toBe(id);
  });

  it("keeps a well-formed id the caller sends, and replaces a malformed one", async () => {
    const sent = "trace-2026_12_07=abc";
    const kept = await api("/nope", { headers: { "X-Request-Id": sent } });
    expect(kept.headers.get("x-request-id")).toBe(sent);
    expect(kept.status).toBe(404);
    expect(((await kept.json()) as { error: { requestId: string } }).error.requestId).toBe(sent);

    for (const bad of ["two words", "x".repeat(256), "<script>", "a\u00e9b"]) {
      const replaced = await api("/nope", { headers: { "X-Request-Id": bad } });
      expect(replaced.headers.get("x-request-id"), bad).toMatch(/^req_/);
      await replaced.body?.cancel();
    }
  });
});

describe("body-size cap", () => {
  it("413 with the envelope naming the limit, after authentication (no key: 401, not 413)", async () => {
    const org = await createOrg();
    const big = JSON.stringify({ scenario: {}, padding: "x".repeat(1_000_001) });
    const error = await expectError(
      await api("/scenarios", { method: "POST", headers: jsonHeaders(org.adminKey), body: big }),
      413,
      "payload_too_large",
    );
    expect(error.message).toContain("1000000 bytes");
    await expectError(await api("/scenarios", { method: "POST", headers: jsonHeaders(), body: big }), 401);
    // Exactly at the cap is read (then judged by the schema: 400, not 413).
    const atCap = `{"name":"${"x".repeat(1_000_000 - 11)}"}`;
    expect(new TextEncoder().encode(atCap).byteLength).toBe(1_000_000);
    await expectError(
      await api("/scenarios", { method: "POST", headers: jsonHeaders(org.adminKey), body: atCap }),
      400,
    );
    expect((await get("/scenarios", org.adminKey)).status).toBe(200);
  });
});
