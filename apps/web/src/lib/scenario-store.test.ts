import { describe, expect, it } from "vitest";
import { emptyPlan } from "./plan.ts";
import { BrowserScenarioStore, newScenarioId, type KeyValueStorage } from "./scenario-store.ts";

/** The Web Storage contract over a Map (Node has no localStorage); the store itself is the real one. */
function memoryStorage(): KeyValueStorage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (key) => data.get(key) ?? null, setItem: (key, value) => void data.set(key, value) };
}

describe("BrowserScenarioStore", () => {
  it("saves, lists newest first, reopens, duplicates and deletes", async () => {
    let clock = 1_000;
    const store = new BrowserScenarioStore(memoryStorage(), () => clock++);
    const plan = emptyPlan();
    plan.values["workload.requestsPerDay"] = "5000";
    const first = await store.save({ name: "First", plan });
    const second = await store.save({ name: "Second", plan: { ...plan, model: "llama2-70b" } });
    expect(first.id).toMatch(/^scn_[0-9a-z]{16}$/);
    expect((await store.list()).map((item) => item.name)).toEqual(["Second", "First"]);
    expect((await store.get(first.id))?.plan.values["workload.requestsPerDay"]).toBe("5000");

    const updated = await store.save({ id: first.id, name: "First, revised", plan });
    expect(updated.id).toBe(first.id);
    expect((await store.list()).length).toBe(2);

    const copy = await store.duplicate(second.id);
    expect(copy.id).not.toBe(second.id);
    expect(copy.name).toBe("Second (copy)");
    expect(copy.plan.model).toBe("llama2-70b");

    await store.remove(second.id);
    expect((await store.list()).map((item) => item.id).sort()).toEqual([first.id, copy.id].sort());
    await expect(store.duplicate("scn_missing")).rejects.toThrow(/No saved scenario/);
  });

  it("survives damaged storage without losing the readable entries", async () => {
    const storage = memoryStorage();
    storage.setItem("aifp.scenarios.v1", "not json");
    const store = new BrowserScenarioStore(storage);
    expect(await store.list()).toEqual([]);
    storage.setItem(
      "aifp.scenarios.v1",
      JSON.stringify([
        { id: "scn_a", savedAt: 5, name: "ok", plan: { model: "m", values: { x: "1", y: 2 } } },
        { bad: true },
      ]),
    );
    const list = await store.list();
    expect(list).toHaveLength(1);
    expect(list[0]?.plan.model).toBe("m");
    expect(list[0]?.plan.values).toEqual({ x: "1" });
  });

  it("makes ids that do not repeat", () => {
    const ids = new Set(Array.from({ length: 500 }, () => newScenarioId()));
    expect(ids.size).toBe(500);
  });
});
