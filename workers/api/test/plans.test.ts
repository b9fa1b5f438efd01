import { env } from "cloudflare:test";
import { PRICE_BOOK_VERSION, priceBook, resolveScenario } from "@aifp/catalog";
import { KERNEL_VERSION, evaluate } from "@aifp/kernel";
import { describe, expect, it } from "vitest";
import expected from "../../../test/golden/chat-70b-three-paths.expected.json";
import { canonicalJson } from "../src/canonical-json.ts";
import { goldenScenario, smallScenario } from "./fixtures.ts";
import { api, createOrg, expectError, fingerprint, get, jsonHeaders, send } from "./helpers.ts";
import { sha256Hex } from "@aifp/db";

/** Compare every field of `expectedValue` inside `actual`: numbers to relative 1e-9, the rest exactly. */
function expectClose(actual: unknown, expectedValue: unknown, path = ""): void {
  if (typeof expectedValue === "number") {
    expect(typeof actual, path).toBe("number");
    const scale = Math.max(1, Math.abs(expectedValue));
    expect(Math.abs((actual as number) - expectedValue) / scale, path).toBeLessThanOrEqual(1e-9);
  } else if (Array.isArray(expectedValue)) {
    expect(Array.isArray(actual), path).toBe(true);
    expect((actual as unknown[]).length, path).toBe(expectedValue.length);
    expectedValue.forEach((item, index) => expectClose((actual as unknown[])[index], item, `${path}.${index}`));
  } else if (expectedValue !== null && typeof expectedValue === "object") {
    for (const [key, value] of Object.entries(expectedValue))
      expectClose((actual as Record<string, unknown>)[key], value, `${path}.${key}`);
  } else {
    expect(actual, path).toEqual(expectedValue);
  }
}

async function saveScenario(key: string, scenario: Record<string, unknown>): Promise<string> {
  const response = await send("POST", "/scenarios", { scenario }, key);
  expect(response.status).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

describe("POST /evaluate", () => {
  it("returns the kernel's result: the golden example to 1e-9, and exactly what evaluate() gives", async () => {
    const response = await send("POST", "/evaluate", goldenScenario(), undefined, {
      "CF-Connecting-IP": "198.51.100.1",
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("x-kernel-version")).toBe(KERNEL_VERSION);
    expect(response.headers.get("x-price-book-version")).toBe(PRICE_BOOK_VERSION);
    const body = (await response.json()) as Record<string, unknown>;
    expectClose(body, expected);
    const direct = evaluate(resolveScenario(goldenScenario() as never, priceBook).scenario);
    // The kernel's fields exactly; beside them only the provenance of the catalog figures used.
    const { priceBookVersion, priceBookContentHash, usedFigures, notes, baseline, ...kernelFields } = body;
    expect(kernelFields).toEqual(JSON.parse(JSON.stringify(direct)));
    expect({ priceBookVersion, priceBookContentHash, usedFigures, notes }).toEqual({
      priceBookVersion: PRICE_BOOK_VERSION,
      priceBookContentHash: priceBook.contentHash,
      usedFigures: [],
      notes: [],
    });
    // ADR 017: every result names its baseline; a scenario with every number inline keeps the kernel's default.
    expect(baseline).toMatchObject({ optionId: "neocloud-h200", how: "first-lease", kind: "lease" });
  });

  it("400 names each invalid field; malformed JSON is 400; non-JSON 415; over 1 MB 413", async () => {
    const scenario = goldenScenario();
    (scenario.workload as Record<string, unknown>).requestsPerDay = -5;
    delete (scenario.finance as Record<string, unknown>).discountRatePerYear;
    const error = await expectError(await send("POST", "/evaluate", scenario), 400, "validation_failed");
    expect(error.issues.map((issue) => issue.path).sort()).toEqual([
      "finance.discountRatePerYear",
      "workload.requestsPerDay",
    ]);
    await expectError(await api("/evaluate", { method: "POST", headers: jsonHeaders(), body: "{" }), 400);
    await expectError(await api("/evaluate", { method: "POST", headers: jsonHeaders(), body: "" }), 400);
    await expectError(
      await api("/evaluate", { method: "POST", headers: { "Content-Type": "text/plain" }, body: "{}" }),
      415,
    );
    await expectError(
      await api("/evaluate", { method: "POST", headers: jsonHeaders(), body: `"${"x".repeat(1_000_001)}"` }),
      413,
    );
  });

  it("a valid scenario that cannot be served is 422 infeasible_scenario", async () => {
    const scenario = smallScenario();
    (scenario.options as Record<string, unknown>[])[0]!.outputTokensPerSecondPerGpu = 0;
    const error = await expectError(await send("POST", "/evaluate", scenario), 422, "infeasible_scenario");
    expect(error.issues.length).toBeGreaterThan(0);
  });

  it("anonymous callers are rate-limited per IP: 429 with Retry-After; a key is counted per key", async () => {
    const ip = "203.0.113.77";
    const statuses: number[] = [];
    let limited: Response | null = null;
    for (let i = 0; i < 130 && limited === null; i++) {
      const response = await api("/evaluate", {
        method: "POST",
        headers: { "Content-Type": "application/json", "CF-Connecting-IP": ip },
        body: "{}",
      });
      statuses.push(response.status);
      if (response.status === 429) limited = response;
      else await response.body?.cancel();
    }
    expect(limited).not.toBeNull();
    expect(statuses.filter((status) => status === 400).length).toBe(120);
    expect(limited!.headers.get("retry-after")).toBe("60");
    await expectError(limited!, 429, "rate_limited");
    const org = await createOrg();
    const withKey = await api("/evaluate", {
      method: "POST",
      headers: { ...jsonHeaders(org.adminKey), "CF-Connecting-IP": ip },
      body: JSON.stringify(smallScenario()),
    });
    expect(withKey.status).toBe(200);
  });
});

describe("plans", () => {
  it("stores the evaluation pinned to price book, kernel and input hash; GET returns it unchanged", async () => {
    const org = await createOrg();
    const scenarioId = await saveScenario(org.adminKey, goldenScenario());
    const response = await send("POST", `/scenarios/${scenarioId}/plans`, { name: "Board pack" }, org.adminKey, {
      "If-Match": '"1"',
    });
    expect(response.status).toBe(201);
    const text = await response.text();
    const plan = JSON.parse(text) as {
      id: string;
      name: string;
      scenarioId: string;
      scenarioVersion: number;
      priceBookVersion: string;
      kernelVersion: string;
      inputHash: string;
      input: { scenario: unknown; resolvedScenario: unknown };
      result: unknown;
    };
    expect(plan.id).toMatch(/^pln_/);
    expect(plan).toMatchObject({
      name: "Board pack",
      scenarioId,
      scenarioVersion: 1,
      priceBookVersion: PRICE_BOOK_VERSION,
      kernelVersion: KERNEL_VERSION,
    });
    expect(plan.inputHash).toBe(await sha256Hex(canonicalJson(plan.input)));
    expect(plan.input.scenario).toEqual(goldenScenario());
    expectClose(plan.result, expected);

    // Changing the scenario later does not touch the plan.
    await send("PATCH", `/scenarios/${scenarioId}`, { scenario: smallScenario() }, org.adminKey, { "If-Match": '"1"' });
    const again = await get(`/plans/${plan.id}`, org.adminKey);
    expect(await again.text()).toBe(text);
    const list = (await (await get(`/plans?scenarioId=${scenarioId}`, org.adminKey)).json()) as {
      data: { id: string; result?: unknown }[];
    };
    expect(list.data.map((item) => item.id)).toEqual([plan.id]);
    expect(list.data[0]!.result).toBeUndefined();
  });

  it("plans are immutable in the database (trigger), not only in code", async () => {
    const org = await createOrg();
    const scenarioId = await saveScenario(org.adminKey, smallScenario());
    const plan = (await (
      await api(`/scenarios/${scenarioId}/plans`, {
        method: "POST",
        headers: { Authorization: `Bearer ${org.adminKey}` },
      })
    ).json()) as { id: string };
    await expect(
      env.DB.prepare("UPDATE plans SET result_json = '{}' WHERE id = ?").bind(plan.id).run(),
    ).rejects.toThrow(/plan_immutable/);
    await expect(env.DB.prepare("DELETE FROM plans WHERE id = ?").bind(plan.id).run()).rejects.toThrow(
      /plan_immutable/,
    );
  });

  it("stale If-Match is 409; unknown scenario 404; non-JSON body 415; unknown field 400; nothing stored", async () => {
    const org = await createOrg();
    const scenarioId = await saveScenario(org.adminKey, smallScenario());
    const before = await fingerprint();
    await expectError(
      await send("POST", `/scenarios/${scenarioId}/plans`, {}, org.adminKey, { "If-Match": '"9"' }),
      409,
      "version_conflict",
    );
    await expectError(await send("POST", `/scenarios/scn_unknown/plans`, {}, org.adminKey), 404);
    await expectError(
      await api(`/scenarios/${scenarioId}/plans`, {
        method: "POST",
        headers: { Authorization: `Bearer ${org.adminKey}`, "Content-Type": "text/plain" },
        body: "x",
      }),
      415,
    );
    const unknown = await expectError(
      await send("POST", `/scenarios/${scenarioId}/plans`, { priceBookVersion: "1999" }, org.adminKey),
      400,
    );
    expect(unknown.issues[0]?.path).toBe("priceBookVersion");
    expect(await fingerprint()).toEqual(before);
  });

  it("a stored scenario that is infeasible gives 422 and no plan", async () => {
    const org = await createOrg();
    const scenario = smallScenario();
    (scenario.options as Record<string, unknown>[])[0]!.outputTokensPerSecondPerGpu = 0;
    const scenarioId = await saveScenario(org.adminKey, scenario);
    const before = await fingerprint();
    await expectError(
      await api(`/scenarios/${scenarioId}/plans`, {
        method: "POST",
        headers: { Authorization: `Bearer ${org.adminKey}` },
      }),
      422,
      "infeasible_scenario",
    );
    expect(await fingerprint()).toEqual(before);
  });

  it("plan creation is idempotent", async () => {
    const org = await createOrg();
    const scenarioId = await saveScenario(org.adminKey, smallScenario());
    const headers = { Authorization: `Bearer ${org.adminKey}`, "Idempotency-Key": "plan-1" };
    const first = await api(`/scenarios/${scenarioId}/plans`, { method: "POST", headers });
    const second = await api(`/scenarios/${scenarioId}/plans`, { method: "POST", headers });
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    expect(await second.json()).toEqual(await first.json());
    const count = await env.DB.prepare("SELECT COUNT(*) AS n FROM plans WHERE org_id = ?")
      .bind(org.orgId)
      .first<{ n: number }>();
    expect(count?.n).toBe(1);
  });
});
