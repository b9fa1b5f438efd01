import { describe, expect, it } from "vitest";
import { nextPage } from "./next-page.ts";

describe("nextPage (where to go after signing in)", () => {
  it("accepts only the app's own named pages, never a URL (no open redirect)", () => {
    expect(nextPage("invite", "org")).toBe("invite");
    expect(nextPage("scenarios", "org")).toBe("scenarios");
    for (const hostile of ["https://evil.example", "//evil.example", "/invite", "invite/../x", "", null]) {
      expect(nextPage(hostile, "org")).toBe("org");
    }
  });
});
