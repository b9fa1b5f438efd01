export * from "./guard.ts";
export * from "./tenancy.ts";
export * from "./catalog.ts";
