/**
 * The API's own resource schemas (organisations, keys, scenarios as stored objects, plans,
 * export links, the error envelope) live in `@aifp/contracts/api`, one declaration shared with
 * the web app and the CLI (ADR 034). Re-exported here for the API's many imports.
 */
export * from "@aifp/contracts/api";
