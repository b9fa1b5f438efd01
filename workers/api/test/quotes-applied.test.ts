import { describe, expect, it, beforeAll } from "vitest";
import { api, createOrg, expectError, get, send, type TestOrg } from "./helpers.ts";
import {
  SKU,
  OFFER,
  PUBLIC_SKU_PRICE,
  PUBLIC_OFFER_PRICE,
  type UsedFigure,
  buildScenario,
  createQuote,
  other,
  setUpQuoteOrgs,
} from "./quotes-setup.ts";

/**
 * Organisation quotes applied to plans (pinned in the plan's input, so deleting a quote changes
 * neither the plan nor its proposal's verification) and to /evaluate, /optimise and /risk with a
 * key (setup: quotes-setup.ts).
 */

setUpQuoteOrgs();

describe("quotes applied to plans, proposals and stateless evaluations", () => {
  let own: TestOrg;
  beforeAll(async () => {
    own = await createOrg("Applied");
  });

  it("a plan uses the quoted price, pins the quote, and neither a later change nor a deletion alters it or its proposal", async () => {
    const quote = await createQuote(own.adminKey, { validUntil: "2027-06-30" });
    const scenario = (await (await send("POST", "/scenarios", { scenario: buildScenario() }, own.adminKey)).json()) as {
      id: string;
    };
    const planResponse = await send("POST", `/scenarios/${scenario.id}/plans`, {}, own.adminKey);
    const planText = await planResponse.text();
    expect(planResponse.status, planText).toBe(201);
    const plan = JSON.parse(planText) as {
      id: string;
      inputHash: string;
      input: {
        resolvedScenario: { options: { id: string; priceUsd?: number }[] };
        usedFigures: UsedFigure[];
        quotes?: unknown[];
        expiredQuotes?: unknown[];
      };
    };
    const figure = plan.input.usedFigures.find((item) => item.path === "options.0.priceUsd");
    expect(figure).toMatchObject({ origin: "quote", ref: `quote:${quote.id}`, value: quote.effectiveUnitPriceUsd });
    expect(figure?.source).toContain("Dell quote Q-1234");
    expect(plan.input.resolvedScenario.options[0]?.priceUsd).toBe(quote.effectiveUnitPriceUsd);
    expect(plan.input.quotes).toEqual([
      {
        id: quote.id,
        orgId: own.orgId,
        target: { kind: "sku", id: SKU },
        unitPriceUsd: 265000,
        discount: 0.05,
        validUntil: "2027-06-30",
        note: "Dell quote Q-1234",
      },
    ]);
    expect(plan.input.expiredQuotes).toBeUndefined();

    // Another organisation's plan of the same scenario prices the server publicly.
    const theirs = (await (await send("POST", "/scenarios", { scenario: buildScenario() }, other.adminKey)).json()) as {
      id: string;
    };
    const theirPlan = (await (await send("POST", `/scenarios/${theirs.id}/plans`, {}, other.adminKey)).json()) as {
      input: { usedFigures: UsedFigure[]; quotes?: unknown };
    };
    expect(theirPlan.input.usedFigures.find((item) => item.path === "options.0.priceUsd")).toMatchObject({
      origin: "catalog",
      value: PUBLIC_SKU_PRICE,
    });
    expect(theirPlan.input.quotes).toBeUndefined();

    const proposal = await send(
      "POST",
      "/proposals",
      {
        planId: plan.id,
        title: "Quoted",
        customerName: "Contoso",
        preparedBy: "Jane",
        vendor: { name: "Northwind", accentColor: "#1F5FBF" },
      },
      own.adminKey,
    );
    const proposalText = await proposal.text();
    expect(proposal.status, proposalText).toBe(201);
    const proposalId = (JSON.parse(proposalText) as { id: string }).id;
    const issued = await send("POST", `/proposals/${proposalId}/issue`, {}, own.adminKey);
    expect(issued.status).toBe(200);
    const issuedHash = ((await issued.json()) as { current: { contentHash: string } }).current.contentHash;

    // Change the quote, then delete it: the stored plan and the proposal's regeneration stand.
    const patched = await send("PATCH", `/quotes/${quote.id}`, { unitPriceUsd: 150000 }, own.adminKey, {
      "If-Match": '"1"',
    });
    expect(patched.status).toBe(200);
    expect(
      (await api(`/quotes/${quote.id}`, { method: "DELETE", headers: { Authorization: `Bearer ${own.adminKey}` } }))
        .status,
    ).toBe(204);
    const stored = await (await get(`/plans/${plan.id}`, own.adminKey)).text();
    expect(JSON.parse(stored)).toEqual(JSON.parse(planText));
    const verification = await get(`/proposals/${proposalId}/versions/1/verification`, own.adminKey);
    const verificationText = await verification.text();
    expect(verification.status, verificationText).toBe(200);
    expect(JSON.parse(verificationText)).toMatchObject({
      matches: true,
      planInputHashMatches: true,
      regeneratedHash: issuedHash,
    });

    // A new plan now prices the server publicly again.
    const after = (await (await send("POST", `/scenarios/${scenario.id}/plans`, {}, own.adminKey)).json()) as {
      inputHash: string;
      input: { usedFigures: UsedFigure[]; quotes?: unknown };
    };
    expect(after.input.usedFigures.find((item) => item.path === "options.0.priceUsd")?.origin).toBe("catalog");
    expect(after.input.quotes).toBeUndefined();
    expect(after.inputHash).not.toBe(plan.inputHash);
  });

  it("/evaluate applies the caller's quotes with a key; ?quotes=none and anonymous callers get public figures", async () => {
    const org2 = await createOrg("Evaluator");
    const skuQuote = await createQuote(org2.adminKey, { validUntil: "2027-06-30" });
    const offerQuote = await createQuote(org2.adminKey, {
      targetKind: "offer",
      targetId: OFFER,
      unitPriceUsd: 21.5,
      discount: 0,
      validUntil: "2027-06-30",
    });
    const scenario = buildScenario();
    (scenario.options as unknown[]).push({
      kind: "lease",
      id: "lambda",
      offer: OFFER,
      outputTokensPerSecondPerGpu: 1500,
    });
    const priceOf = async (query: string, key?: string): Promise<UsedFigure[]> => {
      const response = await send("POST", `/evaluate${query}`, scenario, key, { "CF-Connecting-IP": "203.0.113.77" });
      const text = await response.text();
      expect(response.status, text).toBe(200);
      return (JSON.parse(text) as { usedFigures: UsedFigure[] }).usedFigures.filter((figure) =>
        /^options\.\d+\.(priceUsd|priceUsdPerInstanceHour)$/.test(figure.path),
      );
    };
    // Any member applies them: a viewer key here.
    const viewer = await send("POST", "/keys", { name: "viewer", role: "viewer" }, org2.adminKey);
    const quoted = await priceOf("", ((await viewer.json()) as { key: string }).key);
    expect(quoted).toEqual([
      expect.objectContaining({
        path: "options.0.priceUsd",
        origin: "quote",
        ref: `quote:${skuQuote.id}`,
        value: skuQuote.effectiveUnitPriceUsd,
      }),
      expect.objectContaining({
        path: "options.2.priceUsdPerInstanceHour",
        origin: "quote",
        ref: `quote:${offerQuote.id}`,
        value: 21.5,
      }),
    ]);
    for (const figures of [await priceOf("?quotes=none", org2.adminKey), await priceOf("")]) {
      expect(figures).toEqual([
        expect.objectContaining({ path: "options.0.priceUsd", origin: "catalog", value: PUBLIC_SKU_PRICE }),
        expect.objectContaining({
          path: "options.2.priceUsdPerInstanceHour",
          origin: "catalog",
          value: PUBLIC_OFFER_PRICE,
        }),
      ]);
    }
    const error = await expectError(
      await send("POST", "/evaluate?quotes=all", scenario, org2.adminKey),
      400,
      "validation_failed",
    );
    expect(error.issues.map((issue) => issue.path)).toEqual(["quotes"]);

    // /risk and /optimise resolve through the same quotes.
    const risk = await send("POST", "/risk", { scenario, risk: { samples: 50, seed: 3 } }, org2.adminKey);
    const riskText = await risk.text();
    expect(risk.status, riskText).toBe(200);
    expect(
      (JSON.parse(riskText) as { usedFigures: UsedFigure[] }).usedFigures.filter((f) => f.origin === "quote"),
    ).toHaveLength(2);
    const riskPublic = (await (
      await send("POST", "/risk?quotes=none", { scenario, risk: { samples: 50, seed: 3 } }, org2.adminKey)
    ).json()) as { usedFigures: UsedFigure[] };
    expect(riskPublic.usedFigures.filter((f) => f.origin === "quote")).toHaveLength(0);
    const optimised = await send("POST", "/optimise", { scenario }, org2.adminKey);
    const optimisedText = await optimised.text();
    expect(optimised.status, optimisedText).toBe(200);
    expect(
      (JSON.parse(optimisedText) as { usedFigures: UsedFigure[] }).usedFigures.filter((f) => f.origin === "quote"),
    ).toHaveLength(2);
  });

  it("a quote that expires before the plan starts gives a note and the public price, in evaluations and plans", async () => {
    const org3 = await createOrg("Expiring");
    const quote = await createQuote(org3.adminKey, { validUntil: "2027-12-31" });
    const scenario = buildScenario("2028-01");
    const response = await send("POST", "/evaluate", scenario, org3.adminKey);
    const text = await response.text();
    expect(response.status, text).toBe(200);
    const body = JSON.parse(text) as { usedFigures: UsedFigure[]; notes: string[] };
    expect(body.usedFigures.find((figure) => figure.path === "options.0.priceUsd")).toMatchObject({
      origin: "catalog",
      value: PUBLIC_SKU_PRICE,
    });
    expect(body.notes).toContain(
      `Quote ${quote.id} for server ${SKU} (option xe9680) expired on 2027-12-31, before the plan starts on 2028-01-01; the public price is used`,
    );

    // The plan pins the noted quote apart from applied ones, so its notes regenerate.
    const saved = (await (await send("POST", "/scenarios", { scenario }, org3.adminKey)).json()) as { id: string };
    const plan = (await (await send("POST", `/scenarios/${saved.id}/plans`, {}, org3.adminKey)).json()) as {
      input: { notes: string[]; quotes?: unknown; expiredQuotes?: { id: string }[] };
    };
    expect(plan.input.quotes).toBeUndefined();
    expect(plan.input.expiredQuotes?.map((item) => item.id)).toEqual([quote.id]);
    expect(plan.input.notes.some((note) => note.startsWith(`Quote ${quote.id} for server`))).toBe(true);
  });
});
