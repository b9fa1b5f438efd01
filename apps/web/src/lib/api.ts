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
