import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PDFDict, PDFDocument, PDFName, StandardFonts } from "@cantoo/pdf-lib";
import { priceBook } from "@aifp/catalog";
import { describe, expect, it } from "vitest";
import golden from "../../../../test/golden/chat-70b-three-paths.scenario.json" with { type: "json" };
import { canonicalJson } from "../canonical-json.ts";
import { evaluateScenario } from "../planner.ts";
import { type PlanForProposal, type ProposalFields, buildProposalContent } from "./content.ts";
import * as fmt from "./format.ts";
import { generateVersion } from "./generate.ts";
import { LogoError, checkLogo, jpegSize, pngSize } from "./logo.ts";
import * as embeddedFonts from "./fonts/dejavu-sans.generated.ts";
import {
  codePointLabel,
  pdfCharacterSet,
  renderProposalPdf,
  renderProposalPdfWithReport,
  toDrawable,
  wrapText,
} from "./pdf.ts";

/** The golden scenario evaluated into a plan as the API stores it (JSON round trip included). */
function goldenPlan(): PlanForProposal {
  const evaluation = evaluateScenario(structuredClone(golden) as never);
  return {
    id: "pln_unit",
    name: "Chat 70B",
    scenarioId: "scn_unit",
    scenarioVersion: 1,
    inputHash: "0".repeat(64),
    createdAt: "2026-11-20T10:00:00.000Z",
    priceBookVersion: evaluation.priceBookVersion,
    kernelVersion: evaluation.kernelVersion,
    input: JSON.parse(canonicalJson(evaluation.input)) as unknown,
    result: JSON.parse(JSON.stringify(evaluation.result)) as unknown,
  };
}

const FIELDS: ProposalFields = {
  title: "Inference capacity",
  customerName: "Contoso Ltd",
  preparedBy: "Jane Doe",
  vendor: { name: "Northwind", accentColor: "#1f5fbf", logo: null },
  notes: "",
  paperSize: "A4",
};

describe("proposal number formatting (no Intl: hashed text must not depend on ICU)", () => {
  it("formats money, prices, percentages, months and power", () => {
    expect(fmt.usd(42927003.4)).toBe("$42,927,003");
    expect(fmt.usd(2.134)).toBe("$2.13");
    expect(fmt.usd(-1500)).toBe("-$1,500");
    expect(fmt.usdCompact(23_312_345)).toBe("$23.3 million");
    expect(fmt.usdCompact(1_234_000_000)).toBe("$1.23 billion");
    expect(fmt.usdPerMillionTokens(0.39725)).toBe("$0.397");
    expect(fmt.usdPerMillionTokens(12.34)).toBe("$12");
    expect(fmt.percent(0.095)).toBe("9.5%");
    expect(fmt.percent(-0.15)).toBe("-15%");
    expect(fmt.percent(0.6)).toBe("60%");
    expect(fmt.months(22)).toBe("1 year 10 months");
    expect(fmt.months(null)).toBe("not within the plan");
    expect(fmt.powerKw(2000)).toBe("2 MW");
    expect(fmt.powerKw(750)).toBe("750 kW");
    expect(fmt.largeNumber(72_200_000)).toBe("72.2 million");
    expect(fmt.calendarMonth("2027-01")).toBe("Jan 2027");
    expect(fmt.addMonths("2027-01", 13)).toBe("2028-02");
    expect(fmt.usd(Number.NaN)).toBe("n/a");
  });
});

describe("logo checks", () => {
  const png1x1 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";
  it("accepts a PNG with its size and hash", async () => {
    const logo = await checkLogo({ contentType: "image/png", dataBase64: png1x1 }, "vendor.logo");
    expect(logo).toMatchObject({ widthPx: 1, heightPx: 1, bytes: 70 });
    expect(logo.sha256).toMatch(/^[0-9a-f]{64}$/);
  });
  it("refuses a mislabelled, truncated or non-base64 image, naming the field", async () => {
    await expect(checkLogo({ contentType: "image/jpeg", dataBase64: png1x1 }, "vendor.logo")).rejects.toThrow(
      /declared image\/jpeg, but the bytes are a PNG/,
    );
    await expect(
      checkLogo({ contentType: "image/png", dataBase64: "iVBORw0KGgo=" }, "vendor.logo"),
    ).rejects.toBeInstanceOf(LogoError);
    await expect(checkLogo({ contentType: "image/png", dataBase64: "not base64!" }, "vendor.logo")).rejects.toThrow(
      /base64/,
    );
  });
  it("reads JPEG dimensions from the SOF marker", () => {
    const jpeg = new Uint8Array([
      0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0x00, 0x00, 0xff, 0xc0, 0x00, 0x0b, 0x08, 0x00, 0x20, 0x00, 0x40, 0x01, 0x01,
      0x11, 0x00,
    ]);
    expect(jpegSize(jpeg)).toEqual({ widthPx: 64, heightPx: 32 });
    expect(pngSize(jpeg)).toBeNull();
  });
});

describe("PDF text helpers", () => {
  it("maps text to what the standard fonts can draw", async () => {
    const doc = await PDFDocument.create();
    const font = await doc.embedFont(StandardFonts.Helvetica);
    const charset = new Set(font.getCharacterSet());
    expect(toDrawable("Café – ≥ 5 − 3 中文", charset)).toBe("Café – >= 5 - 3 ??");
    expect(toDrawable("Győr", charset)).toBe("Gyor"); // ő is not WinAnsi: its accent goes
    const substituted = new Set<string>();
    expect(toDrawable("A\tB\u00a0ő 中", charset, substituted)).toBe("A B\u00a0o ?");
    expect([...substituted].map(codePointLabel)).toEqual(["U+0151", "U+4E2D"]); // the tab is not listed
    const lines = wrapText("a ".repeat(200) + "x".repeat(300), font, 9, 200);
    for (const line of lines) expect(font.widthOfTextAtSize(line, 9)).toBeLessThanOrEqual(200);
    expect(lines.join("").replace(/\s/g, "")).toBe("a".repeat(200) + "x".repeat(300));
  });
});

describe("embedded PDF font (DejaVu Sans, subset to Latin, Greek and Cyrillic)", () => {
  it("the generated module holds exactly the TTF files in fonts/", () => {
    for (const [file, base64, sha256] of [
      ["DejaVuSans.ttf", embeddedFonts.DEJAVU_SANS_BASE64, embeddedFonts.DEJAVU_SANS_SHA256],
      ["DejaVuSans-Bold.ttf", embeddedFonts.DEJAVU_SANS_BOLD_BASE64, embeddedFonts.DEJAVU_SANS_BOLD_SHA256],
    ] as const) {
      const onDisk = readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), "fonts", file));
      expect(createHash("sha256").update(onDisk).digest("hex")).toBe(sha256);
      expect(Buffer.from(base64, "base64").equals(onDisk)).toBe(true);
    }
  });
  it("draws Polish, Greek, Cyrillic and the symbols the proposal text uses; not CJK", async () => {
    const charset = await pdfCharacterSet();
    const text = "Zakłady Łódź Ελληνική ООО Ромашка Straße Ærø Şişli Việt − ≥ ≤ → ≈ € £ ¥ — “ ” ‘ ’ … · ×";
    for (const char of text)
      expect(charset.has(char.codePointAt(0) ?? 0), `${char} ${codePointLabel(char)}`).toBe(true);
    expect(toDrawable(text, charset)).toBe(text);
    expect(charset.has(0x4e2d)).toBe(false);
  });
});

describe("proposal content and PDF", () => {
  it("builds the content from the plan: cheapest path recommended, comparison, assumptions with sources", () => {
    const plan = goldenPlan();
    const content = buildProposalContent({
      plan,
      inputs: { ...FIELDS, proposalId: "prp_unit", version: 1, plan, risk: null, issuedAt: null },
      book: priceBook,
      monteCarlo: null,
    });
    const cheapest = [...content.comparison.rows].sort((a, b) => a.npvCostUsd - b.npvCostUsd)[0];
    expect(content.headline.recommendedOptionId).toBe(cheapest?.optionId);
    expect(content.headline.source).toBe("pure-strategy");
    expect(content.executiveSummary[0]).toMatch(/^Contoso Ltd's workload \(llama-3.3-70b\): 10 million requests a day/);
    expect(content.recommendation.periods).toHaveLength(5);
    expect(content.charts.cumulativeCash.series.every((series) => series.points.length === 60)).toBe(true);
    expect(content.charts.fleetVsPowerCap.capKw).toBe(2000);
    // The golden scenario enters every number itself: each appears once, sourced to the plan.
    const paths = content.assumptions.map((row) => row.path);
    expect(new Set(paths).size).toBe(paths.length);
    expect(paths).toContain("options.1.priceUsd");
    // Sourced to the plan by its name (never its id); a number equal to a catalog price says so (issue 18 item 8).
    const entered = content.assumptions.filter((row) => row.origin === "entered");
    expect(entered.length).toBeGreaterThan(10);
    expect(entered.every((row) => row.source === 'Entered in the plan "Chat 70B"' && row.asOf === "2026-11-20")).toBe(
      true,
    );
    expect(content.assumptions.some((row) => row.source.includes("pln_unit"))).toBe(false);
    for (const row of content.assumptions.filter((item) => item.origin !== "entered"))
      expect(row.source).toMatch(/^(Catalog: |Entered in the plan "Chat 70B", the same as the catalog default: )/);
    // Line items: the server line multiplies the unit price by the servers bought.
    const servers = content.lineItems.find((item) => item.optionId === "dell-xe9680-h200" && item.unit === "server");
    expect(servers?.unitPriceUsd).toBe(320000);
    expect(servers?.quantity).toBeGreaterThan(0);
  });

  it("is deterministic: the same inputs give the same hash and the same PDF bytes", async () => {
    const args = {
      plan: goldenPlan(),
      fields: FIELDS,
      proposalId: "prp_unit",
      version: 1,
      risk: null,
      issuedAt: "2026-11-22T09:00:00.000Z",
    };
    const first = await generateVersion(args);
    const second = await generateVersion({ ...args, plan: goldenPlan() });
    expect(second.contentHash).toBe(first.contentHash);
    const changed = await generateVersion({ ...args, fields: { ...FIELDS, customerName: "Fabrikam" } });
    expect(changed.contentHash).not.toBe(first.contentHash);

    const render = () =>
      renderProposalPdf({
        inputs: first.inputs,
        content: first.content,
        status: "issued",
        contentHash: first.contentHash,
        paperSize: "Letter",
        documentDate: "2026-11-22T09:00:00.000Z",
      });
    const [a, b] = [await render(), await render()];
    expect(Buffer.from(b).equals(Buffer.from(a))).toBe(true);
    const text = Buffer.from(a).toString("latin1");
    expect(text.startsWith("%PDF-")).toBe(true);
    expect(text).toContain("/MediaBox [ 0 0 612 792 ]");
    expect(text).not.toMatch(/\/ID\s*\[/);
    // Unicode fonts: two embedded DejaVu Sans subsets (Type0, Identity-H, with a ToUnicode map).
    const parsed = await PDFDocument.load(a, { updateMetadata: false });
    const fonts = parsed.context
      .enumerateIndirectObjects()
      .map(([, object]) => object)
      .filter(
        (object): object is PDFDict =>
          object instanceof PDFDict && object.get(PDFName.of("Type")) === PDFName.of("Font"),
      );
    const type0 = fonts.filter((font) => font.get(PDFName.of("Subtype")) === PDFName.of("Type0"));
    const names = type0.map((font) => String(font.get(PDFName.of("BaseFont"))));
    expect(names).toHaveLength(2);
    expect(names.filter((name) => /^\/DejaVuSans-\d+$/.test(name))).toHaveLength(1);
    expect(names.filter((name) => /^\/DejaVuSans-Bold-\d+$/.test(name))).toHaveLength(1);
    for (const font of type0) {
      expect(font.get(PDFName.of("Encoding"))).toBe(PDFName.of("Identity-H"));
      expect(font.get(PDFName.of("ToUnicode"))).toBeDefined();
    }
    expect(fonts.filter((font) => font.get(PDFName.of("Subtype")) === PDFName.of("Type1"))).toEqual([]);
  });

  it("prints Latin, Greek and Cyrillic names as entered; a CJK name prints as ? with a warning", async () => {
    const base = { plan: goldenPlan(), proposalId: "prp_unit", version: 1, risk: null, issuedAt: null };
    const render = async (customerName: string) => {
      const version = await generateVersion({ ...base, fields: { ...FIELDS, customerName } });
      return renderProposalPdfWithReport({
        inputs: version.inputs,
        content: version.content,
        status: "draft",
        contentHash: version.contentHash,
        paperSize: "A4",
        documentDate: "2026-11-22T09:00:00.000Z",
      });
    };
    const european = await render("Zakłady Łódź · Ελληνική · ООО Ромашка");
    expect(european.missingCharacters).toEqual([]);
    expect(european.warnings).toEqual([]);

    const cjk = await render("株式会社 Ромашка");
    expect(cjk.missingCharacters).toEqual(["U+4F1A", "U+5F0F", "U+682A", "U+793E"]);
    expect(cjk.warnings).toHaveLength(1);
    expect(cjk.warnings[0]).toMatch(/has no glyph for 4 characters .*U\+4F1A, U\+5F0F, U\+682A, U\+793E/);
    expect(cjk.warnings[0]).toMatch(/^[\x20-\x7e]+$/); // plain ASCII: fit for an HTTP header
    expect(cjk.pdf.length).toBeGreaterThan(european.pdf.length / 2);
    expect(Buffer.from(cjk.pdf).toString("latin1").startsWith("%PDF-")).toBe(true);
  });
});

describe("the proposal's headline and summary (issue 18 item 8, ADR 022)", () => {
  it("state the risk band and name the build, lease and API paths; notes name products, never ids", async () => {
    const plan = goldenPlan();
    const version = await generateVersion({
      plan,
      fields: FIELDS,
      proposalId: "prp_unit",
      version: 1,
      risk: { samples: 200, seed: 1 },
      issuedAt: null,
    });
    const { content } = version;
    const risk = content.headline.risk;
    expect(risk).toBeTruthy();
    expect(risk!.samples).toBeGreaterThan(0);
    expect(risk!.p10).toBeLessThanOrEqual(risk!.p90);
    const band = content.charts.riskBand?.rows.find((row) => row.optionId === content.headline.recommendedOptionId);
    expect(risk).toMatchObject({ p10: band?.p10, p90: band?.p90, probabilityCheapest: band?.probabilityCheapest });
    const summary = content.executiveSummary.join(" ");
    expect(summary).toContain(
      `${fmt.usdPerMillionTokens(risk!.p10)} (P10) to ${fmt.usdPerMillionTokens(risk!.p90)} (P90)`,
    );
    // All three ways side by side, each by its product name.
    const kinds = content.headline.bestOfEachKind ?? [];
    expect(kinds.map((item) => item.kind)).toEqual(["build", "lease", "api"]);
    expect(summary).toMatch(
      /Paths compared: building \(best: .+\); leasing \(best: .+\); buying tokens from an API \(best: .+\)\./,
    );
    for (const item of kinds) expect(summary).toContain(`(best: ${item.label.replace(/^[^:]+: /, "")}, `);
    // No option id in any note the customer reads.
    const ids = (plan.input as { resolvedScenario: { options: { id: string }[] } }).resolvedScenario.options.map(
      (option) => option.id,
    );
    for (const warning of content.warnings) for (const id of ids) expect(warning).not.toContain(id);
    expect(
      await renderProposalPdf({
        inputs: version.inputs,
        content,
        status: "draft",
        contentHash: version.contentHash,
        paperSize: "A4",
        documentDate: "2026-12-06T00:00:00.000Z",
      }),
    ).toBeInstanceOf(Uint8Array);
  });

  it("says when no risk band was computed", () => {
    const plan = goldenPlan();
    const content = buildProposalContent({
      plan,
      inputs: { ...FIELDS, proposalId: "prp_unit", version: 1, plan, risk: null, issuedAt: null },
      book: priceBook,
      monteCarlo: null,
    });
    expect(content.headline.risk).toBeNull();
    expect(content.executiveSummary).toContain(
      "No risk band was computed for this proposal: the figures above are the central case only.",
    );
  });
});
