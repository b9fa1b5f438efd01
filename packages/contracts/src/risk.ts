/**
 * Wire schemas of the risk request (docs/optimiser.md "Risk"): `{ scenario, risk? }` with the
 * Monte Carlo's sample count and seed and optional driver ranges, strict everywhere.
 */
import { DEFAULT_DRIVERS, describeReceived, type DriverId, type DriverOverride } from "@aifp/kernel";
import * as v from "valibot";
import { numberField } from "./fields.ts";
import { PlanningScenarioSchema } from "./optimise.ts";

/**
 * Most Monte Carlo samples one API request may ask for. 10,000 samples of three options take
 * about 1.2–1.9 s of CPU in Node on a shared 2-core machine (docs/optimiser.md), so one request
 * stays within a few seconds of CPU; the CLI and the browser's Web Worker take up to
 * {@link MAX_LOCAL_RISK_SAMPLES}.
 */
export const MAX_API_RISK_SAMPLES = 10_000;

/** Most samples where the caller pays for the CPU (the CLI, the browser): the kernel's own limit. */
export const MAX_LOCAL_RISK_SAMPLES = 1_000_000;

/** Samples when the request does not say (the CLI's default too). */
export const DEFAULT_RISK_SAMPLES = 1000;

/** Seed when the request does not say. */
export const DEFAULT_RISK_SEED = 1;

const DRIVER_IDS = DEFAULT_DRIVERS.map((driver) => driver.id) as [DriverId, ...DriverId[]];

const strictSettings = <const TEntries extends v.ObjectEntries>(entries: TEntries, what: string, kind: string) =>
  v.strictObject(entries, (issue) =>
    issue.kind === "schema" && issue.expected === "never"
      ? `unknown field: not ${kind} (check its spelling)`
      : `expected ${what}, got ${describeReceived(issue.input)}`,
  );

const finite = numberField({});

/** One driver range override: `{ id, low?, high?, source? }` (scale drivers as factors). */
export const DriverOverrideSchema = v.pipe(
  strictSettings(
    {
      id: v.picklist(
        DRIVER_IDS,
        (issue) => `expected one of ${DRIVER_IDS.join(", ")}, got ${describeReceived(issue.input)}`,
      ),
      low: v.optional(finite),
      high: v.optional(finite),
      source: v.optional(v.pipe(v.string("expected a text"), v.maxLength(500, "expected at most 500 characters"))),
    },
    "a driver override { id, low, high }",
    "a driver field (id, low, high, source)",
  ),
  v.check(
    (driver) => driver.low === undefined || driver.high === undefined || driver.low <= driver.high,
    (issue) => {
      const driver = issue.input as { low: number; high: number };
      return `expected low <= high, got low ${driver.low} and high ${driver.high}`;
    },
  ),
);

/** Risk settings with a cap on the samples (the API's is {@link MAX_API_RISK_SAMPLES}). */
export function riskSettingsSchema(maxSamples: number) {
  return strictSettings(
    {
      samples: v.optional(numberField({ min: 1, max: maxSamples, integer: true })),
      seed: v.optional(numberField({ min: -(2 ** 52), max: 2 ** 52, integer: true })),
      drivers: v.optional(
        v.pipe(
          v.array(
            DriverOverrideSchema,
            (issue) => `expected a list of { id, low, high }, got ${describeReceived(issue.input)}`,
          ),
          v.maxLength(DRIVER_IDS.length * 2, `expected at most ${DRIVER_IDS.length * 2} overrides`),
        ),
      ),
    },
    "an object { samples, seed, drivers }",
    "a risk setting (samples, seed, drivers)",
  );
}

/** `{ scenario, risk? }` with a cap on the samples. */
export function riskRequestSchema(maxSamples: number) {
  return strictSettings(
    { scenario: PlanningScenarioSchema, risk: v.optional(riskSettingsSchema(maxSamples)) },
    'an object { "scenario": { … }, "risk": { … } }',
    'part of a risk request (expected "scenario" and "risk")',
  );
}

/** Risk settings as the API accepts them (samples ≤ {@link MAX_API_RISK_SAMPLES}). */
export const RiskSettingsSchema = riskSettingsSchema(MAX_API_RISK_SAMPLES);

/** A risk request as the API accepts it (samples ≤ {@link MAX_API_RISK_SAMPLES}). */
export const RiskRequestSchema = riskRequestSchema(MAX_API_RISK_SAMPLES);

/** A risk request as accepted on the wire. */
export type RiskRequestInput = v.InferOutput<typeof RiskRequestSchema>;
export type RiskSettingsInput = v.InferOutput<typeof RiskSettingsSchema>;

// Overrides on the wire are the kernel's overrides.
const overrideToKernel = (override: v.InferOutput<typeof DriverOverrideSchema>): DriverOverride => override;
void overrideToKernel;
