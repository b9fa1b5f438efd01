// `planner throughput`: output tokens/s per GPU for an accelerator × model at a latency target,
// measured (MLPerf / InferenceX / TensorRT-LLM frontier), interpolated, extrapolated along the
// performance model's curve, or estimated by the calibrated performance model.
import { parseArgs } from "node:util";
import { PRICE_BOOK_VERSION, priceBook } from "@aifp/catalog";
import { KNOWN_PRECISIONS, ScenarioError, throughputAt, type ThroughputQuery } from "@aifp/kernel";
import { EXIT, type Command } from "../command.ts";
import type { CliIo } from "../io.ts";

const FLAG_OF_FIELD: Readonly<Record<string, string>> = {
  accelerator: "--accelerator",
  model: "--model",
  inputTokens: "--input",
  outputTokens: "--output",
  interactivityTokensPerSecondPerUser: "--interactivity",
  timeToFirstTokenMs: "--ttft",
  precision: "--precision",
};

const HELP = `planner throughput — output tokens/s per GPU at a latency target

Usage:
  planner throughput --accelerator H200 --model llama2-70b --input 1024 --output 1024
                     [--interactivity 30] [--ttft 2000] [--precision fp8] [--estimate]

Flags:
  --accelerator NAME   Accelerator key or short name: H100, H200, B200, B300, GB200, GB300,
                       MI300X, MI325X, MI350X, MI355X (SXM/HGX boards; name NVL, PCIe and the
                       H200 CTS variant in full, e.g. H200-NVL-141GB).
  --model NAME         Model key: llama2-70b (the MLPerf -99 accuracy variant), llama3.1-8b,
                       llama3.1-405b, mixtral-8x7b, gpt-oss-120b, deepseek-r1 (MLPerf),
                       deepseek-r1-0528 (InferenceX), or any model in the price book.
  --input N            Prompt tokens per request (whole number >= 1).
  --output N           Generated tokens per request (whole number >= 1).
  --interactivity U    Latency target in output tokens/s per user (1000 / time per output
                       token in ms): ~30-50 for chat, 100+ for coding agents. Omit it for the
                       batch end (highest throughput, no latency target).
  --ttft MS            Time-to-first-token target in milliseconds (prefill of the prompt on the
                       parallel group serving it; the performance model checks it).
  --precision P        fp4 (also matches mxfp4/nvfp4), fp8, fp16/bf16, or a specific format.
                       Omit it to take the best measured result at any precision.
  --estimate           Ignore the measurements of this exact accelerator × model and estimate
                       from the rest (leave-one-out), printing the measured value beside the
                       estimate so you can see how good estimates are.
  --help               This text.

Output (JSON on stdout):
  outputTokensPerSecondPerGpu  output tokens per second per GPU at the target
  basis                        "measured" (a frontier point), "interpolated" (Steffen monotone
                               interpolation between two), "extrapolated" (beyond the last measured
                               point along the performance model's curve; extrapolatedFrom names
                               the point), or "estimated" (the performance model calibrated on the
                               measured points; see docs/throughput.md for its held-out error)
  physicalLimitTokensPerSecondPerUser  the fastest one user can be served (batch 1, widest group)
  timeToFirstTokenMs, gpuTimeShare     the model's prefill time and input/output share of GPU time
  sources                      the measurements used: id, benchmark, system, URL, date
  inputTokensPerSecondPerGpu   prefill rate (input tokens/s per GPU) and inputBasis
  clamped, lengths, notes      what was assumed, in words

Sequence lengths: InferenceX points carry nominal input/output lengths and the nearest are used;
MLPerf points use the benchmark's fixed dataset. The result says when lengths differ.

Exit codes: 0 ok; 2 invalid input (the message names the flag); 3 valid but impossible, e.g. an
interactivity above the physical limit of that accelerator (the message gives the limit).

Data: price book ${PRICE_BOOK_VERSION} (@aifp/catalog).`;

function parseWhole(flag: string, text: string | undefined, errors: string[]): number | undefined {
  if (text === undefined) {
    errors.push(`${flag}: required (a whole number of tokens >= 1)`);
    return undefined;
  }
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < 1) {
    errors.push(`${flag}: expected a whole number >= 1, got "${text}"`);
    return undefined;
  }
  return value;
}

/**
 * Runs `planner throughput` with `args` (after the command name); returns the exit code:
 * 0 ok, 2 invalid input (each message names its flag), 3 valid but impossible (says why).
 */
export function runThroughput(args: readonly string[], io: Pick<CliIo, "stdout" | "stderr">): number {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      strict: true,
      allowPositionals: false,
      options: {
        accelerator: { type: "string" },
        model: { type: "string" },
        input: { type: "string" },
        output: { type: "string" },
        interactivity: { type: "string" },
        ttft: { type: "string" },
        precision: { type: "string" },
        estimate: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    io.stderr(`planner throughput: ${(error as Error).message}\nSee: npx planner throughput --help\n`);
    return EXIT.invalid;
  }
  const flags = parsed.values;
  if (flags.help) {
    io.stdout(`${HELP}\n`);
    return EXIT.ok;
  }
  const errors: string[] = [];
  if (!flags.accelerator) errors.push("--accelerator: required (e.g. H200)");
  if (!flags.model) errors.push("--model: required (e.g. llama2-70b)");
  const inputTokens = parseWhole("--input", flags.input, errors);
  const outputTokens = parseWhole("--output", flags.output, errors);
  let interactivity: number | undefined;
  if (flags.interactivity !== undefined) {
    interactivity = Number(flags.interactivity);
    if (flags.interactivity.trim() === "" || !Number.isFinite(interactivity) || interactivity <= 0) {
      errors.push(`--interactivity: expected tokens/s per user > 0, got "${flags.interactivity}"`);
    }
  }
  let ttft: number | undefined;
  if (flags.ttft !== undefined) {
    ttft = Number(flags.ttft);
    if (flags.ttft.trim() === "" || !Number.isFinite(ttft) || ttft <= 0) {
      errors.push(`--ttft: expected milliseconds > 0, got "${flags.ttft}"`);
    }
  }
  if (flags.precision !== undefined && !KNOWN_PRECISIONS.includes(flags.precision.trim().toLowerCase())) {
    errors.push(`--precision: expected one of ${KNOWN_PRECISIONS.join(", ")}, got "${flags.precision}"`);
  }
  if (errors.length > 0) {
    io.stderr(`${errors.join("\n")}\n`);
    return EXIT.invalid;
  }
  const query: ThroughputQuery = {
    accelerator: flags.accelerator!,
    model: flags.model!,
    inputTokens: inputTokens!,
    outputTokens: outputTokens!,
    interactivityTokensPerSecondPerUser: interactivity ?? null,
    timeToFirstTokenMs: ttft ?? null,
    precision: flags.precision ?? null,
    leaveOneOut: flags.estimate === true,
  };
  try {
    const result = throughputAt(query, {
      throughputPoints: priceBook.throughputPoints,
      accelerators: priceBook.accelerators,
      models: priceBook.models,
      modelArchitectures: priceBook.modelArchitectures,
      throughputCalibration: priceBook.throughputCalibration ?? null,
    });
    const { outputTokensPerSecondPerGpu, basis, sources, ...rest } = result;
    io.stdout(
      `${JSON.stringify({ outputTokensPerSecondPerGpu, basis, sources, ...rest, priceBookVersion: PRICE_BOOK_VERSION }, null, 2)}\n`,
    );
    return EXIT.ok;
  } catch (error) {
    if (error instanceof ScenarioError) {
      const lines = error.issues.map((issue) => `${FLAG_OF_FIELD[issue.path] ?? issue.path}: ${issue.message}`);
      io.stderr(
        `${(error.kind === "infeasible" ? ["planner throughput: impossible:", ...lines] : lines).join("\n")}\n`,
      );
      return error.kind === "invalid" ? EXIT.invalid : EXIT.infeasible;
    }
    throw error;
  }
}

/** The command-table entry. */
export const throughputCommand: Command = {
  name: "throughput",
  summary: "output tokens/s per GPU for an accelerator and model at a latency target",
  help: HELP,
  run: async (args, io) => runThroughput(args, io),
};
