/**
 * The risk worker's handler (what `workers/risk.worker.ts` runs in the browser) against the
 * kernel called directly: for a given seed the Monte Carlo run in chunks, with progress and
 * yields, gives exactly the kernel's answer; the tornado too; a cancel stops a run part-way.
 */
import { readFile } from "node:fs/promises";
import { monteCarloSync, sensitivity, type Scenario } from "@aifp/kernel";
import { describe, expect, it } from "vitest";
import type { WorkerResponse } from "../workers/protocol.ts";
import { createRiskHandler, monteCarloChunkSize } from "./risk-handler.ts";

const scenario = JSON.parse(
  await readFile(new URL("../../../../../test/golden/chat-70b-three-paths.scenario.json", import.meta.url), "utf8"),
) as Scenario;

function collect() {
  const messages: WorkerResponse[] = [];
  return { messages, handle: createRiskHandler((message) => messages.push(message)) };
}

describe("risk worker handler", () => {
  it("runs the Monte Carlo in chunks to exactly the kernel's result for the seed", async () => {
    const { messages, handle } = collect();
    const samples = 2_000;
    await handle({ type: "monteCarlo", id: 7, scenario, samples, seed: 42 });
    const last = messages.at(-1);
    expect(last?.type).toBe("monteCarlo");
    const direct = monteCarloSync({ scenario, samples, seed: 42 });
    expect(last?.type === "monteCarlo" ? last.result : null).toEqual(direct);
    // Progress after each chunk, increasing, ending at the total.
    const progress = messages.filter((message) => message.type === "progress");
    expect(progress).toHaveLength(Math.ceil(samples / monteCarloChunkSize(samples)));
    const done = progress.map((message) => (message.type === "progress" ? message.done : -1));
    expect(done).toEqual([...done].sort((a, b) => a - b));
    expect(done.at(-1)).toBe(samples);
    expect(messages.every((message) => message.id === 7)).toBe(true);
    // Another seed draws other futures (the comparison above can fail).
    expect(monteCarloSync({ scenario, samples, seed: 43 })).not.toEqual(direct);
  });

  it("answers the tornado with the kernel's sensitivity", async () => {
    const { messages, handle } = collect();
    await handle({ type: "sensitivity", id: 1, scenario });
    expect(messages).toEqual([{ type: "sensitivity", id: 1, result: sensitivity({ scenario }) }]);
  });

  it("stops a run within a chunk of a cancel, saying how many samples were done", async () => {
    const { messages, handle } = collect();
    const samples = 50_000;
    const running = handle({ type: "monteCarlo", id: 3, scenario, samples, seed: 1 });
    // The cancel arrives while the run yields between chunks, as a message would.
    await new Promise((resolve) => setTimeout(resolve, 0));
    await handle({ type: "cancel", id: 3 });
    await running;
    const last = messages.at(-1);
    expect(last?.type).toBe("failed");
    const failure = last?.type === "failed" ? last.failure : null;
    expect(failure?.kind).toBe("cancelled");
    const done = failure?.kind === "cancelled" ? failure.done : -1;
    expect(done).toBeGreaterThan(0);
    expect(done).toBeLessThan(samples);
    expect(done % monteCarloChunkSize(samples)).toBe(0);
  });

  it("reports a scenario the kernel refuses as the kernel's issues", async () => {
    const { messages, handle } = collect();
    await handle({ type: "monteCarlo", id: 9, scenario: { ...scenario, horizonYears: -1 }, samples: 10, seed: 1 });
    const last = messages.at(-1);
    expect(last?.type === "failed" ? last.failure.kind : null).toBe("invalid");
  });
});
