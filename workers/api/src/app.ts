import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import { secureHeaders } from "hono/secure-headers";
import type { Env } from "./env.ts";
import { ApiError, errorResponse } from "./errors.ts";
import { type SessionUser, enforceDeclaredAccess, refuseKeyInQuery } from "./auth.ts";
import { requestId } from "./request-id.ts";
import { API_CSP, docsCsp } from "./security-headers.ts";
import { MAX_JSON_BODY_BYTES } from "./validation.ts";
import { docsPage, openApiRoutes } from "./routes/docs.ts";
import { evaluateRoutes } from "./routes/evaluate.ts";
import { optimiseRoutes } from "./routes/optimise.ts";
import { riskRoutes } from "./routes/risk.ts";
import { jobRoutes } from "./routes/jobs.ts";
import { healthRoutes } from "./routes/health.ts";
import { catalogRoutes } from "./routes/catalog.ts";
import { tokenPriceRoutes } from "./routes/token-prices.ts";
import { priceBookRoutes } from "./routes/price-books.ts";
import { keyRoutes } from "./routes/keys.ts";
import { linkRoutes } from "./routes/links.ts";
import { orgRoutes } from "./routes/orgs.ts";
import { planRoutes } from "./routes/plans.ts";
import { proposalRoutes } from "./routes/proposals.ts";
import { quoteRoutes } from "./routes/quotes.ts";
import { scenarioRoutes } from "./routes/scenarios.ts";
import type { Principal } from "./principal.ts";
import { auditRoutes } from "./routes/audit.ts";
import { authRoutes } from "./routes/auth.ts";
import { invitationRoutes } from "./routes/invitations.ts";
import { meRoutes } from "./routes/me.ts";
import { memberRoutes } from "./routes/members.ts";

export interface AppEnv {
  Bindings: Env;
  /**
   * `principal`: the caller in an organisation (API key or web session), set once authenticated;
   * `user`: the signed-in person behind the session cookie (null: none), set once looked up.
   */
  Variables: { requestId: string; principal?: Principal; user?: SessionUser | null };
}

// The root app carries the human docs page at /api/docs (outside /api/v1); `basePath` returns a
// clone that shares the root's router, so `app.fetch` serves both.
const root = new Hono<AppEnv>();
// Hono's secure headers, with nothing framed (DENY); API responses also get API_CSP (below).
const apiSecureHeaders = secureHeaders({ xFrameOptions: "DENY", referrerPolicy: "no-referrer" });
root.get("/api/docs", requestId, apiSecureHeaders, async (c) => {
  const html = docsPage(new URL(c.req.url).origin);
  c.header("Content-Security-Policy", await docsCsp(html));
  return c.html(html);
});

/** The hono application: middleware, error mapping and the /api/v1 route mounts. */
export const app = root.basePath("/api/v1");

app.use("*", requestId);
app.use("*", apiSecureHeaders);
app.use("*", async (c, next) => {
  await next();
  // Nothing an API response holds (JSON, CSV, XLSX, PDF) may load or run anything.
  c.res.headers.set("Content-Security-Policy", API_CSP);
});
app.use("*", refuseKeyInQuery);
// Deny by default: a route without a declared access level is refused, and the declared role is
// checked here too, before the route's own requireRole (auth.ts).
app.use("*", enforceDeclaredAccess);
// The body-size cap, after authentication (401/403 first): a declared Content-Length over the
// cap is refused unread, a chunked body is counted as it arrives (hono's body-limit).
app.use(
  "*",
  bodyLimit({
    maxSize: MAX_JSON_BODY_BYTES,
    onError: () => {
      throw new ApiError(413, "payload_too_large", `The body is larger than ${MAX_JSON_BODY_BYTES} bytes.`);
    },
  }),
);

app.route("/health", healthRoutes);
app.route("/openapi.json", openApiRoutes);
app.route("/evaluate", evaluateRoutes);
app.route("/optimise", optimiseRoutes);
app.route("/risk", riskRoutes);
app.route("/jobs", jobRoutes);
app.route("/orgs", orgRoutes);
app.route("/keys", keyRoutes);
app.route("/scenarios", scenarioRoutes);
app.route("/plans", planRoutes);
app.route("/proposals", proposalRoutes);
app.route("/quotes", quoteRoutes);
app.route("/links", linkRoutes);
app.route("/catalog", catalogRoutes);
app.route("/catalog", tokenPriceRoutes);
app.route("/price-books", priceBookRoutes);
app.route("/auth", authRoutes);
app.route("/me", meRoutes);
app.route("/members", memberRoutes);
app.route("/invitations", invitationRoutes);
app.route("/audit", auditRoutes);

app.notFound((c) => errorResponse(c, new ApiError(404, "not_found", `No route for ${c.req.method} ${c.req.path}`)));

app.onError((error, c) => {
  if (error instanceof ApiError) return errorResponse(c, error);
  if (error instanceof HTTPException && error.status < 500) {
    return errorResponse(c, new ApiError(error.status, "validation_failed", error.message || "Invalid request"));
  }
  // Log the real cause for operators; the client sees a generic message only.
  console.error(`[${c.get("requestId")}]`, error);
  return errorResponse(
    c,
    new ApiError(500, "internal", "Something went wrong on our side. Quote the requestId if you report it."),
  );
});

export type AppType = typeof app;
