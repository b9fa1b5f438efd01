/**
 * Regions grouped the way people look for them (issue 18 item 5): US states under "United States",
 * countries under their part of the world, each list sorted by name, and a search that matches a
 * name or a code ("virginia", "US-VA", "germany"). Pure: the price book's regions in, groups out.
 */

export interface RegionLike {
  code: string;
  name: string;
}

export interface RegionGroup<T extends RegionLike> {
  label: string;
  regions: T[];
}

/** The part of the world of each country code the price book prices (ISO 3166-1 alpha-2, EU27). */
const WORLD_PART: Readonly<Record<string, string>> = {
  AE: "Middle East",
  SA: "Middle East",
  QA: "Middle East",
  IL: "Middle East",
  CA: "Americas (outside the US)",
  MX: "Americas (outside the US)",
  BR: "Americas (outside the US)",
  CL: "Americas (outside the US)",
  JP: "Asia and Pacific",
  SG: "Asia and Pacific",
  KR: "Asia and Pacific",
  IN: "Asia and Pacific",
  AU: "Asia and Pacific",
  TW: "Asia and Pacific",
  MY: "Asia and Pacific",
  CN: "Asia and Pacific",
};

const ORDER = ["United States", "Europe", "Americas (outside the US)", "Middle East", "Asia and Pacific", "Elsewhere"];

function groupOf(code: string): string {
  if (code.startsWith("US-") || code === "US") return "United States";
  if (WORLD_PART[code]) return WORLD_PART[code];
  // The price book's other countries are European (EU27 and its neighbours) unless listed above.
  return /^[A-Z]{2}$|^EU27$/.test(code) ? "Europe" : "Elsewhere";
}

/** Plain lower-case text without accents, for matching what people type. */
function folded(text: string): string {
  return text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
}

/**
 * Regions in groups, filtered by a search (every word must match the name or the code); the
 * region already chosen stays listed so the select never loses it.
 * @param regions the price book's regions with a price
 * @param query what the person typed in the search box
 * @param chosen the plan's region code
 */
export function groupRegions<T extends RegionLike>(regions: readonly T[], query = "", chosen = ""): RegionGroup<T>[] {
  const words = folded(query).split(/\s+/).filter(Boolean);
  const matches = (region: T): boolean =>
    region.code === chosen || words.every((word) => folded(`${region.name} ${region.code}`).includes(word));
  const groups = new Map<string, T[]>();
  for (const region of regions) {
    if (!matches(region)) continue;
    const label = groupOf(region.code);
    groups.set(label, [...(groups.get(label) ?? []), region]);
  }
  // A state is listed by its own name ("Virginia"), the country is the group's label.
  return ORDER.filter((label) => groups.has(label)).map((label) => ({
    label,
    regions: (groups.get(label) ?? []).sort((a, b) => a.name.localeCompare(b.name)),
  }));
}

/** The name a region is listed by inside its group ("Virginia" under "United States"). */
export function nameInGroup(region: RegionLike): string {
  return region.name.replace(/, United States$/, "");
}
