import { error } from "@sveltejs/kit";
import type { PageLoad } from "./$types";

const STEPS = ["workload", "site", "options", "finance"] as const;

export const load: PageLoad = ({ params }) => {
  const step = STEPS.find((candidate) => candidate === params.step);
  if (!step) error(404, `There is no planner step called "${params.step}"`);
  return { step };
};
