import { describe, expect, it } from "vitest";
import { emptyPlan } from "./plan.ts";
import { decodeState, encodeState } from "./url-state.ts";

describe("url-state: the plan in the URL", () => {
  it("round-trips a plan through a compact, URL-safe string", async () => {
    const plan = emptyPlan();
    plan.name = "Chat — EU, ünïcode";
    plan.values["workload.requestsPerDay"] = "10000000";
    plan.servers = ["dell-poweredge-xe9680", "nvidia-dgx-h200"];
    const encoded = await encodeState(plan);
    expect(encoded).toMatch(/^1[A-Za-z0-9_-]+$/);
    expect(encoded.length).toBeLessThan(JSON.stringify(plan).length);
    expect(await decodeState(encoded)).toEqual(plan);
  });

  it("rejects damaged or foreign links with a sentence, never garbage", async () => {
    await expect(decodeState("2abc")).rejects.toThrow(/newer or unknown version/);
    await expect(decodeState("1!!!")).rejects.toThrow(/damaged/);
    await expect(decodeState("1AAAA")).rejects.toThrow(/damaged/);
  });
});
