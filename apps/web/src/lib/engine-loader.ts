/**
 * Loads the planner's engine (price book, resolver, schema, kernel) on demand, once. The first
 * page never pays for it; the wizard starts loading it as soon as it opens.
 */
import type * as EngineModule from "./engine.ts";

export type Engine = typeof EngineModule;

let loading: Promise<Engine> | null = null;
let loaded: Engine | null = null;

/** The engine module, imported lazily and shared by every page. */
export function loadEngine(): Promise<Engine> {
  loading ??= import("./engine.ts").then((engine) => (loaded = engine));
  return loading;
}

/**
 * The engine if it is loaded, else null, without importing it: a component drawn only from the
 * engine's answers (a figure's source) reads the book here, so the page's own chunk does not
 * import the 2.4 MB engine chunk statically and can render while it downloads (issue 16, ADR 039).
 */
export function engineNow(): Engine | null {
  return loaded;
}
