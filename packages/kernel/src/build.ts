/**
 * Build option (own servers) under the "buy as needed" fleet policy of cost-model.md:
 * cohorts bought when the servers required exceed those owned, resold at the end of their life,
 * valued at the horizon if still alive; energy, facility, maintenance, software, staff and other
 * costs per month.
 */
import { emptyCashflows, totalCashflows, type OptionCashflows } from "./cashflows.ts";
import type { Demand } from "./demand.ts";
import { ceilWithTolerance } from "./rules.ts";
import { HOURS_PER_MONTH, monthlyCompoundFactors } from "./time.ts";
import type { ValidatedBuildOption, ResolvedSite } from "./validate.ts";

/** Build columns beyond the common cash flows. */
export interface BuildCashflows extends OptionCashflows {
  /** Servers alive after buying in the month: fleet(m). */
  servers: Float64Array;
  /** Servers bought in the month. */
  serversBought: Float64Array;
  /** Servers retired (and resold) at the start of the month at the end of their life. */
  serversRetired: Float64Array;
  /** Average load of the fleet: min(1, avgOutTps / (fleet × G × T)). */
  utilization: Float64Array;
  /** Facility energy of the month, kWh (IT energy × PUE). */
  kwh: Float64Array;
  /** Facility power at full load, kW: fleet × kw × PUE (what the power cap sees). */
  facilityPowerKw: Float64Array;
  /** Plan months (0-based) where fleet × kw × PUE exceeds the site's power cap. */
  powerCapExceededMonths: number[];
}

/**
 * Evaluates one build option over the horizon (cost-model.md "Build option"):
 * - `required(m) = ceil(gpusNeeded(m) × (1 + spare) / G)` servers (ceil with 1e-9 relative tolerance),
 *   `gpusNeeded(m) = peakOutTps(m) / (T × targetUtilization)`;
 * - cohorts bought in month p live in months p .. p + 12L − 1; buy `max(0, required − owned)`
 *   at `priceUsd × (1 + priceChange) ** (m/12)`, capex `n × unitPrice × (1 + adders)`;
 * - a cohort ending its life inside the horizon is resold in month p + 12L for
 *   `n × unitPrice × (1 − d) ** L`; alive at the horizon, it is valued at
 *   `n × unitPrice × (1 − d) ** ((M − p) / 12)` (the residual);
 * - energy `fleet × kw × (φ + (1 − φ) × util) × PUE × 730` kWh at the escalated price; facility
 *   `fleet × kw × colocation`; maintenance `maintenancePerYear / 12 × Σ n × unitPrice` of alive
 *   cohorts (extension: only cohorts at least `12 × warrantyYears` months old; default 0, the contract); software `softwareUsdPerGpuYear / 12 × fleet × G`; staff
 *   `fleet / serversPerFte × fteUsdPerYear / 12`; other `fleet × otherUsdPerServerYear / 12`.
 */
export function evaluateBuild(option: ValidatedBuildOption, site: ResolvedSite, demand: Demand): BuildCashflows {
  const months = demand.months;
  const flows: BuildCashflows = {
    ...emptyCashflows(months),
    servers: new Float64Array(months),
    serversBought: new Float64Array(months),
    serversRetired: new Float64Array(months),
    utilization: new Float64Array(months),
    kwh: new Float64Array(months),
    facilityPowerKw: new Float64Array(months),
    powerCapExceededMonths: [],
  };
  const G = option.gpusPerServer;
  const T = option.outputTokensPerSecondPerGpu;
  const life = option.lifeMonths;
  const phi = option.idlePowerFraction;
  const pue = site.pue;
  const electricityUsdPerKwh = site.electricityUsdPerKwh ?? 0;
  const priceFactors = monthlyCompoundFactors(option.priceChangePerYear, months);
  const electricityFactors = monthlyCompoundFactors(site.electricityEscalationPerYear, months);
  const resaleFraction = (1 - option.resaleDeclinePerYear) ** option.lifeYears;
  const capacityPerServer = G * T;
  const monthlySoftwarePerServer = (option.softwareUsdPerGpuYear / 12) * G;
  const monthlyStaffPerServer = option.serversPerFte === null ? 0 : option.fteUsdPerYear / option.serversPerFte / 12;
  const monthlyOtherPerServer = option.otherUsdPerServerYear / 12;
  const monthlyMaintenanceFraction = option.maintenancePerYear / 12;
  const spareFactor = 1 + option.spareFraction;
  // Extension: support included in the price for warrantyMonths; maintenance starts after it.
  const warrantyMonths = option.warrantyMonths;

  // Cohorts as parallel arrays: purchase month, servers, unit price (USD per server).
  const cohortMonth: number[] = [];
  const cohortServers: number[] = [];
  const cohortUnitPrice: number[] = [];
  let firstAlive = 0; // cohorts are bought in month order, so they retire in that order too

  for (let m = 0; m < months; m++) {
    // Retire cohorts whose life ends this month: resale is a capital inflow of month p + 12L.
    let resale = 0;
    let retired = 0;
    while (firstAlive < cohortMonth.length && (cohortMonth[firstAlive] as number) + life <= m) {
      const n = cohortServers[firstAlive] as number;
      resale += n * (cohortUnitPrice[firstAlive] as number) * resaleFraction;
      retired += n;
      firstAlive++;
    }
    let owned = 0;
    let hardwareValue = 0; // of cohorts past their included support (all of them when warrantyMonths = 0)
    for (let c = firstAlive; c < cohortMonth.length; c++) {
      owned += cohortServers[c] as number;
      if (m - (cohortMonth[c] as number) >= warrantyMonths)
        hardwareValue += (cohortServers[c] as number) * (cohortUnitPrice[c] as number);
    }
    const gpusNeeded = (demand.peakOutputTokensPerSecond[m] as number) / (T * demand.targetUtilization);
    const required = ceilWithTolerance((gpusNeeded * spareFactor) / G);
    const bought = Math.max(0, required - owned);
    let capex = 0;
    if (bought > 0) {
      const unitPrice = option.priceUsd * (priceFactors[m] as number);
      cohortMonth.push(m);
      cohortServers.push(bought);
      cohortUnitPrice.push(unitPrice);
      capex = bought * unitPrice * (1 + option.adders);
      if (warrantyMonths === 0) hardwareValue += bought * unitPrice;
    }
    const fleet = owned + bought;
    const utilization =
      fleet > 0 ? Math.min(1, (demand.averageOutputTokensPerSecond[m] as number) / (fleet * capacityPerServer)) : 0;
    const kwh = fleet * option.kw * (phi + (1 - phi) * utilization) * pue * HOURS_PER_MONTH;
    const facilityPowerKw = fleet * option.kw * pue;

    flows.capexUsd[m] = capex;
    flows.resaleUsd[m] = resale;
    flows.energyUsd[m] = kwh * electricityUsdPerKwh * (electricityFactors[m] as number);
    flows.facilityUsd[m] = fleet * option.kw * site.colocationUsdPerKwMonth;
    flows.maintenanceUsd[m] = monthlyMaintenanceFraction * hardwareValue;
    flows.softwareUsd[m] = monthlySoftwarePerServer * fleet;
    flows.staffUsd[m] = monthlyStaffPerServer * fleet;
    flows.otherUsd[m] = monthlyOtherPerServer * fleet;
    flows.gpus[m] = fleet * G;
    flows.servers[m] = fleet;
    flows.serversBought[m] = bought;
    flows.serversRetired[m] = retired;
    flows.utilization[m] = utilization;
    flows.kwh[m] = kwh;
    flows.facilityPowerKw[m] = facilityPowerKw;
    if (site.powerCapKw !== null && facilityPowerKw > site.powerCapKw) flows.powerCapExceededMonths.push(m);
  }

  // Residual: cohorts still alive at the horizon, valued at their age (M − p) / 12 years.
  let residual = 0;
  for (let c = firstAlive; c < cohortMonth.length; c++) {
    const ageYears = (months - (cohortMonth[c] as number)) / 12;
    residual +=
      (cohortServers[c] as number) * (cohortUnitPrice[c] as number) * (1 - option.resaleDeclinePerYear) ** ageYears;
  }
  flows.residualUsd = residual;
  totalCashflows(flows);
  return flows;
}
