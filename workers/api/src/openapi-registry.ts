import type * as v from "valibot";

/**
 * Every route declares itself here: method, path, who may call it (deny by default: a route
 * without a spec fails the route-inventory test), its request and response schemas (the valibot
 * schemas the handler uses, so the OpenAPI document cannot drift from the code).
 */
/**
 * Who may call a route: `public` (anyone), `link` (the signed token in the URL is the
 * credential), `user` (a person signed in to the web app, not an API key), or the least role
 * in an organisation, through a session or an API key: `viewer` < `editor` < `admin`.
 */
export type Access = "public" | "link" | "user" | "viewer" | "editor" | "admin";

/** The organisation roles among the access levels. */
export const ROLE_ACCESS: readonly Access[] = ["viewer", "editor", "admin"];

export interface ResponseSpec {
  description: string;
  schema?: v.GenericSchema;
  /** Default application/json. */
  contentType?: string;
  headers?: Record<string, string>;
}

export interface RouteSpec {
  method: "get" | "post" | "patch" | "delete";
  /** OpenAPI path under /api/v1, e.g. `/scenarios/{id}`. */
  path: string;
  tag: string;
  summary: string;
  description?: string;
  access: Access;
  requestBody?: { schema: v.GenericSchema; required: boolean; description?: string };
  query?: Record<string, { description: string; schema: Record<string, unknown> }>;
  responses: Record<number, ResponseSpec>;
  /** Accepts `Idempotency-Key`. */
  idempotent?: boolean;
  /** `If-Match`: required (428 without) or optional. */
  ifMatch?: "required" | "optional";
  /** Rate-limited per IP when called without a key. */
  publicRateLimited?: boolean;
}

export const ROUTE_SPECS: RouteSpec[] = [];

/** Register a route's documentation; returns the spec for reuse. */
export function documented(spec: RouteSpec): RouteSpec {
  ROUTE_SPECS.push(spec);
  return spec;
}
