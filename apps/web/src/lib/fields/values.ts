/** Typed text ↔ the scenario's numbers: parsing what the person typed, and the schema's messages in their units. */
import type { FieldDef } from "./definitions.ts";

/**
 * Parses a typed value into the number the scenario takes: thousands separators and spaces
 * removed, percent fields divided by 100. Returns the raw text when it is not a number (the
 * shared schema then says so, naming the field), and undefined for an empty field.
 * @param text what the user typed
 * @param def the field's definition
 */
export function parseFieldValue(text: string | undefined, def: Pick<FieldDef, "percent">): number | string | undefined {
  if (text === undefined) return undefined;
  const trimmed = text.trim();
  if (trimmed === "") return undefined;
  const cleaned = trimmed
    .replace(/[,\s_]/g, "")
    .replace(/%$/, "")
    .replace(/^\$/, "")
    .replace("−", "-");
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(cleaned)) return trimmed;
  const value = Number(cleaned);
  if (!Number.isFinite(value)) return trimmed;
  return def.percent ? value / 100 : value;
}

/** A number as the person would type it: thousands separators, a real minus sign. */
function typedNumber(text: string): string {
  const value = Number(text);
  if (!Number.isFinite(value)) return text;
  const shown =
    Math.abs(value) >= 1e15 ? value.toExponential(2) : value.toLocaleString("en-US", { maximumFractionDigits: 6 });
  return shown.replace("-", "−");
}

/**
 * Rewrites a schema message in plain words and in the unit the person typed (issue 18 item 5):
 * `missing: expected a number between 0 and 1` on a percent field → `Enter a number between 0 and
 * 100 % (required)`; `expected a number >= -0.99, got -1.5` → `Enter a number of at least −99 %;
 * you typed −150 %`. Messages of another shape are returned unchanged.
 * @param message the shared schema's message (fractions)
 * @param def the field's definition
 */
export function messageInFieldUnits(message: string, def: Pick<FieldDef, "percent">): string {
  const shape = /^(missing: )?expected (.+?)(?:, got (.+))?$/.exec(message);
  if (!shape) return message;
  const [, missing, expected = "", got] = shape;
  const number = (text: string): string => {
    if (!def.percent) return typedNumber(text);
    return `${typedNumber(String(Number((Number(text) * 100).toPrecision(10))))} %`;
  };
  let body = expected
    .replace(
      /(between |and |>= |<= |> |< )(-?\d+(?:\.\d+)?(?:e[-+]?\d+)?)(?![\d"])/gi,
      (_m, op: string, n: string) => `${op}${number(n)}`,
    )
    .replace(/>= /g, "of at least ")
    .replace(/<= /g, "of at most ")
    .replace(/> /g, "above ")
    .replace(/< /g, "below ");
  if (def.percent) body = body.replace(/between (\S+) % and/, "between $1 and");
  if (missing || got === undefined || got === "nothing") return `Enter ${body} (required)`;
  const typed = /^-?\d+(?:\.\d+)?(?:e[-+]?\d+)?$/i.test(got) ? number(got) : got;
  return `Enter ${body}; you typed ${typed}`;
}
