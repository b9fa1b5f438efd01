/**
 * `POST /optimise`, `POST /risk` and optimised plans, in workerd against the real Worker: the
 * same answers as the kernel and the shared pipeline called directly (HiGHS loaded here the way
 * the Worker loads it), 400 naming fields (schema and CPU guard), 422 with the reason, the
 * public rate limit, and the plan tenancy rules unchanged.
 */
import highsLoader from "highs";
import highsWasm from "highs/runtime";
import { PRICE_BOOK_VERSION, priceBook, resolveScenario } from "@aifp/catalog";
import { OptimisationSchema, RiskAnalysisSchema, formatIssues } from "@aifp/contracts";
import { optimiseInput, optimisationWire, riskInput, riskWire } from "@aifp/contracts/pipeline";
import { KERNEL_VERSION, loadHighsFromWasmModule, optimise, type MilpSolver, type Scenario } from "@aifp/kernel";
import { sha256Hex } from "@aifp/db";
import * as v from "valibot";
import { beforeAll, describe, expect, it } from "vitest";
import catalogDefaults from "../../../test/golden/catalog-defaults.scenario.json";
import { canonicalJson } from "../src/canonical-json.ts";
import { API_PLAN_LIMITS } from "../src/planner.ts";
import { goldenScenario, smallScenario } from "./fixtures.ts";
import { api, createOrg, expectError, fingerprint, get, send } from "./helpers.ts";

let solver: MilpSolver;
beforeAll(async () => {
  solver = await loadHighsFromWasmModule(highsLoader, highsWasm);
});

type Json = Record<string, unknown>;
const json = (value: unknown): unknown => JSON.parse(JSON.stringify(value));
const ip = (n: number) => ({ "CF-Connecting-IP": `198.18.7.${n}` });

/** The golden scenario with builds only and a power cap too small to serve the demand. */
function impossibleScenario(): Json {
  const scenario = goldenScenario();
  scenario.site = { ...(scenario.site as Json), powerCapKw: 50 };
  scenario.options = (scenario.options as Json[]).filter((option) => option.kind === "build");
  return scenario;
}

describe("POST /optimise", () => {
  it("returns the kernel's optimise for the resolved scenario, plus the provenance fields", async () => {
    const response = await send("POST", "/optimise", { scenario: goldenScenario() }, undefined, ip(1));
    expect(response.status).toBe(200);
    expect(response.headers.get("x-kernel-version")).toBe(KERNEL_VERSION);
    expect(response.headers.get("x-price-book-version")).toBe(PRICE_BOOK_VERSION);
    const body = (await response.json()) as Json;
    const parsed = v.safeParse(OptimisationSchema, body);
    expect(parsed.success ? [] : formatIssues(parsed.issues)).toEqual([]);
    // The kernel called directly, with the API's time limit per solve.
    const direct = optimise({
      scenario: resolveScenario(goldenScenario() as unknown as Scenario, priceBook).scenario,
      solver,
      settings: { timeLimitSeconds: API_PLAN_LIMITS.maxTimeLimitSeconds },
    });
    const { priceBookVersion, priceBookContentHash, usedFigures, notes, availableFrom, baseline, ...kernelFields } =
      body;
    expect(baseline).toMatchObject({ how: "first-lease", kind: "lease" });
    expect(kernelFields).toEqual(json(direct));
    expect({ priceBookVersion, priceBookContentHash, usedFigures, notes, availableFrom }).toEqual({
      priceBookVersion: PRICE_BOOK_VERSION,
      priceBookContentHash: priceBook.contentHash,
      usedFigures: [],
      notes: [],
      availableFrom: {},
    });
    const strategies = body.strategies as { kind: string; feasible: boolean; npvCostUsd: number }[];
    expect(strategies.map((s) => s.kind)).toEqual(["lease", "build", "api", "base-peak", "hybrid"]);
    const hybrid = body.hybrid as { npvCostUsd: number; periods: unknown[] };
    expect(hybrid.periods).toHaveLength(5);
    for (const s of strategies) if (s.feasible) expect(hybrid.npvCostUsd).toBeLessThanOrEqual(s.npvCostUsd + 1e-6);
  });

  it("resolves catalog references first: the same answer as the shared pipeline, every figure cited", async () => {
    const request = { scenario: catalogDefaults, optimise: { explain: false } };
    const response = await send("POST", "/optimise", request, undefined, ip(2));
    expect(response.status).toBe(200);
    const body = (await response.json()) as { usedFigures: { source: string; asOf: string }[] };
    const direct = optimisationWire(
      optimiseInput(
        { ...request, optimise: { ...request.optimise, timeLimitSeconds: API_PLAN_LIMITS.maxTimeLimitSeconds } },
        { book: priceBook, solver },
      ),
    );
    expect(body).toEqual(json(direct));
    expect(body.usedFigures.length).toBeGreaterThan(20);
    for (const figure of body.usedFigures) {
      expect(figure.source).not.toBe("");
      expect(figure.asOf).toMatch(/^\d{4}/);
    }
  }, 60_000); // a real MILP on the catalog-defaults scenario: seconds on a loaded 2-core machine

  it("400 names every invalid field, and the CPU guard names the field that makes a request too large", async () => {
    const scenario = goldenScenario();
    (scenario.options as Json[])[1]!.availableFrom = "soon";
    const invalid = await expectError(
      await send(
        "POST",
        "/optimise",
        { scenario, optimise: { periodMonths: 7, maxShare: { api: 1.5 }, colour: "red" }, extra: true },
        undefined,
        ip(3),
      ),
      400,
      "validation_failed",
    );
    expect(invalid.issues.map((issue) => issue.path)).toEqual([
      "scenario.options.1.availableFrom",
      "optimise.periodMonths",
      "optimise.maxShare.api",
      "optimise.colour",
      "extra",
    ]);

    const tenYears = { ...goldenScenario(), horizonYears: 10 };
    const tooManyPeriods = await expectError(
      await send("POST", "/optimise", { scenario: tenYears, optimise: { periodMonths: 3 } }, undefined, ip(3)),
      400,
      "validation_failed",
    );
    expect(tooManyPeriods.issues).toEqual([
      {
        path: "optimise.periodMonths",
        message: expect.stringMatching(/^expected at most 20 planning periods per request, got 40 /),
      },
    ]);
    const tooLong = await expectError(
      await send(
        "POST",
        "/optimise",
        { scenario: goldenScenario(), optimise: { timeLimitSeconds: 60 } },
        undefined,
        ip(3),
      ),
      400,
    );
    expect(tooLong.issues[0]?.path).toBe("optimise.timeLimitSeconds");
    // A catalog reference that does not exist is a 400 naming it, before the solver runs.
    const unknownSku = structuredClone(catalogDefaults) as Json;
    (unknownSku.options as Json[])[0]!.sku = "no-such-server";
    const unresolved = await expectError(
      await send("POST", "/optimise", { scenario: unknownSku }, undefined, ip(3)),
      400,
    );
    expect(unresolved.issues[0]?.path).toBe("options.0.sku");
  });

  it("an impossible scenario is 422 infeasible_scenario with the reason", async () => {
    const error = await expectError(
      await send("POST", "/optimise", { scenario: impossibleScenario() }, undefined, ip(4)),
      422,
      "infeasible_scenario",
    );
    expect(error.issues).toEqual([
      { path: "site.powerCapKw", message: expect.stringMatching(/^the 50 kW power cap is too small/) },
    ]);
  });

  it("anonymous callers are rate-limited per IP like /evaluate; 429 with Retry-After", async () => {
    let limited: Response | null = null;
    let refused = 0;
    for (let i = 0; i < 130 && limited === null; i++) {
      const response = await api("/optimise", {
        method: "POST",
        headers: { "Content-Type": "application/json", "CF-Connecting-IP": "203.0.113.91" },
        body: "{}",
      });
      if (response.status === 429) limited = response;
      else {
        expect(response.status).toBe(400);
        refused++;
        await response.body?.cancel();
      }
    }
    expect(refused).toBe(120);
    expect(limited!.headers.get("retry-after")).toBe("60");
    await expectError(limited!, 429, "rate_limited");
  });
});

describe("POST /risk", () => {
  it("returns the pipeline's tornado and Monte Carlo; the same seed gives the same figures", async () => {
    const request = { scenario: catalogDefaults, risk: { samples: 300, seed: 11 } };
    const first = await send("POST", "/risk", request, undefined, ip(5));
    expect(first.status).toBe(200);
    const body = (await first.json()) as Json;
    const parsed = v.safeParse(RiskAnalysisSchema, body);
    expect(parsed.success ? [] : formatIssues(parsed.issues)).toEqual([]);
    expect(body).toEqual(json(riskWire(riskInput(request, { book: priceBook }))));
    const again = await send("POST", "/risk", request, undefined, ip(5));
    expect(await again.json()).toEqual(body);
    const monteCarlo = body.monteCarlo as { samples: number; seed: number };
    expect([monteCarlo.samples, monteCarlo.seed]).toEqual([300, 11]);
    expect((body.sensitivity as { tornado: unknown[] }).tornado.length).toBeGreaterThan(5);
  });

  it("400 names fields: the sample cap, a driver, the sample-months guard", async () => {
    const capped = await expectError(
      await send(
        "POST",
        "/risk",
        { scenario: goldenScenario(), risk: { samples: 10_001, drivers: [{ id: "weather" }] } },
        undefined,
        ip(6),
      ),
      400,
      "validation_failed",
    );
    expect(capped.issues.map((issue) => issue.path)).toEqual(["risk.samples", "risk.drivers.0.id"]);
    const longPlan = { ...goldenScenario(), horizonYears: 40 };
    const guarded = await expectError(
      await send("POST", "/risk", { scenario: longPlan, risk: { samples: 10_000 } }, undefined, ip(6)),
      400,
    );
    expect(guarded.issues).toEqual([
      {
        path: "risk.samples",
        message: expect.stringMatching(/^expected at most 2500 samples for a 480-month horizon/),
      },
    ]);
  });

  it("a scenario that cannot be served is 422", async () => {
    const scenario = smallScenario();
    (scenario.options as Json[])[0]!.outputTokensPerSecondPerGpu = 0;
    await expectError(await send("POST", "/risk", { scenario }, undefined, ip(7)), 422, "infeasible_scenario");
  });
});

describe("optimised plans", () => {
  async function saveScenario(key: string, scenario: Json): Promise<string> {
    const response = await send("POST", "/scenarios", { scenario }, key);
    expect(response.status).toBe(201);
    return ((await response.json()) as { id: string }).id;
  }

  it("stores the optimised plan beside the evaluation, pinned with its settings in the input", async () => {
    const org = await createOrg();
    const scenarioId = await saveScenario(org.adminKey, goldenScenario());
    const response = await send(
      "POST",
      `/scenarios/${scenarioId}/plans`,
      { optimise: { explain: false } },
      org.adminKey,
    );
    expect(response.status).toBe(201);
    const text = await response.text();
    const plan = JSON.parse(text) as {
      id: string;
      inputHash: string;
      priceBookVersion: string;
      kernelVersion: string;
      input: { optimise: unknown };
      result: { options: unknown[]; optimisation: Json };
    };
    expect(plan.input.optimise).toEqual({ explain: false });
    expect(plan.inputHash).toBe(await sha256Hex(canonicalJson(plan.input)));
    expect([plan.priceBookVersion, plan.kernelVersion]).toEqual([PRICE_BOOK_VERSION, KERNEL_VERSION]);
    expect(plan.result.options).toHaveLength(3);
    const direct = optimise({
      scenario: resolveScenario(goldenScenario() as unknown as Scenario, priceBook).scenario,
      solver,
      settings: { explain: false, timeLimitSeconds: API_PLAN_LIMITS.maxTimeLimitSeconds },
    });
    expect(plan.result.optimisation).toEqual({ ...(json(direct) as Json), availableFrom: {} });
    // Immutable: GET returns the same body.
    expect(await (await get(`/plans/${plan.id}`, org.adminKey)).text()).toBe(text);
    // `optimise: true` uses the optimiser's defaults; the settings pinned are `{}`.
    const withDefaults = await send("POST", `/scenarios/${scenarioId}/plans`, { optimise: true }, org.adminKey);
    expect(withDefaults.status).toBe(201);
    expect(((await withDefaults.json()) as { input: { optimise: unknown } }).input.optimise).toEqual({});
  });

  it("bad settings are 400, an impossible plan is 422, and neither stores anything", async () => {
    const org = await createOrg();
    const scenarioId = await saveScenario(org.adminKey, goldenScenario());
    const impossibleId = await saveScenario(org.adminKey, impossibleScenario());
    const before = await fingerprint();
    const invalid = await expectError(
      await send("POST", `/scenarios/${scenarioId}/plans`, { optimise: { periodMonths: 5 } }, org.adminKey),
      400,
    );
    expect(invalid.issues).toEqual([
      {
        path: "optimise",
        message:
          "expected true, false or an object of optimiser settings; periodMonths: expected 12, 6, 3 or 1 (months per planning period), got 5",
      },
    ]);
    await expectError(
      await send("POST", `/scenarios/${impossibleId}/plans`, { optimise: true }, org.adminKey),
      422,
      "infeasible_scenario",
    );
    expect(await fingerprint()).toEqual(before);
  });

  it("tenant rules are unchanged: another organisation's scenario is 404, no key is 401", async () => {
    const a = await createOrg();
    const b = await createOrg();
    const scenarioId = await saveScenario(a.adminKey, goldenScenario());
    const before = await fingerprint();
    await expectError(
      await send("POST", `/scenarios/${scenarioId}/plans`, { optimise: true }, b.adminKey),
      404,
      "not_found",
    );
    await expectError(await send("POST", `/scenarios/${scenarioId}/plans`, { optimise: true }), 401);
    expect(await fingerprint()).toEqual(before);
  });
});
