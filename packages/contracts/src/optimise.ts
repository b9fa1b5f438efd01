/**
 * Wire schemas of the optimiser's request (docs/optimiser.md): `{ scenario, optimise? }`, strict
 * everywhere. The scenario is the evaluate scenario plus, on any option, the optimiser's
 * `availableFrom: "YYYY-MM"` (the first month a hardware generation or an offer can be used; the
 * kernel reads it, `evaluate` ignores it). Settings follow the kernel's `OptimiseSettings`.
 */
import { describeReceived, type OptimiseSettings, type Scenario } from "@aifp/kernel";
import * as v from "valibot";
import { numberField } from "./fields.ts";
import { optionSchemaWith, scenarioSchemaWith } from "./scenario.ts";

/** Month as "YYYY-MM". */
export const MONTH_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;

const monthMessage = (issue: v.BaseIssue<unknown>): string =>
  `expected a month as "YYYY-MM", got ${describeReceived(issue.input)}`;

/** A calendar month "YYYY-MM" with the scenario's message. */
export const MonthSchema = v.pipe(v.string(monthMessage), v.regex(MONTH_PATTERN, monthMessage));

/** Strict object of settings: an unknown key is named as not a setting. */
function settingsObject<const TEntries extends v.ObjectEntries>(entries: TEntries, what: string, kind: string) {
  return v.strictObject(entries, (issue) =>
    issue.kind === "schema" && issue.expected === "never"
      ? `unknown field: not ${kind} (check its spelling)`
      : `expected ${what}, got ${describeReceived(issue.input)}`,
  );
}

/** The planning periods the kernel accepts, months. */
export const PERIOD_MONTHS_CHOICES = [12, 6, 3, 1] as const;

const fraction = numberField({ min: 0, max: 1 });
const nonNegativeUsd = numberField({ min: 0 });

/** Optimiser settings (all optional; the kernel's defaults apply). */
export const OptimiseSettingsSchema = settingsObject(
  {
    periodMonths: v.optional(
      v.picklist(
        PERIOD_MONTHS_CHOICES,
        (issue) => `expected 12, 6, 3 or 1 (months per planning period), got ${describeReceived(issue.input)}`,
      ),
    ),
    availableFrom: v.optional(
      v.record(
        v.pipe(v.string(), v.nonEmpty("expected an option id")),
        MonthSchema,
        (issue) => `expected an object mapping option ids to "YYYY-MM", got ${describeReceived(issue.input)}`,
      ),
    ),
    capexBudgetUsdPerYear: v.optional(
      v.union(
        [nonNegativeUsd, v.pipe(v.array(nonNegativeUsd), v.minLength(1))],
        (issue) =>
          `expected a number >= 0 (USD per plan year) or a list of them (one per plan year), got ${describeReceived(issue.input)}`,
      ),
    ),
    maxShare: v.optional(
      settingsObject(
        { build: v.optional(fraction), lease: v.optional(fraction), api: v.optional(fraction) },
        "an object { build, lease, api } of fractions 0–1",
        "a path (build, lease or api)",
      ),
    ),
    allowEarlyRetirement: v.optional(
      v.boolean((issue) => `expected true or false, got ${describeReceived(issue.input)}`),
    ),
    explain: v.optional(v.boolean((issue) => `expected true or false, got ${describeReceived(issue.input)}`)),
    timeLimitSeconds: v.optional(numberField({ min: 0, minExclusive: true, max: 3600 })),
    mipRelativeGap: v.optional(numberField({ min: 0, minExclusive: true, max: 0.5 })),
  },
  "an object of optimiser settings",
  "an optimiser setting",
);

/** Optimiser settings as accepted on the wire. */
export type OptimiseSettingsInput = v.InferOutput<typeof OptimiseSettingsSchema>;

/** An option of a planning scenario: the wire option plus `availableFrom`. */
export const PlanningOptionSchema = optionSchemaWith({ availableFrom: v.optional(MonthSchema) });

/**
 * The scenario the optimiser and the risk analysis take: the evaluate scenario, where every
 * option may carry `availableFrom: "YYYY-MM"`.
 */
export const PlanningScenarioSchema = scenarioSchemaWith(PlanningOptionSchema);

/** A planning scenario as accepted on the wire. */
export type PlanningScenarioInput = v.InferOutput<typeof PlanningScenarioSchema>;

type PathItem = v.IssuePathItem;
const objectStep = (input: Record<string, unknown>, key: string, value: unknown): PathItem => ({
  type: "object",
  origin: "value",
  input,
  key,
  value,
});

/**
 * `{ scenario, optimise? }`. Beyond each part's own checks: every `optimise.availableFrom` key
 * names an option, and a list of yearly budgets has one entry per plan year.
 */
export const OptimiseRequestSchema = v.pipe(
  settingsObject(
    { scenario: PlanningScenarioSchema, optimise: v.optional(OptimiseSettingsSchema) },
    'an object { "scenario": { … }, "optimise": { … } }',
    'part of an optimise request (expected "scenario" and "optimise")',
  ),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const request = dataset.value;
    const settings = request.optimise;
    if (!settings) return;
    const body = request as unknown as Record<string, unknown>;
    const settingsRecord = settings as unknown as Record<string, unknown>;
    const ids = new Set(request.scenario.options.map((option) => option.id));
    for (const [id, month] of Object.entries(settings.availableFrom ?? {})) {
      if (ids.has(id)) continue;
      const map = settings.availableFrom as Record<string, unknown>;
      addIssue({
        message: `no option has the id ${describeReceived(id)}`,
        path: [
          objectStep(body, "optimise", settings),
          objectStep(settingsRecord, "availableFrom", map),
          objectStep(map, id, month),
        ],
      });
    }
    const budget = settings.capexBudgetUsdPerYear;
    const years = Math.ceil(Math.round(request.scenario.horizonYears * 12) / 12);
    if (Array.isArray(budget) && budget.length !== years) {
      addIssue({
        message: `expected ${years} yearly budgets (one per plan year), got ${budget.length}`,
        path: [objectStep(body, "optimise", settings), objectStep(settingsRecord, "capexBudgetUsdPerYear", budget)],
      });
    }
  }),
);

/** An optimise request as accepted on the wire. */
export type OptimiseRequestInput = v.InferOutput<typeof OptimiseRequestSchema>;

// The wire types and the kernel's types must stay interchangeable.
const planningToKernel = (scenario: PlanningScenarioInput): Scenario => scenario;
const settingsToKernel = (settings: OptimiseSettingsInput): OptimiseSettings => settings;
void planningToKernel;
void settingsToKernel;
