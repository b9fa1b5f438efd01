import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchBrowser, screenshot } from "./browser.ts";

/**
 * Issue #9's "done when", end to end in Chromium against the real Worker: a new user signs up,
 * creates an organisation, invites a colleague as viewer, saves a plan; the colleague joins
 * through the link and can read the plan but not change it.
 */
describe("accounts: sign-up, organisation, invitation, a viewer reads a saved plan", () => {
  const baseUrl = inject("baseUrl");
  const stamp = Date.now().toString(36);
  const owner = { name: "Olivia Owner", email: `olivia.${stamp}@example.com`, password: "a long sentence for olivia" };
  const colleague = {
    name: "Victor Viewer",
    email: `victor.${stamp}@example.com`,
    password: "victor reads but never writes",
  };
  let browser: Browser;
  let ownerContext: BrowserContext;
  let ownerPage: Page;
  let colleagueContext: BrowserContext;
  let colleaguePage: Page;
  let invitationLink = "";
  let savedId = "";

  beforeAll(async () => {
    browser = await launchBrowser();
    ownerContext = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    ownerPage = await ownerContext.newPage();
    colleagueContext = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    colleaguePage = await colleagueContext.newPage();
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function fillSignUp(page: Page, person: { name: string; email: string; password: string }): Promise<void> {
    await page.getByRole("textbox", { name: "Your name" }).fill(person.name);
    await page.getByRole("textbox", { name: "Work e-mail" }).fill(person.email);
    await page.getByLabel("Password").fill(person.password);
  }

  it("anonymous visitors plan without an account and are told saving to an organisation needs one", async () => {
    const page = await ownerContext.newPage();
    await page.goto(`${baseUrl}/scenarios`);
    await expect.poll(() => page.getByTestId("where-saved").textContent()).toContain("Saved in this browser");
    await expect.poll(() => page.getByRole("link", { name: "Create an account" }).count()).toBeGreaterThan(0);
    const evaluate = await page.evaluate(async () => (await fetch("/api/v1/scenarios")).status);
    expect(evaluate).toBe(401);
    await page.close();
  });

  it("a new user signs up (weak password refused, in plain words) and gets a secure session cookie", async () => {
    await ownerPage.goto(`${baseUrl}/signup`);
    await fillSignUp(ownerPage, { ...owner, password: "short" });
    await ownerPage.getByRole("button", { name: "Create account" }).click();
    await expect.poll(() => ownerPage.getByTestId("error-password").textContent()).toContain("at least 12 characters");
    expect(await ownerPage.getByLabel("Password").getAttribute("aria-invalid")).toBe("true");
    await screenshot(ownerPage, "accounts-1-signup-error");

    await ownerPage.getByLabel("Password").fill(owner.password);
    await ownerPage.getByRole("button", { name: "Create account" }).click();
    await ownerPage.waitForURL(`${baseUrl}/org`);
    await expect.poll(() => ownerPage.getByTestId("signed-in-as").textContent()).toBe(owner.name);

    const cookies = await ownerContext.cookies(baseUrl);
    const session = cookies.find((cookie) => cookie.name === "__Secure-aifp.session_token");
    expect(session, JSON.stringify(cookies.map((cookie) => cookie.name))).toBeDefined();
    expect(session).toMatchObject({ httpOnly: true, secure: true, sameSite: "Strict", path: "/" });
    // HttpOnly: page scripts cannot read it.
    expect(await ownerPage.evaluate(() => document.cookie)).not.toContain("session_token");
  });

  it("creates an organisation and invites a colleague as viewer by link", async () => {
    await ownerPage.getByRole("textbox", { name: "Organisation name" }).fill("Northwind Compute");
    await ownerPage.getByRole("button", { name: "Create organisation" }).click();
    await expect.poll(() => ownerPage.getByTestId("active-org").textContent()).toContain("Northwind Compute as admin");
    await screenshot(ownerPage, "accounts-2-organisation");

    await ownerPage.getByRole("link", { name: "Members and invitations" }).click();
    await ownerPage.locator("#invite-role").selectOption("viewer");
    await ownerPage.getByLabel(/Who it is for/).fill("Victor, finance");
    await ownerPage.getByTestId("create-invitation").click();
    const link = ownerPage.getByTestId("invitation-link");
    await expect.poll(() => link.inputValue()).toMatch(/\/invite#aifp_inv_[1-9A-HJ-NP-Za-km-z]+$/);
    invitationLink = await link.inputValue();
    expect(invitationLink.startsWith(`${baseUrl}/invite#`)).toBe(true);
    await expect.poll(() => ownerPage.getByTestId("invitations").textContent()).toContain("pending");
    await screenshot(ownerPage, "accounts-3-invitation-link");
  });

  it("saves a plan to the organisation (scenario + pinned plan through the API)", async () => {
    const page = ownerPage;
    await page.goto(`${baseUrl}/plan/workload`);
    const requests = page.getByRole("textbox", { name: "Requests per day" });
    await requests.waitFor({ timeout: 20_000 });
    await requests.fill("10000000");
    for (let step = 0; step < 3; step++) await page.getByRole("button", { name: "Next" }).click();
    await page.getByRole("textbox", { name: "Cost of capital" }).fill("9");
    await page.getByRole("button", { name: "See the results" }).click();
    await expect
      .poll(() => page.getByTestId("headline").textContent(), { timeout: 20_000 })
      .toMatch(/per million tokens/);
    await expect.poll(() => page.getByTestId("where-saved").textContent()).toContain("Northwind Compute's account");
    await page.getByLabel("Scenario name").fill("Northwind chat, 5 years");
    await page.getByTestId("save").click();
    await expect
      .poll(() => page.getByTestId("save-status").textContent(), { timeout: 20_000 })
      .toContain("Saved “Northwind chat, 5 years” to Northwind Compute");
    await expect.poll(() => new URL(page.url()).searchParams.get("id") ?? "").toMatch(/^scn_[0-9a-z]{16}$/);
    savedId = new URL(page.url()).searchParams.get("id") ?? "";
    const plans = await page.evaluate(async (id) => {
      const response = await fetch(`/api/v1/plans?scenarioId=${id}`);
      return ((await response.json()) as { data: { kernelVersion: string }[] }).data;
    }, savedId);
    expect(plans).toHaveLength(1);
    await screenshot(page, "accounts-4-saved-to-organisation");
  });

  it("the colleague opens the link, signs up, joins as viewer and reads the plan without edit or save", async () => {
    const page = colleaguePage;
    await page.goto(invitationLink);
    try {
      await expect
        .poll(() => page.getByTestId("invite-preview").textContent())
        .toContain("Northwind Compute as viewer");
    } catch (error) {
      await screenshot(page, "accounts-invite-failure");
      throw new Error(`The invitation page at ${page.url()} shows: ${await page.locator("main").textContent()}`, {
        cause: error,
      });
    }
    // The token left the address bar at once (it lives in this tab only).
    expect(page.url()).toBe(`${baseUrl}/invite`);
    await screenshot(page, "accounts-5-invitation-preview");
    await page.getByRole("main").getByRole("link", { name: "Create an account" }).click();
    await page.waitForURL(/\/signup\?next=invite$/);
    await fillSignUp(page, colleague);
    await page.getByRole("button", { name: "Create account" }).click();
    await page.waitForURL(`${baseUrl}/invite`);
    await page.getByTestId("accept-invitation").click();
    await page.waitForURL(`${baseUrl}/scenarios`);
    await expect.poll(() => page.getByTestId("account-org").textContent()).toBe("Northwind Compute (viewer)");

    const row = page.getByRole("row", { name: /Northwind chat, 5 years/ });
    await row.waitFor({ timeout: 20_000 });
    expect(await row.getByRole("button", { name: "Delete" }).count()).toBe(0);
    expect(await row.getByRole("button", { name: "Duplicate" }).count()).toBe(0);
    await screenshot(page, "accounts-6-viewer-scenarios");
    await row.getByTestId("open").click();
    await expect
      .poll(() => page.getByTestId("headline").textContent(), { timeout: 20_000 })
      .toMatch(/per million tokens/);
    await expect.poll(() => page.getByTestId("read-only").count()).toBe(1);
    expect(await page.getByTestId("save").count()).toBe(0);
    expect(await page.getByTestId("save-copy").count()).toBe(0);
    await screenshot(page, "accounts-7-viewer-reads-plan");

    // And the API refuses a viewer's writes, whatever the page shows.
    const statuses = await page.evaluate(async (id) => {
      const patch = await fetch(`/api/v1/scenarios/${id}`, {
        method: "PATCH",
        headers: { "content-type": "application/json", "if-match": '"1"' },
        body: JSON.stringify({ name: "changed by a viewer" }),
      });
      const remove = await fetch(`/api/v1/scenarios/${id}`, { method: "DELETE" });
      const read = await fetch(`/api/v1/scenarios/${id}`);
      return [patch.status, remove.status, read.status];
    }, savedId);
    expect(statuses).toEqual([403, 403, 200]);
  });

  it("the admin sees the colleague in members and the events in the audit log", async () => {
    await ownerPage.goto(`${baseUrl}/org/members`);
    await expect
      .poll(() => ownerPage.getByTestId(`member-${colleague.email}`).textContent())
      .toContain("Victor Viewer");
    await ownerPage.goto(`${baseUrl}/org/audit`);
    await expect.poll(() => ownerPage.getByTestId("audit").textContent()).toContain("Member added");
    const text = (await ownerPage.getByTestId("audit").textContent()) ?? "";
    expect(text).toContain("Invitation link created");
    expect(text).toContain("Victor Viewer");
    await screenshot(ownerPage, "accounts-8-audit-log");
  });

  it("signing out ends the session: the app and the API treat the browser as anonymous", async () => {
    await colleaguePage.getByTestId("sign-out").click();
    await colleaguePage.waitForURL(`${baseUrl}/`);
    await expect.poll(() => colleaguePage.getByRole("link", { name: "Sign in" }).count()).toBe(1);
    const status = await colleaguePage.evaluate(async () => (await fetch("/api/v1/scenarios")).status);
    expect(status).toBe(401);
    await colleaguePage.goto(`${baseUrl}/signin`);
    await colleaguePage.getByLabel("E-mail").fill(colleague.email);
    await colleaguePage.getByLabel("Password").fill("not the password at all");
    await colleaguePage.getByRole("button", { name: "Sign in" }).click();
    await expect
      .poll(() => colleaguePage.getByRole("alert").first().textContent())
      .toContain("e-mail address or the password is wrong");
    await screenshot(colleaguePage, "accounts-9-signin-error");
  });
});
