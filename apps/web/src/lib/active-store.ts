/**
 * The scenario store the pages use: the organisation's (through the API) when the person is
 * signed in and works in an organisation, otherwise this browser's. Decided on every call, so
 * signing in or out switches it without a reload. (Kept apart from `scenario-store.ts`, which
 * has no dependency on the account state and is unit-tested in Node.)
 */
import { account, accountReady } from "./account.svelte.ts";
import { browserScenarioStore, type ScenarioStore } from "./scenario-store.ts";
import { ServerScenarioStore, serverWhereLabel } from "./server-scenario-store.ts";

/** The store for the current person (see the module comment). */
export function scenarioStore(): ScenarioStore {
  return accountAwareStore;
}

async function current(): Promise<ScenarioStore> {
  const me = await accountReady();
  return me.kind === "session" && me.active ? new ServerScenarioStore(me.active) : browserScenarioStore();
}

const accountAwareStore: ScenarioStore = {
  get whereLabel(): string {
    const active = account.me.kind === "session" ? account.me.active : null;
    return active ? serverWhereLabel(active.orgName) : browserScenarioStore().whereLabel;
  },
  get canWrite(): boolean {
    const active = account.me.kind === "session" ? account.me.active : null;
    return active ? active.role !== "viewer" : true;
  },
  list: async () => (await current()).list(),
  get: async (id) => (await current()).get(id),
  save: async (input) => (await current()).save(input),
  duplicate: async (id) => (await current()).duplicate(id),
  remove: async (id) => (await current()).remove(id),
};
