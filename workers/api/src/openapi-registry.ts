import type { MiddlewareHandler } from "hono";
import type * as v from "valibot";
import type { AppEnv } from "./app.ts";
import { optionalJsonBody } from "./body.ts";
import { parseIfMatch, requireIfMatch } from "./etag.ts";
import { jsonBody, parseOr400 } from "./validation.ts";

/**
 * Every route declares itself here, once: method, path, who may call it (deny by default: a route
 * without a spec fails the route-inventory test), its request and response schemas. The same
 * declaration documents the route (`openapi.ts`) and, through the middleware `documented()`
 * returns, validates its requests, so the OpenAPI document cannot drift from the code (ADR 040).
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

/**
 * A query string: a valibot object of optional entries, each with a `v.description` (the
 * parameter's description in the document). Query values are strings; see
 * `@aifp/contracts/api` `queries.ts`.
 */
export type QuerySchema =
  | v.ObjectSchema<v.ObjectEntries, v.ErrorMessage<v.ObjectIssue> | undefined>
  | v.StrictObjectSchema<v.ObjectEntries, v.ErrorMessage<v.StrictObjectIssue> | undefined>;

export interface RouteSpec {
  method: "get" | "post" | "patch" | "delete";
  /** OpenAPI path under /api/v1, e.g. `/scenarios/{id}`. */
  path: string;
  tag: string;
  summary: string;
  description?: string;
  access: Access;
  /** The JSON body: validated into `c.req.valid("json")`; not `required`: no body validates `{}`. */
  requestBody?: { schema: v.GenericSchema; required: boolean; description?: string };
  /** The query string: validated into `c.req.valid("query")`. */
  query?: QuerySchema;
  responses: Record<number, ResponseSpec>;
  /** Accepts `Idempotency-Key`. */
  idempotent?: boolean;
  /**
   * `If-Match`: required (428 without) or optional; its version is `c.req.valid("header").ifMatch`
   * (`WEAK_IF_MATCH` for a weak ETag, null when optional and absent).
   */
  ifMatch?: "required" | "optional";
  /** Rate-limited per IP when called without a key. */
  publicRateLimited?: boolean;
}

export const ROUTE_SPECS: RouteSpec[] = [];

/** What the middleware of `TSpec` stores, by hono validation target (`c.req.valid(target)`). */
type ValidatedOut<TSpec extends RouteSpec> = (TSpec extends { requestBody: { schema: infer TBody } }
  ? TBody extends v.GenericSchema
    ? { json: v.InferOutput<TBody> }
    : object
  : object) &
  (TSpec extends { query: infer TQuery }
    ? TQuery extends QuerySchema
      ? { query: v.InferOutput<TQuery> }
      : object
    : object) &
  (TSpec extends { ifMatch: "required" }
    ? { header: { ifMatch: number } }
    : TSpec extends { ifMatch: "optional" }
      ? { header: { ifMatch: number | null } }
      : object);

/** What a client sends, by target (hono's `in`, as `hono/validator` declares it). */
type ValidatedIn<TSpec extends RouteSpec> = (TSpec extends { requestBody: { schema: infer TBody } }
  ? TBody extends v.GenericSchema
    ? { json: v.InferInput<TBody> }
    : object
  : object) &
  (TSpec extends { query: infer TQuery }
    ? TQuery extends QuerySchema
      ? { query: { [K in keyof v.InferInput<TQuery>]?: string } }
      : object
    : object);

/** The hono input type of a route declared by `TSpec`. */
export type ValidatedInput<TSpec extends RouteSpec> = { in: ValidatedIn<TSpec>; out: ValidatedOut<TSpec> };

/**
 * Declare a route: registers its documentation and returns the middleware that validates a
 * request against the same declaration, in this order: `If-Match` (428 when required and
 * missing, 400 when malformed), the query (400 naming each parameter), the JSON body (415 not
 * JSON, 413 over the size cap, 400 malformed, too deep, not an object, or invalid with field
 * paths). Mount it where the handler used to read its input: after the route's access check and
 * anything that must run before the body is read (rate limits); the handler then reads
 * `c.req.valid("json" | "query" | "header")`, typed from the schemas.
 */
export function documented<TSpec extends RouteSpec>(
  spec: TSpec,
): MiddlewareHandler<AppEnv, string, ValidatedInput<TSpec>> {
  ROUTE_SPECS.push(spec);
  const { ifMatch, query, requestBody } = spec;
  return async (c, next) => {
    if (ifMatch)
      c.req.addValidatedData("header", { ifMatch: ifMatch === "required" ? requireIfMatch(c) : parseIfMatch(c) });
    if (query) c.req.addValidatedData("query", parseOr400(query, c.req.query(), "query"));
    if (requestBody) {
      const read = requestBody.required ? jsonBody : optionalJsonBody;
      c.req.addValidatedData("json", (await read(c, requestBody.schema)) as object);
    }
    await next();
  };
}
