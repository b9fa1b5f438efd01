import { requestId as honoRequestId } from "hono/request-id";

const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";

/** A random, prefixed identifier (`req_…`, `scn_…`): 16 random bytes in Crockford-style base32. */
export function randomId(prefix: string): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let out = "";
  for (const byte of bytes) out += ALPHABET[byte & 31];
  return `${prefix}_${out}`;
}

/**
 * Gives every request an id, echoed in `X-Request-Id` and in every error body: hono's request-id
 * middleware with our `req_…` ids. A caller may send its own `X-Request-Id` (at most 255
 * characters of `A–Z a–z 0–9 _ - =`, hono's rule) to follow one request across systems; anything
 * else is replaced by a fresh `req_…` (ADR 036).
 */
export const requestId = honoRequestId({ generator: () => randomId("req") });
