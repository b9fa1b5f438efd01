import { readFileSync } from "node:fs";
import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import { priceBook } from "./index.ts";
import { coverageReport } from "./report.ts";

describe("coverageReport", () => {
  const report = coverageReport(priceBook);

  it("names the version it covers and counts row status as the data file says (read by papaparse)", () => {
    expect(report).toContain(`# Catalog coverage — price book ${priceBook.version}`);
    // An independent reader of the source CSV, not the price book the report was built from.
    const text = readFileSync(new URL("../data/cloud_gpu_prices.csv", import.meta.url), "utf8");
    const rows = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true }).data;
    const count = (status: string) => rows.filter((row) => row["status"] === status).length;
    expect(report).toContain(
      `Row status (ADR 016): ${count("current")} current, ${count("superseded")} superseded, ${count("outlier")} outlier.`,
    );
  });

  it("shows measured pairs, SKU price and power status, and the remaining gaps", () => {
    expect(report).toMatch(/\| B200-SXM-180GB \| 7\/7\/0 \|/);
    expect(report).toContain(
      "| nvidia-dgx-h100 | H100-SXM-80GB | 8 | $270,000 | published (medium) | 10.2 | published (medium) | 8 |",
    );
    expect(report).toContain("## Largest remaining gaps");
    expect(report).toMatch(/Server prices\*\*: \d+ of \d+ SKUs have no price/);
  });

  it("lists stale rows per table, the confidence of default figures, row status and coverage of AMD and PCIe", () => {
    expect(report).toContain("## Freshness: rows older than 6 months");
    expect(report).toMatch(/\| cloud_gpu_prices\.csv \| \d+ \| \d+ \| \d+ % \|/);
    expect(report).toContain("## Confidence of the figures the planner uses by default");
    expect(report).toMatch(/\| all of the above \| \d+ \| \d+ \(\d+ %\) \| \d+ \(\d+ %\) \| \d+ \(\d+ %\) \|/);
    expect(report).toMatch(/Row status \(ADR 016\): \d+ current, 4 superseded, 4 outlier/);
    expect(report).toMatch(/GB200 NVL72 offers \(current rows\) from [3-9] provider/);
    expect(report).toMatch(/Priced and powered: \d+ of \d+ \((9\d|100) %\)/);
    expect(report).toContain("### AMD and PCIe servers by vendor");
  });
});

describe("freshness dates", () => {
  it("reads an as-of date as its last possible day and counts six calendar months back", async () => {
    const { asOfEnd, sixMonthsBefore } = await import("./report.ts");
    expect(asOfEnd("2025")).toBe("2025-12-31");
    expect(asOfEnd("2024-02")).toBe("2024-02-29");
    expect(asOfEnd("2026-10-10")).toBe("2026-10-10");
    expect(sixMonthsBefore("2026-12-06")).toBe("2026-06-06");
  });
});
