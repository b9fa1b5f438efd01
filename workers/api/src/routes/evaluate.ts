import { Hono } from "hono";
import { EvaluationSchema } from "@aifp/contracts";
import { PlanningQuerySchema } from "@aifp/contracts/api";
import type { AppEnv } from "../app.ts";
import { documented } from "../openapi-registry.ts";
import { ScenarioInputSchema, evaluateScenario } from "../planner.ts";
import { callerQuotes } from "./quotes.ts";
import { publicPlanningLimit } from "./before.ts";

const validated = documented({
  method: "post",
  path: "/evaluate",
  tag: "Evaluate",
  summary: "Evaluate a scenario (stateless): the kernel's result, as `npx planner evaluate` prints it",
  description:
    "Public. Catalog references (sku, offer, region, model, accelerator) are resolved through the current price book first; the answer is the kernel's result unchanged plus `priceBookVersion`, `priceBookContentHash`, `usedFigures` (every catalog figure used, with source, date and confidence) and `notes`. With an API key or a session, the organisation's quotes replace public prices while valid on the scenario's first month (`usedFigures` origin `quote`; `?quotes=none` for public figures only). Without a key, rate-limited per client IP; with a key, per key. 400 names every invalid field; 422 `infeasible_scenario` for a valid scenario that cannot be served.",
  access: "public",
  publicRateLimited: true,
  query: PlanningQuerySchema,
  requestBody: { schema: ScenarioInputSchema, required: true },
  responses: {
    200: {
      description: "The evaluation result with its provenance (`@aifp/contracts` EvaluationSchema)",
      schema: EvaluationSchema,
    },
  },
});

/** `POST /evaluate`: scenario in, result out; nothing stored. */
export const evaluateRoutes = new Hono<AppEnv>().post("/", publicPlanningLimit("evaluate"), validated, async (c) => {
  const quotes = await callerQuotes(c, c.req.valid("query").quotes);
  const scenario = c.req.valid("json");
  const evaluation = evaluateScenario(scenario, quotes);
  c.header("X-Price-Book-Version", evaluation.priceBookVersion);
  c.header("X-Kernel-Version", evaluation.kernelVersion);
  return c.json(evaluation.wire);
});
