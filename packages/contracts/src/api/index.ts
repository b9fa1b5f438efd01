/**
 * Every wire shape of the HTTP API (`/api/v1`): the valibot schemas the API validates with and
 * generates its OpenAPI document from, and the types the web app and CLI read responses as.
 * One declaration each (issue 20, ADR 034): a consumer that re-declares one of these fails the
 * mirror check (`packages/contracts/src/api/mirrors.test.ts`).
 */
export * from "./accounts.ts";
export * from "./health.ts";
export * from "./jobs.ts";
export * from "./price-books.ts";
export * from "./proposal-content.ts";
export * from "./proposals.ts";
export * from "./quotes.ts";
export * from "./resources.ts";
export * from "./scenarios.ts";
export * from "./routes.ts";
export * from "./queries.ts";
