// Seed the LOCAL D1 with the built public price book (`@aifp/catalog`'s generated/price-book.json),
// idempotently, and publish the version. `npm start` runs it after the migrations:
//   node packages/db/scripts/seed.ts [--persist-to DIR]   (CI=1 keeps wrangler from prompting)
// An identical published version is left alone; a leftover draft is cleared and rewritten; the
// same version with different content is an error (bump packages/catalog/data/manifest.json).
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  priceBook,
  priceBookRowCounts,
  priceBookRows,
  priceBookVersionId,
  PUBLIC_PRICE_BOOK_ID,
  type CatalogRow,
} from "@aifp/catalog";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
/** D1 refuses statements over 100,000 bytes; stay well below. */
const MAX_STATEMENT_BYTES = 90_000;

/** Extra wrangler flags passed through, e.g. `--persist-to <dir>` for a scratch database. */
const PASSTHROUGH = process.argv.slice(2);

function wrangler(args: string[]): string {
  return execFileSync(
    "npx",
    [
      "wrangler",
      "d1",
      "execute",
      "DB",
      ...(PASSTHROUGH.includes("--remote") ? [] : ["--local"]),
      ...PASSTHROUGH,
      ...args,
    ],
    {
      cwd: ROOT,
      env: { ...process.env, CI: "1", WRANGLER_SEND_METRICS: "false" },
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      maxBuffer: 64 * 1024 * 1024,
    },
  );
}

/** A SQL literal: NULL, a number, or a single-quoted string with quotes doubled. */
function literal(value: string | number | null): string {
  if (value === null) return "NULL";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new Error(`cannot store ${value}`);
    return String(value);
  }
  return `'${value.replaceAll("'", "''")}'`;
}

/** Multi-row INSERTs of at most MAX_STATEMENT_BYTES each (literals, no bound parameters). */
function inserts(table: string, rows: CatalogRow[], versionId: string): string[] {
  const statements: string[] = [];
  const first = rows[0];
  if (!first) return statements;
  const columns = ["version_id", ...Object.keys(first)];
  const head = `INSERT INTO \`${table}\` (${columns.map((column) => `\`${column}\``).join(", ")}) VALUES `;
  let values: string[] = [];
  let size = head.length;
  for (const row of rows) {
    const tuple = `(${[versionId, ...Object.keys(first).map((column) => row[column] ?? null)].map(literal).join(", ")})`;
    if (tuple.length + head.length + 2 > MAX_STATEMENT_BYTES)
      throw new Error(`a ${table} row is larger than one D1 statement allows`);
    if (values.length > 0 && size + tuple.length + 2 > MAX_STATEMENT_BYTES) {
      statements.push(`${head}${values.join(",\n")};`);
      values = [];
      size = head.length;
    }
    values.push(tuple);
    size += tuple.length + 2;
  }
  if (values.length > 0) statements.push(`${head}${values.join(",\n")};`);
  return statements;
}

const versionId = priceBookVersionId(PUBLIC_PRICE_BOOK_ID, priceBook.version);
const existingJson = wrangler([
  "--json",
  "--command",
  `SELECT status, content_hash FROM price_book_versions WHERE id = ${literal(versionId)}`,
]);
const existing = (JSON.parse(existingJson) as { results: { status: string; content_hash: string }[] }[])[0]?.results[0];
if (existing && existing.status !== "draft") {
  if (existing.content_hash !== priceBook.contentHash) {
    console.error(
      `seed: price book ${priceBook.version} is already ${existing.status} with content ${existing.content_hash.slice(0, 12)}…, ` +
        `but the built book has ${priceBook.contentHash.slice(0, 12)}…: bump packages/catalog/data/manifest.json and rebuild`,
    );
    process.exit(1);
  }
  console.log(`seed: price book ${priceBook.version} already published (${versionId}); nothing to do`);
  process.exit(0);
}

const now = new Date().toISOString();
const counts = priceBookRowCounts(priceBook);
const rows = priceBookRows(priceBook);
const sql: string[] = [
  `INSERT OR IGNORE INTO price_books (id, org_id, name, base_price_book_id, created_at) VALUES (${literal(PUBLIC_PRICE_BOOK_ID)}, NULL, 'Public price book', NULL, ${literal(now)});`,
];
if (existing) {
  // A draft left by an interrupted seed: drafts are mutable, so clear it and start over.
  for (const table of Object.keys(rows)) sql.push(`DELETE FROM \`${table}\` WHERE version_id = ${literal(versionId)};`);
  sql.push(`DELETE FROM price_book_versions WHERE id = ${literal(versionId)};`);
}
sql.push(
  `INSERT INTO price_book_versions (id, price_book_id, version, status, content_hash, data_as_of, schema_version, row_counts_json, row_count, created_at) VALUES (${[
    versionId,
    PUBLIC_PRICE_BOOK_ID,
    priceBook.version,
    "draft",
    priceBook.contentHash,
    priceBook.dataAsOf,
    priceBook.schemaVersion,
    JSON.stringify(counts.perTable),
    counts.total,
    now,
  ]
    .map(literal)
    .join(", ")});`,
);
for (const [table, list] of Object.entries(rows)) sql.push(...inserts(table, list, versionId));
// The publish trigger checks that every declared row is there; afterwards the version is frozen.
sql.push(
  `UPDATE price_book_versions SET status = 'published', published_at = ${literal(now)} WHERE id = ${literal(versionId)} AND status = 'draft';`,
);

const dir = mkdtempSync(path.join(tmpdir(), "aifp-seed-"));
try {
  const file = path.join(dir, "seed.sql");
  writeFileSync(file, `${sql.join("\n")}\n`);
  wrangler(["--file", file]);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const check = JSON.parse(
  wrangler([
    "--json",
    "--command",
    `SELECT status, row_count FROM price_book_versions WHERE id = ${literal(versionId)}`,
  ]),
) as {
  results: { status: string; row_count: number }[];
}[];
const stored = check[0]?.results[0];
if (stored?.status !== "published") {
  console.error(`seed: price book ${priceBook.version} was not published (status ${stored?.status ?? "missing"})`);
  process.exit(1);
}
console.log(
  `seed: published price book ${priceBook.version} (${versionId}, ${counts.total} rows in ${sql.length} statements)`,
);
