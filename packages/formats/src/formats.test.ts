// The shared formats against written expectations and independent implementations: Node's own
// base64url (Buffer), papaparse reading the CSV back, and JSON.parse reading canonical JSON back.
import { Buffer } from "node:buffer";
import fc from "fast-check";
import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import {
  base64UrlToBytes,
  bytesToBase64Url,
  canonicalJson,
  csvLine,
  csvText,
  niceTicks,
  textToBase64Url,
} from "./index.ts";

describe("canonicalJson", () => {
  it("sorts keys by UTF-16 code units (integer-like keys too), drops undefined, keeps array order", () => {
    const value = { b: 1, a: [3, { d: undefined, c: "x" }], "10": true, "2": null, é: 0.1 };
    expect(canonicalJson(value)).toBe('{"10":true,"2":null,"a":[3,{"c":"x"}],"b":1,"é":0.1}');
    expect(canonicalJson(undefined)).toBe("null");
    expect(canonicalJson([])).toBe("[]");
    expect(canonicalJson({})).toBe("{}");
  });

  it("indents as JSON.stringify does", () => {
    expect(canonicalJson({ b: [1, 2], a: { c: [] } }, 2)).toBe(
      '{\n  "a": {\n    "c": []\n  },\n  "b": [\n    1,\n    2\n  ]\n}',
    );
  });

  it("reads back as the same value, whatever the key order", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalJson(value);
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
        expect(canonicalJson(JSON.parse(text))).toBe(text);
      }),
      { seed: 20, numRuns: 300 },
    );
  });
});

describe("CSV", () => {
  it("neutralises formula triggers in text, leaves numbers bare, quotes per RFC 4180", () => {
    expect(csvText("=1+2")).toBe("'=1+2");
    expect(csvText("-5")).toBe("'-5");
    expect(csvText('say "hi", then go')).toBe('"say ""hi"", then go"');
    expect(csvLine(["a", -5, null, undefined, -0, Number.NaN, "@x"])).toBe("a,-5,,,0,,'@x");
  });

  it("reads back through papaparse as the text (with the guard's quote) and the numbers", () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.string({ maxLength: 20 }), fc.double({ noNaN: true, noDefaultInfinity: true })), {
          minLength: 1,
          maxLength: 6,
        }),
        (cells) => {
          // A leading label cell, so a line of one empty cell is not read as an empty line.
          const parsed = Papa.parse<string[]>(csvLine(["row", ...cells]), { header: false });
          expect(parsed.data[0]?.length).toBe(cells.length + 1);
          parsed.data[0]?.slice(1).forEach((read, index) => {
            const cell = cells[index];
            if (typeof cell === "number") expect(Number(read)).toBe(Object.is(cell, -0) ? 0 : cell);
            else expect(/^[=+\-@\t\r\0＝＋－＠]/.test(read)).toBe(false);
          });
        },
      ),
      { seed: 20, numRuns: 300 },
    );
  });
});

describe("base64url", () => {
  it("matches Node's own base64url and decodes back", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.string({ maxLength: 30 }), (bytes, text) => {
        expect(bytesToBase64Url(bytes)).toBe(Buffer.from(bytes).toString("base64url"));
        expect(textToBase64Url(text)).toBe(Buffer.from(text, "utf8").toString("base64url"));
        expect([...base64UrlToBytes(bytesToBase64Url(bytes))]).toEqual([...bytes]);
      }),
      { seed: 20, numRuns: 300 },
    );
  });
});

describe("niceTicks", () => {
  it("picks round ticks covering the range", () => {
    expect(niceTicks(0, 2.82, 5)).toEqual([0, 1, 2, 3]);
    expect(niceTicks(0, 2.2, 5)).toEqual([0, 0.5, 1, 1.5, 2, 2.5]);
    expect(niceTicks(-3, 97, 5)).toEqual([-20, 0, 20, 40, 60, 80, 100]);
    expect(niceTicks(4, 4, 5)).toEqual([4]);
  });
});
