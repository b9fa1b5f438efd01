// The maintainers' refresh path (ADR 016): read a provider price list or a community price-index
// export (CSV or JSON), turn it into cloud_gpu_prices.csv rows with provenance and an as-of date,
// show the difference against the current file, and write it back. Pure functions: the CLI
// (`npm run catalog:import -- FILE`) does the file reading and writing.
import { parseCsv } from "./build/csv.ts";
import { slug } from "./build/book.ts";

/** The columns of cloud_gpu_prices.csv, in file order. */
export const CLOUD_COLUMNS = [
  "provider",
  "provider_kind",
  "instance_type",
  "accelerator",
  "accelerator_family",
  "accelerator_variant",
  "accelerator_count",
  "gpu_memory_gb",
  "vcpus",
  "memory_gib",
  "region",
  "regions_count",
  "price_on_demand_usd_per_hour",
  "price_median_region_usd_per_hour",
  "price_spot_usd_per_hour",
  "price_per_gpu_hour_usd",
  "commitment",
  "source",
  "as_of",
  "as_of_quality",
  "notes",
  "status",
  "source_ids",
] as const;

export type CloudColumn = (typeof CLOUD_COLUMNS)[number];
export type CloudRow = Record<CloudColumn, string>;

/** A row the import will not take, with the reason in plain words. */
export interface RefusedRow {
  /** 1-based line (CSV) or index (JSON) in the imported file. */
  where: string;
  reason: string;
}

export interface ParsedImport {
  format: "catalog-csv" | "catalog-json" | "price-index-csv" | "price-index-json";
  rows: CloudRow[];
  refused: RefusedRow[];
}

export interface ImportOptions {
  /**
   * Provenance for exports whose rows carry no source of their own (a community index's
   * observations): repository, path and commit, or the page read. Rows are refused without one.
   */
  source?: string;
  /** Name of the imported file, recorded in each row's notes. */
  fileName?: string;
}

/**
 * GPU names used by community price indexes (gpu-price-index `gpu_model`, Pulse `gpu_model_id`)
 * → the catalog's raw accelerator name and variant (resolved to a key by accelerator_aliases.csv).
 */
const INDEX_GPU_NAMES: Record<string, { accelerator: string; variant: string; family: string; memoryGb: number }> = {
  "a100-40gb": { accelerator: "A100", variant: "40GB SXM/PCIe", family: "NVIDIA Ampere", memoryGb: 40 },
  a100_40gb: { accelerator: "A100", variant: "40GB SXM/PCIe", family: "NVIDIA Ampere", memoryGb: 40 },
  "a100-80gb": { accelerator: "A100", variant: "80GB SXM", family: "NVIDIA Ampere", memoryGb: 80 },
  a100_80gb: { accelerator: "A100", variant: "80GB SXM", family: "NVIDIA Ampere", memoryGb: 80 },
  "a100-80gb-pcie": { accelerator: "A100", variant: "80GB PCIe", family: "NVIDIA Ampere", memoryGb: 80 },
  h100: { accelerator: "H100", variant: "SXM 80GB", family: "NVIDIA Hopper", memoryGb: 80 },
  h100_sxm: { accelerator: "H100", variant: "SXM 80GB", family: "NVIDIA Hopper", memoryGb: 80 },
  "h100-pcie": { accelerator: "H100 PCIe", variant: "PCIe 80GB", family: "NVIDIA Hopper", memoryGb: 80 },
  "h100-nvl": { accelerator: "H100 NVL", variant: "NVL 94GB", family: "NVIDIA Hopper", memoryGb: 94 },
  h200: { accelerator: "H200", variant: "SXM 141GB", family: "NVIDIA Hopper", memoryGb: 141 },
  h200_sxm: { accelerator: "H200", variant: "SXM 141GB", family: "NVIDIA Hopper", memoryGb: 141 },
  b200: { accelerator: "B200", variant: "HGX/SXM", family: "NVIDIA Blackwell", memoryGb: 180 },
  b300: { accelerator: "B300", variant: "HGX/SXM", family: "NVIDIA Blackwell Ultra", memoryGb: 270 },
  gb200: { accelerator: "GB200", variant: "NVL rack-scale", family: "NVIDIA Blackwell", memoryGb: 186 },
  l40s: { accelerator: "L40S", variant: "PCIe 48GB", family: "NVIDIA Ada Lovelace", memoryGb: 48 },
  l4: { accelerator: "L4", variant: "PCIe 24GB", family: "NVIDIA Ada Lovelace", memoryGb: 24 },
  mi300x: { accelerator: "MI300X", variant: "OAM 192GB", family: "AMD CDNA3", memoryGb: 192 },
  mi325x: { accelerator: "MI325X", variant: "OAM 256GB", family: "AMD CDNA3", memoryGb: 256 },
  mi355x: { accelerator: "MI355X", variant: "OAM 288GB", family: "AMD CDNA4", memoryGb: 288 },
};

const PRICING_COMMITMENT: Record<string, string> = {
  on_demand: "none",
  "on-demand": "none",
  ondemand: "none",
  spot: "spot_only",
  reserved_1y: "1y",
  "1y": "1y",
  reserved_3y: "3y",
  "3y": "3y",
};

const PROVIDER_KINDS = new Set(["hyperscaler", "neocloud", "marketplace"]);

export function emptyRow(): CloudRow {
  return Object.fromEntries(CLOUD_COLUMNS.map((column) => [column, ""])) as CloudRow;
}

/** Round to 4 decimals, as the catalog writes prices; "" for a missing value. */
function price(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return "";
  return String(Math.round(value * 10000) / 10000);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** A JSON value as cell text: strings, numbers and booleans as written; anything else as JSON, never "[object Object]". */
function cellText(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value) ?? "";
}

/** The stable id of a row: the same slug the price book gives the offer (provider, instance, commitment). */
export function rowId(row: Pick<CloudRow, "provider" | "instance_type" | "commitment">): string {
  return slug(row.provider, row.instance_type, row.commitment);
}

/** Refuse a row without provenance: a source naming where the price was read, and a real date. */
function provenanceProblem(row: CloudRow): string | null {
  if (row.source.trim() === "") return "no source: every imported price must name the page or file it was read from";
  if (!/^\d{4}-\d{2}-\d{2}$/.test(row.as_of.trim())) return `no as-of date (YYYY-MM-DD): got "${row.as_of}"`;
  return null;
}

function numberProblem(row: CloudRow): string | null {
  const count = Number(row.accelerator_count);
  const hourly = Number(row.price_on_demand_usd_per_hour);
  if (!Number.isInteger(count) || count < 1)
    return `accelerator_count must be a whole number ≥ 1: got "${row.accelerator_count}"`;
  if (!Number.isFinite(hourly) || hourly <= 0)
    return `price must be a positive number: got "${row.price_on_demand_usd_per_hour}"`;
  return null;
}

/** Rows in the catalog's own columns (a provider list prepared by hand or by a collector). */
function catalogRows(
  records: Record<string, unknown>[],
  where: (index: number) => string,
  options: ImportOptions,
): { rows: CloudRow[]; refused: RefusedRow[] } {
  const rows: CloudRow[] = [];
  const refused: RefusedRow[] = [];
  records.forEach((record, index) => {
    const row = emptyRow();
    for (const column of CLOUD_COLUMNS) {
      const value = record[column];
      row[column] = value === undefined || value === null ? "" : cellText(value).trim();
    }
    if (row.source === "" && options.source) row.source = options.source;
    if (row.status === "") row.status = "current";
    if (row.commitment === "") row.commitment = "none";
    const count = Number(row.accelerator_count);
    const hourly = Number(row.price_on_demand_usd_per_hour);
    if (row.price_per_gpu_hour_usd === "" && Number.isFinite(hourly) && count > 0) {
      row.price_per_gpu_hour_usd = price(hourly / count);
    }
    const problem = provenanceProblem(row) ?? numberProblem(row);
    if (problem) refused.push({ where: where(index), reason: problem });
    else rows.push(row);
  });
  return { rows, refused };
}

/** Observations of a community price index (gpu-price-index CSV / Pulse JSON), grouped per offer. */
interface Observation {
  where: string;
  date: string;
  provider: string;
  segment: string;
  pricing: string;
  gpu: string;
  sku: string;
  region: string;
  gpuCount: number;
  usdPerHour: number;
  source: string;
}

function indexRows(observations: Observation[], options: ImportOptions): { rows: CloudRow[]; refused: RefusedRow[] } {
  const refused: RefusedRow[] = [];
  const groups = new Map<string, Observation[]>();
  for (const item of observations) {
    const gpu = INDEX_GPU_NAMES[item.gpu.toLowerCase()];
    const commitment = PRICING_COMMITMENT[item.pricing.toLowerCase()];
    if (!item.source) {
      refused.push({
        where: item.where,
        reason:
          "no source: the export names none, so pass --source with the repository, path and commit (or page) it came from",
      });
      continue;
    }
    if (!/^\d{4}-\d{2}-\d{2}/.test(item.date)) {
      refused.push({ where: item.where, reason: `no as-of date: got "${item.date}"` });
      continue;
    }
    if (!gpu) {
      refused.push({ where: item.where, reason: `unknown GPU "${item.gpu}": add it to the importer's name table` });
      continue;
    }
    if (!commitment) {
      refused.push({ where: item.where, reason: `unknown pricing "${item.pricing}"` });
      continue;
    }
    if (!(item.gpuCount >= 1) || !(item.usdPerHour > 0)) {
      refused.push({ where: item.where, reason: "GPU count and hourly price must be positive numbers" });
      continue;
    }
    const key = `${item.provider}|${item.sku}|${commitment}`;
    groups.set(key, [...(groups.get(key) ?? []), item]);
  }
  const built = new Map<string, CloudRow>();
  for (const [key, group] of groups) {
    // The catalog convention: the cheapest listed region, with the median across regions beside it.
    const cheapest = [...group].sort((a, b) => a.usdPerHour - b.usdPerHour)[0]!;
    const gpu = INDEX_GPU_NAMES[cheapest.gpu.toLowerCase()]!;
    const commitment = PRICING_COMMITMENT[cheapest.pricing.toLowerCase()]!;
    const regions = new Set(group.map((item) => item.region));
    const date = group
      .map((item) => item.date.slice(0, 10))
      .sort()
      .at(-1)!;
    const row = emptyRow();
    Object.assign(row, {
      provider: cheapest.provider,
      provider_kind: PROVIDER_KINDS.has(cheapest.segment) ? cheapest.segment : "neocloud",
      instance_type: cheapest.sku,
      accelerator: gpu.accelerator,
      accelerator_family: gpu.family,
      accelerator_variant: gpu.variant,
      accelerator_count: String(cheapest.gpuCount),
      gpu_memory_gb: String(gpu.memoryGb),
      region: cheapest.region,
      regions_count: String(regions.size),
      price_on_demand_usd_per_hour: price(cheapest.usdPerHour),
      price_median_region_usd_per_hour: price(median(group.map((item) => item.usdPerHour))),
      price_per_gpu_hour_usd: price(cheapest.usdPerHour / cheapest.gpuCount),
      commitment,
      source: cheapest.source,
      as_of: date,
      as_of_quality: "exact: observation date in the imported export",
      notes: `imported by catalog:import${options.fileName ? ` from ${options.fileName}` : ""}; cheapest of ${regions.size} region(s)`,
      status: "current",
    } satisfies Partial<CloudRow>);
    // A spot-only row holds the spot rate in every price column (the catalog convention).
    if (commitment === "spot_only") row.price_spot_usd_per_hour = row.price_on_demand_usd_per_hour;
    built.set(key, row);
  }
  // Where an offer has both an on-demand and a spot price, the spot rate goes beside the on-demand row.
  for (const [key, row] of built) {
    if (row.commitment !== "spot_only") continue;
    const onDemand = built.get(key.replace(/\|spot_only$/, "|none"));
    if (!onDemand) continue;
    onDemand.price_spot_usd_per_hour = row.price_on_demand_usd_per_hour;
    built.delete(key);
  }
  return { rows: [...built.values()], refused };
}

const INDEX_CSV_HEADER = ["date", "provider", "pricing", "gpu_model", "sku", "gpu_count", "usd_per_hour"];

/**
 * Parse an import file: CSV (the catalog's own columns, or a gpu-price-index observations export)
 * or JSON (an array of catalog rows, or a Pulse-style `{ "assessments": [...] }` export).
 */
export function parseImport(fileName: string, text: string, options: ImportOptions = {}): ParsedImport {
  const trimmed = text.trimStart();
  const withName = { ...options, fileName: options.fileName ?? fileName };
  if (trimmed.startsWith("[") || trimmed.startsWith("{")) {
    const data = JSON.parse(trimmed) as unknown;
    if (Array.isArray(data)) {
      const parsed = catalogRows(data as Record<string, unknown>[], (index) => `item ${index + 1}`, withName);
      return { format: "catalog-json", ...parsed };
    }
    const assessments = (data as { assessments?: unknown }).assessments;
    if (!Array.isArray(assessments))
      throw new Error(`${fileName}: expected a JSON array of rows or an object with "assessments"`);
    const observations = (assessments as Record<string, unknown>[]).map((item, index): Observation => {
      const perGpu = Number(item.price_per_gpu_hour);
      return {
        where: `assessment ${index + 1}`,
        date: cellText(item.assessed_at ?? ""),
        provider: cellText(item.provider_name ?? item.provider_id ?? ""),
        segment: cellText(item.provider_type ?? ""),
        pricing: cellText(item.pricing_type ?? ""),
        gpu: cellText(item.gpu_model_id ?? ""),
        sku: cellText(item.instance_type ?? item.gpu_model_id ?? ""),
        region: cellText(item.region ?? "not stated"),
        // Pulse publishes per-GPU prices: one GPU per row keeps the per-GPU figure exact.
        gpuCount: 1,
        usdPerHour: perGpu,
        source: cellText(item.source_url ?? withName.source ?? ""),
      };
    });
    return { format: "price-index-json", ...indexRows(observations, withName) };
  }
  const records = parseCsv(fileName, text.replace(/^\uFEFF/, ""));
  const header = records[0]?.cells.map((cell) => cell.trim()) ?? [];
  const objects = records
    .slice(1)
    .filter((record) => record.cells.some((cell) => cell.trim() !== ""))
    .map((record) => ({
      line: record.line,
      value: Object.fromEntries(header.map((name, index) => [name, record.cells[index] ?? ""])),
    }));
  if (INDEX_CSV_HEADER.every((name) => header.includes(name))) {
    const observations = objects.map(({ line, value }): Observation => ({
      where: `line ${line}`,
      date: value.date ?? "",
      provider: value.provider ?? "",
      segment: value.segment ?? "",
      pricing: value.pricing ?? "",
      gpu: value.gpu_model ?? "",
      sku: value.sku ?? "",
      region: value.region ?? "",
      gpuCount: Number(value.gpu_count),
      usdPerHour: Number(value.usd_per_hour),
      source: value.source_url ?? withName.source ?? "",
    }));
    return { format: "price-index-csv", ...indexRows(observations, withName) };
  }
  const missing = [
    "provider",
    "instance_type",
    "accelerator",
    "accelerator_count",
    "price_on_demand_usd_per_hour",
  ].filter((name) => !header.includes(name));
  if (missing.length > 0)
    throw new Error(
      `${fileName}: not a catalog price list (missing ${missing.join(", ")}) nor a price-index export (needs ${INDEX_CSV_HEADER.join(", ")})`,
    );
  const byIndex = objects.map((item) => item.value);
  const parsed = catalogRows(byIndex, (index) => `line ${objects[index]?.line ?? index + 2}`, withName);
  return { format: "catalog-csv", ...parsed };
}
