/**
 * The wizard's latency presets travel in the scenario (so a saved plan pins them) and reach the
 * catalog's throughput: each preset's speed and first-token limit are in the workload, and the
 * throughput figure's method names them.
 */
import { describe, expect, it } from "vitest";
import { computePlan, withCatalogDefaults } from "./engine.ts";
import { emptyPlan } from "./plan.ts";
import { LATENCY_PRESETS } from "./presets.ts";

function completePlan(latency: string) {
  const plan = withCatalogDefaults(emptyPlan());
  plan.values["workload.requestsPerDay"] = "10000000";
  plan.values["finance.discountRatePerYear"] = "9";
  plan.latency = latency as typeof plan.latency;
  return plan;
}

describe("latency presets in the scenario", () => {
  for (const preset of LATENCY_PRESETS.filter((p) => p.tokensPerSecondPerUser !== null)) {
    it(`${preset.key}: the workload carries ${preset.tokensPerSecondPerUser} tok/s/user and the first-token limit`, () => {
      const computation = computePlan(completePlan(preset.key));
      const workload = computation.input.workload as Record<string, unknown>;
      expect(workload.interactivityTokensPerSecondPerUser).toBe(preset.tokensPerSecondPerUser);
      expect(workload.timeToFirstTokenMs).toBe(preset.timeToFirstTokenMs ?? undefined);
      expect(computation.generalErrors).toEqual([]);
      if (computation.scenario === null) {
        // A shortlisted path that cannot serve one user that fast says so on the latency field,
        // giving its physical limit (e.g. a 70B model on one PCIe card at agent speed).
        expect(computation.fieldErrors["workload.interactivity"]?.join(" ")).toMatch(
          /physical limit is [\d.]+ tok\/s\/user/,
        );
        return;
      }
      const speed = computation.usedFigures.find((figure) => figure.path.endsWith(".outputTokensPerSecondPerGpu"));
      expect(`${speed?.source} ${speed?.method ?? ""}`).toMatch(
        new RegExp(`at ${preset.tokensPerSecondPerUser} tok/s/user`),
      );
      if (preset.timeToFirstTokenMs !== null)
        expect(`${speed?.source} ${speed?.method ?? ""}`).toMatch(
          new RegExp(`first token within ${preset.timeToFirstTokenMs} ms`),
        );
    });
  }
});
