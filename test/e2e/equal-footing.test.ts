import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchBrowser, screenshot } from "./browser.ts";

/**
 * Build, lease and API on an equal footing (ADR 017), in Chromium against the real Worker: the
 * serving software and lease commitment are choices of the plan, and the results name the
 * baseline building is measured against.
 */
describe("equal footing: serving software, lease terms and a named baseline", () => {
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

  const heading = () => page.locator("h1").textContent();
  /** Text of a locator with runs of white space as one space (the markup wraps lines). */
  const text = async (locator: ReturnType<Page["locator"]>) =>
    ((await locator.textContent()) ?? "").replace(/\s+/g, " ");

  it("chooses the serving software and the lease term, and names the fair baseline", async () => {
    await page.goto(`${baseUrl}/plan/workload`);
    const requests = page.getByRole("textbox", { name: "Requests per day" });
    await requests.waitFor({ timeout: 20_000 });
    await requests.fill("10000000");
    await page.getByRole("button", { name: "Next" }).click();
    await expect.poll(heading).toContain("Step 2 of 5");
    await page.getByRole("button", { name: "Next" }).click();
    await expect.poll(heading).toContain("Step 3 of 5");

    // Defaults: open-source serving without a licence; leases at the term matching a 5-year plan, on demand beside it.
    const stack = page.getByTestId("serving-stack");
    const commitment = page.getByTestId("lease-commitment");
    await expect.poll(() => stack.locator("option:checked").textContent()).toContain("Open source");
    await expect.poll(() => commitment.locator("option:checked").textContent()).toContain("3-year");
    await expect.poll(() => text(page.locator("main"))).toMatch(/3-year \$[\d,.]+ per hour[^;]*; on demand \$[\d,.]+/);
    await screenshot(page, "equal-footing-options");

    // NVIDIA AI Enterprise: its cited licence is shown, and applies to leased GPUs too.
    await stack.selectOption("nvidia-ai-enterprise");
    await expect.poll(() => text(page.locator("main"))).toContain("4,500 per GPU per year");

    await page.getByRole("button", { name: "Next" }).click();
    await expect.poll(heading).toContain("Step 4 of 5");
    await expect
      .poll(() => page.getByRole("textbox", { name: "Software licences on leased GPUs" }).getAttribute("placeholder"))
      .toMatch(/4,?500/);
    await page.getByRole("textbox", { name: "Cost of capital" }).fill("9");
    await page.getByRole("button", { name: "See the results" }).click();

    // The baseline is named, with why; the assumed stack and lease term are stated.
    const named = page.getByTestId("baseline-named");
    await expect
      .poll(() => text(named), { timeout: 20_000 })
      .toContain("the cheapest way to serve the same demand without building");
    await expect.poll(() => text(page.getByTestId("assumed-stack"))).toContain("NVIDIA AI Enterprise");
    await expect.poll(() => text(page.getByTestId("assumed-stack"))).toContain("3-year commitment prices");
    await screenshot(page, "equal-footing-results");

    // Choosing another path to compare against is honoured and said so.
    const choice = page.getByTestId("baseline-choice");
    const options = await choice
      .locator("option")
      .evaluateAll((nodes) => nodes.map((node) => (node as HTMLOptionElement).value).filter((value) => value !== ""));
    expect(options.length).toBeGreaterThan(1);
    const current = (await named.locator("strong").textContent()) ?? "";
    let picked = "";
    for (const value of options) {
      await choice.selectOption(value);
      await expect.poll(() => text(named)).toContain("the path you chose to compare against");
      picked = (await named.locator("strong").textContent()) ?? "";
      if (picked !== current) break;
    }
    expect(picked).not.toBe("");

    // The assumptions table lists the serving software and the lease commitment with their sources.
    await expect
      .poll(() => text(page.locator("main")))
      .toContain("Serving software on owned and leased GPUs: NVIDIA AI Enterprise");
    await expect.poll(() => text(page.locator("main"))).toContain("Lease commitment: 3-year terms");
  });
});
