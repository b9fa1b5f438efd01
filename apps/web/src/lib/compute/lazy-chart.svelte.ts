/**
 * Chart components loaded on demand (issue 16, ADR 028). LayerChart and its d3 parts are about
 * forty small modules; imported by the results page itself they sat on the path to the first
 * headline (the route renders only once all its modules are in). Now the page loads without
 * them; a chart's module loads when the chart comes near the screen (`RenderWhenNear`, 300 px
 * ahead), and the Print button loads all of them first. Not preloaded in idle time: evaluating
 * LayerChart is one task of about 70 ms on the loaded test machine, a long task after the headline.
 */
import type { Component } from "svelte";

/** Svelte's own bound for a component's props. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyProps = Record<string, any>;

export interface LazyComponent<Props extends AnyProps> {
  /** The component once loaded (reactive), null before. */
  readonly component: Component<Props> | null;
  /** Starts loading (once); resolves when loaded. */
  load(): Promise<void>;
}

function lazy<Props extends AnyProps>(importer: () => Promise<{ default: Component<Props> }>): LazyComponent<Props> {
  let component = $state.raw<Component<Props> | null>(null);
  let loading: Promise<void> | null = null;
  return {
    get component() {
      return component;
    },
    load() {
      loading ??= importer().then((module) => {
        component = module.default;
      });
      return loading;
    },
  };
}

export const resultCharts = lazy(() => import("../components/ResultCharts.svelte"));
export const tornadoChart = lazy(() => import("../components/TornadoChart.svelte"));
export const planTimeline = lazy(() => import("../components/PlanTimeline.svelte"));
export const monteCarloBandChart = lazy(() => import("../components/MonteCarloBandChart.svelte"));

/** Loads every chart module (before printing from the page's Print button). */
export async function loadAllCharts(): Promise<void> {
  await Promise.all([resultCharts, tornadoChart, planTimeline, monteCarloBandChart].map((chart) => chart.load()));
}
