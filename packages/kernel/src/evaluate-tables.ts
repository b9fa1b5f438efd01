// The monthly tables and yearly summaries of `evaluate`'s result, built on first read
// (moved verbatim from evaluate.ts).
import type { OptionSlot } from "./core.ts";
import { runCore, sumOf, Workspace } from "./core.ts";
import type { ApiMonth, BuildMonth, LeaseMonth, OptionResult, YearSummary } from "./result.ts";
import { monthLabel, MONTHS_PER_YEAR } from "./time.ts";
import type { ValidatedScenario } from "./validate.ts";

/** The workspace the monthly tables and yearly summaries are rebuilt in, on first read (`LazyTables`). */
const tablesWorkspace = new Workspace();

/** What every option's result repeats: computed once per scenario. */
interface SharedFigures {
  /** Σ tokens(m), undiscounted. */
  totalTokens: number;
  /** "YYYY-MM" of the first month of each plan year. */
  yearLabels: string[];
}

function sharedFigures(resolved: ValidatedScenario, ws: Workspace): SharedFigures {
  const yearLabels: string[] = [];
  for (let first = 0; first < ws.months; first += MONTHS_PER_YEAR)
    yearLabels.push(monthLabel(resolved.startMonth, first));
  return { totalTokens: sumOf(ws.tokens, ws.months), yearLabels };
}

/*
 * The monthly table and the yearly summaries are built on first read (issue #16): most callers
 * (the what-if sliders, the headline, the optimiser's checks) never read the 600 month objects of
 * a 5-year, 10-option plan, and building them was most of `evaluate`'s time. To every reader they
 * are ordinary enumerable properties (JSON.stringify, structuredClone, spread, deep equality,
 * Svelte state read them through the accessor); the first read of either property of any option
 * replaces the accessors of every option with plain data properties, built from the workspace
 * when it still holds this result's run (a caller reading the tables right away pays nothing
 * more than before), else from a rerun of the core on the result's own validated scenario (a
 * private copy nobody mutates). Same scenario, same arithmetic in the same order: the values are
 * exactly those an eager build gave.
 */
export class LazyTables {
  private built = false;
  private readonly resolved: ValidatedScenario;
  private readonly results: OptionResult[];
  private readonly workspace: Workspace;
  /** The workspace's run that filled it for this result. */
  private readonly run: number;

  constructor(resolved: ValidatedScenario, results: OptionResult[], workspace: Workspace) {
    this.resolved = resolved;
    this.results = results;
    this.workspace = workspace;
    this.run = workspace.runs;
  }

  /**
   * Gives `result` its `yearly` and `monthly` accessors (enumerable, after every other key, as
   * the eager build placed them). Defined here rather than in the object literal: a literal with
   * accessors takes the engine's slow path (about 10 µs per object in V8, against 0.2 µs). The
   * accessor functions are the same for every result (they find their tables through
   * `TABLES_OF_RESULT`): V8 shares an object layout only between objects whose accessors are the
   * same functions, so closures made per result turned every result into a slow hash-table
   * object, at about a tenth of `evaluate`'s time plus its garbage.
   */
  attach<T extends OptionResult>(result: T): T {
    LINK.value = this; // one descriptor, refilled: a fresh one per result was garbage
    Object.defineProperty(result, TABLES_OF_RESULT, LINK);
    LINK.value = undefined; // (holding no result alive)
    Object.defineProperty(result, "yearly", LAZY_YEARLY);
    Object.defineProperty(result, "monthly", LAZY_MONTHLY);
    return result;
  }

  /** Builds every option's monthly table and yearly summaries (once); they replace the accessors. */
  build(): void {
    if (this.built) return;
    this.built = true;
    let ws = this.workspace;
    if (ws.runs !== this.run) {
      ws = tablesWorkspace;
      runCore(this.resolved, ws);
    }
    const shared = sharedFigures(this.resolved, ws);
    this.results.forEach((result, index) => {
      const slot = ws.slots[index] as OptionSlot;
      if (isLazy(result, "yearly")) settle(result, "yearly", yearlySummaries(slot, ws, shared));
      if (!isLazy(result, "monthly")) return;
      if (result.kind === "build") settle(result, "monthly", buildMonths(slot, ws));
      else if (result.kind === "lease") settle(result, "monthly", leaseMonths(slot, ws));
      else settle(result, "monthly", apiMonths(slot, ws));
    });
  }
}

/**
 * Each result's link to its `LazyTables`: a non-enumerable symbol-keyed property, so JSON,
 * structuredClone, spread, Object.keys and deep equality do not see it, while a proxy of the
 * result (a reactive store's) still reads it: the shared accessors run with the proxy as `this`.
 */
const TABLES_OF_RESULT = Symbol("lazyTables");

/** The descriptor of the link `attach` defines (its value set before each use). */
const LINK: PropertyDescriptor = { value: undefined, enumerable: false, writable: false, configurable: true };

/** Reads `key` of a result through its lazy accessor: builds the tables of the whole result (replacing the accessors), then reads the plain property. */
function readLazy(reader: Record<PropertyKey, unknown>, key: "monthly" | "yearly"): unknown {
  const tables = reader[TABLES_OF_RESULT];
  if (!(tables instanceof LazyTables)) return undefined;
  tables.build();
  return reader[key];
}

/** The accessor descriptor of `key`, made once per key: its functions are shared by every result. */
function lazyAccessor(key: "monthly" | "yearly"): PropertyDescriptor {
  return {
    get(this: Record<PropertyKey, unknown>): unknown {
      return readLazy(this, key);
    },
    set(this: object, value: unknown): void {
      settle(this, key, value);
    },
    enumerable: true,
    configurable: true,
  };
}
const LAZY_YEARLY = lazyAccessor("yearly");
const LAZY_MONTHLY = lazyAccessor("monthly");

/** True while `key` of `target` is still the accessor `LazyTables` replaces. */
function isLazy(target: object, key: "monthly" | "yearly"): boolean {
  return Object.getOwnPropertyDescriptor(target, key)?.get !== undefined;
}

/** Replaces an accessor of `target` with a plain data property holding `value`. */
function settle(target: object, key: "monthly" | "yearly", value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
}

/** The monthly table of a build option, from its filled slot. */
function buildMonths(slot: OptionSlot, ws: Workspace): BuildMonth[] {
  const months = ws.months;
  const monthly: BuildMonth[] = new Array<BuildMonth>(months);
  for (let m = 0; m < months; m++) {
    monthly[m] = {
      month: m,
      capexUsd: slot.capexUsd[m] as number,
      resaleUsd: slot.resaleUsd[m] as number,
      energyUsd: slot.energyUsd[m] as number,
      facilityUsd: slot.facilityUsd[m] as number,
      maintenanceUsd: slot.maintenanceUsd[m] as number,
      softwareUsd: slot.softwareUsd[m] as number,
      staffUsd: slot.staffUsd[m] as number,
      otherUsd: slot.otherUsd[m] as number,
      servers: slot.servers[m] as number,
      gpus: slot.gpus[m] as number,
      utilization: slot.utilization[m] as number,
      kwh: slot.kwh[m] as number,
      tokens: ws.tokens[m] as number,
      outputTokens: ws.outputTokens[m] as number,
      cashUsd: slot.cashUsd[m] as number,
      serversBought: slot.serversBought[m] as number,
      serversRetired: slot.serversRetired[m] as number,
    };
  }
  return monthly;
}

/** The monthly table of a lease option, from its filled slot. */
function leaseMonths(slot: OptionSlot, ws: Workspace): LeaseMonth[] {
  const months = ws.months;
  const monthly: LeaseMonth[] = new Array<LeaseMonth>(months);
  for (let m = 0; m < months; m++) {
    monthly[m] = {
      month: m,
      capexUsd: 0,
      resaleUsd: 0,
      leaseUsd: slot.leaseUsd[m] as number,
      softwareUsd: slot.softwareUsd[m] as number,
      instances: slot.instances[m] as number,
      gpus: slot.gpus[m] as number,
      tokens: ws.tokens[m] as number,
      outputTokens: ws.outputTokens[m] as number,
      cashUsd: slot.cashUsd[m] as number,
      priceUsdPerInstanceHour: slot.priceUsdPerInstanceHour[m] as number,
    };
  }
  return monthly;
}

/** The monthly table of an API option, from its filled slot. */
function apiMonths(slot: OptionSlot, ws: Workspace): ApiMonth[] {
  const months = ws.months;
  const monthly: ApiMonth[] = new Array<ApiMonth>(months);
  for (let m = 0; m < months; m++) {
    monthly[m] = {
      month: m,
      capexUsd: 0,
      resaleUsd: 0,
      apiUsd: slot.apiUsd[m] as number,
      tokens: ws.tokens[m] as number,
      outputTokens: ws.outputTokens[m] as number,
      cashUsd: slot.cashUsd[m] as number,
    };
  }
  return monthly;
}

/** Per plan year: undiscounted lines, the year's present cost (residual in the final year) and its levelised cost. */
function yearlySummaries(slot: OptionSlot, ws: Workspace, shared: SharedFigures): YearSummary[] {
  const { discount, months } = ws;
  const years: YearSummary[] = [];
  for (let first = 0; first < months; first += MONTHS_PER_YEAR) {
    const last = Math.min(first + MONTHS_PER_YEAR, months);
    const isFinal = last === months;
    let capitalUsd = 0;
    let energyUsd = 0;
    let facilityUsd = 0;
    let maintenanceUsd = 0;
    let softwareUsd = 0;
    let staffUsd = 0;
    let otherUsd = 0;
    let leaseUsd = 0;
    let apiUsd = 0;
    let totalUsd = 0;
    let tokens = 0;
    let outputTokens = 0;
    let npvCostUsd = isFinal ? -slot.residualUsd * (discount[months] as number) : 0;
    let discountedTokens = 0;
    for (let m = first; m < last; m++) {
      const capital = (slot.capexUsd[m] as number) - (slot.resaleUsd[m] as number);
      capitalUsd += capital;
      energyUsd += slot.energyUsd[m] as number;
      facilityUsd += slot.facilityUsd[m] as number;
      maintenanceUsd += slot.maintenanceUsd[m] as number;
      softwareUsd += slot.softwareUsd[m] as number;
      staffUsd += slot.staffUsd[m] as number;
      otherUsd += slot.otherUsd[m] as number;
      leaseUsd += slot.leaseUsd[m] as number;
      apiUsd += slot.apiUsd[m] as number;
      totalUsd += slot.cashUsd[m] as number;
      tokens += ws.tokens[m] as number;
      outputTokens += ws.outputTokens[m] as number;
      npvCostUsd += capital * (discount[m] as number) + (slot.opexUsd[m] as number) * (discount[m + 1] as number);
      discountedTokens += (ws.tokens[m] as number) * (discount[m + 1] as number);
    }
    years.push({
      year: first / MONTHS_PER_YEAR,
      startMonth: shared.yearLabels[first / MONTHS_PER_YEAR] as string,
      months: last - first,
      capitalUsd,
      energyUsd,
      facilityUsd,
      maintenanceUsd,
      softwareUsd,
      staffUsd,
      otherUsd,
      leaseUsd,
      apiUsd,
      totalUsd,
      residualUsd: isFinal ? slot.residualUsd : 0,
      tokens,
      outputTokens,
      npvCostUsd,
      lcotUsdPerMillionTokens: (npvCostUsd / discountedTokens) * 1e6,
    });
  }
  return years;
}
