// The one canonical JSON (RFC 8785 manner) lives in @aifp/formats, shared with the price book build.
export { canonicalJson } from "@aifp/formats";
