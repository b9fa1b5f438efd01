/**
 * The hardware-generations roadmap as the optimiser reads it: a generation's first availability
 * ("2025", "2025-07", "2026-H2", "2027-Q3", as `generations.csv` records it at the precision its
 * source gives) as the first calendar month it can be bought, "YYYY-MM".
 */
import type { Generation, PriceBook } from "./types.ts";

/**
 * The first month of a roadmap period, "YYYY-MM": "2025" → "2025-01", "2025-07" → "2025-07",
 * "2026-H2" → "2026-07", "2027-Q3" → "2027-07". The one place this conversion lives: the
 * optimiser's `availableFrom`, the API and the web app all call it.
 *
 * Convention: a period's *first* month (a part announced for "H2" may be bought from July), the
 * optimistic reading; a later month can always be given inline as `availableFrom`.
 * @throws Error naming the text when it is none of these shapes.
 */
export function firstAvailableMonth(text: string): string {
  const trimmed = text.trim();
  const half = /^(\d{4})-H([12])$/i.exec(trimmed);
  if (half) return `${half[1]}-${half[2] === "1" ? "01" : "07"}`;
  const quarter = /^(\d{4})-Q([1-4])$/i.exec(trimmed);
  if (quarter) return `${quarter[1]}-${String((Number(quarter[2]) - 1) * 3 + 1).padStart(2, "0")}`;
  if (/^\d{4}$/.test(trimmed)) return `${trimmed}-01`;
  if (/^\d{4}-(0[1-9]|1[0-2])$/.test(trimmed)) return trimmed;
  throw new Error(
    `unexpected roadmap date "${text}": expected "YYYY", "YYYY-MM", "YYYY-H1", "YYYY-H2" or "YYYY-Q1" … "YYYY-Q4"`,
  );
}

/**
 * The generation an accelerator belongs to (from its datasheet row, or its key-only row for
 * announced parts), or undefined when the book does not know the accelerator or its generation.
 */
export function generationOfAccelerator(book: PriceBook, acceleratorKey: string): Generation | undefined {
  const key =
    book.accelerators.find((item) => item.key === acceleratorKey)?.generation ??
    book.acceleratorKeysWithoutSpec.find((item) => item.key === acceleratorKey)?.generation;
  return key === undefined ? undefined : book.generations.find((item) => item.key === key);
}
