/**
 * `planner evaluate` on a scenario that names only a model, a region, two server SKUs and two
 * cloud offers: the catalog supplies every other number, and the JSON says which figures were
 * used, from which source, as of when and from which price-book version.
 */
import { PRICE_BOOK_CONTENT_HASH, PRICE_BOOK_VERSION } from "@aifp/catalog";
import { parseEvaluation } from "@aifp/contracts";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";

const repoRoot = fileURLToPath(new URL("../../../../", import.meta.url));
const bin = fileURLToPath(new URL("../../bin/planner.js", import.meta.url));
const scenarioPath = "test/golden/catalog-defaults.scenario.json";

function planner(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("planner evaluate with catalog defaults", { timeout: 30_000 }, () => {
  test("evaluates every path and cites every figure it used", async () => {
    const run = await planner(["evaluate", scenarioPath]);
    expect(run.code).toBe(0);
    const parsed = parseEvaluation(JSON.parse(run.stdout));
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues.slice(0, 3)));
    const evaluation = parsed.evaluation;
    expect(evaluation.options.map((option) => option.id)).toEqual([
      "dgx-h200",
      "dgx-b200",
      "coreweave-h200",
      "aws-p5en-h200",
    ]);
    for (const option of evaluation.options) expect(option.lcotUsdPerMillionTokens).toBeGreaterThan(0);
    expect(evaluation.priceBookVersion).toBe(PRICE_BOOK_VERSION);
    expect(evaluation.priceBookContentHash).toBe(PRICE_BOOK_CONTENT_HASH);
    // Every number the scenario left out came from the catalog, with its source and date.
    const paths = new Set(evaluation.usedFigures.map((figure) => figure.path));
    for (const path of [
      "site.electricityUsdPerKwh",
      "site.pue",
      "options.0.priceUsd",
      "options.0.kw",
      "options.0.outputTokensPerSecondPerGpu",
      "options.1.priceUsd",
      "options.2.priceUsdPerInstanceHour",
      "options.3.gpusPerInstance",
    ])
      expect(paths.has(path), path).toBe(true);
    for (const figure of evaluation.usedFigures) {
      expect(figure.source.length, figure.path).toBeGreaterThan(10);
      expect(figure.asOf, figure.path).toMatch(/^\d{4}(-\d{2}){0,2}$/);
      expect(["high", "medium", "low"]).toContain(figure.confidence);
      expect(figure.priceBookVersion).toBe(PRICE_BOOK_VERSION);
      if (figure.derived) expect(figure.method ?? figure.source, figure.path).not.toBe("");
    }
    // The resolution notes go to stderr too.
    expect(run.stderr).toMatch(/note: option dgx-h200: throughput read without a latency target/);
  });

  test("the CSV format prints the monthly table only", async () => {
    const run = await planner(["evaluate", scenarioPath, "--format", "csv"]);
    expect(run.code).toBe(0);
    expect(run.stdout.split("\n")[0]).toContain("option_id");
    expect(run.stdout).not.toContain("usedFigures");
  });

  test("latency targets in the scenario are accepted and read into the throughput, as the note suggests", async () => {
    const scenario = JSON.parse(readFileSync(path.join(repoRoot, scenarioPath), "utf8"));
    scenario.workload.interactivityTokensPerSecondPerUser = 40;
    scenario.workload.timeToFirstTokenMs = 1000;
    const file = path.join(mkdtempSync(path.join(tmpdir(), "planner-slo-")), "scenario.json");
    writeFileSync(file, JSON.stringify(scenario));
    const run = await planner(["evaluate", file]);
    expect(run.code, run.stderr).toBe(0);
    const evaluation = JSON.parse(run.stdout) as {
      usedFigures: { path: string; source: string; method: string | null }[];
      options: { inputCostShare: number | null }[];
    };
    const figure = evaluation.usedFigures.find((f) => f.path === "options.0.outputTokensPerSecondPerGpu")!;
    expect(`${figure.source} ${figure.method ?? ""}`).toMatch(/at 40 tok\/s\/user; first token within 1000 ms/);
    expect(run.stderr).not.toMatch(/throughput read without a latency target/);
    // Input vs output share of the cost, per option.
    for (const option of evaluation.options) expect(option.inputCostShare).toBeGreaterThan(0);
  });
});
