/** The proposal PDF's page geometry, type sizes and colours. */
import { type Color, rgb } from "@cantoo/pdf-lib";
import type { PaperSize } from "./content.ts";

/** Page sizes in PDF points (1/72 inch): ISO A4 is 210 × 297 mm, US Letter 8.5 × 11 in. */
export const PAPER_SIZES_PT: Record<PaperSize, [number, number]> = {
  A4: [595.28, 841.89],
  Letter: [612, 792],
};

export const MARGIN_PT = 50;
export const FOOTER_PT = 34;
export const BODY_SIZE = 9.5;
export const SMALL_SIZE = 8;
export const LINE_GAP = 1.35;

export const INK = rgb(0.12, 0.13, 0.15);
export const MUTED = rgb(0.38, 0.4, 0.44);
export const RULE = rgb(0.8, 0.82, 0.85);
export const GRID = rgb(0.9, 0.91, 0.93);
export const WHITE = rgb(1, 1, 1);
/** Series colours after the accent (Okabe–Ito, distinguishable with colour-vision deficiency). */
export const PALETTE = [
  rgb(0.9, 0.62, 0),
  rgb(0.34, 0.71, 0.91),
  rgb(0, 0.62, 0.45),
  rgb(0.8, 0.47, 0.65),
  rgb(0.84, 0.37, 0),
  rgb(0, 0.45, 0.7),
];
/** Dash patterns per series, so the charts read in black and white too. */
export const DASHES: number[][] = [[], [5, 3], [1.5, 2.5], [7, 2, 1.5, 2], [3, 3], [9, 3]];

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
