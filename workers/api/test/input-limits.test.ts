/**
 * Free-form JSON is bounded before anything is written (issue #19): a `webPlan` nested 20,000
 * deep (41 KB) used to overflow the stack after the scenario row was written (500, and a retry
 * stored a duplicate). Now every body deeper than MAX_JSON_DEPTH is a 400 naming the field,
 * before validation, idempotency or any write; a retry with the same key is refused the same
 * way and stores nothing.
 */
import { describe, expect, it } from "vitest";
import { MAX_JSON_DEPTH, tooDeepPath } from "../src/validation.ts";
import { goldenScenario } from "./fixtures.ts";
import { api, createOrg, expectError, fingerprint, send } from "./helpers.ts";

/** `{"a":{"a":…}}` nested `depth` levels, built as text (no recursion in the test either). */
function nestedText(depth: number): string {
  return `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;
}

describe("nesting depth of JSON bodies", () => {
  it("tooDeepPath finds the first path past the limit, iteratively", () => {
    expect(tooDeepPath(JSON.parse(nestedText(MAX_JSON_DEPTH)))).toBeNull();
    expect(tooDeepPath(JSON.parse(nestedText(MAX_JSON_DEPTH + 1)))).toHaveLength(MAX_JSON_DEPTH);
    expect(tooDeepPath(JSON.parse(nestedText(20_000)))?.slice(0, 2)).toEqual(["a", "a"]);
  });

  it("a webPlan nested 20,000 deep is a 400 naming webPlan; nothing written, a retry neither", async () => {
    const org = await createOrg("deep");
    const scenario = JSON.stringify(goldenScenario());
    const body = `{"scenario":${scenario},"webPlan":${nestedText(20_000)}}`;
    expect(body.length).toBeGreaterThan(40_000);
    const before = await fingerprint();
    for (let attempt = 0; attempt < 2; attempt++) {
      const raw = await fetchRaw("/api/v1/scenarios", body, org.adminKey, "deep-1");
      const error = await expectError(raw, 400, "validation_failed");
      expect(error.issues).toEqual([
        { path: "webPlan.a", message: `expected at most ${MAX_JSON_DEPTH} levels of nested objects and arrays` },
      ]);
    }
    expect(await fingerprint()).toEqual(before);
  });

  it("the same on PATCH, and in any other body (an optimise request)", async () => {
    const org = await createOrg("deep patch");
    const created = await send("POST", "/scenarios", { scenario: goldenScenario() }, org.adminKey);
    const { id } = (await created.json()) as { id: string };
    const before = await fingerprint();
    const patch = await fetchRaw(
      `/api/v1/scenarios/${id}`,
      `{"webPlan":${nestedText(5_000)}}`,
      org.adminKey,
      undefined,
      "PATCH",
      {
        "If-Match": '"1"',
      },
    );
    expect((await expectError(patch, 400)).issues[0]?.path).toBe("webPlan.a");
    const optimise = await fetchRaw("/api/v1/optimise", `{"scenario":${nestedText(3_000)}}`);
    expect((await expectError(optimise, 400)).issues[0]?.path).toBe("scenario.a");
    expect(await fingerprint()).toEqual(before);
  });
});

/** A raw JSON text body (the helpers stringify values; these bodies are built as text). */
function fetchRaw(
  path: string,
  body: string,
  key?: string,
  idempotencyKey?: string,
  method = "POST",
  extra: Record<string, string> = {},
): Promise<Response> {
  return api(path, {
    method,
    headers: {
      "Content-Type": "application/json",
      "CF-Connecting-IP": "198.18.20.1",
      ...(key ? { Authorization: `Bearer ${key}` } : {}),
      ...(idempotencyKey ? { "Idempotency-Key": idempotencyKey } : {}),
      ...extra,
    },
    body,
  });
}
