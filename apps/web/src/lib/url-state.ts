/**
 * Compact, URL-safe encoding of the working plan: JSON → deflate-raw (the platform's
 * CompressionStream, no library) → base64url. A typical plan is 150–400 characters, short
 * enough for a query parameter; the same bytes decode in any browser and in Node.
 *
 * Encoded strings start with a version letter ("1") so a future format can coexist.
 */

import { base64UrlToBytes, bytesToBase64Url } from "@aifp/formats";

const FORMAT_PREFIX = "1";

async function pipe(bytes: Uint8Array, transform: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(transform);
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/**
 * Encodes any JSON-serialisable value into a URL-safe string ("1" + base64url(deflate-raw(JSON))).
 * @param value a plain JSON value (no functions, no undefined at the top level)
 */
export async function encodeState(value: unknown): Promise<string> {
  const json = new TextEncoder().encode(JSON.stringify(value));
  const compressed = await pipe(json, new CompressionStream("deflate-raw"));
  return FORMAT_PREFIX + bytesToBase64Url(compressed);
}

/**
 * Decodes a string made by `encodeState`. Throws an Error saying what is wrong when the text is
 * not one of ours (unknown version, bad base64, corrupt data, not JSON), never returns garbage.
 * @param text the encoded string from the URL
 */
export async function decodeState(text: string): Promise<unknown> {
  if (!text.startsWith(FORMAT_PREFIX)) {
    throw new Error("The plan in this link was made by a newer or unknown version of the planner");
  }
  let bytes: Uint8Array;
  try {
    bytes = base64UrlToBytes(text.slice(FORMAT_PREFIX.length));
  } catch {
    throw new Error("The plan in this link is damaged (not valid base64url)");
  }
  let json: string;
  try {
    json = new TextDecoder("utf-8", { fatal: true }).decode(await pipe(bytes, new DecompressionStream("deflate-raw")));
  } catch {
    throw new Error("The plan in this link is damaged (it does not decompress)");
  }
  try {
    return JSON.parse(json) as unknown;
  } catch {
    throw new Error("The plan in this link is damaged (not JSON)");
  }
}
