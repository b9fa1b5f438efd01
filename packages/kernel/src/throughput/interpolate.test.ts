import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { evaluateSteffen, steffenInterpolant, type Knot } from "./interpolate.ts";

/** Strictly increasing x with arbitrary y, 1–12 knots. */
const knotsArbitrary = fc
  .array(fc.tuple(fc.double({ min: 0.01, max: 50, noNaN: true }), fc.double({ min: -1e4, max: 1e4, noNaN: true })), {
    minLength: 1,
    maxLength: 12,
  })
  .map((steps) => {
    let x = 0;
    return steps.map(([dx, y]) => ({ x: (x += dx), y }));
  });

/** Strictly increasing x with non-increasing y (a throughput frontier's shape). */
const decreasingKnotsArbitrary = fc
  .array(fc.tuple(fc.double({ min: 0.01, max: 50, noNaN: true }), fc.double({ min: 0, max: 5000, noNaN: true })), {
    minLength: 2,
    maxLength: 12,
  })
  .map((steps) => {
    let x = 0;
    let y = 20000;
    return steps.map(([dx, dy]) => ({ x: (x += dx), y: (y -= dy) }));
  });

describe("Steffen interpolation", () => {
  test("passes through every knot", () => {
    fc.assert(
      fc.property(knotsArbitrary, (knots) => {
        const interpolant = steffenInterpolant(knots);
        for (const knot of knots) expect(evaluateSteffen(interpolant, knot.x)).toBeCloseTo(knot.y, 6);
      }),
    );
  });

  test("never overshoots: between two knots the value stays between their values", () => {
    fc.assert(
      fc.property(knotsArbitrary, fc.double({ min: 0, max: 1, noNaN: true }), (knots: Knot[], fraction) => {
        if (knots.length < 2) return;
        const interpolant = steffenInterpolant(knots);
        for (let i = 0; i < knots.length - 1; i++) {
          const a = knots[i]!;
          const b = knots[i + 1]!;
          const value = evaluateSteffen(interpolant, a.x + (b.x - a.x) * fraction);
          expect(value).toBeGreaterThanOrEqual(Math.min(a.y, b.y) - 1e-9);
          expect(value).toBeLessThanOrEqual(Math.max(a.y, b.y) + 1e-9);
        }
      }),
    );
  });

  test("monotone data give a monotone curve (non-increasing throughput over interactivity)", () => {
    fc.assert(
      fc.property(
        decreasingKnotsArbitrary,
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 2, maxLength: 40 }),
        (knots, fractions) => {
          const interpolant = steffenInterpolant(knots);
          const first = knots[0]!.x;
          const last = knots[knots.length - 1]!.x;
          const xs = fractions.map((f) => first + (last - first) * f).sort((a, b) => a - b);
          const ys = xs.map((x) => evaluateSteffen(interpolant, x));
          for (let i = 1; i < ys.length; i++) expect(ys[i]!).toBeLessThanOrEqual(ys[i - 1]! + 1e-9);
        },
      ),
    );
  });

  test("a flat segment stays flat (no wiggle between equal values)", () => {
    const interpolant = steffenInterpolant([
      { x: 0, y: 10 },
      { x: 1, y: 5 },
      { x: 2, y: 5 },
      { x: 3, y: 1 },
    ]);
    for (const x of [1.1, 1.5, 1.9]) expect(evaluateSteffen(interpolant, x)).toBeCloseTo(5, 12);
  });

  test("two knots interpolate linearly; one knot is a constant", () => {
    const line = steffenInterpolant([
      { x: 10, y: 100 },
      { x: 20, y: 50 },
    ]);
    expect(evaluateSteffen(line, 15)).toBeCloseTo(75, 12);
    expect(evaluateSteffen(line, 12.5)).toBeCloseTo(87.5, 12);
    const constant = steffenInterpolant([{ x: 3, y: 7 }]);
    expect(evaluateSteffen(constant, 3)).toBe(7);
  });

  test("a smooth monotone curve is followed closely between knots", () => {
    // y = 1000 / (1 + x): on this coarse grid Steffen tracks it within 8% (worst in the end intervals, where its end slopes are conservative).
    const knots = [0, 1, 2, 4, 8, 16].map((x) => ({ x, y: 1000 / (1 + x) }));
    const interpolant = steffenInterpolant(knots);
    for (const x of [0.5, 1.5, 3, 6, 12]) {
      expect(Math.abs(evaluateSteffen(interpolant, x) - 1000 / (1 + x)) / (1000 / (1 + x))).toBeLessThan(0.08);
    }
  });

  test("outside the knots it returns the end values", () => {
    const interpolant = steffenInterpolant([
      { x: 1, y: 9 },
      { x: 2, y: 4 },
      { x: 3, y: 1 },
    ]);
    expect(evaluateSteffen(interpolant, 0)).toBe(9);
    expect(evaluateSteffen(interpolant, 5)).toBe(1);
  });

  test("rejects empty, non-finite and non-increasing knots", () => {
    expect(() => steffenInterpolant([])).toThrow(/at least one knot/);
    expect(() => steffenInterpolant([{ x: 0, y: Number.NaN }])).toThrow(/not finite/);
    expect(() =>
      steffenInterpolant([
        { x: 1, y: 1 },
        { x: 1, y: 2 },
      ]),
    ).toThrow(/increase strictly/);
  });
});
