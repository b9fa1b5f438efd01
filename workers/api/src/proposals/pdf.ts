/**
 * The proposal as a real PDF: selectable Unicode text in embedded, subset DejaVu Sans (Latin,
 * Greek and Cyrillic scripts; fonts/SOURCES.md), vector charts (paths, not images), page numbers,
 * A4 or US Letter. Rendered with @cantoo/pdf-lib (a maintained fork of pdf-lib: pure JavaScript,
 * no Node APIs) and @cantoo/fontkit for the TrueType subsetting (docs/decisions/011-proposal-pdf.md).
 *
 * Deterministic: the same version renders to the same bytes. Creation and modification dates are
 * the version's issue instant (a draft's last change), the producer string is fixed, pdf-lib
 * writes no random file ID, its font-name suffixes come from a generator seeded per document,
 * the font subset holds the glyphs in order of first use, and nothing reads the clock.
 */
import { type PDFImage, PDFDocument, rgb } from "@cantoo/pdf-lib";
import type { PaperSize, ProposalContent, ProposalInputs } from "./content.ts";
import * as fmt from "./format.ts";
import { decodeBase64 } from "./logo.ts";
import { PDF_FONT_NAME, codePointLabel, embedFonts, wrapText } from "./pdf-fonts.ts";
import { INK, MARGIN_PT, MUTED, PAPER_SIZES_PT, RULE, SMALL_SIZE, WHITE, hexColor, luminance } from "./pdf-style.ts";
import { Writer } from "./pdf-writer.ts";

// The rooms of the renderer, re-exported so importers keep one entry point.
export { PAPER_SIZES_PT, hexColor, luminance } from "./pdf-style.ts";
export {
  PDF_FONT_NAME,
  codePointLabel,
  loadPdfFonts,
  pdfCharacterSet,
  toDrawable,
  warmPdfFonts,
  wrapText,
} from "./pdf-fonts.ts";

export interface RenderProposalPdfInput {
  inputs: ProposalInputs;
  content: ProposalContent;
  status: "draft" | "issued";
  contentHash: string;
  paperSize: PaperSize;
  /** The document date: the issue instant, or a draft's last change (ISO 8601). */
  documentDate: string;
}

function pdfDate(iso: string): Date {
  const time = Date.parse(iso);
  if (!Number.isFinite(time)) throw new Error(`renderProposalPdf: documentDate is not an ISO 8601 instant: ${iso}`);
  return new Date(time);
}

/** A rendered proposal and what it could not print. */
export interface RenderedProposalPdf {
  /** The PDF file (application/pdf), identical for identical input. */
  pdf: Uint8Array;
  /** Characters of the proposal the embedded font has no glyph for, as "U+4E2D", in order of code point. */
  missingCharacters: string[];
  /** Plain-ASCII sentences for the caller to pass on (empty when everything printed as entered). */
  warnings: string[];
}

/**
 * Render one proposal version to PDF bytes.
 * @returns the PDF file (application/pdf), identical for identical input
 */
export async function renderProposalPdf(input: RenderProposalPdfInput): Promise<Uint8Array> {
  return (await renderProposalPdfWithReport(input)).pdf;
}

/**
 * Render one proposal version to PDF bytes, with a report of the characters the font could not
 * draw (they print as "?" or without their accent, and a note at the end of the PDF lists them).
 */
export async function renderProposalPdfWithReport(input: RenderProposalPdfInput): Promise<RenderedProposalPdf> {
  const { inputs, content } = input;
  const doc = await PDFDocument.create({ updateMetadata: false });
  const date = pdfDate(input.documentDate);
  doc.setTitle(`${inputs.title} - ${inputs.customerName}`);
  doc.setAuthor(`${inputs.preparedBy}, ${inputs.vendor.name}`);
  doc.setSubject(`Proposal ${inputs.proposalId} version ${inputs.version} (${input.status})`);
  doc.setCreator("AI Factory Planner");
  doc.setProducer("AI Factory Planner proposals (@cantoo/pdf-lib)");
  doc.setKeywords(["proposal", inputs.proposalId, `content-sha256:${input.contentHash}`]);
  doc.setCreationDate(date);
  doc.setModificationDate(date);
  doc.setLanguage("en");

  const fonts = await embedFonts(doc);
  const { regular, bold } = fonts;
  const accent = hexColor(inputs.vendor.accentColor);
  const w = new Writer(doc, fonts, PAPER_SIZES_PT[input.paperSize], accent);

  let logo: PDFImage | null = null;
  if (inputs.vendor.logo) {
    const bytes = decodeBase64(inputs.vendor.logo.dataBase64, "vendor.logo.dataBase64");
    logo = inputs.vendor.logo.contentType === "image/png" ? await doc.embedPng(bytes) : await doc.embedJpg(bytes);
  }

  // Header band in the vendor's accent colour, text in black or white for contrast.
  const bandHeight = 64;
  const onAccent = luminance(inputs.vendor.accentColor) > 0.35 ? INK : WHITE;
  w.page.drawRectangle({ x: 0, y: w.height - bandHeight, width: w.width, height: bandHeight, color: accent });
  w.page.drawText(w.clean(inputs.vendor.name), {
    x: MARGIN_PT,
    y: w.height - bandHeight / 2 - 6,
    size: 16,
    font: bold,
    color: onAccent,
  });
  if (logo) {
    const maxHeight = 44;
    const maxWidth = 150;
    const scale = Math.min(maxHeight / logo.height, maxWidth / logo.width);
    const logoWidth = logo.width * scale;
    const logoHeight = logo.height * scale;
    const x = w.width - MARGIN_PT - logoWidth;
    const y = w.height - bandHeight / 2 - logoHeight / 2;
    w.page.drawRectangle({ x: x - 4, y: y - 4, width: logoWidth + 8, height: logoHeight + 8, color: WHITE });
    w.page.drawImage(logo, { x, y, width: logoWidth, height: logoHeight });
  }
  w.y = w.height - bandHeight - 26;

  if (input.status === "draft") {
    w.text("DRAFT - not issued. Figures may change before this proposal is issued.", {
      bold: true,
      color: rgb(0.75, 0.1, 0.1),
    });
  }
  w.text(inputs.title, { size: 20, bold: true, after: 6 });
  w.text(`Prepared for ${inputs.customerName}`, { size: 12, bold: true, after: 2 });
  w.text(`Prepared by ${inputs.preparedBy}, ${inputs.vendor.name}`, { color: MUTED, after: 2 });
  w.text(
    `${input.status === "issued" ? `Issued ${fmt.isoDate(input.documentDate)}` : `Draft of ${fmt.isoDate(input.documentDate)}`} - version ${inputs.version} - plan "${inputs.plan.name}"`,
    { color: MUTED, after: 10 },
  );

  w.heading("Executive summary");
  for (const sentence of content.executiveSummary) w.text(sentence, { after: 5 });

  w.heading("Headline figures");
  const headline = content.headline;
  // The range from the risk analysis sits with the headline (issue 18 item 8).
  w.table(
    ["Recommended", "Levelised cost", "Range P10-P90", "Net present cost", "Saving vs next option"],
    [
      [
        headline.recommendedLabel,
        `${fmt.usdPerMillionTokens(headline.lcotUsdPerMillionTokens)} per million tokens`,
        headline.risk
          ? `${fmt.usdPerMillionTokens(headline.risk.p10)}-${fmt.usdPerMillionTokens(headline.risk.p90)}; cheapest in ${fmt.percent(headline.risk.probabilityCheapest, 0)} of ${fmt.plain(headline.risk.samples, 0)} samples`
          : content.charts.riskBand
            ? "per path in the risk band (single paths, not the optimised mix)"
            : "not computed",
        fmt.usdCompact(headline.npvCostUsd),
        headline.runnerUp && headline.savingsUsd !== null
          ? `${fmt.usdCompact(headline.savingsUsd)} vs ${headline.runnerUp.label}`
          : "n/a (single option)",
      ],
    ],
    [0.26, 0.16, 0.2, 0.14, 0.24],
  );

  if (inputs.notes.trim()) {
    w.heading("Notes");
    w.text(inputs.notes);
  }

  w.heading("Comparison of paths");
  w.text(
    `Levelised cost = net present cost / discounted tokens. Net present cost at ${fmt.percent(content.workload.discountRatePerYear)} a year. Payback and IRR of each build path are against ${baselineLabel(content)}.`,
    { size: SMALL_SIZE, color: MUTED },
  );
  w.table(
    ["Path", "$ per M tokens", "$ per M output", "Net present cost", "Total cost (TCO)", "Payback", "IRR"],
    content.comparison.rows.map((row) => [
      `${row.label}${row.recommended ? " (recommended)" : ""}${row.powerCapExceededMonths > 0 ? ` - exceeds the power cap in ${row.powerCapExceededMonths} months` : ""}`,
      fmt.usdPerMillionTokens(row.lcotUsdPerMillionTokens),
      fmt.usdPerMillionTokens(row.lcotUsdPerMillionOutputTokens),
      fmt.usdCompact(row.npvCostUsd),
      fmt.usdCompact(row.tcoUsd),
      row.paybackMonths === undefined ? "-" : fmt.months(row.paybackMonths),
      row.irrPerYear === undefined || row.irrPerYear === null ? "-" : fmt.percent(row.irrPerYear),
    ]),
    [0.3, 0.1, 0.1, 0.13, 0.13, 0.14, 0.1],
    ["l", "r", "r", "r", "r", "r", "r"],
  );

  w.heading("Recommended configuration");
  w.text(`${content.recommendation.label}, by plan period:`, { after: 2 });
  w.table(
    ["Period", "Servers owned (bought)", "Leased instances", "API share", "GPUs", "Facility power"],
    content.recommendation.periods.map((period) => [
      `${fmt.calendarMonth(period.start)} (${period.months} months)`,
      period.servers.length
        ? period.servers.map((s) => `${s.label}: ${fmt.plain(s.owned, 0)} (${fmt.plain(s.bought, 0)})`).join("; ")
        : "-",
      period.leased.length ? period.leased.map((l) => `${l.label}: ${fmt.plain(l.instances, 0)}`).join("; ") : "-",
      fmt.percent(period.apiShare, 0),
      fmt.plain(period.gpus, 0),
      period.facilityKw === null ? "-" : fmt.powerKw(period.facilityKw),
    ]),
    [0.17, 0.27, 0.22, 0.1, 0.1, 0.14],
    ["l", "l", "l", "r", "r", "r"],
  );
  for (const note of content.recommendation.notes) w.text(note, { size: SMALL_SIZE, color: MUTED });

  w.heading("Quoted line items");
  w.text("Undiscounted amounts over the whole plan. Unit prices are month-0 prices as the plan used them.", {
    size: SMALL_SIZE,
    color: MUTED,
  });
  w.table(
    ["Path and item", "Unit price", "Quantity", "Amount", "Basis and source"],
    content.lineItems.map((item) => [
      `${item.optionLabel}: ${item.description}`,
      item.unitPriceUsd === null ? "-" : `${fmt.unitPriceUsd(item.unitPriceUsd)} / ${item.unit}`,
      item.quantity === null ? "-" : fmt.largeNumber(item.quantity),
      fmt.usd(item.amountUsd),
      `${item.basis}. ${item.source}${item.asOf ? ` (${item.asOf}, ${item.confidence})` : ""}`,
    ]),
    [0.27, 0.14, 0.1, 0.13, 0.36],
    ["l", "r", "r", "r", "l"],
  );

  // Charts.
  w.ensure(300);
  w.heading("Charts");
  const highlight = content.headline.recommendedOptionId;
  const start = content.workload.startMonth;
  w.lineChart({
    title: "Cost per million tokens by plan year (levelised within each year)",
    series: content.charts.costPerTokenByYear,
    xLabel: "Plan year",
    yFormat: (value) => fmt.usdPerMillionTokens(value),
    xFormat: (value) => `Y${value}`,
    highlightId: highlight,
  });
  w.lineChart({
    title: "Cumulative cash paid, with payback against the baseline",
    series: content.charts.cumulativeCash.series,
    xLabel: "Plan month",
    yFormat: (value) => fmt.usdAxis(value),
    xFormat: (value) => fmt.calendarMonth(fmt.addMonths(start, value - 1)),
    markers: content.charts.cumulativeCash.paybacks.map((payback) => ({
      x: payback.month,
      // Product names, never ids (issue 18 item 8).
      label: `${content.comparison.rows.find((row) => row.optionId === payback.optionId)?.label ?? "Build"} pays back: ${fmt.calendarMonth(fmt.addMonths(start, payback.month - 1))}`,
    })),
    highlightId: highlight,
  });
  const power = content.charts.fleetVsPowerCap;
  if (power.series.length > 0) {
    w.lineChart({
      // No cap, no cap line and no cap in the title.
      title:
        power.capKw === null
          ? "Facility power of the owned fleet (kW, full load)"
          : "Facility power of the owned fleet against the site's power cap (kW, full load)",
      series: power.series,
      xLabel: "Plan month",
      yFormat: (value) => fmt.powerKw(value),
      xFormat: (value) => fmt.calendarMonth(fmt.addMonths(start, value - 1)),
      limit: power.capKw === null ? null : { value: power.capKw, label: `Power cap ${fmt.powerKw(power.capKw)}` },
      highlightId: highlight,
    });
  } else {
    w.text("Facility power: no path owns servers, so no site power is drawn.", { color: MUTED });
  }
  const risk = content.charts.riskBand;
  if (risk) {
    drawRiskBand(w, risk, highlight);
  } else {
    w.text(
      "Risk band: not computed for this proposal (create the proposal with a risk analysis to show the P10-P90 band).",
      { color: MUTED, size: SMALL_SIZE },
    );
  }

  // Appendix: every assumption as a block, so its source reads as one run of text.
  w.newPage();
  w.heading("Appendix: assumptions");
  w.text(
    `Every figure the plan used: ${content.assumptions.length} assumptions, each with its source, date and confidence. Catalog figures come from price book ${content.versions.priceBookVersion}.`,
    { size: SMALL_SIZE, color: MUTED, after: 8 },
  );
  for (const row of content.assumptions) {
    w.ensure(34);
    w.text(`${row.label}: ${fmt.plain(row.value, 6)} ${row.unit}`, { bold: true, size: SMALL_SIZE + 0.5, after: 1 });
    w.text(
      `Source: ${row.source}. As of ${row.asOf || "n/a"}; confidence ${row.confidence}; ${row.origin}${row.derived ? `, derived${row.method ? `: ${row.method}` : ""}` : ""}.`,
      { size: SMALL_SIZE, color: MUTED, after: 5 },
    );
  }
  if (content.warnings.length > 0) {
    w.heading("Notes from the model");
    for (const warning of content.warnings) w.text(warning, { size: SMALL_SIZE });
  }

  w.heading("Versions and integrity");
  w.table(
    ["Item", "Value"],
    [
      ["Proposal", `${inputs.proposalId}, version ${inputs.version} (${input.status})`],
      ["Plan", `${content.versions.planId} (input SHA-256 ${content.versions.planInputHash})`],
      ["Price book", `${content.versions.priceBookVersion} (content SHA-256 ${content.versions.priceBookContentHash})`],
      ["Cost model (kernel)", content.versions.kernelVersion],
      ["Content hash (SHA-256)", input.contentHash],
    ],
    [0.25, 0.75],
  );
  w.heading("Disclaimer");
  w.text(content.disclaimer);

  const footerText = w.clean(
    `${inputs.title} - ${inputs.customerName} - version ${inputs.version}${input.status === "draft" ? " (draft)" : ""} - estimate, not a quotation`,
  );
  // Every text has been cleaned by now: say which characters could not be printed as entered.
  const missingCharacters = [...fonts.substituted]
    .sort((a, b) => (a.codePointAt(0) ?? 0) - (b.codePointAt(0) ?? 0))
    .map(codePointLabel);
  const warnings =
    missingCharacters.length === 0
      ? []
      : [
          `The PDF font (${PDF_FONT_NAME}: Latin, Greek and Cyrillic scripts) has no glyph for ${missingCharacters.length} character${missingCharacters.length === 1 ? "" : "s"} of this proposal (${missingCharacters.join(", ")}); the PDF prints them as "?" or without their accent. The proposal's web page shows them as entered.`,
        ];
  if (warnings.length > 0) {
    w.heading("Characters not printed");
    for (const warning of warnings) w.text(warning, { size: SMALL_SIZE });
  }

  // Footers with page numbers, once the page count is known.
  const pages = doc.getPages();
  pages.forEach((page, index) => {
    const label = `Page ${index + 1} of ${pages.length}`;
    page.drawLine({
      start: { x: MARGIN_PT, y: MARGIN_PT + 10 },
      end: { x: w.width - MARGIN_PT, y: MARGIN_PT + 10 },
      thickness: 0.5,
      color: RULE,
    });
    const left = wrapText(footerText, regular, 7, w.contentWidth - 80)[0] ?? "";
    page.drawText(left, { x: MARGIN_PT, y: MARGIN_PT, size: 7, font: regular, color: MUTED });
    page.drawText(label, {
      x: w.width - MARGIN_PT - regular.widthOfTextAtSize(label, 7),
      y: MARGIN_PT,
      size: 7,
      font: regular,
      color: MUTED,
    });
  });

  return { pdf: await doc.save({ useObjectStreams: true }), missingCharacters, warnings };
}

/** The baseline by its product name (the comparison row's label), never its option id. */
function baselineLabel(content: ProposalContent): string {
  const id = content.comparison.baselineOptionId;
  if (id === null) return "no baseline";
  return content.comparison.rows.find((row) => row.optionId === id)?.label ?? "the cheapest path that does not build";
}

function drawRiskBand(w: Writer, risk: NonNullable<ProposalContent["charts"]["riskBand"]>, highlight: string): void {
  const rowHeight = 22;
  // Title, rows and the closing caption on one page.
  w.ensure(70 + risk.rows.length * rowHeight);
  w.text(
    `Risk band: levelised cost P10-P90 per path (${fmt.plain(risk.samples, 0)} Monte Carlo samples, seed ${risk.seed})`,
    {
      bold: true,
      size: 10,
      after: 6,
    },
  );
  const labelWidth = w.contentWidth * 0.34;
  const left = MARGIN_PT + labelWidth;
  const right = MARGIN_PT + w.contentWidth - 70;
  const low = Math.min(...risk.rows.map((row) => row.p10));
  const high = Math.max(...risk.rows.map((row) => row.p90));
  const span = high - low || Math.max(Math.abs(high), 1);
  const sx = (value: number) => left + ((value - low + span * 0.05) / (span * 1.1)) * (right - left);
  risk.rows.forEach((row, index) => {
    w.y -= rowHeight;
    const y = w.y;
    const style = w.seriesStyle(row.optionId, index, highlight);
    // The whole name, wrapped (a name cut short is no name); smaller type when it needs a third line.
    let size = 7;
    let lines = wrapText(w.clean(row.label), w.fonts.regular, size, labelWidth - 6);
    if (lines.length > 2) {
      size = 6;
      lines = wrapText(w.clean(row.label), w.fonts.regular, size, labelWidth - 6);
    }
    lines.slice(0, 3).forEach((line, lineIndex) =>
      w.page.drawText(line, {
        x: MARGIN_PT,
        y: y + 2 + ((Math.min(lines.length, 3) - 1) * (size + 1)) / 2 - lineIndex * (size + 1),
        size,
        font: w.fonts.regular,
        color: INK,
      }),
    );
    w.page.drawRectangle({
      x: sx(row.p10),
      y: y,
      width: Math.max(1, sx(row.p90) - sx(row.p10)),
      height: 9,
      color: style.color,
      opacity: 0.45,
    });
    w.page.drawLine({
      start: { x: sx(row.p50), y: y - 2 },
      end: { x: sx(row.p50), y: y + 11 },
      thickness: 1.5,
      color: INK,
    });
    const text = w.clean(`${fmt.usdPerMillionTokens(row.p10)}-${fmt.usdPerMillionTokens(row.p90)}`);
    w.page.drawText(text, { x: right + 6, y: y + 2, size: 7, font: w.fonts.regular, color: MUTED });
  });
  w.y -= 14;
  w.text("Bar: P10 to P90; tick: P50 (median).", { size: SMALL_SIZE, color: MUTED });
}
