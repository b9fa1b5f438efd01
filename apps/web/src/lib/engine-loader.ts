/**
 * Loads the planner's engine (price book, resolver, schema, kernel) on demand, once. The first
 * page never pays for it; the wizard starts loading it as soon as it opens.
 */
import type * as EngineModule from "./engine.ts";

export type Engine = typeof EngineModule;

let loading: Promise<Engine> | null = null;

/** The engine module, imported lazily and shared by every page. */
export function loadEngine(): Promise<Engine> {
  loading ??= import("./engine.ts");
  return loading;
}
