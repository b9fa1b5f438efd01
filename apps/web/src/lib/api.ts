/** Typed client for the planner's JSON API (same origin: the one Worker serves app and API). */

export interface Health {
  status: "ok";
  version: string;
  kernelVersion: string;
  priceBookVersion: string;
  catalog?: Record<string, number>;
}

export interface ApiErrorBody {
  error: { code: string; message: string; requestId: string; issues: { path: string; message: string }[] };
}

export class ApiRequestError extends Error {
  readonly status: number;
  readonly body: ApiErrorBody | null;
  constructor(status: number, body: ApiErrorBody | null) {
    super(body?.error.message ?? `The server answered ${status}`);
    this.status = status;
    this.body = body;
  }
}

async function getJson<T>(path: string, fetchImpl: typeof fetch = fetch): Promise<T> {
  const response = await fetchImpl(path, { headers: { accept: "application/json" } });
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as ApiErrorBody | null;
    throw new ApiRequestError(response.status, body);
  }
  return (await response.json()) as T;
}

export function getHealth(fetchImpl?: typeof fetch): Promise<Health> {
  return getJson<Health>("/api/v1/health", fetchImpl);
}

/**
 * Send a JSON request to the API as this browser (same origin, with the session cookie). Errors
 * become {@link ApiRequestError} carrying the API's envelope (its message is plain language).
 */
export async function apiJson<T>(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ data: T; response: Response }> {
  const response = await fetch(`/api/v1${path}`, {
    method,
    credentials: "same-origin",
    headers: {
      accept: "application/json",
      ...(body === undefined ? {} : { "content-type": "application/json" }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok) {
    const envelope = (await response.json().catch(() => null)) as ApiErrorBody | null;
    throw new ApiRequestError(response.status, envelope);
  }
  const data = (response.status === 204 ? null : await response.json()) as T;
  return { data, response };
}
