import * as v from "valibot";

/**
 * `GET /health`: liveness and the versions this server evaluates with, plus how much the built
 * public price book holds (the home page shows it as "catalog size").
 */
export const HealthSchema = v.object({
  status: v.literal("ok"),
  version: v.string(),
  kernelVersion: v.string(),
  priceBookVersion: v.string(),
  catalog: v.optional(v.record(v.string(), v.number())),
});
export type Health = v.InferOutput<typeof HealthSchema>;
