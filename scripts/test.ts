// `npm test`: the whole suite in one run — unit (Node), API (workerd + local D1) and e2e
// (the real Worker driven by Chromium) — then the plain summary line CI reads:
// "N passed, M failed" (", K skipped" when any), counted by vitest itself.
import { spawn } from "node:child_process";
import { mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import { repoRoot } from "./lib/dev-server.ts";

const reportFile = path.join(repoRoot, "test-results/vitest.json");
await mkdir(path.dirname(reportFile), { recursive: true });

const extraArgs = process.argv.slice(2);
const exitCode = await new Promise<number>((resolve) => {
  const child = spawn(
    "vitest",
    ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${reportFile}`, ...extraArgs],
    { cwd: repoRoot, stdio: "inherit" },
  );
  child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
});

interface VitestJsonReport {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  numTotalTests: number;
}

let summary: VitestJsonReport | null = null;
try {
  summary = JSON.parse(await readFile(reportFile, "utf8")) as VitestJsonReport;
} catch {
  console.error("No test report was written: vitest did not finish.");
}
if (summary) {
  const skipped = summary.numPendingTests + summary.numTodoTests;
  console.log(
    `\n${summary.numPassedTests} passed, ${summary.numFailedTests} failed${skipped > 0 ? `, ${skipped} skipped` : ""}`,
  );
  if (summary.numTotalTests === 0) {
    console.error("No test ran.");
    process.exit(1);
  }
}
process.exit(summary ? exitCode : 1);
