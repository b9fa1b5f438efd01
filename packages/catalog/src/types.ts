import type { AcceleratorSpec, ModelArchitecture, ModelSpec, PerfCalibration, ThroughputPoint } from "@aifp/kernel";

/** How far a figure can be trusted: the source's own tag, or ours where the source has none. */
export type Confidence = "high" | "medium" | "low";

/**
 * One figure with its provenance. Every default the product shows is one of these.
 * `asOf` is an ISO 8601 date at the precision the source gives ("2024", "2025-09", "2026-10-10").
 * `derived` is true when we computed the value from cited inputs; `method` then says how.
 */
export interface Figure<TValue = number> {
  value: TValue;
  unit: string;
  source: string;
  /**
   * Ids of the records in `sources.csv` (the book's `sources`) this figure rests on; for a derived
   * figure, the sources of its inputs (ADR 030). Absent in books built before sources were records.
   */
  sourceIds?: string[];
  asOf: string;
  confidence: Confidence;
  derived: boolean;
  /** How a derived figure was computed (null for figures taken as published). */
  method: string | null;
}

/** A published low–high range (e.g. a server price), each end a figure. */
export interface RangeFigure {
  low: Figure;
  high: Figure;
}

/** Datasheet figures of one shipping accelerator, plus provenance of each figure. */
export interface CatalogAccelerator extends AcceleratorSpec {
  generation: string;
  status: "shipping";
  /** GPUs in one NVLink / Infinity Fabric domain in the standard product. */
  scaleUpDomain: number | null;
  /** NVLink / Infinity Fabric bandwidth per GPU, GB/s bidirectional; null for PCIe-only cards. */
  interconnectGBps: number | null;
  note: string | null;
  figures: {
    tdpW: Figure;
    hbmGb: Figure;
    hbmBandwidthTbps: Figure;
    fp16DenseTflops: Figure | null;
    fp8DenseTflops: Figure | null;
    fp4DenseTflops: Figure | null;
  };
}

/** A normalised accelerator key that appears in the data without a full datasheet row. */
export interface AcceleratorKeyOnly {
  key: string;
  vendor: string;
  name: string;
  generation: string;
  status: "shipping" | "announced";
  note: string | null;
}

export interface CatalogModel extends ModelSpec {
  architecture: "dense" | "moe";
  /** Precision of the released weights ("bf16", "fp16", "fp8", "mxfp4"); null where the source read does not say. */
  releasePrecision: string | null;
  /** Context window in tokens as the model card states it (null when not read). */
  contextTokens: number | null;
  /** Licence of the weights ("Apache 2.0", "Llama 3.1 Community License"); null when not read. */
  licence: string | null;
  /** Who publishes the model (Meta, Alibaba (Qwen), DeepSeek, …). */
  owner: string;
  /** Open-weight models can be self-hosted; they are the only ones in `models`. */
  openWeights: true;
  /** Benchmark names in the throughput data that are this model. */
  benchmarkNames: string[];
  asOf: string;
  confidence: Confidence;
  note: string | null;
}

/** A model's architecture dimensions (model_architecture.csv), with provenance. */
export interface CatalogModelArchitecture extends ModelArchitecture {
  name: string;
  /** Hugging Face repository the dimensions describe. */
  hfRepo: string;
  ffnSize: number;
  vocabSize: number;
  source: string;
  asOf: string;
  confidence: Confidence;
  note: string | null;
}

/**
 * A closed model sold only through APIs (GPT-5, Claude, Gemini): no published parameter counts,
 * so it cannot be self-hosted; an API option may still serve it (`ApiOptionInput.model`).
 */
export interface ApiOnlyModel {
  key: string;
  name: string;
  owner: string;
  licence: string | null;
  contextTokens: number | null;
  openWeights: false;
  source: string;
  asOf: string;
  confidence: Confidence;
  note: string | null;
}

/** A throughput point with the extra context the CSV carries. */
export interface CatalogThroughputPoint extends ThroughputPoint {
  /** Ids of the row's sources in the book's `sources` (ADR 030); absent until the file is converted. */
  sourceIds?: string[];
  /** The benchmark name as published (e.g. "llama2-70b-99.9"); `model` is the normalised key. */
  benchmark: string;
  submitter: string;
  acceleratorCount: number;
  /** p99 TTFT / TPOT limits (MLPerf) in ms, null for offline or InferenceX. */
  p99TtftLimitMs: number | null;
  p99TpotLimitMs: number | null;
  /** Measured medians (InferenceX), ms. */
  medianTtftMs: number | null;
  medianTpotMs: number | null;
  latencyConstraint: string;
  powerW: number | null;
  powerScope: string | null;
  software: string | null;
  /** MLPerf derived this result from another submitted result (`inferred=1`). */
  inferred: boolean;
  confidence: Confidence;
  /** The CSV row (1-based line) this point came from. */
  sourceLine: number;
}

export interface ServerSku {
  /** Slug of vendor + SKU, stable across versions. */
  id: string;
  vendor: string;
  sku: string;
  formFactor: "server" | "rack";
  /** Primary accelerator key (the first part the row names). */
  accelerator: string;
  /** Other accelerators the platform can be configured with. */
  acceleratorOptions: string[];
  gpuModelAsPublished: string;
  gpusPerServer: number;
  cpu: string | null;
  systemMemoryGb: number | null;
  rackUnits: Figure | null;
  /** Maximum system power, kW (published, or derived from the DGX analogue). */
  powerKw: Figure | null;
  cooling: "air" | "liquid" | "hybrid";
  networking: string | null;
  launchYear: number;
  /** Published or derived price range; null when nothing is known. */
  priceUsdRange: RangeFigure | null;
  /** The single price the resolver uses: the range midpoint (derived when low ≠ high). */
  priceUsd: Figure | null;
  specSource: string;
  notes: string | null;
}

export type Commitment = "none" | "1y" | "3y" | "capacity_block" | "spot_only";

/**
 * Whether a cloud row is the provider's current price (ADR 016): `superseded` rows were replaced
 * by a later list, `outlier` rows contradict the provider's own list. Only `current` rows feed
 * medians and defaults.
 */
export type OfferStatus = "current" | "superseded" | "outlier";

export interface CloudOffer {
  /** Slug of provider + instance + commitment. */
  id: string;
  provider: string;
  providerKind: "hyperscaler" | "neocloud" | "marketplace";
  instanceType: string;
  accelerator: string;
  acceleratorCount: number;
  gpuMemoryGb: number | null;
  vcpus: number | null;
  memoryGib: number | null;
  region: string;
  regionsCount: number | null;
  commitment: Commitment;
  /** Term of the commitment in years: 0 on demand / spot, 1 for 1y, 3 for 3y; null for capacity blocks. */
  termYears: number | null;
  /** Whole-instance $/hour in the cheapest region under this commitment (spot rate for spot_only). */
  priceUsdPerHour: Figure;
  priceMedianRegionUsdPerHour: Figure | null;
  spotPriceUsdPerHour: Figure | null;
  /** priceUsdPerHour / acceleratorCount. */
  priceUsdPerGpuHour: Figure;
  asOfQuality: string;
  notes: string | null;
  /** Flagged by the data's compiler as a probable collector artefact. */
  suspect: boolean;
  /** `current` unless superseded by the provider's later list or contradicting it (ADR 016). */
  status: OfferStatus;
}

export interface ElectricityPrice {
  customerClass: string;
  usdPerKwh: Figure;
  priceLocal: number | null;
  currency: string | null;
  pricePeriod: string | null;
  priceBasis: string | null;
}

export interface Region {
  code: string;
  name: string;
  /** One entry per customer class with a price (empty when no price was captured). */
  electricity: ElectricityPrice[];
  /** The class the resolver uses by default: industrial when present (sites ≥ 10 MW), else the first. */
  defaultCustomerClass: string | null;
  gridCarbonGPerKwh: Figure | null;
  /** Electricity Maps 2024 consumption-based figure, when given beside the primary one. */
  gridCarbonAltGPerKwh: Figure | null;
  notes: string | null;
}

export interface FacilityFigure {
  id: string;
  category: "pue" | "colocation_price" | "build_cost";
  item: string;
  market: string;
  /** Null for a recorded gap (no citable figure found). */
  figure: Figure | null;
  /** Published ranges such as "7-10 %" keep both ends. */
  range: RangeFigure | null;
  sourceUrl: string | null;
  notes: string | null;
}

export interface GenerationSpecFigures {
  hbmGb: Figure | null;
  hbmBandwidthTbps: Figure | null;
  fp8DenseTflops: Figure | null;
  fp4DenseTflops: Figure | null;
  tdpW: Figure | null;
}

export interface Generation {
  key: string;
  vendor: string;
  name: string;
  status: "shipping" | "announced";
  announced: string;
  firstAvailable: string;
  flagshipAccelerator: string;
  predecessor: string | null;
  availability: { source: string; confidence: Confidence };
  /** Flagship figures (announced parts: vendor-announced, basis may be sparse). */
  flagship: GenerationSpecFigures;
  /** Flagship throughput relative to the predecessor's flagship, from datasheet peaks (derived). */
  performanceRatioToPredecessor: Figure | null;
  /** Price relative to the predecessor the optimiser assumes for future purchases, when cited. */
  priceRatioToPredecessor: Figure | null;
  notes: string | null;
}

export interface DefaultFigure {
  key: string;
  figure: Figure;
  low: number | null;
  high: number | null;
  notes: string | null;
}

/**
 * One model-API price: a provider selling one model per million tokens. `id` is stable across
 * versions: `api:<provider slug>:<model key>` for the current row, with `@<asOf>` appended for a
 * superseded (historical) row; `legacyId` is the id an earlier book used (saved scenarios cite it).
 */
export interface TokenPrice {
  id: string;
  legacyId: string | null;
  model: string;
  provider: string;
  /** The model's name in the provider's API ("llama-3.3-70b-versatile"). */
  providerModelId: string;
  /** `current`: offered now; `superseded`: an earlier price kept for the dated history. */
  status: "current" | "superseded";
  /** First date the price no longer applied (null for current rows or when the source gives no date). */
  supersededOn: string | null;
  usdPerMillionInputTokens: Figure;
  /** Price of input tokens read from the provider's prompt cache; null when none is published. */
  usdPerMillionCachedInputTokens: Figure | null;
  usdPerMillionOutputTokens: Figure;
  /** Fraction off both prices through the provider's batch API; null when none is published. */
  batchDiscount: Figure | null;
  contextTokens: number | null;
  throughputTier: string | null;
  interactivityTokensPerSecondPerUser: number | null;
  notes: string | null;
}

export interface StreetPrice {
  accelerator: string;
  priceUsdRange: RangeFigure;
  notes: string | null;
}

export interface SourceFile {
  path: string;
  sha256: string;
  rows: number;
}

/** The whole public price book: what the build emits and everything else reads. */
export interface PriceBook {
  /** "YYYY.MM.DD" of the newest data date (the manifest's dataAsOf). */
  version: string;
  /** SHA-256 (hex) of the canonical JSON of everything except this field. */
  contentHash: string;
  schemaVersion: number;
  dataAsOf: string;
  files: SourceFile[];
  accelerators: CatalogAccelerator[];
  acceleratorKeysWithoutSpec: AcceleratorKeyOnly[];
  models: CatalogModel[];
  /** Architecture dimensions of the models in `models` that have a model_architecture.csv row. */
  modelArchitectures: CatalogModelArchitecture[];
  /** Closed models sold only through APIs (not self-hostable). */
  apiOnlyModels: ApiOnlyModel[];
  throughputPoints: CatalogThroughputPoint[];
  servers: ServerSku[];
  cloudOffers: CloudOffer[];
  regions: Region[];
  facility: FacilityFigure[];
  generations: Generation[];
  defaults: DefaultFigure[];
  tokenPrices: TokenPrice[];
  /**
   * Yearly change of model-API prices derived from the book's dated price history (superseded →
   * current rows of the same provider and model); the default `priceChangePerYear` of API options
   * the catalog prices. Null when the history is too thin to derive it.
   */
  apiPriceTrend: Figure | null;
  streetPrices: StreetPrice[];
  /** Every publication or file the book read (sources.csv), by id (ADR 030). */
  sources: SourceRecord[];
  /**
   * Not part of the built (hashed) book: the throughput performance model's calibration on this
   * book's measurements, attached by `@aifp/catalog` from `generated/throughput-calibration.json`.
   */
  throughputCalibration?: PerfCalibration | null;
}

/** What a source is: the publisher's own page or file, a copy or report of it, or not a publication (ADR 030). */
export type SourceKind = "primary" | "secondary" | "unverified";

/** One record of `sources.csv`: a publication or file the price book read. */
export interface SourceRecord {
  /** Stable slug; rows cite it in `source_ids`. */
  id: string;
  kind: SourceKind;
  publisher: string;
  title: string;
  /** Web address of the page read (for a repository file: the repository's address), or null. */
  url: string | null;
  /** Publication date as the source gives it (ISO, any precision), or null when undated. */
  published: string | null;
  /** Date the price book first recorded it (ISO). */
  retrieved: string;
  /** `owner/name` when the source is a file in a code repository. */
  repository: string | null;
  commit: string | null;
  path: string | null;
  /** Why the kind is what it is (required for `unverified`). */
  note: string | null;
}
