import { csvText } from "@aifp/formats";
import { type Table, numberText } from "./table.ts";

/** UTF-8 byte order mark: makes Excel read the CSV as UTF-8. */
export const UTF8_BOM = "\uFEFF";

/**
 * A table as CSV (RFC 4180, CRLF line ends, UTF-8 BOM). Text cells are neutralised against
 * formula injection before quoting (quoting alone is no defence: the spreadsheet evaluates the
 * unquoted value); number cells are written bare, so `-5` stays numeric; null is an empty field.
 */
export function toCsv(table: Table): string {
  const lines = [table.columns.map((column) => csvText(column.header)).join(",")];
  for (const row of table.rows) {
    lines.push(
      table.columns
        .map((column, index) => {
          const value = row[index] ?? null;
          if (value === null) return "";
          if (column.type === "number" && typeof value === "number") return numberText(value);
          return csvText(String(value));
        })
        .join(","),
    );
  }
  return `${UTF8_BOM}${lines.join("\r\n")}\r\n`;
}
