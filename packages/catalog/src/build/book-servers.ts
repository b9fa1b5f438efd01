// Price-book section: street prices and servers, with the cited rules that fill their gaps (moved verbatim from book.ts).
import type { Confidence, Figure, RangeFigure, ServerSku, StreetPrice } from "../types.ts";
import { slug } from "../slug.ts";
import type { AcceleratorSection } from "./book-accelerators.ts";
import type { BookContext } from "./book-context.ts";
import { figure, laterDate, parseConfidenceTag, unique, weakest } from "./book-figures.ts";
import { CatalogRowError } from "./csv.ts";
import * as S from "./schemas.ts";

export function readServers(
  { read, idsAt, dataAsOf }: BookContext,
  { requireAccelerator, specOfKey }: Pick<AcceleratorSection, "requireAccelerator" | "specOfKey">,
) {
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
      // The cast below widens the literal (priceUsd: null) to ServerSku, filled in later; tsc needs it.
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
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
  return { streetPrices, servers };
}
