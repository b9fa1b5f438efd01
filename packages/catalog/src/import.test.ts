import { withSourceIds } from "./build/source-convert.ts";
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { buildFromDataDir, CATALOG_ROOT, DATA_DIR } from "./build/files.ts";
import { applyImport, diffImport, formatDiff, readCloudRows } from "./import-diff.ts";
import { parseImport } from "./import.ts";

const FIXTURES = path.join(CATALOG_ROOT, "test-fixtures", "import");
const fixture = (name: string) => readFileSync(path.join(FIXTURES, name), "utf8");
const INDEX_SOURCE = "ewyluda/gpu-price-index data/observations/2026/2026-10-10.csv@ab49c8081de8";

const temporary: string[] = [];
function copyOfData(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "aifp-import-"));
  temporary.push(dir);
  cpSync(DATA_DIR, dir, { recursive: true });
  return dir;
}
afterEach(() => {
  for (const dir of temporary.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Import a fixture into a data directory the way `catalog:import --write` does. */
function importInto(dataDir: string, name: string, source?: string) {
  const target = path.join(dataDir, "cloud_gpu_prices.csv");
  const parsed = parseImport(name, fixture(name), { source });
  const currentText = readFileSync(target, "utf8");
  const diff = diffImport(readCloudRows(currentText), parsed.rows);
  const asOf =
    parsed.rows
      .map((row) => row.as_of)
      .sort()
      .at(-1) ?? "";
  const cited = withSourceIds(dataDir, "cloud_gpu_prices.csv", applyImport(currentText, diff, asOf), asOf);
  writeFileSync(target, cited.text);
  writeFileSync(path.join(dataDir, "sources.csv"), cited.sourcesText);
  return { parsed, diff, text: formatDiff(parsed, diff) };
}

describe("catalog:import", () => {
  it("re-reads the community index export the catalog was compiled from without a single change", () => {
    const parsed = parseImport("index.csv", fixture("gpu-price-index-2026-10-10-coreweave-lambda.csv"), {
      source: INDEX_SOURCE,
    });
    expect(parsed.format).toBe("price-index-csv");
    expect(parsed.refused).toEqual([]);
    // 5 CoreWeave on-demand rows (spot beside them), the spot-only B300, 15 Lambda shapes.
    expect(parsed.rows).toHaveLength(21);
    const current = readCloudRows(readFileSync(path.join(DATA_DIR, "cloud_gpu_prices.csv"), "utf8"));
    const diff = diffImport(current, parsed.rows);
    expect({ added: diff.added.length, changed: diff.changed.length, gone: diff.gone.length }).toEqual({
      added: 0,
      changed: 0,
      gone: 0,
    });
    expect(diff.unchanged).toBe(21);
    const h100 = parsed.rows.find((row) => row.instance_type === "hgx-h100");
    expect(h100).toMatchObject({ commitment: "none", price_spot_usd_per_hour: "19.71", source: INDEX_SOURCE });
  });

  it("refuses rows without a source, and takes them with one", () => {
    const refused = parseImport("pulse.json", fixture("pulse-export-excerpt.json"));
    expect(refused.rows).toEqual([]);
    expect(refused.refused).toHaveLength(2);
    expect(refused.refused[0]?.reason).toMatch(/no source/);
    const sourced = parseImport("pulse.json", fixture("pulse-export-excerpt.json"), {
      source: "https://pulsebenchmarks.com/data_export.json (read 2026-12-06)",
    });
    expect(sourced.format).toBe("price-index-json");
    expect(sourced.rows).toHaveLength(1);
    expect(sourced.rows[0]).toMatchObject({
      provider: "DataCrunch (Verda)",
      commitment: "spot_only",
      price_per_gpu_hour_usd: "0.2524",
      as_of: "2026-04-19",
    });
  });

  it("round-trips provider lists: new, changed, gone and refused rows, then nothing on a second import", () => {
    const dataDir = copyOfData();
    const first = importInto(dataDir, "provider-list-a.csv");
    expect(first.diff.added.map((row) => row.instance_type)).toEqual(["fx-h100-8", "fx-h100-1", "fx-l40s-1"]);
    let book = buildFromDataDir(dataDir);
    expect(book.cloudOffers.find((offer) => offer.id === "fixture-cloud-fx-h100-8-none")?.priceUsdPerHour.value).toBe(
      24,
    );

    const second = importInto(dataDir, "provider-list-b.json");
    expect(second.parsed.format).toBe("catalog-json");
    expect(second.text).toContain("format: catalog-json; 3 row(s) read, 1 refused");
    expect(second.text).toContain("new: 1, changed: 1, confirmed (same price, newer date): 1, gone: 1, unchanged: 0");
    expect(second.text).toContain("item 4: no source");
    expect(second.text).toContain("+ fixture-cloud-fx-b200-8-none: $6.00/GPU-h");
    expect(second.text).toContain(
      "~ fixture-cloud-fx-h100-8-none: $3.00 → $2.50/GPU-h (−16.7 %; as of 2026-11-01 → 2026-12-01)",
    );
    expect(second.text).toContain("- fixture-cloud-fx-l40s-1-none: $1.20/GPU-h (as of 2026-11-01)");
    expect(second.text).toContain("biggest moves (per GPU-hour, top 1):\n  1. fixture-cloud-fx-h100-8-none: −16.7 %");

    book = buildFromDataDir(dataDir);
    const offer = (id: string) => book.cloudOffers.find((item) => item.id === id);
    expect(offer("fixture-cloud-fx-h100-8-none")).toMatchObject({ status: "current" });
    expect(offer("fixture-cloud-fx-h100-8-none")?.priceUsdPerHour).toMatchObject({ value: 20, asOf: "2026-12-01" });
    expect(offer("fixture-cloud-fx-h100-1-none")?.priceUsdPerHour.asOf).toBe("2026-12-01");
    expect(offer("fixture-cloud-fx-l40s-1-none")?.status).toBe("superseded");
    expect(offer("fixture-cloud-fx-mi300x-1-none")).toBeUndefined();

    const afterSecond = readFileSync(path.join(dataDir, "cloud_gpu_prices.csv"), "utf8");
    const third = importInto(dataDir, "provider-list-b.json");
    expect(third.text).toContain("new: 0, changed: 0, confirmed (same price, newer date): 0, gone: 0, unchanged: 3");
    expect(readFileSync(path.join(dataDir, "cloud_gpu_prices.csv"), "utf8")).toBe(afterSecond);
  });

  it("the command line writes only with --write, checks the book still builds, and exits 1 on refused rows", () => {
    const dataDir = copyOfData();
    const script = path.join(CATALOG_ROOT, "scripts", "import.ts");
    const run = (...args: string[]) =>
      spawnSync(process.execPath, [script, ...args, "--data", dataDir], { encoding: "utf8" });
    const before = readFileSync(path.join(dataDir, "cloud_gpu_prices.csv"), "utf8");
    const dry = run(path.join(FIXTURES, "provider-list-a.csv"));
    expect(dry.status).toBe(0);
    expect(dry.stdout).toContain("new: 3");
    expect(readFileSync(path.join(dataDir, "cloud_gpu_prices.csv"), "utf8")).toBe(before);
    expect(run(path.join(FIXTURES, "provider-list-a.csv"), "--write").status).toBe(0);
    const refused = run(path.join(FIXTURES, "provider-list-b.json"), "--write");
    expect(refused.status).toBe(1);
    expect(refused.stdout).toContain("refused (not imported)");
    expect(readFileSync(path.join(dataDir, "cloud_gpu_prices.csv"), "utf8")).toContain("fx-b200-8");
    const notAList = run(path.join(FIXTURES, "README.md"));
    expect(notAList.status).toBe(2);
    expect(notAList.stderr).toMatch(/catalog import failed/);
  }, 60_000);
});
