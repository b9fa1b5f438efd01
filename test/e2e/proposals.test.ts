import { execFile } from "node:child_process";
import { mkdir, readdir, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { deflateSync } from "node:zlib";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { repoRoot } from "../../scripts/lib/dev-server.ts";
import * as fmt from "../../workers/api/src/proposals/format.ts";
import { launchBrowser, screenshot } from "./browser.ts";

/**
 * Issue #8 end to end against the real Worker (`wrangler dev`, local D1):
 * 1. through the API with a key: a plan with catalog references, a proposal with a logo and a
 *    risk band and a customer name in Polish, Greek and Cyrillic, issued; its PDF checked with
 *    Debian's poppler-utils (`pdffonts`: the embedded Unicode font; `pdftotext`: the customer name
 *    exactly, headline figures and every assumption's source; `pdftoppm`: every page renders), page
 *    images kept in test-results/proposals/ as artefacts; the regeneration hash matches;
 * 2. in Chromium as a sales engineer: sign up, organisation, a plan saved from the results page,
 *    "Create proposal", the print-ready page, issue, PDF, share link — timed — and the link
 *    opened in a fresh browser context with no account, then revoked.
 */

const run = promisify(execFile);
const ARTEFACTS = path.join(repoRoot, "test-results/proposals");

/** A real PNG (RGB, `width` × `height`, a two-colour block logo) built with zlib, no image library. */
function makePng(width: number, height: number): Buffer {
  const crcTable = Array.from({ length: 256 }, (_v, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (bytes: Buffer) => {
    let c = 0xffffffff;
    for (const byte of bytes) c = (crcTable[(c ^ byte) & 0xff] as number) ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([length, body, sum]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.writeUInt8(8, 8); // bit depth
  header.writeUInt8(2, 9); // RGB
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x++) {
      const dark = x < width / 3 || (y > height / 3 && y < (2 * height) / 3);
      row.set(dark ? [0x0b, 0x3d, 0x5c] : [0xe6, 0x9f, 0x00], 1 + x * 3);
    }
    rows.push(row);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(Buffer.concat(rows))),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

/** Text as pdftotext may give it back: every whitespace run (line wraps included) removed. */
const squash = (text: string) => text.replace(/\s+/g, "");

interface Assumption {
  source: string;
}
interface Issued {
  id: string;
  current: {
    contentHash: string;
    outputs: {
      headline: { lcotUsdPerMillionTokens: number; npvCostUsd: number; recommendedLabel: string };
      assumptions: Assumption[];
      charts: { riskBand: unknown };
    };
  };
}

describe("proposals: PDF through poppler-utils, and the sales engineer's flow in Chromium", () => {
  const baseUrl = inject("baseUrl");
  let key = "";

  async function call(method: string, route: string, body?: unknown): Promise<Response> {
    return fetch(`${baseUrl}/api/v1${route}`, {
      method,
      headers: {
        Authorization: `Bearer ${key}`,
        ...(body === undefined ? {} : { "Content-Type": "application/json" }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  }

  beforeAll(async () => {
    await rm(ARTEFACTS, { recursive: true, force: true });
    await mkdir(ARTEFACTS, { recursive: true });
    const org = await fetch(`${baseUrl}/api/v1/orgs`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ name: "Northwind Systems (e2e proposals)" }),
    });
    expect(org.status).toBe(201);
    key = ((await org.json()) as { apiKey: { key: string } }).apiKey.key;
  });

  it("API: a proposal's PDF carries the customer, the headline figures and every assumption's source; every page renders", async () => {
    const scenario = {
      name: "Chat 70B in Virginia",
      startMonth: "2027-01",
      horizonYears: 4,
      finance: { discountRatePerYear: 0.09 },
      workload: {
        model: "llama2-70b",
        inputTokensPerRequest: 1000,
        outputTokensPerRequest: 300,
        requestsPerDay: 2_000_000,
        growthPerYear: 0.3,
      },
      site: { region: "US-VA", powerCapKw: 1500 },
      options: [
        { kind: "build", id: "dgx-h100", sku: "nvidia-dgx-h100" },
        { kind: "lease", id: "lambda-h100", offer: "lambda-gpu-8x-h100-sxm-80gb-none" },
        { kind: "api", id: "token-api", usdPerMillionInputTokens: 0.9, usdPerMillionOutputTokens: 0.9 },
      ],
    };
    const saved = await call("POST", "/scenarios", { scenario });
    expect(saved.status, await saved.clone().text()).toBe(201);
    const plan = await call("POST", `/scenarios/${((await saved.json()) as { id: string }).id}/plans`, {});
    expect(plan.status, await plan.clone().text()).toBe(201);
    const planId = ((await plan.json()) as { id: string }).id;

    // Latin with Polish letters, Greek and Cyrillic: the embedded DejaVu Sans draws all three.
    const customerName = "Zakłady Łódź · Ελληνική Φαρμακευτική · ООО Ромашка";
    const created = await call("POST", "/proposals", {
      planId,
      title: "Inference capacity for 2027-2030",
      customerName,
      preparedBy: "Jane Doe, Solutions Engineering",
      vendor: {
        name: "Northwind Systems",
        accentColor: "#0b3d5c",
        logo: { contentType: "image/png", dataBase64: makePng(240, 80).toString("base64") },
      },
      notes: "Quoted prices valid until 31 March 2027.",
      paperSize: "A4",
      risk: { samples: 300, seed: 7 },
    });
    expect(created.status, await created.clone().text()).toBe(201);
    const id = ((await created.json()) as { id: string }).id;
    const issuedResponse = await call("POST", `/proposals/${id}/issue`, {});
    expect(issuedResponse.status).toBe(200);
    const issued = (await issuedResponse.json()) as Issued;
    const content = issued.current.outputs;
    expect(content.charts.riskBand).not.toBeNull();

    for (const paper of ["A4", "Letter"] as const) {
      const response = await call("GET", `/proposals/${id}.pdf?paper=${paper}`);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("application/pdf");
      expect(response.headers.get("x-proposal-missing-characters")).toBeNull();
      const file = path.join(ARTEFACTS, `sample-proposal-${paper.toLowerCase()}.pdf`);
      await writeFile(file, new Uint8Array(await response.arrayBuffer()));

      const info = (await run("pdfinfo", [file])).stdout;
      const pages = Number(/Pages:\s+(\d+)/.exec(info)?.[1]);
      expect(pages).toBeGreaterThanOrEqual(4);
      expect(info).toMatch(paper === "A4" ? /595\.28 x 841\.89 pts \(A4\)/ : /612 x 792 pts \(letter\)/);
      expect(info).toMatch(/Producer:\s+AI Factory Planner/);
      const fonts = (await run("pdffonts", [file])).stdout;
      expect(fonts).toMatch(/DejaVuSans-\d+\s+CID TrueType\s+Identity-H\s+yes\s+\S+\s+yes/);
      expect(fonts).toMatch(/DejaVuSans-Bold-\d+\s+CID TrueType\s+Identity-H\s+yes\s+\S+\s+yes/);
      expect(fonts).not.toMatch(/Helvetica/);

      const text = (await run("pdftotext", ["-enc", "UTF-8", file, "-"], { maxBuffer: 16 * 1024 * 1024 })).stdout;
      expect(text).toContain(`Prepared for ${customerName}`);
      expect(text).toContain(`Page 1 of ${pages}`);
      expect(text).toContain(`Page ${pages} of ${pages}`);
      // Headline figures, formatted as the PDF prints them.
      expect(text).toContain(fmt.usdPerMillionTokens(content.headline.lcotUsdPerMillionTokens));
      expect(text).toContain(fmt.usdCompact(content.headline.npvCostUsd));
      expect(squash(text)).toContain(squash(content.headline.recommendedLabel));
      expect(text).toContain(issued.current.contentHash);
      // Every assumption's source, exactly as stored (the Unicode font draws every character).
      const flat = squash(text);
      expect(content.assumptions.length).toBeGreaterThan(15);
      for (const assumption of content.assumptions) expect(flat).toContain(squash(assumption.source));

      const prefix = path.join(ARTEFACTS, `sample-proposal-${paper.toLowerCase()}-page`);
      await run("pdftoppm", ["-r", "80", "-png", file, prefix]);
      const images = (await readdir(ARTEFACTS)).filter(
        (name) => name.startsWith(`sample-proposal-${paper.toLowerCase()}-page`) && name.endsWith(".png"),
      );
      expect(images).toHaveLength(pages);
      for (const image of images) expect((await stat(path.join(ARTEFACTS, image))).size).toBeGreaterThan(5_000);
    }

    const verification = await call("GET", `/proposals/${id}/versions/1/verification`);
    expect(await verification.json()).toMatchObject({
      matches: true,
      regeneratedHash: issued.current.contentHash,
      planInputHashMatches: true,
    });
  });

  describe("Chromium: from a saved plan to a proposal, a PDF and a share link", () => {
    const stamp = Date.now().toString(36);
    const engineer = { name: "Sam Sales", email: `sam.${stamp}@example.com`, password: "proposals for every customer" };
    let browser: Browser;
    let context: BrowserContext;
    let page: Page;
    let shareUrl = "";
    let proposalUrl = "";

    beforeAll(async () => {
      browser = await launchBrowser();
      context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
      page = await context.newPage();
    });
    afterAll(async () => {
      await browser?.close();
    });

    it("signs up, creates an organisation and saves a plan to it", async () => {
      await page.goto(`${baseUrl}/signup`);
      // The first page of a fresh Worker can take a while on a shared 2-core machine.
      await page.getByRole("textbox", { name: "Your name" }).waitFor({ timeout: 60_000 });
      await page.getByRole("textbox", { name: "Your name" }).fill(engineer.name);
      await page.getByRole("textbox", { name: "Work e-mail" }).fill(engineer.email);
      await page.getByLabel("Password").fill(engineer.password);
      await page.getByRole("button", { name: "Create account" }).click();
      await page.waitForURL(`${baseUrl}/org`);
      await page.getByRole("textbox", { name: "Organisation name" }).fill("Northwind Systems");
      await page.getByRole("button", { name: "Create organisation" }).click();
      await expect.poll(() => page.getByTestId("active-org").textContent()).toContain("Northwind Systems as admin");

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
      // Not saved yet: the entry explains instead of offering a proposal.
      await expect
        .poll(() => page.getByTestId("proposal-unavailable").textContent())
        .toContain("Save this plan to Northwind Systems first");
      await page.getByLabel("Scenario name").fill("Contoso chat, 5 years");
      await page.getByTestId("save").click();
      await expect.poll(() => page.getByTestId("save-status").textContent(), { timeout: 20_000 }).toContain("Saved");
    });

    it("goes from the saved plan to an issued proposal, its PDF and a share link in under a minute", async () => {
      const started = performance.now();
      await page.getByTestId("create-proposal").click();
      // A client-side navigation (GET form): no "load" event to wait for.
      await page.waitForURL(/\/proposals\/new\?scenario=scn_/, { waitUntil: "commit" });
      await page.getByRole("textbox", { name: "Customer name" }).fill("Contoso Ltd");
      await page.getByRole("textbox", { name: "Title" }).fill("Chat inference, 2027 to 2031");
      await page
        .getByLabel("Logo (optional)")
        .setInputFiles({ name: "logo.png", mimeType: "image/png", buffer: makePng(180, 60) });
      await page.getByRole("textbox", { name: "Notes (optional)" }).fill("Prices valid for 30 days.");
      await page.getByLabel("US Letter").check();
      await page.getByTestId("create-proposal-submit").click();
      await page.waitForURL(/\/proposals\/prp_[0-9a-z]+$/, { timeout: 30_000 });
      proposalUrl = page.url();
      await expect.poll(() => page.getByTestId("proposal-customer").textContent()).toBe("Contoso Ltd");
      expect(await page.getByTestId("draft-banner").count()).toBe(1);
      // The risk band is on by default: the headline figures state the range (issue 18 item 8, ADR 022).
      await expect
        .poll(() => page.getByTestId("headline-range").textContent())
        .toMatch(/\$[\d.]+ to \$[\d.]+ per million tokens; cheapest in \d+% of [\d,]+ simulated futures/);

      await page.getByTestId("issue").click();
      await expect.poll(() => page.getByTestId("proposal-status").textContent()).toContain("Version 1: issued");
      expect(await page.getByTestId("draft-banner").count()).toBe(0);

      const pdf = await page.request.get(
        new URL((await page.getByTestId("pdf-letter").getAttribute("href")) ?? "", baseUrl).href,
      );
      expect(pdf.status()).toBe(200);
      expect(pdf.headers()["content-type"]).toBe("application/pdf");
      await writeFile(path.join(ARTEFACTS, "browser-proposal-letter.pdf"), await pdf.body());

      await page.getByTestId("create-share-link").click();
      await expect
        .poll(() => page.getByTestId("share-url").inputValue())
        .toMatch(/\/share\/aifp_share_[1-9A-HJ-NP-Za-km-z]+$/);
      shareUrl = await page.getByTestId("share-url").inputValue();
      // A copy button where the link is created (issue 18 item 8).
      await page.getByTestId("copy-share-link").click();
      await expect.poll(() => page.getByTestId("copied").textContent()).toMatch(/copied|Ctrl\+C/);
      const seconds = (performance.now() - started) / 1000;
      console.log(`proposal flow: saved plan → issued proposal + PDF + share link in ${seconds.toFixed(1)} s`);
      expect(seconds).toBeLessThan(60);
      await screenshot(page, "proposals-1-proposal-page");
      await page.screenshot({ path: path.join(ARTEFACTS, "proposal-page-top.png") });
      await page.emulateMedia({ media: "print" });
      await page.screenshot({ path: path.join(ARTEFACTS, "print-ready-page.png"), fullPage: true });
      await page.emulateMedia({ media: "screen" });
    });

    it("the share link opens in a fresh browser context with no account, and stops when revoked", async () => {
      const stranger = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      try {
        const visitor = await stranger.newPage();
        expect(await stranger.cookies(baseUrl)).toHaveLength(0);
        await visitor.goto(shareUrl);
        await expect
          .poll(() => visitor.getByTestId("proposal-customer").textContent(), { timeout: 20_000 })
          .toBe("Contoso Ltd");
        expect(await visitor.getByTestId("signed-in-as").count()).toBe(0);
        // The customer's page: no planner navigation, product names and true sources, no cap chart without a cap.
        expect(await visitor.getByRole("navigation", { name: "Main" }).count()).toBe(0);
        expect(await visitor.getByTestId("account-nav").count()).toBe(0);
        const shown = await visitor.locator("main").innerText();
        expect(shown).not.toMatch(/Entered in the scenario|Token API: api-|\bbuild-[a-z0-9-]+ pays back/);
        expect(shown).not.toMatch(/\.csv\b|\bline \d+|docs\/research/);
        expect(shown).toMatch(/Catalog: /);
        expect(shown).not.toMatch(/against the site's power cap/);
        const hash = await visitor.getByTestId("content-hash").textContent();
        expect(hash).toMatch(/^[0-9a-f]{64}$/);
        const pdf = await visitor.request.get(
          new URL((await visitor.getByTestId("shared-pdf").getAttribute("href")) ?? "", baseUrl).href,
        );
        expect(pdf.status()).toBe(200);
        // Nothing else of the organisation is reachable from here.
        expect((await visitor.request.get(`${baseUrl}/api/v1/scenarios`)).status()).toBe(401);
        await screenshot(visitor, "proposals-2-shared-no-account");
        await visitor.screenshot({ path: path.join(ARTEFACTS, "shared-page-top.png") });

        await page.goto(proposalUrl);
        await page.getByTestId("revoke-link").first().click();
        await expect.poll(() => page.getByTestId("action-status").textContent()).toContain("revoked");
        await visitor.reload();
        await expect
          .poll(() => visitor.getByTestId("share-problem").textContent())
          .toContain("expired or been revoked");
      } finally {
        await stranger.close();
      }
    });
  });
});
