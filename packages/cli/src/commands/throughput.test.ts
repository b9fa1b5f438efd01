/**
 * `planner throughput`, tested as a user runs it: spawned through `npx planner` once (the bin is
 * linked) and through Node directly for the rest (faster). Real price book, no mocks.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";

const repoRoot = fileURLToPath(new URL("../../../../", import.meta.url));
const bin = fileURLToPath(new URL("../../bin/planner.js", import.meta.url));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runCommand(command: string, args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: repoRoot, env: process.env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

const planner = (args: string[]): Promise<Run> => runCommand(process.execPath, [bin, "throughput", ...args]);
const userMessages = (stderr: string): string =>
  stderr
    .split("\n")
    .filter((line) => line && !line.startsWith("npm warn"))
    .join("\n");
const base = ["--model", "llama2-70b", "--input", "1024", "--output", "1024"];

describe("planner throughput", () => {
  test("npx planner throughput prints the measured point as JSON", async () => {
    const run = await runCommand("npx", [
      "planner",
      "throughput",
      "--accelerator",
      "H200",
      ...base,
      "--interactivity",
      "25",
    ]);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(Object.keys(result).slice(0, 3)).toEqual(["outputTokensPerSecondPerGpu", "basis", "sources"]);
    expect(result.basis).toBe("measured");
    expect(result.outputTokensPerSecondPerGpu).toBeCloseTo(2885, -1);
    expect(result.sources[0]).toMatchObject({
      source: expect.stringMatching(/^mlperf-/),
      url: expect.stringMatching(/^https:/),
    });
  }, 60_000);

  test("between MLPerf's floors: interpolated, with both bracketing sources", async () => {
    const run = await planner(["--accelerator", "H200", ...base, "--interactivity", "15", "--precision", "fp8"]);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.basis).toBe("interpolated");
    expect(result.sources).toHaveLength(2);
    expect(result.precision).toBe("fp8");
  }, 30_000);

  test("--estimate hides the pair's measurements and shows the estimate's error against them", async () => {
    const run = await planner(["--accelerator", "H200", ...base, "--interactivity", "20", "--estimate"]);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.basis).toBe("estimated");
    expect(result.leaveOneOut.measuredOutputTokensPerSecondPerGpu).toBeGreaterThan(0);
    expect(typeof result.leaveOneOut.relativeError).toBe("number");
    expect(result.notes.join(" ")).toMatch(/estimated by the performance model/);
  }, 30_000);

  test("a target beyond the last measured point is extrapolated from it, naming the point", async () => {
    const run = await planner(["--accelerator", "H200", ...base, "--interactivity", "30"]);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.basis).toBe("extrapolated");
    expect(result.sources[0]).toMatchObject({ model: "llama2-70b", interactivity: 25 });
    // Faster per user means fewer users per GPU: below the measured point at 25 tok/s/user.
    expect(result.outputTokensPerSecondPerGpu).toBeLessThan(result.sources[0].outputTokensPerSecondPerGpu);
  }, 30_000);

  test("a target beyond the physical limit exits 3 and gives the limit", async () => {
    const run = await planner(["--accelerator", "H200", ...base, "--interactivity", "5000"]);
    expect(run.code).toBe(3);
    expect(run.stdout).toBe("");
    expect(userMessages(run.stderr)).toMatch(
      /--interactivity: 5000 tok\/s\/user is unreachable on H200-SXM-141GB.*physical limit is \d+ tok\/s\/user/,
    );
  }, 30_000);

  test("invalid input exits 2 naming each flag, without a stack trace", async () => {
    const run = await planner([
      "--accelerator",
      "H200",
      "--model",
      "llama2-70b",
      "--input",
      "0",
      "--output",
      "many",
      "--interactivity",
      "fast",
      "--precision",
      "fp3",
    ]);
    expect(run.code).toBe(2);
    const messages = userMessages(run.stderr);
    for (const flag of ["--input", "--output", "--interactivity", "--precision"])
      expect(messages).toMatch(new RegExp(`^${flag}: expected`, "m"));
    expect(messages).not.toMatch(/^\s+at /m);
  }, 30_000);

  test("an unknown accelerator exits 2 naming --accelerator and the known keys", async () => {
    const run = await planner(["--accelerator", "TPU9", ...base]);
    expect(run.code).toBe(2);
    expect(userMessages(run.stderr)).toMatch(/^--accelerator: unknown accelerator "TPU9"; known: .*H200-SXM-141GB/m);
  }, 30_000);

  test("missing required flags exit 2, naming them; --help explains the flags", async () => {
    const missing = await planner([]);
    expect(missing.code).toBe(2);
    expect(userMessages(missing.stderr)).toMatch(
      /--accelerator: required[\s\S]*--model: required[\s\S]*--input: required[\s\S]*--output: required/,
    );
    const help = await planner(["--help"]);
    expect(help.code).toBe(0);
    for (const flag of [
      "--accelerator",
      "--model",
      "--input",
      "--output",
      "--interactivity",
      "--precision",
      "--estimate",
    ])
      expect(help.stdout).toContain(flag);
  }, 30_000);
});
