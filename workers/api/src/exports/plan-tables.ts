import type { CellValue, Column, Table } from "./table.ts";

/**
 * Turn a stored plan (the kernel's `EvaluateResult`) into export tables. Generic over the
 * result's fields (the kernel may add extensions): every numeric field becomes a number column,
 * every text field a text column, and each header carries its unit, e.g. `capexUsd (USD)`.
 */

const KNOWN_UNITS: Record<string, string> = {
  month: "index from 0",
  year: "index from 0",
  months: "months",
  calendarMonth: "YYYY-MM",
  startMonth: "YYYY-MM",
  tokens: "tokens",
  outputTokens: "tokens",
  discountedTokens: "tokens, discounted",
  discountedInputTokens: "tokens, discounted",
  discountedOutputTokens: "tokens, discounted",
  gpus: "GPUs",
  servers: "servers",
  serversBought: "servers",
  serversRetired: "servers",
  instances: "instances",
  utilization: "fraction 0-1",
  inputCostShare: "fraction 0-1",
  kwh: "kWh",
  tokensPerKwh: "tokens per kWh",
  gramsCo2PerMillionTokens: "g CO2 per million tokens",
  outputTokensPerSecondPerMw: "output tokens/s per MW",
  paybackMonths: "months",
  irrPerYear: "fraction per year",
  powerCapExceededMonths: "month indices",
  powerCapExceededMonthCount: "months",
};

/** The unit of a result field from its name (units are in the names: `priceUsd`, `kwh`). */
export function unitOf(key: string): string | null {
  const leaf = key.slice(key.lastIndexOf(".") + 1);
  const known = KNOWN_UNITS[leaf];
  if (known !== undefined) return known;
  const perMillion = /UsdPerMillion(\w*?)Tokens$/.exec(leaf);
  if (perMillion) return `USD per million ${perMillion[1] ? `${perMillion[1].toLowerCase()} ` : ""}tokens`;
  if (/UsdPerGpuHour$/.test(leaf)) return "USD per GPU-hour";
  if (/UsdPerInstanceHour$/.test(leaf)) return "USD per instance-hour";
  if (/Usd$/.test(leaf) || leaf === "usd") return "USD";
  return null;
}

function header(key: string): string {
  const unit = unitOf(key);
  return unit === null ? key : `${key} (${unit})`;
}

type Flat = Map<string, CellValue>;

/** Flatten one object's scalars: nested objects as `a.b`, arrays of scalars joined by ";". */
function flattenScalars(source: Record<string, unknown>, skip: Set<string>, prefix = "", out: Flat = new Map()): Flat {
  for (const [key, value] of Object.entries(source)) {
    if (skip.has(key)) continue;
    const name = prefix ? `${prefix}.${key}` : key;
    if (value === null || typeof value === "number" || typeof value === "string") out.set(name, value);
    else if (typeof value === "boolean") out.set(name, String(value));
    else if (Array.isArray(value)) {
      if (value.every((item) => typeof item === "number" || typeof item === "string")) {
        out.set(name, value.join(";"));
        if (key === "powerCapExceededMonths")
          out.set(`${prefix ? `${prefix}.` : ""}powerCapExceededMonthCount`, value.length);
      }
    } else if (typeof value === "object" && prefix === "") {
      flattenScalars(value as Record<string, unknown>, new Set(), name, out);
    }
  }
  return out;
}

/** Build a table from flat rows: columns in first-seen order, typed by their values. */
function tableOf(name: string, rows: Flat[]): Table {
  const keys: string[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    for (const key of row.keys()) {
      if (!seen.has(key)) {
        seen.add(key);
        keys.push(key);
      }
    }
  }
  const columns: Column[] = keys.map((key) => {
    const values = rows.map((row) => row.get(key) ?? null).filter((value) => value !== null);
    const numeric = values.length > 0 && values.every((value) => typeof value === "number");
    return { header: header(key), type: numeric || (values.length === 0 && unitOf(key) !== null) ? "number" : "text" };
  });
  return {
    name,
    columns,
    rows: rows.map((row) => keys.map((key) => row.get(key) ?? null)),
  };
}

interface ResultLike {
  startMonth?: unknown;
  options?: unknown;
  comparisons?: unknown;
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** "YYYY-MM" plus `months` months, or null when the start is not a valid month. */
export function addMonths(startMonth: unknown, months: number): string | null {
  if (typeof startMonth !== "string") return null;
  const match = /^(\d{4})-(\d{2})$/.exec(startMonth);
  if (!match) return null;
  const index = Number(match[1]) * 12 + (Number(match[2]) - 1) + months;
  return `${String(Math.floor(index / 12)).padStart(4, "0")}-${String((index % 12) + 1).padStart(2, "0")}`;
}

/** One row per option × month: option id and kind, month index and calendar month, every monthly figure. */
export function monthlyTable(result: unknown): Table {
  const { startMonth, options } = asRecord(result) as ResultLike;
  const rows: Flat[] = [];
  for (const option of asArray(options)) {
    const record = asRecord(option);
    for (const month of asArray(record.monthly)) {
      const monthRecord = asRecord(month);
      const row: Flat = new Map();
      row.set("optionId", typeof record.id === "string" ? record.id : "");
      row.set("optionKind", typeof record.kind === "string" ? record.kind : "");
      const index = typeof monthRecord.month === "number" ? monthRecord.month : null;
      row.set("month", index);
      row.set("calendarMonth", index === null ? null : addMonths(startMonth, index));
      flattenScalars(monthRecord, new Set(["month"]), "", row);
      rows.push(row);
    }
  }
  return tableOf("Monthly", rows);
}

/** One row per option × plan year (the kernel's yearly breakdown). */
export function yearlyTable(result: unknown): Table {
  const { options } = asRecord(result) as ResultLike;
  const rows: Flat[] = [];
  for (const option of asArray(options)) {
    const record = asRecord(option);
    for (const year of asArray(record.yearly)) {
      const row: Flat = new Map();
      row.set("optionId", typeof record.id === "string" ? record.id : "");
      row.set("optionKind", typeof record.kind === "string" ? record.kind : "");
      flattenScalars(asRecord(year), new Set(), "", row);
      rows.push(row);
    }
  }
  return tableOf("Yearly", rows);
}

/**
 * One row per option: its headline figures (NPV, TCO, levelised costs, $/GPU-hour, energy and
 * carbon) and, for options compared with the baseline, `vsBaseline.*` (payback, NPV savings, IRR).
 */
export function summaryTable(result: unknown): Table {
  const { options, comparisons } = asRecord(result) as ResultLike;
  const comparisonByOption = new Map<string, Record<string, unknown>>();
  for (const comparison of asArray(comparisons)) {
    const record = asRecord(comparison);
    if (typeof record.optionId === "string") comparisonByOption.set(record.optionId, record);
  }
  const rows: Flat[] = asArray(options).map((option) => {
    const record = asRecord(option);
    const id = typeof record.id === "string" ? record.id : "";
    const row: Flat = new Map();
    row.set("optionId", id);
    row.set("optionKind", typeof record.kind === "string" ? record.kind : "");
    flattenScalars(record, new Set(["id", "kind", "monthly", "yearly"]), "", row);
    const comparison = comparisonByOption.get(id);
    if (comparison) flattenScalars(comparison, new Set(["optionId"]), "vsBaseline", row);
    return row;
  });
  return tableOf("Summary", rows);
}

/** Facts about the plan for the workbook's first sheet (text cells). */
export function planInfoTable(info: Record<string, string | number>): Table {
  return {
    name: "Plan",
    columns: [
      { header: "field", type: "text" },
      { header: "value", type: "text" },
    ],
    rows: Object.entries(info).map(([key, value]) => [key, String(value)]),
  };
}
