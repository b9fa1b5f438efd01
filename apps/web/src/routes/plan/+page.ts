import { redirect } from "@sveltejs/kit";
import { resolve } from "$app/paths";
import type { PageLoad } from "./$types";

// /plan opens the first step, keeping any plan in the query.
export const load: PageLoad = ({ url }) => {
  redirect(307, `${resolve("/plan/[step]", { step: "workload" })}${url.search}`);
};
