import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { axeViolations, blockingViolations } from "./axe.ts";
import { launchBrowser, screenshot } from "./browser.ts";

/**
 * Choices that stay consistent and Options at human scale (issue 18 items 7 and 9), in Chromium:
 * a model too big for a chosen server drops it with one plain sentence on the model field; a
 * speed beyond a server's reach offers the nearest reachable speed with a button that brings the
 * server back; DeepSeek-R1 → Llama 3.3 70B leaves no DeepSeek API on the plan; the Options step
 * is a short per-provider shortlist with filters and the rest on demand (heights measured).
 */
describe("choices stay consistent, offers at human scale", () => {
  const baseUrl = inject("baseUrl");
  let browser: Browser;
  let page: Page;
  const notice = () => page.getByTestId("choices-notice");
  const checkedIds = (prefix: string) =>
    page
      .locator(`input[data-testid^="${prefix}"]:checked`)
      .evaluateAll((inputs) => inputs.map((input) => input.getAttribute("data-testid") ?? ""));

  beforeAll(async () => {
    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  });
  afterAll(async () => {
    await browser?.close();
  });

  /** No validator speak: accelerator keys, the kernel's field names, units or throughput-point ids. */
  async function expectPlainPage(): Promise<void> {
    const text = (await page.locator("main").textContent()) ?? "";
    expect(text).not.toMatch(/tok\/s\/user|interactivityTokensPerSecondPerUser|RTX-PRO-6000-96GB|GB300-288GB|mlperf-/);
  }

  /** A fresh plan with the wizard's defaults (the chat assistant on Llama 3.3 70B at 35 tokens a second). */
  async function newPlan(): Promise<void> {
    await page.goto(`${baseUrl}/scenarios`);
    await page.getByRole("button", { name: "Start a new plan" }).click();
    await page.waitForURL(/\/plan\/workload/);
    await page.getByRole("textbox", { name: "Requests per day" }).waitFor({ timeout: 20_000 });
    await expect.poll(() => page.locator("#model").inputValue()).toBe("llama3.3-70b");
  }

  async function toStep(step: number): Promise<void> {
    await page.getByRole("button", { name: "Next" }).click();
    await expect.poll(() => page.locator("h1").textContent()).toContain(`Step ${step} of 5`);
  }

  it("a model too big for a chosen server drops it and says why on the model field", async () => {
    await newPlan();
    await page.getByRole("textbox", { name: "Requests per day" }).fill("976563");
    await page.locator("#model").selectOption("llama3.1-405b");
    await expect
      .poll(() => notice().textContent())
      .toMatch(
        /1 server \(Cisco UCS C845A M8\) no longer fits: Llama 3\.1 405B needs more memory than one RTX PRO 6000 .* holds \(96 GB\)/,
      );
    // The APIs chosen for Llama 3.3 70B go too: they would buy another model.
    expect(await notice().textContent()).toMatch(
      /token APIs were removed: .*sell a different model from Llama 3\.1 405B/,
    );
    await expectPlainPage();
    expect(blockingViolations(await axeViolations(page)), "workload with a notice").toEqual([]);
    await screenshot(page, "choices-model-too-big");
    await toStep(2);
    await toStep(3);
    expect(await checkedIds("server-")).not.toContain("server-cisco-ucs-c845a-m8");
    expect((await checkedIds("server-")).length).toBeGreaterThan(0);
    for (const id of await checkedIds("api-api:")) expect(id).toMatch(/:llama3\.1-405b$/);
    // The dropped server is listed under "show all" but cannot be ticked, with the reason in words.
    await page.getByTestId("show-all-servers").click();
    const cisco = page.getByTestId("server-cisco-ucs-c845a-m8");
    expect(await cisco.isDisabled()).toBe(true);
    expect(await page.locator("label", { has: cisco }).textContent()).toMatch(/too little memory for Llama 3\.1 405B/);
  });

  it("a speed beyond the chosen hardware offers the nearest reachable speed, and the button takes it", async () => {
    await newPlan();
    await page.locator('input[name="latency"][value="custom"]').check();
    await page.getByRole("textbox", { name: "Speed each user sees" }).fill("100");
    await expect
      .poll(() => notice().textContent())
      .toMatch(/cannot reach 100 tokens a second per user with Llama 3\.3 70B; the fastest reaches about 45/);
    expect(await notice().textContent()).toContain(
      "The nearest speed Cisco UCS C845A M8 can reach is about 45 tokens a second per user (you asked for 100).",
    );
    await expectPlainPage();
    await screenshot(page, "choices-speed-beyond-reach");
    await page.getByTestId("use-nearest-speed").click();
    await expect.poll(() => page.getByRole("textbox", { name: "Speed each user sees" }).inputValue()).toBe("45");
    await expect.poll(() => notice().count()).toBe(0);
    await page.getByRole("textbox", { name: "Requests per day" }).fill("976563");
    await toStep(2);
    await toStep(3);
    expect(await checkedIds("server-")).toContain("server-cisco-ucs-c845a-m8");
  });

  it("switching DeepSeek-R1 to Llama 3.3 70B leaves no DeepSeek API on the plan", async () => {
    await newPlan();
    await page.locator("#model").selectOption("deepseek-r1");
    await page.getByRole("textbox", { name: "Requests per day" }).fill("976563");
    await toStep(2);
    await toStep(3);
    await expect
      .poll(() => checkedIds("api-api:"))
      .toEqual(expect.arrayContaining([expect.stringMatching(/:deepseek-r1$/)]));
    await page.getByRole("button", { name: "Back" }).click();
    await page.getByRole("button", { name: "Back" }).click();
    await expect.poll(() => page.locator("h1").textContent()).toContain("Step 1 of 5");
    await page.locator("#model").selectOption("llama3.3-70b");
    await expect
      .poll(() => notice().textContent())
      .toMatch(/\(DeepSeek-R1\).* sell a different model from Llama 3\.3 70B/);
    await toStep(2);
    await toStep(3);
    const apis = await checkedIds("api-api:");
    expect(apis.length).toBeGreaterThan(0);
    for (const id of apis) expect(id).toMatch(/:llama3\.3-70b$/);
    // Nor anywhere in the plan the results read.
    expect(decodeURIComponent(page.url())).not.toMatch(/deepseek/);
  });

  it("the Options step is a short shortlist with filters; everything else on demand", async () => {
    await newPlan();
    await page.getByRole("textbox", { name: "Requests per day" }).fill("976563");
    await toStep(2);
    await toStep(3);
    await expect.poll(() => page.getByTestId("offer-count").textContent()).toMatch(/^\s*\d+ of \d+ offers/);
    const height = () => page.evaluate(() => document.documentElement.scrollHeight);
    const shortlistHeight = await height();
    const shownOffers = await page.locator('input[data-testid^="offer-"]').count();
    const shownServers = await page.locator('input[data-testid^="server-"]').count();
    const offerText = (await page.getByTestId("offer-count").textContent()) ?? "";
    const totalOffers = Number(/of (\d+) offers/.exec(offerText)?.[1]);
    expect(shownOffers).toBeLessThan(totalOffers / 3);
    expect(blockingViolations(await axeViolations(page)), "options shortlist").toEqual([]);
    await screenshot(page, "options-shortlist");

    // Filters narrow the list: one provider, then one commitment term.
    await page.getByTestId("filter-provider").selectOption("AWS");
    await expect.poll(() => page.getByTestId("offer-count").textContent()).toMatch(/that match the filters/);
    const names = await page
      .locator('input[data-testid^="offer-"]')
      .evaluateAll((inputs) =>
        inputs.map((input) => input.closest("label")?.querySelector("strong")?.textContent ?? ""),
      );
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) expect(name).toMatch(/^AWS /);
    await page.getByTestId("show-all-offers").click();
    await page.getByTestId("filter-commitment").selectOption("3y");
    await expect.poll(() => page.getByTestId("offer-count").textContent()).toMatch(/^\s*All \d+ offers that match/);
    for (const text of await page
      .locator('input[data-testid^="offer-"]')
      .evaluateAll((inputs) => inputs.map((input) => input.closest("label")?.textContent ?? "")))
      expect(text).toMatch(/^\s*AWS /);
    await page.getByTestId("filter-provider").selectOption("");
    await page.getByTestId("filter-commitment").selectOption("");

    // Everything on demand: all offers and all servers.
    await page.getByTestId("show-all-servers").click();
    await expect.poll(() => page.locator('input[data-testid^="offer-"]').count()).toBe(totalOffers);
    const allHeight = await height();
    const allServers = await page.locator('input[data-testid^="server-"]').count();
    console.info(
      `Options page at 1280 px: shortlist ${shortlistHeight} px (${shownServers} servers, ${shownOffers} offers); ` +
        `everything shown ${allHeight} px (${allServers} servers, ${totalOffers} offers)`,
    );
    expect(shortlistHeight).toBeLessThan(allHeight / 2);
    expect(blockingViolations(await axeViolations(page)), "options, everything shown").toEqual([]);
  });
});
