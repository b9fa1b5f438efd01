/**
 * `--quotes FILE`: the quotes file parser, and `planner evaluate | optimise | risk --quotes` run as
 * a user runs them (the real binary), applying quotes in the API's `Quote` shape offline.
 */
import { priceBook } from "@aifp/catalog";
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { parseQuotesDocument, quotesOutsideBook } from "./quotes-file.ts";

const repoRoot = fileURLToPath(new URL("../../../../", import.meta.url));
const bin = fileURLToPath(new URL("../../bin/planner.js", import.meta.url));
/** Names two server SKUs (nvidia-dgx-h200, nvidia-dgx-b200) and two cloud offers, starts 2027-01. */
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

/** A quote as `GET /api/v1/quotes` returns it (computed fields included). */
function apiQuote(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: "qte_dgxh200",
    targetKind: "sku",
    targetId: "nvidia-dgx-h200",
    targetName: "NVIDIA DGX H200 (8× H200 SXM 141GB)",
    unit: "USD per server",
    unitPriceUsd: 300000,
    discount: 0.1,
    effectiveUnitPriceUsd: 270000,
    publicUnitPriceUsd: 330000,
    publicPriceBookVersion: priceBook.version,
    validUntil: "2027-06-30",
    note: "Q-77",
    version: 2,
    createdAt: "2026-11-01T00:00:00.000Z",
    updatedAt: "2026-11-02T00:00:00.000Z",
    ...overrides,
  };
}

const dir = mkdtempSync(path.join(tmpdir(), "planner-quotes-"));
function writeJson(name: string, value: unknown): string {
  const file = path.join(dir, name);
  writeFileSync(file, JSON.stringify(value));
  return file;
}

interface Figure {
  path: string;
  value: number;
  origin: string;
  ref: string;
  source: string;
}

describe("parseQuotesDocument", () => {
  test("takes a GET /quotes page or a bare array and keeps what the resolver needs", () => {
    const expected = {
      id: "qte_dgxh200",
      orgId: "file",
      target: { kind: "sku", id: "nvidia-dgx-h200" },
      unitPriceUsd: 300000,
      discount: 0.1,
      validUntil: "2027-06-30",
      note: "Q-77",
    };
    expect(parseQuotesDocument({ data: [apiQuote()], nextCursor: null }, "file")).toEqual({
      ok: true,
      quotes: [expected],
    });
    expect(parseQuotesDocument([apiQuote()], "file")).toEqual({ ok: true, quotes: [expected] });
    // Discount only, no note: defaults as the API stores them.
    const minimal = parseQuotesDocument(
      [{ id: "q2", targetKind: "offer", targetId: "x", discount: 0.2, validUntil: "2027-01-31" }],
      "file",
    );
    expect(minimal).toMatchObject({ ok: true, quotes: [{ unitPriceUsd: null, discount: 0.2, note: null }] });
  });

  test("names every invalid field with its path", () => {
    const result = parseQuotesDocument(
      {
        data: [
          apiQuote({ targetKind: "server" }),
          apiQuote({ id: "b", validUntil: "2027-02-30" }),
          apiQuote({ id: "c", discount: 1 }),
          apiQuote({ id: "d", unitPriceUsd: 0 }),
          apiQuote({ id: "e", unitPriceUsd: null, discount: 0 }),
          apiQuote({ id: "b" }),
          "not a quote",
        ],
      },
      "file",
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map((issue) => issue.path)).toEqual([
      "data.0.targetKind",
      "data.1.validUntil",
      "data.2.discount",
      "data.3.unitPriceUsd",
      "data.4.unitPriceUsd",
      "data.5.id",
      "data.6",
    ]);
    expect(parseQuotesDocument({ quotes: [] }, "file")).toMatchObject({ ok: false, issues: [{ path: "" }] });
  });

  test("finds quotes for targets the public book does not have", () => {
    const parsed = parseQuotesDocument([apiQuote(), apiQuote({ id: "q9", targetId: "no-such-server" })], "file");
    if (!parsed.ok) throw new Error("expected valid quotes");
    expect(quotesOutsideBook(parsed.quotes).map((quote) => quote.id)).toEqual(["q9"]);
  });
});

describe("planner --quotes FILE", { timeout: 60_000 }, () => {
  test("evaluate applies a valid quote (origin quote) and leaves other prices public", async () => {
    const file = writeJson("page.json", { data: [apiQuote()], nextCursor: null });
    const quoted = await planner(["evaluate", scenarioPath, "--quotes", file]);
    expect(quoted.code, quoted.stderr).toBe(0);
    const figures = (JSON.parse(quoted.stdout) as { usedFigures: Figure[] }).usedFigures;
    const price = figures.find((figure) => figure.path === "options.0.priceUsd");
    expect(price).toMatchObject({ origin: "quote", ref: "quote:qte_dgxh200", value: 300000 * (1 - 0.1) });
    expect(price?.source).toContain("Q-77");
    expect(figures.find((figure) => figure.path === "options.1.priceUsd")?.origin).toBe("catalog");

    const plain = await planner(["evaluate", scenarioPath]);
    const publicPrice = (JSON.parse(plain.stdout) as { usedFigures: Figure[] }).usedFigures.find(
      (figure) => figure.path === "options.0.priceUsd",
    );
    expect(publicPrice?.origin).toBe("catalog");
    expect(publicPrice?.value).not.toBe(price?.value);
  });

  test("a quote that expires before the start month is noted and not applied", async () => {
    const file = writeJson("expired.json", [apiQuote({ validUntil: "2026-12-31" })]);
    const run = await planner(["evaluate", scenarioPath, "--quotes", file]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(
      "note: Quote qte_dgxh200 for server nvidia-dgx-h200 (option dgx-h200) expired on 2026-12-31, before the plan starts on 2027-01-01; the public price is used",
    );
    const figures = (JSON.parse(run.stdout) as { usedFigures: Figure[] }).usedFigures;
    expect(figures.find((figure) => figure.path === "options.0.priceUsd")?.origin).toBe("catalog");
  });

  test("risk and optimise apply the same quotes", async () => {
    const file = writeJson("array.json", [
      apiQuote(),
      apiQuote({ id: "qte_lease", targetKind: "offer", targetId: "coreweave-hgx-h200-none", unitPriceUsd: 40 }),
    ]);
    const risk = await planner(["risk", scenarioPath, "--samples", "20", "--quotes", file]);
    expect(risk.code, risk.stderr).toBe(0);
    const riskRefs = (JSON.parse(risk.stdout) as { usedFigures: Figure[] }).usedFigures
      .filter((figure) => figure.origin === "quote")
      .map((figure) => figure.ref);
    expect(riskRefs).toEqual(["quote:qte_dgxh200", "quote:qte_lease"]);
    const optimise = await planner(["optimise", scenarioPath, "--time-limit", "5", "--quotes", file]);
    expect(optimise.code, optimise.stderr).toBe(0);
    const optimiseRefs = (JSON.parse(optimise.stdout) as { usedFigures: Figure[] }).usedFigures
      .filter((figure) => figure.origin === "quote")
      .map((figure) => figure.ref);
    expect(optimiseRefs).toEqual(["quote:qte_dgxh200", "quote:qte_lease"]);
  });

  test("an invalid quotes file exits 2 naming the field; a missing one names the file", async () => {
    const bad = writeJson("bad.json", { data: [apiQuote({ discount: 1.5 })] });
    const run = await planner(["evaluate", scenarioPath, "--quotes", bad]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain("data.0.discount: expected a fraction 0 <= discount < 1");
    const notJson = path.join(dir, "not.json");
    writeFileSync(notJson, "{");
    const broken = await planner(["risk", scenarioPath, "--quotes", notJson]);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/is not valid JSON/);
    const missing = await planner(["optimise", scenarioPath, "--quotes", path.join(dir, "nope.json")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read the quotes file ".*nope\.json": no such file/);
  });
});
