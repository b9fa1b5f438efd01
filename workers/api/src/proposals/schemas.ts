/**
 * Wire schemas of proposals and their share links live in `@aifp/contracts/api` (ADR 034);
 * re-exported here for the API's imports.
 */
export * from "@aifp/contracts/api";
