/**
 * Sources as records (ADR 030): the build refuses a row without a known source id and a mock-up
 * or template passed off as a publication; SOURCES.md's register is the one in sources.csv; every
 * figure of the built book names sources that exist.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildPriceBook } from "./book.ts";
import { CatalogRowError } from "./csv.ts";
import { readCatalogFiles } from "./files.ts";
import { readSources } from "./source-records.ts";
import { registerInSourcesMd, registerSection, SOURCES_MD_PATH } from "./source-register.ts";
import { provenanceInWords } from "../source-words.ts";

const { files, manifest } = readCatalogFiles();

/** Replace the first data row's `source_ids` cell of a file (the last column) with `ids`. */
function withIds(file: "defaults.csv" | "energy.csv", ids: string): string {
  const lines = files[file].split("\n");
  lines[1] = (lines[1] ?? "").replace(/,[^,]*$/, `,${ids}`);
  return lines.join("\n");
}

describe("sources as records", () => {
  it("every figure in the built book cites sources that are in the register", () => {
    const book = buildPriceBook(files, manifest);
    const ids = new Set(book.sources.map((source) => source.id));
    const cited: string[] = [];
    const walk = (value: unknown) => {
      if (Array.isArray(value)) value.forEach(walk);
      else if (value && typeof value === "object") {
        const record = value as Record<string, unknown>;
        if (Array.isArray(record.sourceIds)) cited.push(...(record.sourceIds as string[]));
        Object.values(record).forEach(walk);
      }
    };
    walk({ ...book, sources: [] });
    expect(cited.length).toBeGreaterThan(1000);
    expect(cited.filter((id) => !ids.has(id))).toEqual([]);
    // Every default the wizard shows names at least one source.
    expect(book.defaults.filter((item) => (item.figure.sourceIds ?? []).length === 0).map((item) => item.key)).toEqual(
      [],
    );
  });

  it("fails on a row whose source id is missing or unknown, naming file, line and column", () => {
    expect(() => buildPriceBook({ ...files, "defaults.csv": withIds("defaults.csv", "") }, manifest)).toThrow(
      /defaults\.csv:2: column "source_ids".*names its sources by id/,
    );
    expect(() => buildPriceBook({ ...files, "energy.csv": withIds("energy.csv", "no-such-source") }, manifest)).toThrow(
      CatalogRowError,
    );
    expect(() => buildPriceBook({ ...files, "energy.csv": withIds("energy.csv", "no-such-source") }, manifest)).toThrow(
      /no source "no-such-source" in sources\.csv/,
    );
  });

  it("fails on a mock-up or template recorded as a publication, and on a high-confidence row resting on one", () => {
    const mockup = files["sources.csv"].replace(
      /^assimilatedcoder-sesterce-sev1-mockup,unverified,/m,
      "assimilatedcoder-sesterce-sev1-mockup,secondary,",
    );
    expect(mockup).not.toBe(files["sources.csv"]);
    expect(() => readSources(mockup)).toThrow(/reads like a mock-up or template, not a publication/);
    const template = `${files["sources.csv"]}acme-pricing-template,primary,Acme,Pricing template,https://example.com/pricing-template,,2026-12-06,,,,\n`;
    expect(() => readSources(template)).toThrow(/mock-up or template/);
    const insurance = files["defaults.csv"].replace(/^(build\.insurancePerYear,[^\n]*?,2026-11-22,)low,/m, "$1medium,");
    expect(insurance).not.toBe(files["defaults.csv"]);
    expect(() => buildPriceBook({ ...files, "defaults.csv": insurance }, manifest)).toThrow(
      /rests only on unverified sources, so its confidence must be low/,
    );
  });

  it("SOURCES.md carries the register generated from sources.csv (one truth)", () => {
    const records = [...readSources(files["sources.csv"]).values()];
    expect(registerInSourcesMd(readFileSync(SOURCES_MD_PATH, "utf8"))).toBe(registerSection(records));
  });

  it("renders provenance in people's words: publisher and title, confidence, link; unverified said so", () => {
    const book = buildPriceBook(files, manifest);
    const region = book.regions.find((item) => item.code === "US-AL");
    const price = region?.electricity.find((item) => item.customerClass === "industrial")?.usdPerKwh;
    expect(price).toBeDefined();
    const words = provenanceInWords(price ?? { source: "" }, book.sources);
    expect(words.line).toMatch(/^U\.S\. EIA, .*Electric Power Annual.* · high confidence$/);
    expect(words.url).toMatch(/^https:\/\/eia\.gov\//);
    expect(words.unverified).toBe(false);
    const insurance = book.defaults.find((item) => item.key === "build.insurancePerYear")?.figure;
    const unverified = provenanceInWords(insurance ?? { source: "" }, book.sources);
    expect(unverified.unverified).toBe(true);
    expect(unverified.line).toContain("unverified source");
    // No file names, line numbers or repository paths in what people read, for any figure of the book.
    const internal =
      /\.csv\b|\bline \d|github\.com\/|@[0-9a-f]{7}|docs\/research|packages\/catalog|(?<![\w./-])[A-Za-z0-9][\w-]{2,}\/[A-Za-z0-9][\w.]*-[\w.-]+/;
    const shown: string[] = [];
    const walk = (value: unknown) => {
      if (Array.isArray(value)) value.forEach(walk);
      else if (value && typeof value === "object") {
        const record = value as Record<string, unknown>;
        if (Array.isArray(record.sourceIds) && typeof record.source === "string") {
          const words = provenanceInWords(record as { source: string; sourceIds: string[] }, book.sources);
          shown.push(`${words.line} | ${words.trail}`);
        }
        Object.values(record).forEach(walk);
      }
    };
    walk({ ...book, sources: [] });
    expect(shown.length).toBeGreaterThan(1000);
    expect(shown.filter((text) => internal.test(text))).toEqual([]);
  });
});
