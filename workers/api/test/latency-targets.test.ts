/**
 * Latency targets (`workload.interactivityTokensPerSecondPerUser`, `workload.timeToFirstTokenMs`)
 * through the real Worker: accepted by `POST /evaluate`, `/optimise` and `/risk` (the shared
 * scenario schema), used by the catalog resolver's throughput (it changes the answer and the
 * cited method says so), refused with 400 naming the field when invalid, and pinned in a stored
 * plan's input. The evaluation reports the input vs output share of the cost per option.
 */
import { priceBook, resolveScenario } from "@aifp/catalog";
import { evaluate, type Scenario } from "@aifp/kernel";
import { describe, expect, it } from "vitest";
import catalogDefaults from "../../../test/golden/catalog-defaults.scenario.json";
import { createOrg, expectError, send } from "./helpers.ts";

type Json = Record<string, unknown>;
interface UsedFigure {
  path: string;
  value: number;
  method: string | null;
  source: string;
}
const ip = (n: number) => ({ "CF-Connecting-IP": `198.18.13.${n}` });

/** The catalog-defaults scenario (Llama 2 70B on H200 builds and leases) with latency targets. */
function withTargets(interactivity: number | null, ttftMs: number | null): Json {
  const scenario = JSON.parse(JSON.stringify(catalogDefaults)) as Json;
  const workload = scenario.workload as Json;
  if (interactivity !== null) workload.interactivityTokensPerSecondPerUser = interactivity;
  if (ttftMs !== null) workload.timeToFirstTokenMs = ttftMs;
  return scenario;
}

const throughputOf = (figures: UsedFigure[], index: number) =>
  figures.find((figure) => figure.path === `options.${index}.outputTokensPerSecondPerGpu`)!;

describe("latency targets", () => {
  it("POST /evaluate: the targets change the throughput, are cited, and the input share of cost is reported", async () => {
    const loose = await send("POST", "/evaluate", withTargets(null, null), undefined, ip(1));
    const tight = await send("POST", "/evaluate", withTargets(40, 1000), undefined, ip(1));
    expect([loose.status, tight.status]).toEqual([200, 200]);
    const looseBody = (await loose.json()) as { usedFigures: UsedFigure[] };
    const body = (await tight.json()) as {
      usedFigures: UsedFigure[];
      options: { id: string; inputCostShare: number }[];
    };
    const figure = throughputOf(body.usedFigures, 0);
    // 40 tok/s/user serves fewer users per GPU than the batch end.
    expect(figure.value).toBeLessThan(throughputOf(looseBody.usedFigures, 0).value);
    expect(`${figure.source} ${figure.method ?? ""}`).toMatch(/at 40 tok\/s\/user; first token within 1000 ms/);
    // The same as the resolver and kernel called directly.
    const direct = evaluate(resolveScenario(withTargets(40, 1000) as unknown as Scenario, priceBook).scenario);
    expect(body.options.map((o) => o.inputCostShare)).toEqual(direct.options.map((o) => o.inputCostShare));
    for (const option of body.options) {
      expect(option.inputCostShare).toBeGreaterThan(0);
      expect(option.inputCostShare).toBeLessThan(1);
    }
  });

  it("POST /optimise accepts the targets and plans on the throughput they give", async () => {
    const request = { scenario: withTargets(40, 1000), optimise: { explain: false } };
    const response = await send("POST", "/optimise", request, undefined, ip(2));
    expect(response.status).toBe(200);
    const body = (await response.json()) as { usedFigures: UsedFigure[] };
    expect(throughputOf(body.usedFigures, 0).method ?? throughputOf(body.usedFigures, 0).source).toMatch(
      /at 40 tok\/s\/user; first token within 1000 ms/,
    );
  });

  it("POST /risk accepts the targets", async () => {
    const request = { scenario: withTargets(40, 1000), risk: { samples: 100, seed: 3 } };
    const response = await send("POST", "/risk", request, undefined, ip(3));
    expect(response.status).toBe(200);
    const body = (await response.json()) as Json;
    expect((body.monteCarlo as { samples: number }).samples).toBe(100);
  });

  it("400 names an invalid target; a target past the physical limit is 400 on the option's throughput, giving the limit", async () => {
    const bad = withTargets(-1, 0);
    const error = await expectError(await send("POST", "/evaluate", bad, undefined, ip(4)), 400);
    const text = JSON.stringify(error);
    expect(text).toMatch(/workload\.interactivityTokensPerSecondPerUser/);
    expect(text).toMatch(/workload\.timeToFirstTokenMs/);
    // The resolver cannot fill the option's throughput: 400 on that path, giving the limit.
    const impossible = await expectError(
      await send("POST", "/evaluate", withTargets(50_000, null), undefined, ip(4)),
      400,
    );
    const issue = impossible.issues.find((i) => i.path === "options.0.outputTokensPerSecondPerGpu");
    expect(issue?.message).toMatch(/unreachable.*physical limit is \d+ tok\/s\/user/);
  });

  it("a stored plan pins the targets in its input", async () => {
    const org = await createOrg();
    const saved = await send("POST", "/scenarios", { scenario: withTargets(40, 1000) }, org.adminKey);
    expect(saved.status).toBe(201);
    const { id } = (await saved.json()) as { id: string };
    const response = await send("POST", `/scenarios/${id}/plans`, { name: "SLO plan" }, org.adminKey);
    expect(response.status).toBe(201);
    const plan = (await response.json()) as {
      input: { scenario: { workload: Json }; resolvedScenario: { workload: Json } };
      result: { usedFigures: UsedFigure[] };
    };
    expect(plan.input.scenario.workload).toMatchObject({
      interactivityTokensPerSecondPerUser: 40,
      timeToFirstTokenMs: 1000,
    });
    expect(plan.input.resolvedScenario.workload).toMatchObject({
      interactivityTokensPerSecondPerUser: 40,
      timeToFirstTokenMs: 1000,
    });
  });
});
