/**
 * ZIP archives for the XLSX package, through fflate's `zipSync` (pure JavaScript, runs in
 * workerd): DEFLATE, UTF-8 names, CRC-32 and the central directory are the library's. A fixed
 * timestamp keeps the archive deterministic (the same table gives the same bytes).
 */
import { zipSync } from "fflate";

export interface ZipEntry {
  path: string;
  data: Uint8Array;
}

// 1980-01-01 00:00, the earliest DOS date, built from local-time fields as fflate reads them,
// so the archive is the same in every time zone.
const FIXED_MTIME = new Date(1980, 0, 1, 0, 0, 0);

/** Build a ZIP archive of the entries (UTF-8 names, DEFLATE), in the order given. */
export async function zip(entries: ZipEntry[]): Promise<Uint8Array> {
  const files: Record<string, Uint8Array> = {};
  for (const entry of entries) files[entry.path] = entry.data;
  return Promise.resolve(zipSync(files, { level: 6, mtime: FIXED_MTIME }));
}
