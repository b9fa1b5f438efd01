/**
 * The allocation-free evaluation core of cost model v1 (issue #16, ADR 020).
 *
 * A `Workspace` holds every monthly series in preallocated typed arrays: the discount factors,
 * the demand and the electricity escalation once per scenario (shared by every option), and one
 * `OptionSlot` of columns per option. `runCore` fills them in place and computes each option's
 * headline figures; nothing is allocated per call once the workspace is large enough. `evaluate`
 * builds the public result objects from the workspace at the end; the Monte Carlo and the tornado
 * read the headline figures directly.
 *
 * Every formula and the order of every floating-point operation are those of cost-model.md as
 * implemented by the reference path (packages/kernel/src/reference/evaluate.ts, kept for the
 * equivalence test), so results agree bit for bit, not merely to 1e-12.
 */
import { ceilWithTolerance } from "./rules.ts";
import { HOURS_PER_DAY, HOURS_PER_MONTH, MONTHS_PER_YEAR, SECONDS_PER_DAY } from "./time.ts";
import type { ValidatedApiOption, ValidatedBuildOption, ValidatedLeaseOption, ValidatedScenario } from "./validate.ts";

/** One option's monthly columns (capacity >= the horizon; only the first `months` entries are used). */
export class OptionSlot {
  // Money columns of every kind, USD per month (lines that do not apply to a kind are 0).
  readonly capexUsd: Float64Array;
  readonly resaleUsd: Float64Array;
  readonly energyUsd: Float64Array;
  readonly facilityUsd: Float64Array;
  readonly maintenanceUsd: Float64Array;
  readonly softwareUsd: Float64Array;
  readonly staffUsd: Float64Array;
  readonly otherUsd: Float64Array;
  readonly leaseUsd: Float64Array;
  readonly apiUsd: Float64Array;
  readonly opexUsd: Float64Array;
  readonly cashUsd: Float64Array;
  readonly gpus: Float64Array;
  // Build.
  readonly servers: Float64Array;
  readonly serversBought: Float64Array;
  readonly serversRetired: Float64Array;
  readonly utilization: Float64Array;
  readonly kwh: Float64Array;
  /** Cohorts as parallel arrays (at most one bought per month): purchase month, servers, unit price. */
  readonly cohortMonth: Float64Array;
  readonly cohortServers: Float64Array;
  readonly cohortUnitPrice: Float64Array;
  /** Months over the site's power cap: the first `powerCapCount` entries. */
  readonly powerCapMonths: Int32Array;
  powerCapCount = 0;
  // Lease.
  readonly instances: Float64Array;
  readonly priceUsdPerInstanceHour: Float64Array;
  // API.
  readonly apiInputUsd: Float64Array;
  readonly apiOutputUsd: Float64Array;
  /** The kind whose unused lines were last set to 0, over `zeroLinesMonths` months (see `zeroLines`). */
  zeroLinesKind: "lease" | "api" | null = null;
  zeroLinesMonths = 0;
  /** Value of hardware still owned at the horizon, USD, undiscounted (build; else 0). */
  residualUsd = 0;
  // Headline figures (cost-model.md "Results, per option").
  npvCostUsd = 0;
  tcoUsd = 0;
  lcotUsdPerMillionTokens = 0;
  lcotUsdPerMillionOutputTokens = 0;
  /** Σ gpus(m) × 730 × v^(m+1) (build and lease; 0 for api). */
  discountedGpuHours = 0;
  /** npvCostUsd / discountedGpuHours (build and lease); NaN for api, where the figure is null. */
  effectiveUsdPerGpuHour = Number.NaN;

  readonly capacity: number;

  constructor(capacity: number) {
    this.capacity = capacity;
    const column = (): Float64Array => new Float64Array(capacity);
    this.capexUsd = column();
    this.resaleUsd = column();
    this.energyUsd = column();
    this.facilityUsd = column();
    this.maintenanceUsd = column();
    this.softwareUsd = column();
    this.staffUsd = column();
    this.otherUsd = column();
    this.leaseUsd = column();
    this.apiUsd = column();
    this.opexUsd = column();
    this.cashUsd = column();
    this.gpus = column();
    this.servers = column();
    this.serversBought = column();
    this.serversRetired = column();
    this.utilization = column();
    this.kwh = column();
    this.cohortMonth = column();
    this.cohortServers = column();
    this.cohortUnitPrice = column();
    this.powerCapMonths = new Int32Array(capacity);
    this.instances = column();
    this.priceUsdPerInstanceHour = column();
    this.apiInputUsd = column();
    this.apiOutputUsd = column();
  }
}

/** Scenario-wide series and one slot per option, reused from run to run. */
export class Workspace {
  capacity = 0;
  months = 0;
  /** v ** m for m = 0 .. months. */
  discount = new Float64Array(1);
  // Demand (cost-model.md "Demand"), shared by every option.
  requests = new Float64Array(0);
  tokens = new Float64Array(0);
  inputTokens = new Float64Array(0);
  outputTokens = new Float64Array(0);
  averageOutputTokensPerSecond = new Float64Array(0);
  peakOutputTokensPerSecond = new Float64Array(0);
  /** (1 + electricityEscalationPerYear) ** (m / 12), shared by every build option. */
  electricityFactors = new Float64Array(0);
  /** Scratch column (the IRR's cash difference). */
  scratch = new Float64Array(0);
  discountedTokens = 0;
  discountedInputTokens = 0;
  discountedOutputTokens = 0;
  /** Runs of the core in this workspace so far: tells a reader whether the columns are still those of its run. */
  runs = 0;
  readonly slots: OptionSlot[] = [];
  // Power tables (see `powers`): a few preallocated tables, reused round-robin.
  private tables: Float64Array[] = [];
  private readonly tableBases = new Float64Array(POWER_TABLES);
  private readonly tableMonthly = new Uint8Array(POWER_TABLES);
  private readonly tableFilled = new Int32Array(POWER_TABLES);
  private nextTable = 0;

  /** Grows the arrays to `months` and `optionCount` slots; allocates only when they are too small. */
  ensure(months: number, optionCount: number): void {
    if (months > this.capacity) {
      this.capacity = months;
      this.discount = new Float64Array(months + 1);
      this.requests = new Float64Array(months);
      this.tokens = new Float64Array(months);
      this.inputTokens = new Float64Array(months);
      this.outputTokens = new Float64Array(months);
      this.averageOutputTokensPerSecond = new Float64Array(months);
      this.peakOutputTokensPerSecond = new Float64Array(months);
      this.electricityFactors = new Float64Array(months);
      this.scratch = new Float64Array(months);
      this.slots.length = 0;
      this.tables = Array.from({ length: POWER_TABLES }, () => new Float64Array(months + 1));
      this.tableFilled.fill(0);
    }
    while (this.slots.length < optionCount) this.slots.push(new OptionSlot(this.capacity));
    this.months = months;
  }

  /**
   * `base ** (k / 12)` (monthly: the monthly compounding of a yearly factor) or `base ** k` for
   * k = 0 .. months. Math.pow is the core's costliest operation, and most scenarios share a few
   * bases (one price trend for several options; the same rates from one call to the next), so
   * tables are kept by base and reused: the same base and exponent give the same number, so
   * results are unchanged. A table is valid until the next call of `powers` that misses (32 kept).
   */
  powers(base: number, monthly: boolean): Float64Array {
    const months = this.months;
    const kind = monthly ? 1 : 0;
    for (let t = 0; t < POWER_TABLES; t++) {
      if (
        this.tableMonthly[t] === kind &&
        Object.is(this.tableBases[t], base) &&
        (this.tableFilled[t] as number) > months
      )
        return this.tables[t] as Float64Array;
    }
    const t = this.nextTable;
    this.nextTable = (t + 1) % POWER_TABLES;
    const table = this.tables[t] as Float64Array;
    if (monthly) for (let k = 0; k <= months; k++) table[k] = base ** (k / MONTHS_PER_YEAR);
    else for (let k = 0; k <= months; k++) table[k] = base ** k;
    this.tableBases[t] = base;
    this.tableMonthly[t] = kind;
    this.tableFilled[t] = months + 1;
    return table;
  }
}

/** Power tables a workspace keeps: enough that the bases a Monte Carlo sample does not vary (e.g. the electricity escalation, unvaried price trends) stay cached while the varied ones cycle. */
const POWER_TABLES = 32;

/** Σ x(m) v^(m+1) over the first `months` months (end-of-month convention). */
export function presentValueEnd(values: Float64Array, discount: Float64Array, months: number): number {
  let total = 0;
  for (let m = 0; m < months; m++) total += (values[m] as number) * (discount[m + 1] as number);
  return total;
}

/** Plain sum of the first `months` entries. */
export function sumOf(values: Float64Array, months: number): number {
  let total = 0;
  for (let m = 0; m < months; m++) total += values[m] as number;
  return total;
}

/**
 * Evaluates every option of `scenario` into `workspace` (which it first grows as needed):
 * discount factors, demand, each option's columns and headline figures.
 */
export function runCore(scenario: ValidatedScenario, workspace: Workspace): void {
  const months = scenario.months;
  workspace.runs++;
  workspace.ensure(months, scenario.options.length);
  fillScenarioSeries(scenario, workspace);
  const options = scenario.options;
  for (let i = 0; i < options.length; i++) {
    const option = options[i] as ValidatedScenario["options"][number];
    const slot = workspace.slots[i] as OptionSlot;
    if (option.kind === "build") fillBuild(option, scenario, workspace, slot);
    else if (option.kind === "lease") fillLease(option, scenario, workspace, slot);
    else fillApi(option, workspace, slot);
    totalsAndHeadlineFigures(slot, option.kind, workspace);
  }
}

/** Discount factors, demand and electricity escalation: once per scenario, shared by every option. */
function fillScenarioSeries(scenario: ValidatedScenario, ws: Workspace): void {
  const months = ws.months;
  const v = 1 / (1 + scenario.discountRatePerYear) ** (1 / MONTHS_PER_YEAR);
  const discount = ws.discount;
  const discountPowers = ws.powers(v, false);
  for (let m = 0; m <= months; m++) discount[m] = discountPowers[m] as number;

  const workload = scenario.workload;
  const growth = ws.powers(1 + workload.growthPerYear, true);
  const tokensPerRequest = workload.inputTokensPerRequest + workload.outputTokensPerRequest;
  let discountedTokens = 0;
  let discountedInputTokens = 0;
  let discountedOutputTokens = 0;
  for (let m = 0; m < months; m++) {
    const requestsPerDay = workload.requestsPerDay * (growth[m] as number);
    const monthRequests = (requestsPerDay * HOURS_PER_MONTH) / HOURS_PER_DAY;
    const tokens = monthRequests * tokensPerRequest;
    const inputTokens = monthRequests * workload.inputTokensPerRequest;
    const outputTokens = monthRequests * workload.outputTokensPerRequest;
    ws.requests[m] = monthRequests;
    ws.tokens[m] = tokens;
    ws.inputTokens[m] = inputTokens;
    ws.outputTokens[m] = outputTokens;
    const average = (requestsPerDay * workload.outputTokensPerRequest) / SECONDS_PER_DAY;
    ws.averageOutputTokensPerSecond[m] = average;
    ws.peakOutputTokensPerSecond[m] = average * workload.peakToAverage;
    const endOfMonth = discount[m + 1] as number;
    discountedTokens += tokens * endOfMonth;
    discountedInputTokens += inputTokens * endOfMonth;
    discountedOutputTokens += outputTokens * endOfMonth;
  }
  ws.discountedTokens = discountedTokens;
  ws.discountedInputTokens = discountedInputTokens;
  ws.discountedOutputTokens = discountedOutputTokens;

  const electricity = ws.powers(1 + scenario.site.electricityEscalationPerYear, true);
  for (let m = 0; m < months; m++) ws.electricityFactors[m] = electricity[m] as number;
}

/** Build option, "buy as needed" (cost-model.md "Build option"; formulas in reference/build.ts's docs). */
function fillBuild(option: ValidatedBuildOption, scenario: ValidatedScenario, ws: Workspace, slot: OptionSlot): void {
  const months = ws.months;
  const site = scenario.site;
  const targetUtilization = scenario.workload.targetUtilization;
  const G = option.gpusPerServer;
  const T = option.outputTokensPerSecondPerGpu;
  const life = option.lifeMonths;
  const phi = option.idlePowerFraction;
  const pue = site.pue;
  const electricityUsdPerKwh = site.electricityUsdPerKwh ?? 0;
  const priceFactors = ws.powers(1 + option.priceChangePerYear, true);
  const resaleFraction = (1 - option.resaleDeclinePerYear) ** option.lifeYears;
  const capacityPerServer = G * T;
  const monthlySoftwarePerServer = (option.softwareUsdPerGpuYear / 12) * G;
  const monthlyStaffPerServer = option.serversPerFte === null ? 0 : option.fteUsdPerYear / option.serversPerFte / 12;
  const monthlyOtherPerServer = option.otherUsdPerServerYear / 12;
  const monthlyMaintenanceFraction = option.maintenancePerYear / 12;
  const spareFactor = 1 + option.spareFraction;
  const warrantyMonths = option.warrantyMonths;
  const cohortMonth = slot.cohortMonth;
  const cohortServers = slot.cohortServers;
  const cohortUnitPrice = slot.cohortUnitPrice;
  slot.zeroLinesKind = null; // every line written below
  let cohorts = 0;
  let firstAlive = 0; // cohorts are bought in month order, so they retire in that order too
  slot.powerCapCount = 0;
  // Servers owned and hardware value past support are sums over the alive cohorts taken in
  // cohort order from `firstAlive`, which this month's sum continues from last month's while no
  // cohort retires (the same additions in the same order: the same numbers); a retirement
  // restarts them from the new first cohort (never subtracted: that would round differently).
  // Cohorts past support form a prefix of the alive ones (bought in month order), up to `valuedEnd`.
  // Except servers while `serversAreExact`: whole numbers whose total bought stays a safe
  // integer add and subtract exactly in any order, so a retirement subtracts the retired servers
  // and gives the very number the restarted sum would.
  let ownedServers = 0;
  let ownedEnd = 0;
  let serversAreExact = true;
  let serversBoughtTotal = 0;
  let valuePastSupport = 0;
  let valuedEnd = 0;

  for (let m = 0; m < months; m++) {
    let resale = 0;
    let retired = 0;
    if (firstAlive < cohorts && (cohortMonth[firstAlive] as number) + life <= m) {
      while (firstAlive < cohorts && (cohortMonth[firstAlive] as number) + life <= m) {
        const n = cohortServers[firstAlive] as number;
        resale += n * (cohortUnitPrice[firstAlive] as number) * resaleFraction;
        retired += n;
        firstAlive++;
      }
      if (serversAreExact) ownedServers -= retired;
      else {
        ownedServers = 0;
        ownedEnd = firstAlive;
      }
      valuePastSupport = 0;
      valuedEnd = firstAlive;
    }
    for (; ownedEnd < cohorts; ownedEnd++) ownedServers += cohortServers[ownedEnd] as number;
    for (; valuedEnd < cohorts && m - (cohortMonth[valuedEnd] as number) >= warrantyMonths; valuedEnd++)
      valuePastSupport += (cohortServers[valuedEnd] as number) * (cohortUnitPrice[valuedEnd] as number);
    const owned = ownedServers;
    let hardwareValue = valuePastSupport; // of cohorts past their included support (all of them when warrantyMonths = 0)
    const gpusNeeded = (ws.peakOutputTokensPerSecond[m] as number) / (T * targetUtilization);
    const required = ceilWithTolerance((gpusNeeded * spareFactor) / G);
    const bought = Math.max(0, required - owned);
    let capex = 0;
    if (bought > 0) {
      const unitPrice = option.priceUsd * (priceFactors[m] as number);
      cohortMonth[cohorts] = m;
      cohortServers[cohorts] = bought;
      cohortUnitPrice[cohorts] = unitPrice;
      cohorts++;
      serversBoughtTotal += bought;
      if (!Number.isInteger(bought) || serversBoughtTotal > Number.MAX_SAFE_INTEGER) serversAreExact = false;
      capex = bought * unitPrice * (1 + option.adders);
      if (warrantyMonths === 0) hardwareValue += bought * unitPrice;
    }
    const fleet = owned + bought;
    const utilization =
      fleet > 0 ? Math.min(1, (ws.averageOutputTokensPerSecond[m] as number) / (fleet * capacityPerServer)) : 0;
    const kwh = fleet * option.kw * (phi + (1 - phi) * utilization) * pue * HOURS_PER_MONTH;
    const facilityPowerKw = fleet * option.kw * pue;

    slot.capexUsd[m] = capex;
    slot.resaleUsd[m] = resale;
    slot.energyUsd[m] = kwh * electricityUsdPerKwh * (ws.electricityFactors[m] as number);
    slot.facilityUsd[m] = fleet * option.kw * site.colocationUsdPerKwMonth;
    slot.maintenanceUsd[m] = monthlyMaintenanceFraction * hardwareValue;
    slot.softwareUsd[m] = monthlySoftwarePerServer * fleet;
    slot.staffUsd[m] = monthlyStaffPerServer * fleet;
    slot.otherUsd[m] = monthlyOtherPerServer * fleet;
    slot.leaseUsd[m] = 0;
    slot.apiUsd[m] = 0;
    slot.gpus[m] = fleet * G;
    slot.servers[m] = fleet;
    slot.serversBought[m] = bought;
    slot.serversRetired[m] = retired;
    slot.utilization[m] = utilization;
    slot.kwh[m] = kwh;
    if (site.powerCapKw !== null && facilityPowerKw > site.powerCapKw) slot.powerCapMonths[slot.powerCapCount++] = m;
  }

  // Residual: cohorts still alive at the horizon, valued at their age (M − p) / 12 years.
  let residual = 0;
  if (firstAlive < cohorts) {
    const remaining = ws.powers(1 - option.resaleDeclinePerYear, true); // (1 − d) ** ((M − p) / 12)
    for (let c = firstAlive; c < cohorts; c++) {
      const ageMonths = months - (cohortMonth[c] as number);
      residual += (cohortServers[c] as number) * (cohortUnitPrice[c] as number) * (remaining[ageMonths] as number);
    }
  }
  slot.residualUsd = residual;
}

/** Lease option (cost-model.md "Lease option"). */
function fillLease(option: ValidatedLeaseOption, scenario: ValidatedScenario, ws: Workspace, slot: OptionSlot): void {
  const months = ws.months;
  const targetUtilization = scenario.workload.targetUtilization;
  const G = option.gpusPerInstance;
  const T = option.outputTokensPerSecondPerGpu;
  const priceFactors = ws.powers(1 + option.priceChangePerYear, true);
  const block = option.termMonths;
  const monthlySoftwarePerInstance = (option.softwareUsdPerGpuYear / 12) * G;
  const peak = ws.peakOutputTokensPerSecond;
  const { instances: instancesColumn, priceUsdPerInstanceHour, gpus, leaseUsd, softwareUsd } = slot;
  for (let m = 0; m < months; m++) {
    const gpusNeeded = (peak[m] as number) / (T * targetUtilization);
    const instances = ceilWithTolerance(gpusNeeded / G);
    const pricedMonth = block > 0 ? block * Math.floor(m / block) : m;
    const price = option.priceUsdPerInstanceHour * (priceFactors[pricedMonth] as number);
    instancesColumn[m] = instances;
    priceUsdPerInstanceHour[m] = price;
    gpus[m] = instances * G;
    leaseUsd[m] = instances * price * HOURS_PER_MONTH;
    softwareUsd[m] = monthlySoftwarePerInstance * instances;
  }
  zeroLines(slot, "lease", months);
  slot.residualUsd = 0;
}

/**
 * Sets to 0 the money lines a lease or API option does not use (for months 0 .. months − 1),
 * unless the slot's last fill was of the same kind over as many months or more: only the fill
 * functions write the columns, and each writes the lines it uses every time, so those zeros are
 * still there (the Monte Carlo and `evaluate` refill the same slots with the same kinds).
 */
function zeroLines(slot: OptionSlot, kind: "lease" | "api", months: number): void {
  if (slot.zeroLinesKind === kind && slot.zeroLinesMonths >= months) return;
  slot.capexUsd.fill(0, 0, months);
  slot.resaleUsd.fill(0, 0, months);
  slot.energyUsd.fill(0, 0, months);
  slot.facilityUsd.fill(0, 0, months);
  slot.maintenanceUsd.fill(0, 0, months);
  slot.staffUsd.fill(0, 0, months);
  slot.otherUsd.fill(0, 0, months);
  if (kind === "lease") slot.apiUsd.fill(0, 0, months);
  else {
    slot.softwareUsd.fill(0, 0, months);
    slot.leaseUsd.fill(0, 0, months);
    slot.gpus.fill(0, 0, months);
  }
  slot.zeroLinesKind = kind;
  slot.zeroLinesMonths = months;
}

/** API option (cost-model.md "API option"). */
function fillApi(option: ValidatedApiOption, ws: Workspace, slot: OptionSlot): void {
  const months = ws.months;
  const priceFactors = ws.powers(1 + option.priceChangePerYear, true);
  for (let m = 0; m < months; m++) {
    const factor = priceFactors[m] as number;
    const inputUsd = ((ws.inputTokens[m] as number) * option.usdPerMillionInputTokens * factor) / 1e6;
    const outputUsd = ((ws.outputTokens[m] as number) * option.usdPerMillionOutputTokens * factor) / 1e6;
    slot.apiInputUsd[m] = inputUsd;
    slot.apiOutputUsd[m] = outputUsd;
    slot.apiUsd[m] = inputUsd + outputUsd;
  }
  zeroLines(slot, "api", months);
  slot.residualUsd = 0;
}

/**
 * opex (sum of the operating lines, in the contract's order) and cash (capex − resale + opex) of
 * one filled slot, then its NPV, TCO, levelised costs and effective $/GPU-hour. One pass over the
 * months: each total adds the same terms in the same order as a loop of its own.
 */
function totalsAndHeadlineFigures(slot: OptionSlot, kind: "build" | "lease" | "api", ws: Workspace): void {
  const months = ws.months;
  const discount = ws.discount;
  let npv = 0;
  let cashTotal = 0;
  let gpusPv = 0;
  for (let m = 0; m < months; m++) {
    const opex =
      (slot.energyUsd[m] as number) +
      (slot.facilityUsd[m] as number) +
      (slot.maintenanceUsd[m] as number) +
      (slot.softwareUsd[m] as number) +
      (slot.staffUsd[m] as number) +
      (slot.otherUsd[m] as number) +
      (slot.leaseUsd[m] as number) +
      (slot.apiUsd[m] as number);
    const capital = (slot.capexUsd[m] as number) - (slot.resaleUsd[m] as number);
    const cash = capital + opex;
    slot.opexUsd[m] = opex;
    slot.cashUsd[m] = cash;
    const endOfMonth = discount[m + 1] as number;
    npv += capital * (discount[m] as number);
    npv += opex * endOfMonth;
    cashTotal += cash;
    gpusPv += (slot.gpus[m] as number) * endOfMonth;
  }
  npv -= slot.residualUsd * (discount[months] as number);
  slot.npvCostUsd = npv;
  slot.tcoUsd = cashTotal - slot.residualUsd;
  slot.lcotUsdPerMillionTokens = (npv / ws.discountedTokens) * 1e6;
  slot.lcotUsdPerMillionOutputTokens = (npv / ws.discountedOutputTokens) * 1e6;
  if (kind === "api") {
    slot.discountedGpuHours = 0;
    slot.effectiveUsdPerGpuHour = Number.NaN;
  } else {
    slot.discountedGpuHours = gpusPv * HOURS_PER_MONTH;
    slot.effectiveUsdPerGpuHour = npv / slot.discountedGpuHours;
  }
}

/**
 * True when every headline figure `evaluate` checks is finite (npv, TCO, residual, both levelised
 * costs, and the effective $/GPU-hour of build and lease options): otherwise `evaluate` rejects
 * the scenario as beyond float64.
 */
export function slotIsFinite(slot: OptionSlot, kind: "build" | "lease" | "api"): boolean {
  return (
    Number.isFinite(slot.npvCostUsd) &&
    Number.isFinite(slot.tcoUsd) &&
    Number.isFinite(slot.residualUsd) &&
    Number.isFinite(slot.lcotUsdPerMillionTokens) &&
    Number.isFinite(slot.lcotUsdPerMillionOutputTokens) &&
    (kind === "api" || Number.isFinite(slot.effectiveUsdPerGpuHour))
  );
}

/** Payback of `option` against `baseline` in months (cost-model.md "Comparisons"), or null. */
export function paybackOf(baseline: OptionSlot, option: OptionSlot, months: number): number | null {
  let cumulative = 0;
  for (let i = 0; i < months; i++) {
    cumulative += (baseline.cashUsd[i] as number) - (option.cashUsd[i] as number);
    if (cumulative >= 0) return i + 1;
  }
  return null;
}
