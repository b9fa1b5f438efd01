// throughputAt and the calibrated roofline on the real price book (@aifp/catalog).
import { readFileSync } from "node:fs";
import { PRICE_BOOK_VERSION, priceBook } from "@aifp/catalog";
import { describe, expect, test } from "vitest";
import { BEGIN_MARKER, DOC_PATH, END_MARKER, calibrationSection } from "../../scripts/throughput-calibration.ts";
import { ScenarioError } from "../errors.ts";
import { leaveOneOutEvaluation } from "./evaluation.ts";
import { throughputAt, type ThroughputData } from "./throughput-at.ts";

const data: ThroughputData = {
  throughputPoints: priceBook.throughputPoints,
  accelerators: priceBook.accelerators,
  models: priceBook.models,
};
const llama = { model: "llama2-70b", inputTokens: 1024, outputTokens: 1024 };

describe("measured frontiers from the price book", () => {
  test("H200 Llama 2 70B: the MLPerf Interactive best (2,885 tok/s/GPU, NOTES.md) at 25 tok/s/user", () => {
    const result = throughputAt({ ...llama, accelerator: "H200", interactivityTokensPerSecondPerUser: 25 }, data);
    expect(result.accelerator).toBe("H200-SXM-141GB");
    expect(result.basis).toBe("measured");
    expect(result.outputTokensPerSecondPerGpu).toBeCloseTo(2885, -1);
    expect(result.sources[0]!.source).toMatch(/^mlperf-/);
    expect(result.sources[0]!.url).toMatch(/^https:\/\/github.com\/mlcommons\//);
  });

  test("H200 Llama 2 70B without a target: the Offline best (4,415 tok/s/GPU, NOTES.md)", () => {
    const result = throughputAt({ ...llama, accelerator: "H200" }, data);
    expect(result.outputTokensPerSecondPerGpu).toBeCloseTo(4415, -1);
    expect(result.sources[0]!.scenario).toBe("offline");
  });

  test("H200 Llama 2 70B at 30 tok/s/user is unreachable (MLPerf's tightest limit is 25)", () => {
    expect(() =>
      throughputAt({ ...llama, accelerator: "H200", interactivityTokensPerSecondPerUser: 30 }, data),
    ).toThrow(ScenarioError);
    try {
      throughputAt({ ...llama, accelerator: "H200", interactivityTokensPerSecondPerUser: 30 }, data);
    } catch (error) {
      expect((error as ScenarioError).kind).toBe("infeasible");
      expect((error as ScenarioError).message).toMatch(/unreachable on H200-SXM-141GB/);
    }
  });

  test("B200 DeepSeek-R1-0528 at 1k/1k, 40 tok/s/user: interpolated on the InferenceX frontier with an input rate", () => {
    const result = throughputAt(
      {
        accelerator: "B200",
        model: "deepseek-r1-0528",
        inputTokens: 1024,
        outputTokens: 1024,
        interactivityTokensPerSecondPerUser: 40,
      },
      data,
    );
    expect(["measured", "interpolated"]).toContain(result.basis);
    expect(result.lengths.match).toBe("exact");
    expect(result.sources.every((s) => s.source === "inferencex" && s.inputTokens === 1024)).toBe(true);
    const [low, high] = [
      Math.min(...result.sources.map((s) => s.outputTokensPerSecondPerGpu)),
      Math.max(...result.sources.map((s) => s.outputTokensPerSecondPerGpu)),
    ];
    expect(result.outputTokensPerSecondPerGpu).toBeGreaterThanOrEqual(low);
    expect(result.outputTokensPerSecondPerGpu).toBeLessThanOrEqual(high);
    // The highest input rate measured on any B200 × DeepSeek-R1-0528 point (input+output minus output).
    const demonstrated = Math.max(
      ...data.throughputPoints
        .filter(
          (p) =>
            p.accelerator === "B200-SXM-180GB" &&
            p.model === "deepseek-r1-0528" &&
            p.totalTokensPerSecondPerGpu !== null,
        )
        .map((p) => p.totalTokensPerSecondPerGpu! - p.outputTokensPerSecondPerGpu),
    );
    expect(result.inputBasis).toBe("measured-lower-bound");
    expect(result.inputTokensPerSecondPerGpu).toBe(demonstrated);
  });

  test("throughput never rises with the interactivity target (every measured pair, 30 targets)", () => {
    const pairs = [...new Set(data.throughputPoints.map((p) => `${p.accelerator}|${p.model}`))];
    for (const pair of pairs) {
      const [accelerator, model] = pair.split("|") as [string, string];
      let previous = Infinity;
      for (let u = 1; u <= 300; u *= 1.2) {
        let value: number;
        try {
          value = throughputAt(
            { accelerator, model, inputTokens: 1024, outputTokens: 1024, interactivityTokensPerSecondPerUser: u },
            data,
          ).outputTokensPerSecondPerGpu;
        } catch (error) {
          expect((error as ScenarioError).kind).toBe("infeasible");
          break; // unreachable from here on
        }
        expect(value).toBeLessThanOrEqual(previous * (1 + 1e-12));
        previous = value;
      }
    }
  });
});

describe("roofline estimate on the price book", () => {
  test("an accelerator never measured on a model is estimated and labelled (A100 × Llama 2 70B)", () => {
    const result = throughputAt(
      { ...llama, accelerator: "A100-SXM-80GB", interactivityTokensPerSecondPerUser: 5 },
      data,
    );
    expect(result.basis).toBe("estimated");
    expect(result.notes.join(" ")).toMatch(/estimated: calibrated roofline/);
    // A100: 2.0 TB/s vs H100's 3.35; it must land below the H100's measured server figure (3,888).
    expect(result.outputTokensPerSecondPerGpu).toBeGreaterThan(300);
    expect(result.outputTokensPerSecondPerGpu).toBeLessThan(3888);
  });

  test("--estimate on H200 × Llama 2 70B at 20 tok/s/user stays within 35% of the measurement", () => {
    const result = throughputAt(
      { ...llama, accelerator: "H200", interactivityTokensPerSecondPerUser: 20, leaveOneOut: true },
      data,
    );
    expect(result.basis).toBe("estimated");
    expect(result.sources.every((s) => s.accelerator !== "H200-SXM-141GB" || s.model !== "llama2-70b")).toBe(true);
    expect(Math.abs(result.leaveOneOut!.relativeError!)).toBeLessThan(0.35);
  });

  // Regression guard on the leave-one-out error (the actual figures are in docs/throughput.md).
  test("leave-one-out error over all measured pairs stays within loose bounds", () => {
    const report = leaveOneOutEvaluation(data);
    expect(report.pairCount).toBeGreaterThanOrEqual(40);
    expect(report.overall.count).toBeGreaterThanOrEqual(300);
    expect(report.overall.medianAbsoluteRelativeError!).toBeLessThan(0.5);
    expect(report.byScenario["mlperf-offline"]!.medianAbsoluteRelativeError!).toBeLessThan(0.2);
    expect(report.byScenario["mlperf-server"]!.medianAbsoluteRelativeError!).toBeLessThan(0.3);
    expect(report.byScenario["inferencex"]!.medianAbsoluteRelativeError!).toBeLessThan(0.65);
    expect(Math.abs(report.overall.medianRelativeError!)).toBeLessThan(0.15);
  }, 60_000);

  test("docs/throughput.md carries the figures of a fresh run of the calibration script", () => {
    const doc = readFileSync(DOC_PATH, "utf8");
    const generated = doc.slice(doc.indexOf(BEGIN_MARKER) + BEGIN_MARKER.length, doc.indexOf(END_MARKER)).trim();
    expect(generated).toBe(calibrationSection(data, PRICE_BOOK_VERSION).trim());
  }, 60_000);
});
