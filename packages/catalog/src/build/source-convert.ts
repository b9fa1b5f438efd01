/**
 * The conversion behind `npm run catalog:source-ids` (ADR 030): fill each row's `source_ids` from
 * its free-text source, adding new records to sources.csv. Idempotent: a filled `source_ids` is
 * left alone, a reference already in sources.csv keeps its id, hand edits to sources.csv stay.
 * In memory: the caller reads and writes files (the import command converts before it writes).
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { parseCsv } from "./csv.ts";
import { extractReferences, namedReference, recordKey, toRecord, type FoundReference } from "./source-extract.ts";
import { readSources, SOURCE_COLUMNS, splitSourceIds, type SourceRecord } from "./source-records.ts";

/** Which columns hold a row's source text; `inherit` takes another table's row's ids instead. */
interface FilePlan {
  columns: string[];
  /** Cite the sources of the row of `file` whose `keyColumn` equals this row's `column`. */
  inherit?: { column: string; file: string; keyColumn: string };
}

/** Every data file with figures (mapping tables without figures are not listed). Order matters: a file is converted before one that refers to it. */
export const PLANS: Record<string, FilePlan> = {
  "gpu_specs.csv": { columns: ["source"] },
  "server_skus.csv": { columns: ["price_source", "spec_source"] },
  "models.csv": { columns: ["source"] },
  "street_prices.csv": { columns: ["source"] },
  "chassis_share.csv": { columns: ["source"] },
  "cloud_gpu_prices.csv": { columns: ["source"] },
  "energy.csv": { columns: ["source", "grid_carbon_source"] },
  "facility.csv": { columns: ["source", "source_url"] },
  "generations.csv": { columns: ["availability_source", "price_assumption_source"] },
  "defaults.csv": { columns: ["source"] },
  "token_prices.csv": { columns: ["source"] },
  // Throughput rows cite their benchmark round's sources.
  "model_architecture.csv": { columns: ["source"] },
  "benchmark_rounds.csv": { columns: ["basis"] },
  "inference_throughput.csv": {
    columns: [],
    inherit: { column: "source", file: "benchmark_rounds.csv", keyColumn: "source" },
  },
};

/** Another table's row named in a source ("gpu_specs.csv H100 row note: …"): its sources are this row's. */
const TABLE_ROW = /\b(gpu_specs|server_skus)\.csv:?\s+(.+?)(?=\s+row\b|\s+announced\b|\s*\(|:)/g;
const TABLE_KEY: Record<string, string> = { gpu_specs: "gpu", server_skus: "sku" };

const quote = (cell: string) => (/[",\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell);

interface Table {
  header: string[];
  rows: { line: number; cells: string[] }[];
  eol: string;
}

function readTable(file: string, textIn: string): Table {
  const records = parseCsv(file, textIn);
  const [header, ...rows] = records;
  if (!header) throw new Error(`${file} is empty`);
  return { header: header.cells, rows, eol: textIn.includes("\r\n") ? "\r\n" : "\n" };
}

function tableText(table: Table): string {
  const lines = [table.header, ...table.rows.map((row) => row.cells)].map((cells) => cells.map(quote).join(","));
  return `${lines.join(table.eol)}${table.eol}`;
}

/** Date each line was first committed (git blame), so `retrieved` is when the book recorded the source. */
function blameDates(dataDir: string, file: string): Map<number, string> {
  const dates = new Map<number, string>();
  try {
    const out = execFileSync("git", ["blame", "--line-porcelain", "--", path.join(dataDir, file)], {
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
      stdio: ["ignore", "pipe", "ignore"],
    });
    let line = 0;
    for (const row of out.split("\n")) {
      const head = /^([0-9a-f]{40}) \d+ (\d+)/.exec(row);
      // An uncommitted line (all-zero hash) has no recorded date: the caller's date stands in.
      if (head) line = /^0+$/.test(head[1] ?? "") ? -1 : Number(head[2]);
      const time = /^author-time (\d+)/.exec(row);
      if (time && !row.startsWith("author-time 0"))
        dates.set(line, new Date(Number(time[1]) * 1000).toISOString().slice(0, 10));
    }
  } catch {
    // Not a git checkout: the manifest date stands in.
  }
  return dates;
}

/** Research-trail hops that are not sources: where a citation was found (our notes and docs). */
const TRAIL_ONLY =
  /(?:docs\/research\/[\w.-]+|packages\/catalog\/data\/[\w.]+|\bSOURCES\.md|\bNOTES\.md)(?:,?\s*section\s+[\d.]+)?/g;

/**
 * Convert `files` (all converted files when empty).
 * @param read the current text of a data file or of sources.csv
 * @returns the new text of each converted file and of sources.csv, and the number of new records
 */
export function convertSourceIds(
  dataDir: string,
  read: (file: string) => string,
  requested: readonly string[] = [],
  fallbackDate = "",
): {
  texts: Record<string, string>;
  sourcesText: string;
  records: SourceRecord[];
  added: number;
  filled: Record<string, number>;
} {
  const register = readSources(read("sources.csv"));
  const byKey = new Map<string, SourceRecord>([...register.values()].map((record) => [recordKey(record), record]));
  let added = 0;
  const texts: Record<string, string> = {};
  const filledByFile: Record<string, number> = {};
  function idFor(ref: FoundReference, retrieved: string): string {
    const known = byKey.get(ref.key);
    if (known) return known.id;
    let id = ref.idHint || "source";
    for (let n = 2; register.has(id); n += 1) id = `${ref.idHint}-${n}`;
    const record = toRecord(ref, id, retrieved);
    register.set(id, record);
    byKey.set(ref.key, record);
    added += 1;
    return id;
  }
  const files = requested.length > 0 ? requested : Object.keys(PLANS).slice(0, 11);
  const idsByTable = new Map<string, Map<string, string[]>>();
  const tableIds = (file: string, keyColumn: string): Map<string, string[]> => {
    const cacheKey = `${file}|${keyColumn}`;
    const cached = idsByTable.get(cacheKey);
    if (cached) return cached;
    const table = readTable(file, texts[file] ?? read(file));
    const keyAt = table.header.indexOf(keyColumn);
    const idsAt = table.header.indexOf("source_ids");
    const map = new Map(table.rows.map((row) => [row.cells[keyAt] ?? "", splitSourceIds(row.cells[idsAt])]));
    idsByTable.set(cacheKey, map);
    return map;
  };
  for (const file of files) {
    const plan = PLANS[file];
    if (!plan) throw new Error(`no conversion plan for ${file}; known: ${Object.keys(PLANS).join(", ")}`);
    const table = readTable(file, read(file));
    if (!table.header.includes("source_ids")) {
      table.header.push("source_ids");
      for (const row of table.rows) row.cells.push("");
    }
    const idsAt = table.header.indexOf("source_ids");
    const dates = blameDates(dataDir, file);
    let filled = 0;
    for (const row of table.rows) {
      if (splitSourceIds(row.cells[idsAt]).length > 0) continue;
      const retrieved = dates.get(row.line) ?? fallbackDate;
      const ids: string[] = [];
      if (plan.inherit) {
        const key = row.cells[table.header.indexOf(plan.inherit.column)] ?? "";
        ids.push(...(tableIds(plan.inherit.file, plan.inherit.keyColumn).get(key) ?? []));
      }
      for (const column of plan.columns) {
        const cell = row.cells[table.header.indexOf(column)] ?? "";
        for (const match of cell.matchAll(TABLE_ROW)) {
          const table2 = tableIds(`${match[1]}.csv`, TABLE_KEY[match[1] ?? ""] ?? "");
          const name = (match[2] ?? "").trim();
          const hit =
            [...table2.entries()].find(([key]) => key === name || key.startsWith(`${name} `)) ??
            [...table2.entries()].find(([key]) =>
              new RegExp(`(^|[\\s/])${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\b`).test(key),
            );
          if (hit) ids.push(...hit[1]);
        }
      }
      // One text per row: the source columns together (a `source_url` column is the address of `source`).
      // Each source column on its own (a `source_url` column is the address of `source`: read together).
      const texts = plan.columns.includes("source_url")
        ? [plan.columns.map((column) => row.cells[table.header.indexOf(column)] ?? "").join(" ")]
        : plan.columns.map((column) => row.cells[table.header.indexOf(column)] ?? "");
      for (const cellText of texts.filter((text) => text.trim() !== "")) {
        // Another table's row named here already gave this text's sources.
        const tableHit = [...cellText.matchAll(TABLE_ROW)].length > 0 && ids.length > 0;
        const stripped = cellText
          .replace(TRAIL_ONLY, "")
          .replace(TABLE_ROW, "")
          // Lookup keys inside a data set ("key 'azure_ai/deepseek-v3.2'") and pointers to another table are not sources.
          .replace(/\b(?:key|model|models) '[^']*'/g, "")
          .replace(/(^|;\s*)[\w-]+\.csv:?\s*/g, "$1")
          // The book's own tags ("secondary:", "(secondary)") are not part of a title.
          .replace(/^\s*(?:primary|secondary)\s*:\s*/i, "")
          .replace(/\s*\((?:primary|secondary)\)/gi, "");
        const refs = extractReferences(stripped);
        const before = ids.length;
        for (const ref of refs) ids.push(idFor(ref, retrieved));
        if (ids.length > before) continue;
        // "… across the estimates recorded in NOTES.md": our notes, with no publisher named.
        if (/recorded in/.test(cellText) && new RegExp(TRAIL_ONLY.source).test(cellText)) {
          ids.push("aifp-research-notes");
          continue;
        }
        if (tableHit || (ids.length > 0 && /\b(?:as reported in|per|as recorded in)\b/.test(cellText))) continue;
        const named = namedReference(stripped.replace(/^\s*;\s*/, ""));
        if (named) ids.push(idFor(named, retrieved));
        else if (new RegExp(TRAIL_ONLY.source).test(cellText)) ids.push("aifp-research-notes");
      }
      row.cells[idsAt] = [...new Set(ids)].join(";");
      if (ids.length > 0) filled += 1;
    }
    texts[file] = tableText(table);
    idsByTable.clear();
    filledByFile[file] = filled;
  }
  const records = [...register.values()].sort((a, b) => a.id.localeCompare(b.id));
  const lines = [
    SOURCE_COLUMNS.join(","),
    ...records.map((record) => SOURCE_COLUMNS.map((column) => quote(record[column] ?? "")).join(",")),
  ];
  return { texts, sourcesText: `${lines.join("\n")}\n`, records, added, filled: filledByFile };
}

/**
 * One data file after an edit (the cloud import), with every row's `source_ids` filled: rows the
 * edit added or re-sourced are cited from their source text, new records go to sources.csv.
 * @param dataDir the data directory (sources.csv and the other files are read from it)
 * @param file the edited file's name
 * @param text the edited file's new text
 * @param retrieved the date recorded on new records (the import's date)
 */
export function withSourceIds(
  dataDir: string,
  file: string,
  text: string,
  retrieved: string,
): { text: string; sourcesText: string } {
  const read = (name: string) => (name === file ? text : readFileSync(path.join(dataDir, name), "utf8"));
  const result = convertSourceIds(dataDir, read, [file], retrieved);
  return { text: result.texts[file] ?? text, sourcesText: result.sourcesText };
}
