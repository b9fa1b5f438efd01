/**
 * Benchmark section of `throughputAt`, run by `npm run bench` (scripts/bench.ts passes the price
 * book; the kernel does not depend on the catalog). It runs once per build/lease option inside
 * every catalog-resolved evaluation, so on every slider move: the budget is a median under 1 ms
 * per call, for each basis (measured, extrapolated beyond the last measured point, estimated by
 * the performance model with a first-token target).
 */
import { throughputAt, type ThroughputData, type ThroughputQuery } from "../src/index.ts";

const CASES: { name: string; query: ThroughputQuery }[] = [
  {
    name: "measured: H200 × Llama 2 70B @ 25 tok/s/user",
    query: {
      accelerator: "H200",
      model: "llama2-70b",
      inputTokens: 1024,
      outputTokens: 1024,
      interactivityTokensPerSecondPerUser: 25,
    },
  },
  {
    name: "extrapolated: H100 × Llama 2 70B @ 25 tok/s/user",
    query: {
      accelerator: "H100",
      model: "llama2-70b",
      inputTokens: 1024,
      outputTokens: 1024,
      interactivityTokensPerSecondPerUser: 25,
    },
  },
  {
    name: "estimated: MI355X × Llama 3.3 70B @ 76 tok/s/user, TTFT 1 s",
    query: {
      accelerator: "MI355X",
      model: "llama3.3-70b",
      inputTokens: 1024,
      outputTokens: 1024,
      interactivityTokensPerSecondPerUser: 76,
      timeToFirstTokenMs: 1000,
    },
  },
];

export function throughputBenchSection(data: ThroughputData) {
  // Fail loudly before timing: each case must answer (not throw) on this price book.
  for (const c of CASES) throughputAt(c.query, data);
  return {
    title: "throughputAt (kernel, price book)",
    cases: CASES.map((c) => ({ name: c.name, budgetMedianMs: 1, run: () => void throughputAt(c.query, data) })),
  };
}
