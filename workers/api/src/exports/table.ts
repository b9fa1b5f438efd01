/**
 * A table for export: typed columns, so numbers stay numbers in CSV and XLSX and only text
 * cells are neutralised against formula injection.
 */
export type ColumnType = "text" | "number";

export interface Column {
  /** Header with its unit, e.g. `capexUsd (USD)`. */
  header: string;
  type: ColumnType;
}

/** A cell: a string in a text column, a finite number in a number column, or null (empty). */
export type CellValue = string | number | null;

export interface Table {
  /** Sheet name (XLSX) or file stem (CSV). */
  name: string;
  columns: Column[];
  rows: CellValue[][];
}

// The formula-injection guard and UTF-16 clean-up are shared with the catalog import and the CLI.
export { FORMULA_TRIGGERS, neutralise, wellFormed } from "@aifp/formats";

/** Shortest round-trip decimal of a finite number; non-finite values are an empty cell. */
export function numberText(value: number): string {
  if (!Number.isFinite(value)) return "";
  return Object.is(value, -0) ? "0" : String(value);
}
