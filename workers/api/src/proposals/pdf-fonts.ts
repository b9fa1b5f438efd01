/**
 * The proposal PDF's embedded DejaVu Sans: loading and sharing the font files, measuring and
 * wrapping text, and replacing characters the font cannot draw.
 */
import { type PDFFont, PDFDocument } from "@cantoo/pdf-lib";
import { decodeBase64 } from "./logo.ts";

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

export async function embedFonts(doc: PDFDocument): Promise<Fonts> {
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

export interface Fonts {
  regular: PDFFont;
  bold: PDFFont;
  charset: ReadonlySet<number>;
  /** Characters of this document the fonts could not draw (see `toDrawable`). */
  substituted: Set<string>;
}
