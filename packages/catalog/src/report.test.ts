import { describe, expect, it } from "vitest";
import { priceBook } from "./index.ts";
import { coverageReport } from "./report.ts";

describe("coverageReport", () => {
  const report = coverageReport(priceBook);

  it("is deterministic and names the version it covers", () => {
    expect(coverageReport(priceBook)).toBe(report);
    expect(report).toContain(`# Catalog coverage — price book ${priceBook.version}`);
  });

  it("shows measured pairs, SKU price and power status, and the remaining gaps", () => {
    expect(report).toMatch(/\| B200-SXM-180GB \| 7\/7\/0 \|/);
    expect(report).toContain(
      "| nvidia-dgx-h100 | H100-SXM-80GB | 8 | $270,000 | published (medium) | 10.2 | published (medium) | 8 |",
    );
    expect(report).toContain("## Largest remaining gaps");
    expect(report).toMatch(/Server prices\*\*: \d+ of \d+ SKUs have no price/);
  });
});
