/**
 * The catalog's part of the "Best plan" section, loaded lazily with the section (it shares the
 * price book chunk the engine already loaded): the roadmap's availability of hardware
 * generations not yet on sale (the shared pipeline's `withRoadmapAvailability`, whose month
 * comes from the catalog's one conversion, `firstAvailableMonth`) and each server's generation.
 */
import { generationOfAccelerator, type PriceBook } from "@aifp/catalog";
import { withRoadmapAvailability } from "@aifp/contracts/pipeline";
import type { Scenario } from "@aifp/kernel";
import type { GenerationOf } from "./optimise.ts";
import type { OptionLabel } from "./results.ts";

/** What the results page hands the best-plan and the risk sections. */
export interface PlanSectionProps {
  /** The plan as the page shows it: resolved, with the what-ifs applied. */
  scenario: Scenario;
  /** The same plan without the what-ifs: a change to it (an assumption edited) re-runs the section by itself. */
  asEntered: Scenario;
  labels: Record<string, OptionLabel>;
  book: PriceBook;
}

/** The scenario the optimiser and the risk analysis take, with what the roadmap added. */
export interface PlanningInput {
  scenario: Scenario;
  /** First month per option id, "YYYY-MM", where the roadmap says it is not on sale at the start. */
  availableFrom: Record<string, string>;
  /** The roadmap's additions in words. */
  notes: string[];
  /** Generation name of each build option ("Hopper", "Blackwell"), from its server's accelerator. */
  generationOf: GenerationOf;
}

/** The last answer: the best-plan and risk sections ask for the same scenario one after the other. */
let last: { scenario: Scenario; book: PriceBook; input: PlanningInput } | null = null;

/**
 * Adds the roadmap's availability to a resolved scenario and names each server's generation.
 * The same scenario object and book give the same (shared, not to be mutated) answer.
 */
export function planningInput(scenario: Scenario, book: PriceBook): PlanningInput {
  if (last && last.scenario === scenario && last.book === book) return last.input;
  const input = computePlanningInput(scenario, book);
  last = { scenario, book, input };
  return input;
}

function computePlanningInput(scenario: Scenario, book: PriceBook): PlanningInput {
  const roadmap = withRoadmapAvailability(scenario, book);
  const generations = new Map<string, string>();
  for (const option of scenario.options) {
    if (option.kind !== "build") continue;
    const accelerator =
      option.accelerator ??
      (option.sku ? book.servers.find((server) => server.id === option.sku)?.accelerator : undefined);
    const generation = accelerator ? generationOfAccelerator(book, accelerator) : undefined;
    if (generation) generations.set(option.id, generation.name);
  }
  return {
    scenario: roadmap.scenario,
    availableFrom: roadmap.availableFrom,
    notes: roadmap.notes,
    generationOf: (optionId) => generations.get(optionId) ?? null,
  };
}
