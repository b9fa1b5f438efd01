// The second half of the refresh path (ADR 016): compare imported cloud rows with the current
// cloud_gpu_prices.csv, write the accepted rows back and print the difference (moved verbatim from import.ts).
import { csvText } from "@aifp/formats";
import { parseCsv } from "./build/csv.ts";
import { CLOUD_COLUMNS, emptyRow, rowId, type CloudColumn, type CloudRow, type ParsedImport } from "./import.ts";

export interface ChangedRow {
  id: string;
  before: CloudRow;
  after: CloudRow;
  /** Relative change of the per-GPU-hour price (after / before − 1). */
  change: number;
}

export interface ImportDiff {
  added: CloudRow[];
  changed: ChangedRow[];
  /** Same prices, newer date: the provider's list confirms the row (its as-of date moves). */
  confirmed: ChangedRow[];
  /** Current rows of the imported providers that the import no longer lists. */
  gone: CloudRow[];
  unchanged: number;
}

const PRICE_COLUMNS: CloudColumn[] = [
  "price_on_demand_usd_per_hour",
  "price_median_region_usd_per_hour",
  "price_spot_usd_per_hour",
  "price_per_gpu_hour_usd",
];

/** The first word of a source ("ewyluda/gpu-price-index", "https://…"): rows read from the same place. */
function sourceFamily(source: string): string {
  return source.trim().split(/\s+/)[0] ?? "";
}

/** Read cloud_gpu_prices.csv into rows (header checked). */
export function readCloudRows(text: string): CloudRow[] {
  const records = parseCsv("cloud_gpu_prices.csv", text);
  const header = records[0]?.cells ?? [];
  if (header.join(",") !== CLOUD_COLUMNS.join(","))
    throw new Error(`cloud_gpu_prices.csv: unexpected header ${header.join(",")}`);
  return records.slice(1).map((record) => {
    const row = emptyRow();
    CLOUD_COLUMNS.forEach((column, index) => (row[column] = record.cells[index] ?? ""));
    return row;
  });
}

/**
 * Compare imported rows with the current file by offer id. A row is changed when a price moved;
 * current rows the import covers (same provider, commitment and source family) but no longer
 * lists are `gone`.
 */
export function diffImport(current: CloudRow[], imported: CloudRow[]): ImportDiff {
  const byId = new Map(current.map((row) => [rowId(row), row] as const));
  const importedIds = new Set(imported.map((row) => rowId(row)));
  const added: CloudRow[] = [];
  const changed: ChangedRow[] = [];
  const confirmed: ChangedRow[] = [];
  let unchanged = 0;
  for (const row of imported) {
    const before = byId.get(rowId(row));
    if (!before) {
      added.push(row);
      continue;
    }
    const moved = PRICE_COLUMNS.some(
      (column) => before[column] !== "" && row[column] !== "" && Number(before[column]) !== Number(row[column]),
    );
    const change = Number(row.price_per_gpu_hour_usd) / Number(before.price_per_gpu_hour_usd) - 1;
    if (moved) changed.push({ id: rowId(row), before, after: row, change });
    else if (row.as_of > before.as_of) confirmed.push({ id: rowId(row), before, after: row, change: 0 });
    else unchanged += 1;
  }
  // A list speaks only for what it covers: the same provider, commitment and source family
  // (e.g. a gpu-price-index export does not retire AWS reserved rows read from another file).
  const covered = new Set(imported.map((row) => `${row.provider}|${row.commitment}|${sourceFamily(row.source)}`));
  const gone = current.filter(
    (row) =>
      row.status === "current" &&
      covered.has(`${row.provider}|${row.commitment}|${sourceFamily(row.source)}`) &&
      !importedIds.has(rowId(row)),
  );
  return { added, changed, confirmed, gone, unchanged };
}

/**
 * The new file text: changed rows take the imported prices, date and source in place (their id
 * stays, so saved plans keep working); added rows are appended; gone rows stay but are marked
 * `superseded` (the provider's newer list no longer has them). Line endings follow the old file.
 */
export function applyImport(currentText: string, diff: ImportDiff, asOf: string): string {
  const rows = readCloudRows(currentText);
  const changedById = new Map([...diff.changed, ...diff.confirmed].map((item) => [item.id, item.after] as const));
  const goneIds = new Set(diff.gone.map((row) => rowId(row)));
  const next = rows.map((row) => {
    const id = rowId(row);
    const after = changedById.get(id);
    if (after) {
      const merged = { ...row };
      for (const column of [...PRICE_COLUMNS, "regions_count", "region", "source", "as_of", "as_of_quality"] as const)
        if (after[column] !== "") merged[column] = after[column];
      // A new source text is cited afresh (`withSourceIds` fills the ids from it, ADR 030).
      if (merged.source !== row.source) merged.source_ids = "";
      merged.status = "current";
      merged.notes = after.notes || row.notes;
      return merged;
    }
    if (goneIds.has(id)) {
      return {
        ...row,
        status: "superseded",
        notes: `${row.notes ? `${row.notes} ` : ""}STATUS superseded: not in the provider's list imported ${asOf}.`,
      };
    }
    return row;
  });
  const eol = currentText.includes("\r\n") ? "\r\n" : "\n";
  return [
    CLOUD_COLUMNS.join(","),
    ...[...next, ...diff.added].map((row) => CLOUD_COLUMNS.map((column) => csvCell(row[column])).join(",")),
  ]
    .join(eol)
    .concat(eol);
}

/** A plain decimal number as the data files write it ("-0.5", "1e-3"): never a formula. */
const NUMBER_TEXT = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/** A cell of the data file: numbers as written; text through the shared guarded CSV writer. */
function csvCell(value: string): string {
  return NUMBER_TEXT.test(value) ? value : csvText(value);
}

const money = (value: string) =>
  value === ""
    ? "—"
    : `$${Number(value)
        .toFixed(4)
        .replace(/0{1,2}$/, "")}`;

/** The diff as plain text for a maintainer: counts, then the rows, then the biggest moves. */
export function formatDiff(parsed: ParsedImport, diff: ImportDiff, top = 10): string {
  const lines: string[] = [];
  lines.push(
    `format: ${parsed.format}; ${parsed.rows.length} row(s) read, ${parsed.refused.length} refused`,
    `new: ${diff.added.length}, changed: ${diff.changed.length}, confirmed (same price, newer date): ${diff.confirmed.length}, gone: ${diff.gone.length}, unchanged: ${diff.unchanged}`,
  );
  if (parsed.refused.length > 0) {
    lines.push("", "refused (not imported):");
    for (const item of parsed.refused) lines.push(`  ${item.where}: ${item.reason}`);
  }
  if (diff.added.length > 0) {
    lines.push("", "new:");
    for (const row of diff.added)
      lines.push(
        `  + ${rowId(row)}: ${money(row.price_per_gpu_hour_usd)}/GPU-h (${row.accelerator} ${row.accelerator_variant}, as of ${row.as_of})`,
      );
  }
  if (diff.changed.length > 0) {
    lines.push("", "changed:");
    for (const item of diff.changed)
      lines.push(
        `  ~ ${item.id}: ${money(item.before.price_per_gpu_hour_usd)} → ${money(item.after.price_per_gpu_hour_usd)}/GPU-h (${formatChange(item.change)}; as of ${item.before.as_of} → ${item.after.as_of})`,
      );
  }
  if (diff.gone.length > 0) {
    lines.push("", "gone (will be marked superseded):");
    for (const row of diff.gone)
      lines.push(`  - ${rowId(row)}: ${money(row.price_per_gpu_hour_usd)}/GPU-h (as of ${row.as_of})`);
  }
  const moves = [...diff.changed].sort((a, b) => Math.abs(b.change) - Math.abs(a.change)).slice(0, top);
  if (moves.length > 0) {
    lines.push("", `biggest moves (per GPU-hour, top ${moves.length}):`);
    moves.forEach((item, index) =>
      lines.push(
        `  ${index + 1}. ${item.id}: ${formatChange(item.change)} (${money(item.before.price_per_gpu_hour_usd)} → ${money(item.after.price_per_gpu_hour_usd)})`,
      ),
    );
  }
  return lines.join("\n");
}

function formatChange(change: number): string {
  const percent = Math.round(change * 1000) / 10;
  return `${percent > 0 ? "+" : percent < 0 ? "−" : "±"}${Math.abs(percent)} %`;
}
