/**
 * Monthly evaluation of a fixed mixed fleet plan (owned cohorts per SKU, leased instances per
 * offer, an API share), with the formulas of cost-model.md and the evaluate core's own columns
 * (`computeDemand`, `discountFactors`, `evaluateLease` prices, `evaluateApi` costs,
 * `ceilWithTolerance`, `totalCashflows`, `netPresentCost`).
 *
 * A plan sets, per period, the most servers of each SKU to buy and the most instances of each
 * offer to lease; months are then played one by one:
 * 1. early retirements of the plan happen at the period's first month, resold at
 *    `n × unitPrice × (1 − d) ** (age in years)`; cohorts reaching the end of their life are
 *    resold in month `p + 12L` for `n × unitPrice × (1 − d) ** L` (cost-model.md step 4);
 * 2. the demand not sent to the API, `need(m) = peakOutTps(m) × (1 − apiShare)`, is covered by
 *    owned servers first: each SKU (in the plan's order) buys, as needed and within its budget,
 *    `ceil(deficit / (T × U) × (1 + spare) / G) − owned` servers (cost-model.md step 3);
 * 3. leased instances cover what owned servers do not, `ceil(deficit / (T × U) / G)`, offer by
 *    offer, within the plan's counts; a month the plan cannot cover is an error;
 * 4. the average load goes first to leased instances (paid whatever their load), then to owned
 *    SKUs in order of lowest energy per token; each SKU's energy is
 *    `fleet × kw × (φ + (1 − φ) × util) × PUE × 730` kWh, other lines as in cost-model.md.
 * With one option and no limits this reproduces `evaluate` exactly (tested), so a plan's
 * figures follow the same conventions as every pure strategy.
 */
import { emptyCashflows, totalCashflows } from "../cashflows.ts";
import { ScenarioError } from "../errors.ts";
import { netPresentCost, presentValueEndOfMonth, sum } from "../finance.ts";
import { ceilWithTolerance, WHOLE_NUMBER_TOLERANCE } from "../rules.ts";
import { HOURS_PER_MONTH, monthLabel, MONTHS_PER_YEAR } from "../time.ts";
import type { BuildUnit, PlanningContext } from "./context.ts";
import { checkPlan } from "./fleet-check.ts";
import type { FleetEvaluation, FleetMonth, FleetPeriodSummary, FleetPlan } from "./fleet-types.ts";

export type {
  FleetEvaluation,
  FleetMonth,
  FleetPeriodSummary,
  FleetPlan,
  FleetPlanPeriod,
  FleetRetirement,
} from "./fleet-types.ts";

interface SubCohort {
  month: number;
  period: number;
  servers: number;
  unitPriceUsd: number;
}

/** Marginal energy of one output token per second of load on a SKU (kW per token/s, before PUE and price): kw × (1 − φ) / (G × T). */
function marginalEnergyPerTps(unit: BuildUnit): number {
  return (unit.option.kw * (1 - unit.option.idlePowerFraction)) / unit.fullLoadTps;
}

/**
 * Evaluates a fleet plan month by month (see the module comment for the rules).
 *
 * @param context From `buildPlanningContext` (scenario, demand, prices).
 * @param plan Periods with the most servers to buy, instances to lease and API shares.
 * @returns NPV, TCO and levelised cost (USD, USD per million tokens) with cost-model.md
 *   conventions, monthly columns, per-period summaries, power-cap months and yearly capex.
 * @throws ScenarioError `invalid` for a malformed plan; `infeasible` when the plan leaves the
 *   demand of a month uncovered (naming the month and the shortfall in output tokens/s).
 */
export function evaluateFleetPlan(context: PlanningContext, plan: FleetPlan): FleetEvaluation {
  checkPlan(context, plan);
  const { demand, discount, resolved, builds, leases, apis, months } = context;
  const site = resolved.site;
  const U = demand.targetUtilization;
  const pue = site.pue;
  const electricityUsdPerKwh = site.electricityUsdPerKwh ?? 0;
  const flows = emptyCashflows(months);
  const monthly: FleetMonth[] = [];
  const periods: FleetPeriodSummary[] = [];
  const powerCapExceededMonths: number[] = [];
  const capexByYearUsd = new Array<number>(Math.ceil(months / MONTHS_PER_YEAR)).fill(0);
  const maxPathShare = { build: 0, lease: 0, api: 0 };

  const cohorts: SubCohort[][] = builds.map(() => []);
  const alive = builds.map(() => 0);
  const dispatchOrder = builds
    .map((_, i) => i)
    .sort((a, b) => marginalEnergyPerTps(builds[a] as BuildUnit) - marginalEnergyPerTps(builds[b] as BuildUnit));
  const buildIndexById = new Map(builds.map((b, i) => [b.option.id, i]));
  const leaseIndexById = new Map(leases.map((l, i) => [l.option.id, i]));
  const resaleFractions = builds.map((b) => (1 - b.option.resaleDeclinePerYear) ** b.option.lifeYears);

  plan.periods.forEach((period, periodIndex) => {
    const budget = builds.map((b) => period.buyServers?.[b.option.id] ?? 0);
    const ceiling = builds.map((b) => period.maxServers?.[b.option.id] ?? Number.POSITIVE_INFINITY);
    const leaseLimit = leases.map((l) => period.leaseInstances?.[l.option.id] ?? 0);
    const buyOrder = (period.buyOrder ?? builds.map((b) => b.option.id))
      .map((id) => buildIndexById.get(id))
      .filter((i): i is number => i !== undefined);
    const leaseOrder = (period.leaseOrder ?? leases.map((l) => l.option.id))
      .map((id) => leaseIndexById.get(id))
      .filter((i): i is number => i !== undefined);
    const periodPeak = Math.max(
      ...Array.from(demand.peakOutputTokensPerSecond.subarray(period.startMonth, period.startMonth + period.months)),
    );
    const summary: FleetPeriodSummary = {
      start: monthLabel(resolved.startMonth, period.startMonth),
      months: period.months,
      facilityKw: 0,
      gpus: 0,
      ownedGpus: 0,
      leasedGpus: 0,
      servers: {},
      bought: {},
      retired: {},
      retiredEarly: {},
      leased: {},
      apiShare: {},
      capexUsd: 0,
      resaleUsd: 0,
      opexUsd: 0,
      cashUsd: 0,
      npvCostUsd: 0,
    };
    for (const b of builds) {
      summary.bought[b.option.id] = 0;
      summary.retired[b.option.id] = 0;
      summary.retiredEarly[b.option.id] = 0;
    }
    for (const l of leases) summary.leased[l.option.id] = 0;
    for (const a of apis) summary.apiShare[a.option.id] = 0;

    for (let m = period.startMonth; m < period.startMonth + period.months; m++) {
      const record: FleetMonth = {
        month: monthLabel(resolved.startMonth, m),
        capexUsd: 0,
        resaleUsd: 0,
        energyUsd: 0,
        facilityUsd: 0,
        maintenanceUsd: 0,
        softwareUsd: 0,
        staffUsd: 0,
        otherUsd: 0,
        leaseUsd: 0,
        apiUsd: 0,
        cashUsd: 0,
        servers: {},
        serversBought: {},
        serversRetired: {},
        instances: {},
        apiShare: 0,
        ownedGpus: 0,
        leasedGpus: 0,
        gpus: 0,
        facilityKw: 0,
        kwh: 0,
        tokens: demand.tokens[m] as number,
        outputTokens: demand.outputTokens[m] as number,
      };
      let resale = 0;

      // 1. Early retirements at the period's first month, then cohorts at the end of their life.
      if (m === period.startMonth) {
        for (const retirement of period.retire ?? []) {
          const i = buildIndexById.get(retirement.optionId) as number;
          const unit = builds[i] as BuildUnit;
          let left = retirement.servers;
          for (const cohort of cohorts[i] as SubCohort[]) {
            if (left <= 0) break;
            if (cohort.period !== retirement.boughtInPeriod || cohort.servers <= 0) continue;
            const n = Math.min(left, cohort.servers);
            resale +=
              n *
              cohort.unitPriceUsd *
              (1 - unit.option.resaleDeclinePerYear) ** ((m - cohort.month) / MONTHS_PER_YEAR);
            cohort.servers -= n;
            left -= n;
            alive[i] = (alive[i] as number) - n;
            record.serversRetired[unit.option.id] = (record.serversRetired[unit.option.id] ?? 0) + n;
            summary.retiredEarly[unit.option.id] = (summary.retiredEarly[unit.option.id] as number) + n;
          }
        }
      }
      builds.forEach((unit, i) => {
        const list = cohorts[i] as SubCohort[];
        let retired = 0;
        while (list.length > 0 && (list[0] as SubCohort).month + unit.option.lifeMonths <= m) {
          const cohort = list.shift() as SubCohort;
          if (cohort.servers > 0) {
            resale += cohort.servers * cohort.unitPriceUsd * (resaleFractions[i] as number);
            retired += cohort.servers;
          }
        }
        // Cohorts emptied by early retirement leave the list too.
        while (list.length > 0 && (list[0] as SubCohort).servers <= 0) list.shift();
        alive[i] = (alive[i] as number) - retired;
        if (retired > 0) record.serversRetired[unit.option.id] = (record.serversRetired[unit.option.id] ?? 0) + retired;
      });

      // 2. Demand not sent to an API, covered by owned servers first.
      let apiShare = 0;
      for (const api of apis) {
        const share = period.apiShare?.[api.option.id] ?? 0;
        if (share > 0 && m >= api.availableFromMonth) apiShare += share;
      }
      const need = (demand.peakOutputTokensPerSecond[m] as number) * (1 - apiShare);
      for (const i of buyOrder) {
        const unit = builds[i] as BuildUnit;
        if ((budget[i] as number) <= 0 || m < unit.availableFromMonth) continue;
        let ownedOther = 0;
        builds.forEach((other, j) => {
          if (j !== i) ownedOther += (alive[j] as number) * other.capacityTps;
        });
        const deficit = ownedOther === 0 ? need : need - ownedOther;
        if (!(deficit > 0)) continue;
        // Same operations, in the same order, as the evaluate core's buy-as-needed step.
        const gpusNeeded = deficit / (unit.option.outputTokensPerSecondPerGpu * U);
        const required = ceilWithTolerance((gpusNeeded * (1 + unit.option.spareFraction)) / unit.option.gpusPerServer);
        const room = Math.max(0, (ceiling[i] as number) - (alive[i] as number));
        const bought = Math.min(Math.max(0, required - (alive[i] as number)), budget[i] as number, room);
        if (bought > 0) {
          const unitPriceUsd = unit.unitPriceUsd[m] as number;
          (cohorts[i] as SubCohort[]).push({ month: m, period: periodIndex, servers: bought, unitPriceUsd });
          alive[i] = (alive[i] as number) + bought;
          budget[i] = (budget[i] as number) - bought;
          const capex = bought * unitPriceUsd * (1 + unit.option.adders);
          record.capexUsd += capex;
          record.serversBought[unit.option.id] = bought;
          summary.bought[unit.option.id] = (summary.bought[unit.option.id] as number) + bought;
        }
      }

      // 3. Leased instances cover the rest.
      let ownedCapacity = 0;
      builds.forEach((unit, i) => {
        ownedCapacity += (alive[i] as number) * unit.capacityTps;
      });
      let deficit = ownedCapacity === 0 ? need : need - ownedCapacity;
      const instances = leases.map(() => 0);
      for (const k of leaseOrder) {
        const unit = leases[k];
        if (unit === undefined || !(deficit > 0) || m < unit.availableFromMonth) continue;
        const gpusNeeded = deficit / (unit.option.outputTokensPerSecondPerGpu * U);
        const count = Math.min(ceilWithTolerance(gpusNeeded / unit.option.gpusPerInstance), leaseLimit[k] as number);
        instances[k] = count;
        deficit -= count * unit.capacityTps;
      }
      let leaseCapacity = 0;
      leases.forEach((unit, k) => {
        leaseCapacity += (instances[k] as number) * unit.capacityTps;
      });
      const shortfall = need - ownedCapacity - leaseCapacity;
      if (shortfall > WHOLE_NUMBER_TOLERANCE * need * 10 && shortfall > 1e-9) {
        throw new ScenarioError("infeasible", [
          {
            path: `plan.periods.${periodIndex}`,
            message: `the plan does not cover the demand of ${record.month}: ${shortfall.toPrecision(4)} output tokens/s of peak demand (at the target utilisation) are left without owned, leased or API capacity`,
          },
        ]);
      }
      maxPathShare.build = Math.max(maxPathShare.build, ownedCapacity / periodPeak);
      maxPathShare.lease = Math.max(maxPathShare.lease, leaseCapacity / periodPeak);
      maxPathShare.api = Math.max(maxPathShare.api, apiShare);

      // 4. Average load: leased instances first (paid anyway), then owned SKUs by energy per token.
      let remainingLoad = (demand.averageOutputTokensPerSecond[m] as number) * (1 - apiShare);
      let leaseFullLoad = 0;
      leases.forEach((unit, k) => {
        leaseFullLoad += (instances[k] as number) * unit.fullLoadTps;
      });
      remainingLoad = leaseFullLoad === 0 ? remainingLoad : Math.max(0, remainingLoad - leaseFullLoad);
      for (const i of dispatchOrder) {
        const unit = builds[i] as BuildUnit;
        const option = unit.option;
        const fleet = alive[i] as number;
        let hardwareValue = 0;
        for (const cohort of cohorts[i] as SubCohort[])
          if (m - cohort.month >= option.warrantyMonths) hardwareValue += cohort.servers * cohort.unitPriceUsd;
        const utilization = fleet > 0 ? Math.min(1, remainingLoad / (fleet * unit.fullLoadTps)) : 0;
        remainingLoad = Math.max(0, remainingLoad - utilization * fleet * unit.fullLoadTps);
        const phi = option.idlePowerFraction;
        const kwh = fleet * option.kw * (phi + (1 - phi) * utilization) * pue * HOURS_PER_MONTH;
        record.kwh += kwh;
        record.energyUsd += kwh * electricityUsdPerKwh * (context.electricityFactors[m] as number);
        record.facilityUsd += fleet * option.kw * site.colocationUsdPerKwMonth;
        record.maintenanceUsd += (option.maintenancePerYear / 12) * hardwareValue;
        record.softwareUsd += (option.softwareUsdPerGpuYear / 12) * option.gpusPerServer * fleet;
        record.staffUsd +=
          (option.serversPerFte === null ? 0 : option.fteUsdPerYear / option.serversPerFte / 12) * fleet;
        record.otherUsd += (option.otherUsdPerServerYear / 12) * fleet;
        record.facilityKw += fleet * option.kw * pue;
        record.ownedGpus += fleet * option.gpusPerServer;
        record.servers[option.id] = fleet;
      }
      leases.forEach((unit, k) => {
        const count = instances[k] as number;
        record.instances[unit.option.id] = count;
        record.leaseUsd += count * (unit.priceUsdPerInstanceHour[m] as number) * HOURS_PER_MONTH;
        record.softwareUsd += (unit.option.softwareUsdPerGpuYear / 12) * unit.option.gpusPerInstance * count;
        record.leasedGpus += count * unit.option.gpusPerInstance;
        summary.leased[unit.option.id] = Math.max(summary.leased[unit.option.id] as number, count);
      });
      for (const api of apis) {
        const share = period.apiShare?.[api.option.id] ?? 0;
        if (share > 0 && m >= api.availableFromMonth) {
          record.apiUsd += share * (api.costUsd[m] as number);
          summary.apiShare[api.option.id] = (summary.apiShare[api.option.id] as number) + share / period.months;
        }
      }
      record.apiShare = apiShare;
      record.resaleUsd = resale;
      record.gpus = record.ownedGpus + record.leasedGpus;
      if (site.powerCapKw !== null && record.facilityKw > site.powerCapKw) powerCapExceededMonths.push(m);

      flows.capexUsd[m] = record.capexUsd;
      flows.resaleUsd[m] = record.resaleUsd;
      flows.energyUsd[m] = record.energyUsd;
      flows.facilityUsd[m] = record.facilityUsd;
      flows.maintenanceUsd[m] = record.maintenanceUsd;
      flows.softwareUsd[m] = record.softwareUsd;
      flows.staffUsd[m] = record.staffUsd;
      flows.otherUsd[m] = record.otherUsd;
      flows.leaseUsd[m] = record.leaseUsd;
      flows.apiUsd[m] = record.apiUsd;
      flows.gpus[m] = record.gpus;
      capexByYearUsd[Math.floor(m / MONTHS_PER_YEAR)] =
        (capexByYearUsd[Math.floor(m / MONTHS_PER_YEAR)] as number) + record.capexUsd;
      for (const [id, n] of Object.entries(record.serversRetired))
        summary.retired[id] = (summary.retired[id] as number) + n;
      summary.facilityKw = Math.max(summary.facilityKw, record.facilityKw);
      summary.gpus = Math.max(summary.gpus, record.gpus);
      summary.ownedGpus = Math.max(summary.ownedGpus, record.ownedGpus);
      summary.leasedGpus = Math.max(summary.leasedGpus, record.leasedGpus);
      monthly.push(record);
    }
    for (const b of builds) summary.servers[b.option.id] = alive[buildIndexById.get(b.option.id) as number] as number;
    periods.push(summary);
  });

  // Residual: cohorts alive at the horizon, valued at their age (cost-model.md step 5).
  let residual = 0;
  builds.forEach((unit, i) => {
    for (const cohort of cohorts[i] as SubCohort[]) {
      if (cohort.servers <= 0) continue;
      residual +=
        cohort.servers *
        cohort.unitPriceUsd *
        (1 - unit.option.resaleDeclinePerYear) ** ((months - cohort.month) / MONTHS_PER_YEAR);
    }
  });
  flows.residualUsd = residual;
  totalCashflows(flows);
  const npvCostUsd = netPresentCost(flows, discount);

  plan.periods.forEach((period, p) => {
    const summary = periods[p] as FleetPeriodSummary;
    for (let m = period.startMonth; m < period.startMonth + period.months; m++) {
      const record = monthly[m] as FleetMonth;
      record.cashUsd = flows.cashUsd[m] as number;
      summary.capexUsd += flows.capexUsd[m] as number;
      summary.resaleUsd += flows.resaleUsd[m] as number;
      summary.opexUsd += flows.opexUsd[m] as number;
      summary.cashUsd += flows.cashUsd[m] as number;
      summary.npvCostUsd +=
        ((flows.capexUsd[m] as number) - (flows.resaleUsd[m] as number)) * (discount[m] as number) +
        (flows.opexUsd[m] as number) * (discount[m + 1] as number);
    }
  });
  const last = periods[periods.length - 1];
  if (last) last.npvCostUsd -= residual * (discount[months] as number);

  const gpuHours = presentValueEndOfMonth(flows.gpus, discount) * HOURS_PER_MONTH;
  return {
    npvCostUsd,
    tcoUsd: sum(flows.cashUsd) - residual,
    residualUsd: residual,
    lcotUsdPerMillionTokens: (npvCostUsd / context.discountedTokens) * 1e6,
    lcotUsdPerMillionOutputTokens: (npvCostUsd / context.discountedOutputTokens) * 1e6,
    effectiveUsdPerGpuHour: gpuHours > 0 ? npvCostUsd / gpuHours : null,
    powerCapExceededMonths,
    capexByYearUsd,
    maxPathShare,
    monthly,
    periods,
    flows,
  };
}
