/**
 * Every number the wizard asks for: its label and unit in plain words, how a typed value maps
 * to the scenario (percent fields are typed as % and stored as fractions 0–1), and what an
 * empty field means. The rules (bounds, required) are NOT here: they come from the shared
 * valibot `ScenarioSchema` in `@aifp/contracts`, so the form and the API never disagree.
 */

export type WizardStep = "workload" | "site" | "options" | "finance";

export interface FieldDef {
  /** Key in `PlanInput.values`. */
  id: string;
  step: WizardStep;
  label: string;
  /** Unit shown after the input, spelled out. */
  unit: string;
  /** Typed in percent, stored as a fraction (value / 100). */
  percent?: boolean;
  /** Plain-language help under the field. */
  help: string;
  /**
   * What an empty field means when the catalog has no default: a sentence such as "no growth".
   * Absent: the number is required (the schema reports it when it is missing).
   */
  emptyMeans?: string;
  /** HTML input mode / type hints. */
  input?: "decimal" | "numeric" | "month";
  /** A worked example shown as the placeholder when the field has no default (not a default). */
  example?: string;
}

const defs: FieldDef[] = [
  // 1. Workload
  {
    id: "workload.inputTokensPerRequest",
    step: "workload",
    label: "Prompt length",
    unit: "input tokens per request",
    help: "Text sent to the model with each request: the question plus any documents or history. 1,000 tokens is about 750 words.",
    input: "numeric",
  },
  {
    id: "workload.outputTokensPerRequest",
    step: "workload",
    label: "Answer length",
    unit: "output tokens per request",
    help: "Text the model writes back for each request.",
    input: "numeric",
  },
  {
    id: "workload.requestsPerDay",
    step: "workload",
    label: "Requests per day",
    unit: "requests per day",
    help: "Average requests on a typical day at the start of the plan. Only you know this number.",
    input: "numeric",
    example: "e.g. 10000000",
  },
  {
    id: "volume.users",
    step: "workload",
    label: "Users",
    unit: "people or systems",
    help: "How many people (or systems) use it on a typical day.",
    input: "numeric",
    example: "e.g. 20000",
  },
  {
    id: "volume.requestsPerUserPerDay",
    step: "workload",
    label: "Requests per user",
    unit: "requests per user per day",
    help: "How many requests each user makes on a typical day.",
    input: "decimal",
    example: "e.g. 50",
  },
  {
    id: "volume.tokensPerDay",
    step: "workload",
    label: "Tokens per day",
    unit: "tokens a day (input + output)",
    help: "All text in and out of the model on a typical day at the start of the plan.",
    input: "decimal",
    example: "e.g. 2000000000",
  },
  {
    id: "volume.tokensPerMonth",
    step: "workload",
    label: "Tokens per month",
    unit: "tokens a month (input + output)",
    help: "All text in and out of the model in a typical month at the start of the plan.",
    input: "decimal",
    example: "e.g. 60000000000",
  },
  {
    id: "volume.apiSpendUsdPerMonth",
    step: "workload",
    label: "Today's API bill",
    unit: "USD per month",
    help: "What you pay a model API each month today, at the prices named below.",
    input: "decimal",
    example: "e.g. 25000",
  },
  {
    id: "volume.spendUsdPerMillionInput",
    step: "workload",
    label: "Your API's input price",
    unit: "USD per million input tokens",
    help: "The input-token price on your API bill.",
    input: "decimal",
  },
  {
    id: "volume.spendUsdPerMillionOutput",
    step: "workload",
    label: "Your API's output price",
    unit: "USD per million output tokens",
    help: "The output-token price on your API bill.",
    input: "decimal",
  },
  {
    id: "workload.growthPerYear",
    step: "workload",
    label: "Growth per year",
    unit: "% per year",
    percent: true,
    help: "How fast demand grows each year (negative if it shrinks).",
    emptyMeans: "flat demand (0 % growth)",
    input: "decimal",
  },
  {
    id: "workload.peakToAverage",
    step: "workload",
    label: "Busiest hour vs average",
    unit: "× the average load",
    help: "Capacity is sized for the busiest hour. 2 means the peak is twice the daily average.",
    emptyMeans: "a flat load (the peak equals the average, 1×)",
    input: "decimal",
  },
  {
    id: "workload.targetUtilization",
    step: "workload",
    label: "Planned load at peak",
    unit: "% of capacity",
    percent: true,
    help: "Headroom kept free at the peak: 75 % leaves a quarter of capacity spare for bursts and failures.",
    emptyMeans: "no headroom (100 % of capacity used at the peak)",
    input: "decimal",
  },
  {
    id: "workload.interactivity",
    step: "workload",
    label: "Speed each user sees",
    unit: "output tokens per second per user",
    help: "How fast text streams to each user. Faster answers need more servers per request.",
    input: "decimal",
  },
  // 2. Site and energy
  {
    id: "site.electricityUsdPerKwh",
    step: "site",
    label: "Electricity price",
    unit: "USD per kWh",
    help: "What the site pays per kilowatt-hour, all-in.",
    input: "decimal",
  },
  {
    id: "site.gridCarbonGPerKwh",
    step: "site",
    label: "Grid carbon intensity",
    unit: "grams CO₂ per kWh",
    help: "Emissions of the local grid; used for CO₂ per million tokens.",
    emptyMeans: "no carbon figure (CO₂ shown as 0)",
    input: "decimal",
  },
  {
    id: "site.colocationUsdPerKwMonth",
    step: "site",
    label: "Colocation rent",
    unit: "USD per kW per month",
    help: "Rent per kilowatt of IT power the servers can draw.",
    emptyMeans: "no facility rent",
    input: "decimal",
  },
  {
    id: "site.pue",
    step: "site",
    label: "Power usage effectiveness (PUE)",
    unit: "× IT power",
    help: "Facility power over IT power: cooling and losses. 1.3 means 30 % on top of what the servers draw.",
    input: "decimal",
  },
  {
    id: "site.powerCapKw",
    step: "site",
    label: "Power available",
    unit: "kW (1 MW = 1,000 kW)",
    help: "The most power the site can deliver, including cooling. The results flag any month the fleet would exceed it.",
    emptyMeans: "no power limit",
    input: "decimal",
  },
  // 4. Finance
  {
    id: "horizonYears",
    step: "finance",
    label: "Planning horizon",
    unit: "years",
    help: "How many years to compare the paths over.",
    input: "numeric",
  },
  {
    id: "startMonth",
    step: "finance",
    label: "First month",
    unit: "year and month",
    help: "When the service starts.",
    input: "month",
  },
  {
    id: "finance.discountRatePerYear",
    step: "finance",
    label: "Cost of capital",
    unit: "% per year",
    percent: true,
    help: "Your finance team's discount rate (WACC or hurdle rate). It moves the cost per token of owning hardware by 20–30 %, so the planner asks rather than guesses.",
    input: "decimal",
    example: "your rate, e.g. 9",
  },
  {
    id: "build.lifeYears",
    step: "finance",
    label: "Hardware life",
    unit: "years",
    help: "How long owned servers stay in service before they are sold and replaced.",
    input: "decimal",
  },
  {
    id: "build.resaleDeclinePerYear",
    step: "finance",
    label: "Resale value lost per year",
    unit: "% per year",
    percent: true,
    help: "Owned servers are sold at the end of their life; their value falls by this much each year.",
    input: "decimal",
  },
  {
    id: "build.adders",
    step: "finance",
    label: "Network and installation on top of servers",
    unit: "% of server price",
    percent: true,
    help: "Switches, cables and installation bought with the servers.",
    emptyMeans: "nothing on top of the server price",
    input: "decimal",
  },
  {
    id: "build.warrantyYears",
    step: "finance",
    label: "Support included in the server price",
    unit: "years (the warranty)",
    help: "Most server prices include the maker's warranty (three years for OEM servers): no support is paid during it.",
    emptyMeans: "no support included: support is paid from the day of purchase",
    input: "decimal",
  },
  {
    id: "build.maintenancePerYear",
    step: "finance",
    label: "Support after the warranty",
    unit: "% of hardware price per year",
    percent: true,
    help: "The support contract bought once the warranty ends (repairs, parts, firmware).",
    emptyMeans: "no support cost",
    input: "decimal",
  },
  {
    id: "build.insurancePerYear",
    step: "finance",
    label: "Insurance",
    unit: "% of hardware price per year",
    percent: true,
    help: "Insurance of owned hardware.",
    emptyMeans: "no insurance cost",
    input: "decimal",
  },
  {
    id: "build.spareFraction",
    step: "finance",
    label: "Spare servers",
    unit: "% of servers needed",
    percent: true,
    help: "Extra servers kept for failures and maintenance.",
    emptyMeans: "no spares",
    input: "decimal",
  },
  {
    id: "build.softwareUsdPerGpuYear",
    step: "finance",
    label: "Software licences on owned GPUs",
    unit: "USD per GPU per year",
    help: "The serving software's licence (chosen with the paths); type a number to replace it.",
    emptyMeans: "no licences",
    input: "decimal",
  },
  {
    id: "lease.softwareUsdPerGpuYear",
    step: "finance",
    label: "Software licences on leased GPUs",
    unit: "USD per GPU per year",
    help: "The same serving software's licence on leased GPUs; type a number to replace it.",
    emptyMeans: "no licences on leased GPUs",
    input: "decimal",
  },
  {
    id: "build.serversPerFte",
    step: "finance",
    label: "Servers one engineer runs",
    unit: "servers per full-time engineer",
    help: "Operations staff needed for owned servers. No cited industry figure exists in the price book: enter yours.",
    emptyMeans: "no staff cost",
    input: "decimal",
    example: "e.g. 40",
  },
  {
    id: "build.fteUsdPerYear",
    step: "finance",
    label: "Cost of one engineer",
    unit: "USD per year, fully loaded",
    help: "Salary plus overheads of one operations engineer.",
    emptyMeans: "no staff cost",
    input: "decimal",
    example: "e.g. 220000",
  },
  {
    id: "build.idlePowerFraction",
    step: "finance",
    label: "Power drawn when idle",
    unit: "% of maximum power",
    percent: true,
    help: "Servers draw some power even when idle.",
    emptyMeans: "idle servers draw nothing (optimistic)",
    input: "decimal",
  },
  {
    id: "site.electricityEscalationPerYear",
    step: "finance",
    label: "Electricity price change",
    unit: "% per year",
    percent: true,
    help: "How the electricity price moves each year.",
    emptyMeans: "electricity price stays flat",
    input: "decimal",
  },
  {
    id: "build.priceChangePerYear",
    step: "finance",
    label: "Server price change",
    unit: "% per year",
    percent: true,
    help: "How the price of servers bought later moves each year (negative: cheaper).",
    emptyMeans: "server prices stay flat",
    input: "decimal",
  },
  {
    id: "lease.priceChangePerYear",
    step: "finance",
    label: "Cloud price change",
    unit: "% per year",
    percent: true,
    help: "How rental prices move each year (negative: cheaper).",
    emptyMeans: "cloud prices stay flat",
    input: "decimal",
  },
  {
    id: "api.priceChangePerYear",
    step: "finance",
    label: "Token price change",
    unit: "% per year",
    percent: true,
    help: "How model-API token prices move each year (negative: cheaper).",
    emptyMeans: "token prices stay flat",
    input: "decimal",
  },
];

/** All static field definitions by id. */
export const FIELDS: Readonly<Record<string, FieldDef>> = Object.fromEntries(defs.map((def) => [def.id, def]));

/** Static fields of one wizard step, in display order. */
export function fieldsOfStep(step: WizardStep): FieldDef[] {
  return defs.filter((def) => def.step === step);
}

/** A per-option quote field (server price, instance-hour price, token prices), created on demand. */
export function quoteField(
  id: string,
  label: string,
  unit: string,
  help: string,
  step: WizardStep = "options",
): FieldDef {
  return { id, step, label, unit, help, input: "decimal" };
}

/** Field id of a custom server price quote. */
export const serverQuoteId = (skuId: string): string => `quote.server.${skuId}`;
/** Field id of a custom instance-hour price quote. */
export const offerQuoteId = (offerId: string): string => `quote.offer.${offerId}`;
/**
 * Field id of a person's own output speed for a server or cloud offer, asked only when the price
 * book has neither a measurement nor a datasheet estimate for its accelerator and the plan's model
 * (TPU, Trainium and other accelerators without a published TDP): never borrowed from another chip.
 */
export const optionSpeedId = (kind: "server" | "offer", id: string): string => `speed.${kind}.${id}`;
/** Field ids of a token-API option's two prices. */
export const apiPriceIds = (apiId: string): { input: string; output: string } => ({
  input: `api.${apiId}.usdPerMillionInputTokens`,
  output: `api.${apiId}.usdPerMillionOutputTokens`,
});

/** The definition of any field id, static or per option (null when unknown). */
export function fieldDef(id: string): FieldDef | null {
  const known = FIELDS[id];
  if (known) return known;
  if (id.startsWith("quote.server.")) {
    return quoteField(id, "Your quoted price per server", "USD per server", "Overrides the catalog price.");
  }
  if (id.startsWith("quote.offer.")) {
    return quoteField(id, "Your quoted price per instance-hour", "USD per instance-hour", "Overrides the list price.");
  }
  if (id.startsWith("speed.server.") || id.startsWith("speed.offer.")) {
    return quoteField(
      id,
      "Your output speed per GPU",
      "output tokens/s per GPU",
      "The price book has no measured or estimated speed for this accelerator and model. Enter one from your own test or the vendor's figure.",
    );
  }
  if (id.startsWith("api.") && id.endsWith(".usdPerMillionInputTokens")) {
    return quoteField(id, "Price of input tokens", "USD per million input tokens", "From your contract or price list.");
  }
  if (id.startsWith("api.") && id.endsWith(".usdPerMillionOutputTokens")) {
    return quoteField(
      id,
      "Price of output tokens",
      "USD per million output tokens",
      "From your contract or price list.",
    );
  }
  return null;
}

/**
 * Parses a typed value into the number the scenario takes: thousands separators and spaces
 * removed, percent fields divided by 100. Returns the raw text when it is not a number (the
 * shared schema then says so, naming the field), and undefined for an empty field.
 * @param text what the user typed
 * @param def the field's definition
 */
export function parseFieldValue(text: string | undefined, def: Pick<FieldDef, "percent">): number | string | undefined {
  if (text === undefined) return undefined;
  const trimmed = text.trim();
  if (trimmed === "") return undefined;
  const cleaned = trimmed
    .replace(/[,\s_]/g, "")
    .replace(/%$/, "")
    .replace(/^\$/, "")
    .replace("−", "-");
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(cleaned)) return trimmed;
  const value = Number(cleaned);
  if (!Number.isFinite(value)) return trimmed;
  return def.percent ? value / 100 : value;
}

/** A number as the person would type it: thousands separators, a real minus sign. */
function typedNumber(text: string): string {
  const value = Number(text);
  if (!Number.isFinite(value)) return text;
  const shown =
    Math.abs(value) >= 1e15 ? value.toExponential(2) : value.toLocaleString("en-US", { maximumFractionDigits: 6 });
  return shown.replace("-", "−");
}

/**
 * Rewrites a schema message in plain words and in the unit the person typed (issue 18 item 5):
 * `missing: expected a number between 0 and 1` on a percent field → `Enter a number between 0 and
 * 100 % (required)`; `expected a number >= -0.99, got -1.5` → `Enter a number of at least −99 %;
 * you typed −150 %`. Messages of another shape are returned unchanged.
 * @param message the shared schema's message (fractions)
 * @param def the field's definition
 */
export function messageInFieldUnits(message: string, def: Pick<FieldDef, "percent">): string {
  const shape = /^(missing: )?expected (.+?)(?:, got (.+))?$/.exec(message);
  if (!shape) return message;
  const [, missing, expected = "", got] = shape;
  const number = (text: string): string => {
    if (!def.percent) return typedNumber(text);
    return `${typedNumber(String(Number((Number(text) * 100).toPrecision(10))))} %`;
  };
  let body = expected
    .replace(
      /(between |and |>= |<= |> |< )(-?\d+(?:\.\d+)?(?:e[-+]?\d+)?)(?![\d"])/gi,
      (_m, op: string, n: string) => `${op}${number(n)}`,
    )
    .replace(/>= /g, "of at least ")
    .replace(/<= /g, "of at most ")
    .replace(/> /g, "above ")
    .replace(/< /g, "below ");
  if (def.percent) body = body.replace(/between (\S+) % and/, "between $1 and");
  if (missing || got === undefined || got === "nothing") return `Enter ${body} (required)`;
  const typed = /^-?\d+(?:\.\d+)?(?:e[-+]?\d+)?$/i.test(got) ? number(got) : got;
  return `Enter ${body}; you typed ${typed}`;
}

/**
 * Figures that size a fleet honestly but have no cited default per use case in the price book
 * (issue 18 item 5): peak-to-average, planned load at peak, spare servers, idle power and
 * operations staff. Left empty, each is left out of the cost, and the results say so.
 */
export const SIZING_FIELDS: readonly string[] = [
  "workload.peakToAverage",
  "workload.targetUtilization",
  "build.spareFraction",
  "build.idlePowerFraction",
  "build.serversPerFte",
  "build.fteUsdPerYear",
];

/**
 * The sizing figures left out of a plan: empty and without a catalog default, each with what its
 * absence means ("no spares").
 * @param values the plan's typed values
 * @param hasDefault whether the catalog fills the field when empty
 */
export function leftOutFields(
  values: Readonly<Record<string, string>>,
  hasDefault: (fieldId: string) => boolean,
): { id: string; label: string; means: string }[] {
  return SIZING_FIELDS.filter((id) => !(values[id] ?? "").trim() && !hasDefault(id)).map((id) => {
    const def = FIELDS[id] as FieldDef;
    return { id, label: def.label, means: def.emptyMeans ?? "" };
  });
}
