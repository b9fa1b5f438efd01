/** The recommended configuration period by period: a pure path's fleet or the optimised hybrid's. */
import type { EvaluateResult, OptimiseResult, OptionResult, Scenario } from "@aifp/kernel";
import type { ConfigurationPeriod } from "./content-types.ts";
import { sum } from "./line-items.ts";

export function pureConfiguration(
  scenario: Scenario,
  result: EvaluateResult,
  option: OptionResult,
  labels: Record<string, string>,
): ConfigurationPeriod[] {
  const input = scenario.options.find((candidate) => candidate.id === option.id);
  const pue = scenario.site?.pue ?? 1;
  const kw = input && input.kind === "build" ? (input.kw ?? 0) : 0;
  return option.yearly.map((year) => {
    const months = option.monthly.slice(year.year * 12, year.year * 12 + year.months);
    const label = labels[option.id] ?? option.id;
    const last = months[months.length - 1];
    if (option.kind === "build") {
      const buildMonths = months as typeof option.monthly;
      const owned = last && "servers" in last ? last.servers : 0;
      return {
        start: year.startMonth,
        months: year.months,
        servers: [{ optionId: option.id, label, owned, bought: sum(buildMonths, (month) => month.serversBought) }],
        leased: [],
        apiShare: 0,
        gpus: Math.max(0, ...buildMonths.map((month) => month.gpus)),
        facilityKw: Math.max(0, ...buildMonths.map((month) => month.servers * kw * pue)),
      };
    }
    if (option.kind === "lease") {
      const leaseMonths = months as typeof option.monthly;
      return {
        start: year.startMonth,
        months: year.months,
        servers: [],
        leased: [
          { optionId: option.id, label, instances: Math.max(0, ...leaseMonths.map((month) => month.instances)) },
        ],
        apiShare: 0,
        gpus: Math.max(0, ...leaseMonths.map((month) => month.gpus)),
        facilityKw: null,
      };
    }
    void result;
    return {
      start: year.startMonth,
      months: year.months,
      servers: [],
      leased: [],
      apiShare: 1,
      gpus: 0,
      facilityKw: null,
    };
  });
}

export function optimisedConfiguration(
  optimisation: OptimiseResult,
  labels: Record<string, string>,
): ConfigurationPeriod[] {
  return optimisation.hybrid.periods.map((period) => ({
    start: period.start,
    months: period.months,
    servers: Object.keys(period.servers)
      .sort()
      .filter((id) => (period.servers[id] ?? 0) > 0 || (period.buy[id] ?? 0) > 0)
      .map((id) => ({
        optionId: id,
        label: labels[id] ?? id,
        owned: period.servers[id] ?? 0,
        bought: period.buy[id] ?? 0,
      })),
    leased: Object.keys(period.lease)
      .sort()
      .filter((id) => (period.lease[id] ?? 0) > 0)
      .map((id) => ({ optionId: id, label: labels[id] ?? id, instances: period.lease[id] ?? 0 })),
    apiShare: period.apiShare,
    gpus: period.gpus,
    facilityKw: period.ownedGpus > 0 ? period.facilityKw : null,
  }));
}

/** Which paths an optimised plan uses: "build", "lease", "token API". */
export function pathsOf(optimisation: OptimiseResult): string[] {
  const periods = optimisation.hybrid.periods;
  const paths: string[] = [];
  if (periods.some((period) => Object.values(period.servers).some((n) => n > 0))) paths.push("build");
  if (periods.some((period) => Object.values(period.lease).some((n) => n > 0))) paths.push("lease");
  if (periods.some((period) => period.apiShare > 0)) paths.push("token API");
  return paths.length > 0 ? paths : ["no capacity"];
}

export function isOptimisation(value: unknown): value is OptimiseResult {
  const candidate = value as Partial<OptimiseResult> | null;
  return (
    !!candidate &&
    typeof candidate === "object" &&
    !!candidate.hybrid &&
    Array.isArray(candidate.hybrid.periods) &&
    typeof candidate.hybrid.npvCostUsd === "number"
  );
}
