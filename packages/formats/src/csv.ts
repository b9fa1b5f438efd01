/**
 * CSV (RFC 4180) with the formula-injection guard: the one writer of the API's exports, the
 * catalog import and the CLI. Quoting alone is no defence (a spreadsheet evaluates the unquoted
 * value), so text that starts like a formula is neutralised first.
 */

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

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Replace lone UTF-16 surrogates with U+FFFD: they cannot be encoded as UTF-8, and some runtimes
 * would otherwise emit invalid byte sequences into the file.
 */
export function wellFormed(text: string): string {
  return text.replace(LONE_SURROGATE, "\uFFFD");
}

/** RFC 4180 quoting: a field with a quote, comma, CR or LF is quoted, quotes doubled. */
export function quoteCsvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A text cell, guarded and quoted: well-formed UTF-16, neutralised, then RFC 4180 quoted. */
export function csvText(text: string): string {
  return quoteCsvField(neutralise(wellFormed(text)));
}

/** Shortest round-trip decimal of a number (-0 as "0"); a non-finite number is an empty cell. */
function numberText(value: number): string {
  if (!Number.isFinite(value)) return "";
  return Object.is(value, -0) ? "0" : String(value);
}

/**
 * One CSV line (no line end): numbers bare (so `-5` stays numeric), null and undefined empty,
 * every string through `csvText`.
 */
export function csvLine(cells: readonly (string | number | null | undefined)[]): string {
  return cells
    .map((cell) =>
      cell === null || cell === undefined ? "" : typeof cell === "number" ? numberText(cell) : csvText(cell),
    )
    .join(",");
}
