// Unit tests (project "unit", Node): the CSV and XLSX writers against independent parsers
// (papaparse, exceljs), with generated hostile strings (docs/api.md, exports).
import ExcelJS from "exceljs";
import fc from "fast-check";
import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import { toCsv } from "./csv.ts";
import { FORMULA_TRIGGERS, type Table, neutralise, wellFormed } from "./table.ts";
import { columnLetters, toXlsx } from "./xlsx.ts";

/** Strings biased towards formula triggers, quotes, separators and odd code points. */
const hostileString = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc
    .tuple(
      fc.constantFrom(
        "=",
        "+",
        "-",
        "@",
        "\t",
        "\r",
        "\0",
        "\uFF1D",
        "\uFF0B",
        "\uFF0D",
        "\uFF20",
        "'",
        '"',
        ",",
        "\n",
        " ",
      ),
      fc.string({ maxLength: 30 }),
    )
    .map(([head, tail]) => head + tail),
  fc.string({ unit: "binary", maxLength: 30 }),
);

const finiteNumber = fc.double({ noNaN: true, noDefaultInfinity: true });

function tableOf(texts: string[], numbers: number[]): Table {
  return {
    name: "T",
    columns: [
      { header: "label", type: "text" },
      { header: "valueUsd (USD)", type: "number" },
    ],
    rows: texts.map((text, index) => [text, numbers[index % numbers.length] ?? null]),
  };
}

function parseCsv(csv: string): string[][] {
  expect(csv.startsWith("\uFEFF")).toBe(true);
  const parsed = Papa.parse<string[]>(csv.slice(1), { header: false, delimiter: ",", newline: "\r\n" });
  expect(parsed.errors).toEqual([]);
  return parsed.data.filter((row) => !(row.length === 1 && row[0] === ""));
}

describe("neutralise", () => {
  it("prefixes exactly the trigger characters", () => {
    expect(neutralise("=1+1")).toBe("'=1+1");
    expect(neutralise("\uFF1D1")).toBe("'\uFF1D1");
    expect(neutralise("\t=1")).toBe("'\t=1");
    expect(neutralise("plain")).toBe("plain");
    expect(neutralise("'quoted")).toBe("'quoted");
    expect(neutralise(" =1")).toBe(" =1");
  });
});

describe("CSV writer", () => {
  it("10,000 hostile strings: round trip equal (after neutralising), no text cell starts a formula, numbers exact", () => {
    let checked = 0;
    fc.assert(
      fc.property(
        fc.array(hostileString, { minLength: 20, maxLength: 40 }),
        fc.array(finiteNumber, { minLength: 1, maxLength: 5 }),
        (texts, numbers) => {
          const table = tableOf(texts, numbers);
          const rows = parseCsv(toCsv(table));
          expect(rows[0]).toEqual(["label", "valueUsd (USD)"]);
          expect(rows).toHaveLength(texts.length + 1);
          texts.forEach((text, index) => {
            const [label, value] = rows[index + 1] as string[];
            expect(label).toBe(wellFormed(neutralise(text)));
            expect(FORMULA_TRIGGERS.test(label as string)).toBe(false);
            const expected = numbers[index % numbers.length] as number;
            expect(Number(value)).toBe(Object.is(expected, -0) ? 0 : expected);
          });
          checked += texts.length;
        },
      ),
      { numRuns: 500, seed: 20261122 },
    );
    expect(checked).toBeGreaterThanOrEqual(10_000);
  });
});

describe("XLSX writer", () => {
  it("opens in exceljs: typed numeric cells, string cells, no formulas, hostile text neutralised", async () => {
    const texts = fc.sample(hostileString, { numRuns: 400, seed: 7 });
    const numbers = [0, -5, 1.5e-9, 123456789.123, -0, 1e21, Number.MAX_SAFE_INTEGER];
    const table = tableOf(texts, numbers);
    const bytes = await toXlsx([table, { ...table, name: "Second [sheet]/with:bad*chars?" }]);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(["T", "Second  sheet  with bad chars "]);
    const sheet = workbook.worksheets[0] as ExcelJS.Worksheet;
    expect(sheet.getCell("A1").value).toBe("label");
    expect(sheet.getCell("B1").value).toBe("valueUsd (USD)");
    texts.forEach((text, index) => {
      const label = sheet.getCell(`A${index + 2}`);
      const value = sheet.getCell(`B${index + 2}`);
      expect(label.formula).toBeUndefined();
      // XML 1.0 cannot carry C0 controls or lone surrogates: they arrive as U+FFFD.
      // eslint-disable-next-line no-control-regex -- the characters XML 1.0 forbids
      const expected = wellFormed(neutralise(text)).replace(/[\0-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]/g, "\uFFFD");
      if (expected === "") {
        expect(label.value ?? "").toBe("");
      } else {
        expect(label.type).toBe(ExcelJS.ValueType.String);
        expect(String(label.value as string).replace(/\r\n/g, "\n")).toBe(
          expected.replace(/\r\n/g, "\n").replace(/\r/g, "\n"),
        );
      }
      expect(FORMULA_TRIGGERS.test(String(label.value as string))).toBe(false);
      expect(value.type).toBe(ExcelJS.ValueType.Number);
      const number = numbers[index % numbers.length] as number;
      expect(value.value).toBe(Object.is(number, -0) ? 0 : number);
    });
  });

  it("column letters are right", () => {
    expect([0, 25, 26, 51, 52, 701, 702].map(columnLetters)).toEqual(["A", "Z", "AA", "AZ", "BA", "ZZ", "AAA"]);
  });
});
