/**
 * The serving stack as an explicit choice (ADR 017): the software that serves the model, whose
 * licence per GPU-year applies to every path that runs it — owned or leased — and to none of the
 * API paths (a token price already includes it). Default: open source (vLLM, SGLang,
 * TensorRT-LLM), no licence.
 */
import type { Figure, PriceBook } from "./types.ts";

export type ServingStack = "open-source" | "nvidia-ai-enterprise" | "amd-enterprise-ai" | "none";

export const SERVING_STACKS: readonly ServingStack[] = [
  "open-source",
  "nvidia-ai-enterprise",
  "amd-enterprise-ai",
  "none",
];

export const DEFAULT_SERVING_STACK: ServingStack = "open-source";

/** Plain-words name of a stack. */
export const SERVING_STACK_NAMES: Readonly<Record<ServingStack, string>> = {
  "open-source": "Open source (vLLM, SGLang, TensorRT-LLM): no licence",
  "nvidia-ai-enterprise": "NVIDIA AI Enterprise / NIM (licence per GPU per year)",
  "amd-enterprise-ai": "AMD Enterprise AI (licence price to be given)",
  none: "No serving-software licence",
};

/** GPU vendor a stack runs on; null when it runs on any. */
const STACK_VENDOR: Readonly<Record<ServingStack, string | null>> = {
  "open-source": null,
  "nvidia-ai-enterprise": "NVIDIA",
  "amd-enterprise-ai": "AMD",
  none: null,
};

/** What a stack costs per GPU on an accelerator of `vendor`. */
export type StackLicence =
  | { kind: "figure"; figure: Figure; key: string }
  /** The stack does not run on this vendor's GPUs: nothing is charged (the resolver says so). */
  | { kind: "not-applicable"; vendor: string }
  /** The stack has no cited price: the person must give one. */
  | { kind: "ask" };

/** The GPU vendor of an accelerator key ("NVIDIA", "AMD", …), from the book, else from the key. */
export function acceleratorVendor(book: PriceBook, accelerator: string): string {
  return (
    book.accelerators.find((item) => item.key === accelerator)?.vendor ??
    (/^MI\d/i.test(accelerator) ? "AMD" : "NVIDIA")
  );
}

/** The licence of `stack` per GPU-year on an accelerator of `vendor`. */
export function stackLicence(book: PriceBook, stack: ServingStack, vendor: string): StackLicence {
  const runsOn = STACK_VENDOR[stack];
  if (runsOn !== null && runsOn !== vendor) return { kind: "not-applicable", vendor };
  if (stack === "none") {
    return {
      kind: "figure",
      key: "servingStack.none",
      figure: {
        value: 0,
        unit: "USD per GPU per year",
        source: "the scenario states no serving-software licence (servingStack: none)",
        asOf: book.dataAsOf,
        confidence: "high",
        derived: false,
        method: null,
      },
    };
  }
  const key = `servingStack.${stack}.usdPerGpuYear`;
  const found = book.defaults.find((item) => item.key === key);
  return found ? { kind: "figure", key, figure: found.figure } : { kind: "ask" };
}
