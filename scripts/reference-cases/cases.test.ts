/**
 * The reference cases (docs/reference-cases.md) hold: the page is what the script produces from
 * the current price book, and each figure stands where the page says.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  lenovoCase,
  NEOCLOUD_H100_1Y,
  NIM_SHEET,
  nimSheetCase,
  neocloudOneYear,
  OEM_B200_SKU,
  ownedCostPerGpuHour,
  ownedRows,
} from "./cases.ts";
import { formattedReferenceCases } from "./format.ts";

const page = fileURLToPath(new URL("../../docs/reference-cases.md", import.meta.url));

describe("reference cases", () => {
  it("docs/reference-cases.md is current (run `npm run reference:cases` when this fails)", async () => {
    expect(readFileSync(page, "utf8")).toBe(await formattedReferenceCases(page));
  });

  it("reproduces the NIM TCO sheet's $2.56 per GPU-hour from its stated assumptions, to the cent", () => {
    expect(Math.abs(nimSheetCase().usdPerGpuHour - NIM_SHEET.usdPerGpuHour)).toBeLessThan(0.005);
  });

  it("owned DGX H100 and H200 fall within ±25 % of the SemiAnalysis neocloud tier; GB200 NVL72 too", () => {
    const rows = new Map(ownedRows().map((row) => [row.gpu, row]));
    for (const gpu of ["H100", "H200", "GB200 NVL72"]) expect(rows.get(gpu)?.withinTolerance, gpu).toBe(true);
  });

  it("the DGX B200 row outside ±25 % is explained by its cited price: the OEM HGX B200 of the catalog is within", () => {
    const b200 = ownedRows().find((row) => row.gpu === "B200");
    const oem = ownedCostPerGpuHour(OEM_B200_SKU);
    if (b200 && !b200.withinTolerance) {
      expect(Math.abs(oem.usdPerGpuHour / b200.neocloud - 1)).toBeLessThanOrEqual(0.25);
      expect(readFileSync(page, "utf8")).toContain("B200 is outside ±25 %");
    }
  });

  it("removing the NVIDIA AI Enterprise licence and charging support after the warranty lowers every owned cost", () => {
    for (const row of ownedRows()) {
      expect(row.after.usdPerGpuHour, row.gpu).toBeLessThan(row.before.usdPerGpuHour);
      expect(row.after.lines.softwareUsd, row.gpu).toBe(0);
    }
  });

  it("the neocloud 1-year H100 rate lands in the published $2.2–2.4 band", () => {
    const { usdPerGpuHour } = neocloudOneYear();
    expect(usdPerGpuHour).toBeGreaterThanOrEqual(NEOCLOUD_H100_1Y.low);
    expect(usdPerGpuHour).toBeLessThanOrEqual(NEOCLOUD_H100_1Y.high);
  });

  it("owning pays back later against a 3-year commitment than against on-demand list prices", () => {
    const lenovo = lenovoCase();
    expect(lenovo.onDemandPaybackMonths).not.toBeNull();
    expect(lenovo.committedPaybackMonths ?? Infinity).toBeGreaterThan(lenovo.onDemandPaybackMonths as number);
  });
});
