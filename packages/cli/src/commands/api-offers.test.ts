/**
 * `planner evaluate` buys tokens with no typed price: an API option names a selection rule or a
 * provider, the catalog picks the offer, and the CLI prints the offer it bought with its source.
 */
import { modelsWithApiOffers, priceBook } from "@aifp/catalog";
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";

const repoRoot = fileURLToPath(new URL("../../../../", import.meta.url));
const bin = fileURLToPath(new URL("../../bin/planner.js", import.meta.url));

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

function scenarioFile(scenario: unknown): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "planner-api-")), "scenario.json");
  writeFileSync(file, JSON.stringify(scenario));
  return file;
}

describe("planner evaluate buys tokens from the catalog", { timeout: 60_000 }, () => {
  test("prices an API option for every model any host serves, and prints the offer bought", async () => {
    const models = modelsWithApiOffers(priceBook);
    const file = scenarioFile({
      startMonth: "2027-01",
      horizonYears: 3,
      finance: { discountRatePerYear: 0.09 },
      workload: {
        model: "llama3.3-70b",
        inputTokensPerRequest: 1000,
        outputTokensPerRequest: 300,
        requestsPerDay: 100000,
      },
      options: models.map((model) => ({ kind: "api", id: `api-${model}`, model, select: "cheapest" })),
    });
    const run = await planner(["evaluate", file]);
    expect(run.code, run.stderr).toBe(0);
    const output = JSON.parse(run.stdout) as { options: { id: string; lcotUsdPerMillionTokens: number }[] };
    expect(output.options).toHaveLength(models.length);
    for (const option of output.options) expect(option.lcotUsdPerMillionTokens, option.id).toBeGreaterThan(0);
    // One line per option names the provider, the offer id, the prices, the date and the source.
    expect(run.stderr).toMatch(
      /note: option api-llama3\.3-70b: buys Llama 3\.3 70B from .+ \(api:[a-z0-9-]+:llama3\.3-70b, cheapest of \d+ offers .*as of \d{4}.*source: token_prices\.csv line \d+/,
    );
    expect(run.stderr).toMatch(
      /note: option api-gpt-5 serves a different model \(GPT-5\) from the workload's Llama 3\.3 70B/,
    );
  });

  test("names the field when the provider sells no such model", async () => {
    const file = scenarioFile({
      startMonth: "2027-01",
      horizonYears: 3,
      finance: { discountRatePerYear: 0.09 },
      workload: {
        model: "llama3.3-70b",
        inputTokensPerRequest: 1000,
        outputTokensPerRequest: 300,
        requestsPerDay: 1000,
      },
      options: [{ kind: "api", id: "api", provider: "Anthropic" }],
    });
    const run = await planner(["evaluate", file]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/options\.0\.provider: no current offer from "Anthropic" for llama3\.3-70b/);
  });
});
