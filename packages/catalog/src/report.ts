import { apiPriceSection } from "./report-api.ts";
import type { Figure, PriceBook } from "./types.ts";

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.map((cell) => cell.replaceAll("|", "\\|")).join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

function status(figure: Figure | null): string {
  if (!figure) return "—";
  return figure.derived ? `derived (${figure.confidence})` : `published (${figure.confidence})`;
}

function percent(part: number, whole: number): string {
  return whole === 0 ? "—" : `${Math.round((100 * part) / whole)} %`;
}

function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? null) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

function medianText(values: readonly number[]): string {
  const value = median(values);
  return value === null ? "—" : `${value.toFixed(2)} (n=${values.length})`;
}

/** Cloud rows that feed medians and defaults (ADR 016). */
function currentOffers(book: PriceBook): PriceBook["cloudOffers"] {
  return book.cloudOffers.filter((offer) => offer.status === "current" && !offer.suspect);
}

/**
 * The last day an as-of date can mean ("2024" → 2024-12-31, "2024-03" → 2024-03-31), so a row is
 * only called old when even its latest possible date is older than the cut-off.
 */
export function asOfEnd(asOf: string): string {
  if (/^\d{4}$/.test(asOf)) return `${asOf}-12-31`;
  if (/^\d{4}-\d{2}$/.test(asOf)) {
    const [year, month] = asOf.split("-").map(Number) as [number, number];
    const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
    return `${asOf}-${String(last).padStart(2, "0")}`;
  }
  return asOf.slice(0, 10);
}

/** YYYY-MM-DD six calendar months before a date (the freshness cut-off). */
export function sixMonthsBefore(date: string): string {
  const [year, month, day] = date.split("-").map(Number) as [number, number, number];
  const shifted = new Date(Date.UTC(year, month - 1 - 6, day));
  return shifted.toISOString().slice(0, 10);
}

function freshnessSection(book: PriceBook): string[] {
  const cutoff = sixMonthsBefore(book.dataAsOf);
  const old = (asOf: string) => asOfEnd(asOf) < cutoff;
  const tables: { name: string; dates: { id: string; asOf: string }[] }[] = [
    {
      name: "server_skus.csv (price)",
      dates: book.servers.flatMap((server) => (server.priceUsd ? [{ id: server.id, asOf: server.priceUsd.asOf }] : [])),
    },
    {
      name: "street_prices.csv",
      dates: book.streetPrices.map((price) => ({ id: price.accelerator, asOf: price.priceUsdRange.low.asOf })),
    },
    {
      name: "cloud_gpu_prices.csv",
      dates: book.cloudOffers.map((offer) => ({ id: offer.id, asOf: offer.priceUsdPerHour.asOf })),
    },
    {
      name: "energy.csv (electricity price)",
      dates: book.regions.flatMap((region) =>
        region.electricity.map((price) => ({
          id: `${region.code}:${price.customerClass}`,
          asOf: price.usdPerKwh.asOf,
        })),
      ),
    },
    {
      name: "facility.csv",
      dates: book.facility.flatMap((item) => (item.figure ? [{ id: item.id, asOf: item.figure.asOf }] : [])),
    },
    { name: "defaults.csv", dates: book.defaults.map((item) => ({ id: item.key, asOf: item.figure.asOf })) },
    {
      name: "token_prices.csv",
      dates: book.tokenPrices.map((price) => ({ id: price.id, asOf: price.usdPerMillionInputTokens.asOf })),
    },
  ];
  const out = ["", "## Freshness: rows older than 6 months", ""];
  out.push(
    `A row is old when even the last day its as-of date can mean is before ${cutoff} (six months before the data date ${book.dataAsOf}). Old is not wrong: it is the newest published figure found, and the planner shows each price's age.`,
    "",
  );
  out.push(
    table(
      ["table", "rows with a date", "older than 6 months", "share", "oldest"],
      tables.map(({ name, dates }) => {
        const stale = dates.filter((item) => old(item.asOf));
        const oldest = [...dates].sort((a, b) => asOfEnd(a.asOf).localeCompare(asOfEnd(b.asOf)))[0];
        return [
          name,
          String(dates.length),
          String(stale.length),
          percent(stale.length, dates.length),
          oldest ? `${oldest.asOf} (${oldest.id})` : "—",
        ];
      }),
    ),
  );
  const staleCurrent = book.cloudOffers.filter(
    (offer) => offer.status === "current" && old(offer.priceUsdPerHour.asOf),
  );
  const byProvider = [...countBy(staleCurrent, (offer) => offer.provider).entries()].sort(([a], [b]) =>
    a.localeCompare(b),
  );
  out.push(
    "",
    `Current cloud rows older than 6 months: ${staleCurrent.length} (${byProvider.map(([provider, count]) => `${provider} ${count}`).join(", ") || "none"}); they stay current until the provider publishes a newer list (refresh with \`npm run catalog:import\`).`,
  );
  return out;
}

function confidenceSection(book: PriceBook): string[] {
  const groups: { name: string; figures: Figure[] }[] = [
    {
      name: "server prices the resolver uses",
      figures: book.servers.flatMap((server) => (server.priceUsd ? [server.priceUsd] : [])),
    },
    { name: "server power", figures: book.servers.flatMap((server) => (server.powerKw ? [server.powerKw] : [])) },
    {
      name: "cloud prices (current rows)",
      figures: currentOffers(book).map((offer) => offer.priceUsdPerHour),
    },
    {
      name: "electricity (default class per region)",
      figures: book.regions.flatMap((region) => {
        const price = region.electricity.find((item) => item.customerClass === region.defaultCustomerClass);
        return price ? [price.usdPerKwh] : [];
      }),
    },
    { name: "operating defaults", figures: book.defaults.map((item) => item.figure) },
    { name: "model-API token prices", figures: book.tokenPrices.map((price) => price.usdPerMillionInputTokens) },
  ];
  const all = groups.flatMap((group) => group.figures);
  const row = (name: string, figures: Figure[]) => {
    const count = (level: string) => figures.filter((item) => item.confidence === level).length;
    return [
      name,
      String(figures.length),
      ...(["high", "medium", "low"] as const).map(
        (level) => `${count(level)} (${percent(count(level), figures.length)})`,
      ),
    ];
  };
  return [
    "",
    "## Confidence of the figures the planner uses by default",
    "",
    table(
      ["figures", "count", "high", "medium", "low"],
      [...groups.map((group) => row(group.name, group.figures)), row("all of the above", all)],
    ),
  ];
}

function countBy<TItem>(items: readonly TItem[], keyOf: (item: TItem) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(keyOf(item), (counts.get(keyOf(item)) ?? 0) + 1);
  return counts;
}

/**
 * The catalog coverage report as Markdown: which accelerator × model pairs have measured
 * throughput (per scenario), which SKUs have prices and power (published or derived), cloud
 * coverage, regions without prices, facility gaps, every derived figure kind, and the largest
 * remaining gaps. Deterministic (no clock): it depends on the book only.
 */
export function coverageReport(book: PriceBook): string {
  const out: string[] = [];
  out.push(`# Catalog coverage — price book ${book.version}`);
  out.push("");
  out.push(
    `Generated by \`npm run catalog:report\` from \`packages/catalog/generated/price-book.json\` (content hash \`${book.contentHash.slice(0, 16)}…\`, data as of ${book.dataAsOf}). Do not edit by hand.`,
  );
  out.push("");
  out.push(
    table(
      ["entity", "rows"],
      [
        ["accelerators with a datasheet", String(book.accelerators.length)],
        ["accelerator keys without a shipping datasheet", String(book.acceleratorKeysWithoutSpec.length)],
        ["models (open weights)", String(book.models.length)],
        ["models (closed, API only)", String(book.apiOnlyModels.length)],
        ["throughput points", String(book.throughputPoints.length)],
        ["server / rack SKUs", String(book.servers.length)],
        ["cloud offers", String(book.cloudOffers.length)],
        ["regions", String(book.regions.length)],
        ["facility figures (incl. recorded gaps)", String(book.facility.length)],
        ["hardware generations", String(book.generations.length)],
        ["operating defaults", String(book.defaults.length)],
        ["model-API token prices", String(book.tokenPrices.length)],
      ],
    ),
  );

  // --- throughput matrix ----------------------------------------------------------------------
  out.push("", "## Measured throughput: accelerator × model", "");
  out.push(
    "Cells: points per scenario as `offline/server/interactive`; blank = no measurement (the kernel can only estimate).",
    "",
  );
  const models = book.models.map((model) => model.key);
  const acceleratorKeys = [...new Set(book.throughputPoints.map((point) => point.accelerator))].sort();
  const pairCounts = countBy(book.throughputPoints, (point) => `${point.accelerator}|${point.model}|${point.scenario}`);
  const cell = (accelerator: string, model: string) => {
    const counts = (["offline", "server", "interactive"] as const).map(
      (scenario) => pairCounts.get(`${accelerator}|${model}|${scenario}`) ?? 0,
    );
    return counts.every((count) => count === 0) ? "" : counts.join("/");
  };
  out.push(
    table(
      ["accelerator", ...models],
      acceleratorKeys.map((accelerator) => [accelerator, ...models.map((model) => cell(accelerator, model))]),
    ),
  );
  const measuredPairs = acceleratorKeys.flatMap((accelerator) =>
    models.filter((model) => cell(accelerator, model) !== "").map((model) => `${accelerator}|${model}`),
  );
  const specKeys = book.accelerators.map((item) => item.key);
  out.push(
    "",
    `${measuredPairs.length} of ${specKeys.length * models.length} datasheet-accelerator × model pairs have at least one measured point; ` +
      `accelerators with a datasheet but no throughput: ${specKeys.filter((key) => !acceleratorKeys.includes(key)).join(", ") || "none"}; ` +
      `models with no throughput: ${models.filter((model) => !book.throughputPoints.some((point) => point.model === model)).join(", ") || "none"}.`,
  );

  // --- accelerators ---------------------------------------------------------------------------
  out.push("", "## Accelerators: what each key has", "");
  const allKeys = [
    ...book.accelerators.map((item) => item.key),
    ...book.acceleratorKeysWithoutSpec.map((item) => item.key),
  ].sort();
  const offersBy = countBy(book.cloudOffers, (offer) => offer.accelerator);
  const serversBy = countBy(book.servers, (server) => server.accelerator);
  const pointsBy = countBy(book.throughputPoints, (point) => point.accelerator);
  out.push(
    table(
      ["key", "datasheet", "throughput points", "servers (primary)", "cloud offers", "street price"],
      allKeys.map((key) => {
        const noSpec = book.acceleratorKeysWithoutSpec.find((item) => item.key === key);
        return [
          key,
          noSpec ? (noSpec.status === "announced" ? "announced only" : "no") : "yes",
          String(pointsBy.get(key) ?? 0),
          String(serversBy.get(key) ?? 0),
          String(offersBy.get(key) ?? 0),
          book.streetPrices.some((price) => price.accelerator === key) ? "yes (low)" : "—",
        ];
      }),
    ),
  );

  // --- servers ----------------------------------------------------------------------------------
  out.push("", "## Server SKUs: price and power", "");
  out.push(
    table(
      [
        "server",
        "accelerator",
        "GPUs",
        "price (range midpoint)",
        "price range status",
        "power kW",
        "power status",
        "rack units",
      ],
      book.servers.map((server) => [
        server.id,
        server.accelerator,
        String(server.gpusPerServer),
        server.priceUsd ? `$${Math.round(server.priceUsd.value).toLocaleString("en-US")}` : "—",
        // The range's status: a published range stays "published" although the resolver's midpoint is computed.
        status(server.priceUsdRange?.low ?? null),
        server.powerKw ? String(server.powerKw.value) : "—",
        status(server.powerKw),
        server.rackUnits ? String(server.rackUnits.value) : "—",
      ]),
    ),
  );
  const priced = book.servers.filter((server) => server.priceUsdRange !== null);
  const pricedDerived = priced.filter((server) => server.priceUsdRange?.low.derived);
  const powered = book.servers.filter((server) => server.powerKw !== null);
  const poweredDerived = powered.filter((server) => server.powerKw?.derived);
  const bothCount = book.servers.filter((server) => server.priceUsdRange !== null && server.powerKw !== null).length;
  out.push(
    "",
    `Prices: ${priced.length - pricedDerived.length} published (${priced.filter((server) => !server.priceUsdRange?.low.derived && server.priceUsdRange?.low.confidence === "high").length} high confidence), ${pricedDerived.length} derived from per-GPU street prices plus a chassis share, ` +
      `${book.servers.length - priced.length} none. Power: ${powered.length - poweredDerived.length} published, ${poweredDerived.length} derived (NVIDIA analogue or reference design), ${book.servers.length - powered.length} none. ` +
      `Priced and powered: ${bothCount} of ${book.servers.length} (${percent(bothCount, book.servers.length)}).`,
  );
  out.push("", "### AMD and PCIe servers by vendor", "");
  out.push(
    "Servers whose primary accelerator is an AMD Instinct (OAM) part or a PCIe card (RTX PRO 6000, L40S, H100/H200 NVL); priced = a published or derived price range.",
    "",
  );
  const vendors = [...new Set(book.servers.map((server) => server.vendor))].sort();
  const isAmd = (key: string) => key.startsWith("MI");
  const isPcie = (key: string) => /^(RTX|L40S|L4-|H100-NVL|H200-NVL|H100-PCIe|A100-PCIe)/.test(key);
  const listOf = (vendor: string, test: (key: string) => boolean) =>
    book.servers
      .filter((server) => server.vendor === vendor && server.formFactor === "server" && test(server.accelerator))
      .map((server) => `${server.sku}${server.priceUsd ? "" : " (unpriced)"}`)
      .join("; ") || "—";
  out.push(
    table(
      ["vendor", "AMD Instinct servers", "PCIe servers"],
      vendors.map((vendor) => [vendor, listOf(vendor, isAmd), listOf(vendor, isPcie)]),
    ),
  );

  // --- cloud ------------------------------------------------------------------------------------
  out.push("", "## Cloud offers by accelerator and commitment", "");
  const commitments = ["none", "1y", "3y", "capacity_block", "spot_only"] as const;
  const offerCounts = countBy(book.cloudOffers, (offer) => `${offer.accelerator}|${offer.commitment}`);
  const offerAccelerators = [...new Set(book.cloudOffers.map((offer) => offer.accelerator))].sort();
  out.push(
    table(
      ["accelerator", ...commitments, "with spot rate", "providers", "median on-demand $/GPU-h (current rows)"],
      offerAccelerators.map((key) => [
        key,
        ...commitments.map((commitment) => String(offerCounts.get(`${key}|${commitment}`) ?? 0)),
        String(
          book.cloudOffers.filter((offer) => offer.accelerator === key && offer.spotPriceUsdPerHour !== null).length,
        ),
        String(
          new Set(book.cloudOffers.filter((offer) => offer.accelerator === key).map((offer) => offer.provider)).size,
        ),
        medianText(
          currentOffers(book)
            .filter((offer) => offer.accelerator === key && offer.commitment === "none")
            .map((offer) => offer.priceUsdPerGpuHour.value),
        ),
      ]),
    ),
  );
  const statusCounts = countBy(book.cloudOffers, (offer) => offer.status);
  out.push(
    "",
    `Row status (ADR 016): ${["current", "superseded", "outlier"].map((name) => `${statusCounts.get(name) ?? 0} ${name}`).join(", ")}. Medians and the planner's default offers use current rows only.`,
  );
  const marked = book.cloudOffers.filter((offer) => offer.status !== "current");
  if (marked.length > 0) {
    out.push(
      "",
      table(
        ["offer", "status", "$/GPU-h", "as of"],
        marked.map((offer) => [
          offer.id,
          offer.status,
          String(offer.priceUsdPerGpuHour.value),
          offer.priceUsdPerGpuHour.asOf,
        ]),
      ),
    );
  }
  const gb200 = [
    ...new Set(
      currentOffers(book)
        .filter((offer) => offer.accelerator === "GB200-186GB")
        .map((offer) => offer.provider),
    ),
  ].sort();
  out.push("", `GB200 NVL72 offers (current rows) from ${gb200.length} provider(s): ${gb200.join(", ") || "none"}.`);
  const noOffers = specKeys.filter((key) => !offerAccelerators.includes(key));
  out.push("", `Datasheet accelerators with no cloud offer: ${noOffers.join(", ") || "none"}.`);

  // --- regions ------------------------------------------------------------------------------------
  out.push("", "## Regions", "");
  const noPrice = book.regions.filter((region) => region.electricity.length === 0);
  const noCarbon = book.regions.filter((region) => region.gridCarbonGPerKwh === null);
  out.push(
    `${book.regions.length} regions; ${book.regions.length - noPrice.length} with an electricity price. ` +
      `No price: ${noPrice.map((region) => region.code).join(", ") || "none"}. ` +
      `No grid carbon: ${noCarbon.length} (${noCarbon.map((region) => region.code).join(", ") || "none"}).`,
  );
  const lowPrice = book.regions.filter((region) =>
    region.electricity.some((price) => price.usdPerKwh.confidence === "low"),
  );
  out.push(
    "",
    `Low-confidence prices (secondary compilation): ${lowPrice.map((region) => region.code).join(", ") || "none"}.`,
  );

  // --- facility -----------------------------------------------------------------------------------
  out.push("", "## Facility figures", "");
  out.push(
    table(
      ["id", "value", "unit", "status"],
      book.facility.map((item) => [
        item.id,
        item.figure ? String(Number(item.figure.value.toPrecision(6))) : "—",
        item.figure?.unit ?? "",
        item.figure ? status(item.figure) : "gap",
      ]),
    ),
  );

  // --- generations -----------------------------------------------------------------------------------
  out.push("", "## Hardware generations", "");
  out.push(
    table(
      ["generation", "status", "announced", "available", "flagship", "perf × predecessor", "price × predecessor"],
      book.generations.map((generation) => [
        generation.key,
        generation.status,
        generation.announced,
        generation.firstAvailable,
        generation.flagshipAccelerator,
        generation.performanceRatioToPredecessor
          ? `${generation.performanceRatioToPredecessor.value.toFixed(2)} (${generation.performanceRatioToPredecessor.confidence})`
          : "—",
        generation.priceRatioToPredecessor
          ? `${generation.priceRatioToPredecessor.value} (${generation.priceRatioToPredecessor.confidence})`
          : "not cited",
      ]),
    ),
  );

  // --- derived figures -----------------------------------------------------------------------------
  out.push("", "## Derived figures (computed by us from cited inputs)", "");
  const derived: { where: string; method: string }[] = [];
  for (const server of book.servers) {
    if (server.priceUsdRange?.low.derived)
      derived.push({ where: "server price range", method: "per-GPU street price × GPUs + chassis share" });
    if (server.priceUsd?.derived)
      derived.push({ where: "server price used by the resolver", method: "midpoint of the price range" });
    if (server.powerKw?.derived)
      derived.push({ where: "server power", method: "NVIDIA reference analogue (same accelerator and GPU count)" });
  }
  for (const generation of book.generations) {
    if (generation.performanceRatioToPredecessor)
      derived.push({ where: "generation performance ratio", method: "ratio of datasheet peak TFLOPS" });
  }
  for (const item of book.defaults)
    if (item.figure.derived) derived.push({ where: `default ${item.key}`, method: item.figure.method ?? "" });
  for (const item of book.facility)
    if (item.figure?.derived) derived.push({ where: `facility ${item.id}`, method: item.figure.method ?? "" });
  const derivedCounts = countBy(derived, (item) => `${item.where}|${item.method}`);
  out.push(
    table(
      ["figure", "method", "count"],
      [...derivedCounts.entries()].sort().map(([key, count]) => [...key.split("|"), String(count)] as string[]),
    ),
  );

  out.push(...apiPriceSection(book));
  out.push(...freshnessSection(book));
  out.push(...confidenceSection(book));

  // --- gaps ----------------------------------------------------------------------------------------
  out.push("", "## Largest remaining gaps", "");
  const unpricedServers = book.servers.filter((server) => server.priceUsd === null).map((server) => server.id);
  const unpoweredServers = book.servers.filter((server) => server.powerKw === null).map((server) => server.id);
  const gaps = [
    `**Server prices**: ${unpricedServers.length} of ${book.servers.length} SKUs have no price at all (${unpricedServers.join(", ") || "none"}); no OEM list price or configurator quote was found, so no server price is high confidence, and ${pricedDerived.length} are derived from low-confidence street prices plus a chassis share (the B300 street price is itself derived from B200 × 1.2).`,
    `**Server power**: ${unpoweredServers.length} SKUs have no power figure (${unpoweredServers.join(", ") || "none"}); ${poweredDerived.length} are derived (NVIDIA analogue or reference design), OEM figures need vendor calculators.`,
    `**Throughput**: measured data covers ${measuredPairs.length} accelerator × model pairs; ${
      book.models
        .filter((model) => !book.throughputPoints.some((point) => point.model === model.key))
        .map((model) => model.key)
        .join(", ") || "none"
    } have none; InferenceX covers DeepSeek-R1-0528 only; nothing measured for Rubin, MI400-class, L40S, RTX PRO 6000, A100, GH200, Gaudi 3, TPU or Trainium; TPU v6e and Trainium2 have no published TDP, so the planner asks for their throughput.`,
    `**Model-API prices**: ${book.tokenPrices.filter((price) => price.status === "current").length} current offers; no cited price from Meta (no first-party Llama API price found) or NVIDIA (build.nvidia.com lists no per-token price); most host prices come from community indexes (genai-prices, LiteLLM), not the providers' own pages (see the API table above).`,
    `**Cloud**: no public price found for Gaudi 3 instances (IBM Cloud's gx3d-160x1792x8gaudi3 profile is documented, its price page was not in the stored corpus; the Gaudi 3 build price is Intel's list); Trainium2 has one on-demand row (trn2.48xlarge, us-east-2, from the SkyPilot catalog of the AWS Price List, undated) and no published commitment price; none for GB200 at Azure, AWS or Google (capacity sold by reservation) or GB300 outside OCI; MI355X only OCI; no per-SKU reserved prices for Azure, GCP GPUs, CoreWeave or AWS Savings Plans; no AWS spot; the Q4 2024 capacity-block table is superseded and no later one was found.`,
    `**Electricity**: no price for ${noPrice.map((region) => region.code).join(", ")}; ${lowPrice.length} regions rest on a secondary compilation; EIA figures are 2023 averages, not large-load tariffs.`,
    `**Facility**: ${book.facility.filter((item) => item.figure === null).length} recorded gaps (market-level colocation rates, absolute PUE for liquid cooling, build cost for N. Virginia, Dallas, Amsterdam).`,
    "**Operating defaults**: no cited staff cost (servers per FTE, FTE cost): scenarios must give them inline; no cited default discount rate; idle-power fraction has no cited default.",
    "**Roadmap prices**: no cited price for Rubin or MI400-class parts; only the InferenceX 1.2× placeholder for Blackwell Ultra.",
  ];
  out.push(...gaps.map((gap) => `- ${gap}`));
  out.push("");
  return out.join("\n");
}
