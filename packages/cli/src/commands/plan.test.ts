/**
 * `planner optimise` and `planner risk`, run as a user runs them: the real binary, spawned with
 * the Node that runs the tests, on the golden scenario and files written to a temporary folder.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";

const repoRoot = fileURLToPath(new URL("../../../../", import.meta.url));
const bin = fileURLToPath(new URL("../../bin/planner.js", import.meta.url));
const goldenPath = "test/golden/chat-70b-three-paths.scenario.json";
const golden = JSON.parse(readFileSync(path.join(repoRoot, goldenPath), "utf8")) as Record<string, unknown> & {
  options: Record<string, unknown>[];
  site: Record<string, unknown>;
};

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function planner(args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      cwd: repoRoot,
      env: process.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

const folder = mkdtempSync(path.join(tmpdir(), "planner-plan-"));
function writeJson(name: string, value: unknown): string {
  const file = path.join(folder, name);
  writeFileSync(file, JSON.stringify(value));
  return file;
}

describe("planner optimise", () => {
  test("prints strategies and the plan per period as JSON", async () => {
    const run = await planner(["optimise", goldenPath]);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as {
      strategies: { id: string; kind: string; npvCostUsd: number | null; lcotUsdPerMillionTokens: number | null }[];
      hybrid: { npvCostUsd: number; periods: { start: string; facilityKw: number; gpus: number }[] };
    };
    expect(result.strategies.map((s) => s.kind)).toEqual(["lease", "build", "api", "base-peak", "hybrid"]);
    for (const s of result.strategies) expect(typeof s.npvCostUsd).toBe("number");
    expect(result.hybrid.periods.map((p) => p.start)).toEqual(["2027-01", "2028-01", "2029-01", "2030-01", "2031-01"]);
    for (const p of result.hybrid.periods) {
      expect(typeof p.facilityKw).toBe("number");
      expect(typeof p.gpus).toBe("number");
    }
  });

  test("reads settings beside the scenario; a generation's availability and quarterly periods", async () => {
    const scenario = { ...golden, options: golden.options.filter((o) => o["kind"] !== "api") };
    const file = writeJson("with-settings.json", {
      scenario,
      optimise: { availableFrom: { "dell-xe9680-h200": "2028-01" } },
    });
    const run = await planner(["optimise", file, "--period-months", "3"]);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as {
      hybrid: { periods: { start: string; buy: Record<string, number> }[] };
      model: { periods: number };
    };
    expect(result.model.periods).toBe(20);
    for (const p of result.hybrid.periods) if (p.start < "2028-01") expect(p.buy["dell-xe9680-h200"] ?? 0).toBe(0);
  });

  test("an impossible scenario exits 3 and says why", async () => {
    const scenario = {
      ...golden,
      site: { ...golden.site, powerCapKw: 50 },
      options: golden.options.filter((o) => o["kind"] === "build"),
    };
    const run = await planner(["optimise", writeJson("too-small.json", scenario)]);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/site\.powerCapKw: the 50 kW power cap is too small/);
  });

  test("invalid input exits 2 naming the field", async () => {
    const run = await planner(["optimise", writeJson("bad.json", { scenario: golden, optimise: { periodMonths: 7 } })]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/optimise\.periodMonths/);
    const flag = await planner(["optimise", goldenPath, "--period-months", "5"]);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/--period-months must be 1, 3, 6 or 12/);
  });
});

describe("planner risk", () => {
  test("the same seed prints the same figures", async () => {
    const a = await planner(["risk", goldenPath, "--samples", "200", "--seed", "9"]);
    const b = await planner(["risk", goldenPath, "--samples", "200", "--seed", "9"]);
    expect(a.code).toBe(0);
    expect(b.stdout).toBe(a.stdout);
    const result = JSON.parse(a.stdout) as {
      sensitivity: { tornado: { id: string }[] };
      monteCarlo: { samples: number; seed: number; comparison: { probabilityBuildBeatsLease: number } };
    };
    expect(result.sensitivity.tornado.length).toBeGreaterThanOrEqual(10);
    expect(result.monteCarlo.samples).toBe(200);
    expect(result.monteCarlo.seed).toBe(9);
    expect(result.monteCarlo.comparison.probabilityBuildBeatsLease).toBeGreaterThanOrEqual(0);
  });

  test("bad flags and driver overrides exit 2", async () => {
    expect((await planner(["risk", goldenPath, "--samples", "0"])).stderr).toMatch(/--samples must be a whole number/);
    const run = await planner([
      "risk",
      writeJson("bad-driver.json", { scenario: golden, risk: { drivers: [{ id: "nope" }] } }),
      "--samples",
      "10",
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/risk\.drivers\.0\.id/);
  });
});
