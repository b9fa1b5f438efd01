/**
 * Runtime validation and normalisation of a scenario: every number checked against the shared
 * rules (`rules.ts`), defaults applied exactly as cost-model.md lists them, every problem
 * collected with its dotted path. The kernel validates even typed input, because it is also
 * called from plain JavaScript (the browser) and must never turn bad input into NaN.
 */
import { ScenarioError, type ScenarioIssue } from "./errors.ts";
import {
  describeReceived,
  describeRule,
  OPTION_RULES,
  SCENARIO_RULES,
  satisfiesRule,
  type NumberRule,
} from "./rules.ts";

/** Workload with defaults applied. */
export interface ResolvedWorkload {
  inputTokensPerRequest: number;
  outputTokensPerRequest: number;
  requestsPerDay: number;
  growthPerYear: number;
  peakToAverage: number;
  targetUtilization: number;
}

/** Site with defaults applied; `electricityUsdPerKwh` is null only when no build option needs it. */
export interface ResolvedSite {
  electricityUsdPerKwh: number | null;
  electricityEscalationPerYear: number;
  pue: number;
  colocationUsdPerKwMonth: number;
  gridCarbonGPerKwh: number;
  powerCapKw: number | null;
}

export interface ValidatedBuildOption {
  kind: "build";
  id: string;
  priceUsd: number;
  gpusPerServer: number;
  kw: number;
  adders: number;
  lifeYears: number;
  /** 12 × lifeYears, rounded to the whole month it is within 1e-9 of. */
  lifeMonths: number;
  spareFraction: number;
  maintenancePerYear: number;
  /** Months of included support (12 × warrantyYears, whole months): no maintenance while a cohort is younger. 0 by default. */
  warrantyMonths: number;
  softwareUsdPerGpuYear: number;
  serversPerFte: number | null;
  fteUsdPerYear: number;
  otherUsdPerServerYear: number;
  resaleDeclinePerYear: number;
  priceChangePerYear: number;
  idlePowerFraction: number;
  outputTokensPerSecondPerGpu: number;
  inputTokensPerSecondPerGpu: number | null;
}

export interface ValidatedLeaseOption {
  kind: "lease";
  id: string;
  priceUsdPerInstanceHour: number;
  gpusPerInstance: number;
  termYears: number;
  /** 12 × termYears (0 on demand). */
  termMonths: number;
  priceChangePerYear: number;
  softwareUsdPerGpuYear: number;
  outputTokensPerSecondPerGpu: number;
  inputTokensPerSecondPerGpu: number | null;
}

export interface ValidatedApiOption {
  kind: "api";
  id: string;
  usdPerMillionInputTokens: number;
  usdPerMillionOutputTokens: number;
  priceChangePerYear: number;
}

export type ValidatedOption = ValidatedBuildOption | ValidatedLeaseOption | ValidatedApiOption;

/** A scenario checked and completed with defaults, ready for the numerical core. */
export interface ValidatedScenario {
  name: string;
  startMonth: string;
  horizonYears: number;
  /** M = 12 × horizonYears. */
  months: number;
  discountRatePerYear: number;
  workload: ResolvedWorkload;
  site: ResolvedSite;
  options: ValidatedOption[];
  /** Index of the comparison baseline in `options`, or null when there is none. */
  baselineIndex: number | null;
  /** Inputs accepted but without effect, worth telling the user about. */
  warnings: ScenarioIssue[];
}

const START_MONTH_PATTERN = /^(\d{4})-(0[1-9]|1[0-2])$/;
const OPTION_KINDS = ["build", "lease", "api"] as const;

type Fields = Record<string, unknown>;

function isRecord(value: unknown): value is Fields {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Collects issues while reading fields. */
class Reader {
  readonly issues: ScenarioIssue[] = [];
  readonly infeasible: ScenarioIssue[] = [];
  readonly warnings: ScenarioIssue[] = [];
  /**
   * The index of the option being read, or null: while it is set, the paths given are relative
   * to "options.<index>" ("" for the option itself). The full path is joined only when an issue
   * is recorded: `evaluate` validates on every call, and the paths of valid fields are never read.
   */
  optionIndex: number | null = null;

  add(path: string, message: string): void {
    this.issues.push({ path: this.fullPath(path), message });
  }

  addInfeasible(path: string, message: string): void {
    this.infeasible.push({ path: this.fullPath(path), message });
  }

  warn(path: string, message: string): void {
    this.warnings.push({ path: this.fullPath(path), message });
  }

  private fullPath(path: string): string {
    if (this.optionIndex === null) return path;
    return path === "" ? `options.${this.optionIndex}` : `options.${this.optionIndex}.${path}`;
  }

  object(parent: Fields, key: string, path: string, required: boolean): Fields | undefined {
    const value = parent[key];
    if (value === undefined) {
      if (required) this.add(path, "missing: expected an object");
      return undefined;
    }
    if (!isRecord(value)) {
      this.add(path, `expected an object, got ${describeReceived(value)}`);
      return undefined;
    }
    return value;
  }

  /** A required number: missing or invalid adds an issue and returns NaN (never used: issues abort). */
  required(parent: Fields, key: string, path: string, rule: NumberRule, hint = ""): number {
    const value = parent[key];
    if (value === undefined || value === null) {
      this.add(path, `missing: expected ${describeRule(rule)}${hint}`);
      return Number.NaN;
    }
    return this.check(value, path, rule);
  }

  /** An optional number: absent gives `fallback`. */
  optional<T extends number | null>(
    parent: Fields,
    key: string,
    path: string,
    rule: NumberRule,
    fallback: T,
  ): number | T {
    const value = parent[key];
    if (value === undefined) return fallback;
    return this.check(value, path, rule);
  }

  private check(value: unknown, path: string, rule: NumberRule): number {
    if (typeof value !== "number" || !satisfiesRule(value, rule)) {
      this.add(path, `expected ${describeRule(rule)}, got ${describeReceived(value)}`);
      return Number.NaN;
    }
    return value;
  }

  string(parent: Fields, key: string, path: string, required: boolean): string | undefined {
    const value = parent[key];
    if (value === undefined) {
      if (required) this.add(path, "missing: expected a text");
      return undefined;
    }
    if (typeof value !== "string") {
      this.add(path, `expected a text, got ${describeReceived(value)}`);
      return undefined;
    }
    return value;
  }
}

const CATALOG_HINT = " (give it inline, or resolve the option's catalog reference first)";

/**
 * Checks a scenario and applies the defaults of cost-model.md: growth, escalation, price
 * changes, adders, spare, maintenance, software, staff, other, idle power, carbon and
 * colocation 0; `peakToAverage`, `targetUtilization` and `pue` 1; `termYears` 0; no
 * `powerCapKw`, no cap; no `serversPerFte`, no staff cost.
 *
 * @throws ScenarioError `invalid` listing every malformed or missing field, or `infeasible`
 *   when the input is well formed but cannot be served (zero throughput per GPU).
 */
export function validateScenario(input: unknown): ValidatedScenario {
  const r = new Reader();
  if (!isRecord(input)) {
    throw new ScenarioError("invalid", [
      { path: "", message: `expected a scenario object, got ${describeReceived(input)}` },
    ]);
  }

  const name = r.string(input, "name", "name", false) ?? "";
  const startMonth = r.string(input, "startMonth", "startMonth", true);
  if (startMonth !== undefined && !START_MONTH_PATTERN.test(startMonth)) {
    r.add("startMonth", `expected a month as "YYYY-MM", got ${describeReceived(startMonth)}`);
  }
  const horizonYears = r.required(input, "horizonYears", "horizonYears", SCENARIO_RULES.horizonYears);
  const months = Math.round(horizonYears * 12);

  const finance = r.object(input, "finance", "finance", true);
  const discountRatePerYear = finance
    ? r.required(finance, "discountRatePerYear", "finance.discountRatePerYear", SCENARIO_RULES.discountRatePerYear)
    : Number.NaN;

  const workloadFields = r.object(input, "workload", "workload", true);
  const workload = workloadFields ? readWorkload(r, workloadFields) : undefined;

  const siteFields = r.object(input, "site", "site", false) ?? {};
  const site = readSite(r, siteFields);

  const options: ValidatedOption[] = [];
  const rawOptions = input["options"];
  if (!Array.isArray(rawOptions)) {
    r.add(
      "options",
      rawOptions === undefined
        ? "missing: expected a list of at least one option"
        : `expected a list of options, got ${describeReceived(rawOptions)}`,
    );
  } else if (rawOptions.length === 0) {
    r.add("options", "expected at least one option, got an empty list");
  } else {
    const seen = new Map<string, number>();
    rawOptions.forEach((raw, index) => {
      r.optionIndex = index;
      const option = readOption(r, raw);
      r.optionIndex = null;
      if (!option) return;
      const first = seen.get(option.id);
      if (first !== undefined)
        r.add(`options.${index}.id`, `duplicate id ${describeReceived(option.id)}: options.${first} has it already`);
      else seen.set(option.id, index);
      options.push(option);
    });
  }

  const needsElectricity = options.find((option) => option.kind === "build");
  if (needsElectricity && site.electricityUsdPerKwh === null && siteFields["electricityUsdPerKwh"] === undefined) {
    r.add(
      "site.electricityUsdPerKwh",
      `missing: expected ${describeRule(SCENARIO_RULES.electricityUsdPerKwh)} (build option "${needsElectricity.id}" needs the electricity price)`,
    );
  }

  let baselineIndex: number | null = null;
  const comparison = r.object(input, "comparison", "comparison", false);
  const baselineOptionId = comparison
    ? r.string(comparison, "baselineOptionId", "comparison.baselineOptionId", false)
    : undefined;
  if (baselineOptionId !== undefined) {
    const index = options.findIndex((option) => option.id === baselineOptionId);
    if (index < 0) r.add("comparison.baselineOptionId", `no option has the id ${describeReceived(baselineOptionId)}`);
    else baselineIndex = index;
  } else {
    const firstLease = options.findIndex((option) => option.kind === "lease");
    baselineIndex = firstLease < 0 ? null : firstLease;
  }

  if (r.issues.length > 0) throw new ScenarioError("invalid", r.issues);
  if (r.infeasible.length > 0) throw new ScenarioError("infeasible", r.infeasible);

  return {
    name,
    startMonth: startMonth as string,
    horizonYears,
    months,
    discountRatePerYear,
    workload: workload as ResolvedWorkload,
    site,
    options,
    baselineIndex,
    warnings: r.warnings,
  };
}

function readWorkload(r: Reader, w: Fields): ResolvedWorkload {
  r.string(w, "model", "workload.model", false);
  const rules = SCENARIO_RULES;
  // Latency targets: checked here, used only by the catalog's throughput lookup (not echoed, so
  // the resolved workload and every result stay as they were).
  r.optional(
    w,
    "interactivityTokensPerSecondPerUser",
    "workload.interactivityTokensPerSecondPerUser",
    rules.interactivityTokensPerSecondPerUser,
    0,
  );
  r.optional(w, "timeToFirstTokenMs", "workload.timeToFirstTokenMs", rules.timeToFirstTokenMs, 0);
  return {
    inputTokensPerRequest: r.required(
      w,
      "inputTokensPerRequest",
      "workload.inputTokensPerRequest",
      rules.inputTokensPerRequest,
    ),
    outputTokensPerRequest: r.required(
      w,
      "outputTokensPerRequest",
      "workload.outputTokensPerRequest",
      rules.outputTokensPerRequest,
    ),
    requestsPerDay: r.required(w, "requestsPerDay", "workload.requestsPerDay", rules.requestsPerDay),
    growthPerYear: r.optional(w, "growthPerYear", "workload.growthPerYear", rules.growthPerYear, 0),
    peakToAverage: r.optional(w, "peakToAverage", "workload.peakToAverage", rules.peakToAverage, 1),
    targetUtilization: r.optional(w, "targetUtilization", "workload.targetUtilization", rules.targetUtilization, 1),
  };
}

function readSite(r: Reader, s: Fields): ResolvedSite {
  r.string(s, "region", "site.region", false);
  const rules = SCENARIO_RULES;
  return {
    electricityUsdPerKwh: r.optional(
      s,
      "electricityUsdPerKwh",
      "site.electricityUsdPerKwh",
      rules.electricityUsdPerKwh,
      null,
    ),
    electricityEscalationPerYear: r.optional(
      s,
      "electricityEscalationPerYear",
      "site.electricityEscalationPerYear",
      rules.electricityEscalationPerYear,
      0,
    ),
    pue: r.optional(s, "pue", "site.pue", rules.pue, 1),
    colocationUsdPerKwMonth: r.optional(
      s,
      "colocationUsdPerKwMonth",
      "site.colocationUsdPerKwMonth",
      rules.colocationUsdPerKwMonth,
      0,
    ),
    gridCarbonGPerKwh: r.optional(s, "gridCarbonGPerKwh", "site.gridCarbonGPerKwh", rules.gridCarbonGPerKwh, 0),
    powerCapKw: r.optional(s, "powerCapKw", "site.powerCapKw", rules.powerCapKw, null),
  };
}

/** An option's throughput fields (paths relative to the option being read). */
function readThroughput(r: Reader, o: Fields): { output: number; input: number | null } {
  const output = r.required(
    o,
    "outputTokensPerSecondPerGpu",
    "outputTokensPerSecondPerGpu",
    OPTION_RULES.outputTokensPerSecondPerGpu,
    CATALOG_HINT,
  );
  if (output === 0) {
    r.addInfeasible(
      "outputTokensPerSecondPerGpu",
      "this option serves 0 output tokens per second per GPU, so no number of GPUs can serve the demand",
    );
  }
  const input = r.optional(
    o,
    "inputTokensPerSecondPerGpu",
    "inputTokensPerSecondPerGpu",
    OPTION_RULES.inputTokensPerSecondPerGpu,
    null,
  );
  return { output, input };
}

/** Catalog references an option may carry (texts, checked and not used here). */
const OPTION_REFERENCE_KEYS = ["sku", "offer", "accelerator"] as const;

/** One option, read while `r.optionIndex` is its index (so every path is relative to it). */
function readOption(r: Reader, raw: unknown): ValidatedOption | undefined {
  if (!isRecord(raw)) {
    r.add("", `expected an option object, got ${describeReceived(raw)}`);
    return undefined;
  }
  const kind = raw["kind"];
  if (typeof kind !== "string" || !(OPTION_KINDS as readonly string[]).includes(kind)) {
    r.add("kind", `expected "build", "lease" or "api", got ${describeReceived(kind)}`);
    return undefined;
  }
  const id = r.string(raw, "id", "id", true);
  if (id === "") r.add("id", "expected a non-empty text");
  for (const key of OPTION_REFERENCE_KEYS) r.string(raw, key, key, false);
  const rules = OPTION_RULES;
  const safeId = id ?? "";

  if (kind === "build") {
    const lifeYears = r.required(raw, "lifeYears", "lifeYears", rules.lifeYears);
    const serversPerFte = r.optional(raw, "serversPerFte", "serversPerFte", rules.serversPerFte, null);
    let fteUsdPerYear = r.optional(raw, "fteUsdPerYear", "fteUsdPerYear", rules.fteUsdPerYear, null);
    if (serversPerFte !== null && fteUsdPerYear === null) {
      r.add(
        "fteUsdPerYear",
        `missing: expected ${describeRule(rules.fteUsdPerYear)} (needed because serversPerFte is given)`,
      );
    }
    if (serversPerFte === null && fteUsdPerYear !== null) {
      r.warn("fteUsdPerYear", "ignored: without serversPerFte there is no staff cost");
    }
    fteUsdPerYear ??= 0;
    const throughput = readThroughput(r, raw);
    return {
      kind,
      id: safeId,
      priceUsd: r.required(raw, "priceUsd", "priceUsd", rules.priceUsd, CATALOG_HINT),
      gpusPerServer: r.required(raw, "gpusPerServer", "gpusPerServer", rules.gpusPerServer, CATALOG_HINT),
      kw: r.required(raw, "kw", "kw", rules.kw, CATALOG_HINT),
      adders: r.optional(raw, "adders", "adders", rules.adders, 0),
      lifeYears,
      lifeMonths: Math.round(lifeYears * 12),
      spareFraction: r.optional(raw, "spareFraction", "spareFraction", rules.spareFraction, 0),
      maintenancePerYear: r.optional(raw, "maintenancePerYear", "maintenancePerYear", rules.maintenancePerYear, 0),
      warrantyMonths: Math.round(r.optional(raw, "warrantyYears", "warrantyYears", rules.warrantyYears, 0) * 12),
      softwareUsdPerGpuYear: r.optional(
        raw,
        "softwareUsdPerGpuYear",
        "softwareUsdPerGpuYear",
        rules.softwareUsdPerGpuYear,
        0,
      ),
      serversPerFte,
      fteUsdPerYear,
      otherUsdPerServerYear: r.optional(
        raw,
        "otherUsdPerServerYear",
        "otherUsdPerServerYear",
        rules.otherUsdPerServerYear,
        0,
      ),
      resaleDeclinePerYear: r.required(raw, "resaleDeclinePerYear", "resaleDeclinePerYear", rules.resaleDeclinePerYear),
      priceChangePerYear: r.optional(raw, "priceChangePerYear", "priceChangePerYear", rules.priceChangePerYear, 0),
      idlePowerFraction: r.optional(raw, "idlePowerFraction", "idlePowerFraction", rules.idlePowerFraction, 0),
      outputTokensPerSecondPerGpu: throughput.output,
      inputTokensPerSecondPerGpu: throughput.input,
    };
  }
  if (kind === "lease") {
    const termYears = r.optional(raw, "termYears", "termYears", rules.termYears, 0);
    const throughput = readThroughput(r, raw);
    return {
      kind,
      id: safeId,
      priceUsdPerInstanceHour: r.required(
        raw,
        "priceUsdPerInstanceHour",
        "priceUsdPerInstanceHour",
        rules.priceUsdPerInstanceHour,
        CATALOG_HINT,
      ),
      gpusPerInstance: r.required(raw, "gpusPerInstance", "gpusPerInstance", rules.gpusPerInstance, CATALOG_HINT),
      termYears,
      termMonths: Math.round(termYears * 12),
      priceChangePerYear: r.optional(raw, "priceChangePerYear", "priceChangePerYear", rules.priceChangePerYear, 0),
      softwareUsdPerGpuYear: r.optional(
        raw,
        "softwareUsdPerGpuYear",
        "softwareUsdPerGpuYear",
        rules.softwareUsdPerGpuYear,
        0,
      ),
      outputTokensPerSecondPerGpu: throughput.output,
      inputTokensPerSecondPerGpu: throughput.input,
    };
  }
  return {
    kind: "api",
    id: safeId,
    usdPerMillionInputTokens: r.required(
      raw,
      "usdPerMillionInputTokens",
      "usdPerMillionInputTokens",
      rules.usdPerMillionInputTokens,
      CATALOG_HINT,
    ),
    usdPerMillionOutputTokens: r.required(
      raw,
      "usdPerMillionOutputTokens",
      "usdPerMillionOutputTokens",
      rules.usdPerMillionOutputTokens,
      CATALOG_HINT,
    ),
    priceChangePerYear: r.optional(raw, "priceChangePerYear", "priceChangePerYear", rules.priceChangePerYear, 0),
  };
}
