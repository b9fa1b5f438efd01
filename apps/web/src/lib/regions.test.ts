import { describe, expect, it } from "vitest";
import { regionChoices } from "./engine.ts";
import { groupRegions, nameInGroup } from "./regions.ts";

describe("regions grouped by country and searchable", () => {
  it("puts US states under the United States and countries under their part of the world", () => {
    const groups = groupRegions(regionChoices());
    expect(groups[0]?.label).toBe("United States");
    expect(groups[0]?.regions.every((region) => region.code.startsWith("US-"))).toBe(true);
    const europe = groups.find((group) => group.label === "Europe");
    expect(europe?.regions.map((region) => region.code)).toContain("DE");
    expect(europe?.regions.some((region) => region.code.startsWith("US-"))).toBe(false);
    expect(groups.find((group) => group.label === "Middle East")?.regions.map((region) => region.code)).toContain("AE");
    expect(nameInGroup({ code: "US-VA", name: "Virginia, United States" })).toBe("Virginia");
  });

  it("finds a region by name or code and keeps the chosen one listed", () => {
    const found = groupRegions(regionChoices(), "virg", "DE");
    const codes = found.flatMap((group) => group.regions.map((region) => region.code));
    expect(codes).toEqual(expect.arrayContaining(["US-VA", "US-WV", "DE"]));
    expect(codes).not.toContain("FR");
    expect(
      groupRegions(regionChoices(), "us-tx").flatMap((group) => group.regions.map((region) => region.code)),
    ).toEqual(["US-TX"]);
  });
});
