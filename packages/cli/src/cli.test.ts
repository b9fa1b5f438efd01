/**
 * The `planner` CLI, tested as a user runs it: by spawning the real binary (through `npx planner`
 * once, to prove the bin is linked, and through Node directly for the rest, which is faster).
 */
import { parseEvaluation } from "@aifp/contracts";
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const bin = fileURLToPath(new URL("../bin/planner.js", import.meta.url));
const goldenPath = "test/golden/chat-70b-three-paths.scenario.json";
const goldenScenario = readFileSync(new URL(`../../../${goldenPath}`, import.meta.url), "utf8");

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runCommand(command: string, args: string[], stdin?: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: repoRoot, env: process.env, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin ?? "");
  });
}

/** Runs the planner binary with the Node that runs the tests (Node 24 via npx). */
const planner = (args: string[], stdin?: string): Promise<Run> => runCommand(process.execPath, [bin, ...args], stdin);

/** stderr without npm's own configuration warnings. */
const userMessages = (stderr: string): string[] =>
  stderr.split("\n").filter((line) => line && !line.startsWith("npm warn"));

const expectNoStackTrace = (stderr: string): void => {
  expect(stderr).not.toMatch(/^\s+at /m);
  expect(stderr).not.toMatch(/\.ts:\d+:\d+/);
};

// Each test spawns the CLI as a process: seconds on a loaded 2-core machine, so a generous limit.
describe("planner CLI", { timeout: 30_000 }, () => {
  test("npx planner evaluate <golden scenario> prints the result JSON", async () => {
    const run = await runCommand("npx", ["planner", "evaluate", goldenPath]);
    expect(run.code).toBe(0);
    const parsed = parseEvaluation(JSON.parse(run.stdout));
    if (!parsed.ok) throw new Error(`the output is not an evaluation: ${JSON.stringify(parsed.issues.slice(0, 3))}`);
    const result = parsed.evaluation;
    const expected = JSON.parse(
      readFileSync(new URL("../../../test/golden/chat-70b-three-paths.expected.json", import.meta.url), "utf8"),
    ) as {
      options: { npvCostUsd: number }[];
    };
    result.options.forEach((option, index) => {
      const want = expected.options[index]!.npvCostUsd;
      expect(Math.abs(option.npvCostUsd - want)).toBeLessThanOrEqual(1e-9 * want);
    });
    expect(result.kernelVersion).toBe("1.0.0");
  }, 30_000);

  test("--help explains the commands and the exit codes", async () => {
    const run = await planner(["--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/evaluate\s+cost of every option/);
    expect(run.stdout).toMatch(/2\s+invalid input/);
    expect(run.stdout).toMatch(/3\s+the scenario is valid but cannot be served/);
  });

  test("evaluate --help explains the input, the output and the formats", async () => {
    const run = await planner(["evaluate", "--help"]);
    expect(run.code).toBe(0);
    for (const word of [
      "--format csv",
      "startMonth",
      "priceUsdPerInstanceHour",
      "usdPerMillionOutputTokens",
      "npvCostUsd",
      "irrPerYear",
    ]) {
      expect(run.stdout).toContain(word);
    }
  });

  test("reads the scenario from standard input with -", async () => {
    const run = await planner(["evaluate", "-"], goldenScenario);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).options).toHaveLength(3);
  });

  test("--format csv prints one row per option and month, units in the headers", async () => {
    const run = await planner(["evaluate", goldenPath, "--format", "csv"]);
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split("\r\n");
    const header = lines[0]!.split(",");
    expect(header.slice(0, 5)).toEqual(["option_id", "kind", "month_index", "month", "capex_usd"]);
    expect(header).toContain("energy_kwh");
    expect(header).toContain("utilization_fraction");
    expect(lines).toHaveLength(1 + 3 * 60);
    for (const line of lines) expect(line.split(",")).toHaveLength(header.length);
    const buildRow = lines.find((line) => line.startsWith("dell-xe9680-h200,build,59,2031-12,"));
    expect(buildRow).toBeDefined();
  });

  test("an invalid scenario exits 2 and names every wrong field, one per line, without a stack trace", async () => {
    const scenario = JSON.parse(goldenScenario);
    scenario.workload.peakToAverage = "abc";
    scenario.options[1].gpusPerServer = 0;
    scenario.options[0].pricePerHour = 3;
    const run = await planner(["evaluate", "-"], JSON.stringify(scenario));
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    const lines = userMessages(run.stderr);
    expect(lines[0]).toMatch(/invalid \(3 problems\)/);
    expect(lines).toContain('  workload.peakToAverage: expected a number >= 1, got "abc"');
    expect(lines).toContain("  options.1.gpusPerServer: expected a whole number >= 1, got 0");
    expect(lines).toContain("  options.0.pricePerHour: unknown field: not part of the scenario (check its spelling)");
    expectNoStackTrace(run.stderr);
  });

  test("a number the catalog would supply but nobody did, or an unknown reference, is named (exit 2)", async () => {
    const scenario = JSON.parse(goldenScenario);
    delete scenario.options[0].priceUsdPerInstanceHour;
    const run = await planner(["evaluate", "-"], JSON.stringify(scenario));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/options\.0\.priceUsdPerInstanceHour: missing: expected a number >= 0/);
    scenario.options[0].offer = "lambda-8xh200";
    const unknown = await planner(["evaluate", "-"], JSON.stringify(scenario));
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/options\.0\.offer: unknown cloud offer "lambda-8xh200" in price book/);
  });

  test("an infeasible scenario exits 3 and says why", async () => {
    const scenario = JSON.parse(goldenScenario);
    scenario.options[0].outputTokensPerSecondPerGpu = 0;
    const run = await planner(["evaluate", "-"], JSON.stringify(scenario));
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/cannot be served/);
    expect(run.stderr).toMatch(/options\.0\.outputTokensPerSecondPerGpu: .*no number of GPUs can serve the demand/);
    expectNoStackTrace(run.stderr);
  });

  test("input that is not JSON, a missing file, a bad flag or command: exit 2 with a message", async () => {
    const notJson = await planner(["evaluate", "-"], "{ nope");
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toMatch(/standard input is not valid JSON/);

    const missing = await planner(["evaluate", "no/such/scenario.json"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read the scenario file "no\/such\/scenario.json": no such file/);

    const badFlag = await planner(["evaluate", goldenPath, "--colour"]);
    expect(badFlag.code).toBe(2);
    expect(badFlag.stderr).toMatch(/--colour/);

    const badFormat = await planner(["evaluate", goldenPath, "--format", "xlsx"]);
    expect(badFormat.code).toBe(2);
    expect(badFormat.stderr).toMatch(/--format must be "json" or "csv"/);

    const unknown = await planner(["evalute"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command "evalute"/);
    for (const run of [notJson, missing, badFlag, badFormat, unknown]) expectNoStackTrace(run.stderr);
  });
});
