// Property tests: along any measured frontier (strictly falling throughput, as a Pareto frontier is), throughputAt is monotone in the target, passes
// through the measured points and stays between the bracketing measurements.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { ScenarioError } from "../errors.ts";
import { throughputAt, type ThroughputData } from "./throughput-at.ts";
import { MODELS, NEUTRAL_CALIBRATION, point, spec } from "./synthetic.test-data.ts";

const frontierArbitrary = fc
  .array(fc.tuple(fc.double({ min: 0.5, max: 40, noNaN: true }), fc.double({ min: 0.01, max: 0.6, noNaN: true })), {
    minLength: 1,
    maxLength: 8,
  })
  .map((steps) => {
    let u = 0;
    let throughput = 20000;
    return steps.map(([du, drop]) => ({ u: (u += du), throughput: (throughput *= 1 - drop) }));
  });

function dataFor(frontier: { u: number; throughput: number }[]): ThroughputData {
  return {
    throughputPoints: frontier.map((f, i) =>
      point({
        id: `f${i}`,
        accelerator: "X-1GB",
        interactivityTokensPerSecondPerUser: f.u,
        outputTokensPerSecondPerGpu: f.throughput,
      }),
    ),
    accelerators: [spec("X-1GB", "Synthetic", 5)],
    models: MODELS,
    throughputCalibration: NEUTRAL_CALIBRATION,
  };
}

const read = (data: ThroughputData, u: number) =>
  throughputAt(
    {
      accelerator: "X-1GB",
      model: "m-70b",
      inputTokens: 1024,
      outputTokens: 1024,
      interactivityTokensPerSecondPerUser: u,
    },
    data,
  );

describe("throughputAt along a measured frontier", () => {
  test("non-increasing in the interactivity target, clamped below, extrapolated above, unreachable past the limit", () => {
    fc.assert(
      fc.property(
        frontierArbitrary,
        fc.array(fc.double({ min: 0.01, max: 400, noNaN: true }), { minLength: 2, maxLength: 30 }),
        (frontier, targets) => {
          const data = dataFor(frontier);
          const best = frontier[frontier.length - 1]!.u;
          let previous = Infinity;
          for (const u of [...targets].sort((a, b) => a - b)) {
            let result;
            try {
              result = read(data, u);
            } catch (error) {
              // Only past the physical limit, which lies beyond the measured frontier.
              expect(error).toBeInstanceOf(ScenarioError);
              expect(u).toBeGreaterThan(best);
              expect((error as ScenarioError).message).toMatch(/physical limit/);
              continue;
            }
            if (u > best * (1 + 1e-9)) expect(result.basis).toBe("extrapolated");
            expect(result.outputTokensPerSecondPerGpu).toBeLessThanOrEqual(previous * (1 + 1e-12));
            expect(result.clamped).toBe(u < frontier[0]!.u * (1 - 1e-9));
            previous = result.outputTokensPerSecondPerGpu;
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  test("passes through every measured point and never leaves the bracket", () => {
    fc.assert(
      fc.property(frontierArbitrary, fc.double({ min: 0, max: 1, noNaN: true }), (frontier, fraction) => {
        const data = dataFor(frontier);
        for (const f of frontier) {
          const result = read(data, f.u);
          expect(result.basis).toBe("measured");
          expect(result.outputTokensPerSecondPerGpu).toBe(f.throughput);
        }
        for (let i = 0; i < frontier.length - 1; i++) {
          const a = frontier[i]!;
          const b = frontier[i + 1]!;
          const value = read(data, a.u + (b.u - a.u) * fraction).outputTokensPerSecondPerGpu;
          expect(value).toBeLessThanOrEqual(a.throughput + 1e-9);
          expect(value).toBeGreaterThanOrEqual(b.throughput - 1e-9);
        }
      }),
      { numRuns: 200 },
    );
  });
});
