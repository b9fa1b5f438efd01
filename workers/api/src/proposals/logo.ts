/**
 * The vendor's logo on a proposal: PNG or JPEG only (no SVG: it can carry script), at most
 * {@link MAX_LOGO_BYTES} bytes and {@link MAX_LOGO_SIDE_PX} pixels a side. The declared content
 * type must match the file's magic bytes, and the header must parse (PNG IHDR, JPEG SOFn), so a
 * renamed or truncated file is refused with a message naming the field.
 */

import { MAX_LOGO_BYTES } from "@aifp/contracts/api";

// The cap is part of the wire contract (the body schema sizes its base64 by it).
export { MAX_LOGO_BYTES };
/** Longest side accepted, pixels. */
export const MAX_LOGO_SIDE_PX = 4096;

export type { CheckedLogo, LogoContentType } from "@aifp/contracts/api";
import type { CheckedLogo, LogoContentType } from "@aifp/contracts/api";

/** Why a logo was refused, in words for the `vendor.logo` field. */
export class LogoError extends Error {
  readonly path: string;
  constructor(path: string, message: string) {
    super(message);
    this.path = path;
  }
}

/** Decode standard base64 (no data: URL prefix, no whitespace) or throw a {@link LogoError}. */
export function decodeBase64(text: string, path: string): Uint8Array<ArrayBuffer> {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) {
    throw new LogoError(path, "expected standard base64 (A-Z, a-z, 0-9, +, /, = padding) without a data: prefix");
  }
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Base64 of bytes (standard alphabet, padded). */
export function encodeBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function readUint32(bytes: Uint8Array, offset: number): number {
  return (
    (bytes[offset] ?? 0) * 0x1000000 +
    ((bytes[offset + 1] ?? 0) << 16) +
    ((bytes[offset + 2] ?? 0) << 8) +
    (bytes[offset + 3] ?? 0)
  );
}

function readUint16(bytes: Uint8Array, offset: number): number {
  return ((bytes[offset] ?? 0) << 8) | (bytes[offset + 1] ?? 0);
}

/** Width and height of a PNG from its IHDR chunk, or null when the header is not a PNG's. */
export function pngSize(bytes: Uint8Array): { widthPx: number; heightPx: number } | null {
  if (bytes.length < 33 || PNG_SIGNATURE.some((byte, i) => bytes[i] !== byte)) return null;
  const chunkType = String.fromCharCode(bytes[12] ?? 0, bytes[13] ?? 0, bytes[14] ?? 0, bytes[15] ?? 0);
  if (chunkType !== "IHDR") return null;
  return { widthPx: readUint32(bytes, 16), heightPx: readUint32(bytes, 20) };
}

/** Width and height of a JPEG from its first SOFn marker, or null when it is not a JPEG's. */
export function jpegSize(bytes: Uint8Array): { widthPx: number; heightPx: number } | null {
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) return null;
  let offset = 2;
  while (offset + 9 < bytes.length) {
    if (bytes[offset] !== 0xff) return null;
    const marker = bytes[offset + 1] ?? 0;
    if (marker === 0xff) {
      offset += 1; // fill byte
      continue;
    }
    const length = readUint16(bytes, offset + 2);
    if (length < 2) return null;
    // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC) carry the frame size.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { heightPx: readUint16(bytes, offset + 5), widthPx: readUint16(bytes, offset + 7) };
    }
    offset += 2 + length;
  }
  return null;
}

/**
 * Check a logo sent as `{ contentType, dataBase64 }`: decodes it, checks size, type (magic bytes
 * against the declared type) and dimensions, and hashes it.
 * @param path the field path used in error messages (`vendor.logo`)
 */
export async function checkLogo(
  input: { contentType: LogoContentType; dataBase64: string },
  path: string,
): Promise<CheckedLogo> {
  const bytes = decodeBase64(input.dataBase64, `${path}.dataBase64`);
  if (bytes.length === 0) throw new LogoError(`${path}.dataBase64`, "expected an image, got 0 bytes");
  if (bytes.length > MAX_LOGO_BYTES) {
    throw new LogoError(
      `${path}.dataBase64`,
      `expected at most ${MAX_LOGO_BYTES} bytes (256 KiB) of image, got ${bytes.length}`,
    );
  }
  const size = input.contentType === "image/png" ? pngSize(bytes) : jpegSize(bytes);
  if (!size) {
    const actual = pngSize(bytes) ? "a PNG" : jpegSize(bytes) ? "a JPEG" : "neither a PNG nor a JPEG";
    throw new LogoError(`${path}.contentType`, `declared ${input.contentType}, but the bytes are ${actual}`);
  }
  if (size.widthPx < 1 || size.heightPx < 1 || size.widthPx > MAX_LOGO_SIDE_PX || size.heightPx > MAX_LOGO_SIDE_PX) {
    throw new LogoError(
      `${path}.dataBase64`,
      `expected 1 to ${MAX_LOGO_SIDE_PX} pixels a side, got ${size.widthPx} × ${size.heightPx}`,
    );
  }
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  let sha256 = "";
  for (const byte of digest) sha256 += byte.toString(16).padStart(2, "0");
  return {
    contentType: input.contentType,
    dataBase64: input.dataBase64,
    bytes: bytes.length,
    widthPx: size.widthPx,
    heightPx: size.heightPx,
    sha256,
  };
}
