import { Hono } from "hono";
import { MAX_API_RISK_SAMPLES, RiskAnalysisSchema } from "@aifp/contracts";
import { PlanningQuerySchema } from "@aifp/contracts/api";
import type { AppEnv } from "../app.ts";
import { callerPrincipal } from "../auth.ts";
import { documented } from "../openapi-registry.ts";
import { computed } from "../compute.ts";
import { API_JOB_LIMITS, API_PLAN_LIMITS, RiskRequestSchema, placeRisk } from "../planner.ts";
import { JOB_ACCEPTED_RESPONSE, startJob } from "./jobs.ts";
import { callerQuotes } from "./quotes.ts";
import { publicPlanningLimit } from "./before.ts";

const validated = documented({
  method: "post",
  path: "/risk",
  tag: "Optimise",
  summary:
    "How sure is the answer: tornado, break-even points and a seeded Monte Carlo (stateless), as `npx planner risk` prints it",
  description: [
    'Public. Body: `{ "scenario": { … }, "risk": { "samples": 1000, "seed": 1, "drivers": [{ "id": "pue", "low": 1.2, "high": 1.5 }] } }`. Catalog references are resolved through the current price book first (with an API key or a session, through the organisation\'s quotes too; `?quotes=none` for public figures only).',
    `The same seed gives the same figures. At most ${MAX_API_RISK_SAMPLES.toLocaleString("en-US")} samples, ${API_PLAN_LIMITS.maxOptions} options and ${API_PLAN_LIMITS.maxSampleMonths.toLocaleString("en-US")} sample-months (samples × horizon months) per request; run more with \`npx planner risk\` or in the web app.`,
    `With an API key or a session, a request beyond one request's work budget (${API_PLAN_LIMITS.maxRiskWork.toLocaleString("en-US")} sample × month × option units) but within a job's (${API_JOB_LIMITS.maxRiskWork.toLocaleString("en-US")}) is accepted as a background job: 202 with \`Location: /api/v1/jobs/{id}\`.`,
    "400 names every invalid field; 422 `infeasible_scenario` for a scenario that cannot be served. Without a key, rate-limited per client IP.",
  ].join(" "),
  access: "public",
  publicRateLimited: true,
  query: PlanningQuerySchema,
  requestBody: { schema: RiskRequestSchema, required: true },
  responses: {
    200: {
      description: "Sensitivity and Monte Carlo (`@aifp/contracts` RiskAnalysisSchema)",
      schema: RiskAnalysisSchema,
    },
    202: JOB_ACCEPTED_RESPONSE,
  },
});

/** `POST /risk`: scenario and risk settings in, tornado, break-evens and percentiles out; nothing stored. */
export const riskRoutes = new Hono<AppEnv>().post("/", publicPlanningLimit("risk"), validated, async (c) => {
  const principal = await callerPrincipal(c);
  const quotes = await callerQuotes(c, c.req.valid("query").quotes);
  const request = c.req.valid("json");
  if (principal !== null && placeRisk(request, true) === "job")
    return startJob(c, principal, "risk", request, quotes, request.risk?.samples ?? 1000);
  // The Monte Carlo runs in the compute Worker (ADR 029): this isolate only awaits it.
  const answer = await computed(c.env.COMPUTE.risk(request, quotes));
  c.header("X-Price-Book-Version", answer.priceBookVersion);
  c.header("X-Kernel-Version", answer.kernelVersion);
  return c.json(answer);
});
