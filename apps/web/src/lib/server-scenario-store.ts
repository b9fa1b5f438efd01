/**
 * Saved scenarios in the organisation's account, through the API (`/api/v1/scenarios` and
 * `/plans`) with the session cookie. Each save stores the computed scenario (what the API
 * evaluates), the wizard's own inputs (`webPlan`, so it reopens where it was left) and an
 * immutable plan pinned to the price book and kernel versions. Viewers read; the API refuses
 * their writes anyway (403).
 */
import type { CreateScenarioBody, Role, StoredScenario as ApiScenario } from "@aifp/contracts/api";
import { api } from "./api-client.ts";
import { normalisePlan, planTitle, type PlanInput } from "./plan.ts";
import type { SavedScenario, ScenarioStore } from "./scenario-store.ts";

/** Most saved scenarios the list shows (one API page). */
const LIST_LIMIT = 100;

/** "Saved to Northwind's account", for the UI. */
export function serverWhereLabel(orgName: string): string {
  return `Saved to ${orgName}'s account: everyone in the organisation can see them`;
}

function toSaved(item: ApiScenario): SavedScenario {
  const plan = normalisePlan(item.webPlan ?? { name: item.name });
  return { id: item.id, name: item.name, savedAt: Date.parse(item.updatedAt), plan };
}

export class ServerScenarioStore implements ScenarioStore {
  readonly whereLabel: string;
  readonly canWrite: boolean;

  constructor(active: { orgName: string; role: Role }) {
    this.whereLabel = serverWhereLabel(active.orgName);
    this.canWrite = active.role !== "viewer";
  }

  async list(): Promise<SavedScenario[]> {
    const { data } = await api("GET /scenarios", { query: { limit: LIST_LIMIT } });
    const items = await Promise.all(data.data.map((item) => this.#fetch(item.id)));
    return items
      .filter((item): item is ApiScenario => item !== null)
      .map(toSaved)
      .sort((a, b) => b.savedAt - a.savedAt);
  }

  async get(id: string): Promise<SavedScenario | null> {
    const item = await this.#fetch(id);
    return item ? toSaved(item) : null;
  }

  async save(input: { id?: string; name: string; plan: PlanInput; scenario?: unknown }): Promise<SavedScenario> {
    if (input.scenario === undefined || input.scenario === null) {
      throw new Error("Finish the plan first: only a complete plan can be saved to your organisation.");
    }
    const name = input.name.trim() || planTitle(input.plan);
    const webPlan = structuredClone({ ...input.plan, name });
    // The engine's computed scenario (typed `unknown` by the store interface); the API validates it.
    const scenario = input.scenario as CreateScenarioBody["scenario"];
    let saved: ApiScenario;
    const existing = input.id === undefined ? null : await this.#fetch(input.id);
    if (existing) {
      ({ data: saved } = await api("PATCH /scenarios/{id}", {
        params: { id: existing.id },
        body: { name, scenario, webPlan },
        headers: { "If-Match": `"${existing.version}"` },
      }));
    } else {
      ({ data: saved } = await api("POST /scenarios", { body: { name, scenario, webPlan } }));
    }
    // Pin what was saved as an immutable plan (price book + kernel versions), at this version.
    await api("POST /scenarios/{id}/plans", {
      params: { id: saved.id },
      body: { name },
      headers: { "If-Match": `"${saved.version}"` },
    });
    return toSaved(saved);
  }

  async duplicate(id: string): Promise<SavedScenario> {
    const original = await this.#fetch(id);
    if (!original) throw new Error(`No saved scenario has the id ${id}`);
    const plan = normalisePlan(original.webPlan ?? {});
    return this.save({ name: `${original.name} (copy)`, plan, scenario: original.scenario });
  }

  async remove(id: string): Promise<void> {
    await api("DELETE /scenarios/{id}", { params: { id } });
  }

  async #fetch(id: string): Promise<ApiScenario | null> {
    try {
      return (await api("GET /scenarios/{id}", { params: { id } })).data;
    } catch (error) {
      if (error instanceof Error && "status" in error && (error as { status: number }).status === 404) return null;
      throw error;
    }
  }
}
