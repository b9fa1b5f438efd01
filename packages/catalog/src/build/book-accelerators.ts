// Price-book section: accelerator keys, their alias tables and datasheet figures (moved verbatim from book.ts).
import type * as v from "valibot";
import type { AcceleratorKeyOnly, CatalogAccelerator, Figure } from "../types.ts";
import type { BookContext } from "./book-context.ts";
import { figure, unique } from "./book-figures.ts";
import { CatalogRowError, type Validated } from "./csv.ts";
import * as S from "./schemas.ts";

export function readAccelerators({ read, idsAt, dataAsOf }: BookContext) {
  // --- accelerator keys -------------------------------------------------------------------
  const acceleratorRows = read("accelerators.csv", S.AcceleratorRow);
  unique("accelerators.csv", acceleratorRows, (row) => row.key, "key");
  const acceleratorKeys = new Set(acceleratorRows.map((item) => item.row.key));
  const requireAccelerator = (file: string, line: number, column: string, key: string): string => {
    if (!acceleratorKeys.has(key))
      throw new CatalogRowError(file, line, column, 1, `unknown accelerator key "${key}"; add it to accelerators.csv`);
    return key;
  };
  const aliasRows = read("accelerator_aliases.csv", S.AcceleratorAliasRow);
  const aliases = new Map<string, string>();
  for (const { line, row } of aliasRows) {
    requireAccelerator("accelerator_aliases.csv", line, "accelerator_key", row.accelerator_key);
    aliases.set(`${row.dataset}|${row.raw_name}|${row.raw_variant ?? ""}`, row.accelerator_key);
  }
  const alias = (
    dataset: string,
    file: string,
    line: number,
    column: string,
    name: string,
    variant: string | null,
  ): string => {
    const key = aliases.get(`${dataset}|${name}|${variant ?? ""}`);
    if (!key) {
      throw new CatalogRowError(
        file,
        line,
        column,
        1,
        `no accelerator key for "${name}"${variant ? ` / "${variant}"` : ""}; add it to accelerator_aliases.csv`,
      );
    }
    return key;
  };

  // --- accelerators (datasheets) -----------------------------------------------------------
  const specRows = read("gpu_specs.csv", S.GpuSpecRow);
  const specByGpu = new Map(specRows.map((item) => [item.row.gpu, item] as const));
  const accelerators: CatalogAccelerator[] = [];
  const acceleratorKeysWithoutSpec: AcceleratorKeyOnly[] = [];
  const specOfKey = new Map<string, Validated<v.InferOutput<typeof S.GpuSpecRow>>>();
  for (const { line, row } of acceleratorRows) {
    const spec = row.spec_gpu ? specByGpu.get(row.spec_gpu) : undefined;
    if (row.spec_gpu && !spec)
      throw new CatalogRowError(
        "accelerators.csv",
        line,
        "spec_gpu",
        5,
        `no gpu_specs.csv row named "${row.spec_gpu}"`,
      );
    if (spec) specOfKey.set(row.key, spec);
    if (!spec || row.status === "announced" || spec.row.tdp_w === null) {
      acceleratorKeysWithoutSpec.push({
        key: row.key,
        vendor: row.vendor,
        name: row.name,
        generation: row.generation,
        status: row.status,
        note: row.note,
      });
      continue;
    }
    const s = spec.row;
    const tdpW = s.tdp_w;
    if (tdpW === null) continue;
    const source = `gpu_specs.csv line ${spec.line}: ${s.source}`;
    const specIds = idsAt("gpu_specs.csv", spec.line);
    // Datasheet figures do not age; asOf is the date the data set was compiled (SOURCES.md).
    const specFigure = (value: number | null, unit: string): Figure | null =>
      value === null ? null : figure(value, unit, source, dataAsOf, "medium", null, specIds);
    accelerators.push({
      key: row.key,
      vendor: s.vendor,
      name: row.name,
      architecture: s.architecture,
      launchYear: s.launch_year,
      tdpW,
      hbmGb: s.hbm_gb,
      hbmBandwidthTbps: s.hbm_bandwidth_tbps,
      fp16DenseTflops: s.fp16_dense_tflops,
      fp8DenseTflops: s.fp8_dense_tflops,
      fp4DenseTflops: s.fp4_dense_tflops,
      source: s.source,
      generation: row.generation,
      status: "shipping",
      scaleUpDomain: s.scale_up_domain,
      interconnectGBps: s.nvlink_or_if_bandwidth_gbps,
      note: row.note,
      figures: {
        tdpW: figure(tdpW, "W", source, dataAsOf, "medium", null, specIds),
        hbmGb: figure(s.hbm_gb, "GB", source, dataAsOf, "medium", null, specIds),
        hbmBandwidthTbps: figure(s.hbm_bandwidth_tbps, "TB/s", source, dataAsOf, "medium", null, specIds),
        fp16DenseTflops: specFigure(s.fp16_dense_tflops, "TFLOPS dense FP16/BF16"),
        fp8DenseTflops: specFigure(s.fp8_dense_tflops, "TFLOPS dense FP8"),
        fp4DenseTflops: specFigure(s.fp4_dense_tflops, "TFLOPS dense FP4"),
      },
    });
  }
  for (const { line, row } of specRows) {
    if (!acceleratorRows.some((item) => item.row.spec_gpu === row.gpu)) {
      throw new CatalogRowError("gpu_specs.csv", line, "gpu", 2, `no accelerators.csv row maps to "${row.gpu}"`);
    }
  }
  return { accelerators, acceleratorKeysWithoutSpec, specOfKey, requireAccelerator, alias };
}

/** What later sections take from the accelerator section. */
export type AcceleratorSection = ReturnType<typeof readAccelerators>;
