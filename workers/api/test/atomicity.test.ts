import { env } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import { smallScenario } from "./fixtures.ts";
import { api, createOrg, expectError, fingerprint, send } from "./helpers.ts";

/**
 * Fault injection at every statement of the multi-statement writes (docs/reliability.md §3.3, R3): a
 * test-only trigger aborts the k-th statement of the batch; the whole batch must roll back
 * (fingerprint of every table unchanged, `_assert` empty), the client gets an enveloped 500 that
 * leaks nothing, and the same request succeeds once the fault is gone.
 */

const FAULTS = {
  scenarioUpdate: [
    "CREATE TRIGGER fault BEFORE INSERT ON _assert BEGIN SELECT RAISE(ABORT, 'injected fault'); END",
    "CREATE TRIGGER fault BEFORE UPDATE ON scenarios BEGIN SELECT RAISE(ABORT, 'injected fault'); END",
    "CREATE TRIGGER fault BEFORE UPDATE ON idempotency_keys WHEN NEW.state = 'completed' BEGIN SELECT RAISE(ABORT, 'injected fault'); END",
    "CREATE TRIGGER fault BEFORE DELETE ON _assert BEGIN SELECT RAISE(ABORT, 'injected fault'); END",
  ],
  planCreate: [
    "CREATE TRIGGER fault BEFORE INSERT ON _assert BEGIN SELECT RAISE(ABORT, 'injected fault'); END",
    "CREATE TRIGGER fault BEFORE INSERT ON plans BEGIN SELECT RAISE(ABORT, 'injected fault'); END",
    "CREATE TRIGGER fault BEFORE UPDATE ON idempotency_keys WHEN NEW.state = 'completed' BEGIN SELECT RAISE(ABORT, 'injected fault'); END",
    "CREATE TRIGGER fault BEFORE DELETE ON _assert BEGIN SELECT RAISE(ABORT, 'injected fault'); END",
  ],
  // Quote writes: the cap/existence guard on `_assert`, the quote row, the audit event, the
  // idempotency completion (POST only), and clearing `_assert`.
  quoteCreate: [
    "CREATE TRIGGER fault BEFORE INSERT ON _assert BEGIN SELECT RAISE(ABORT, 'injected fault'); END",
    "CREATE TRIGGER fault BEFORE INSERT ON org_quotes BEGIN SELECT RAISE(ABORT, 'injected fault'); END",
    "CREATE TRIGGER fault BEFORE INSERT ON audit_events BEGIN SELECT RAISE(ABORT, 'injected fault'); END",
    "CREATE TRIGGER fault BEFORE UPDATE ON idempotency_keys WHEN NEW.state = 'completed' BEGIN SELECT RAISE(ABORT, 'injected fault'); END",
    "CREATE TRIGGER fault BEFORE DELETE ON _assert BEGIN SELECT RAISE(ABORT, 'injected fault'); END",
  ],
  quoteUpdate: [
    "CREATE TRIGGER fault BEFORE INSERT ON _assert BEGIN SELECT RAISE(ABORT, 'injected fault'); END",
    "CREATE TRIGGER fault BEFORE UPDATE ON org_quotes BEGIN SELECT RAISE(ABORT, 'injected fault'); END",
    "CREATE TRIGGER fault BEFORE INSERT ON audit_events BEGIN SELECT RAISE(ABORT, 'injected fault'); END",
    "CREATE TRIGGER fault BEFORE DELETE ON _assert BEGIN SELECT RAISE(ABORT, 'injected fault'); END",
  ],
  quoteDelete: [
    "CREATE TRIGGER fault BEFORE INSERT ON _assert BEGIN SELECT RAISE(ABORT, 'injected fault'); END",
    "CREATE TRIGGER fault BEFORE DELETE ON org_quotes BEGIN SELECT RAISE(ABORT, 'injected fault'); END",
    "CREATE TRIGGER fault BEFORE INSERT ON audit_events BEGIN SELECT RAISE(ABORT, 'injected fault'); END",
    "CREATE TRIGGER fault BEFORE DELETE ON _assert BEGIN SELECT RAISE(ABORT, 'injected fault'); END",
  ],
  orgSignup: [
    "CREATE TRIGGER fault BEFORE INSERT ON organisations BEGIN SELECT RAISE(ABORT, 'injected fault'); END",
    "CREATE TRIGGER fault BEFORE INSERT ON api_keys BEGIN SELECT RAISE(ABORT, 'injected fault'); END",
  ],
};

afterEach(async () => {
  await env.DB.prepare("DROP TRIGGER IF EXISTS fault").run();
});

async function expectRolledBack(response: Response, before: Record<string, string>): Promise<void> {
  const error = await expectError(response, 500, "internal");
  expect(error.message).not.toMatch(/injected|constraint|trigger/i);
  const after = await fingerprint();
  // The idempotency row of the failed attempt is released: compare everything else exactly.
  expect({ ...after, idempotency_keys: "" }).toEqual({ ...before, idempotency_keys: "" });
  expect(after._assert?.startsWith("0:")).toBe(true);
  const inProgress = await env.DB.prepare(
    "SELECT COUNT(*) AS n FROM idempotency_keys WHERE state = 'in_progress'",
  ).first<{ n: number }>();
  expect(inProgress?.n).toBe(0);
}

describe("guarded batches roll back whole at any failing statement", () => {
  FAULTS.scenarioUpdate.forEach((trigger, index) => {
    it(`PATCH /scenarios/{id}: fault at statement ${index + 1} of 4`, async () => {
      const org = await createOrg();
      const created = (await (
        await send("POST", "/scenarios", { scenario: smallScenario() }, org.adminKey)
      ).json()) as { id: string };
      const before = await fingerprint();
      await env.DB.prepare(trigger).run();
      const headers = { "If-Match": '"1"', "Idempotency-Key": `patch-${index}` };
      await expectRolledBack(
        await send("PATCH", `/scenarios/${created.id}`, { name: "after" }, org.adminKey, headers),
        before,
      );
      await env.DB.prepare("DROP TRIGGER fault").run();
      const retry = await send("PATCH", `/scenarios/${created.id}`, { name: "after" }, org.adminKey, headers);
      expect(retry.status).toBe(200);
      expect(((await retry.json()) as { version: number }).version).toBe(2);
    });
  });

  FAULTS.planCreate.forEach((trigger, index) => {
    it(`POST /scenarios/{id}/plans: fault at statement ${index + 1} of 4`, async () => {
      const org = await createOrg();
      const created = (await (
        await send("POST", "/scenarios", { scenario: smallScenario() }, org.adminKey)
      ).json()) as { id: string };
      const before = await fingerprint();
      await env.DB.prepare(trigger).run();
      const headers = { Authorization: `Bearer ${org.adminKey}`, "Idempotency-Key": `plan-${index}` };
      await expectRolledBack(await api(`/scenarios/${created.id}/plans`, { method: "POST", headers }), before);
      await env.DB.prepare("DROP TRIGGER fault").run();
      expect((await api(`/scenarios/${created.id}/plans`, { method: "POST", headers })).status).toBe(201);
      const plans = await env.DB.prepare("SELECT COUNT(*) AS n FROM plans WHERE org_id = ?")
        .bind(org.orgId)
        .first<{ n: number }>();
      expect(plans?.n).toBe(1);
    });
  });

  // A server SKU of the public book; a year ahead is always a valid `validUntil`.
  const quoteBody = () => ({
    targetKind: "sku",
    targetId: "dell-poweredge-xe9680",
    unitPriceUsd: 250_000,
    validUntil: `${new Date().getUTCFullYear() + 1}-12-31`,
    note: "fault injection",
  });
  async function quoteCount(orgId: string): Promise<number> {
    const row = await env.DB.prepare("SELECT COUNT(*) AS n FROM org_quotes WHERE org_id = ?")
      .bind(orgId)
      .first<{ n: number }>();
    return row?.n ?? -1;
  }

  FAULTS.quoteCreate.forEach((trigger, index) => {
    it(`POST /quotes: fault at statement ${index + 1} of 5`, async () => {
      const org = await createOrg();
      const before = await fingerprint();
      await env.DB.prepare(trigger).run();
      const headers = { "Idempotency-Key": `quote-${index}` };
      await expectRolledBack(await send("POST", "/quotes", quoteBody(), org.adminKey, headers), before);
      await env.DB.prepare("DROP TRIGGER fault").run();
      expect((await send("POST", "/quotes", quoteBody(), org.adminKey, headers)).status).toBe(201);
      expect(await quoteCount(org.orgId)).toBe(1);
    });
  });

  for (const [name, method, faults] of [
    ["PATCH", "PATCH", FAULTS.quoteUpdate],
    ["DELETE", "DELETE", FAULTS.quoteDelete],
  ] as const) {
    faults.forEach((trigger, index) => {
      it(`${name} /quotes/{id}: fault at statement ${index + 1} of ${faults.length}`, async () => {
        const org = await createOrg();
        const created = (await (await send("POST", "/quotes", quoteBody(), org.adminKey)).json()) as { id: string };
        const before = await fingerprint();
        await env.DB.prepare(trigger).run();
        const body = method === "PATCH" ? { note: "changed" } : undefined;
        const headers = { "If-Match": '"1"' };
        await expectRolledBack(await send(method, `/quotes/${created.id}`, body, org.adminKey, headers), before);
        await env.DB.prepare("DROP TRIGGER fault").run();
        const retry = await send(method, `/quotes/${created.id}`, body, org.adminKey, headers);
        expect(retry.status).toBe(method === "PATCH" ? 200 : 204);
        expect(await quoteCount(org.orgId)).toBe(method === "PATCH" ? 1 : 0);
      });
    });
  }

  FAULTS.orgSignup.forEach((trigger, index) => {
    it(`POST /orgs: fault at statement ${index + 1} of 2 leaves no organisation without a key`, async () => {
      const before = await fingerprint();
      await env.DB.prepare(trigger).run();
      await expectRolledBack(
        await send("POST", "/orgs", { name: `fault ${index}` }, undefined, {
          "CF-Connecting-IP": `192.0.2.${100 + index}`,
        }),
        before,
      );
    });
  });
});
