/**
 * The monthly table of an evaluation as CSV (RFC 4180): one row per option × month, units in the
 * headers, full float64 precision (rounding is for display only), empty cells where a column
 * does not apply to an option's kind.
 */
import { csvLine } from "@aifp/formats";
import { monthLabel, type EvaluateResult } from "@aifp/kernel";

/** Columns: header (with unit) and the monthly field it reads. */
export const MONTHLY_CSV_COLUMNS = [
  ["capex_usd", "capexUsd"],
  ["resale_usd", "resaleUsd"],
  ["energy_usd", "energyUsd"],
  ["facility_usd", "facilityUsd"],
  ["maintenance_usd", "maintenanceUsd"],
  ["software_usd", "softwareUsd"],
  ["staff_usd", "staffUsd"],
  ["other_usd", "otherUsd"],
  ["lease_usd", "leaseUsd"],
  ["api_usd", "apiUsd"],
  ["cash_usd", "cashUsd"],
  ["servers", "servers"],
  ["servers_bought", "serversBought"],
  ["servers_retired", "serversRetired"],
  ["instances", "instances"],
  ["instance_price_usd_per_hour", "priceUsdPerInstanceHour"],
  ["gpus", "gpus"],
  ["utilization_fraction", "utilization"],
  ["energy_kwh", "kwh"],
  ["tokens", "tokens"],
  ["output_tokens", "outputTokens"],
] as const;

/** Renders `result`'s monthly figures as CSV text (header line first, CRLF line ends per RFC 4180). */
export function monthlyCsv(result: EvaluateResult): string {
  const header = ["option_id", "kind", "month_index", "month", ...MONTHLY_CSV_COLUMNS.map(([name]) => name)];
  const lines = [csvLine(header)];
  for (const option of result.options) {
    for (const month of option.monthly) {
      const fields = month as unknown as Record<string, unknown>;
      // Text cells (an option id from the scenario) go through the formula-injection guard.
      lines.push(
        csvLine([
          option.id,
          option.kind,
          month.month,
          monthLabel(result.startMonth, month.month),
          ...MONTHLY_CSV_COLUMNS.map(([, key]) => fields[key] as number | null | undefined),
        ]),
      );
    }
  }
  return `${lines.join("\r\n")}\r\n`;
}
