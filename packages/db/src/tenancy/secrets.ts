/**
 * Secrets for API keys and export links (docs/reliability.md §2.6): 32 random bytes (256 bits, well
 * over the 128 required) in base58 behind a readable prefix; only SHA-256 of the whole string is
 * ever stored. WebCrypto only, so the same code runs in workerd (the API) and Node 24 (scripts).
 */

const BASE58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

/** Prefix of every API key; `aifp_live_…` is easy to grep for in leaked logs and repos. */
export const API_KEY_PREFIX = "aifp_live_";
/** Prefix of every export-link token. */
export const LINK_TOKEN_PREFIX = "aifp_link_";
/** Random bytes in each secret: 32 bytes = 256 bits of entropy. */
export const SECRET_RANDOM_BYTES = 32;
/** Characters of the secret shown after the prefix in lists and logs (`start`). */
export const DISPLAY_START_CHARS = 6;

/** Base58 (Bitcoin alphabet) of a byte string: no `0OIl`, no punctuation, URL-safe. */
export function base58(bytes: Uint8Array): string {
  // Little-endian base-58 digits of the big number, without leading zero digits.
  const digits: number[] = [];
  for (const byte of bytes) {
    let carry = byte;
    for (let i = 0; i < digits.length; i++) {
      const value = (digits[i] as number) * 256 + carry;
      digits[i] = value % 58;
      carry = Math.floor(value / 58);
    }
    while (carry > 0) {
      digits.push(carry % 58);
      carry = Math.floor(carry / 58);
    }
  }
  let out = "";
  // Each leading zero byte is one "1", as in Bitcoin's encoding.
  for (const byte of bytes) {
    if (byte !== 0) break;
    out += "1";
  }
  for (let i = digits.length - 1; i >= 0; i--) out += BASE58_ALPHABET[digits[i] as number];
  return out;
}

/** A new random secret: `prefix` + base58 of 32 random bytes (≈ 43–44 characters). */
export function generateSecret(prefix: string): string {
  return prefix + base58(crypto.getRandomValues(new Uint8Array(SECRET_RANDOM_BYTES)));
}

/** SHA-256 of a UTF-8 string as lower-case hex (64 characters). */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  let hex = "";
  for (const byte of new Uint8Array(digest)) hex += byte.toString(16).padStart(2, "0");
  return hex;
}

/** The display start of a secret: its prefix plus the first 6 characters of the random part. */
export function displayStart(secret: string, prefix: string): string {
  return secret.slice(0, prefix.length + DISPLAY_START_CHARS);
}

/** Matches any API key this product issues: for scans of dumps and logs (S3). */
export const API_KEY_PATTERN = /aifp_live_[1-9A-HJ-NP-Za-km-z]{30,}/;

/** A newly minted API key: the plaintext (show once) and what may be stored. */
export interface MintedApiKey {
  plaintext: string;
  keyHash: string;
  start: string;
}

/** Mint an API key: `aifp_live_` + base58(32 random bytes), its SHA-256 hex and display start. */
export async function mintApiKey(): Promise<MintedApiKey> {
  const plaintext = generateSecret(API_KEY_PREFIX);
  return { plaintext, keyHash: await sha256Hex(plaintext), start: displayStart(plaintext, API_KEY_PREFIX) };
}
