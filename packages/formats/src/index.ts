/**
 * Small text formats every floor needs, written once: canonical JSON, CSV with the
 * formula-injection guard, and base64url. No dependencies, no Node or Workers APIs beyond
 * `btoa`/`atob`, so the kernel's neighbours (catalog), the contracts, the API, the web app and
 * the CLI may all import it; chart axis ticks, shared by the proposal charts on screen and in the PDF (docs/decisions/031-rooms-and-shared-formats.md).
 */
export { canonicalJson } from "./canonical-json.ts";
export { FORMULA_TRIGGERS, csvLine, csvText, neutralise, quoteCsvField, wellFormed } from "./csv.ts";
export { base64UrlToBytes, bytesToBase64Url, textToBase64Url } from "./base64url.ts";
export { niceTicks } from "./ticks.ts";
