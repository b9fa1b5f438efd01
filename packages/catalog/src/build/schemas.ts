import * as v from "valibot";
import { confidence, isoDate, num, oneOf, optIsoDate, optNum, optText, text } from "./csv.ts";

// One valibot object schema per catalog CSV, keyed by header name. Every column of every file
// is listed: an unknown or missing column fails the build as well as a bad cell.

export const GpuSpecRow = v.object({
  vendor: text(),
  gpu: text(),
  architecture: text(),
  launch_year: num({ integer: true, min: 2015, max: 2035 }),
  tdp_w: optNum({ min: 1 }),
  hbm_gb: num({ min: 1 }),
  hbm_bandwidth_tbps: num({ min: 0.01 }),
  fp16_dense_tflops: optNum({ min: 1 }),
  fp8_dense_tflops: optNum({ min: 1 }),
  fp4_dense_tflops: optNum({ min: 1 }),
  nvlink_or_if_bandwidth_gbps: optNum({ min: 1 }),
  scale_up_domain: num({ integer: true, min: 1 }),
  source: text(),
  /** Ids of the row's sources in sources.csv, `;`-separated (ADR 030). */
  source_ids: optText(),
});

export const ThroughputRow = v.object({
  source: oneOf([
    "mlperf-v4.1",
    "mlperf-v5.0",
    "mlperf-v5.1",
    "mlperf-v6.0",
    "inferencex",
    "trtllm-perf-overview",
    "mlenergy-v3",
  ] as const),
  submitter: text(),
  system: text(),
  accelerator: text(),
  accelerator_count: num({ integer: true, min: 1 }),
  model: text(),
  scenario: oneOf(["offline", "server", "interactive"] as const),
  precision: optText(),
  tokens_per_second_system: num({ min: 0 }),
  tokens_per_second_per_accelerator: num({ min: 0 }),
  latency_constraint: text(),
  interactivity_tokens_per_s_per_user: optNum({ min: 0 }),
  power_w: optNum({ min: 1 }),
  result_url_or_path: v.pipe(text(), v.url("expected a URL")),
  accelerator_family: text(),
  division: optText(),
  availability: optText(),
  power_scope: optText(),
  software: optText(),
  run_date: optIsoDate(),
  token_basis: text(),
  tokens_per_second_per_accelerator_input_plus_output: optNum({ min: 0 }),
  notes: optText(),
  /** Ids in sources.csv (ADR 030), `;`-separated. */
  source_ids: optText(),
});

export const CloudPriceRow = v.object({
  provider: text(),
  provider_kind: oneOf(["hyperscaler", "neocloud", "marketplace"] as const),
  instance_type: text(),
  accelerator: text(),
  accelerator_family: text(),
  accelerator_variant: text(),
  accelerator_count: num({ integer: true, min: 1 }),
  gpu_memory_gb: optNum({ min: 1 }),
  vcpus: optNum({ integer: true, min: 1 }),
  memory_gib: optNum({ min: 0 }),
  region: text(),
  regions_count: optNum({ integer: true, min: 1 }),
  price_on_demand_usd_per_hour: num({ min: 0.0001 }),
  price_median_region_usd_per_hour: optNum({ min: 0.0001 }),
  price_spot_usd_per_hour: optNum({ min: 0.0001 }),
  price_per_gpu_hour_usd: num({ min: 0.0001 }),
  commitment: oneOf(["none", "1y", "3y", "capacity_block", "spot_only"] as const),
  source: text(),
  as_of: isoDate(),
  as_of_quality: text(),
  notes: optText(),
  // ADR 016: `current` rows feed medians and defaults; `superseded` (the provider's own later list
  // replaces it) and `outlier` (contradicts the provider's own list) stay for the record only.
  status: oneOf(["current", "superseded", "outlier"] as const),
  /** Ids of the row's sources in sources.csv, `;`-separated (ADR 030). */
  source_ids: optText(),
});

export const ServerSkuRow = v.object({
  vendor: text(),
  sku: text(),
  form_factor: oneOf(["server", "rack"] as const),
  gpu_model: text(),
  gpu_count: num({ integer: true, min: 1 }),
  cpu: optText(),
  system_memory_gb: optNum({ min: 1 }),
  rack_units: optNum({ integer: true, min: 1 }),
  max_power_kw: optNum({ min: 0.1 }),
  cooling: oneOf(["air", "liquid", "hybrid"] as const),
  networking: optText(),
  launch_year: num({ integer: true, min: 2015, max: 2035 }),
  reference_price_usd_low: optNum({ min: 1 }),
  reference_price_usd_high: optNum({ min: 1 }),
  price_source: optText(),
  spec_source: text(),
  notes: optText(),
  /** Ids of the row's sources in sources.csv, `;`-separated (ADR 030). */
  source_ids: optText(),
});

export const EnergyRow = v.object({
  region_code: v.pipe(
    text(),
    v.regex(/^[A-Z]{2}(-[A-Z]{2})?$|^EU27$/, "expected a region code like US-TX, IE or EU27"),
  ),
  region_name: text(),
  price_usd_per_kwh: optNum({ min: 0.001, max: 2 }),
  customer_class: text(),
  year: optNum({ integer: true, min: 2000, max: 2035 }),
  grid_carbon_g_per_kwh: optNum({ min: 0, max: 2000 }),
  source: text(),
  price_local: optNum({ min: 0 }),
  currency: optText(),
  price_period: optText(),
  price_basis: optText(),
  fx_usd_per_local_unit: optNum({ min: 0 }),
  grid_carbon_year: optNum({ integer: true, min: 2000, max: 2035 }),
  grid_carbon_source: optText(),
  grid_carbon_alt_electricitymaps_2024: optNum({ min: 0, max: 2000 }),
  confidence: optText(),
  notes: optText(),
  /** Ids of the row's sources in sources.csv, `;`-separated (ADR 030). */
  source_ids: optText(),
});

export const FacilityRow = v.object({
  category: oneOf(["pue", "colocation_price", "build_cost"] as const),
  item: text(),
  market_or_cooling_type: text(),
  value: v.pipe(
    v.string(),
    v.transform((value) => value.trim()),
    v.regex(/^$|^-?\d+(\.\d+)?(-\d+(\.\d+)?)?$/, "expected a number, a range like 7-10, or a blank"),
  ),
  unit: text(),
  year: optNum({ integer: true, min: 2000, max: 2035 }),
  source: text(),
  source_url: optText(),
  confidence: optText(),
  notes: optText(),
  /** Ids of the row's sources in sources.csv, `;`-separated (ADR 030). */
  source_ids: optText(),
});

export const AcceleratorRow = v.object({
  key: v.pipe(text(), v.regex(/^[A-Za-z0-9][A-Za-z0-9.-]*$/, "expected a key of letters, digits, dots and dashes")),
  vendor: text(),
  name: text(),
  generation: text(),
  spec_gpu: optText(),
  status: oneOf(["shipping", "announced"] as const),
  note: optText(),
});

export const AcceleratorAliasRow = v.object({
  dataset: oneOf(["inference_throughput", "cloud_gpu_prices"] as const),
  raw_name: text(),
  raw_variant: optText(),
  accelerator_key: text(),
  note: optText(),
});

export const ServerAcceleratorRow = v.object({
  vendor: text(),
  sku: text(),
  accelerator_key: text(),
  accelerator_options: optText(),
  basis: text(),
});

export const ServerPriceBasisRow = v.object({
  key: text(),
  price_source_contains: text(),
  low_as_of: isoDate(),
  high_as_of: isoDate(),
  confidence_override: v.pipe(
    v.string(),
    v.transform((value) => value.trim()),
    v.picklist(["", "high", "medium", "low"] as const, "expected high, medium, low or a blank"),
  ),
  notes: optText(),
});

export const ModelRow = v.object({
  key: text(),
  name: text(),
  /** Blank for closed models (API only): their architecture is unpublished. */
  architecture: v.pipe(
    v.string(),
    v.transform((value) => value.trim()),
    v.picklist(["", "dense", "moe"] as const, "expected dense, moe or a blank (closed models)"),
    v.transform((value) => (value === "" ? null : value)),
  ),
  parameters_b: optNum({ min: 0.001 }),
  active_parameters_b: optNum({ min: 0.001 }),
  release_precision: optText(),
  benchmark_names: optText(),
  source: text(),
  as_of: isoDate(),
  confidence: confidence(),
  notes: optText(),
  context_tokens: optNum({ integer: true, min: 1 }),
  licence: optText(),
  open_weights: oneOf(["true", "false"] as const),
  owner: text(),
  /** Ids of the row's sources in sources.csv, `;`-separated (ADR 030). */
  source_ids: optText(),
});

/** Model architecture dimensions from the model's config.json / model card (model_architecture.csv). */
export const ModelArchitectureRow = v.object({
  key: text(),
  name: text(),
  hf_repo: text(),
  attention: oneOf(["gqa", "mla"] as const),
  layers: num({ integer: true, min: 1 }),
  hidden_size: num({ integer: true, min: 1 }),
  attention_heads: num({ integer: true, min: 1 }),
  kv_heads: optNum({ integer: true, min: 1 }),
  head_dim: num({ integer: true, min: 1 }),
  kv_lora_rank: optNum({ integer: true, min: 1 }),
  qk_rope_head_dim: optNum({ integer: true, min: 1 }),
  sliding_window_tokens: optNum({ integer: true, min: 1 }),
  sliding_window_layers: optNum({ integer: true, min: 1 }),
  ffn_size: num({ integer: true, min: 1 }),
  moe_ffn_size: optNum({ integer: true, min: 1 }),
  experts_total: optNum({ integer: true, min: 1 }),
  experts_shared: optNum({ integer: true, min: 1 }),
  experts_active_per_token: optNum({ integer: true, min: 1 }),
  moe_layers: optNum({ integer: true, min: 1 }),
  vocab_size: num({ integer: true, min: 1 }),
  total_parameters_b: num({ min: 0.001 }),
  active_parameters_b: num({ min: 0.001 }),
  source: text(),
  as_of: isoDate(),
  confidence: confidence(),
  notes: optText(),
  /** Ids in sources.csv (ADR 030), `;`-separated. */
  source_ids: optText(),
});

export const BenchmarkRoundRow = v.object({
  source: text(),
  as_of: optIsoDate(),
  confidence: confidence(),
  basis: text(),
  /** Ids in sources.csv (ADR 030), `;`-separated. */
  source_ids: optText(),
});

export const StreetPriceRow = v.object({
  accelerator_key: text(),
  price_usd_low: num({ min: 1 }),
  price_usd_high: num({ min: 1 }),
  source: text(),
  as_of: isoDate(),
  confidence: confidence(),
  notes: optText(),
  /** Set when the price is computed from other cited figures (the row is then a derived figure). */
  derived_method: optText(),
  /** Ids of the row's sources in sources.csv, `;`-separated (ADR 030). */
  source_ids: optText(),
});

export const ChassisShareRow = v.object({
  applies_to: text(),
  gpus_per_server: num({ integer: true, min: 1 }),
  price_usd_low: num({ min: 1 }),
  price_usd_high: num({ min: 1 }),
  source: text(),
  as_of: isoDate(),
  confidence: confidence(),
  notes: optText(),
  /** Which servers the share applies to: SXM (HGX) baseboards, OAM (UBB) baseboards or PCIe cards. */
  accelerator_form: oneOf(["sxm", "oam", "pcie"] as const),
  /** Ids of the row's sources in sources.csv, `;`-separated (ADR 030). */
  source_ids: optText(),
});

export const TokenPriceRow = v.object({
  provider: text(),
  model_key: text(),
  provider_model_id: text(),
  usd_per_million_input_tokens: num({ min: 0.000001 }),
  usd_per_million_cached_input_tokens: optNum({ min: 0 }),
  usd_per_million_output_tokens: num({ min: 0.000001 }),
  /** Fraction off both prices for the provider's batch API (0.5 = half price); blank when none is published. */
  batch_discount: optNum({ min: 0, max: 0.99 }),
  context_tokens: optNum({ integer: true, min: 1 }),
  throughput_tier: optText(),
  interactivity_tokens_per_s_per_user: optNum({ min: 0 }),
  status: oneOf(["current", "superseded"] as const),
  superseded_on: optIsoDate(),
  /** The id an earlier price book gave this row (saved scenarios may cite it). */
  legacy_id: optText(),
  source: text(),
  as_of: isoDate(),
  confidence: confidence(),
  notes: optText(),
  /** Ids of the row's sources in sources.csv, `;`-separated (ADR 030). */
  source_ids: optText(),
});

export const GenerationRow = v.object({
  key: text(),
  vendor: text(),
  name: text(),
  status: oneOf(["shipping", "announced"] as const),
  announced: isoDate(),
  first_available: isoDate(),
  flagship_accelerator: text(),
  predecessor: optText(),
  availability_source: text(),
  confidence: confidence(),
  price_assumption_ratio_to_predecessor: optNum({ min: 0.01 }),
  price_assumption_basis: optText(),
  price_assumption_source: optText(),
  price_assumption_as_of: optIsoDate(),
  notes: optText(),
  /** Ids of the row's sources in sources.csv, `;`-separated (ADR 030). */
  source_ids: optText(),
});

export const DefaultRow = v.object({
  key: v.pipe(text(), v.regex(/^[A-Za-z0-9.-]+$/, "expected a dotted key")),
  value: num(),
  unit: text(),
  low: optNum(),
  high: optNum(),
  source: text(),
  as_of: isoDate(),
  confidence: confidence(),
  derived_method: optText(),
  notes: optText(),
  /** Ids of the row's sources in sources.csv, `;`-separated (ADR 030). */
  source_ids: optText(),
});
