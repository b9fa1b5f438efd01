import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchBrowser, screenshot } from "./browser.ts";

/** Buying tokens with no typed price: the wizard lists the chosen model's API offers and prices the path. */
describe("the buy-tokens path in the wizard", () => {
  const baseUrl = inject("baseUrl");
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    browser = await launchBrowser();
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    page = await context.newPage();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("lists Llama 3.3 70B offers by price with provider and date, and reaches a result without a typed price", async () => {
    await page.goto(`${baseUrl}/plan/workload`);
    await expect.poll(() => page.locator("h1").textContent(), { timeout: 20_000 }).toContain("Step 1 of 5");
    await page.locator("#model").selectOption("llama3.3-70b");
    await page.getByRole("textbox", { name: "Requests per day" }).fill("2000000");
    await page.getByRole("button", { name: "Next" }).click();
    await expect.poll(() => page.locator("h1").textContent()).toContain("Step 2 of 5");
    await page.getByRole("button", { name: "Next" }).click();
    await expect.poll(() => page.locator("h1").textContent()).toContain("Step 3 of 5: Options");

    const offers = page
      .getByTestId("api-offers")
      .locator(':scope > li > label > input[type="checkbox"][data-testid^="api-api:"]');
    await expect.poll(() => offers.count()).toBeGreaterThanOrEqual(5);
    const ids = await offers.evaluateAll((inputs) => inputs.map((input) => input.getAttribute("data-testid") ?? ""));
    for (const id of ids) expect(id).toMatch(/^api-api:[a-z0-9-]+:llama3\.3-70b$/);
    // Each offer shows its provider, prices and date; the list is sorted by the blended price for the mix.
    const texts = await page
      .getByTestId("api-offers")
      .locator(":scope > li > label")
      .evaluateAll((labels) =>
        labels
          .filter((label) => label.querySelector('input[data-testid^="api-api:"]'))
          .map((label) => label.textContent ?? ""),
      );
    const blended = await page
      .getByTestId("api-offers")
      .locator(":scope > li > label")
      .evaluateAll((labels) =>
        labels
          .filter((label) => label.querySelector('input[data-testid^="api-api:"]'))
          .map((label) => Number(label.parentElement?.getAttribute("data-blended-usd-per-million"))),
      );
    expect(blended.length).toBeGreaterThanOrEqual(5);
    expect([...blended].sort((a, b) => a - b)).toEqual(blended);
    expect(texts[0]).toMatch(/per million input tokens.*per million output tokens.*of your mix.*Price\s+as of/s);
    // The cheapest offer is chosen by default: no price to type.
    await expect.poll(() => offers.first().isChecked()).toBe(true);
    await screenshot(page, "wizard-api-offers");

    // Only the API path, to show it stands alone: clear every other path.
    const others = page.locator('input[type="checkbox"]:checked:not([data-testid^="api-"])');
    while ((await others.count()) > 0) await others.first().uncheck();
    // And a closed frontier model to compare with: a different model from the one the plan sizes.
    await page.getByText("Compare with a closed frontier model").click();
    await page.getByTestId("api-api:anthropic:claude-sonnet-4-5").check();

    await page.getByRole("button", { name: "Next" }).click();
    await expect.poll(() => page.locator("h1").textContent()).toContain("Step 4 of 5: Finance");
    await page.getByRole("textbox", { name: "Cost of capital" }).fill("9");
    await page.getByRole("button", { name: "See the results" }).click();
    await expect
      .poll(() => page.getByTestId("headline").textContent(), { timeout: 20_000 })
      .toMatch(/costs \$[\d.]+ per million tokens over 5 years/);
    await expect.poll(() => page.locator("body").textContent()).toMatch(/Llama 3\.3 70B API/);
    // Each token path says what it buys, from whom, at what price, as of when and from which source.
    const own = page.getByTestId(`api-offer-api-${ids[0]?.slice("api-".length)}`);
    await expect.poll(() => own.textContent()).toMatch(/buys Llama 3\.3 70B\s+from .+ per million input tokens/s);
    // The source is named in people's words (ADR 019), never the data file and line.
    await expect.poll(() => own.textContent()).toMatch(/price as of \w+.*Source: \S/s);
    expect(await own.textContent()).not.toMatch(/\.csv\b|\bline \d+/);
    expect(await own.getByTestId("different-model").count()).toBe(0);
    // The frontier path says plainly that it is not the same model.
    const frontier = page.getByTestId("api-offer-api-api:anthropic:claude-sonnet-4-5");
    await expect
      .poll(() => frontier.getByTestId("different-model").textContent())
      .toMatch(/Not the same model: this path buys Claude Sonnet 4\.5, not your plan's Llama 3\.3 70B/);
    await expect.poll(() => frontier.textContent()).toMatch(/from Anthropic at \$3 per million input tokens/);
    await screenshot(page, "results-api-offer");
  });
});
