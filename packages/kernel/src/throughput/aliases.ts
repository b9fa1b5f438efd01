/**
 * Friendly names for accelerators and models. The catalog keys are precise
 * (`H200-SXM-141GB`, `llama2-70b-99`); people type `H200` and `llama2-70b`.
 *
 * Resolution order, case-insensitive, against the keys actually present in the data:
 * 1. the exact key;
 * 2. the documented alias table below, when its target key is present;
 * 3. a unique key that starts with the name followed by `-` (so `MI325X` finds `MI325X-256GB`);
 * 4. otherwise an error listing the candidates (ambiguous) or the known keys (unknown).
 */

/**
 * Short accelerator names → the key meant. Where a name covers several parts, the SXM/HGX
 * board is chosen (the one the MLPerf and InferenceX headline results use); the H200 CTS
 * custom-thermal variant and NVL/PCIe cards must be named in full.
 */
export const ACCELERATOR_ALIASES: Readonly<Record<string, string>> = {
  H100: "H100-SXM-80GB",
  "H100-SXM": "H100-SXM-80GB",
  H200: "H200-SXM-141GB",
  "H200-SXM": "H200-SXM-141GB",
  B200: "B200-SXM-180GB",
  "B200-SXM": "B200-SXM-180GB",
  B300: "B300-SXM-270GB",
  "B300-SXM": "B300-SXM-270GB",
  GB200: "GB200-186GB",
  GB300: "GB300-288GB",
  MI300X: "MI300X-192GB",
  MI325X: "MI325X-256GB",
  MI350X: "MI350X-288GB",
  MI355X: "MI355X-288GB",
};

/**
 * Model names → the key meant. MLPerf runs Llama 2 70B at two accuracy targets, `-99` and
 * `-99.9` (99% / 99.9% of the FP16 reference): the same weights, the stricter target sometimes
 * forcing a higher precision. `llama2-70b` means the `-99` variant. The catalog (`@aifp/catalog`)
 * files both benchmarks under the one model key `llama2-70b`; since every `-99.9` result also
 * meets the `-99` target, the frontier (best at each interactivity) is then the `-99` one. Both
 * directions are listed so either key layout resolves; an exact key always wins.
 */
export const MODEL_ALIASES: Readonly<Record<string, string>> = {
  "llama2-70b": "llama2-70b-99",
  "llama-2-70b": "llama2-70b",
  "llama2-70b-99": "llama2-70b",
  "llama2-70b-99.9": "llama2-70b",
};

/** How a name was resolved. */
export interface ResolvedName {
  /** The key found. */
  key: string;
  /** What was asked for. */
  requested: string;
  /** `exact`, `alias` (table), or `prefix` (unique key starting with the name). */
  via: "exact" | "alias" | "prefix";
}

/** A name that matched no key, or several. */
export interface UnresolvedName {
  requested: string;
  /** Keys starting with the name when ambiguous; empty when nothing matched. */
  candidates: string[];
}

/**
 * Resolves `requested` against `knownKeys` with the aliases `aliases` (see module doc for the
 * order). Pure: no catalog access; the caller passes the keys present in its data.
 */
export function resolveName(
  requested: string,
  knownKeys: readonly string[],
  aliases: Readonly<Record<string, string>>,
): ResolvedName | UnresolvedName {
  const wanted = requested.trim().toLowerCase();
  const byLower = new Map<string, string>();
  for (const key of knownKeys) byLower.set(key.toLowerCase(), key);
  const exact = byLower.get(wanted);
  if (exact !== undefined) return { key: exact, requested, via: "exact" };
  for (const [alias, target] of Object.entries(aliases)) {
    if (alias.toLowerCase() === wanted) {
      const key = byLower.get(target.toLowerCase());
      if (key !== undefined) return { key, requested, via: "alias" };
    }
  }
  const prefixed = [...byLower.entries()].filter(([lower]) => lower.startsWith(`${wanted}-`)).map(([, key]) => key);
  const unique = [...new Set(prefixed)].sort();
  if (unique.length === 1) return { key: unique[0]!, requested, via: "prefix" };
  return { requested, candidates: unique };
}

/** Type guard: did `resolveName` find a key? */
export function isResolved(result: ResolvedName | UnresolvedName): result is ResolvedName {
  return "key" in result;
}
