export * from "./schema/index.ts";
export * from "./tenancy/secrets.ts";
