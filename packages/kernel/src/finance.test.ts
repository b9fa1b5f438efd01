/**
 * The IRR search of finance.ts (two bisection steps per pass) against the one-step-at-a-time
 * search it replaced (reference/finance.ts): the same number on every series, not merely close.
 */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { irrPerYear } from "./finance.ts";
import { irrPerYear as referenceIrrPerYear } from "./reference/finance.ts";

const NUM_RUNS = Number(process.env["PROPERTY_RUNS"] ?? 300);

const flow = fc.double({ min: -1e9, max: 1e9, noNaN: true, noDefaultInfinity: true });

/** A first outlay and later returns (one sign change, an IRR anywhere in the bracket or beyond it). */
const investment = fc
  .tuple(
    fc.double({ min: 1, max: 1e9, noNaN: true }),
    fc.array(fc.double({ min: 0, max: 1e9, noNaN: true }), { minLength: 1, maxLength: 600 }),
  )
  .map(([outlay, returns]) => new Float64Array([-outlay, ...returns]));

describe("irrPerYear", () => {
  test("equals the one-step bisection on generated series (sign changes anywhere, roots on both sides of 0)", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          investment,
          fc.array(flow, { minLength: 1, maxLength: 600 }).map((xs) => new Float64Array(xs)),
        ),
        (flows) => {
          expect(Object.is(irrPerYear(flows), referenceIrrPerYear(flows))).toBe(true);
        },
      ),
      { numRuns: NUM_RUNS, seed: 16 },
    );
  });

  test("equals it at the edges: roots near −99 %/month, beyond the bracket, at 0, around 2^52", () => {
    const cases = [
      [-100, 100],
      [-100, 50, 50],
      [-1, 0.0100001],
      [-1, 10.9],
      [-1, 1e-300, 1],
      [-(2 ** 52), 2 ** 52],
      [1, -2, 1],
    ];
    for (const series of cases) {
      const flows = new Float64Array(series);
      expect(Object.is(irrPerYear(flows), referenceIrrPerYear(flows))).toBe(true);
    }
  });

  test("a root exactly at a midpoint, met on the first or on the speculative second step of a pass", () => {
    // Midpoints of the bisection tree (depth 2 to 5) where −1 now and 1 + rate a month later
    // sums to exactly 0: the root is found on a first or on a speculative second step.
    for (const rate of [7.2524999999999995, 0.3837499999999999, -0.30312500000000003, 1.070625, 0.040312499999999946]) {
      const flows = new Float64Array([-1, 1 + rate]);
      expect(irrPerYear(flows)).toBe((1 + rate) ** 12 - 1);
      expect(Object.is(irrPerYear(flows), referenceIrrPerYear(flows))).toBe(true);
    }
  });
});
