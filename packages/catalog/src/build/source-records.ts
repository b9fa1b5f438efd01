/**
 * Sources as records (ADR 030): `packages/catalog/data/sources.csv` holds one record per
 * publication or file the price book read; every data row names its sources by id in
 * `source_ids` (`;`-separated). This module reads and checks that register. The one-off (and
 * re-runnable) conversion of free-text `source` cells into ids lives in `source-extract.ts`.
 */
import * as v from "valibot";
import { CatalogRowError, optText, readCsv, text } from "./csv.ts";
import type { SourceKind, SourceRecord } from "../types.ts";

export const SOURCE_KINDS = ["primary", "secondary", "unverified"] as const;
export type { SourceKind, SourceRecord };

export const SOURCE_COLUMNS = [
  "id",
  "kind",
  "publisher",
  "title",
  "url",
  "published",
  "retrieved",
  "repository",
  "commit",
  "path",
  "note",
] as const;

const SourceRow = v.object({
  id: v.pipe(text(), v.regex(/^[a-z0-9][a-z0-9.-]*$/, "expected a slug (a-z, 0-9, dot, dash)")),
  kind: v.picklist(SOURCE_KINDS, "expected primary, secondary or unverified"),
  publisher: text(),
  title: text(),
  url: optText(),
  published: optText(),
  retrieved: v.pipe(text(), v.regex(/^\d{4}-\d{2}-\d{2}$/, "expected YYYY-MM-DD")),
  repository: optText(),
  commit: optText(),
  path: optText(),
  note: optText(),
});

/**
 * Words that mark a repository or page as a mock-up, template, demo or sample rather than a
 * publication. A source matching them must be recorded as `unverified` (and say why).
 */
const NOT_A_PUBLICATION =
  /(?:^|[\s/_.-])(?:mock-?ups?|templates?|demo|sample|boilerplate|scaffold|placeholder)(?:$|[\s/_.-])/i;

/** True when a record's repository, path, title or address reads like a mock-up or template. */
export function looksUnpublished(record: Pick<SourceRecord, "repository" | "path" | "title" | "url">): boolean {
  return [record.repository, record.path, record.title, record.url].some(
    (field) => field !== null && NOT_A_PUBLICATION.test(field),
  );
}

/**
 * Read and check `sources.csv`: unique ids, an `unverified` record says why, and a record that
 * reads like a mock-up or template is never passed off as a publication.
 */
export function readSources(csvText: string, file = "sources.csv"): Map<string, SourceRecord> {
  const rows = readCsv(file, csvText, SourceRow);
  const byId = new Map<string, SourceRecord>();
  for (const { row, line } of rows) {
    if (byId.has(row.id)) throw new CatalogRowError(file, line, "id", 1, `duplicate source id "${row.id}"`);
    const record: SourceRecord = {
      id: row.id,
      kind: row.kind,
      publisher: row.publisher,
      title: row.title,
      url: row.url,
      published: row.published,
      retrieved: row.retrieved,
      repository: row.repository,
      commit: row.commit,
      path: row.path,
      note: row.note,
    };
    if (record.kind !== "unverified" && looksUnpublished(record))
      throw new CatalogRowError(
        file,
        line,
        "kind",
        2,
        `"${row.id}" reads like a mock-up or template, not a publication: record it as unverified (ADR 030) or cite the publication it reproduces`,
      );
    if (record.kind === "unverified" && !record.note)
      throw new CatalogRowError(file, line, "note", 11, `an unverified source says why in its note`);
    byId.set(record.id, record);
  }
  return byId;
}

/** The ids in a `source_ids` cell (`;`-separated, blanks ignored). */
export function splitSourceIds(cell: string | null | undefined): string[] {
  return (cell ?? "")
    .split(";")
    .map((id) => id.trim())
    .filter((id) => id.length > 0);
}

/**
 * Check one row's `source_ids` against the register and return them.
 * A row that carries a figure must cite at least one source; every id must exist; a row that rests
 * only on unverified sources must not claim more than low confidence.
 */
export function checkSourceIds(
  sources: ReadonlyMap<string, SourceRecord>,
  where: { file: string; line: number; column: number },
  cell: string | null | undefined,
  options: { required: boolean; confidence?: string | null },
): string[] {
  const ids = splitSourceIds(cell);
  const fail = (problem: string) => new CatalogRowError(where.file, where.line, "source_ids", where.column, problem);
  if (options.required && ids.length === 0) throw fail("a row with a figure names its sources by id");
  for (const id of ids) if (!sources.has(id)) throw fail(`no source "${id}" in sources.csv`);
  const onlyUnverified = ids.length > 0 && ids.every((id) => sources.get(id)?.kind === "unverified");
  if (onlyUnverified && options.confidence && !/^low\b/.test(options.confidence))
    throw fail(`rests only on unverified sources, so its confidence must be low (is "${options.confidence}")`);
  return ids;
}
