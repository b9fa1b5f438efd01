// Price-book section: accelerator generations and their ratios to the predecessor (moved verbatim from book.ts).
import type { Confidence, Figure, Generation } from "../types.ts";
import type { AcceleratorSection } from "./book-accelerators.ts";
import type { BookContext } from "./book-context.ts";
import { figure, unique } from "./book-figures.ts";
import { CatalogRowError } from "./csv.ts";
import * as S from "./schemas.ts";

export function readGenerations(
  { read, idsAt, dataAsOf }: BookContext,
  { requireAccelerator, specOfKey }: Pick<AcceleratorSection, "requireAccelerator" | "specOfKey">,
): Generation[] {
  // --- generations ---------------------------------------------------------------------------
  const generationRows = read("generations.csv", S.GenerationRow);
  unique("generations.csv", generationRows, (row) => row.key, "key");
  const generationKeys = new Set(generationRows.map((item) => item.row.key));
  const generations: Generation[] = generationRows.map(({ line, row }) => {
    const file = "generations.csv";
    requireAccelerator(file, line, "flagship_accelerator", row.flagship_accelerator);
    if (row.predecessor && !generationKeys.has(row.predecessor))
      throw new CatalogRowError(file, line, "predecessor", 8, `unknown generation "${row.predecessor}"`);
    const spec = specOfKey.get(row.flagship_accelerator);
    if (!spec)
      throw new CatalogRowError(file, line, "flagship_accelerator", 7, "the flagship needs a gpu_specs.csv row");
    const announced = row.status === "announced";
    const specSource = `gpu_specs.csv line ${spec.line}: ${spec.row.source}`;
    const specTag: Confidence = announced ? "low" : "medium";
    const specFigure = (value: number | null, unit: string) =>
      value === null
        ? null
        : figure(value, unit, specSource, dataAsOf, specTag, null, idsAt("gpu_specs.csv", spec.line));
    let performanceRatioToPredecessor: Figure | null = null;
    const predecessorRow = generationRows.find((item) => item.row.key === row.predecessor);
    const predecessorSpec = predecessorRow ? specOfKey.get(predecessorRow.row.flagship_accelerator) : undefined;
    if (predecessorRow && predecessorSpec) {
      const pairs = [
        ["fp4_dense_tflops", "dense FP4"],
        ["fp8_dense_tflops", "dense FP8"],
        ["fp16_dense_tflops", "dense FP16"],
      ] as const;
      const pair = pairs.find(([column]) => spec.row[column] !== null && predecessorSpec.row[column] !== null);
      if (pair) {
        const [column, label] = pair;
        const mine = spec.row[column] ?? 0;
        const theirs = predecessorSpec.row[column] ?? 1;
        performanceRatioToPredecessor = figure(
          mine / theirs,
          `ratio of peak ${label} TFLOPS per GPU`,
          `gpu_specs.csv lines ${spec.line} and ${predecessorSpec.line}`,
          dataAsOf,
          announced ? "low" : "medium",
          `${row.flagship_accelerator} ${mine} / ${predecessorRow.row.flagship_accelerator} ${theirs} peak ${label} TFLOPS${announced ? "; announced figure whose dense/sparse basis is unclear" : ""}; datasheet peaks, not measured tokens/s`,
          [...idsAt("gpu_specs.csv", spec.line), ...idsAt("gpu_specs.csv", predecessorSpec.line)],
        );
      }
    }
    let priceRatioToPredecessor: Figure | null = null;
    if (row.price_assumption_ratio_to_predecessor !== null) {
      if (!row.price_assumption_source || !row.price_assumption_as_of) {
        throw new CatalogRowError(
          file,
          line,
          "price_assumption_source",
          13,
          "a price assumption needs its source and as_of",
        );
      }
      priceRatioToPredecessor = figure(
        row.price_assumption_ratio_to_predecessor,
        `ratio to predecessor price (${row.price_assumption_basis ?? "as stated"})`,
        row.price_assumption_source,
        row.price_assumption_as_of,
        "low",
        null,
        idsAt("generations.csv", line),
      );
    }
    return {
      key: row.key,
      vendor: row.vendor,
      name: row.name,
      status: row.status,
      announced: row.announced,
      firstAvailable: row.first_available,
      flagshipAccelerator: row.flagship_accelerator,
      predecessor: row.predecessor,
      availability: { source: row.availability_source, confidence: row.confidence },
      flagship: {
        hbmGb: specFigure(spec.row.hbm_gb, "GB"),
        hbmBandwidthTbps: specFigure(spec.row.hbm_bandwidth_tbps, "TB/s"),
        fp8DenseTflops: specFigure(
          spec.row.fp8_dense_tflops,
          announced ? "TFLOPS FP8 (announced; basis unclear)" : "TFLOPS dense FP8",
        ),
        fp4DenseTflops: specFigure(
          spec.row.fp4_dense_tflops,
          announced ? "TFLOPS FP4 (announced; basis unclear)" : "TFLOPS dense FP4",
        ),
        tdpW: specFigure(spec.row.tdp_w, "W"),
      },
      performanceRatioToPredecessor,
      priceRatioToPredecessor,
      notes: row.notes,
    };
  });
  return generations;
}
