import { createHash } from "node:crypto";
import type * as v from "valibot";
import { buildTokenPrices } from "./token-prices.ts";
import type {
  AcceleratorKeyOnly,
  ApiOnlyModel,
  CatalogAccelerator,
  CatalogModel,
  CatalogModelArchitecture,
  CatalogThroughputPoint,
  CloudOffer,
  Confidence,
  DefaultFigure,
  FacilityFigure,
  Figure,
  Generation,
  PriceBook,
  RangeFigure,
  Region,
  ServerSku,
  SourceFile,
  StreetPrice,
} from "../types.ts";
import { CatalogRowError, parseCsv, readCsv, type Validated } from "./csv.ts";
import { checkSourceIds, readSources } from "./source-records.ts";
import { slug } from "../slug.ts";

export { slug };
import * as S from "./schemas.ts";
import { canonicalJson } from "@aifp/formats";

/** The data files a price book is built from, by file name (relative to `packages/catalog/data`). */
export const CATALOG_FILES = [
  "sources.csv",
  "accelerators.csv",
  "accelerator_aliases.csv",
  "gpu_specs.csv",
  "models.csv",
  "model_architecture.csv",
  "benchmark_rounds.csv",
  "inference_throughput.csv",
  "server_skus.csv",
  "server_accelerators.csv",
  "server_price_basis.csv",
  "street_prices.csv",
  "chassis_share.csv",
  "cloud_gpu_prices.csv",
  "energy.csv",
  "facility.csv",
  "generations.csv",
  "defaults.csv",
  "token_prices.csv",
] as const;

export type CatalogFileName = (typeof CATALOG_FILES)[number];

export interface CatalogManifest {
  /** Compilation date of the data, YYYY-MM-DD; the version is this date as YYYY.MM.DD. */
  dataAsOf: string;
  schemaVersion: number;
}

/** An inconsistency between rows or files (not a single bad cell). */
export class CatalogBuildError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CatalogBuildError";
  }
}

const CONFIDENCE_RANK: Record<Confidence, number> = { low: 0, medium: 1, high: 2 };

/** The weaker of several confidence tags. */
export function weakest(...tags: Confidence[]): Confidence {
  return tags.reduce(
    (worst, tag) => (CONFIDENCE_RANK[tag] < CONFIDENCE_RANK[worst] ? tag : worst),
    "high" as Confidence,
  );
}

/**
 * Read a free-text confidence tag ("high (price); medium (carbon proxy)", "low-medium",
 * "medium-high") for one topic. Two-level tags take the lower level; a tag naming other topics
 * only gives null.
 */
export function parseConfidenceTag(tag: string | null, topic: string | null = null): Confidence | null {
  if (!tag) return null;
  const segments = tag.split(";").map((segment) => segment.trim().toLowerCase());
  const levelOf = (segment: string): Confidence | null => {
    const match = /^(high|medium|low)(-(high|medium|low))?/.exec(segment);
    if (!match) return null;
    const first = match[1] as Confidence;
    const second = match[3] as Confidence | undefined;
    return second ? weakest(first, second) : first;
  };
  if (topic) {
    const named = segments.find((segment) => segment.includes(`(${topic}`));
    if (named) return levelOf(named);
    if (segments.some((segment) => segment.includes("("))) {
      return segments.length === 1 && !segments[0]?.includes("(") ? levelOf(segments[0] ?? "") : null;
    }
  }
  return levelOf(segments[0] ?? "");
}

export function figure(
  value: number,
  unit: string,
  source: string,
  asOf: string,
  confidenceTag: Confidence,
  method: string | null = null,
  sourceIds: readonly string[] = [],
): Figure {
  if (!Number.isFinite(value)) throw new CatalogBuildError(`figure "${unit}" from ${source} is not a finite number`);
  return {
    value,
    unit,
    source,
    sourceIds: [...new Set(sourceIds)],
    asOf,
    confidence: confidenceTag,
    derived: method !== null,
    method,
  };
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** JSON with object keys sorted recursively: the canonical form hashed into `contentHash` (one function, @aifp/formats). */
export { canonicalJson };

function byKey<TItem>(items: TItem[], keyOf: (item: TItem) => string): TItem[] {
  return [...items].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
}

function unique<TItem>(file: string, items: Validated<TItem>[], keyOf: (row: TItem) => string, column: string): void {
  const seen = new Map<string, number>();
  for (const item of items) {
    const key = keyOf(item.row);
    const first = seen.get(key);
    if (first !== undefined)
      throw new CatalogRowError(file, item.line, column, 1, `duplicate key "${key}" (first on line ${first})`);
    seen.set(key, item.line);
  }
}

/** Compare dates given at year / month / day precision by their first day ("2024" < "2024-03"). */
function laterDate(a: string, b: string): string {
  return a.localeCompare(b) >= 0 ? a : b;
}

function parseLatency(constraint: string): {
  inputTokens: number | null;
  outputTokens: number | null;
  p99TtftLimitMs: number | null;
  p99TpotLimitMs: number | null;
  medianTtftMs: number | null;
  medianTpotMs: number | null;
} {
  const number = (pattern: RegExp): number | null => {
    const match = pattern.exec(constraint);
    return match?.[1] === undefined ? null : Number(match[1]);
  };
  const lengths = /ISL\/OSL (\d+)\/(\d+)/.exec(constraint);
  return {
    inputTokens: lengths?.[1] === undefined ? null : Number(lengths[1]),
    outputTokens: lengths?.[2] === undefined ? null : Number(lengths[2]),
    p99TtftLimitMs: number(/p99 TTFT<=(\d+(?:\.\d+)?)ms/),
    p99TpotLimitMs: number(/p99 TPOT<=(\d+(?:\.\d+)?)ms/),
    medianTtftMs: number(/median TTFT (\d+(?:\.\d+)?) ms/),
    medianTpotMs: number(/median TPOT (\d+(?:\.\d+)?) ms/),
  };
}

/**
 * Build the public price book from the catalog's CSV texts (pure apart from hashing).
 * Every row is validated (a bad cell throws {@link CatalogRowError} naming file, line and
 * column); keys are normalised through `accelerators.csv` and its alias tables; gaps are filled
 * only where a cited rule allows it, each such figure marked derived with its method.
 */
export function buildPriceBook(files: Record<CatalogFileName, string>, manifest: CatalogManifest): PriceBook {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(manifest.dataAsOf))
    throw new CatalogBuildError("manifest.dataAsOf: expected YYYY-MM-DD");
  const dataAsOf = manifest.dataAsOf;
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

  // --- models --------------------------------------------------------------------------------
  const modelRows = read("models.csv", S.ModelRow);
  unique("models.csv", modelRows, (row) => row.key, "key");
  const modelByBenchmark = new Map<string, string>();
  const models: CatalogModel[] = [];
  const apiOnlyModels: ApiOnlyModel[] = [];
  for (const { line, row } of modelRows) {
    if (row.open_weights === "false") {
      // Closed models: parameter counts are unpublished, so none may be given (never invented).
      for (const [column, index, value] of [
        ["architecture", 3, row.architecture],
        ["parameters_b", 4, row.parameters_b],
        ["active_parameters_b", 5, row.active_parameters_b],
        ["benchmark_names", 7, row.benchmark_names],
      ] as const) {
        if (value !== null)
          throw new CatalogRowError(
            "models.csv",
            line,
            column,
            index,
            "a closed model (open_weights false) has no published value here; leave it blank",
          );
      }
      apiOnlyModels.push({
        key: row.key,
        name: row.name,
        owner: row.owner,
        licence: row.licence,
        contextTokens: row.context_tokens,
        openWeights: false,
        source: row.source,
        asOf: row.as_of,
        confidence: row.confidence,
        note: row.notes,
      });
      continue;
    }
    if (row.architecture === null)
      throw new CatalogRowError(
        "models.csv",
        line,
        "architecture",
        3,
        "expected dense or moe for an open-weight model",
      );
    if (row.parameters_b === null)
      throw new CatalogRowError(
        "models.csv",
        line,
        "parameters_b",
        4,
        "expected the parameter count of an open-weight model",
      );
    if (row.active_parameters_b === null)
      throw new CatalogRowError(
        "models.csv",
        line,
        "active_parameters_b",
        5,
        "expected the active parameter count of an open-weight model",
      );
    if (row.active_parameters_b > row.parameters_b) {
      throw new CatalogRowError(
        "models.csv",
        line,
        "active_parameters_b",
        5,
        "expected active parameters ≤ total parameters",
      );
    }
    if (row.architecture === "dense" && row.active_parameters_b !== row.parameters_b) {
      throw new CatalogRowError(
        "models.csv",
        line,
        "active_parameters_b",
        5,
        "a dense model activates all its parameters",
      );
    }
    const benchmarkNames = row.benchmark_names ? row.benchmark_names.split(";").map((name) => name.trim()) : [];
    for (const name of benchmarkNames) {
      if (modelByBenchmark.has(name))
        throw new CatalogRowError("models.csv", line, "benchmark_names", 7, `benchmark "${name}" is already mapped`);
      modelByBenchmark.set(name, row.key);
    }
    models.push({
      key: row.key,
      name: row.name,
      parametersB: row.parameters_b,
      activeParametersB: row.active_parameters_b,
      source: row.source,
      architecture: row.architecture,
      releasePrecision: row.release_precision,
      benchmarkNames,
      asOf: row.as_of,
      confidence: row.confidence,
      note: row.notes,
      contextTokens: row.context_tokens,
      licence: row.licence,
      owner: row.owner,
      openWeights: true,
    });
  }

  // --- model architectures --------------------------------------------------------------------
  // Rows for models not (yet) in models.csv are ignored: the architecture file may run ahead of
  // the model list, and only models the book knows are served.
  const architectureRows = read("model_architecture.csv", S.ModelArchitectureRow);
  unique("model_architecture.csv", architectureRows, (row) => row.key, "key");
  const knownModelKeys = new Set(models.map((model) => model.key));
  const modelArchitectures: CatalogModelArchitecture[] = architectureRows
    .filter(({ row }) => knownModelKeys.has(row.key))
    .map(({ line, row }) => {
      const file = "model_architecture.csv";
      if (row.active_parameters_b > row.total_parameters_b)
        throw new CatalogRowError(
          file,
          line,
          "active_parameters_b",
          23,
          "expected active parameters ≤ total parameters",
        );
      if (row.attention === "mla" && (row.kv_lora_rank === null || row.qk_rope_head_dim === null))
        throw new CatalogRowError(
          file,
          line,
          "kv_lora_rank",
          10,
          "an MLA model needs kv_lora_rank and qk_rope_head_dim",
        );
      if (row.attention === "gqa" && row.kv_heads === null)
        throw new CatalogRowError(file, line, "kv_heads", 8, "a GQA model needs kv_heads");
      if ((row.sliding_window_tokens === null) !== (row.sliding_window_layers === null))
        throw new CatalogRowError(
          file,
          line,
          "sliding_window_layers",
          13,
          "give both sliding_window_tokens and sliding_window_layers, or neither",
        );
      if (row.sliding_window_layers !== null && row.sliding_window_layers > row.layers)
        throw new CatalogRowError(file, line, "sliding_window_layers", 13, "expected at most `layers` sliding layers");
      return {
        key: row.key,
        name: row.name,
        hfRepo: row.hf_repo,
        attention: row.attention,
        layers: row.layers,
        hiddenSize: row.hidden_size,
        attentionHeads: row.attention_heads,
        kvHeads: row.kv_heads,
        headDim: row.head_dim,
        kvLoraRank: row.kv_lora_rank,
        qkRopeHeadDim: row.qk_rope_head_dim,
        slidingWindowTokens: row.sliding_window_tokens,
        slidingWindowLayers: row.sliding_window_layers ?? 0,
        ffnSize: row.ffn_size,
        moeFfnSize: row.moe_ffn_size,
        expertsTotal: row.experts_total,
        expertsShared: row.experts_shared,
        expertsActivePerToken: row.experts_active_per_token,
        moeLayers: row.moe_layers,
        vocabSize: row.vocab_size,
        totalParametersB: row.total_parameters_b,
        activeParametersB: row.active_parameters_b,
        source: row.source,
        asOf: row.as_of,
        confidence: row.confidence,
        note: row.notes,
      };
    });

  // --- throughput points ---------------------------------------------------------------------
  const rounds = new Map(
    read("benchmark_rounds.csv", S.BenchmarkRoundRow).map((item) => [item.row.source, item.row] as const),
  );
  const throughputText = files["inference_throughput.csv"];
  const throughputRows = read("inference_throughput.csv", S.ThroughputRow);
  const pointIds = new Map<string, number>();
  // A row may name its model by a benchmark name (models.csv benchmark_names) or by its model
  // key. Rows of a model that has an architecture row but no models.csv row yet are held back
  // (the model list runs behind the measurements); any other unknown name fails the build.
  const architectureKeys = new Set(architectureRows.map(({ row }) => row.key));
  const throughputPoints: CatalogThroughputPoint[] = throughputRows.flatMap(({ line, row }) => {
    const file = "inference_throughput.csv";
    const round = rounds.get(row.source);
    if (!round) throw new CatalogRowError(file, line, "source", 1, `no benchmark_rounds.csv row for "${row.source}"`);
    const model = modelByBenchmark.get(row.model) ?? (knownModelKeys.has(row.model) ? row.model : undefined);
    if (!model && architectureKeys.has(row.model)) return [];
    if (!model)
      throw new CatalogRowError(
        file,
        line,
        "model",
        6,
        `"${row.model}" is neither a models.csv key nor listed in its benchmark_names`,
      );
    const accelerator = alias("inference_throughput", file, line, "accelerator", row.accelerator, null);
    const asOf = row.run_date ?? round.as_of;
    if (!asOf)
      throw new CatalogRowError(file, line, "run_date", 20, "expected a run date (the round has no publication date)");
    // The per-accelerator rate must be the system rate divided by the accelerator count
    // (the CSV rounds InferenceX rates to 0.1 tok/s, hence the absolute slack of 0.05).
    const perGpu = row.tokens_per_second_system / row.accelerator_count;
    if (Math.abs(perGpu - row.tokens_per_second_per_accelerator) > Math.max(0.051, 0.001 * perGpu)) {
      throw new CatalogRowError(
        file,
        line,
        "tokens_per_second_per_accelerator",
        10,
        `expected tokens_per_second_system / accelerator_count = ${perGpu.toFixed(2)}`,
      );
    }
    const latency = parseLatency(row.latency_constraint);
    // The id hashes the measurement, not its citation: converting sources to ids (ADR 030) keeps ids stable.
    const { source_ids: sourceIdsCell, ...measurement } = row;
    const id = `tp_${sha256(canonicalJson(measurement)).slice(0, 16)}`;
    const pointSourceIds = sourceIdsCell === undefined ? [] : idsAt(file, line);
    const firstLine = pointIds.get(id);
    if (firstLine !== undefined)
      throw new CatalogRowError(file, line, "source", 1, `duplicate row (same as line ${firstLine})`);
    pointIds.set(id, line);
    return {
      id,
      source: row.source,
      accelerator,
      model,
      scenario: row.scenario,
      precision: row.precision,
      inputTokens: latency.inputTokens,
      outputTokens: latency.outputTokens,
      outputTokensPerSecondPerGpu: row.tokens_per_second_per_accelerator,
      totalTokensPerSecondPerGpu: row.tokens_per_second_per_accelerator_input_plus_output,
      interactivityTokensPerSecondPerUser: row.interactivity_tokens_per_s_per_user,
      system: row.system,
      url: row.result_url_or_path,
      asOf,
      benchmark: row.model,
      submitter: row.submitter,
      acceleratorCount: row.accelerator_count,
      p99TtftLimitMs: latency.p99TtftLimitMs,
      p99TpotLimitMs: latency.p99TpotLimitMs,
      medianTtftMs: latency.medianTtftMs,
      medianTpotMs: latency.medianTpotMs,
      latencyConstraint: row.latency_constraint,
      powerW: row.power_w,
      powerScope: row.power_scope,
      software: row.software,
      inferred: (row.notes ?? "").includes("inferred=1"),
      // Ids of the round's sources once the file is converted (ADR 030); absent before.
      ...(pointSourceIds.length > 0 ? { sourceIds: pointSourceIds } : {}),
      confidence: round.confidence,
      sourceLine: line,
    } satisfies CatalogThroughputPoint;
  });
  void throughputText;

  // --- street prices and chassis share (for derived server prices) ----------------------------
  const streetPriceRows = read("street_prices.csv", S.StreetPriceRow);
  unique("street_prices.csv", streetPriceRows, (row) => row.accelerator_key, "accelerator_key");
  const streetPrices: StreetPrice[] = streetPriceRows.map(({ line, row }) => {
    requireAccelerator("street_prices.csv", line, "accelerator_key", row.accelerator_key);
    if (row.price_usd_high < row.price_usd_low)
      throw new CatalogRowError("street_prices.csv", line, "price_usd_high", 3, "expected high ≥ low");
    const streetIds = idsAt("street_prices.csv", line);
    const priceFigure = (usd: number) =>
      figure(usd, "USD per GPU", row.source, row.as_of, row.confidence, row.derived_method, streetIds);
    return {
      accelerator: row.accelerator_key,
      priceUsdRange: { low: priceFigure(row.price_usd_low), high: priceFigure(row.price_usd_high) },
      notes: row.notes,
    };
  });
  const chassisRows = read("chassis_share.csv", S.ChassisShareRow);

  // --- servers -----------------------------------------------------------------------------
  const serverAccelerators = read("server_accelerators.csv", S.ServerAcceleratorRow);
  unique("server_accelerators.csv", serverAccelerators, (row) => `${row.vendor}|${row.sku}`, "sku");
  const serverAcceleratorBySku = new Map(
    serverAccelerators.map((item) => [`${item.row.vendor}|${item.row.sku}`, item] as const),
  );
  const priceBasis = read("server_price_basis.csv", S.ServerPriceBasisRow);
  const serverRows = read("server_skus.csv", S.ServerSkuRow);
  unique("server_skus.csv", serverRows, (row) => slug(row.vendor, row.sku), "sku");
  const serversDraft = serverRows.map(({ line, row }) => {
    const file = "server_skus.csv";
    const mapping = serverAcceleratorBySku.get(`${row.vendor}|${row.sku}`);
    if (!mapping)
      throw new CatalogRowError(file, line, "sku", 2, `no server_accelerators.csv row for ${row.vendor} ${row.sku}`);
    const accelerator = requireAccelerator(
      "server_accelerators.csv",
      mapping.line,
      "accelerator_key",
      mapping.row.accelerator_key,
    );
    const acceleratorOptions = (mapping.row.accelerator_options ?? "")
      .split(";")
      .map((key) => key.trim())
      .filter((key) => key !== "")
      .map((key) => requireAccelerator("server_accelerators.csv", mapping.line, "accelerator_options", key));
    const specSource = `server_skus.csv line ${line}: ${row.spec_source}`;
    const serverIds = idsAt("server_skus.csv", line);
    let priceUsdRange: RangeFigure | null = null;
    if ((row.reference_price_usd_low === null) !== (row.reference_price_usd_high === null)) {
      throw new CatalogRowError(
        file,
        line,
        "reference_price_usd_high",
        14,
        "expected both ends of the price range or neither",
      );
    }
    if (row.reference_price_usd_low !== null && row.reference_price_usd_high !== null) {
      if (row.reference_price_usd_high < row.reference_price_usd_low) {
        throw new CatalogRowError(file, line, "reference_price_usd_high", 14, "expected high ≥ low");
      }
      const priceSource = row.price_source;
      if (!priceSource)
        throw new CatalogRowError(file, line, "price_source", 15, "a priced row needs its price_source");
      const tag = parseConfidenceTag(priceSource);
      if (!tag)
        throw new CatalogRowError(
          file,
          line,
          "price_source",
          15,
          "expected the price source to start with high, medium or low",
        );
      const basis = priceBasis.filter((item) => priceSource.includes(item.row.price_source_contains));
      if (basis.length !== 1 || !basis[0]) {
        throw new CatalogRowError(
          file,
          line,
          "price_source",
          15,
          `expected exactly one server_price_basis.csv row to match (found ${basis.length})`,
        );
      }
      // Platform prices copied onto an OEM row are class references: low confidence per OEM (NOTES.md).
      const oemCopy = /applied to OEM rack|class reference/.test(priceSource);
      const confidenceTag = basis[0].row.confidence_override || (oemCopy ? "low" : tag);
      const source = `server_skus.csv line ${line}: ${priceSource}`;
      priceUsdRange = {
        low: figure(
          row.reference_price_usd_low,
          "USD per server",
          source,
          basis[0].row.low_as_of,
          confidenceTag,
          null,
          serverIds,
        ),
        high: figure(
          row.reference_price_usd_high,
          "USD per server",
          source,
          basis[0].row.high_as_of,
          confidenceTag,
          null,
          serverIds,
        ),
      };
    }
    const publishedPowerConfidence: Confidence = /reseller/i.test(`${row.notes ?? ""}`) ? "low" : "medium";
    return {
      line,
      row,
      server: {
        id: slug(row.vendor, row.sku),
        vendor: row.vendor,
        sku: row.sku,
        formFactor: row.form_factor,
        accelerator,
        acceleratorOptions,
        gpuModelAsPublished: row.gpu_model,
        gpusPerServer: row.gpu_count,
        cpu: row.cpu,
        systemMemoryGb: row.system_memory_gb,
        rackUnits:
          row.rack_units === null ? null : figure(row.rack_units, "U", specSource, dataAsOf, "medium", null, serverIds),
        powerKw:
          row.max_power_kw === null
            ? null
            : figure(
                row.max_power_kw,
                "kW (system maximum)",
                specSource,
                dataAsOf,
                publishedPowerConfidence,
                null,
                serverIds,
              ),
        cooling: row.cooling,
        networking: row.networking,
        launchYear: row.launch_year,
        priceUsdRange,
        priceUsd: null,
        specSource: row.spec_source,
        notes: row.notes,
      } satisfies ServerSku as ServerSku,
    };
  });
  /** Baseboard form of an accelerator: SXM (HGX), OAM (AMD Instinct, Intel Gaudi UBB) or PCIe card. */
  const acceleratorForm = (key: string): "sxm" | "oam" | "pcie" =>
    key.includes("-SXM-") ? "sxm" : /^(MI\d|Gaudi)/.test(key) ? "oam" : "pcie";
  // The reference design: NVIDIA's DGX H100 publishes its maximum power; its GPUs' share of it
  // (8 × 700 W of 10.2 kW) scales any server's GPU power to a system figure.
  const reference = serversDraft.find(
    (item) =>
      item.server.vendor === "NVIDIA" &&
      item.server.formFactor === "server" &&
      item.server.accelerator === "H100-SXM-80GB" &&
      item.server.powerKw !== null,
  );
  const referenceSpec = reference ? specOfKey.get(reference.server.accelerator) : undefined;
  const referenceDesignPower = (server: ServerSku): Figure | null => {
    const spec = specOfKey.get(server.accelerator);
    const tdpW = spec?.row.tdp_w ?? null;
    const referenceTdpW = referenceSpec?.row.tdp_w ?? null;
    if (!reference?.server.powerKw || tdpW === null || referenceTdpW === null || !spec) return null;
    const referenceKw = reference.server.powerKw.value;
    const gpuShare = (reference.server.gpusPerServer * referenceTdpW) / 1000 / referenceKw;
    const value = Math.round(((server.gpusPerServer * tdpW) / 1000 / gpuShare) * 10) / 10;
    return figure(
      value,
      "kW (system maximum)",
      `gpu_specs.csv line ${spec.line} (${server.accelerator} TDP ${tdpW} W); reference ${reference.server.vendor} ${reference.server.sku}: ${reference.server.powerKw.source}`,
      laterDate(reference.server.powerKw.asOf, dataAsOf),
      "low",
      `reference-design power: ${server.gpusPerServer} × ${tdpW} W GPU TDP ÷ ${gpuShare.toFixed(3)}, the GPU share of the ${reference.server.sku} maximum (${reference.server.gpusPerServer} × ${referenceTdpW} W of ${referenceKw} kW); a planning figure, not an OEM figure (ADR 016)`,
      [...idsAt("gpu_specs.csv", spec.line), ...(reference.server.powerKw.sourceIds ?? [])],
    );
  };
  const servers: ServerSku[] = serversDraft.map(({ server }) => {
    // Gap 1: power of an OEM server from its NVIDIA DGX / reference analogue (same GPU, same count).
    if (server.powerKw === null) {
      const analogue = serversDraft.find(
        (other) =>
          other.server.vendor === "NVIDIA" &&
          other.server.accelerator === server.accelerator &&
          other.server.gpusPerServer === server.gpusPerServer &&
          other.server.powerKw !== null &&
          !other.server.powerKw.derived,
      );
      if (analogue?.server.powerKw) {
        server.powerKw = figure(
          analogue.server.powerKw.value,
          "kW (system maximum)",
          `analogue ${analogue.server.vendor} ${analogue.server.sku}: ${analogue.server.powerKw.source}`,
          analogue.server.powerKw.asOf,
          "low",
          `NVIDIA reference analogue: the ${analogue.server.sku} maximum system power (same accelerator, ${server.gpusPerServer} GPUs), used as a planning figure; not an OEM figure (NOTES.md, on-prem section 2)`,
          analogue.server.powerKw.sourceIds,
        );
      }
    }
    // Gap 1b: power of any other server from the reference design (ADR 016): the accelerators'
    // TDP × count ÷ the GPU share of the NVIDIA reference server's published maximum power.
    if (server.powerKw === null && server.formFactor === "server") server.powerKw = referenceDesignPower(server);
    // Gap 2: price of an unpriced server from per-GPU street prices plus a chassis share of the
    // same baseboard form (SXM, OAM or PCIe) and GPU count.
    if (server.priceUsdRange === null && server.formFactor === "server") {
      const street = streetPrices.find((price) => price.accelerator === server.accelerator);
      const form = acceleratorForm(server.accelerator);
      const chassis = chassisRows.find(
        (item) => item.row.gpus_per_server === server.gpusPerServer && item.row.accelerator_form === form,
      );
      if (street && chassis) {
        const c = chassis.row;
        const streetMethod = street.priceUsdRange.low.method
          ? ` (street price derived: ${street.priceUsdRange.low.method})`
          : "";
        const method = (end: "low" | "high", perGpu: number, share: number) =>
          `${server.gpusPerServer} × ${end} per-GPU street price $${perGpu} + ${end} ${form === "sxm" ? "" : `${form.toUpperCase()} `}chassis share $${share} (CPUs, RAM, NICs, chassis)${streetMethod}`;
        const source = `${street.priceUsdRange.low.source}; chassis share: ${c.source}`;
        const derivedIds = [...(street.priceUsdRange.low.sourceIds ?? []), ...idsAt("chassis_share.csv", chassis.line)];
        const lowValue = server.gpusPerServer * street.priceUsdRange.low.value + c.price_usd_low;
        const highValue = server.gpusPerServer * street.priceUsdRange.high.value + c.price_usd_high;
        server.priceUsdRange = {
          low: figure(
            lowValue,
            "USD per server",
            source,
            laterDate(street.priceUsdRange.low.asOf, c.as_of),
            "low",
            method("low", street.priceUsdRange.low.value, c.price_usd_low),
            derivedIds,
          ),
          high: figure(
            highValue,
            "USD per server",
            source,
            laterDate(street.priceUsdRange.high.asOf, c.as_of),
            "low",
            method("high", street.priceUsdRange.high.value, c.price_usd_high),
            derivedIds,
          ),
        };
      }
    }
    // The one price the resolver uses: the midpoint of the range.
    if (server.priceUsdRange !== null) {
      const { low, high } = server.priceUsdRange;
      const same = low.value === high.value;
      server.priceUsd = same
        ? { ...low }
        : figure(
            (low.value + high.value) / 2,
            "USD per server",
            low.source,
            laterDate(low.asOf, high.asOf),
            weakest(low.confidence, high.confidence),
            `midpoint of the range $${low.value}–$${high.value}${low.derived ? ` (range derived: ${low.method})` : ""}`,
            low.sourceIds,
          );
    }
    return server;
  });

  // --- cloud offers ------------------------------------------------------------------------
  const cloudRows = read("cloud_gpu_prices.csv", S.CloudPriceRow);
  unique(
    "cloud_gpu_prices.csv",
    cloudRows,
    (row) => slug(row.provider, row.instance_type, row.commitment),
    "instance_type",
  );
  const cloudOffers: CloudOffer[] = cloudRows.map(({ line, row }) => {
    const file = "cloud_gpu_prices.csv";
    const accelerator = alias("cloud_gpu_prices", file, line, "accelerator", row.accelerator, row.accelerator_variant);
    const expectedPerGpu = row.price_on_demand_usd_per_hour / row.accelerator_count;
    if (Math.abs(expectedPerGpu - row.price_per_gpu_hour_usd) > Math.max(0.0002, 0.002 * expectedPerGpu)) {
      throw new CatalogRowError(
        file,
        line,
        "price_per_gpu_hour_usd",
        16,
        `expected price_on_demand_usd_per_hour / accelerator_count = ${expectedPerGpu.toFixed(4)}`,
      );
    }
    const suspect = /SUSPECT/.test(row.notes ?? "");
    const quality = row.as_of_quality.toLowerCase();
    const confidenceTag: Confidence =
      suspect || row.commitment === "capacity_block" || row.status !== "current"
        ? "low"
        : quality.startsWith("estimated")
          ? "medium"
          : "high";
    const source = `cloud_gpu_prices.csv line ${line}: ${row.source}`;
    const basis =
      row.commitment === "none"
        ? "on demand, cheapest listed region"
        : row.commitment === "1y" || row.commitment === "3y"
          ? `${row.commitment === "1y" ? "1" : "3"}-year commitment, effective hourly rate, cheapest region`
          : row.commitment === "capacity_block"
            ? "capacity block effective hourly rate (stale, dynamic pricing)"
            : "spot / preemptible rate, cheapest region";
    const price = (value: number, unit: string) =>
      figure(value, unit, source, row.as_of, confidenceTag, null, idsAt("cloud_gpu_prices.csv", line));
    return {
      id: slug(row.provider, row.instance_type, row.commitment),
      provider: row.provider,
      providerKind: row.provider_kind,
      instanceType: row.instance_type,
      accelerator,
      acceleratorCount: row.accelerator_count,
      gpuMemoryGb: row.gpu_memory_gb,
      vcpus: row.vcpus,
      memoryGib: row.memory_gib,
      region: row.region,
      regionsCount: row.regions_count,
      commitment: row.commitment,
      termYears:
        row.commitment === "1y" ? 1 : row.commitment === "3y" ? 3 : row.commitment === "capacity_block" ? null : 0,
      priceUsdPerHour: price(row.price_on_demand_usd_per_hour, `USD per instance-hour (${basis})`),
      priceMedianRegionUsdPerHour:
        row.price_median_region_usd_per_hour === null
          ? null
          : price(row.price_median_region_usd_per_hour, "USD per instance-hour (median region)"),
      spotPriceUsdPerHour:
        row.price_spot_usd_per_hour === null
          ? null
          : price(row.price_spot_usd_per_hour, "USD per instance-hour (spot, cheapest region)"),
      priceUsdPerGpuHour: price(row.price_per_gpu_hour_usd, `USD per GPU-hour (${basis})`),
      asOfQuality: row.as_of_quality,
      notes: row.notes,
      suspect,
      status: row.status,
    };
  });

  // --- regions -----------------------------------------------------------------------------
  const energyRows = read("energy.csv", S.EnergyRow);
  unique("energy.csv", energyRows, (row) => `${row.region_code}|${row.customer_class}`, "customer_class");
  const regionMap = new Map<string, Region>();
  for (const { line, row } of energyRows) {
    const file = "energy.csv";
    let region = regionMap.get(row.region_code);
    if (!region) {
      region = {
        code: row.region_code,
        name: row.region_name,
        electricity: [],
        defaultCustomerClass: null,
        gridCarbonGPerKwh: null,
        gridCarbonAltGPerKwh: null,
        notes: row.notes,
      };
      regionMap.set(row.region_code, region);
    }
    if (row.price_usd_per_kwh !== null) {
      if (row.year === null) throw new CatalogRowError(file, line, "year", 5, "a price needs its data year");
      const tag = parseConfidenceTag(row.confidence, "price");
      if (!tag)
        throw new CatalogRowError(
          file,
          line,
          "confidence",
          16,
          "expected a confidence tag for the price (high, medium or low)",
        );
      region.electricity.push({
        customerClass: row.customer_class,
        usdPerKwh: figure(
          row.price_usd_per_kwh,
          "USD per kWh",
          `energy.csv line ${line}: ${row.source}`,
          String(row.year),
          tag,
          null,
          idsAt("energy.csv", line),
        ),
        priceLocal: row.price_local,
        currency: row.currency,
        pricePeriod: row.price_period,
        priceBasis: row.price_basis,
      });
    }
    if (row.grid_carbon_g_per_kwh !== null) {
      if (row.grid_carbon_year === null)
        throw new CatalogRowError(file, line, "grid_carbon_year", 13, "a carbon figure needs its year");
      const carbon = figure(
        row.grid_carbon_g_per_kwh,
        "gCO2 per kWh",
        `energy.csv line ${line}: ${row.grid_carbon_source ?? row.source}`,
        String(row.grid_carbon_year),
        parseConfidenceTag(row.confidence, "carbon") ?? "medium",
        null,
        idsAt("energy.csv", line),
      );
      if (region.gridCarbonGPerKwh && region.gridCarbonGPerKwh.value !== carbon.value) {
        throw new CatalogRowError(
          file,
          line,
          "grid_carbon_g_per_kwh",
          6,
          `conflicts with ${region.gridCarbonGPerKwh.value} on an earlier row of ${row.region_code}`,
        );
      }
      region.gridCarbonGPerKwh ??= carbon;
    }
    if (row.grid_carbon_alt_electricitymaps_2024 !== null && region.gridCarbonAltGPerKwh === null) {
      region.gridCarbonAltGPerKwh = figure(
        row.grid_carbon_alt_electricitymaps_2024,
        "gCO2 per kWh (Electricity Maps 2024, consumption-based lifecycle)",
        `energy.csv line ${line}: Electricity Maps yearly average 2024 (co2.js)`,
        "2024",
        "medium",
      );
    }
  }
  const regions = byKey([...regionMap.values()], (region) => region.code).map((region) => {
    const industrial = region.electricity.find((price) => price.customerClass === "industrial");
    region.electricity = byKey(region.electricity, (price) => price.customerClass);
    region.defaultCustomerClass = industrial?.customerClass ?? region.electricity[0]?.customerClass ?? null;
    return region;
  });

  // --- facility ------------------------------------------------------------------------------
  const facilityRows = read("facility.csv", S.FacilityRow);
  const facility: FacilityFigure[] = facilityRows.map(({ line, row }) => {
    const file = "facility.csv";
    const source = `facility.csv line ${line}: ${row.source}`;
    const facilityIds = idsAt("facility.csv", line);
    let unit = row.unit;
    let scale = 1;
    if (unit.startsWith("%")) {
      // Fractions 0–1 inside the product (docs/architecture.md convention 1).
      unit = `fraction${unit.slice(1)}`;
      scale = 0.01;
    }
    let single: Figure | null = null;
    let range: RangeFigure | null = null;
    if (row.value !== "") {
      if (row.year === null) throw new CatalogRowError(file, line, "year", 6, "a value needs its year");
      const tag = parseConfidenceTag(row.confidence);
      if (!tag)
        throw new CatalogRowError(file, line, "confidence", 9, "expected a confidence tag (high, medium or low)");
      const asOf = String(row.year);
      const rangeMatch = /^(-?\d+(?:\.\d+)?)-(\d+(?:\.\d+)?)$/.exec(row.value);
      if (rangeMatch?.[1] !== undefined && rangeMatch[2] !== undefined) {
        const low = Number(rangeMatch[1]) * scale;
        const high = Number(rangeMatch[2]) * scale;
        range = {
          low: figure(low, unit, source, asOf, tag, null, facilityIds),
          high: figure(high, unit, source, asOf, tag, null, facilityIds),
        };
        single = figure(
          (low + high) / 2,
          unit,
          source,
          asOf,
          tag,
          `midpoint of the published range ${row.value} ${row.unit}`,
          facilityIds,
        );
      } else {
        single = figure(
          Number(row.value) * scale,
          unit,
          source,
          asOf,
          tag,
          scale === 1 ? null : `published ${row.value}${row.unit.slice(0, 1)} as a fraction`,
          facilityIds,
        );
      }
    }
    return {
      id: slug(
        row.category,
        (row.market_or_cooling_type.split("(")[0] ?? "").slice(0, 32),
        row.year === null ? "gap" : String(row.year),
      ),
      category: row.category,
      item: row.item,
      market: row.market_or_cooling_type,
      figure: single,
      range,
      sourceUrl: row.source_url,
      notes: row.notes,
    };
  });
  // Short ids (category, market, year); where two rows share them, the item disambiguates.
  const idCounts = new Map<string, number>();
  for (const item of facility) idCounts.set(item.id, (idCounts.get(item.id) ?? 0) + 1);
  const facilityIds = new Set<string>();
  facility.forEach((item, index) => {
    if ((idCounts.get(item.id) ?? 0) > 1) item.id = slug(item.id, item.item.split(/\s+/).slice(0, 3).join(" "));
    if (facilityIds.has(item.id))
      throw new CatalogRowError("facility.csv", facilityRows[index]?.line ?? 0, "item", 2, `duplicate id ${item.id}`);
    facilityIds.add(item.id);
  });

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

  // --- defaults and token prices -------------------------------------------------------------
  const defaultRows = read("defaults.csv", S.DefaultRow);
  unique("defaults.csv", defaultRows, (row) => row.key, "key");
  const defaults: DefaultFigure[] = defaultRows.map(({ line, row }) => ({
    key: row.key,
    figure: figure(
      row.value,
      row.unit,
      `defaults.csv line ${line}: ${row.source}`,
      row.as_of,
      row.confidence,
      row.derived_method,
      idsAt("defaults.csv", line),
    ),
    low: row.low,
    high: row.high,
    notes: row.notes,
  }));
  const { tokenPrices, apiPriceTrend } = buildTokenPrices(
    read("token_prices.csv", S.TokenPriceRow),
    new Set([...models.map((model) => model.key), ...apiOnlyModels.map((model) => model.key)]),
    (line) => idsAt("token_prices.csv", line),
  );

  const fileList: SourceFile[] = CATALOG_FILES.map((name) => ({
    path: `data/${name}`,
    sha256: sha256(files[name]),
    rows: Math.max(0, readRowCount(name, files[name])),
  }));

  const body: Omit<PriceBook, "contentHash"> = {
    version: dataAsOf.replaceAll("-", "."),
    schemaVersion: manifest.schemaVersion,
    dataAsOf,
    files: fileList,
    accelerators: byKey(accelerators, (item) => item.key),
    acceleratorKeysWithoutSpec: byKey(acceleratorKeysWithoutSpec, (item) => item.key),
    models: byKey(models, (item) => item.key),
    modelArchitectures: byKey(modelArchitectures, (item) => item.key),
    apiOnlyModels: byKey(apiOnlyModels, (item) => item.key),
    throughputPoints: byKey(
      throughputPoints,
      (item) => `${item.model}|${item.accelerator}|${item.source}|${item.scenario}|${item.id}`,
    ),
    servers: byKey(servers, (item) => item.id),
    cloudOffers: byKey(cloudOffers, (item) => item.id),
    regions,
    facility: byKey(facility, (item) => item.id),
    generations: byKey(generations, (item) => item.key),
    defaults: byKey(defaults, (item) => item.key),
    tokenPrices: byKey(tokenPrices, (item) => item.id),
    apiPriceTrend,
    streetPrices: byKey(streetPrices, (item) => item.accelerator),
    sources: [...sourceRegister.values()].sort((a, b) => a.id.localeCompare(b.id)),
  };
  assertNoFutureDates(body, dataAsOf);
  const contentHash = sha256(canonicalJson(body));
  return { ...body, contentHash };
}

function readRowCount(name: string, text: string): number {
  // Records, not physical lines: quoted cells may span lines.
  let count = 0;
  let inQuotes = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    if (char === '"') inQuotes = !inQuotes;
    else if (char === "\n" && !inQuotes) count += 1;
  }
  if (text.length > 0 && !text.endsWith("\n")) count += 1;
  void name;
  return count - 1;
}

/** No figure may be dated after the data set itself (catches typos such as 2062). */
function assertNoFutureDates(value: unknown, dataAsOf: string, path = "book"): void {
  if (Array.isArray(value)) {
    value.forEach((item, index) => assertNoFutureDates(item, dataAsOf, `${path}[${index}]`));
    return;
  }
  if (value === null || typeof value !== "object") return;
  const record = value as Record<string, unknown>;
  if (typeof record.asOf === "string" && typeof record.unit === "string") {
    const asOf = record.asOf;
    if (asOf.slice(0, dataAsOf.length) > dataAsOf)
      throw new CatalogBuildError(`${path}.asOf ${asOf} is after the data date ${dataAsOf}`);
  }
  for (const [key, item] of Object.entries(record)) assertNoFutureDates(item, dataAsOf, `${path}.${key}`);
}
