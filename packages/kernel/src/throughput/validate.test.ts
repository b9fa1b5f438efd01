import { describe, expect, test } from "vitest";
import { spec, physicsFrontier } from "./synthetic.test-data.ts";
import type { ThroughputData } from "./throughput-at.ts";
import { observations } from "./observations.ts";
import { validatePerformanceModel } from "./validate.ts";

const H = spec("H200-SXM-141GB", "Hopper", 4.8);
const B = spec("B200-SXM-180GB", "Blackwell", 8, { fp4DenseTflops: 9000, fp8DenseTflops: 4500 });
const M = spec("MI300X-192GB", "CDNA 3", 5.3);

describe("validatePerformanceModel: the fit's own error (nothing held out)", () => {
  const frontiers = [
    ...physicsFrontier(H, [5, 10, 20, 40, 80]),
    ...physicsFrontier(B, [5, 10, 20, 40, 80]),
    ...physicsFrontier(M, [5, 10, 20, 40, 80]),
  ];
  const data = (points = frontiers): ThroughputData => ({
    throughputPoints: points,
    accelerators: [H, B, M],
    models: [{ key: "m-70b", name: "M 70B", parametersB: 70, activeParametersB: 70, source: "synthetic" }],
  });

  test("data that follow the model are fitted, nothing held out, within a few per cent, one case per fitted point", () => {
    const report = validatePerformanceModel(data());
    // One case per frontier point the fit uses (a point another at a higher speed dominates is not one).
    expect(report.inSample).toHaveLength(observations(data()).length);
    expect(report.inSample.length).toBeGreaterThanOrEqual(12);
    expect(report.inSample.every((c) => c.kind === "full")).toBe(true);
    for (const c of report.inSample) expect(Math.abs(c.relativeError!)).toBeLessThan(0.05);
  });

  test("a point twice what its own series says stays off even with its own factors fitted", () => {
    const doubled = frontiers.map((p, i) =>
      i === 7 ? { ...p, outputTokensPerSecondPerGpu: 2 * p.outputTokensPerSecondPerGpu } : p,
    );
    const report = validatePerformanceModel(data(doubled));
    const odd = report.inSample.find((c) => c.pointId === doubled[7]!.id)!;
    // Its series' factor moves toward it, but one level cannot fit both it and its neighbours.
    expect(odd.relativeError!).toBeLessThan(-0.2);
  });
});
