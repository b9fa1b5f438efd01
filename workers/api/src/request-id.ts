import type { MiddlewareHandler } from "hono";

const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";

/** A random, prefixed identifier (`req_…`, `scn_…`): 16 random bytes in Crockford-style base32. */
export function randomId(prefix: string): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let out = "";
  for (const byte of bytes) out += ALPHABET[byte & 31];
  return `${prefix}_${out}`;
}

/** Gives every request an id, echoed in `X-Request-Id` and in every error body. */
export const requestId: MiddlewareHandler = async (c, next) => {
  const id = randomId("req");
  c.set("requestId", id);
  c.header("X-Request-Id", id);
  await next();
};
