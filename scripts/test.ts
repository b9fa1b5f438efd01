// `npm test`: the whole suite — unit (Node), API (workerd + local D1) and e2e (the real Worker
// driven by Chromium) — then the plain summary line CI reads: "N passed, M failed"
// (", K skipped" when any), counted by vitest itself.
// The e2e project runs after the others, not beside them: on a 2-core machine a browser
// competing with the workerd pool for CPU turns timing into flakiness. Arguments are passed to
// vitest (e.g. `npm test -- --project unit packages/kernel`), which then runs once.
import { spawn } from "node:child_process";
import { mkdir, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { repoRoot } from "./lib/dev-server.ts";

interface VitestJsonReport {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  numTotalTests: number;
  numFailedTestSuites: number;
}

const resultsDir = path.join(repoRoot, "test-results");
await mkdir(resultsDir, { recursive: true });

async function runVitest(
  label: string,
  args: string[],
): Promise<{ exitCode: number; report: VitestJsonReport | null }> {
  const reportFile = path.join(resultsDir, `vitest-${label}.json`);
  await rm(reportFile, { force: true });
  const exitCode = await new Promise<number>((resolve) => {
    const child = spawn(
      "vitest",
      ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${reportFile}`, ...args],
      { cwd: repoRoot, stdio: "inherit" },
    );
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
  try {
    return { exitCode, report: JSON.parse(await readFile(reportFile, "utf8")) as VitestJsonReport };
  } catch {
    console.error(`No test report from the ${label} run: vitest did not finish.`);
    return { exitCode: exitCode || 1, report: null };
  }
}

const extraArgs = process.argv.slice(2);
const runs =
  extraArgs.length > 0
    ? [await runVitest("custom", extraArgs)]
    : [
        await runVitest("unit-and-api", ["--project", "unit", "--project", "workers"]),
        await runVitest("e2e", ["--project", "e2e"]),
      ];

const total = { passed: 0, failed: 0, skipped: 0, tests: 0 };
let failedRun = false;
for (const { exitCode, report } of runs) {
  if (exitCode !== 0 || report === null) failedRun = true;
  if (!report) continue;
  total.passed += report.numPassedTests;
  total.failed += report.numFailedTests;
  total.skipped += report.numPendingTests + report.numTodoTests;
  total.tests += report.numTotalTests;
}
if (total.tests === 0) {
  console.error("No test ran.");
  failedRun = true;
}
console.log(`\n${total.passed} passed, ${total.failed} failed${total.skipped > 0 ? `, ${total.skipped} skipped` : ""}`);
process.exit(failedRun ? 1 : 0);
