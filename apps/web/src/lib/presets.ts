/**
 * Presets the wizard offers in plain words: use-case templates (tokens per request) and latency
 * targets (tokens per second per user). Each carries the source it rests on; where the mapping
 * from a source to a use case is ours, it says so ("planner preset").
 */

/** Where a preset number comes from, shown next to it. */
export interface PresetSource {
  source: string;
  asOf: string;
  confidence: "high" | "medium" | "low";
  /** How a derived number was computed; null when taken as published. */
  method: string | null;
}

export type LatencyKey = "batch" | "reading" | "interactive" | "fast" | "agent";

export interface LatencyPreset {
  key: LatencyKey;
  /** The target in words, as a CFO would say it. */
  label: string;
  /** Output tokens per second each user sees; null: no one waits (batch). */
  tokensPerSecondPerUser: number | null;
  /**
   * Time to first token the target implies, ms (MLPerf's p99 TTFT limit of the same scenario);
   * null where no source pairs one with the speed.
   */
  timeToFirstTokenMs: number | null;
  explanation: string;
  provenance: PresetSource;
}

const READING_SPEED: PresetSource = {
  source:
    "Brysbaert (2019), 'How many words do we read per minute?', Journal of Memory and Language 109: 238 words/min silent reading; OpenAI tokenizer guide: 1 token ≈ 0.75 words",
  asOf: "2019-12",
  confidence: "medium",
  method: "238 words/min ÷ 60 ÷ 0.75 words per token ≈ 5.3 tokens/s, rounded to 5 (also MLPerf Server's floor)",
};

/** Latency targets in words, with the number behind each. */
export const LATENCY_PRESETS: readonly LatencyPreset[] = [
  {
    key: "batch",
    label: "No one is waiting (batch jobs)",
    tokensPerSecondPerUser: null,
    timeToFirstTokenMs: null,
    explanation:
      "Throughput at the batch end: the servers run as full as they can, answers arrive when they are ready.",
    provenance: {
      source: "MLPerf Inference Offline scenario (no latency limit), MLCommons",
      asOf: "2025-09",
      confidence: "high",
      method: null,
    },
  },
  {
    key: "reading",
    label: "About as fast as a person reads",
    tokensPerSecondPerUser: 5,
    // MLPerf Server, Llama 2 70B: p99 TTFT ≤ 2,000 ms with TPOT ≤ 200 ms (mlperf.conf; catalog SOURCES.md).
    timeToFirstTokenMs: 2000,
    explanation:
      "Text appears about as fast as people read it; the MLPerf Server limit for Llama 2 70B (200 ms per token, first token within 2 s).",
    provenance: READING_SPEED,
  },
  {
    key: "interactive",
    label: "Comfortably faster than reading",
    tokensPerSecondPerUser: 25,
    // MLPerf Interactive, Llama 2 70B: p99 TTFT ≤ 450 ms with TPOT ≤ 40 ms (mlperf.conf; catalog SOURCES.md).
    timeToFirstTokenMs: 450,
    explanation:
      "Answers stream about five times faster than reading: the MLPerf Interactive limit (40 ms per token, first token within 0.45 s).",
    provenance: {
      source:
        "MLPerf Inference v5.0+ Interactive scenario, Llama 2 70B: p99 time per output token 40 ms ⇒ 25 tokens/s per user",
      asOf: "2025-04",
      confidence: "high",
      method: "1000 ms ÷ 40 ms per token = 25 tokens/s",
    },
  },
  {
    key: "fast",
    label: "Fast chat, like the leading model APIs",
    tokensPerSecondPerUser: 35,
    timeToFirstTokenMs: null,
    explanation: "The speed at which InferenceX compares model-API providers' prices.",
    provenance: {
      source: "SemiAnalysis InferenceX v2 write-up: OpenRouter provider prices compared at about 35 tokens/s per user",
      asOf: "2026-02-16",
      confidence: "medium",
      method: null,
    },
  },
  {
    key: "agent",
    label: "Agent speed: tools and code, no human reading",
    tokensPerSecondPerUser: 100,
    timeToFirstTokenMs: null,
    explanation: "Agents and coding tools chain many calls, so each must be quick: 100 tokens/s per user or more.",
    provenance: {
      source: "SemiAnalysis InferenceX: throughput read at 100+ tokens/s per user for coding and multi-step agents",
      asOf: "2026-02-16",
      confidence: "low",
      method: null,
    },
  },
];

export type UseCaseKey = "chat" | "coding" | "retrieval" | "agentic" | "batch";

export interface UseCasePreset {
  key: UseCaseKey;
  label: string;
  description: string;
  inputTokensPerRequest: number;
  outputTokensPerRequest: number;
  latency: LatencyKey;
  provenance: PresetSource;
}

const INFERENCEX_LENGTHS = "SemiAnalysis InferenceX benchmark sequence lengths (1k/1k, 1k/8k, 8k/1k tokens)";

/** Use-case templates: tokens per request and a latency target. */
export const USE_CASES: readonly UseCasePreset[] = [
  {
    key: "chat",
    label: "Chat assistant",
    description: "Employees or customers ask questions and read the answers as they stream.",
    inputTokensPerRequest: 1024,
    outputTokensPerRequest: 1024,
    latency: "fast",
    provenance: {
      source: INFERENCEX_LENGTHS,
      asOf: "2026-02-16",
      confidence: "low",
      method: "planner preset: the 1k in / 1k out benchmark shape for a chat turn",
    },
  },
  {
    key: "coding",
    label: "Coding agent",
    description: "An assistant reads a lot of code and writes a focused change, often in loops.",
    inputTokensPerRequest: 8192,
    outputTokensPerRequest: 1024,
    latency: "agent",
    provenance: {
      source: INFERENCEX_LENGTHS,
      asOf: "2026-02-16",
      confidence: "low",
      method: "planner preset: the 8k in / 1k out benchmark shape (long context, short answer)",
    },
  },
  {
    key: "retrieval",
    label: "Retrieval and search",
    description: "Documents are retrieved and summarised into an answer for a person.",
    inputTokensPerRequest: 8192,
    outputTokensPerRequest: 1024,
    latency: "interactive",
    provenance: {
      source: INFERENCEX_LENGTHS,
      asOf: "2026-02-16",
      confidence: "low",
      method: "planner preset: the 8k in / 1k out benchmark shape (retrieved passages in, a short answer out)",
    },
  },
  {
    key: "agentic",
    label: "Agentic workflows",
    description: "Multi-step agents that plan and reason at length before acting.",
    inputTokensPerRequest: 1024,
    outputTokensPerRequest: 8192,
    latency: "agent",
    provenance: {
      source: INFERENCEX_LENGTHS,
      asOf: "2026-02-16",
      confidence: "low",
      method: "planner preset: the 1k in / 8k out benchmark shape (long reasoning output)",
    },
  },
  {
    key: "batch",
    label: "Batch summarisation",
    description: "Large document sets processed overnight; nobody waits on a single answer.",
    inputTokensPerRequest: 8192,
    outputTokensPerRequest: 1024,
    latency: "batch",
    provenance: {
      source: INFERENCEX_LENGTHS,
      asOf: "2026-02-16",
      confidence: "low",
      method: "planner preset: the 8k in / 1k out benchmark shape, no latency target",
    },
  },
];

/** The use-case preset for a key (the chat preset for an unknown key). */
export function useCasePreset(key: string): UseCasePreset {
  return USE_CASES.find((preset) => preset.key === key) ?? (USE_CASES[0] as UseCasePreset);
}

/** The latency preset for a key, or undefined for a custom target. */
export function latencyPreset(key: string): LatencyPreset | undefined {
  return LATENCY_PRESETS.find((preset) => preset.key === key);
}

/**
 * The model a new plan opens on for each use case (issue 18 item 5): a chat or retrieval
 * assistant is a 70B-class chat model, not a 671B reasoning model. The first of the list the
 * price book can serve is chosen; a use case without an entry keeps the catalog's default.
 */
export const PREFERRED_MODELS: Readonly<Partial<Record<UseCaseKey, readonly string[]>>> = {
  chat: ["llama3.3-70b", "llama2-70b"],
  retrieval: ["llama3.3-70b", "llama2-70b"],
  coding: ["llama3.3-70b", "gpt-oss-120b"],
};
