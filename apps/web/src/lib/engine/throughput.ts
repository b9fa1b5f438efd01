/** Speeds for the wizard: output tokens/s per GPU of an accelerator for the plan, cached. */
import { answersRequests, ScenarioError, throughputAt, type ThroughputResult } from "@aifp/kernel";
import { latencyPreset } from "../presets.ts";
import type { PlanInput } from "../plan.ts";
import { book } from "./book.ts";
import { planInteractivity, planTokens } from "./plan-settings.ts";

/** Throughput cache per (model, accelerator, lengths, target): the wizard asks for the same many times. */
const throughputCache = new Map<string, ThroughputResult | string>();

/**
 * Output tokens/s per GPU of an accelerator for the plan's model, token lengths and latency
 * target (`throughputAt` on the public data), or a sentence saying why there is none.
 */
export function throughputFor(plan: PlanInput, accelerator: string): ThroughputResult | string {
  const target = planInteractivity(plan);
  if (typeof target === "string") return "the speed target is not a number";
  const tokens = planTokens(plan);
  const key = [plan.model, accelerator, tokens.input, tokens.output, target, plan.latency].join("|");
  const cached = throughputCache.get(key);
  if (cached !== undefined) return cached;
  let value: ThroughputResult | string;
  try {
    value = throughputAt(
      {
        accelerator,
        model: plan.model,
        inputTokens: tokens.input,
        outputTokens: tokens.output,
        interactivityTokensPerSecondPerUser: target,
        timeToFirstTokenMs:
          plan.latency === "custom" ? null : (latencyPreset(plan.latency)?.timeToFirstTokenMs ?? null),
      },
      book,
    );
  } catch (error) {
    value =
      error instanceof ScenarioError
        ? error.issues.map((issue) => issue.message).join("; ")
        : error instanceof Error
          ? error.message
          : String(error);
  }
  throughputCache.set(key, value);
  return value;
}

/**
 * True when the price book can give a speed for this accelerator and the plan's model at some
 * target: a measurement, or a datasheet to estimate from. False means the person must give one.
 */
export function catalogHasSpeed(plan: PlanInput, accelerator: string): boolean {
  if (book.accelerators.some((item) => item.key === accelerator)) return true;
  return book.throughputPoints.some(
    (point) => point.accelerator === accelerator && point.model === plan.model && answersRequests(point),
  );
}
