import { expect, test } from "vitest";
import { firstAvailableMonth, generationOfAccelerator, priceBook } from "./index.ts";

test("roadmap dates become the first month of their period", () => {
  expect(firstAvailableMonth("2025")).toBe("2025-01");
  expect(firstAvailableMonth("2025-07")).toBe("2025-07");
  expect(firstAvailableMonth("2026-H1")).toBe("2026-01");
  expect(firstAvailableMonth("2026-H2")).toBe("2026-07");
  expect(firstAvailableMonth("2027-Q3")).toBe("2027-07");
  expect(firstAvailableMonth("2027-Q4")).toBe("2027-10");
  expect(() => firstAvailableMonth("late 2026")).toThrow(/unexpected roadmap date "late 2026"/);
  expect(() => firstAvailableMonth("2026-13")).toThrow(/expected "YYYY"/);
});

test("every generation in the book has a readable first availability", () => {
  for (const generation of priceBook.generations)
    expect(firstAvailableMonth(generation.firstAvailable)).toMatch(/^\d{4}-(0[1-9]|1[0-2])$/);
});

test("accelerators map to their generation, announced parts included", () => {
  expect(generationOfAccelerator(priceBook, "B200-SXM-180GB")?.key).toBe("blackwell");
  expect(generationOfAccelerator(priceBook, "Rubin-288GB")?.firstAvailable).toBe("2026-H2");
  expect(generationOfAccelerator(priceBook, "no-such-part")).toBeUndefined();
});
