import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchBrowser } from "./browser.ts";

const axeSource = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

interface AxeViolation {
  id: string;
  impact: "minor" | "moderate" | "serious" | "critical" | null;
  help: string;
  nodes: { target: string[] }[];
}

/** Run axe-core (WCAG 2.x A and AA rules) on the page as it is now. */
async function axeViolations(page: Page): Promise<AxeViolation[]> {
  // Evaluated through the DevTools protocol: the app's CSP (no inline scripts) would block a
  // <script> tag, by design.
  await page.evaluate(await readFile(axeSource, "utf8"));
  return page.evaluate(async () => {
    const axe = (
      window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: AxeViolation[] }> } }
    ).axe;
    const result = await axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
    });
    return result.violations;
  });
}

/** Serious and critical problems, one readable line each (the assertion message lists them). */
function blocking(violations: AxeViolation[]): string[] {
  return violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map(
      (violation) =>
        `${violation.id} (${violation.impact}): ${violation.help} — ${violation.nodes
          .map((node) => node.target.join(" "))
          .slice(0, 3)
          .join(", ")}`,
    );
}

/** Every screen a first-time user meets, checked with axe-core in Chromium: labels, contrast, roles, names. */
describe("accessibility (axe-core, WCAG 2.1 A/AA)", () => {
  const baseUrl = inject("baseUrl");
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("the home page has no serious or critical violations", async () => {
    await page.goto(`${baseUrl}/`);
    await expect.poll(() => page.getByTestId("health-status").textContent()).toBe("Running");
    expect(blocking(await axeViolations(page))).toEqual([]);
  });

  it("each wizard step and the results page have no serious or critical violations", async () => {
    await page.goto(`${baseUrl}/plan/workload`);
    const requests = page.getByRole("textbox", { name: "Requests per day" });
    await requests.waitFor();
    await requests.fill("5000000");
    expect(blocking(await axeViolations(page)), "workload step").toEqual([]);

    for (const [step, title] of [
      ["site", "Site and energy"],
      ["options", "Options"],
      ["finance", "Finance"],
    ] as const) {
      await page.getByRole("button", { name: "Next" }).click();
      await expect.poll(() => page.locator("h1").textContent()).toContain(title);
      if (step === "finance") await page.getByRole("textbox", { name: "Cost of capital" }).fill("8");
      expect(blocking(await axeViolations(page)), `${step} step`).toEqual([]);
    }

    await page.getByRole("button", { name: "See the results" }).click();
    await expect.poll(() => page.getByTestId("headline").textContent()).toMatch(/per million tokens/);
    expect(blocking(await axeViolations(page)), "results page").toEqual([]);
  });
});
