// Price-book section: cloud GPU offers (moved verbatim from book.ts).
import type { CloudOffer, Confidence } from "../types.ts";
import { slug } from "../slug.ts";
import type { AcceleratorSection } from "./book-accelerators.ts";
import type { BookContext } from "./book-context.ts";
import { figure, unique } from "./book-figures.ts";
import { CatalogRowError } from "./csv.ts";
import * as S from "./schemas.ts";

export function readCloudOffers({ read, idsAt }: BookContext, alias: AcceleratorSection["alias"]): CloudOffer[] {
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
  return cloudOffers;
}
