import { Hono } from "hono";
import { OptimisationSchema } from "@aifp/contracts";
import { PlanningQuerySchema } from "@aifp/contracts/api";
import type { AppEnv } from "../app.ts";
import { callerPrincipal } from "../auth.ts";
import { computed } from "../compute.ts";
import { documented } from "../openapi-registry.ts";
import { API_JOB_LIMITS, API_PLAN_LIMITS, OptimiseRequestSchema, PINNED_VERSIONS, placeOptimise } from "../planner.ts";
import { JOB_ACCEPTED_RESPONSE, startJob } from "./jobs.ts";
import { callerQuotes } from "./quotes.ts";
import { publicPlanningLimit } from "./before.ts";

const validated = documented({
  method: "post",
  path: "/optimise",
  tag: "Optimise",
  summary:
    "The cheapest mix of owned servers, leased instances and API tokens over the horizon (stateless), as `npx planner optimise` prints it",
  description: [
    'Public. Body: `{ "scenario": { … }, "optimise": { … } }`; any option may carry `availableFrom: "YYYY-MM"`. Catalog references are resolved through the current price book first (with an API key or a session, through the organisation\'s quotes too; `?quotes=none` for public figures only); a hardware generation not on sale at `startMonth` gets the catalog roadmap\'s first month (said in `notes`).',
    `Answer: every strategy compared (each pure build, lease and API option, "own the base, lease the peak", the optimal hybrid) with NPV (USD) and cost per million tokens, the plan per period, what binds in plain words, and the catalog figures used.`,
    `Bounded per request: at most ${API_PLAN_LIMITS.maxPeriods} planning periods, ${API_PLAN_LIMITS.maxOptions} options and ${API_PLAN_LIMITS.maxTimeLimitSeconds} s per solve (400 naming the field beyond). With an API key or a session, up to ${API_JOB_LIMITS.maxPeriods} periods run as a background job: 202 with \`Location: /api/v1/jobs/{id}\`. 400 names every invalid field; 422 \`infeasible_scenario\` says which limit makes the plan impossible (power cap, budget, shares, availability). Without a key, rate-limited per client IP.`,
  ].join(" "),
  access: "public",
  publicRateLimited: true,
  query: PlanningQuerySchema,
  requestBody: { schema: OptimiseRequestSchema, required: true },
  responses: {
    200: {
      description: "The optimised plan (`@aifp/contracts` OptimisationSchema)",
      schema: OptimisationSchema,
    },
    202: JOB_ACCEPTED_RESPONSE,
  },
});

/** `POST /optimise`: scenario and settings in, the optimised plan out; nothing stored. */
export const optimiseRoutes = new Hono<AppEnv>().post("/", publicPlanningLimit("optimise"), validated, async (c) => {
  const principal = await callerPrincipal(c);
  const quotes = await callerQuotes(c, c.req.valid("query").quotes);
  const request = c.req.valid("json");
  if (principal !== null && placeOptimise(request, true) === "job")
    return startJob(c, principal, "optimise", request, quotes, 2);
  // The solve runs in the compute Worker (ADR 029): this isolate only awaits it.
  const answer = await computed(c.env.COMPUTE.optimise(request, quotes));
  c.header("X-Price-Book-Version", answer.priceBookVersion);
  c.header("X-Kernel-Version", PINNED_VERSIONS.kernelVersion);
  return c.json(answer);
});
