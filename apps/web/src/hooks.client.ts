import type { ClientInit } from "@sveltejs/kit/hooks";
import { resolve } from "$app/paths";
import { loadEngine } from "#lib/engine-loader.ts";

/**
 * A planner page opened directly (a shared link to the results, a reload): the engine chunk
 * (price book, resolver, kernel) starts downloading as the app starts, alongside the route's own
 * chunks, not after them when the `/plan` layout first runs (issue 16: time to a computed result).
 * Not awaited: the page renders as before; the layout's `loadEngine()` gets the same promise.
 */
export const init: ClientInit = () => {
  const path = location.pathname;
  if (path.startsWith(resolve("/plan")) || path.startsWith(resolve("/compare"))) void loadEngine();
};
