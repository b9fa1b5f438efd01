import { env } from "cloudflare:test";
import { sha256Hex } from "@aifp/db";
import { describe, expect, it } from "vitest";
import { goldenScenario } from "./fixtures.ts";
import { createOrg, get, send } from "./helpers.ts";

/**
 * The `*_json` columns are drizzle json-mode columns (ADR 036). These checks read the stored
 * text with plain SQL, independently of drizzle: canonical texts are stored byte for byte as
 * they were hashed (not stringified a second time), and every JSON column holds a JSON
 * document, never a JSON string wrapping one.
 */
describe("typed JSON columns", () => {
  it("store what was hashed, once-encoded, and read back as the API returns it", async () => {
    const org = await createOrg();
    const saved = await send("POST", "/scenarios", { scenario: goldenScenario(), webPlan: { step: 3 } }, org.adminKey);
    expect(saved.status).toBe(201);
    const scenarioId = ((await saved.json()) as { id: string }).id;
    const created = await send("POST", `/scenarios/${scenarioId}/plans`, { name: "Typed" }, org.adminKey, {
      "If-Match": '"1"',
    });
    expect(created.status).toBe(201);
    const planId = ((await created.json()) as { id: string }).id;

    const plan = await env.DB.prepare("SELECT input_json, input_hash, result_json FROM plans WHERE id = ?")
      .bind(planId)
      .first<{ input_json: string; input_hash: string; result_json: string }>();
    expect(plan).not.toBeNull();
    // The hash is over the stored text itself: it was written verbatim, not re-serialised.
    expect(await sha256Hex(plan!.input_json)).toBe(plan!.input_hash);
    expect(plan!.input_json.startsWith("{")).toBe(true);
    expect(plan!.result_json.startsWith("{")).toBe(true);

    const scenario = await env.DB.prepare("SELECT scenario_json, web_plan_json FROM scenarios WHERE id = ?")
      .bind(scenarioId)
      .first<{ scenario_json: string; web_plan_json: string }>();
    expect(JSON.parse(scenario!.scenario_json)).toEqual(goldenScenario());
    expect(JSON.parse(scenario!.web_plan_json)).toEqual({ step: 3 });

    // Read back through the typed column: the same documents the API gave on creation.
    const read = (await (await get(`/plans/${planId}`, org.adminKey)).json()) as { input: unknown; result: unknown };
    expect(read.input).toEqual(JSON.parse(plan!.input_json));
    expect(read.result).toEqual(JSON.parse(plan!.result_json));

    // Objects written by services (audit detail, idempotent responses) are one JSON document.
    const audit = await env.DB.prepare("SELECT detail_json FROM audit_events WHERE org_id = ? LIMIT 1")
      .bind(org.orgId)
      .first<{ detail_json: string }>();
    if (audit) expect(typeof JSON.parse(audit.detail_json)).toBe("object");
    const withKey = await send("POST", "/scenarios", { scenario: goldenScenario() }, org.adminKey, {
      "Idempotency-Key": "typed-columns-1",
    });
    expect(withKey.status).toBe(201);
    const stored = await env.DB.prepare("SELECT response_json FROM idempotency_keys WHERE org_id = ? AND key = ?")
      .bind(org.orgId, "typed-columns-1")
      .first<{ response_json: string }>();
    const response = JSON.parse(stored!.response_json) as { headers: unknown; body: { id: string } };
    expect(typeof response.headers).toBe("object");
    expect(response.body.id).toMatch(/^scn_/);
  });
});
