import type { OrgQuote } from "@aifp/catalog";
import { account, errorMessage } from "./account.svelte.ts";
import { loadPlannerQuotes } from "./org-quotes.ts";

/**
 * The signed-in organisation's valid quotes, for pages that compute plans (the planner and the
 * compare page): reloaded when the active organisation changes, none when anonymous. `problem`
 * says why they could not be loaded (public prices are then used). Call during component set-up.
 */
export function orgQuotesOfActiveOrg(): { readonly quotes: OrgQuote[]; readonly problem: string | null } {
  let quotes = $state.raw<OrgQuote[]>([]);
  let problem = $state<string | null>(null);
  $effect(() => {
    const orgId = account.me.active?.orgId ?? null;
    problem = null;
    if (!orgId) {
      // Only when there were some: a new empty list would make every plan be computed again
      // (and the results page drawn again) when the anonymous session's `me` arrives.
      if (quotes.length > 0) quotes = [];
      return;
    }
    let current = true;
    loadPlannerQuotes(orgId)
      .then((loaded) => {
        if (current) quotes = loaded;
      })
      .catch((error: unknown) => {
        if (current) problem = errorMessage(error);
      });
    return () => {
      current = false;
    };
  });
  return {
    get quotes() {
      return quotes;
    },
    get problem() {
      return problem;
    },
  };
}
