// What every section of the price-book build shares: the CSV texts, the data date and the
// checked source ids of each row (ADR 030). Moved verbatim from buildPriceBook in book.ts.
import type * as v from "valibot";
import type { CatalogFileName } from "./book.ts";
import { parseCsv, readCsv, type Validated } from "./csv.ts";
import { checkSourceIds, readSources } from "./source-records.ts";

export interface BookContext {
  files: Record<CatalogFileName, string>;
  dataAsOf: string;
  sourceRegister: ReturnType<typeof readSources>;
  /** Read and validate one data file; rows of files with a source_ids column have their ids checked. */
  read: <TSchema extends v.ObjectSchema<v.ObjectEntries, undefined>>(
    name: CatalogFileName,
    schema: TSchema,
  ) => Validated<v.InferOutput<TSchema>>[];
  /** The checked source ids of a row (empty for files that carry none). */
  idsAt: (name: CatalogFileName, line: number) => string[];
}

export function bookContext(files: Record<CatalogFileName, string>, dataAsOf: string): BookContext {
  // Sources as records (ADR 030): every row names its sources by id; the register is checked first.
  const sourceRegister = readSources(files["sources.csv"]);
  const rowSourceIds = new Map<string, string[]>();
  /** The checked source ids of a row (empty for files that carry none). */
  const idsAt = (name: CatalogFileName, line: number): string[] => rowSourceIds.get(`${name}:${line}`) ?? [];
  const read = <TSchema extends v.ObjectSchema<v.ObjectEntries, undefined>>(name: CatalogFileName, schema: TSchema) => {
    const rows = readCsv(name, files[name], schema);
    if (!("source_ids" in schema.entries)) return rows;
    const column = (parseCsv(name, files[name])[0]?.cells.indexOf("source_ids") ?? -1) + 1;
    for (const { line, row } of rows) {
      const cells = row as Record<string, unknown>;
      // A facility row without a value records a gap ("not found in stored sources"): nothing to cite.
      const required = !(name === "facility.csv" && cells.value === "");
      const confidence = typeof cells.confidence === "string" ? cells.confidence : null;
      const ids = checkSourceIds(sourceRegister, { file: name, line, column }, cells.source_ids as string | null, {
        required,
        confidence,
      });
      rowSourceIds.set(`${name}:${line}`, ids);
    }
    return rows;
  };

  return { files, dataAsOf, sourceRegister, read, idsAt };
}
