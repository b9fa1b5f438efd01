import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { axeViolations, blockingViolations } from "./axe.ts";
import { launchBrowser, screenshot } from "./browser.ts";

/**
 * Volume the way people know it and errors in their units (issue 18 items 3 and 5), in Chromium:
 * tokens a day echo requests a second and back, a negative user count is flagged on Users once the
 * field is left, an absurd volume asks "did you mean…?", the chat preset opens on a 70B chat model
 * and regions are grouped by country and searchable.
 */
describe("volume in people's units, errors where they can be fixed", () => {
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

  const echo = () => page.getByTestId("volume-echo").textContent();

  it("converts tokens, users and requests both ways and flags what cannot be right", async () => {
    await page.goto(`${baseUrl}/plan/workload`);
    const requests = page.getByRole("textbox", { name: "Requests per day" });
    await requests.waitFor({ timeout: 20_000 });
    // The chat assistant opens on a 70B-class chat model.
    await expect.poll(() => page.locator("#model option:checked").textContent()).toMatch(/^Llama 3\.3 70B/);

    // Tokens a day → requests and requests a second, live.
    await page.getByRole("radio", { name: "Tokens per day" }).check();
    await page.getByRole("textbox", { name: "Tokens per day" }).fill("2000000000");
    await expect
      .poll(echo)
      .toMatch(/≈ 2 billion tokens a day .*976,563 requests a day, 11\.3 requests a second on average/);
    // And back: the same requests per day echo the same tokens.
    await page.getByRole("radio", { name: "Requests per day" }).check();
    await requests.fill("976563");
    await expect.poll(echo).toMatch(/≈ 2 billion tokens a day/);

    // Negative users: nothing while typing, then on Users (not on Requests per user), in the number typed.
    await page.getByRole("radio", { name: "Users × requests per user" }).check();
    const users = page.getByRole("textbox", { name: "Users", exact: true });
    await page.getByRole("textbox", { name: "Requests per user" }).fill("195");
    await users.fill("-5000");
    await expect.poll(() => page.getByTestId("error-volume.users").count()).toBe(0);
    await users.press("Tab");
    await expect
      .poll(() => page.getByTestId("error-volume.users").textContent())
      .toBe("Enter a number above 0; you typed −5,000");
    expect(await page.getByTestId("error-volume.requestsPerUserPerDay").count()).toBe(0);

    // An absurd volume asks "did you mean…?" and blocks Next.
    await page.getByRole("radio", { name: "Requests per day" }).check();
    await requests.fill("1e30");
    await requests.press("Tab");
    await expect
      .poll(() => page.getByTestId("error-workload.requestsPerDay").textContent())
      .toMatch(/more than Google handles across all its products .* Did you mean 1,000,000\?/);
    await screenshot(page, "volume-did-you-mean");
    await requests.fill("976563");
    await page.getByRole("button", { name: "Next" }).click();
    await expect.poll(() => page.locator("h1").textContent()).toContain("Step 2 of 5");

    // Regions grouped by country, and searchable.
    const groups = await page
      .locator("#region optgroup")
      .evaluateAll((nodes) => nodes.map((node) => node.getAttribute("label")));
    expect(groups[0]).toBe("United States");
    expect(groups).toContain("Europe");
    await page.getByTestId("region-search").fill("germ");
    await expect
      .poll(() => page.locator("#region option").evaluateAll((nodes) => nodes.map((node) => node.textContent?.trim())))
      .toEqual(expect.arrayContaining(["Germany", "Virginia"]));
    expect(await page.locator("#region option").count()).toBe(2);
    await page.locator("#region").selectOption("DE");
    expect(blockingViolations(await axeViolations(page))).toEqual([]);
  });
});
