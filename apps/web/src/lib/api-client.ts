/**
 * The web app's one client for the planner's JSON API (same origin: the one Worker serves the
 * app and `/api/v1`). Calls are keyed by route, `api("PATCH /quotes/{id}", { params, body })`,
 * and typed from `@aifp/contracts/api`'s `ApiRoutes`: the body a route takes and the answer it
 * gives come from the same declarations the API validates with, so a changed contract fails
 * `npm run check` here (ADR 034: why not hono's `hc` or a generated client).
 *
 * Requests carry the session cookie (`credentials: "same-origin"`, so the API's Origin check
 * sees the app's own origin); an error answer becomes {@link ApiRequestError} carrying the API's
 * envelope, whose message is plain language.
 */
import type { ApiRoute, ApiRoutes, ErrorEnvelope } from "@aifp/contracts/api";

/** The API's error body: `{ error: { code, message, requestId, issues[] } }`. */
export type ApiErrorBody = ErrorEnvelope;

export class ApiRequestError extends Error {
  readonly status: number;
  readonly body: ApiErrorBody | null;
  constructor(status: number, body: ApiErrorBody | null) {
    super(body?.error.message ?? `The server answered ${status}`);
    this.status = status;
    this.body = body;
  }
}

/** `"GET /quotes/{id}"` → `"/quotes/{id}"`. */
type PathOf<TRoute> = TRoute extends `${string} ${infer Path}` ? Path : never;
/** The `{name}` parameters of a path. */
type ParamsOf<TPath> = TPath extends `${string}{${infer Name}}${infer Rest}` ? Name | ParamsOf<Rest> : never;

/** What a call of `TRoute` takes: its path parameters, query and body as the contract says. */
export type ApiCallOptions<TRoute extends ApiRoute> = ([ParamsOf<PathOf<TRoute>>] extends [never]
  ? { params?: undefined }
  : { params: Record<ParamsOf<PathOf<TRoute>>, string> }) &
  (ApiRoutes[TRoute] extends { body: infer Body } ? { body: Body } : { body?: undefined }) &
  (ApiRoutes[TRoute] extends { query: infer Query } ? { query?: Query } : { query?: undefined }) & {
    /** Extra headers: `If-Match`, `Idempotency-Key`. */
    headers?: Record<string, string>;
    /** Default `same-origin` (the session cookie); `omit` for a share link, whose token is the credential. */
    credentials?: RequestCredentials;
    referrerPolicy?: ReferrerPolicy;
  };

/** What a route answers on success (null for 204), with the response for its headers. */
export interface ApiAnswer<TRoute extends ApiRoute> {
  data: ApiRoutes[TRoute]["response"];
  response: Response;
}

/** The URL of a call: `/api/v1`, the path with its parameters encoded, then the query. */
export function apiUrl(route: ApiRoute, params?: Record<string, string>, query?: object): string {
  const path = route
    .slice(route.indexOf(" ") + 1)
    .replace(/\{(\w+)\}/g, (_match, name: string) => encodeURIComponent(params?.[name] ?? ""));
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query ?? {}))
    if (value !== undefined && value !== null) search.set(name, String(value));
  const text = search.toString();
  return `/api/v1${path}${text ? `?${text}` : ""}`;
}

/**
 * Call one route of the API. Options are required only when the route has path parameters or a
 * body: `api("GET /me")`, `api("DELETE /keys/{id}", { params: { id } })`.
 */
export async function api<TRoute extends ApiRoute>(
  route: TRoute,
  ...[options]: object extends ApiCallOptions<TRoute>
    ? [options?: ApiCallOptions<TRoute>]
    : [options: ApiCallOptions<TRoute>]
): Promise<ApiAnswer<TRoute>> {
  const body = options?.body;
  // Inside the generic the option types are not narrowed; the public signature checked them.
  const query = options?.query as object | undefined;
  const response = await fetch(apiUrl(route, options?.params, query), {
    method: route.slice(0, route.indexOf(" ")),
    credentials: options?.credentials ?? "same-origin",
    ...(options?.referrerPolicy ? { referrerPolicy: options.referrerPolicy } : {}),
    headers: {
      accept: "application/json",
      ...(body === undefined ? {} : { "content-type": "application/json" }),
      ...options?.headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok) {
    const envelope = (await response.json().catch(() => null)) as ApiErrorBody | null;
    throw new ApiRequestError(response.status, envelope);
  }
  // The API's answers are its contract's shapes (its tests check them against the OpenAPI document).
  const data = (response.status === 204 ? null : await response.json()) as ApiRoutes[TRoute]["response"];
  return { data, response };
}
