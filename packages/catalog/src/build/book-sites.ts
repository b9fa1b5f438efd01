// Price-book sections: regions (electricity and grid carbon) and facility figures (moved verbatim from book.ts).
import type { FacilityFigure, Figure, RangeFigure, Region } from "../types.ts";
import { slug } from "../slug.ts";
import type { BookContext } from "./book-context.ts";
import { byKey, figure, parseConfidenceTag, unique } from "./book-figures.ts";
import { CatalogRowError } from "./csv.ts";
import * as S from "./schemas.ts";

export function readRegions({ read, idsAt }: BookContext): Region[] {
  // --- regions -----------------------------------------------------------------------------
  const energyRows = read("energy.csv", S.EnergyRow);
  unique("energy.csv", energyRows, (row) => `${row.region_code}|${row.customer_class}`, "customer_class");
  const regionMap = new Map<string, Region>();
  for (const { line, row } of energyRows) {
    const file = "energy.csv";
    let region = regionMap.get(row.region_code);
    if (!region) {
      region = {
        code: row.region_code,
        name: row.region_name,
        electricity: [],
        defaultCustomerClass: null,
        gridCarbonGPerKwh: null,
        gridCarbonAltGPerKwh: null,
        notes: row.notes,
      };
      regionMap.set(row.region_code, region);
    }
    if (row.price_usd_per_kwh !== null) {
      if (row.year === null) throw new CatalogRowError(file, line, "year", 5, "a price needs its data year");
      const tag = parseConfidenceTag(row.confidence, "price");
      if (!tag)
        throw new CatalogRowError(
          file,
          line,
          "confidence",
          16,
          "expected a confidence tag for the price (high, medium or low)",
        );
      region.electricity.push({
        customerClass: row.customer_class,
        usdPerKwh: figure(
          row.price_usd_per_kwh,
          "USD per kWh",
          `energy.csv line ${line}: ${row.source}`,
          String(row.year),
          tag,
          null,
          idsAt("energy.csv", line),
        ),
        priceLocal: row.price_local,
        currency: row.currency,
        pricePeriod: row.price_period,
        priceBasis: row.price_basis,
      });
    }
    if (row.grid_carbon_g_per_kwh !== null) {
      if (row.grid_carbon_year === null)
        throw new CatalogRowError(file, line, "grid_carbon_year", 13, "a carbon figure needs its year");
      const carbon = figure(
        row.grid_carbon_g_per_kwh,
        "gCO2 per kWh",
        `energy.csv line ${line}: ${row.grid_carbon_source ?? row.source}`,
        String(row.grid_carbon_year),
        parseConfidenceTag(row.confidence, "carbon") ?? "medium",
        null,
        idsAt("energy.csv", line),
      );
      if (region.gridCarbonGPerKwh && region.gridCarbonGPerKwh.value !== carbon.value) {
        throw new CatalogRowError(
          file,
          line,
          "grid_carbon_g_per_kwh",
          6,
          `conflicts with ${region.gridCarbonGPerKwh.value} on an earlier row of ${row.region_code}`,
        );
      }
      region.gridCarbonGPerKwh ??= carbon;
    }
    if (row.grid_carbon_alt_electricitymaps_2024 !== null && region.gridCarbonAltGPerKwh === null) {
      region.gridCarbonAltGPerKwh = figure(
        row.grid_carbon_alt_electricitymaps_2024,
        "gCO2 per kWh (Electricity Maps 2024, consumption-based lifecycle)",
        `energy.csv line ${line}: Electricity Maps yearly average 2024 (co2.js)`,
        "2024",
        "medium",
      );
    }
  }
  const regions = byKey([...regionMap.values()], (region) => region.code).map((region) => {
    const industrial = region.electricity.find((price) => price.customerClass === "industrial");
    region.electricity = byKey(region.electricity, (price) => price.customerClass);
    region.defaultCustomerClass = industrial?.customerClass ?? region.electricity[0]?.customerClass ?? null;
    return region;
  });
  return regions;
}

export function readFacility({ read, idsAt }: BookContext): FacilityFigure[] {
  // --- facility ------------------------------------------------------------------------------
  const facilityRows = read("facility.csv", S.FacilityRow);
  const facility: FacilityFigure[] = facilityRows.map(({ line, row }) => {
    const file = "facility.csv";
    const source = `facility.csv line ${line}: ${row.source}`;
    const facilityIds = idsAt("facility.csv", line);
    let unit = row.unit;
    let scale = 1;
    if (unit.startsWith("%")) {
      // Fractions 0–1 inside the product (docs/architecture.md convention 1).
      unit = `fraction${unit.slice(1)}`;
      scale = 0.01;
    }
    let single: Figure | null = null;
    let range: RangeFigure | null = null;
    if (row.value !== "") {
      if (row.year === null) throw new CatalogRowError(file, line, "year", 6, "a value needs its year");
      const tag = parseConfidenceTag(row.confidence);
      if (!tag)
        throw new CatalogRowError(file, line, "confidence", 9, "expected a confidence tag (high, medium or low)");
      const asOf = String(row.year);
      const rangeMatch = /^(-?\d+(?:\.\d+)?)-(\d+(?:\.\d+)?)$/.exec(row.value);
      if (rangeMatch?.[1] !== undefined && rangeMatch[2] !== undefined) {
        const low = Number(rangeMatch[1]) * scale;
        const high = Number(rangeMatch[2]) * scale;
        range = {
          low: figure(low, unit, source, asOf, tag, null, facilityIds),
          high: figure(high, unit, source, asOf, tag, null, facilityIds),
        };
        single = figure(
          (low + high) / 2,
          unit,
          source,
          asOf,
          tag,
          `midpoint of the published range ${row.value} ${row.unit}`,
          facilityIds,
        );
      } else {
        single = figure(
          Number(row.value) * scale,
          unit,
          source,
          asOf,
          tag,
          scale === 1 ? null : `published ${row.value}${row.unit.slice(0, 1)} as a fraction`,
          facilityIds,
        );
      }
    }
    return {
      id: slug(
        row.category,
        (row.market_or_cooling_type.split("(")[0] ?? "").slice(0, 32),
        row.year === null ? "gap" : String(row.year),
      ),
      category: row.category,
      item: row.item,
      market: row.market_or_cooling_type,
      figure: single,
      range,
      sourceUrl: row.source_url,
      notes: row.notes,
    };
  });
  // Short ids (category, market, year); where two rows share them, the item disambiguates.
  const idCounts = new Map<string, number>();
  for (const item of facility) idCounts.set(item.id, (idCounts.get(item.id) ?? 0) + 1);
  const facilityIds = new Set<string>();
  facility.forEach((item, index) => {
    if ((idCounts.get(item.id) ?? 0) > 1) item.id = slug(item.id, item.item.split(/\s+/).slice(0, 3).join(" "));
    if (facilityIds.has(item.id))
      throw new CatalogRowError("facility.csv", facilityRows[index]?.line ?? 0, "item", 2, `duplicate id ${item.id}`);
    facilityIds.add(item.id);
  });
  return facility;
}
