/**
 * Where saved scenarios live, behind one small interface: in this browser (localStorage) for
 * visitors who are not signed in, and in the organisation's account through the API
 * (`server-scenario-store.ts`) for signed-in people. `active-store.ts`'s `scenarioStore()` picks one.
 */
import { normalisePlan, planTitle, type PlanInput } from "./plan.ts";

export interface SavedScenario {
  /** Random, prefixed id (`scn_…`), never sequential. */
  id: string;
  name: string;
  /** Milliseconds since the epoch of the last save. */
  savedAt: number;
  plan: PlanInput;
}

export interface ScenarioStore {
  /** Says where the scenarios are kept, for the UI ("Saved in this browser"). */
  readonly whereLabel: string;
  /** False for viewers: they read saved scenarios but cannot save, copy or delete. */
  readonly canWrite: boolean;
  list(): Promise<SavedScenario[]>;
  get(id: string): Promise<SavedScenario | null>;
  /**
   * Creates (no id) or replaces (existing id) a scenario; returns what was stored. `scenario` is
   * the computed kernel scenario: the organisation's store needs it (it also stores an immutable
   * plan of it), the browser store keeps only the plan.
   */
  save(input: { id?: string; name: string; plan: PlanInput; scenario?: unknown }): Promise<SavedScenario>;
  /** Copies a scenario under a new id, named "… (copy)". */
  duplicate(id: string): Promise<SavedScenario>;
  remove(id: string): Promise<void>;
}

/** The part of the Web Storage API the store uses (localStorage in the browser). */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

const STORAGE_KEY = "aifp.scenarios.v1";
const ID_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";

/** A random scenario id: `scn_` + 16 characters of Crockford base32 (80 bits from the platform's CSPRNG). */
export function newScenarioId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let id = "scn_";
  for (const byte of bytes) id += ID_ALPHABET[byte % 32];
  return id;
}

/** Scenarios saved in this browser's localStorage, as one JSON list. */
export class BrowserScenarioStore implements ScenarioStore {
  readonly whereLabel = "Saved in this browser";
  readonly canWrite = true;
  readonly #storage: KeyValueStorage;
  readonly #now: () => number;

  constructor(storage: KeyValueStorage, now: () => number = Date.now) {
    this.#storage = storage;
    this.#now = now;
  }

  #read(): SavedScenario[] {
    const text = this.#storage.getItem(STORAGE_KEY);
    if (!text) return [];
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      return [];
    }
    if (!Array.isArray(raw)) return [];
    const out: SavedScenario[] = [];
    for (const item of raw) {
      if (typeof item !== "object" || item === null) continue;
      const record = item as Record<string, unknown>;
      if (typeof record.id !== "string" || typeof record.savedAt !== "number") continue;
      const plan = normalisePlan(record.plan);
      out.push({
        id: record.id,
        name: typeof record.name === "string" ? record.name : planTitle(plan),
        savedAt: record.savedAt,
        plan,
      });
    }
    return out;
  }

  #write(list: SavedScenario[]): void {
    this.#storage.setItem(STORAGE_KEY, JSON.stringify(list));
  }

  async list(): Promise<SavedScenario[]> {
    return this.#read().sort((a, b) => b.savedAt - a.savedAt);
  }

  async get(id: string): Promise<SavedScenario | null> {
    return this.#read().find((item) => item.id === id) ?? null;
  }

  async save(input: { id?: string; name: string; plan: PlanInput }): Promise<SavedScenario> {
    const name = input.name.trim() || planTitle(input.plan);
    const saved: SavedScenario = {
      id: input.id ?? newScenarioId(),
      name,
      savedAt: this.#now(),
      plan: structuredClone({ ...input.plan, name }),
    };
    const list = this.#read().filter((item) => item.id !== saved.id);
    list.push(saved);
    this.#write(list);
    return saved;
  }

  async duplicate(id: string): Promise<SavedScenario> {
    const original = await this.get(id);
    if (!original) throw new Error(`No saved scenario has the id ${id}`);
    return this.save({ name: `${original.name} (copy)`, plan: original.plan });
  }

  async remove(id: string): Promise<void> {
    this.#write(this.#read().filter((item) => item.id !== id));
  }
}

let browserStore: ScenarioStore | null = null;

/** The browser-local store (visitors who are not signed in, or not in an organisation yet). */
export function browserScenarioStore(): ScenarioStore {
  browserStore ??= new BrowserScenarioStore(localStorage);
  return browserStore;
}
