// Price-book section: models (open-weight and API-only) and their architectures (moved verbatim from book.ts).
import type { ApiOnlyModel, CatalogModel, CatalogModelArchitecture } from "../types.ts";
import type { BookContext } from "./book-context.ts";
import { unique } from "./book-figures.ts";
import { CatalogRowError } from "./csv.ts";
import * as S from "./schemas.ts";

export function readModels({ read }: BookContext) {
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
  return { models, apiOnlyModels, modelByBenchmark };
}

export function readModelArchitectures({ read }: BookContext, models: CatalogModel[]) {
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
  return { architectureRows, knownModelKeys, modelArchitectures };
}
