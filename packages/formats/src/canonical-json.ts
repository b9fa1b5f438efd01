/**
 * Canonical JSON in the manner of RFC 8785 (JCS): object keys sorted by UTF-16 code units, keys
 * whose value is undefined left out, numbers and strings as ECMAScript's JSON.stringify writes
 * them (which is what JCS prescribes for finite numbers). The same content always gives the same
 * text regardless of key order: request hashes, plan input hashes, proposal content hashes and
 * the price book's `contentHash` are all taken over it.
 *
 * Keys are written in sorted order by this function itself (not by building a sorted object and
 * stringifying it), because JavaScript enumerates integer-like keys ("2", "10") numerically.
 *
 * @param indent spaces per level, as JSON.stringify's third argument (0: no whitespace)
 */
export function canonicalJson(value: unknown, indent = 0): string {
  return write(value, indent > 0 ? " ".repeat(indent) : "", "");
}

function write(value: unknown, step: string, at: string): string {
  if (value === null || typeof value !== "object") {
    const text = JSON.stringify(value);
    return text === undefined ? "null" : text;
  }
  const inner = at + step;
  const open = step ? `\n${inner}` : "";
  const close = step ? `\n${at}` : "";
  const separator = step ? `,\n${inner}` : ",";
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    return `[${open}${value.map((item) => write(item, step, inner)).join(separator)}${close}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record)
    .filter((key) => record[key] !== undefined && typeof record[key] !== "function")
    .sort();
  if (keys.length === 0) return "{}";
  const colon = step ? ": " : ":";
  return `{${open}${keys.map((key) => `${JSON.stringify(key)}${colon}${write(record[key], step, inner)}`).join(separator)}${close}}`;
}
