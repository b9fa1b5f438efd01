import * as v from "valibot";

/** One parsed CSV record with the 1-based line it starts on. */
export interface CsvRecord {
  line: number;
  cells: string[];
}

/**
 * A row of a catalog CSV that does not pass validation: names the file, the 1-based line,
 * the column (by header name and 1-based position) and what was expected.
 */
export class CatalogRowError extends Error {
  readonly file: string;
  readonly line: number;
  readonly column: string;
  readonly columnNumber: number;
  constructor(file: string, line: number, column: string, columnNumber: number, problem: string) {
    super(`${file}:${line}: column "${column}" (${columnNumber}): ${problem}`);
    this.name = "CatalogRowError";
    this.file = file;
    this.line = line;
    this.column = column;
    this.columnNumber = columnNumber;
  }
}

/**
 * Parse RFC 4180 CSV: quoted fields may hold commas, doubled quotes and line breaks; CRLF or LF.
 * Each record keeps the line it starts on, so errors can point at the file line.
 */
export function parseCsv(file: string, text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let cells: string[] = [];
  let cell = "";
  let inQuotes = false;
  let line = 1;
  let recordLine = 1;
  let cellStarted = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    if (inQuotes) {
      if (char === '"') {
        if (text[index + 1] === '"') {
          cell += '"';
          index += 1;
        } else {
          inQuotes = false;
        }
      } else {
        if (char === "\n") line += 1;
        cell += char;
      }
      continue;
    }
    if (char === '"') {
      if (cell.length > 0) {
        throw new CatalogRowError(
          file,
          line,
          `#${cells.length + 1}`,
          cells.length + 1,
          "a quote inside an unquoted field",
        );
      }
      inQuotes = true;
      cellStarted = true;
    } else if (char === ",") {
      cells.push(cell);
      cell = "";
      cellStarted = true;
    } else if (char === "\n" || char === "\r") {
      if (char === "\r" && text[index + 1] === "\n") index += 1;
      if (cellStarted || cell.length > 0 || cells.length > 0) {
        cells.push(cell);
        records.push({ line: recordLine, cells });
      }
      cells = [];
      cell = "";
      cellStarted = false;
      line += 1;
      recordLine = line;
    } else {
      cell += char;
      cellStarted = true;
    }
  }
  if (inQuotes)
    throw new CatalogRowError(
      file,
      recordLine,
      `#${cells.length + 1}`,
      cells.length + 1,
      "an unterminated quoted field",
    );
  if (cellStarted || cell.length > 0 || cells.length > 0) {
    cells.push(cell);
    records.push({ line: recordLine, cells });
  }
  return records;
}

/** A validated row: the typed output plus the line it came from. */
export interface Validated<TRow> {
  line: number;
  row: TRow;
}

/**
 * Parse a CSV and validate every row against a valibot object schema keyed by header name.
 * The header must hold exactly the schema's columns (in any order). The first problem throws a
 * {@link CatalogRowError} naming file, line and column.
 */
export function readCsv<TSchema extends v.ObjectSchema<v.ObjectEntries, v.ErrorMessage<v.ObjectIssue> | undefined>>(
  file: string,
  text: string,
  schema: TSchema,
): Validated<v.InferOutput<TSchema>>[] {
  const records = parseCsv(file, text);
  const header = records[0];
  if (!header) throw new CatalogRowError(file, 1, "(header)", 1, "the file is empty; expected a header row");
  const columns = header.cells.map((name) => name.trim());
  const expected = Object.keys(schema.entries);
  for (const name of expected) {
    // A column whose schema is optional may be absent from the header (e.g. `source_ids` before a file is converted).
    if (!columns.includes(name) && schema.entries[name]?.type !== "optional") {
      throw new CatalogRowError(
        file,
        header.line,
        name,
        columns.length + 1,
        `missing column; expected the header to include "${name}"`,
      );
    }
  }
  columns.forEach((name, index) => {
    if (!expected.includes(name)) {
      throw new CatalogRowError(
        file,
        header.line,
        name,
        index + 1,
        `unknown column; expected one of ${expected.join(", ")}`,
      );
    }
    if (columns.indexOf(name) !== index)
      throw new CatalogRowError(file, header.line, name, index + 1, "duplicate column");
  });
  const out: Validated<v.InferOutput<TSchema>>[] = [];
  for (const record of records.slice(1)) {
    if (record.cells.length !== columns.length) {
      const column = Math.min(record.cells.length, columns.length);
      throw new CatalogRowError(
        file,
        record.line,
        columns[column] ?? columns.at(-1) ?? "(row)",
        column + 1,
        `expected ${columns.length} fields, found ${record.cells.length}`,
      );
    }
    const raw: Record<string, string> = {};
    columns.forEach((name, index) => {
      raw[name] = record.cells[index] ?? "";
    });
    const result = v.safeParse(schema, raw);
    if (!result.success) {
      const issue = result.issues[0];
      const pathKey: unknown = issue.path?.[0]?.key;
      const key = typeof pathKey === "string" ? pathKey : "(row)";
      const columnIndex = columns.indexOf(key);
      throw new CatalogRowError(
        file,
        record.line,
        key,
        columnIndex + 1,
        `${issue.message} (got ${JSON.stringify(raw[key] ?? "")})`,
      );
    }
    out.push({ line: record.line, row: result.output });
  }
  return out;
}

// Column schemas. Cells arrive as strings; blanks mean "not given".

/** A required, non-blank text cell (trimmed). */
export const text = () =>
  v.pipe(
    v.string(),
    v.transform((value) => value.trim()),
    v.minLength(1, "expected a non-empty value"),
  );

/** An optional text cell: blank → null. */
export const optText = () =>
  v.pipe(
    v.string(),
    v.transform((value) => (value.trim() === "" ? null : value.trim())),
  );

const NUMBER = /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/;

/** A required number cell, optionally bounded; "expected a number" otherwise. */
export const num = (options: { min?: number; max?: number; integer?: boolean } = {}) =>
  v.pipe(
    v.string(),
    v.transform((value) => value.trim()),
    v.regex(NUMBER, options.integer ? "expected a whole number" : "expected a number"),
    v.transform(Number),
    v.check((value) => !options.integer || Number.isInteger(value), "expected a whole number"),
    v.check((value) => options.min === undefined || value >= options.min, `expected a number ≥ ${options.min}`),
    v.check((value) => options.max === undefined || value <= options.max, `expected a number ≤ ${options.max}`),
  );

/** An optional number cell: blank → null, else as {@link num}. */
export const optNum = (options: { min?: number; max?: number; integer?: boolean } = {}) =>
  v.pipe(
    v.string(),
    v.transform((value) => value.trim()),
    v.check(
      (value) => value === "" || NUMBER.test(value),
      options.integer ? "expected a whole number or a blank" : "expected a number or a blank",
    ),
    v.transform((value) => (value === "" ? null : Number(value))),
    v.check((value) => value === null || !options.integer || Number.isInteger(value), "expected a whole number"),
    v.check(
      (value) => value === null || options.min === undefined || value >= options.min,
      `expected a number ≥ ${options.min}`,
    ),
    v.check(
      (value) => value === null || options.max === undefined || value <= options.max,
      `expected a number ≤ ${options.max}`,
    ),
  );

/** One of a fixed set of values. */
export const oneOf = <const TValues extends readonly [string, ...string[]]>(values: TValues) =>
  v.pipe(
    v.string(),
    v.transform((value) => value.trim()),
    v.picklist(values, `expected one of ${values.join(", ")}`),
  );

/** An ISO 8601 date at year, month, day or half-year precision ("2024", "2025-09", "2026-10-10", "2026-H2"). */
export const isoDate = () =>
  v.pipe(
    v.string(),
    v.transform((value) => value.trim()),
    v.regex(
      /^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?|-H[12])?$/,
      "expected a date YYYY, YYYY-MM or YYYY-MM-DD",
    ),
  );

/** An optional ISO date: blank → null. */
export const optIsoDate = () =>
  v.pipe(
    v.string(),
    v.transform((value) => value.trim()),
    v.check(
      (value) => value === "" || /^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?|-H[12])?$/.test(value),
      "expected a date YYYY, YYYY-MM or YYYY-MM-DD, or a blank",
    ),
    v.transform((value) => (value === "" ? null : value)),
  );

/** A confidence tag cell: high / medium / low. */
export const confidence = () => oneOf(["high", "medium", "low"] as const);
