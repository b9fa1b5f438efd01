// Plan periods of the result: the fleet evaluation's periods, or any winning plan regrouped onto
// the optimiser's period grid (moved verbatim from optimise.ts).
import { monthLabel } from "../time.ts";
import type { PlanningContext } from "./context.ts";
import type { FleetEvaluation, FleetMonth } from "./fleet.ts";
import type { HybridPeriod } from "./optimise-types.ts";

export function toHybridPeriods(evaluation: FleetEvaluation): HybridPeriod[] {
  return evaluation.periods.map((p) => ({
    start: p.start,
    months: p.months,
    facilityKw: p.facilityKw,
    gpus: p.gpus,
    ownedGpus: p.ownedGpus,
    leasedGpus: p.leasedGpus,
    buy: p.bought,
    retire: p.retired,
    retireEarly: p.retiredEarly,
    servers: p.servers,
    lease: p.leased,
    apiShare: Object.values(p.apiShare).reduce((a, b) => a + b, 0),
    capexUsd: p.capexUsd,
    cashUsd: p.cashUsd,
    npvCostUsd: p.npvCostUsd,
  }));
}

/**
 * Plan periods on the optimiser's period grid, whatever plan won: a strategy evaluated as one
 * period (a pure strategy) or monthly (base-peak) is summarised per planning period from its months.
 */
export function regroupPeriods(
  context: PlanningContext,
  evaluation: FleetEvaluation,
  periods: HybridPeriod[],
): HybridPeriod[] {
  if (periods.length === context.periods.length) return periods;
  const ids = {
    build: context.builds.map((b) => b.option.id),
    lease: context.leases.map((l) => l.option.id),
  };
  return context.periods.map((period) => {
    const out: HybridPeriod = {
      start: monthLabel(context.resolved.startMonth, period.start),
      months: period.end - period.start,
      facilityKw: 0,
      gpus: 0,
      ownedGpus: 0,
      leasedGpus: 0,
      buy: Object.fromEntries(ids.build.map((id) => [id, 0])),
      retire: Object.fromEntries(ids.build.map((id) => [id, 0])),
      retireEarly: Object.fromEntries(ids.build.map((id) => [id, 0])),
      servers: {},
      lease: Object.fromEntries(ids.lease.map((id) => [id, 0])),
      apiShare: 0,
      capexUsd: 0,
      cashUsd: 0,
      npvCostUsd: 0,
    };
    for (let m = period.start; m < period.end; m++) {
      const month = evaluation.monthly[m] as FleetMonth;
      out.facilityKw = Math.max(out.facilityKw, month.facilityKw);
      out.gpus = Math.max(out.gpus, month.gpus);
      out.ownedGpus = Math.max(out.ownedGpus, month.ownedGpus);
      out.leasedGpus = Math.max(out.leasedGpus, month.leasedGpus);
      for (const [id, n] of Object.entries(month.serversBought)) out.buy[id] = (out.buy[id] ?? 0) + n;
      for (const [id, n] of Object.entries(month.serversRetired)) out.retire[id] = (out.retire[id] ?? 0) + n;
      for (const [id, n] of Object.entries(month.instances)) out.lease[id] = Math.max(out.lease[id] ?? 0, n);
      out.servers = { ...month.servers };
      out.apiShare += month.apiShare / (period.end - period.start);
      out.capexUsd += month.capexUsd;
      out.cashUsd += month.cashUsd;
      const flows = evaluation.flows;
      out.npvCostUsd +=
        ((flows.capexUsd[m] as number) - (flows.resaleUsd[m] as number)) * (context.discount[m] as number) +
        (flows.opexUsd[m] as number) * (context.discount[m + 1] as number);
    }
    if (period.end === context.months)
      out.npvCostUsd -= evaluation.residualUsd * (context.discount[context.months] as number);
    return out;
  });
}
