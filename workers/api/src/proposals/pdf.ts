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
import { type Color, type PDFFont, type PDFImage, type PDFPage, PDFDocument, rgb } from "@cantoo/pdf-lib";
import type { ChartSeries, PaperSize, ProposalContent, ProposalInputs } from "./content.ts";
import * as fmt from "./format.ts";
import { decodeBase64 } from "./logo.ts";

/** Page sizes in PDF points (1/72 inch): ISO A4 is 210 × 297 mm, US Letter 8.5 × 11 in. */
export const PAPER_SIZES_PT: Record<PaperSize, [number, number]> = {
  A4: [595.28, 841.89],
  Letter: [612, 792],
};

const MARGIN_PT = 50;
const FOOTER_PT = 34;
const BODY_SIZE = 9.5;
const SMALL_SIZE = 8;
const LINE_GAP = 1.35;

const INK = rgb(0.12, 0.13, 0.15);
const MUTED = rgb(0.38, 0.4, 0.44);
const RULE = rgb(0.8, 0.82, 0.85);
const GRID = rgb(0.9, 0.91, 0.93);
const WHITE = rgb(1, 1, 1);
/** Series colours after the accent (Okabe–Ito, distinguishable with colour-vision deficiency). */
const PALETTE = [
  rgb(0.9, 0.62, 0),
  rgb(0.34, 0.71, 0.91),
  rgb(0, 0.62, 0.45),
  rgb(0.8, 0.47, 0.65),
  rgb(0.84, 0.37, 0),
  rgb(0, 0.45, 0.7),
];
/** Dash patterns per series, so the charts read in black and white too. */
const DASHES: number[][] = [[], [5, 3], [1.5, 2.5], [7, 2, 1.5, 2], [3, 3], [9, 3]];

export interface RenderProposalPdfInput {
  inputs: ProposalInputs;
  content: ProposalContent;
  status: "draft" | "issued";
  contentHash: string;
  paperSize: PaperSize;
  /** The document date: the issue instant, or a draft's last change (ISO 8601). */
  documentDate: string;
}

/** "#1a73e8" → pdf-lib colour. */
export function hexColor(hex: string): Color {
  const value = Number.parseInt(hex.slice(1), 16);
  return rgb(((value >> 16) & 255) / 255, ((value >> 8) & 255) / 255, (value & 255) / 255);
}

/** WCAG relative luminance of "#rrggbb", 0–1. */
export function luminance(hex: string): number {
  const value = Number.parseInt(hex.slice(1), 16);
  const channel = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel((value >> 16) & 255) + 0.7152 * channel((value >> 8) & 255) + 0.0722 * channel(value & 255);
}

const REPLACEMENTS: Record<string, string> = {
  "\u2212": "-",
  "\u2264": "<=",
  "\u2265": ">=",
  "\u2192": "->",
  "\u2190": "<-",
  "\u2248": "~",
  "\u00a0": " ",
  "\u2009": " ",
  "\u202f": " ",
  "\t": " ",
};

/**
 * Text the font can draw: characters it has stay as they are (NFC); for the others, known
 * symbols become ASCII, accented letters lose their accent if the base letter exists, and
 * anything else becomes "?". Line breaks stay; other control characters go.
 * @param characterSet code points the font encodes (`font.getCharacterSet()`)
 * @param substituted collects each printable character that was not drawn as itself, so the
 *   caller can say so (whitespace such as a tab or a no-break space turned into a space is not
 *   collected)
 */
export function toDrawable(text: string, characterSet: ReadonlySet<number>, substituted?: Set<string>): string {
  let out = "";
  for (const char of text.normalize("NFC")) {
    if (char === "\n") {
      out += char;
      continue;
    }
    const code = char.codePointAt(0) ?? 63;
    if (characterSet.has(code) && code >= 0x20) {
      out += char;
      continue;
    }
    if (code >= 0x20 && !/\s/.test(char)) substituted?.add(char);
    const replacement = REPLACEMENTS[char];
    if (replacement !== undefined) {
      out += replacement;
      continue;
    }
    const base = char.normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
    out +=
      base.length > 0 && [...base].every((c) => characterSet.has(c.codePointAt(0) ?? 0) && c >= " ")
        ? base
        : code < 0x20
          ? ""
          : "?";
  }
  return out;
}

/** "中" → "U+4E2D": how a character the font cannot draw is named in the PDF and the warning. */
export function codePointLabel(char: string): string {
  return `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}`;
}

/** The embedded typeface, named in the PDF's note on characters it cannot draw. */
export const PDF_FONT_NAME = "DejaVu Sans";

/** The font engine interface pdf-lib expects (its type is not exported by name). */
type Fontkit = Parameters<PDFDocument["registerFontkit"]>[0];
type FontkitFont = Exclude<Awaited<ReturnType<Fontkit["create"]>>, null | { fonts: unknown }>;

interface FontAssets {
  fontkit: Fontkit;
  regular: Uint8Array;
  bold: Uint8Array;
  /** Width in points at size 1 of each space-free run of text measured so far, per face. */
  widths: { regular: Map<string, number>; bold: Map<string, number> };
}

/**
 * Layout features turned off: they only move glyphs (kerning, mark and cursive attachment), and
 * pdf-lib draws each glyph at its advance width without those offsets, so shaping them is wasted
 * work. Substitutions (ligatures, composition) stay on.
 */
const POSITIONING_FEATURES_OFF = { kern: false, mark: false, mkmk: false, curs: false, dist: false };

/** Most distinct runs of text remembered per face before the width memo starts over. */
const WIDTH_MEMO_LIMIT = 20_000;
/** Most distinct strings whose shaped glyphs are remembered per face. */
const LAYOUT_MEMO_LIMIT = 20_000;

/**
 * A fontkit that parses each font file once per isolate and remembers shaped strings. pdf-lib
 * calls `create` for every document and shapes every string it draws; both results depend only
 * on the font file and the text. Each document still gets its own subset (`createSubset`).
 */
function sharedFontkit(fontkit: Fontkit): Fontkit {
  const parsed = new Map<Uint8Array, Promise<FontkitFont>>();
  return {
    create(bytes: Uint8Array) {
      let font = parsed.get(bytes);
      if (!font) {
        font = Promise.resolve(fontkit.create(bytes)).then((created) => {
          if (!created || "fonts" in created) throw new Error("PDF font: expected a single TrueType face");
          const layout = created.layout.bind(created);
          const shaped = new Map<string, ReturnType<FontkitFont["layout"]>>();
          created.layout = (text, features) => {
            if (features !== POSITIONING_FEATURES_OFF) return layout(text, features);
            let run = shaped.get(text);
            if (!run) {
              if (shaped.size >= LAYOUT_MEMO_LIMIT) shaped.clear();
              run = layout(text, features);
              shaped.set(text, run);
            }
            return run;
          };
          return created;
        });
        parsed.set(bytes, font);
      }
      return font;
    },
  };
}

/**
 * Memoise `font.widthOfTextAtSize` by space-separated run: fontkit shapes every string it
 * measures, which made word wrapping 75% of a render. pdf-lib's width is the sum of the glyphs'
 * advance widths (no kerning), so a line's width is the sum of its runs and its spaces.
 */
function memoiseWidths(font: PDFFont, memo: Map<string, number>): void {
  const measure = font.widthOfTextAtSize.bind(font);
  const runWidth = (run: string): number => {
    let width = memo.get(run);
    if (width === undefined) {
      if (memo.size >= WIDTH_MEMO_LIMIT) memo.clear();
      width = run === "" ? 0 : measure(run, 1);
      memo.set(run, width);
    }
    return width;
  };
  font.widthOfTextAtSize = (text: string, size: number): number => {
    const runs = text.split(" ");
    let width = (runs.length - 1) * runWidth(" ");
    for (const run of runs) width += runWidth(run);
    return width * size;
  };
}

let fontAssets: Promise<FontAssets> | null = null;

/**
 * fontkit and the two TrueType files, decoded once per isolate. Loaded with dynamic imports so
 * that only PDF requests evaluate the ~0.8 MB of base64 font data and the font engine.
 */
export function loadPdfFonts(): Promise<FontAssets> {
  fontAssets ??= Promise.all([import("@cantoo/fontkit"), import("./fonts/dejavu-sans.generated.ts")]).then(
    ([fontkit, fonts]) => ({
      fontkit: sharedFontkit(fontkit.default),
      regular: decodeBase64(fonts.DEJAVU_SANS_BASE64, "fonts/DejaVuSans.ttf"),
      bold: decodeBase64(fonts.DEJAVU_SANS_BOLD_BASE64, "fonts/DejaVuSans-Bold.ttf"),
      widths: { regular: new Map(), bold: new Map() },
    }),
  );
  // A failed load is not cached: the next request tries again.
  fontAssets.catch(() => (fontAssets = null));
  return fontAssets;
}

let warmed: Promise<void> | null = null;

/**
 * Warms this isolate's PDF engine off the request path (issue #19: the first PDF of a busy
 * isolate once took 19.4 s): the font engine's import, the base64 decode of both faces, their
 * TrueType parse, an embed and the layout of every printable ASCII character, once per isolate.
 * The proposal routes start it with `waitUntil` after answering, so by the time someone opens a
 * proposal's PDF the isolate has paid this already and the first PDF costs what later ones do.
 */
export function warmPdfFonts(): Promise<void> {
  warmed ??= (async () => {
    const doc = await PDFDocument.create({ updateMetadata: false });
    const fonts = await embedFonts(doc);
    const ascii = String.fromCharCode(...Array.from({ length: 95 }, (_, i) => 32 + i));
    fonts.regular.widthOfTextAtSize(ascii, 10);
    fonts.bold.widthOfTextAtSize(ascii, 10);
  })().catch(() => {
    warmed = null;
  });
  return warmed;
}

/** The code points both embedded faces (regular and bold) can draw. */
export async function pdfCharacterSet(): Promise<ReadonlySet<number>> {
  const doc = await PDFDocument.create();
  const fonts = await embedFonts(doc);
  return fonts.charset;
}

async function embedFonts(doc: PDFDocument): Promise<Fonts> {
  const assets = await loadPdfFonts();
  doc.registerFontkit(assets.fontkit);
  // Subset: only the glyphs drawn go into the file (about 10-20 KB per face instead of 300 KB).
  const regular = await doc.embedFont(assets.regular, { subset: true, features: POSITIONING_FEATURES_OFF });
  const bold = await doc.embedFont(assets.bold, { subset: true, features: POSITIONING_FEATURES_OFF });
  memoiseWidths(regular, assets.widths.regular);
  memoiseWidths(bold, assets.widths.bold);
  const boldSet = new Set(bold.getCharacterSet());
  const charset = new Set(regular.getCharacterSet().filter((code) => boldSet.has(code)));
  return { regular, bold, charset, substituted: new Set() };
}

/** Greedy word wrap to `width` points; words longer than a line are broken by character. */
export function wrapText(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split("\n")) {
    let line = "";
    for (const word of paragraph.split(/ +/)) {
      if (word === "") continue;
      const candidate = line ? `${line} ${word}` : word;
      if (font.widthOfTextAtSize(candidate, size) <= width) {
        line = candidate;
        continue;
      }
      if (line) lines.push(line);
      let rest = word;
      while (font.widthOfTextAtSize(rest, size) > width) {
        let cut = rest.length - 1;
        while (cut > 1 && font.widthOfTextAtSize(rest.slice(0, cut), size) > width) cut--;
        lines.push(rest.slice(0, cut));
        rest = rest.slice(cut);
      }
      line = rest;
    }
    lines.push(line);
  }
  return lines;
}

interface Fonts {
  regular: PDFFont;
  bold: PDFFont;
  charset: ReadonlySet<number>;
  /** Characters of this document the fonts could not draw (see `toDrawable`). */
  substituted: Set<string>;
}

/** A top-down writer over pages: a cursor, page breaks, text, tables and charts. */
class Writer {
  readonly doc: PDFDocument;
  readonly fonts: Fonts;
  readonly width: number;
  readonly height: number;
  readonly accent: Color;
  page!: PDFPage;
  y = 0;

  constructor(doc: PDFDocument, fonts: Fonts, paper: [number, number], accent: Color) {
    this.doc = doc;
    this.fonts = fonts;
    this.width = paper[0];
    this.height = paper[1];
    this.accent = accent;
    this.newPage();
  }

  get contentWidth(): number {
    return this.width - 2 * MARGIN_PT;
  }

  newPage(): void {
    this.page = this.doc.addPage([this.width, this.height]);
    this.y = this.height - MARGIN_PT;
  }

  /** Break the page unless `needed` points fit above the footer. */
  ensure(needed: number): void {
    if (this.y - needed < MARGIN_PT + FOOTER_PT) this.newPage();
  }

  clean(text: string): string {
    return toDrawable(text, this.fonts.charset, this.fonts.substituted);
  }

  text(
    text: string,
    options: { size?: number; bold?: boolean; color?: Color; x?: number; width?: number; after?: number } = {},
  ): void {
    const size = options.size ?? BODY_SIZE;
    const font = options.bold ? this.fonts.bold : this.fonts.regular;
    const x = options.x ?? MARGIN_PT;
    const width = options.width ?? this.contentWidth;
    for (const line of wrapText(this.clean(text), font, size, width)) {
      this.ensure(size * LINE_GAP);
      this.y -= size * LINE_GAP;
      this.page.drawText(line, { x, y: this.y + size * 0.3, size, font, color: options.color ?? INK });
    }
    this.y -= options.after ?? 4;
  }

  heading(text: string): void {
    // Keep a heading with the start of what follows it (a table header and a few rows).
    this.ensure(110);
    this.y -= 8;
    this.text(text, { size: 13, bold: true, after: 2 });
    this.page.drawLine({
      start: { x: MARGIN_PT, y: this.y },
      end: { x: MARGIN_PT + 40, y: this.y },
      thickness: 2,
      color: this.accent,
    });
    this.y -= 8;
  }

  /**
   * A table: header row in bold (repeated after a page break), cells wrapped in their column.
   * @param widths column widths as fractions of the content width (sum 1)
   * @param align "r" for right-aligned (numeric) columns
   */
  table(header: string[], rows: string[][], widths: number[], align: ("l" | "r")[] = []): void {
    const size = SMALL_SIZE + 0.5;
    const padding = 3;
    const columns = widths.map((fraction) => fraction * this.contentWidth);
    const layout = (cells: string[], font: PDFFont) =>
      cells.map((cell, i) => wrapText(this.clean(cell), font, size, (columns[i] ?? 50) - 2 * padding));
    const drawRow = (lines: string[][], font: PDFFont, shade: boolean) => {
      const rowHeight = Math.max(...lines.map((cell) => cell.length)) * size * LINE_GAP + 2 * padding;
      if (shade) {
        this.page.drawRectangle({
          x: MARGIN_PT,
          y: this.y - rowHeight,
          width: this.contentWidth,
          height: rowHeight,
          color: GRID,
        });
      }
      let x = MARGIN_PT;
      lines.forEach((cell, i) => {
        const columnWidth = columns[i] ?? 50;
        cell.forEach((line, k) => {
          const textWidth = font.widthOfTextAtSize(line, size);
          const left = align[i] === "r" ? x + columnWidth - padding - textWidth : x + padding;
          this.page.drawText(line, {
            x: left,
            y: this.y - padding - (k + 1) * size * LINE_GAP + size * 0.3,
            size,
            font,
            color: INK,
          });
        });
        x += columnWidth;
      });
      this.y -= rowHeight;
      this.page.drawLine({
        start: { x: MARGIN_PT, y: this.y },
        end: { x: MARGIN_PT + this.contentWidth, y: this.y },
        thickness: 0.5,
        color: RULE,
      });
    };
    const headerLines = layout(header, this.fonts.bold);
    const headerHeight = Math.max(...headerLines.map((cell) => cell.length)) * size * LINE_GAP + 2 * padding;
    this.ensure(headerHeight + 3 * size * LINE_GAP);
    drawRow(headerLines, this.fonts.bold, true);
    for (const row of rows) {
      const lines = layout(row, this.fonts.regular);
      const rowHeight = Math.max(...lines.map((cell) => cell.length)) * size * LINE_GAP + 2 * padding;
      if (this.y - rowHeight < MARGIN_PT + FOOTER_PT) {
        this.newPage();
        drawRow(headerLines, this.fonts.bold, true);
      }
      drawRow(lines, this.fonts.regular, false);
    }
    this.y -= 8;
  }

  /** A line chart with axes, grid, a legend, optional vertical markers and a horizontal limit. */
  lineChart(options: {
    title: string;
    series: ChartSeries[];
    xLabel: string;
    yFormat: (value: number) => string;
    xFormat: (value: number) => string;
    limit?: { value: number; label: string } | null;
    markers?: { x: number; label: string }[];
    highlightId: string;
  }): void {
    const chartHeight = 170;
    const legendLines = Math.ceil(options.series.length / 2);
    this.ensure(chartHeight + 40 + legendLines * 12);
    this.text(options.title, { bold: true, size: 10, after: 4 });
    const left = MARGIN_PT + 48;
    const right = MARGIN_PT + this.contentWidth - 6;
    const top = this.y - 4;
    const bottom = top - chartHeight;
    const points = options.series.flatMap((series) => series.points);
    let yMin = Math.min(0, ...points.map((point) => point.y));
    let yMax = Math.max(0, ...points.map((point) => point.y), options.limit?.value ?? 0);
    if (yMax === yMin) yMax = yMin + 1;
    const ticks = niceTicks(yMin, yMax, 5);
    yMin = Math.min(yMin, ticks[0] ?? yMin);
    yMax = Math.max(yMax, ticks[ticks.length - 1] ?? yMax);
    const xs = points.map((point) => point.x);
    const xMin = Math.min(...xs);
    const xMax = Math.max(xMin + 1, ...xs);
    const sx = (x: number) => left + ((x - xMin) / (xMax - xMin)) * (right - left);
    const sy = (y: number) => bottom + ((y - yMin) / (yMax - yMin)) * (top - bottom);
    const font = this.fonts.regular;
    for (const tick of ticks) {
      const y = sy(tick);
      this.page.drawLine({
        start: { x: left, y },
        end: { x: right, y },
        thickness: 0.5,
        color: tick === 0 ? MUTED : GRID,
      });
      const label = this.clean(options.yFormat(tick));
      this.page.drawText(label, {
        x: left - 4 - font.widthOfTextAtSize(label, 7),
        y: y - 2.5,
        size: 7,
        font,
        color: MUTED,
      });
    }
    const xTicks = niceTicks(xMin, xMax, 6).filter((tick) => tick >= xMin && tick <= xMax && Number.isInteger(tick));
    for (const tick of xTicks) {
      const x = sx(tick);
      this.page.drawLine({ start: { x, y: bottom }, end: { x, y: bottom - 3 }, thickness: 0.5, color: MUTED });
      const label = this.clean(options.xFormat(tick));
      this.page.drawText(label, {
        x: x - font.widthOfTextAtSize(label, 7) / 2,
        y: bottom - 11,
        size: 7,
        font,
        color: MUTED,
      });
    }
    this.page.drawLine({ start: { x: left, y: bottom }, end: { x: left, y: top }, thickness: 0.6, color: MUTED });
    const axisLabel = this.clean(options.xLabel);
    this.page.drawText(axisLabel, {
      x: (left + right) / 2 - font.widthOfTextAtSize(axisLabel, 7) / 2,
      y: bottom - 21,
      size: 7,
      font,
      color: MUTED,
    });
    if (options.limit) {
      const y = sy(options.limit.value);
      this.page.drawLine({
        start: { x: left, y },
        end: { x: right, y },
        thickness: 1.2,
        color: rgb(0.75, 0.1, 0.1),
        dashArray: [4, 2],
      });
      const label = this.clean(options.limit.label);
      this.page.drawText(label, {
        x: right - font.widthOfTextAtSize(label, 7),
        y: y + 3,
        size: 7,
        font,
        color: rgb(0.75, 0.1, 0.1),
      });
    }
    options.series.forEach((series, index) => {
      const style = this.seriesStyle(series.id, index, options.highlightId);
      const path = series.points
        .map((point, i) => `${i === 0 ? "M" : "L"} ${round2(sx(point.x))} ${round2(this.height - sy(point.y))}`)
        .join(" ");
      if (series.points.length === 1) {
        const point = series.points[0] as { x: number; y: number };
        this.page.drawCircle({ x: sx(point.x), y: sy(point.y), size: 2, color: style.color });
      } else if (path) {
        this.page.drawSvgPath(path, {
          x: 0,
          y: this.height,
          borderColor: style.color,
          borderWidth: style.width,
          borderDashArray: style.dash,
        });
      }
    });
    for (const [index, marker] of (options.markers ?? []).entries()) {
      const x = sx(marker.x);
      this.page.drawLine({
        start: { x, y: bottom },
        end: { x, y: top },
        thickness: 0.8,
        color: MUTED,
        dashArray: [2, 2],
      });
      const label = this.clean(marker.label);
      const width = font.widthOfTextAtSize(label, 7);
      // Beside its line, never across it: right of the line, or left where the right has no room;
      // one text line lower for each further marker.
      this.page.drawText(label, {
        x: x + 3 + width <= right ? x + 3 : Math.max(left, x - 3 - width),
        y: top - 9 - index * 9,
        size: 7,
        font,
        color: MUTED,
      });
    }
    this.y = bottom - 30;
    this.legend(options.series, options.highlightId);
  }

  seriesStyle(id: string, index: number, highlightId: string): { color: Color; dash: number[]; width: number } {
    if (id === highlightId) return { color: this.accent, dash: [], width: 2.4 };
    return {
      color: PALETTE[index % PALETTE.length] as Color,
      dash: DASHES[(index + 1) % DASHES.length] as number[],
      width: 1.4,
    };
  }

  legend(series: ChartSeries[], highlightId: string): void {
    const columnWidth = this.contentWidth / 2;
    const linesOf = (item: ChartSeries) =>
      wrapText(
        this.clean(item.label + (item.id === highlightId ? " (recommended)" : "")),
        this.fonts.regular,
        7.5,
        columnWidth - 26,
      );
    // A legend that fits: every label whole, wrapped within its column; a row as tall as its longest label.
    let extraLines = 0;
    series.forEach((item, index) => {
      const column = index % 2;
      if (column === 0) {
        this.y -= extraLines * 9;
        const rowLines = Math.max(linesOf(item).length, series[index + 1] ? linesOf(series[index + 1]!).length : 1);
        this.ensure(12 + (rowLines - 1) * 9);
        this.y -= 12;
        extraLines = rowLines - 1;
      }
      const x = MARGIN_PT + column * columnWidth;
      const style = this.seriesStyle(item.id, index, highlightId);
      this.page.drawLine({
        start: { x, y: this.y + 3 },
        end: { x: x + 18, y: this.y + 3 },
        thickness: style.width,
        color: style.color,
        dashArray: style.dash,
      });
      linesOf(item).forEach((line, lineIndex) =>
        this.page.drawText(line, {
          x: x + 22,
          y: this.y - lineIndex * 9,
          size: 7.5,
          font: this.fonts.regular,
          color: INK,
        }),
      );
    });
    this.y -= extraLines * 9 + 12;
  }
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

/** About `count` round tick values covering [min, max] (1, 2 or 5 × 10^k steps). */
export function niceTicks(min: number, max: number, count: number): number[] {
  const span = max - min;
  if (!(span > 0)) return [min];
  const raw = span / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * magnitude >= raw) ?? 10) * magnitude;
  const ticks: number[] = [];
  for (let value = Math.floor(min / step) * step; value <= max + step * 1e-9; value += step) {
    ticks.push(Number(value.toPrecision(12)));
    if (ticks.length > 50) break;
  }
  if ((ticks[ticks.length - 1] ?? max) < max)
    ticks.push(Number(((ticks[ticks.length - 1] ?? 0) + step).toPrecision(12)));
  return ticks;
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
