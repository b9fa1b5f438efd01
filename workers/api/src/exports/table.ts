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

/**
 * Characters that make a spreadsheet treat a text cell as a formula or a command (OWASP CSV
 * Injection, CWE-1236, ASVS 5.0 §1.2.10): `= + - @`, tab, CR, NUL, and their full-width forms.
 */
export const FORMULA_TRIGGERS = /^[=+\-@\t\r\0\uFF1D\uFF0B\uFF0D\uFF20]/;

/**
 * Neutralise a text cell: prefix a single quote when it starts with a trigger, so Excel, Google
 * Sheets and LibreOffice show it as text. Numbers never pass through here (`-5` stays a number).
 */
export function neutralise(text: string): string {
  return FORMULA_TRIGGERS.test(text) ? `'${text}` : text;
}

/** Shortest round-trip decimal of a finite number; non-finite values are an empty cell. */
export function numberText(value: number): string {
  if (!Number.isFinite(value)) return "";
  return Object.is(value, -0) ? "0" : String(value);
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Replace lone UTF-16 surrogates with U+FFFD: they cannot be encoded as UTF-8, and some runtimes
 * would otherwise emit invalid byte sequences into the file.
 */
export function wellFormed(text: string): string {
  return text.replace(LONE_SURROGATE, "\uFFFD");
}
