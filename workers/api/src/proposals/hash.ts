import { canonicalJson } from "../canonical-json.ts";
import { sha256Hex } from "../services/secrets.ts";
import type { ProposalContent, ProposalInputs } from "./content.ts";

/**
 * The content hash of a proposal version (docs/reliability.md §2.9):
 * `SHA-256(JCS({ inputs, price_book_version, engine_version, outputs }))`, lower-case hex, with
 * RFC 8785-style canonical JSON (sorted keys, no whitespace). Recomputing it from the pinned
 * plan, price book and kernel gives the same hash when the engine and runtime match.
 * @param priceBookVersion the plan's pinned price-book version ("YYYY.MM.DD")
 * @param engineVersion the kernel version that computed the plan (semver)
 */
export async function proposalContentHash(
  inputs: ProposalInputs,
  priceBookVersion: string,
  engineVersion: string,
  outputs: ProposalContent,
): Promise<string> {
  return sha256Hex(
    canonicalJson({ inputs, price_book_version: priceBookVersion, engine_version: engineVersion, outputs }),
  );
}
