/**
 * The fleet MILP (docs/optimiser.md "Formulation"): which servers to buy per SKU and period, which
 * to sell early, how many instances to lease per offer and period, which share of tokens to buy
 * from an API, at minimum NPV of cost, with capacity, power-cap, budget and share constraints.
 *
 * Periods are yearly or quarterly (a few to a few dozen), so the model has hundreds of
 * variables, not thousands; the chosen plan is then evaluated month by month by `fleet.ts`.
 */
import { MONTHS_PER_YEAR, HOURS_PER_MONTH } from "../time.ts";
import type { BuildUnit, LeaseUnit, Period, PlanningContext } from "./context.ts";
import type { FleetPlan, FleetPlanPeriod } from "./fleet.ts";
import { LpModel, type LpTerm } from "./lp-model.ts";

/** Constraint settings of one solve (the optimiser relaxes them one by one to explain or diagnose). */
export interface ModelLimits {
  /** Facility power cap, kW (IT × PUE); null: none. */
  powerCapKw: number | null;
  /** Capex budget per plan year, USD; null: none. */
  capexBudgetUsdPerYear: number[] | null;
  /** Largest share of each period's peak per path, 0–1. */
  maxShare: { build: number; lease: number; api: number };
  allowEarlyRetirement: boolean;
}

/** A purchase decision: servers of SKU `build` bought in `period` (integer column `name`). */
export interface BuyColumn {
  name: string;
  build: number;
  period: number;
  /** Periods in which the cohort is alive for the whole period (its capacity counts). */
  fullPeriods: number[];
  /** Periods in which the cohort is on site for at least one month (its power counts). */
  presentPeriods: number[];
  /** Objective coefficient: NPV of one server over its life, USD. */
  costUsd: number;
  /** Capex of one server incl. adders, undiscounted USD. */
  capexUsd: number;
}

/** Early retirement: servers of cohort (build, period) sold at the start of period `at`. */
export interface RetireColumn {
  name: string;
  build: number;
  period: number;
  at: number;
}

export interface LeaseColumn {
  name: string;
  lease: number;
  period: number;
}

export interface ApiColumn {
  name: string;
  api: number;
  period: number;
}

/** The model with the meaning of its columns. */
export interface FleetModel {
  lp: LpModel;
  buy: BuyColumn[];
  retire: RetireColumn[];
  lease: LeaseColumn[];
  api: ApiColumn[];
  /** Peak output tokens/s per period: the largest monthly peak in the period. */
  periodPeakTps: number[];
  /** Name of each period's power row (null when there is no cap). */
  powerRows: (string | null)[];
}

/** Largest monthly peak output rate in a period, tokens/s. */
function periodPeak(context: PlanningContext, period: Period): number {
  let peak = 0;
  for (let m = period.start; m < period.end; m++)
    peak = Math.max(peak, context.demand.peakOutputTokensPerSecond[m] as number);
  return peak;
}

/** Mean monthly average output rate in a period, tokens/s. */
function periodAverage(context: PlanningContext, period: Period): number {
  let total = 0;
  for (let m = period.start; m < period.end; m++) total += context.demand.averageOutputTokensPerSecond[m] as number;
  return total / (period.end - period.start);
}

/**
 * Cost of one owned server in month m other than load-dependent energy, USD: colocation
 * `kw × colo` + maintenance `maint / 12 × unitPrice` (once the cohort is `ageMonths >= warrantyMonths` old) + software `sw / 12 × G` + staff
 * `fte / serversPerFte / 12` + other `other / 12` + idle energy `kw × φ × PUE × 730 × price(m)`.
 */
export function ownedServerMonthUsd(
  context: PlanningContext,
  unit: BuildUnit,
  month: number,
  unitPriceUsd: number,
  ageMonths = Number.POSITIVE_INFINITY,
): number {
  const o = unit.option;
  // Extension: no maintenance while the cohort is inside its included support (warrantyMonths).
  const maintenanceFraction = ageMonths >= o.warrantyMonths ? o.maintenancePerYear / 12 : 0;
  const site = context.resolved.site;
  const electricity = (site.electricityUsdPerKwh ?? 0) * (context.electricityFactors[month] as number);
  return (
    o.kw * site.colocationUsdPerKwMonth +
    maintenanceFraction * unitPriceUsd +
    (o.softwareUsdPerGpuYear / 12) * o.gpusPerServer +
    (o.serversPerFte === null ? 0 : o.fteUsdPerYear / o.serversPerFte / 12) +
    o.otherUsdPerServerYear / 12 +
    o.kw * o.idlePowerFraction * site.pue * HOURS_PER_MONTH * electricity
  );
}

/** Energy cost of one output token/s of average load on a SKU for month m, USD: kw × (1 − φ) × PUE × 730 × price(m) / (G × T). */
export function loadEnergyUsdPerTpsMonth(context: PlanningContext, unit: BuildUnit, month: number): number {
  const o = unit.option;
  const site = context.resolved.site;
  const electricity = (site.electricityUsdPerKwh ?? 0) * (context.electricityFactors[month] as number);
  return (o.kw * (1 - o.idlePowerFraction) * site.pue * HOURS_PER_MONTH * electricity) / unit.fullLoadTps;
}

/** Cohort of `unit` bought at the start of `period`: periods it fully covers, and periods it is on site. */
function cohortPeriods(
  context: PlanningContext,
  unit: BuildUnit,
  period: Period,
): { full: number[]; present: number[] } {
  const endOfLife = period.start + unit.option.lifeMonths;
  const full: number[] = [];
  const present: number[] = [];
  for (const u of context.periods) {
    if (u.index < period.index) continue;
    if (u.start < endOfLife) present.push(u.index);
    if (u.end <= endOfLife) full.push(u.index);
  }
  return { full, present };
}

/**
 * Builds the MILP for `context` under `limits`.
 *
 * Columns (per period t; b SKU, k offer, j API): `x_b_t` servers bought (integer), `r_b_t_u`
 * servers of that cohort sold early at the start of period u, u the first period of a plan year
 * (integer), `w_k_t` instances
 * leased (integer), `a_j_t` share of requests sent to the API (0–1), `y_b_t` / `z_t` share of
 * the period's average load served by SKU b / by leased instances.
 *
 * Objective (USD, NPV at plan start, cost-model.md discounting): per server bought
 * `unitPrice × (1 + adders) v^s + Σ_months ownedServerMonth × v^(m+1) − resale v^(s+12L)` (or
 * the horizon residual `unitPrice (1 − d)^((M − s)/12) v^M`); an early sale at month q saves the
 * months after q and turns the later resale into `unitPrice (1 − d)^((q − s)/12) v^q`; per
 * instance `Σ (price × 730 + software) v^(m+1)`; per API share `Σ apiCost(m) v^(m+1)`; per load
 * share `avgLoad × Σ loadEnergy(m) v^(m+1)`.
 *
 * Rows per period u: capacity `Σ_b cap_b A_bu + Σ_k cap_k w_ku + peak_u Σ_j a_ju ≥ peak_u`
 * (cap at the target utilisation, net of spares; A = servers alive all period); load
 * `Σ_b y_bu + z_u + Σ_j a_ju ≥ 1`, `y_bu ≤ G T A_bu / avg_u`, `z_u ≤ Σ_k G T w_ku / avg_u`; power
 * `Σ_b kw_b PUE P_bu ≤ cap` (P = servers on site any month of u); shares `Σ_b cap_b A_bu ≤
 * maxBuild × peak_u`, likewise lease and API; budget per plan year `Σ capex x ≤ budget`.
 */
export function buildFleetModel(context: PlanningContext, limits: ModelLimits): FleetModel {
  const lp = new LpModel();
  const { periods, builds, leases, apis, discount, months } = context;
  const peaks = periods.map((p) => periodPeak(context, p));
  const averages = periods.map((p) => periodAverage(context, p));
  const buy: BuyColumn[] = [];
  const retire: RetireColumn[] = [];
  const lease: LeaseColumn[] = [];
  const api: ApiColumn[] = [];

  // Per period: terms of alive capacity (full periods), of power (present), of full-load throughput.
  const capacityTerms: LpTerm[][] = periods.map(() => []);
  const buildShareTerms: LpTerm[][] = periods.map(() => []);
  const powerTerms: LpTerm[][] = periods.map(() => []);
  const loadTermsByBuild: LpTerm[][][] = periods.map(() => builds.map(() => []));
  const leaseLoadTerms: LpTerm[][] = periods.map(() => []);
  const leaseShareTerms: LpTerm[][] = periods.map(() => []);
  const budgetTerms: LpTerm[][] = Array.from({ length: Math.ceil(months / MONTHS_PER_YEAR) }, () => []);

  builds.forEach((unit, b) => {
    const o = unit.option;
    const maxByPower =
      limits.powerCapKw === null ? Number.POSITIVE_INFINITY : Math.floor(limits.powerCapKw / unit.facilityKw + 1e-9);
    for (const period of periods) {
      if (period.start < unit.availableFromMonth) continue;
      const { full, present } = cohortPeriods(context, unit, period);
      if (full.length === 0) continue;
      let needed = 0;
      for (const u of full) needed = Math.max(needed, Math.ceil((peaks[u] as number) / unit.capacityTps - 1e-9));
      const upper = Math.min(needed, maxByPower);
      if (upper <= 0) continue;
      const s = period.start;
      const price = unit.unitPriceUsd[s] as number;
      const endOfLife = s + o.lifeMonths;
      const lastMonth = Math.min(endOfLife, months);
      const ownedMonthCost = (from: number): number => {
        let total = 0;
        for (let m = from; m < lastMonth; m++)
          total += ownedServerMonthUsd(context, unit, m, price, m - s) * (discount[m + 1] as number);
        return total;
      };
      const laterValue =
        endOfLife < months
          ? price * (1 - o.resaleDeclinePerYear) ** o.lifeYears * (discount[endOfLife] as number)
          : price * (1 - o.resaleDeclinePerYear) ** ((months - s) / MONTHS_PER_YEAR) * (discount[months] as number);
      const capexUsd = price * (1 + o.adders);
      const costUsd = capexUsd * (discount[s] as number) + ownedMonthCost(s) - laterValue;
      const name = lp.addVariable(`x${b}_${period.index}`, { integer: true, upper, cost: costUsd });
      buy.push({ name, build: b, period: period.index, fullPeriods: full, presentPeriods: present, costUsd, capexUsd });
      budgetTerms[Math.floor(s / MONTHS_PER_YEAR)]?.push([name, capexUsd]);
      for (const u of full) {
        capacityTerms[u]?.push([name, unit.capacityTps / (peaks[u] as number)]);
        loadTermsByBuild[u]?.[b]?.push([name, unit.fullLoadTps / (averages[u] as number)]);
      }
      for (const u of present) powerTerms[u]?.push([name, unit.facilityKw]);

      if (limits.allowEarlyRetirement) {
        const retireNames: LpTerm[] = [];
        for (const u of present) {
          // Early sales at the start of a plan year only: refresh is a yearly decision, and
          // quarterly models would otherwise carry four times the integer columns.
          if (u === period.index || (periods[u] as Period).start % MONTHS_PER_YEAR !== 0) continue;
          const q = (periods[u] as Period).start;
          const saleValue =
            price * (1 - o.resaleDeclinePerYear) ** ((q - s) / MONTHS_PER_YEAR) * (discount[q] as number);
          const retireCost = -ownedMonthCost(q) - saleValue + laterValue;
          const retireName = lp.addVariable(`r${b}_${period.index}_${u}`, { integer: true, upper, cost: retireCost });
          retire.push({ name: retireName, build: b, period: period.index, at: u });
          retireNames.push([retireName, 1]);
          // Sold at the start of u: gone from u on.
          for (const v of full)
            if (v >= u) {
              capacityTerms[v]?.push([retireName, -unit.capacityTps / (peaks[v] as number)]);
              loadTermsByBuild[v]?.[b]?.push([retireName, -unit.fullLoadTps / (averages[v] as number)]);
            }
          for (const v of present) if (v >= u) powerTerms[v]?.push([retireName, -unit.facilityKw]);
        }
        if (retireNames.length > 0) lp.addConstraint(`rx${b}_${period.index}`, [...retireNames, [name, -1]], "<=", 0);
      }
    }
  });

  leases.forEach((unit: LeaseUnit, k) => {
    for (const period of periods) {
      if (period.start < unit.availableFromMonth) continue;
      const peak = peaks[period.index] as number;
      const upper = Math.ceil(peak / unit.capacityTps - 1e-9);
      let costUsd = 0;
      for (let m = period.start; m < period.end; m++)
        costUsd += (unit.monthlyCostUsd[m] as number) * (discount[m + 1] as number);
      // Leases follow demand month by month in the plan evaluation (rounded up there), so the
      // count needs to be whole only when a lease share limit must hold exactly.
      const name = lp.addVariable(`w${k}_${period.index}`, {
        integer: limits.maxShare.lease < 1,
        upper,
        cost: costUsd,
      });
      lease.push({ name, lease: k, period: period.index });
      capacityTerms[period.index]?.push([name, unit.capacityTps / peak]);
      leaseShareTerms[period.index]?.push([name, unit.capacityTps / peak]);
      leaseLoadTerms[period.index]?.push([name, unit.fullLoadTps / (averages[period.index] as number)]);
    }
  });

  const apiTerms: LpTerm[][] = periods.map(() => []);
  apis.forEach((unit, j) => {
    for (const period of periods) {
      if (period.start < unit.availableFromMonth) continue;
      let costUsd = 0;
      for (let m = period.start; m < period.end; m++)
        costUsd += (unit.costUsd[m] as number) * (discount[m + 1] as number);
      const name = lp.addVariable(`a${j}_${period.index}`, { upper: limits.maxShare.api, cost: costUsd });
      api.push({ name, api: j, period: period.index });
      apiTerms[period.index]?.push([name, 1]);
    }
  });

  const powerRows: (string | null)[] = [];
  for (const period of periods) {
    const u = period.index;
    const capacity = capacityTerms[u] as LpTerm[];
    for (const [name, c] of capacity) if (name.startsWith("x")) buildShareTerms[u]?.push([name, c]);
    for (const [name, c] of capacity) if (name.startsWith("r")) buildShareTerms[u]?.push([name, c]);
    // Capacity, scaled so the largest coefficient is 1 (well-conditioned for any demand size).
    const rowTerms: LpTerm[] = [...capacity, ...(apiTerms[u] as LpTerm[])];
    const scale = 1 / Math.max(1, ...capacity.map(([, c]) => Math.abs(c)));
    lp.addConstraint(
      `cap_${u}`,
      rowTerms.map(([n, c]) => [n, c * scale] as const),
      ">=",
      scale,
    );

    // Load: average load shared among owned SKUs, leased instances and APIs (energy of owned servers).
    const loadShares: LpTerm[] = [];
    builds.forEach((unit, b) => {
      const terms = loadTermsByBuild[u]?.[b] as LpTerm[];
      if (terms.length === 0) return;
      let costUsd = 0;
      for (let m = period.start; m < period.end; m++)
        costUsd += loadEnergyUsdPerTpsMonth(context, unit, m) * (discount[m + 1] as number);
      if (costUsd === 0) {
        // No load-dependent energy cost: the share needs no column; capacity rows suffice.
        return;
      }
      const y = lp.addVariable(`y${b}_${u}`, { upper: 1, cost: costUsd * (averages[u] as number) });
      lp.addConstraint(`yc${b}_${u}`, [[y, 1], ...terms.map(([n, c]) => [n, -c] as const)], "<=", 0);
      loadShares.push([y, 1]);
    });
    if (loadShares.length > 0) {
      // Without load-energy columns the owned share is free, so the row is only written when one exists.
      const leaseLoad = leaseLoadTerms[u] as LpTerm[];
      const shares: LpTerm[] = [...loadShares, ...(apiTerms[u] as LpTerm[])];
      if (leaseLoad.length > 0) {
        const z = lp.addVariable(`z_${u}`, { upper: 1 });
        lp.addConstraint(`zc_${u}`, [[z, 1], ...leaseLoad.map(([n, c]) => [n, -c] as const)], "<=", 0);
        shares.push([z, 1]);
      }
      // Owned SKUs without a load-energy column serve load for free: give them a free share column.
      builds.forEach((unit, b) => {
        const terms = loadTermsByBuild[u]?.[b] as LpTerm[];
        if (terms.length === 0 || loadShares.some(([n]) => n === `y${b}_${u}`)) return;
        void unit;
        const free = lp.addVariable(`f${b}_${u}`, { upper: 1 });
        lp.addConstraint(`fc${b}_${u}`, [[free, 1], ...terms.map(([n, c]) => [n, -c] as const)], "<=", 0);
        shares.push([free, 1]);
      });
      lp.addConstraint(`load_${u}`, shares, ">=", 1);
    }

    if (limits.powerCapKw !== null && (powerTerms[u] as LpTerm[]).length > 0) {
      lp.addConstraint(`pow_${u}`, powerTerms[u] as LpTerm[], "<=", limits.powerCapKw);
      powerRows.push(`pow_${u}`);
    } else powerRows.push(null);

    if (limits.maxShare.build < 1 && (buildShareTerms[u] as LpTerm[]).length > 0) {
      lp.addConstraint(
        `sb_${u}`,
        (buildShareTerms[u] as LpTerm[]).map(([n, c]) => [n, c * scale] as const),
        "<=",
        limits.maxShare.build * scale,
      );
    }
    if (limits.maxShare.lease < 1 && (leaseShareTerms[u] as LpTerm[]).length > 0) {
      lp.addConstraint(
        `sl_${u}`,
        (leaseShareTerms[u] as LpTerm[]).map(([n, c]) => [n, c * scale] as const),
        "<=",
        limits.maxShare.lease * scale,
      );
    }
    if ((apiTerms[u] as LpTerm[]).length > 1)
      lp.addConstraint(`sa_${u}`, apiTerms[u] as LpTerm[], "<=", limits.maxShare.api);
  }

  if (limits.capexBudgetUsdPerYear !== null) {
    budgetTerms.forEach((terms, year) => {
      const budget = limits.capexBudgetUsdPerYear?.[year];
      if (terms.length === 0 || budget === undefined) return;
      lp.addConstraint(`bud_${year}`, terms, "<=", budget);
    });
  }

  return { lp, buy, retire, lease, api, periodPeakTps: peaks, powerRows };
}

/** The MILP's decisions for one period (before the monthly evaluation). */
export interface MilpPeriodDecision {
  /** Servers bought per build option id. */
  buy: Record<string, number>;
  /** Early sales at the period's start: option id, period bought, servers. */
  retire: { optionId: string; boughtInPeriod: number; servers: number }[];
  /** Instances per lease option id. */
  lease: Record<string, number>;
  /** Share of requests per API option id, 0–1. */
  apiShare: Record<string, number>;
  /** Planned facility power at full load, kW (servers on site × kw × PUE). */
  facilityKw: number;
  /** Capacity at the target utilisation as a share of the period's peak: owned, leased. */
  ownedShare: number;
  leasedShare: number;
}

/**
 * Reads a solution into per-period decisions and a `FleetPlan` for `evaluateFleetPlan`.
 * Integer columns are rounded; the API share is set to exactly what the planned capacity leaves
 * uncovered (what the solver chose, without its feasibility tolerance), split among API options
 * as the solver split it.
 */
export function readFleetPlan(
  context: PlanningContext,
  model: FleetModel,
  values: Map<string, number>,
): { plan: FleetPlan; decisions: MilpPeriodDecision[] } {
  const { periods, builds, leases, apis } = context;
  const value = (name: string): number => Math.max(0, Math.round(values.get(name) ?? 0));
  // Lease columns may be continuous: round up (with a tolerance) so the planned capacity still covers the peak.
  const leaseValue = (name: string): number => Math.max(0, Math.ceil((values.get(name) ?? 0) - 1e-6));
  const decisions: MilpPeriodDecision[] = periods.map(() => ({
    buy: {},
    retire: [],
    lease: {},
    apiShare: {},
    facilityKw: 0,
    ownedShare: 0,
    leasedShare: 0,
  }));
  const ownedCapacity = periods.map(() => 0);
  const leasedCapacity = periods.map(() => 0);

  for (const column of model.buy) {
    const n = value(column.name);
    if (n === 0) continue;
    const unit = builds[column.build] as BuildUnit;
    const decision = decisions[column.period] as MilpPeriodDecision;
    decision.buy[unit.option.id] = (decision.buy[unit.option.id] ?? 0) + n;
    let sold = 0;
    const soldBy = new Map<number, number>();
    for (const r of model.retire) {
      if (r.build !== column.build || r.period !== column.period) continue;
      const k = value(r.name);
      if (k > 0) soldBy.set(r.at, k);
    }
    for (const u of column.presentPeriods) {
      sold += soldBy.get(u) ?? 0;
      const left = Math.max(0, n - sold);
      (decisions[u] as MilpPeriodDecision).facilityKw += left * unit.facilityKw;
      if (column.fullPeriods.includes(u)) ownedCapacity[u] = (ownedCapacity[u] as number) + left * unit.capacityTps;
    }
    for (const [at, k] of soldBy)
      (decisions[at] as MilpPeriodDecision).retire.push({
        optionId: unit.option.id,
        boughtInPeriod: column.period,
        servers: Math.min(k, n),
      });
  }
  for (const column of model.lease) {
    const n = leaseValue(column.name);
    if (n === 0) continue;
    const unit = leases[column.lease] as LeaseUnit;
    (decisions[column.period] as MilpPeriodDecision).lease[unit.option.id] = n;
    leasedCapacity[column.period] = (leasedCapacity[column.period] as number) + n * unit.capacityTps;
  }

  const planPeriods: FleetPlanPeriod[] = periods.map((period, t) => {
    const decision = decisions[t] as MilpPeriodDecision;
    const peak = model.periodPeakTps[t] as number;
    decision.ownedShare = (ownedCapacity[t] as number) / peak;
    decision.leasedShare = (leasedCapacity[t] as number) / peak;
    const uncovered = Math.max(0, 1 - ((ownedCapacity[t] as number) + (leasedCapacity[t] as number)) / peak);
    const solverShares = model.api
      .filter((c) => c.period === t)
      .map((c) => ({
        id: (apis[c.api] as (typeof apis)[number]).option.id,
        share: Math.max(0, values.get(c.name) ?? 0),
      }));
    const solverTotal = solverShares.reduce((a, s) => a + s.share, 0);
    if (uncovered > 0 && solverShares.length > 0) {
      for (const s of solverShares) {
        const part = solverTotal > 0 ? s.share / solverTotal : 1 / solverShares.length;
        if (part > 0) decision.apiShare[s.id] = Math.min(1, uncovered * part);
      }
    }
    // Cheapest capacity first when the month's demand needs only part of the plan.
    const buyOrder = model.buy
      .filter((c) => c.period === t)
      .sort(
        (x, y) =>
          x.costUsd / (builds[x.build] as BuildUnit).capacityTps -
          y.costUsd / (builds[y.build] as BuildUnit).capacityTps,
      )
      .map((c) => (builds[c.build] as BuildUnit).option.id);
    const leaseOrder = [...leases]
      .sort(
        (x, y) =>
          (x.monthlyCostUsd[period.start] as number) / x.capacityTps -
          (y.monthlyCostUsd[period.start] as number) / y.capacityTps,
      )
      .map((l) => l.option.id);
    return {
      startMonth: period.start,
      months: period.end - period.start,
      buyServers: decision.buy,
      retire: decision.retire,
      leaseInstances: decision.lease,
      apiShare: decision.apiShare,
      buyOrder,
      leaseOrder,
    };
  });
  return { plan: { periods: planPeriods }, decisions };
}
