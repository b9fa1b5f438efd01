// A fleet plan checked against its planning context before it is played (moved verbatim from fleet.ts).
import { ScenarioError, type ScenarioIssue } from "../errors.ts";
import type { PlanningContext } from "./context.ts";
import type { FleetPlan } from "./fleet-types.ts";

function invalidPlan(issues: ScenarioIssue[]): never {
  throw new ScenarioError("invalid", issues);
}

function checkCount(value: unknown, path: string, issues: ScenarioIssue[], allowInfinity: boolean): number {
  if (
    typeof value !== "number" ||
    Number.isNaN(value) ||
    value < 0 ||
    (!allowInfinity && !Number.isFinite(value)) ||
    (Number.isFinite(value) && !Number.isInteger(value))
  ) {
    issues.push({
      path,
      message: `expected a whole number >= 0${allowInfinity ? " (or Infinity for no limit)" : ""}, got ${String(value)}`,
    });
    return 0;
  }
  return value;
}

/** Plan periods checked against the context: contiguous, ids known, counts whole, shares 0–1. */
export function checkPlan(context: PlanningContext, plan: FleetPlan): void {
  const issues: ScenarioIssue[] = [];
  const byId = new Map(context.resolved.options.map((o) => [o.id, o.kind]));
  let expectedStart = 0;
  plan.periods.forEach((period, p) => {
    const at = `plan.periods.${p}`;
    if (period.startMonth !== expectedStart)
      issues.push({
        path: `${at}.startMonth`,
        message: `expected ${expectedStart} (periods must be contiguous from month 0), got ${period.startMonth}`,
      });
    if (!Number.isInteger(period.months) || period.months < 1)
      issues.push({ path: `${at}.months`, message: `expected a whole number >= 1, got ${period.months}` });
    expectedStart = period.startMonth + period.months;
    const checkIds = (
      record: Record<string, number> | undefined,
      key: string,
      kind: string,
      allowInfinity: boolean,
    ): void => {
      for (const [id, value] of Object.entries(record ?? {})) {
        if (byId.get(id) !== kind)
          issues.push({ path: `${at}.${key}.${id}`, message: `no ${kind} option has the id ${JSON.stringify(id)}` });
        if (kind === "api") {
          if (typeof value !== "number" || !(value >= 0 && value <= 1))
            issues.push({
              path: `${at}.${key}.${id}`,
              message: `expected a share between 0 and 1, got ${String(value)}`,
            });
        } else checkCount(value, `${at}.${key}.${id}`, issues, allowInfinity);
      }
    };
    checkIds(period.buyServers, "buyServers", "build", true);
    checkIds(period.maxServers, "maxServers", "build", true);
    checkIds(period.leaseInstances, "leaseInstances", "lease", true);
    checkIds(period.apiShare, "apiShare", "api", false);
    const apiTotal = Object.values(period.apiShare ?? {}).reduce((a, b) => a + b, 0);
    if (apiTotal > 1 + 1e-12)
      issues.push({ path: `${at}.apiShare`, message: `expected API shares adding up to at most 1, got ${apiTotal}` });
    (period.retire ?? []).forEach((r, i) => {
      if (byId.get(r.optionId) !== "build")
        issues.push({
          path: `${at}.retire.${i}.optionId`,
          message: `no build option has the id ${JSON.stringify(r.optionId)}`,
        });
      if (!Number.isInteger(r.boughtInPeriod) || r.boughtInPeriod < 0 || r.boughtInPeriod >= p)
        issues.push({
          path: `${at}.retire.${i}.boughtInPeriod`,
          message: `expected an earlier period index (0 .. ${p - 1}), got ${r.boughtInPeriod}`,
        });
      checkCount(r.servers, `${at}.retire.${i}.servers`, issues, false);
    });
  });
  if (expectedStart !== context.months)
    issues.push({
      path: "plan.periods",
      message: `expected periods covering months 0 .. ${context.months - 1}, they end at month ${expectedStart}`,
    });
  if (issues.length > 0) invalidPlan(issues);
}
