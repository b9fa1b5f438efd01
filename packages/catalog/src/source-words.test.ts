import { describe, expect, it } from "vitest";
import { priceBook } from "./index.ts";
import { noteInWords, noteNames, plainTrail, sourceInWords } from "./source-words.ts";

/** What a CFO must never read: a file name, a line number, a repository path or our notes' path. */
const INTERNAL =
  /\.csv\b|\bline \d+|docs\/research|packages\/catalog|(?<![\w./-])[A-Za-z0-9][\w-]{2,}\/[A-Za-z0-9][\w.]*-[\w.-]+|(?<![\w./-])\w*[a-z][A-Z]\w*\/[A-Za-z]{4,}|@[0-9a-f]{7,}/;

function allSources(): string[] {
  const found = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === "object") {
      for (const [key, value] of Object.entries(node)) {
        if ((key === "source" || key === "method") && typeof value === "string") found.add(value);
        else walk(value);
      }
    }
  };
  walk(priceBook);
  return [...found];
}

describe("sourceInWords", () => {
  it("names the publisher and drops the row's file and line", () => {
    const words = sourceInWords(
      "energy.csv line 101: U.S. EIA, Electric Power Annual (data year 2023, released 2024-10-17), average revenue per kWh by state and sector, https://www.eia.gov/electricity/annual/secrev-map.php",
    );
    expect(words.title).toBe("U.S. EIA, Electric Power Annual");
    expect(words.trail.startsWith("U.S. EIA")).toBe(true);
    expect(words.url).toBe("https://www.eia.gov/electricity/annual/secrev-map.php");
  });

  it("replaces repository paths and our research notes by what they are", () => {
    const words = sourceInWords(
      "Sesterce GPU SuperCluster Calculator (AssimilatedCoder/sesterce-sev1-mockup): maintenance 8-15% of capex per year, cited in docs/research/landscape.md section 6.2",
    );
    expect(words.title).toBe("Sesterce GPU SuperCluster Calculator");
    expect(words.trail).toBe(
      "Sesterce GPU SuperCluster Calculator (an open repository on GitHub): maintenance 8-15% of capex per year, cited in the price book's research notes",
    );
    expect(
      plainTrail(
        "cloud_gpu_prices.csv line 114: ewyluda/gpu-price-index data/observations/2026/2026-10-10.csv@ab49c8081de8",
      ),
    ).toBe("the open data set “gpu-price-index” on GitHub");
  });

  it("drops a pointer to the table a default was copied from", () => {
    expect(
      sourceInWords(
        "defaults.csv line 12: facility.csv: CBRE North America Data Center Trends H2 2024, 250-500 kW primary-market average asking rate (26 Feb 2025)",
      ).title,
    ).toMatch(/^CBRE North America Data Center Trends H2 2024, 250-500 kW/);
  });

  it("reads an API price's data set and drops its lookup key", () => {
    const words = sourceInWords(
      "token_prices.csv line 13: LiteLLM model_prices_and_context_window.json (mirror RoCry/llm-api-price @8442b93, 2026-07-24), key 'deepinfra/deepseek-ai/DeepSeek-R1'",
    );
    expect(words.title).toBe("LiteLLM data file");
    expect(words.trail).toBe("LiteLLM data file (mirror the open data set “llm-api-price” on GitHub, 2026-07-24)");
  });

  it("rewrites a note that quotes a source mid-sentence", () => {
    expect(
      plainTrail(
        "as of 2026-06-15; source: token_prices.csv line 131: pydantic/genai-prices prices/providers/openrouter.yml @47df840 (2026-08-21)",
      ),
    ).toBe(
      "as of 2026-06-15; source: the price book's token prices table: the open data set “genai-prices” on GitHub (2026-08-21)",
    );
  });

  it("keeps units and ranges that only look like paths", () => {
    expect(plainTrail("72 PF FP8/FP4, 400 gCO2/kWh, input/output")).toBe("72 PF FP8/FP4, 400 gCO2/kWh, input/output");
  });

  it("leaves no file name, line number or repository path in any source of the price book", () => {
    const sources = allSources();
    expect(sources.length).toBeGreaterThan(100);
    for (const source of sources) {
      const words = sourceInWords(source);
      expect(`${words.title} | ${words.trail}`, source).not.toMatch(INTERNAL);
      expect(words.title.length, source).toBeLessThanOrEqual(91);
      if (words.url) expect(words.url, source).not.toMatch(/github\.com/);
    }
  });
});

describe("resolver notes in people's words (issue 18 item 8)", () => {
  const names = noteNames(
    [
      { id: "api-api:openrouter:llama3.3-70b", kind: "api", offer: "api:openrouter:llama3.3-70b" },
      { id: "api-custom", kind: "api" },
      {
        id: "lease-nebius-gpu-b200-sxm_8gpu-160vcpu-1792gb-3y",
        kind: "lease",
        offer: "nebius-gpu-b200-sxm_8gpu-160vcpu-1792gb-3y",
      },
    ],
    {
      cloudOffers: [
        {
          id: "nebius-gpu-b200-sxm_8gpu-160vcpu-1792gb-3y",
          instanceType: "gpu-b200-sxm_8gpu-160vcpu-1792gb",
          acceleratorCount: 8,
          accelerator: "B200",
        },
      ] as never,
    },
    (id) =>
      ({
        "api-api:openrouter:llama3.3-70b": "OpenRouter Llama 3.3 70B API",
        "api-custom": "Your token API price",
        "lease-nebius-gpu-b200-sxm_8gpu-160vcpu-1792gb-3y": "Nebius 8× B200 (3-year commitment)",
      })[id],
  );

  it("names paths by product, never by option id, catalog id or machine preset", () => {
    expect(
      noteInWords(
        "option api-api:openrouter:llama3.3-70b: buys Llama 3.3 70B from OpenRouter (api:openrouter:llama3.3-70b, named offer): 0.05 USD per million input; source: token_prices.csv line 131: pydantic/genai-prices prices/providers/openrouter.yml @47df840 (2026-08-21)",
        names,
      ),
    ).toBe(
      "OpenRouter Llama 3.3 70B API: buys Llama 3.3 70B from OpenRouter (named offer): 0.05 USD per million input; source: the price book's token prices table: the open data set “genai-prices” on GitHub (2026-08-21)",
    );
    const lease = noteInWords(
      "option lease-nebius-gpu-b200-sxm_8gpu-160vcpu-1792gb-3y: no published 1-year price and no cited commitment ratio for Nebius gpu-b200-sxm_8gpu-160vcpu-1792gb; priced at its own 3-year rate",
      names,
    );
    expect(lease).toBe(
      "Nebius 8× B200 (3-year commitment): no published 1-year price and no cited commitment ratio for Nebius 8× B200; priced at its own 3-year rate",
    );
    expect(
      noteInWords("option api-custom serves a different model (GPT-5) from the workload's Llama 3.3 70B", names),
    ).toBe("Your token API price serves a different model (GPT-5) from the workload's Llama 3.3 70B");
    // An id the page cannot name is never printed.
    expect(noteInWords("option lease-unknown-offer-x: priced as on demand", names)).toBe(
      "this path: priced as on demand",
    );
  });
});
