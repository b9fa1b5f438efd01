/**
 * `--quotes FILE` of `planner evaluate | optimise | risk`: an organisation's custom quotes, as the
 * API returns them (`GET /api/v1/quotes` page `{ "data": [...] }`, or a JSON array of `Quote`
 * objects), applied offline through the same resolver the API uses, so an analyst gets the
 * figures the organisation's plans get. Validity is the resolver's: a quote applies while its
 * `validUntil` is on or after the first day of the scenario's `startMonth`.
 */
import { findCloudOffer, findServer, priceBook, type OrgQuote } from "@aifp/catalog";
import type { FieldIssue } from "@aifp/contracts";
import { EXIT } from "../command.ts";
import type { CliIo } from "../io.ts";
import { readJsonInput } from "./plan-input.ts";

/** Help text shared by the three commands. */
export const QUOTES_HELP = `  --quotes FILE   apply your organisation's custom quotes: the JSON of GET /api/v1/quotes
                  ({"data": [...]}) or an array of quotes in that shape (targetKind "sku" or
                  "offer", targetId, unitPriceUsd or null, discount 0-1, validUntil YYYY-MM-DD).
                  A quote replaces the public price while valid on the scenario's first month;
                  usedFigures then say origin "quote".`;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function isCalendarDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

/** The result of parsing a quotes file: the quotes, or every problem with its path. */
export type ParsedQuotes = { ok: true; quotes: OrgQuote[] } | { ok: false; issues: FieldIssue[] };

/**
 * Check a quotes document and turn it into the resolver's `OrgQuote` records. Accepts a
 * `GET /quotes` page (`{ data: [...] }`; `nextCursor` and other keys ignored) or a bare array.
 * Each quote needs `id`, `targetKind` (`sku` | `offer`), `targetId`, `unitPriceUsd` (> 0, or null
 * / absent for a discount on the public price), `discount` (0 <= d < 1, default 0) and
 * `validUntil` (a real date, YYYY-MM-DD); `note` is optional; the API's computed fields
 * (`targetName`, `effectiveUnitPriceUsd`, …) are ignored.
 * @param json the parsed file
 * @param orgLabel what the used figures' source names as the organisation (e.g. the file name)
 */
export function parseQuotesDocument(json: unknown, orgLabel: string): ParsedQuotes {
  const issues: FieldIssue[] = [];
  let items: unknown[];
  let prefix: string;
  if (Array.isArray(json)) {
    items = json;
    prefix = "";
  } else if (isRecord(json) && Array.isArray(json.data)) {
    items = json.data;
    prefix = "data.";
  } else {
    return {
      ok: false,
      issues: [{ path: "", message: 'expected a JSON array of quotes, or a GET /api/v1/quotes page {"data": [...]}' }],
    };
  }
  const quotes: OrgQuote[] = [];
  const seen = new Set<string>();
  items.forEach((item, index) => {
    const at = (field: string) => `${prefix}${index}${field ? `.${field}` : ""}`;
    if (!isRecord(item)) {
      issues.push({ path: at(""), message: "expected a quote object" });
      return;
    }
    const before = issues.length;
    const { id, targetKind, targetId, unitPriceUsd, discount, validUntil, note } = item;
    if (typeof id !== "string" || id.length === 0) issues.push({ path: at("id"), message: "expected a quote id" });
    else if (seen.has(id)) issues.push({ path: at("id"), message: `quote "${id}" appears twice` });
    else seen.add(id);
    if (targetKind !== "sku" && targetKind !== "offer")
      issues.push({ path: at("targetKind"), message: 'expected "sku" (a server SKU) or "offer" (a cloud offer)' });
    if (typeof targetId !== "string" || targetId.length === 0)
      issues.push({ path: at("targetId"), message: "expected the id of a server or cloud offer of the price book" });
    if (
      unitPriceUsd !== undefined &&
      unitPriceUsd !== null &&
      (typeof unitPriceUsd !== "number" || !Number.isFinite(unitPriceUsd) || unitPriceUsd <= 0)
    )
      issues.push({ path: at("unitPriceUsd"), message: "expected a number of USD > 0, or null" });
    if (
      discount !== undefined &&
      (typeof discount !== "number" || !Number.isFinite(discount) || discount < 0 || discount >= 1)
    )
      issues.push({ path: at("discount"), message: "expected a fraction 0 <= discount < 1" });
    if (typeof validUntil !== "string" || !isCalendarDate(validUntil))
      issues.push({ path: at("validUntil"), message: "expected a real calendar date YYYY-MM-DD" });
    if (note !== undefined && note !== null && typeof note !== "string")
      issues.push({ path: at("note"), message: "expected a string or null" });
    if ((unitPriceUsd === undefined || unitPriceUsd === null) && (discount === undefined || discount === 0))
      issues.push({ path: at("unitPriceUsd"), message: "expected a unit price, a discount, or both" });
    if (issues.length > before) return;
    quotes.push({
      id: id as string,
      orgId: orgLabel,
      target: { kind: targetKind as "sku" | "offer", id: targetId as string },
      unitPriceUsd: (unitPriceUsd as number | null | undefined) ?? null,
      discount: (discount as number | undefined) ?? 0,
      validUntil: validUntil as string,
      note: (note as string | null | undefined) ?? null,
    });
  });
  return issues.length > 0 ? { ok: false, issues } : { ok: true, quotes };
}

/** Quotes whose target the public book does not have: they can never apply (a note says so). */
export function quotesOutsideBook(quotes: readonly OrgQuote[]): OrgQuote[] {
  return quotes.filter((quote) =>
    quote.target.kind === "sku"
      ? findServer(priceBook, quote.target.id) === undefined
      : findCloudOffer(priceBook, quote.target.id) === undefined,
  );
}

/**
 * Read `--quotes FILE` (no flag: no quotes). An unreadable file, invalid JSON or an invalid quote
 * is printed on stderr, one problem per line naming the field, and gives exit code 2.
 */
export async function readQuotesFlag(
  command: string,
  source: string | undefined,
  io: CliIo,
): Promise<{ ok: true; quotes: OrgQuote[] } | { ok: false; code: number }> {
  if (source === undefined) return { ok: true, quotes: [] };
  const input = await readJsonInput(command, source, io, "quotes file");
  if (!input.ok) return input;
  const parsed = parseQuotesDocument(input.json, `quotes file ${input.label}`);
  if (!parsed.ok) {
    io.stderr(
      `planner ${command}: the quotes in ${input.label} are invalid (${parsed.issues.length} problem${parsed.issues.length === 1 ? "" : "s"}):\n${parsed.issues
        .map((issue) => `  ${issue.path ? `${issue.path}: ` : ""}${issue.message}`)
        .join("\n")}\n`,
    );
    return { ok: false, code: EXIT.invalid };
  }
  for (const quote of quotesOutsideBook(parsed.quotes))
    io.stderr(
      `planner ${command}: note: quote ${quote.id} is for ${quote.target.kind === "sku" ? "server" : "cloud offer"} "${quote.target.id}", which price book ${priceBook.version} does not have: it cannot apply\n`,
    );
  return { ok: true, quotes: parsed.quotes };
}
