/**
 * Wire schema of a scenario (cost-model.md "Scenario shape"): strict objects everywhere (an
 * unknown or misspelt field is an error naming it), every number bounded by the kernel's rules.
 *
 * Numbers the catalog can supply (prices, throughput, GPUs per unit, power, the electricity
 * price) are optional here, because an option may name a catalog `sku`, `offer` or
 * `accelerator` (a site a `region`) for the catalog to resolve first. The kernel requires them
 * inline: `evaluate` reports any still missing as an `invalid` ScenarioError naming the field.
 */
import { OPTION_RULES, SCENARIO_RULES, describeReceived, type Scenario } from "@aifp/kernel";
import * as v from "valibot";
import { describeRules, numberField, objectMessage, textField } from "./fields.ts";

const S = SCENARIO_RULES;
const O = OPTION_RULES;
const required = numberField;
const optional = (rule: Parameters<typeof numberField>[0]) => v.optional(numberField(rule));

/** A share 0–1 (cached input share, batch share): catalog-only fields, the kernel never reads them. */
const SHARE = { min: 0, max: 1 } as const;

const DESCRIPTIONS: Readonly<Record<string, string>> = {
  ...describeRules(S),
  ...describeRules(O),
  startMonth: 'a month as "YYYY-MM"',
  finance: "an object with discountRatePerYear",
  workload: "an object with inputTokensPerRequest, outputTokensPerRequest and requestsPerDay",
  options: "a list of at least one option",
  id: "a non-empty option id",
  kind: '"build", "lease" or "api"',
};

const strict = <const TEntries extends v.ObjectEntries>(entries: TEntries, what = "an object") =>
  v.strictObject(entries, objectMessage(what, DESCRIPTIONS));

/** Catalog references an option may carry (resolved by `@aifp/catalog`, never by the kernel). */
const catalogReferences = {
  sku: v.optional(textField("a catalog server SKU key")),
  offer: v.optional(textField("a catalog offer key")),
  accelerator: v.optional(textField("a catalog accelerator key")),
};

export const FinanceSchema = strict({
  discountRatePerYear: required(S.discountRatePerYear),
});

export const WorkloadSchema = strict({
  model: v.optional(textField("a model label")),
  inputTokensPerRequest: required(S.inputTokensPerRequest),
  outputTokensPerRequest: required(S.outputTokensPerRequest),
  requestsPerDay: required(S.requestsPerDay),
  growthPerYear: optional(S.growthPerYear),
  peakToAverage: optional(S.peakToAverage),
  targetUtilization: optional(S.targetUtilization),
  /** Share of input tokens read from a provider's prompt cache (API options priced from the catalog). */
  cachedInputShare: optional(SHARE),
  /** Share of requests sent through a provider's batch API (API options priced from the catalog). */
  batchShare: optional(SHARE),
});

export const SiteSchema = strict({
  region: v.optional(textField("a catalog region key")),
  electricityUsdPerKwh: optional(S.electricityUsdPerKwh),
  electricityEscalationPerYear: optional(S.electricityEscalationPerYear),
  pue: optional(S.pue),
  colocationUsdPerKwMonth: optional(S.colocationUsdPerKwMonth),
  gridCarbonGPerKwh: optional(S.gridCarbonGPerKwh),
  powerCapKw: optional(S.powerCapKw),
});

const optionId = textField("a non-empty option id");

/** Fields of a build option (shared by the scenario and the optimiser's planning scenario). */
export const BUILD_OPTION_ENTRIES = {
  kind: v.literal("build"),
  id: optionId,
  ...catalogReferences,
  priceUsd: optional(O.priceUsd),
  gpusPerServer: optional(O.gpusPerServer),
  kw: optional(O.kw),
  adders: optional(O.adders),
  lifeYears: optional(O.lifeYears),
  spareFraction: optional(O.spareFraction),
  maintenancePerYear: optional(O.maintenancePerYear),
  warrantyYears: optional(O.warrantyYears),
  softwareUsdPerGpuYear: optional(O.softwareUsdPerGpuYear),
  serversPerFte: optional(O.serversPerFte),
  fteUsdPerYear: optional(O.fteUsdPerYear),
  otherUsdPerServerYear: optional(O.otherUsdPerServerYear),
  resaleDeclinePerYear: optional(O.resaleDeclinePerYear),
  priceChangePerYear: optional(O.priceChangePerYear),
  idlePowerFraction: optional(O.idlePowerFraction),
  outputTokensPerSecondPerGpu: optional(O.outputTokensPerSecondPerGpu),
  inputTokensPerSecondPerGpu: optional(O.inputTokensPerSecondPerGpu),
};

export const BuildOptionSchema = strict(BUILD_OPTION_ENTRIES);

/** Fields of a lease option. */
export const LEASE_OPTION_ENTRIES = {
  kind: v.literal("lease"),
  id: optionId,
  ...catalogReferences,
  priceUsdPerInstanceHour: optional(O.priceUsdPerInstanceHour),
  gpusPerInstance: optional(O.gpusPerInstance),
  termYears: optional(O.termYears),
  priceChangePerYear: optional(O.priceChangePerYear),
  softwareUsdPerGpuYear: optional(O.softwareUsdPerGpuYear),
  outputTokensPerSecondPerGpu: optional(O.outputTokensPerSecondPerGpu),
  inputTokensPerSecondPerGpu: optional(O.inputTokensPerSecondPerGpu),
};

export const LeaseOptionSchema = strict(LEASE_OPTION_ENTRIES);

/** Fields of an API option. */
export const API_OPTION_ENTRIES = {
  kind: v.literal("api"),
  id: optionId,
  ...catalogReferences,
  /** The model the API serves when it is not the workload's (e.g. a frontier model); a catalog model key. */
  model: v.optional(textField("a catalog model key")),
  /** Buy from this provider (its current offer for the model), e.g. "Groq" or "groq". */
  provider: v.optional(textField("an API provider name")),
  /** Pick an offer for the model: the cheapest, or the median of the hosts, for the workload's token mix. */
  select: v.optional(
    v.picklist(
      ["cheapest", "median"] as const,
      (issue) => `expected "cheapest" or "median", got ${describeReceived(issue.input)}`,
    ),
  ),
  usdPerMillionInputTokens: optional(O.usdPerMillionInputTokens),
  usdPerMillionOutputTokens: optional(O.usdPerMillionOutputTokens),
  priceChangePerYear: optional(O.priceChangePerYear),
};

export const ApiOptionSchema = strict(API_OPTION_ENTRIES);

/** Message of the option variant: a wrong `kind` is named as such. */
const optionMessage = (issue: v.BaseIssue<unknown>): string => {
  const last = issue.path?.[issue.path.length - 1]?.key;
  return last === "kind"
    ? `expected "build", "lease" or "api", got ${describeReceived(issue.input)}`
    : `expected an option object, got ${describeReceived(issue.input)}`;
};

/** One option, told apart by `kind`. */
export const OptionSchema = v.variant("kind", [BuildOptionSchema, LeaseOptionSchema, ApiOptionSchema], optionMessage);

/** Strict object with the scenario's messages (missing fields named with what they expect). */
export function strictScenarioObject<const TEntries extends v.ObjectEntries>(entries: TEntries, what = "an object") {
  return strict(entries, what);
}

/**
 * The three option variants with extra fields on each (the optimiser's `availableFrom`), with
 * the same messages as {@link OptionSchema}.
 */
export function optionSchemaWith<const TExtra extends v.ObjectEntries>(extra: TExtra) {
  return v.variant(
    "kind",
    [
      strict({ ...BUILD_OPTION_ENTRIES, ...extra }),
      strict({ ...LEASE_OPTION_ENTRIES, ...extra }),
      strict({ ...API_OPTION_ENTRIES, ...extra }),
    ],
    optionMessage,
  );
}

/** Most options one scenario may carry on the wire. */
export const MAX_OPTIONS = 100;

/** A scenario object whose options follow `option` (the wire option, or one with extra fields). */
function scenarioObjectSchema<TOption extends v.GenericSchema<unknown, { id: string }>>(option: TOption) {
  return strict(
    {
      name: v.optional(v.pipe(v.string("expected a text"), v.maxLength(200, "expected at most 200 characters"))),
      startMonth: v.pipe(
        v.string((issue) => `expected a month as "YYYY-MM", got ${describeReceived(issue.input)}`),
        v.regex(
          /^\d{4}-(0[1-9]|1[0-2])$/,
          (issue) => `expected a month as "YYYY-MM", got ${describeReceived(issue.input)}`,
        ),
      ),
      horizonYears: required(S.horizonYears),
      finance: FinanceSchema,
      workload: WorkloadSchema,
      site: v.optional(SiteSchema),
      options: v.pipe(
        v.array(option, (issue) => `expected a list of options, got ${describeReceived(issue.input)}`),
        v.minLength(1, "expected at least one option, got an empty list"),
        v.maxLength(MAX_OPTIONS, `expected at most ${MAX_OPTIONS} options`),
      ),
      servingStack: v.optional(
        v.picklist(
          ["open-source", "nvidia-ai-enterprise", "amd-enterprise-ai", "none"],
          (issue) =>
            `expected "open-source", "nvidia-ai-enterprise", "amd-enterprise-ai" or "none", got ${describeReceived(issue.input)}`,
        ),
      ),
      leaseCommitment: v.optional(
        v.picklist(
          ["as-offered", "on-demand", "1y", "3y", "match-horizon"],
          (issue) =>
            `expected "as-offered", "on-demand", "1y", "3y" or "match-horizon", got ${describeReceived(issue.input)}`,
        ),
      ),
      comparison: v.optional(strict({ baselineOptionId: v.optional(textField("an option id")) })),
    },
    "a scenario object",
  );
}

type ScenarioObjectLike = Record<string, unknown> & {
  options: ({ id: string } & Record<string, unknown>)[];
  comparison?: (Record<string, unknown> & { baselineOptionId?: string | undefined }) | undefined;
};

/**
 * A scenario schema with `option` as its option schema. Beyond each field's own checks: option
 * ids are unique, and `comparison.baselineOptionId` names one of them.
 */
export function scenarioSchemaWith<TOption extends v.GenericSchema<unknown, { id: string }>>(option: TOption) {
  return v.pipe(
    scenarioObjectSchema(option),
    v.rawCheck(({ dataset, addIssue }) => {
      if (!dataset.typed) return;
      const scenario = dataset.value as ScenarioObjectLike;
      const firstIndex = new Map<string, number>();
      scenario.options.forEach((item, index) => {
        const first = firstIndex.get(item.id);
        if (first === undefined) {
          firstIndex.set(item.id, index);
          return;
        }
        addIssue({
          message: `duplicate id ${describeReceived(item.id)}: options.${first} has it already`,
          path: [
            { type: "object", origin: "value", input: scenario, key: "options", value: scenario.options },
            { type: "array", origin: "value", input: scenario.options, key: index, value: item },
            { type: "object", origin: "value", input: item, key: "id", value: item.id },
          ],
        });
      });
      const baseline = scenario.comparison?.baselineOptionId;
      if (baseline !== undefined && !firstIndex.has(baseline)) {
        const comparison = scenario.comparison as NonNullable<ScenarioObjectLike["comparison"]>;
        addIssue({
          message: `no option has the id ${describeReceived(baseline)}`,
          path: [
            { type: "object", origin: "value", input: scenario, key: "comparison", value: comparison },
            { type: "object", origin: "value", input: comparison, key: "baselineOptionId", value: baseline },
          ],
        });
      }
    }),
  );
}

/** The scenario on the wire (cost model v1). */
export const ScenarioSchema = scenarioSchemaWith(OptionSchema);

/** A scenario as accepted on the wire (catalog references allowed, catalog numbers optional). */
export type ScenarioInput = v.InferOutput<typeof ScenarioSchema>;

// The wire type and the kernel's input type must stay interchangeable: both directions compile.
const wireToKernel = (scenario: ScenarioInput): Scenario => scenario;
const kernelToWire = (scenario: Scenario): v.InferInput<typeof ScenarioSchema> => scenario;
void wireToKernel;
void kernelToWire;
