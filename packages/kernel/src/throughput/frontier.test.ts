import { describe, expect, test } from "vitest";
import { paretoFrontier, prepareFrontier, readFrontier } from "./frontier.ts";
import { point } from "./synthetic.test-data.ts";

describe("Pareto frontier", () => {
  test("drops dominated points and sorts by interactivity with strictly falling throughput", () => {
    const points = [
      point({ accelerator: "X", interactivityTokensPerSecondPerUser: 50, outputTokensPerSecondPerGpu: 500 }),
      point({ accelerator: "X", interactivityTokensPerSecondPerUser: 10, outputTokensPerSecondPerGpu: 2000 }),
      point({ accelerator: "X", interactivityTokensPerSecondPerUser: 20, outputTokensPerSecondPerGpu: 400 }), // dominated by (50, 500)
      point({ accelerator: "X", interactivityTokensPerSecondPerUser: 30, outputTokensPerSecondPerGpu: 1000 }),
      point({ accelerator: "X", interactivityTokensPerSecondPerUser: 30, outputTokensPerSecondPerGpu: 900 }), // same x, lower y
    ];
    const frontier = paretoFrontier(points);
    expect(frontier.map((f) => [f.interactivityTokensPerSecondPerUser, f.outputTokensPerSecondPerGpu])).toEqual([
      [10, 2000],
      [30, 1000],
      [50, 500],
    ]);
  });

  test("MLPerf Offline sits at 0 tok/s/user, the batch end; Server and Interactive at their floors", () => {
    const frontier = paretoFrontier([
      point({
        accelerator: "X",
        source: "mlperf-v5.1",
        scenario: "interactive",
        interactivityTokensPerSecondPerUser: 25,
        outputTokensPerSecondPerGpu: 2885,
      }),
      point({
        accelerator: "X",
        source: "mlperf-v5.1",
        scenario: "offline",
        interactivityTokensPerSecondPerUser: null,
        outputTokensPerSecondPerGpu: 4415,
      }),
      point({
        accelerator: "X",
        source: "mlperf-v5.1",
        scenario: "server",
        interactivityTokensPerSecondPerUser: 5,
        outputTokensPerSecondPerGpu: 4274,
      }),
    ]);
    expect(frontier.map((f) => f.interactivityTokensPerSecondPerUser)).toEqual([0, 5, 25]);
    expect(frontier.map((f) => f.point.scenario)).toEqual(["offline", "server", "interactive"]);
  });

  test("an offline run slower than a latency-bound one is dominated", () => {
    const frontier = paretoFrontier([
      point({
        accelerator: "X",
        scenario: "offline",
        interactivityTokensPerSecondPerUser: null,
        outputTokensPerSecondPerGpu: 100,
      }),
      point({ accelerator: "X", interactivityTokensPerSecondPerUser: 5, outputTokensPerSecondPerGpu: 120 }),
    ]);
    expect(frontier).toHaveLength(1);
    expect(frontier[0]!.interactivityTokensPerSecondPerUser).toBe(5);
  });

  test("rejects a point with zero or non-finite throughput, naming it", () => {
    expect(() => paretoFrontier([point({ id: "bad-1", accelerator: "X", outputTokensPerSecondPerGpu: 0 })])).toThrow(
      /bad-1/,
    );
    expect(() =>
      paretoFrontier([
        point({
          id: "bad-2",
          accelerator: "X",
          interactivityTokensPerSecondPerUser: Number.NaN,
          outputTokensPerSecondPerGpu: 5,
        }),
      ]),
    ).toThrow(/bad-2/);
  });
});

describe("reading a frontier", () => {
  const frontier = prepareFrontier(
    paretoFrontier([
      point({ accelerator: "X", interactivityTokensPerSecondPerUser: 10, outputTokensPerSecondPerGpu: 2000 }),
      point({ accelerator: "X", interactivityTokensPerSecondPerUser: 30, outputTokensPerSecondPerGpu: 1000 }),
      point({ accelerator: "X", interactivityTokensPerSecondPerUser: 50, outputTokensPerSecondPerGpu: 500 }),
    ]),
  );

  test("at a point: that measurement", () => {
    const reading = readFrontier(frontier, 30);
    expect(reading).toMatchObject({ kind: "at-point", outputTokensPerSecondPerGpu: 1000 });
  });

  test("between points: bracketed by them", () => {
    const reading = readFrontier(frontier, 20);
    if (reading.kind !== "between") throw new Error(`expected between, got ${reading.kind}`);
    expect(reading.outputTokensPerSecondPerGpu).toBeLessThan(2000);
    expect(reading.outputTokensPerSecondPerGpu).toBeGreaterThan(1000);
    expect(reading.bracket.map((b) => b.interactivityTokensPerSecondPerUser)).toEqual([10, 30]);
  });

  test("below the lowest interactivity: clamped to the lowest point", () => {
    expect(readFrontier(frontier, 3)).toMatchObject({ kind: "clamped-below", outputTokensPerSecondPerGpu: 2000 });
  });

  test("above the highest: unreachable, with the best interactivity", () => {
    expect(readFrontier(frontier, 60)).toEqual({ kind: "above-frontier", bestInteractivityTokensPerSecondPerUser: 50 });
  });
});
