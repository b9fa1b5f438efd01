import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { axeViolations, blockingViolations } from "./axe.ts";
import { launchBrowser, screenshot } from "./browser.ts";

/**
 * Organisation quotes end to end in Chromium against the real Worker and D1: an admin adds a
 * quote for a server the planner shortlists; the planner of that organisation uses it (source in
 * the wizard and the assumptions, a lower cost than an anonymous visitor sees); a concurrent
 * change is caught (409) and shown; a viewer reads the quotes without the form; axe finds no
 * serious or critical problem; deleting asks first.
 */
describe("organisation quotes: added by an admin, applied by the planner, read by a viewer", () => {
  const baseUrl = inject("baseUrl");
  const stamp = Date.now().toString(36);
  const admin = { name: "Quinn Quotes", email: `quinn.${stamp}@example.com`, password: "quotes are private prices" };
  const viewer = { name: "Vera Viewer", email: `vera.${stamp}@example.com`, password: "vera only reads the quotes" };
  const note = `E2E quote Q-${stamp}`;
  const validUntil = new Date(Date.now() + 365 * 86_400_000).toISOString().slice(0, 10);
  /** As the page prints a date (format.ts `formatAsOf`). */
  const validUntilText = new Intl.DateTimeFormat("en-GB", {
    day: "numeric",
    month: "short",
    year: "numeric",
    timeZone: "UTC",
  }).format(new Date(`${validUntil}T00:00:00Z`));
  const expectedSource = `Your organisation's quote (${note}), valid until ${validUntilText}`;

  let browser: Browser;
  let anonymous: BrowserContext;
  let adminContext: BrowserContext;
  let adminPage: Page;
  let viewerContext: BrowserContext;
  /** The first server the planner shortlists for the plan below, and what its path costs anonymously. */
  let skuId = "";
  let anonymousRow: { perMillion: string; presentValueUsd: number } = { perMillion: "", presentValueUsd: 0 };

  beforeAll(async () => {
    browser = await launchBrowser();
    anonymous = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    adminContext = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    adminPage = await adminContext.newPage();
    viewerContext = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  });
  afterAll(async () => {
    await browser?.close();
  });

  /** "$42.9 million" / "$1.2 billion" / "$850,000" (format.ts `formatUsdCompact`) → USD. */
  function usdOf(text: string): number {
    const match = /(−?)\$([\d,.]+)(?: (million|billion))?/.exec(text);
    if (!match) throw new Error(`no dollar amount in "${text}"`);
    const scale = match[3] === "billion" ? 1e9 : match[3] === "million" ? 1e6 : 1;
    return (match[1] ? -1 : 1) * Number((match[2] ?? "").replaceAll(",", "")) * scale;
  }

  /** Walks the wizard with the same inputs every time; returns the first shortlisted server's id. */
  async function planToOptions(page: Page): Promise<string> {
    await page.goto(`${baseUrl}/plan/workload`);
    const requests = page.getByRole("textbox", { name: "Requests per day" });
    await requests.waitFor({ timeout: 20_000 });
    await requests.fill("10000000");
    await page.getByRole("button", { name: "Next" }).click();
    await expect.poll(() => page.locator("h1").textContent()).toContain("Site and energy");
    await page.getByRole("button", { name: "Next" }).click();
    await expect.poll(() => page.locator("h1").textContent()).toContain("Options");
    const checked = page.locator('input[data-testid^="server-"]:checked').first();
    await checked.waitFor();
    return ((await checked.getAttribute("data-testid")) ?? "").slice("server-".length);
  }

  async function optionsToResults(page: Page): Promise<void> {
    await page.getByRole("button", { name: "Next" }).click();
    await page.getByRole("textbox", { name: "Cost of capital" }).fill("9");
    await page.getByRole("button", { name: "See the results" }).click();
    await expect
      .poll(() => page.getByTestId("headline").textContent(), { timeout: 20_000 })
      .toMatch(/per million tokens/);
  }

  async function buildRow(page: Page): Promise<{ perMillion: string; presentValueUsd: number }> {
    const row = page.getByTestId(`path-build-${skuId}`);
    await row.waitFor();
    const cells = row.locator("td");
    return {
      perMillion: ((await cells.nth(0).textContent()) ?? "").trim(),
      presentValueUsd: usdOf((await cells.nth(1).textContent()) ?? ""),
    };
  }

  it("an anonymous visitor's plan uses the public server price", async () => {
    const page = await anonymous.newPage();
    skuId = await planToOptions(page);
    expect(skuId).not.toBe("");
    await optionsToResults(page);
    anonymousRow = await buildRow(page);
    expect(anonymousRow.presentValueUsd).toBeGreaterThan(0);
    const text = (await page.locator("table.assumptions").textContent()) ?? "";
    expect(text).not.toContain("Your organisation's quote");
    await page.close();
  });

  it("an admin signs up, creates an organisation and finds Quotes in the organisation's menu", async () => {
    await adminPage.goto(`${baseUrl}/signup`);
    await adminPage.getByRole("textbox", { name: "Your name" }).fill(admin.name);
    await adminPage.getByRole("textbox", { name: "Work e-mail" }).fill(admin.email);
    await adminPage.getByLabel("Password").fill(admin.password);
    await adminPage.getByRole("button", { name: "Create account" }).click();
    await adminPage.waitForURL(`${baseUrl}/org`);
    await adminPage.getByRole("textbox", { name: "Organisation name" }).fill("Quotewell Compute");
    await adminPage.getByRole("button", { name: "Create organisation" }).click();
    await expect.poll(() => adminPage.getByTestId("active-org").textContent()).toContain("as admin");
    await adminPage.getByRole("navigation", { name: "Organisation" }).getByRole("link", { name: "Quotes" }).click();
    await adminPage.waitForURL(`${baseUrl}/org/quotes`);
    await expect.poll(() => adminPage.getByTestId("no-quotes").textContent()).toContain("No quotes yet");
  });

  it("the API's field error lands next to the field, marked invalid and focused", async () => {
    const page = adminPage;
    await page.locator("#quote-target").selectOption(skuId);
    await page.getByLabel("Discount (optional)").fill("20");
    await page.getByLabel("Valid until").fill("2020-01-01");
    await page.getByLabel("Note (optional)").fill(note);
    await page.getByTestId("quote-submit").click();
    await expect.poll(() => page.getByTestId("error-validUntil").textContent()).toContain("or a later date");
    expect(await page.getByLabel("Valid until").getAttribute("aria-invalid")).toBe("true");
    expect(await page.getByLabel("Valid until").getAttribute("aria-describedby")).toContain("quote-valid-until-error");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("quote-valid-until");
    expect(blockingViolations(await axeViolations(page)), "quotes page with a field error").toEqual([]);
    await screenshot(page, "org-quotes-field-error");
  });

  it("the admin adds the quote: 20 % off the public price of the shortlisted server", async () => {
    const page = adminPage;
    await page.getByLabel("Valid until").fill(validUntil);
    await page.getByTestId("quote-submit").click();
    await expect.poll(() => page.getByTestId("quotes-status").textContent()).toContain("Added a quote for");
    const row = page.getByTestId(`quote-${skuId}`);
    await row.waitFor();
    const text = (await row.textContent()) ?? "";
    expect(text).toContain("20%");
    expect(text).toContain(note);
    expect(text).toContain(validUntilText);
    expect(text).not.toContain("expired");
    // The effective price the table shows is the public one less 20 %.
    const cells = row.locator("td");
    const publicUsd = usdOf((await cells.nth(0).textContent()) ?? "");
    const effectiveUsd = usdOf((await cells.nth(3).textContent()) ?? "");
    expect(effectiveUsd).toBeCloseTo(publicUsd * 0.8, 0);
    // The form is empty again, ready for the next quote.
    expect(await page.getByLabel("Note (optional)").inputValue()).toBe("");
    expect(blockingViolations(await axeViolations(page)), "quotes page with a quote").toEqual([]);
    await screenshot(page, "org-quotes");
  });

  it("the organisation's planner shows the quote as the price's source and the build path costs less", async () => {
    const page = adminPage;
    expect(await planToOptions(page)).toBe(skuId);
    const priceField = page.locator(`[data-field="quote.server.${skuId}"]`);
    await expect.poll(() => priceField.textContent()).toContain(expectedSource);
    await screenshot(page, "org-quotes-wizard-price");
    await optionsToResults(page);
    const assumption = page.locator("table.assumptions tbody tr", { hasText: expectedSource });
    await expect.poll(() => assumption.count()).toBe(1);
    expect((await assumption.textContent()) ?? "").toContain("Server price");
    const quoted = await buildRow(page);
    expect(quoted.presentValueUsd).toBeLessThan(anonymousRow.presentValueUsd);
    expect(quoted.perMillion).not.toBe(anonymousRow.perMillion);
    await assumption.scrollIntoViewIfNeeded();
    await screenshot(page, "org-quotes-results-source");
  });

  it("a change made elsewhere meanwhile is caught: the admin is told, sees the new version, and retries", async () => {
    const page = adminPage;
    await page.goto(`${baseUrl}/org/quotes`);
    const row = page.getByTestId(`quote-${skuId}`);
    await row.waitFor();
    await row.getByRole("button", { name: /^Change the quote for/ }).click();
    await expect.poll(() => page.getByTestId("quote-form-heading").textContent()).toContain("Change the quote for");
    // Someone else (another tab, a script with a key) changes the note first.
    const status = await page.evaluate(async () => {
      const list = (await (await fetch("/api/v1/quotes")).json()) as { data: { id: string; version: number }[] };
      const first = list.data[0];
      if (!first) return 0;
      const response = await fetch(`/api/v1/quotes/${first.id}`, {
        method: "PATCH",
        headers: { "content-type": "application/json", "if-match": `"${first.version}"` },
        body: JSON.stringify({ note: "changed in another tab" }),
      });
      return response.status;
    });
    expect(status).toBe(200);
    await page.getByLabel("Discount (optional)").fill("25");
    await page.getByTestId("quote-submit").click();
    await expect
      .poll(() => page.getByTestId("quote-form-problem").textContent())
      .toContain("Someone else changed this quote");
    expect(await page.getByLabel("Note (optional)").inputValue()).toBe("changed in another tab");
    expect(await page.getByLabel("Discount (optional)").inputValue()).toBe("20");
    await page.getByLabel("Discount (optional)").fill("25");
    await page.getByLabel("Note (optional)").fill(note);
    await page.getByTestId("quote-submit").click();
    await expect.poll(() => page.getByTestId("quotes-status").textContent()).toContain("Saved the quote for");
    await expect.poll(() => row.textContent()).toContain("25%");
  });

  it("a viewer sees the quotes but no form, with a sentence saying only admins change them", async () => {
    await adminPage.goto(`${baseUrl}/org/members`);
    await adminPage.locator("#invite-role").selectOption("viewer");
    await adminPage.getByTestId("create-invitation").click();
    const link = adminPage.getByTestId("invitation-link");
    await expect.poll(() => link.inputValue()).toMatch(/\/invite#/);
    const invitation = await link.inputValue();

    const page = await viewerContext.newPage();
    await page.goto(invitation);
    await expect.poll(() => page.getByTestId("invite-preview").textContent()).toContain("as viewer");
    await page.getByRole("main").getByRole("link", { name: "Create an account" }).click();
    await page.waitForURL(/\/signup\?next=invite$/);
    await page.getByRole("textbox", { name: "Your name" }).fill(viewer.name);
    await page.getByRole("textbox", { name: "Work e-mail" }).fill(viewer.email);
    await page.getByLabel("Password").fill(viewer.password);
    await page.getByRole("button", { name: "Create account" }).click();
    await page.waitForURL(`${baseUrl}/invite`);
    await page.getByTestId("accept-invitation").click();
    await page.waitForURL(`${baseUrl}/scenarios`);

    await page.goto(`${baseUrl}/org/quotes`);
    await expect.poll(() => page.getByTestId("quotes-read-only").textContent()).toContain("Only admins");
    await expect.poll(() => page.getByTestId(`quote-${skuId}`).textContent()).toContain(note);
    expect(await page.getByTestId("quote-form").count()).toBe(0);
    expect(await page.getByRole("button", { name: /Change the quote|Delete the quote|Add quote/ }).count()).toBe(0);
    expect(blockingViolations(await axeViolations(page)), "quotes page for a viewer").toEqual([]);
    await screenshot(page, "org-quotes-viewer");
    // The API refuses a viewer's write whatever the page shows.
    const status = await page.evaluate(
      async (body) =>
        (
          await fetch("/api/v1/quotes", {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify(body),
          })
        ).status,
      { targetKind: "sku", targetId: skuId, discount: 0.5, validUntil },
    );
    expect(status).toBe(403);
    await page.close();
  });

  it("deleting asks first (Keep it cancels); afterwards the list is empty again", async () => {
    const page = adminPage;
    await page.goto(`${baseUrl}/org/quotes`);
    const row = page.getByTestId(`quote-${skuId}`);
    await row.getByRole("button", { name: /^Delete the quote for/ }).click();
    await row.getByRole("button", { name: "Keep it" }).click();
    expect(await row.count()).toBe(1);
    await row.getByRole("button", { name: /^Delete the quote for/ }).click();
    await row.getByRole("button", { name: "Yes, delete it" }).click();
    await expect.poll(() => page.getByTestId("quotes-status").textContent()).toContain("Deleted the quote for");
    await expect.poll(() => page.getByTestId("no-quotes").count()).toBe(1);
  });
});
