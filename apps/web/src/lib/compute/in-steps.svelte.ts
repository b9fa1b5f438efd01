import { flushSync } from "svelte";
import { afterPaint } from "./after-paint.ts";

/**
 * Set while the page is being made complete for printing: a part mounted by that show-all (its
 * own `beforeprint` listener is added too late for the event being dispatched) starts complete.
 */
let printing = false;

/**
 * A count that grows by `step` in a task of its own after each paint, from `first` up to
 * `total()`, once `ready()` (issue 16, ADR 039 and 044): a page or a part draws its first
 * `shown` pieces (parts, rows), then one more step per task, so no single task builds all of it
 * and input that arrives in between is handled first. `beforeprint` shows everything at once, so
 * printing is complete. Call it while a component initialises (its effects belong to it).
 */
export function countAfterPaint(options: {
  /** Whether stepping may start (the answer is drawn). */
  ready?: () => boolean;
  /** How many pieces there are; read reactively, so a longer list keeps stepping. */
  total: () => number;
  /** Pieces added per task. */
  step?: number;
  /** Pieces shown at once, before the first paint. */
  first?: number;
}): { readonly shown: number } {
  const step = options.step ?? 1;
  const ready = options.ready ?? (() => true);
  let shown = $state(printing ? options.total() : (options.first ?? 0));

  $effect(() => {
    if (!ready() || shown >= options.total()) return;
    return afterPaint(() => (shown = Math.min(shown + step, options.total())));
  });

  function showAll(): void {
    if (shown >= options.total()) return;
    printing = true;
    try {
      shown = options.total();
      flushSync();
    } finally {
      printing = false;
    }
  }
  $effect(() => {
    addEventListener("beforeprint", showAll);
    return () => removeEventListener("beforeprint", showAll);
  });

  return {
    get shown() {
      return shown;
    },
  };
}
