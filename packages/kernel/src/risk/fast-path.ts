/**
 * The risk analysis's fast path (issue #16, ADR 020): the scenario is validated once; each point
 * (a Monte Carlo sample or a tornado end) writes only the drivers it varies into a working copy
 * of the validated scenario and reruns the allocation-free core (core.ts) in a workspace of its
 * own: no scenario copies, no validation of unchanged fields, no result objects.
 *
 * The changed fields are checked against the same rules `validateScenario` applies. A point
 * whose drivers break a rule, or whose figures are not finite, is not decided here: the caller
 * falls back to the reference path (`applyDriver` + `evaluate`), which accepts or rejects it
 * with exactly the error it always gave. So results and errors are those of the slow path.
 */
import type { OptionSlot } from "../core.ts";
import { runCore, slotIsFinite, Workspace } from "../core.ts";
import { OPTION_RULES, SCENARIO_RULES, satisfiesRule } from "../rules.ts";
import { ScenarioError } from "../errors.ts";
import type { Scenario } from "../scenario.ts";
import { validateScenario, type ValidatedOption, type ValidatedScenario } from "../validate.ts";
import type { DriverId } from "./drivers.ts";

/** A validated scenario and the working copy the drivers write into, with its workspace. */
export class DriverEvaluator {
  readonly base: ValidatedScenario;
  readonly work: ValidatedScenario;
  readonly workspace = new Workspace();

  constructor(base: ValidatedScenario) {
    this.base = base;
    this.work = {
      ...base,
      workload: { ...base.workload },
      site: { ...base.site },
      options: base.options.map((o) => ({ ...o })),
    };
  }

  /** Puts every field a driver can change back to the base scenario's value. */
  reset(): void {
    const { base, work } = this;
    work.workload.requestsPerDay = base.workload.requestsPerDay;
    work.workload.growthPerYear = base.workload.growthPerYear;
    work.site.electricityUsdPerKwh = base.site.electricityUsdPerKwh;
    work.site.pue = base.site.pue;
    work.discountRatePerYear = base.discountRatePerYear;
    for (let i = 0; i < work.options.length; i++) Object.assign(work.options[i] as ValidatedOption, base.options[i]);
  }

  /**
   * Sets driver `id` to `value` (a factor for scale drivers) exactly as `applyDriver` does on a
   * scenario, from the base scenario's values. False when a changed field breaks its rule.
   */
  apply(id: DriverId, value: number): boolean {
    const { base, work } = this;
    switch (id) {
      case "volume": {
        const requestsPerDay = base.workload.requestsPerDay * value;
        work.workload.requestsPerDay = requestsPerDay;
        return satisfiesRule(requestsPerDay, SCENARIO_RULES.requestsPerDay);
      }
      case "growth":
        work.workload.growthPerYear = value;
        return satisfiesRule(value, SCENARIO_RULES.growthPerYear);
      case "electricity": {
        const price = base.site.electricityUsdPerKwh;
        if (price === null) return true;
        work.site.electricityUsdPerKwh = price * value;
        return satisfiesRule(price * value, SCENARIO_RULES.electricityUsdPerKwh);
      }
      case "pue":
        work.site.pue = value;
        return satisfiesRule(value, SCENARIO_RULES.pue);
      case "costOfCapital":
        work.discountRatePerYear = value;
        return satisfiesRule(value, SCENARIO_RULES.discountRatePerYear);
      default:
        return this.applyToOptions(id, value);
    }
  }

  private applyToOptions(id: DriverId, value: number): boolean {
    const { base, work } = this;
    let ok = true;
    for (let i = 0; i < work.options.length; i++) {
      const option = work.options[i] as ValidatedOption;
      const original = base.options[i] as ValidatedOption;
      if (option.kind === "build" && original.kind === "build") {
        if (id === "hardwarePrice") {
          option.priceUsd = original.priceUsd * value;
          ok &&= satisfiesRule(option.priceUsd, OPTION_RULES.priceUsd);
        } else if (id === "throughput") {
          option.outputTokensPerSecondPerGpu = original.outputTokensPerSecondPerGpu * value;
          ok &&= throughputOk(option.outputTokensPerSecondPerGpu);
        } else if (id === "life") {
          option.lifeYears = Math.max(1, Math.round(value * 12)) / 12;
          option.lifeMonths = Math.round(option.lifeYears * 12);
          ok &&= satisfiesRule(option.lifeYears, OPTION_RULES.lifeYears);
        } else if (id === "resale") {
          option.resaleDeclinePerYear = value;
          ok &&= satisfiesRule(value, OPTION_RULES.resaleDeclinePerYear);
        } else if (id === "support") {
          option.maintenancePerYear = value;
          ok &&= satisfiesRule(value, OPTION_RULES.maintenancePerYear);
        } else if (id === "warranty") {
          const warrantyYears = Math.max(0, Math.round(value * 12)) / 12;
          option.warrantyMonths = Math.round(warrantyYears * 12);
          ok &&= satisfiesRule(warrantyYears, OPTION_RULES.warrantyYears);
        }
      } else if (option.kind === "lease" && original.kind === "lease") {
        if (id === "throughput") {
          option.outputTokensPerSecondPerGpu = original.outputTokensPerSecondPerGpu * value;
          ok &&= throughputOk(option.outputTokensPerSecondPerGpu);
        } else if (id === "leasePriceTrend") {
          option.priceChangePerYear = value;
          ok &&= satisfiesRule(value, OPTION_RULES.priceChangePerYear);
        }
      } else if (option.kind === "api" && id === "apiPriceTrend") {
        option.priceChangePerYear = value;
        ok &&= satisfiesRule(value, OPTION_RULES.priceChangePerYear);
      }
    }
    return ok;
  }

  /** Runs the core on the working copy; false when a figure `evaluate` checks is not finite. */
  run(): boolean {
    runCore(this.work, this.workspace);
    const options = this.work.options;
    for (let i = 0; i < options.length; i++)
      if (!slotIsFinite(this.workspace.slots[i] as OptionSlot, (options[i] as ValidatedOption).kind)) return false;
    return true;
  }

  /** The slot of option `index` after `run`. */
  slot(index: number): OptionSlot {
    return this.workspace.slots[index] as OptionSlot;
  }
}

/** A throughput `validateScenario` accepts: within its rule, and not 0 (which it rejects as infeasible). */
function throughputOk(tokensPerSecond: number): boolean {
  return satisfiesRule(tokensPerSecond, OPTION_RULES.outputTokensPerSecondPerGpu) && tokensPerSecond !== 0;
}

/** The scenario validated once for the fast path; null when `evaluate` would reject it (the caller's base run then throws). */
export function fastPathFor(scenario: Scenario): DriverEvaluator | null {
  try {
    return new DriverEvaluator(validateScenario(scenario));
  } catch (error) {
    if (error instanceof ScenarioError) return null;
    throw error;
  }
}
