import { type Table, neutralise, numberText, wellFormed } from "./table.ts";

/** UTF-8 byte order mark: makes Excel read the CSV as UTF-8. */
export const UTF8_BOM = "\uFEFF";

/** RFC 4180 quoting: a field with a quote, comma, CR or LF is quoted, quotes doubled. */
function quoteField(raw: string): string {
  const text = wellFormed(raw);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * A table as CSV (RFC 4180, CRLF line ends, UTF-8 BOM). Text cells are neutralised against
 * formula injection before quoting (quoting alone is no defence: the spreadsheet evaluates the
 * unquoted value); number cells are written bare, so `-5` stays numeric; null is an empty field.
 */
export function toCsv(table: Table): string {
  const lines = [table.columns.map((column) => quoteField(neutralise(column.header))).join(",")];
  for (const row of table.rows) {
    lines.push(
      table.columns
        .map((column, index) => {
          const value = row[index] ?? null;
          if (value === null) return "";
          if (column.type === "number" && typeof value === "number") return numberText(value);
          return quoteField(neutralise(String(value)));
        })
        .join(","),
    );
  }
  return `${UTF8_BOM}${lines.join("\r\n")}\r\n`;
}
