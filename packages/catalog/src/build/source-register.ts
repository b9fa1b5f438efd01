/**
 * The source register in SOURCES.md (ADR 030): one line per record of sources.csv, written between
 * two markers by `npm run catalog:source-ids` and checked by a test, so the two never disagree.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { DATA_DIR } from "./files.ts";
import type { SourceRecord } from "./source-records.ts";

export const SOURCES_PATH = path.join(DATA_DIR, "sources.csv");
export const SOURCES_MD_PATH = path.join(DATA_DIR, "SOURCES.md");
const BEGIN = "<!-- source register: generated from sources.csv by npm run catalog:source-ids; do not edit -->";
const END = "<!-- end of source register -->";

/** The register's markdown: a table of every record, by id. */
export function registerSection(records: readonly SourceRecord[]): string {
  const cell = (text: string | null) => (text ?? "").replaceAll("|", "\\|").replaceAll("\n", " ");
  const rows = [...records]
    .sort((a, b) => a.id.localeCompare(b.id))
    .map((record) => {
      const where = record.repository
        ? `${record.repository}${record.path ? ` \`${record.path}\`` : ""}${record.commit ? ` @${record.commit.slice(0, 12)}` : ""}`
        : (record.url ?? "");
      return `| \`${record.id}\` | ${record.kind} | ${cell(record.publisher)} | ${cell(record.title)} | ${cell(where)} | ${record.published ?? ""} | ${record.retrieved} |`;
    });
  return [
    BEGIN,
    "",
    "## Source register",
    "",
    `Every publication or file the price book read, one record each (\`sources.csv\`, ${records.length} records). Data rows cite them by id in \`source_ids\`. Kind: primary = the publisher's own page or file; secondary = a copy, index or report of it; unverified = not a publication (a mock-up, template or unnamed estimate), shown to users as unverified.`,
    "",
    "| id | kind | publisher | title | where | published | retrieved |",
    "|---|---|---|---|---|---|---|",
    ...rows,
    "",
    END,
  ].join("\n");
}

/** The register as SOURCES.md holds it now (null when the markers are missing). */
export function registerInSourcesMd(markdown: string): string | null {
  const start = markdown.indexOf(BEGIN);
  const end = markdown.indexOf(END);
  return start < 0 || end < 0 ? null : markdown.slice(start, end + END.length);
}

/** Rewrite the register in SOURCES.md (appended the first time). */
export function writeSourceRegister(records: readonly SourceRecord[]): void {
  const markdown = readFileSync(SOURCES_MD_PATH, "utf8");
  const current = registerInSourcesMd(markdown);
  const section = registerSection(records);
  const next = current ? markdown.replace(current, section) : `${markdown.trimEnd()}\n\n${section}\n`;
  writeFileSync(SOURCES_MD_PATH, next);
}
