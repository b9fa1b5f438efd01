export * from "./guard.ts";
export * from "./tenancy.ts";
export * from "./catalog.ts";
export * from "./auth.ts";
export * from "./proposals.ts";
export * from "./jobs.ts";
