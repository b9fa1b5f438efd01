/** A top-down writer over the proposal PDF's pages: cursor, page breaks, text, tables and charts. */
import { type Color, type PDFFont, type PDFPage, type PDFDocument, rgb } from "@cantoo/pdf-lib";
import { niceTicks } from "@aifp/formats";
import type { ChartSeries } from "./content.ts";
import { type Fonts, toDrawable, wrapText } from "./pdf-fonts.ts";
import {
  BODY_SIZE,
  DASHES,
  FOOTER_PT,
  GRID,
  INK,
  LINE_GAP,
  MARGIN_PT,
  MUTED,
  PALETTE,
  RULE,
  SMALL_SIZE,
} from "./pdf-style.ts";

/** A top-down writer over pages: a cursor, page breaks, text, tables and charts. */
export class Writer {
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
