/**
 * The plan being worked on, shared by every wizard step and the results page. It is kept in
 * three places so nothing typed is lost: in memory (reactive), in the URL (`?p=`, compressed;
 * the URL identifies what is shown and can be shared or bookmarked) and in localStorage (a
 * reload or a new tab without `?p=` picks up where the person left off).
 */
import { goto } from "$app/navigation";
import { navigating, page } from "$app/state";
import { emptyPlan, normalisePlan, type PlanInput } from "./plan.ts";
import { decodeState, encodeState } from "./url-state.ts";

const WORKING_KEY = "aifp.working.v1";
const SAVED_ID_KEY = "aifp.working.savedId.v1";
export const PLAN_PARAM = "p";
export const SAVED_PARAM = "id";

/**
 * Encodings this tab wrote itself. A link inside the app may carry an encoding that is a few
 * keystrokes old (the URL is written shortly after typing); the in-memory plan is newer, so
 * such a URL never replaces it. Only a plan from elsewhere (a shared link, a saved scenario
 * opened, a first load) is read from the URL.
 */
// Bookkeeping only, never rendered: a plain Set on purpose.
// eslint-disable-next-line svelte/prefer-svelte-reactivity
const ownEncodings = new Set<string>();

export const working = $state<{
  plan: PlanInput;
  /** Id of the saved scenario this plan was opened from or saved as (null: not saved). */
  savedId: string | null;
  /** True once the plan has been read from the URL or storage. */
  ready: boolean;
  /** A problem reading the plan from the link, in plain words. */
  loadProblem: string | null;
  /** The encoded plan as last written to the URL. */
  encoded: string;
}>({ plan: emptyPlan(), savedId: null, ready: false, loadProblem: null, encoded: "" });

/**
 * Reads the plan for the current URL: `?p=` wins (a shared or bookmarked link), then
 * localStorage, then an empty plan. Idempotent per URL: a step change keeps the in-memory plan.
 */
export async function loadWorkingPlan(url: { searchParams: { get(name: string): string | null } }): Promise<void> {
  const encoded = url.searchParams.get(PLAN_PARAM);
  const savedId = url.searchParams.get(SAVED_PARAM);
  if (working.ready && (encoded === null || encoded === working.encoded || ownEncodings.has(encoded))) return;
  if (encoded) {
    try {
      working.plan = normalisePlan(await decodeState(encoded));
      ownEncodings.add(encoded);
      working.encoded = encoded;
      working.savedId = savedId;
      working.loadProblem = null;
      working.ready = true;
      return;
    } catch (error) {
      working.loadProblem = error instanceof Error ? error.message : String(error);
    }
  }
  const stored = localStorage.getItem(WORKING_KEY);
  if (stored) {
    try {
      working.plan = normalisePlan(JSON.parse(stored));
      working.savedId = localStorage.getItem(SAVED_ID_KEY);
    } catch {
      working.plan = emptyPlan();
    }
  }
  working.ready = true;
}

/** Replaces the working plan (opening a saved scenario, starting over). */
export function setWorkingPlan(plan: PlanInput, savedId: string | null): void {
  working.plan = normalisePlan(structuredClone($state.snapshot(plan)));
  working.savedId = savedId;
}

/** The query (`p=…&id=…`, without "?") that identifies the working plan; base64url needs no escaping. */
export function planQuery(): string {
  const parts: string[] = [];
  if (working.encoded) parts.push(`${PLAN_PARAM}=${working.encoded}`);
  if (working.savedId) parts.push(`${SAVED_PARAM}=${encodeURIComponent(working.savedId)}`);
  return parts.join("&");
}

let writeTimer: ReturnType<typeof setTimeout> | undefined;
let writeSequence = 0;

/**
 * Writes the plan to localStorage in the next task and to the URL shortly after (the encoding is
 * asynchronous; the latest write wins). Called from an effect whenever the plan changes.
 */
export function persistWorkingPlan(): void {
  // Not in the change's own task: a slider move re-draws the headline first, and the copy, the
  // JSON and the storage write (a few ms each on a slow machine) follow in a task of their own
  // (issue 16: slider → headline ≤ 8 ms). The latest plan wins; leaving the page writes it now.
  clearTimeout(storeTimer);
  storeTimer = setTimeout(storeWorkingPlan, 0);
}

let storeTimer: ReturnType<typeof setTimeout> | undefined;
if (typeof addEventListener === "function") addEventListener("pagehide", () => storeTimer && storeWorkingPlan());

function storeWorkingPlan(): void {
  clearTimeout(storeTimer);
  storeTimer = undefined;
  // $state.snapshot<T> returns Snapshot<T>; the assertion says the plan snapshots to itself (plain data).
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
  const snapshot = $state.snapshot(working.plan) as PlanInput;
  localStorage.setItem(WORKING_KEY, JSON.stringify(snapshot));
  if (working.savedId) localStorage.setItem(SAVED_ID_KEY, working.savedId);
  else localStorage.removeItem(SAVED_ID_KEY);
  clearTimeout(writeTimer);
  const sequence = ++writeSequence;
  writeTimer = setTimeout(() => {
    void encodeState(snapshot).then((encoded) => {
      if (sequence !== writeSequence) return;
      ownEncodings.add(encoded);
      working.encoded = encoded;
      // A link navigation is under way: a URL write now would target the page being left (and a
      // later click on a link to that same URL would then do nothing). The layout writes the URL
      // again once the navigation has landed (see `syncUrlAfterNavigation`).
      if (navigating.to !== null) return;
      const search = `?${planQuery()}`;
      if (search === page.url.search) return;
      // The current page's own path with a new query: nothing to resolve. A shallow replace
      // changes the URL without a navigation (no load, no focus or scroll change).
      // eslint-disable-next-line svelte/no-navigation-without-resolve
      void goto(`${page.url.pathname}${search}`, { state: page.state, shallow: true, replace: true });
    });
  }, 150);
}

/**
 * After a navigation lands: links carry the encoding known when they were rendered, which can be
 * a few keystrokes old. If the URL does not carry the latest plan, write it again.
 */
export function syncUrlAfterNavigation(url: { searchParams: { get(name: string): string | null } }): void {
  if (!working.ready || working.encoded === "" || url.searchParams.get(PLAN_PARAM) === working.encoded) return;
  persistWorkingPlan();
}

/** Encodes the current plan now (before a navigation, so the next URL carries it); returns the query without "?". */
export async function flushWorkingPlan(): Promise<string> {
  if (storeTimer) storeWorkingPlan();
  clearTimeout(writeTimer);
  writeSequence++;
  working.encoded = await encodeState($state.snapshot(working.plan));
  ownEncodings.add(working.encoded);
  return planQuery();
}
