import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { secureHeaders } from "hono/secure-headers";
import type { Env } from "./env.ts";
import { ApiError, errorResponse } from "./errors.ts";
import { requestId } from "./request-id.ts";
import { healthRoutes } from "./routes/health.ts";

export interface AppEnv {
  Bindings: Env;
  Variables: { requestId: string };
}

/** The hono application: middleware, error mapping and the /api/v1 route mounts. */
export const app = new Hono<AppEnv>().basePath("/api/v1");

app.use("*", requestId);
app.use("*", secureHeaders());

app.route("/health", healthRoutes);

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
