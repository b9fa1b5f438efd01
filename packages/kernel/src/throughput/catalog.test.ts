// throughputAt and the calibrated performance model on the real price book (@aifp/catalog).
import { readFileSync } from "node:fs";
import { priceBook } from "@aifp/catalog";
import { describe, expect, test } from "vitest";
import { DOC_PATH, inputsFingerprint, recordedFingerprint } from "../../scripts/throughput-validate.ts";
import { ScenarioError } from "../errors.ts";
import { throughputAt, type ThroughputData, type ThroughputQuery } from "./throughput-at.ts";
import { observations } from "./observations.ts";
import { promptDataset } from "./calibration-keys.ts";

// The book as the catalog exports it: points, datasheets, models, architectures and the
// calibration fitted by `npm run catalog:build`.
const data: ThroughputData = priceBook;
const llama = { model: "llama2-70b", inputTokens: 1024, outputTokens: 1024 };

function infeasible(query: ThroughputQuery): ScenarioError {
  try {
    throughputAt(query, data);
  } catch (error) {
    expect(error).toBeInstanceOf(ScenarioError);
    return error as ScenarioError;
  }
  throw new Error("expected an infeasible answer");
}

describe("measured frontiers from the price book", () => {
  test("the book carries a calibration fitted on exactly its points", () => {
    expect(priceBook.throughputCalibration).toBeTruthy();
    expect(priceBook.throughputCalibration!.observationCount).toBeGreaterThan(300);
  });

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

  test("H200 Llama 2 70B at 30 tok/s/user: extrapolated from the 25 tok/s/user point, below it", () => {
    const result = throughputAt({ ...llama, accelerator: "H200", interactivityTokensPerSecondPerUser: 30 }, data);
    expect(result.basis).toBe("extrapolated");
    expect(result.extrapolatedFrom?.interactivity).toBe(25);
    expect(result.sources).toEqual([result.extrapolatedFrom]);
    expect(result.outputTokensPerSecondPerGpu).toBeLessThan(2885);
    expect(result.outputTokensPerSecondPerGpu).toBeGreaterThan(500);
    expect(result.physicalLimitTokensPerSecondPerUser!).toBeGreaterThan(100);
    expect(result.notes.join(" ")).toMatch(/beyond the last measured point/);
  });

  test("only a target above the physical limit is unreachable, and the message gives the limit", () => {
    const limit = throughputAt(
      { ...llama, accelerator: "H200", interactivityTokensPerSecondPerUser: 30 },
      data,
    ).physicalLimitTokensPerSecondPerUser!;
    const error = infeasible({ ...llama, accelerator: "H200", interactivityTokensPerSecondPerUser: limit * 1.01 });
    expect(error.kind).toBe("infeasible");
    expect(error.message).toMatch(/unreachable on H200-SXM-141GB/);
    expect(error.message).toMatch(/physical limit is \d+/);
    expect(
      throughputAt({ ...llama, accelerator: "H200", interactivityTokensPerSecondPerUser: limit * 0.99 }, data).basis,
    ).toBe("extrapolated");
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
    expect(result.sources.every((s) => s.inputTokens === 1024)).toBe(true);
    const [low, high] = [
      Math.min(...result.sources.map((s) => s.outputTokensPerSecondPerGpu)),
      Math.max(...result.sources.map((s) => s.outputTokensPerSecondPerGpu)),
    ];
    expect(result.outputTokensPerSecondPerGpu).toBeGreaterThanOrEqual(low);
    expect(result.outputTokensPerSecondPerGpu).toBeLessThanOrEqual(high);
    expect(result.inputBasis).toBe("measured-lower-bound");
    expect(result.gpuTimeShare!.input + result.gpuTimeShare!.output).toBeCloseTo(1, 12);
  });

  test("Llama 3.3 70B on B200 is measured (TensorRT-LLM), and @76 tok/s/user an order of magnitude above the old 256", () => {
    const batch = throughputAt(
      { accelerator: "B200", model: "llama3.3-70b", inputTokens: 1024, outputTokens: 1024 },
      data,
    );
    expect(batch.basis).toBe("measured");
    expect(batch.outputTokensPerSecondPerGpu).toBeCloseTo(6842, -1);
    const chat = throughputAt(
      {
        accelerator: "B200",
        model: "llama3.3-70b",
        inputTokens: 1024,
        outputTokens: 1024,
        interactivityTokensPerSecondPerUser: 76,
      },
      data,
    );
    expect(chat.basis).toBe("extrapolated");
    expect(chat.outputTokensPerSecondPerGpu).toBeGreaterThan(1000);
    expect(chat.outputTokensPerSecondPerGpu).toBeLessThan(batch.outputTokensPerSecondPerGpu);
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
        expect(value, `${pair} at ${u}`).toBeLessThanOrEqual(previous * (1 + 1e-9));
        previous = value;
      }
    }
  });

  test("no pair in the catalog answers unreachable below its physical limit", () => {
    // Pairs with points that answer requests (prompt-dataset runs only calibrate the model).
    const answering = data.throughputPoints.filter((p) => promptDataset(p) === null);
    const pairs = [...new Set(answering.map((p) => `${p.accelerator}|${p.model}`))];
    for (const pair of pairs) {
      const [accelerator, model] = pair.split("|") as [string, string];
      const base = { accelerator, model, inputTokens: 1024, outputTokens: 1024 };
      const limit = throughputAt(base, data).physicalLimitTokensPerSecondPerUser;
      if (limit === null || limit === undefined) continue; // no datasheet: the curve cannot be extended
      const answer = throughputAt({ ...base, interactivityTokensPerSecondPerUser: limit * 0.95 }, data);
      expect(["measured", "interpolated", "extrapolated"], pair).toContain(answer.basis);
      expect(answer.outputTokensPerSecondPerGpu, pair).toBeGreaterThan(0);
    }
  });
});

describe("performance-model estimates on the price book", () => {
  test("prompt-dataset runs (ML.ENERGY) calibrate with a fitted mean prompt but answer no request", () => {
    const runs = data.throughputPoints.filter((p) => promptDataset(p) !== null);
    expect(runs.length).toBeGreaterThan(0);
    const datasets = new Set(runs.map((p) => promptDataset(p)!.name));
    const fitted = data.throughputCalibration!.datasetInputTokens;
    expect(Object.keys(fitted).sort()).toEqual([...datasets].sort());
    // B200 × DeepSeek-V3.1 is measured only by such runs: the answer is the model's estimate.
    const answer = throughputAt(
      { accelerator: "B200", model: "deepseek-v3.1", inputTokens: 1024, outputTokens: 1024 },
      data,
    );
    expect(answer.basis).toBe("estimated");
    expect(answer.sources.every((s) => !s.source.startsWith("mlenergy") || s.model !== "deepseek-v3.1")).toBe(true);
  });

  test("InferenceX's disaggregated runs are fitted at their own benchmark level, apart from its aggregated ones", () => {
    const levels = new Map<string, Set<string>>();
    for (const o of observations(data))
      levels.set(o.level, new Set([...(levels.get(o.level) ?? []), o.disaggregated ? "disagg" : "aggregated"]));
    expect([...(levels.get("inferencex-disagg") ?? [])]).toEqual(["disagg"]);
    expect([...(levels.get("inferencex") ?? [])]).toEqual(["aggregated"]);
    // The shipped fit holds both levels, and the wide runs sit above the single-node ones.
    const { sourceEffects } = data.throughputCalibration!;
    expect(sourceEffects["inferencex-disagg"]).toBeGreaterThan(sourceEffects.inferencex);
  });

  test("an accelerator never measured is estimated from its datasheet and says so (A100 × Llama 2 70B)", () => {
    const result = throughputAt(
      { ...llama, accelerator: "A100-SXM-80GB", interactivityTokensPerSecondPerUser: 5 },
      data,
    );
    expect(result.basis).toBe("estimated");
    expect(result.estimate!.factors.acceleratorBasis).toBe("datasheet");
    expect(result.notes.join(" ")).toMatch(/estimated from datasheet/);
    // A100: 2.0 TB/s and 312 TFLOP/s FP16 vs H100's 3.35 and 989; below the H100's measured server figure (3,888).
    expect(result.outputTokensPerSecondPerGpu).toBeGreaterThan(100);
    expect(result.outputTokensPerSecondPerGpu).toBeLessThan(3888);
  });

  test("--estimate hides the pair, refits, and reports the error against the measurement", () => {
    const result = throughputAt(
      { ...llama, accelerator: "H200", interactivityTokensPerSecondPerUser: 20, leaveOneOut: true },
      data,
    );
    expect(result.basis).toBe("estimated");
    expect(result.sources.every((s) => s.accelerator !== "H200-SXM-141GB" || s.model !== "llama2-70b-99")).toBe(true);
    expect(Math.abs(result.leaveOneOut!.relativeError!)).toBeLessThan(0.6);
  }, 120_000);

  test("a time-to-first-token target narrows the parallel group, and an impossible one is infeasible", () => {
    const query = { accelerator: "A100-SXM-80GB", model: "llama2-70b", inputTokens: 8192, outputTokens: 256 };
    const relaxed = throughputAt({ ...query, timeToFirstTokenMs: 60_000 }, data);
    expect(relaxed.timeToFirstTokenMs!).toBeLessThanOrEqual(60_000);
    const error = infeasible({ ...query, timeToFirstTokenMs: 1 });
    expect(error.issues[0]!.path).toBe("timeToFirstTokenMs");
    expect(error.message).toMatch(/prefill takes about/);
  });
});

describe("docs/throughput.md", () => {
  test("its generated accuracy section was produced from this price book and this model code", () => {
    const doc = readFileSync(DOC_PATH, "utf8");
    expect(recordedFingerprint(doc), "run npm run throughput:validate").toBe(inputsFingerprint());
  });
});
