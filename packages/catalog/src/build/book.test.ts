import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildPriceBook, CatalogBuildError, parseConfidenceTag, type CatalogFileName } from "./book.ts";
import { CatalogRowError, parseCsv } from "./csv.ts";
import { GENERATED_PATH, readCatalogFiles, serialiseBook } from "./files.ts";
import type { Figure } from "../types.ts";

const { files, manifest } = readCatalogFiles();
const book = buildPriceBook(files, manifest);

/** Replace one cell (by header name) on one 1-based file line, keeping everything else. */
function withCell(file: CatalogFileName, line: number, column: string, value: string): Record<CatalogFileName, string> {
  const records = parseCsv(file, files[file]);
  const header = records[0]?.cells ?? [];
  const index = header.indexOf(column);
  const record = records.find((item) => item.line === line);
  if (index < 0 || !record) throw new Error(`test setup: no ${column} on line ${line}`);
  const cells = [...record.cells];
  cells[index] = value;
  const quote = (cell: string) => (/[",\n\r]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell);
  const lines = files[file].split("\n");
  // The test rows chosen below are single-line records.
  lines[line - 1] = cells.map(quote).join(",");
  return { ...files, [file]: lines.join("\n") };
}

function expectRowError(run: () => unknown, expected: { file: string; line: number; column: string }): CatalogRowError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(CatalogRowError);
    const rowError = error as CatalogRowError;
    expect({ file: rowError.file, line: rowError.line, column: rowError.column }).toEqual(expected);
    expect(rowError.message).toContain(`${expected.file}:${expected.line}: column "${expected.column}"`);
    return rowError;
  }
  throw new Error("expected the build to fail");
}

describe("generated/price-book.json", () => {
  it("is exactly what a fresh build produces (run `npm run catalog:build` and commit when this fails)", () => {
    expect(readFileSync(GENERATED_PATH, "utf8")).toBe(serialiseBook(book));
  });

  it("is deterministic: two builds give the same bytes and hash", () => {
    const again = buildPriceBook(readCatalogFiles().files, manifest);
    expect(again.contentHash).toBe(book.contentHash);
    expect(serialiseBook(again)).toBe(serialiseBook(book));
    expect(book.contentHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("takes its version from the manifest's data date", () => {
    expect(book.version).toBe(manifest.dataAsOf.replaceAll("-", "."));
    expect(book.version).toMatch(/^\d{4}\.\d{2}\.\d{2}$/);
  });

  it("changes its hash when any figure changes", () => {
    const changed = buildPriceBook(withCell("gpu_specs.csv", 3, "tdp_w", "701"), manifest);
    expect(changed.contentHash).not.toBe(book.contentHash);
  });
});

describe("bad rows fail the build naming file, line and column", () => {
  it("a non-number in a number column", () => {
    const error = expectRowError(
      () => buildPriceBook(withCell("gpu_specs.csv", 3, "tdp_w", "seven hundred"), manifest),
      {
        file: "gpu_specs.csv",
        line: 3,
        column: "tdp_w",
      },
    );
    expect(error.columnNumber).toBe(5);
    expect(error.message).toContain("expected a number");
  });

  it("a value outside its set", () => {
    const error = expectRowError(
      () => buildPriceBook(withCell("cloud_gpu_prices.csv", 5, "commitment", "2y"), manifest),
      {
        file: "cloud_gpu_prices.csv",
        line: 5,
        column: "commitment",
      },
    );
    expect(error.message).toContain("expected one of none, 1y, 3y, capacity_block, spot_only");
  });

  it("a blank required cell", () => {
    expectRowError(() => buildPriceBook(withCell("server_skus.csv", 10, "spec_source", ""), manifest), {
      file: "server_skus.csv",
      line: 10,
      column: "spec_source",
    });
  });

  it("an accelerator name with no normalised key", () => {
    const error = expectRowError(
      () => buildPriceBook(withCell("cloud_gpu_prices.csv", 2, "accelerator_variant", "SXM 96GB"), manifest),
      {
        file: "cloud_gpu_prices.csv",
        line: 2,
        column: "accelerator",
      },
    );
    expect(error.message).toContain("accelerator_aliases.csv");
  });

  it("a per-GPU rate that is not the system rate over the GPU count", () => {
    expectRowError(
      () =>
        buildPriceBook(withCell("inference_throughput.csv", 2, "tokens_per_second_per_accelerator", "9999"), manifest),
      {
        file: "inference_throughput.csv",
        line: 2,
        column: "tokens_per_second_per_accelerator",
      },
    );
  });

  it("a bad date", () => {
    expectRowError(() => buildPriceBook(withCell("models.csv", 2, "as_of", "July 2023"), manifest), {
      file: "models.csv",
      line: 2,
      column: "as_of",
    });
  });

  it("a row with a missing field", () => {
    const lines = files["defaults.csv"].split("\n");
    lines[2] = lines[2]?.split(",").slice(0, 3).join(",") ?? "";
    expectRowError(() => buildPriceBook({ ...files, "defaults.csv": lines.join("\n") }, manifest), {
      file: "defaults.csv",
      line: 3,
      column: "low",
    });
  });

  it("a missing column in the header", () => {
    const text = files["token_prices.csv"].replace(",confidence,", ",conf,");
    const error = expectRowError(() => buildPriceBook({ ...files, "token_prices.csv": text }, manifest), {
      file: "token_prices.csv",
      line: 1,
      column: "confidence",
    });
    expect(error.message).toContain("missing column");
  });

  it("a closed model given a parameter count (never invented)", () => {
    const records = parseCsv("models.csv", files["models.csv"]);
    const closed = records.find((record) => record.cells.includes("false"));
    if (!closed) throw new Error("test setup: no closed model");
    expectRowError(() => buildPriceBook(withCell("models.csv", closed.line, "parameters_b", "100"), manifest), {
      file: "models.csv",
      line: closed.line,
      column: "parameters_b",
    });
  });

  it("two current prices for one provider and model, and an unknown model", () => {
    const records = parseCsv("token_prices.csv", files["token_prices.csv"]);
    const header = records[0]?.cells ?? [];
    const at = (name: string) => header.indexOf(name);
    const current = records.filter((record) => record.cells[at("status")] === "current");
    const [first, second] = current.filter(
      (record) => record.cells[at("provider")] === current[0]?.cells[at("provider")],
    );
    if (!first || !second) throw new Error("test setup: need two current rows of one provider");
    const duplicate = withCell("token_prices.csv", second.line, "model_key", first.cells[at("model_key")] ?? "");
    expectRowError(() => buildPriceBook(duplicate, manifest), {
      file: "token_prices.csv",
      line: second.line,
      column: "status",
    });
    expectRowError(
      () => buildPriceBook(withCell("token_prices.csv", second.line, "model_key", "no-such-model"), manifest),
      {
        file: "token_prices.csv",
        line: second.line,
        column: "model_key",
      },
    );
  });

  it("a figure dated after the data set", () => {
    expect(() => buildPriceBook(withCell("defaults.csv", 2, "as_of", "2062-01"), manifest)).toThrow(CatalogBuildError);
  });
});

describe("parseCsv", () => {
  it("keeps quoted commas, doubled quotes and line breaks, and the line each record starts on", () => {
    const records = parseCsv("x.csv", 'a,b\n"1,2","say ""hi""\nthere"\r\n3,\n');
    expect(records).toEqual([
      { line: 1, cells: ["a", "b"] },
      { line: 2, cells: ["1,2", 'say "hi"\nthere'] },
      { line: 4, cells: ["3", ""] },
    ]);
  });

  it("rejects a quote inside an unquoted field", () => {
    expect(() => parseCsv("x.csv", 'a,b\n1,x"y"\n')).toThrow(/x\.csv:2/);
  });
});

describe("parseConfidenceTag", () => {
  it.each([
    ["high (price); medium (carbon proxy)", "price", "high"],
    ["high (price); medium (carbon proxy)", "carbon", "medium"],
    ["high (price)", "carbon", null],
    ["low-medium", "price", "low"],
    ["medium-high", null, "medium"],
    ["medium: SemiAnalysis", null, "medium"],
    ["", null, null],
  ] as const)("%s / %s → %s", (tag, topic, expected) => {
    expect(parseConfidenceTag(tag, topic)).toBe(expected);
  });
});

function figuresOf(
  value: unknown,
  path = "book",
  out: { path: string; figure: Figure }[] = [],
): { path: string; figure: Figure }[] {
  if (Array.isArray(value)) value.forEach((item, index) => figuresOf(item, `${path}[${index}]`, out));
  else if (value !== null && typeof value === "object") {
    const record = value as Record<string, unknown>;
    if ("value" in record && "unit" in record && "confidence" in record)
      out.push({ path, figure: record as unknown as Figure });
    for (const [key, item] of Object.entries(record)) figuresOf(item, `${path}.${key}`, out);
  }
  return out;
}

describe("the built book", () => {
  const all = figuresOf(book);

  it("gives every figure a value, unit, source, date and confidence, and every derived figure its method", () => {
    expect(all.length).toBeGreaterThan(1000);
    for (const { path, figure } of all) {
      expect(Number.isFinite(figure.value), path).toBe(true);
      expect(figure.unit.length, path).toBeGreaterThan(0);
      expect(figure.source.length, path).toBeGreaterThan(0);
      expect(figure.asOf, path).toMatch(/^\d{4}(-\d{2}(-\d{2})?)?$/);
      expect(["high", "medium", "low"], path).toContain(figure.confidence);
      expect(figure.derived, path).toBe(figure.method !== null);
    }
  });

  it("joins every accelerator key across specs, servers, offers and throughput", () => {
    const keys = new Set([
      ...book.accelerators.map((item) => item.key),
      ...book.acceleratorKeysWithoutSpec.map((item) => item.key),
    ]);
    for (const point of book.throughputPoints) expect(keys, point.id).toContain(point.accelerator);
    for (const server of book.servers) expect(keys, server.id).toContain(server.accelerator);
    for (const offer of book.cloudOffers) expect(keys, offer.id).toContain(offer.accelerator);
    const models = new Set(book.models.map((item) => item.key));
    for (const point of book.throughputPoints) expect(models, point.id).toContain(point.model);
  });

  it("holds the throughput, accelerator and model data the kernel reads", () => {
    expect(book.throughputPoints).toHaveLength(1617);
    expect(new Set(book.throughputPoints.map((point) => point.id)).size).toBe(1617);
    const h100 = book.accelerators.find((item) => item.key === "H100-SXM-80GB");
    expect(h100).toMatchObject({ tdpW: 700, hbmGb: 80, hbmBandwidthTbps: 3.35, fp8DenseTflops: 1978.9 });
    expect(book.models.find((item) => item.key === "deepseek-r1")).toMatchObject({
      parametersB: 671,
      activeParametersB: 37,
    });
    const interactive = book.throughputPoints.find((point) => point.source === "inferencex");
    expect(interactive?.inputTokens).toBeGreaterThan(0);
    expect(interactive?.interactivityTokensPerSecondPerUser).toBeGreaterThan(0);
  });

  it("has an architecture row for every open-weights model (one whose card is on Hugging Face)", () => {
    // Open weights = the models.csv source cites a Hugging Face model card, or the model has
    // measured throughput (self-hosted). API-only models need no architecture.
    const openWeights = book.models.filter(
      (model) =>
        model.source.includes("huggingface.co") || book.throughputPoints.some((point) => point.model === model.key),
    );
    expect(openWeights.length).toBeGreaterThan(5);
    const architectures = new Set(book.modelArchitectures.map((item) => item.key));
    for (const model of openWeights) expect(architectures, model.key).toContain(model.key);
    const llama = book.modelArchitectures.find((item) => item.key === "llama3.3-70b");
    expect(llama).toMatchObject({ attention: "gqa", layers: 80, kvHeads: 8, headDim: 128 });
    const deepseek = book.modelArchitectures.find((item) => item.key === "deepseek-r1");
    expect(deepseek).toMatchObject({ attention: "mla", kvLoraRank: 512, qkRopeHeadDim: 64, expertsActivePerToken: 8 });
  });

  it("ignores architecture rows of models not (yet) in models.csv, and checks the rest", () => {
    const extra = `${files["model_architecture.csv"]}future-model,Future,org/future,gqa,2,64,4,2,16,,,,,128,,,,,,1000,0.1,0.1,a config,2026-01-01,low,,huggingface-co-meta-llama-llama-3.3-70b-instruct-blob-main-confi\n`;
    const built = buildPriceBook({ ...files, "model_architecture.csv": extra }, manifest);
    expect(built.modelArchitectures.map((item) => item.key)).not.toContain("future-model");
    expect(built.modelArchitectures).toHaveLength(book.modelArchitectures.length);
    const line = parseCsv("model_architecture.csv", files["model_architecture.csv"]).find(
      (record) => record.cells[0] === "deepseek-r1",
    )!.line;
    expectRowError(() => buildPriceBook(withCell("model_architecture.csv", line, "kv_lora_rank", ""), manifest), {
      file: "model_architecture.csv",
      line,
      column: "kv_lora_rank",
    });
  });

  it("marks gap-filled server figures as derived, low confidence", () => {
    const xe9680l = book.servers.find((item) => item.id === "dell-poweredge-xe9680l");
    expect(xe9680l?.powerKw).toMatchObject({ value: 14.3, derived: true, confidence: "low" });
    expect(xe9680l?.priceUsdRange?.low).toMatchObject({ value: 8 * 40000 + 30000, derived: true, confidence: "low" });
    const dgxH100 = book.servers.find((item) => item.id === "nvidia-dgx-h100");
    expect(dgxH100?.priceUsd).toMatchObject({ value: 270000, derived: false, confidence: "medium" });
    // An AMD OAM server: MI300X street price × 8 + the OAM chassis share, with the method written.
    const amd = book.servers.find((item) => item.id === "supermicro-as-8125gs-tnmr2");
    expect(amd?.priceUsdRange?.low).toMatchObject({ value: 8 * 10000 + 30000, derived: true, confidence: "low" });
    expect(amd?.priceUsdRange?.low.method).toContain("OAM chassis share");
    // A PCIe server's power from the reference design: 8 × 600 W ÷ (8 × 700 W / 10.2 kW).
    const pcie = book.servers.find((item) => item.id === "dell-poweredge-xe7745");
    expect(pcie?.powerKw).toMatchObject({ value: 8.7, derived: true, confidence: "low" });
    expect(pcie?.powerKw?.method).toContain("reference-design power");
    // The B300 street price is itself derived, and the server's method says so.
    expect(book.servers.find((item) => item.id === "nvidia-dgx-b300")?.priceUsdRange?.low.method).toContain(
      "street price derived",
    );
    // No cited H100 NVL price: that SKU stays unpriced instead of inventing one.
    expect(book.servers.find((item) => item.id === "lenovo-thinksystem-sr675-v3")?.priceUsd).toBeNull();
  });

  it("keeps every cloud row with a status and reads 3-year commitments", () => {
    expect(book.cloudOffers.every((offer) => ["current", "superseded", "outlier"].includes(offer.status))).toBe(true);
    const blocks = book.cloudOffers.filter((offer) => offer.commitment === "capacity_block");
    expect(blocks.length).toBeGreaterThan(0);
    expect(blocks.every((offer) => offer.status === "superseded" && offer.priceUsdPerHour.confidence === "low")).toBe(
      true,
    );
    const nebius = book.cloudOffers.find((offer) => offer.id === "nebius-nvidia-hgx-h100-none");
    expect(nebius?.status).toBe("outlier");
    const tpu3y = book.cloudOffers.find((offer) => offer.id === "google-cloud-tpu-v6e-1-3y");
    expect(tpu3y).toMatchObject({ termYears: 3, accelerator: "TPU-v6e-32GB", status: "current" });
  });

  it("flags announced generations and carries only cited price assumptions", () => {
    const rubin = book.generations.find((item) => item.key === "rubin");
    expect(rubin?.status).toBe("announced");
    expect(rubin?.priceRatioToPredecessor).toBeNull();
    expect(rubin?.performanceRatioToPredecessor?.confidence).toBe("low");
    expect(book.generations.find((item) => item.key === "blackwell-ultra")?.priceRatioToPredecessor?.value).toBe(1.2);
  });

  it("keeps cheapest-region on-demand offers consistent per GPU", () => {
    for (const offer of book.cloudOffers) {
      expect(
        Math.abs(offer.priceUsdPerGpuHour.value * offer.acceleratorCount - offer.priceUsdPerHour.value),
      ).toBeLessThan(0.01 * offer.priceUsdPerHour.value + 0.01);
    }
  });
});
