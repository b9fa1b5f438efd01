import { toJsonSchema } from "@valibot/to-json-schema";
import type * as v from "valibot";
import { EvaluateResultSchema, ScenarioSchema } from "@aifp/contracts";
import { ErrorEnvelopeSchema } from "./schemas.ts";
import { APP_VERSION } from "./version.ts";
import { ROUTE_SPECS, type QuerySchema, type RouteSpec } from "./openapi-registry.ts";

type Json = Record<string, unknown>;

/** Shared schemas emitted once under components.schemas and referenced elsewhere. */
const COMPONENTS: [string, v.GenericSchema][] = [
  ["Scenario", ScenarioSchema],
  ["EvaluateResult", EvaluateResultSchema],
  ["Error", ErrorEnvelopeSchema],
];

/** The schema the converter reports for `schema`: a pipe is reported as its first (base) schema. */
function identityOf(schema: v.GenericSchema): unknown {
  const pipe = (schema as { pipe?: unknown[] }).pipe;
  return Array.isArray(pipe) ? pipe[0] : schema;
}

function convert(schema: v.GenericSchema, skip?: v.GenericSchema, typeMode?: "output"): Json {
  const json = toJsonSchema(schema, {
    target: "draft-2020-12",
    errorMode: "ignore",
    typeMode,
    overrideSchema: (context) => {
      if (skip && (context.valibotSchema === skip || context.valibotSchema === identityOf(skip))) return undefined;
      const component = COMPONENTS.find(
        ([, item]) => item === context.valibotSchema || identityOf(item) === context.valibotSchema,
      );
      return component ? { $ref: `#/components/schemas/${component[0]}` } : undefined;
    },
  }) as Json;
  delete json.$schema;
  return json;
}

/** A schema's own pipe actions, then those of the schema it wraps (`v.optional(v.pipe(…))`). */
function actionsOf(schema: unknown): { type: string; description?: unknown; metadata?: Record<string, unknown> }[] {
  const item = schema as { pipe?: unknown[]; wrapped?: unknown };
  const own = (Array.isArray(item.pipe) ? item.pipe.slice(1) : []) as { type: string }[];
  return item.wrapped === undefined ? own : [...own, ...actionsOf(item.wrapped)];
}

/**
 * The query parameters of a route, generated from its query schema with the converter the bodies
 * use, in the output type mode: a value that arrives as a string and is checked as a number is
 * documented as the number it stands for (`limit`: integer 1–100). The entry's `v.description`
 * is the parameter's description; a `releasedAs` metadata (contracts `queries.ts`) keeps the
 * schema v1 released when the validation is stricter than what was published.
 */
function queryParameters(query: QuerySchema): Json[] {
  return Object.entries(query.entries).map(([name, entry]) => {
    const actions = actionsOf(entry);
    const description = actions.find((action) => action.type === "description")?.description;
    const released = actions.find((action) => action.type === "metadata" && action.metadata?.releasedAs)?.metadata
      ?.releasedAs as Json | undefined;
    const { type, description: _described, ...rest } = released ?? convert(entry, undefined, "output");
    const optional = entry.type === "optional" || entry.type === "nullish" || entry.type === "exact_optional";
    return {
      name,
      in: "query",
      required: !optional,
      ...(typeof description === "string" ? { description } : {}),
      // `type` first, as the document has always listed it.
      schema: { ...(type === undefined ? {} : { type }), ...rest },
    };
  });
}

const ERROR_STATUSES: Record<number, string> = {
  400: "Invalid input: `issues` names each field (also malformed JSON, a bad cursor or limit)",
  401: "No key, an unknown, revoked or expired key (`WWW-Authenticate: Bearer`)",
  403: "The key's role may not do this",
  404: "Not found, or not yours (another organisation's object is always 404)",
  409: "Stale `If-Match` (`version_conflict`) or an `Idempotency-Key` still in flight (`idempotency_in_progress`)",
  413: "Body over 1 MB, or a scenario over 512 KB as JSON",
  415: "A write whose Content-Type is not JSON",
  422: "`idempotency_key_reused` (same key, different request) or `infeasible_scenario`",
  428: "`If-Match` is required",
  429: "Rate limited: wait `Retry-After` seconds",
};

function errorStatusesFor(spec: RouteSpec): number[] {
  const statuses = new Set<number>();
  const writes = spec.method !== "get" && spec.method !== "delete";
  if (writes || spec.query) statuses.add(400);
  if (spec.path.includes("{")) statuses.add(404);
  if (spec.access !== "public" && spec.access !== "link") statuses.add(401);
  // Roles below admin can be too weak too (a viewer on an editor's route); a session write from
  // another origin and an API key on a people-only route are 403 as well.
  if (spec.access === "admin" || spec.access === "editor" || spec.access === "viewer" || spec.access === "user")
    statuses.add(403);
  if (writes) {
    statuses.add(413);
    statuses.add(415);
  }
  if (spec.idempotent) {
    statuses.add(409);
    statuses.add(422);
  }
  if (spec.ifMatch) statuses.add(409);
  if (spec.ifMatch === "required") statuses.add(428);
  if (spec.path === "/evaluate" || spec.path.endsWith("/plans")) statuses.add(422);
  if (spec.access !== "public" || spec.publicRateLimited) statuses.add(429);
  return [...statuses].sort();
}

function operation(spec: RouteSpec): Json {
  const parameters: Json[] = [];
  for (const match of spec.path.matchAll(/\{(\w+)\}/g)) {
    parameters.push({ name: match[1], in: "path", required: true, schema: { type: "string" } });
  }
  if (spec.query) parameters.push(...queryParameters(spec.query));
  if (spec.idempotent) {
    parameters.push({
      name: "Idempotency-Key",
      in: "header",
      required: false,
      description:
        "Up to 255 printable characters. A retry with the same key replays the first response (`Idempotent-Replayed: true`); a different request with it is 422; while the first is in flight, 409.",
      schema: { type: "string", maxLength: 255 },
    });
  }
  if (spec.ifMatch) {
    parameters.push({
      name: "If-Match",
      in: "header",
      required: spec.ifMatch === "required",
      description: 'The ETag of your last read, e.g. "3". Stale → 409.',
      schema: { type: "string" },
    });
  }
  const responses: Json = {};
  for (const [status, response] of Object.entries(spec.responses)) {
    const contentType = response.contentType ?? "application/json";
    responses[status] = {
      description: response.description,
      ...(response.headers
        ? {
            headers: Object.fromEntries(
              Object.entries(response.headers).map(([name, description]) => [
                name,
                { description, schema: { type: "string" } },
              ]),
            ),
          }
        : {}),
      ...(status === "204"
        ? {}
        : {
            content: {
              [contentType]: {
                schema: response.schema
                  ? convert(response.schema)
                  : Number(status) >= 400
                    ? { $ref: "#/components/schemas/Error" }
                    : { type: "string", format: "binary" },
              },
            },
          }),
    };
  }
  for (const status of errorStatusesFor(spec)) {
    responses[String(status)] = {
      description: ERROR_STATUSES[status],
      ...(status === 429
        ? { headers: { "Retry-After": { description: "Seconds to wait", schema: { type: "integer" } } } }
        : {}),
      content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
    };
  }
  return {
    tags: [spec.tag],
    summary: spec.summary,
    ...(spec.description ? { description: spec.description } : {}),
    operationId: `${spec.method}${spec.path.replace(/\{(\w+)\}/g, "By_$1").replace(/[^A-Za-z0-9_]+(.)?/g, (_m, next: string | undefined) => (next ? next.toUpperCase() : ""))}`,
    security:
      spec.access === "viewer" || spec.access === "editor" || spec.access === "admin"
        ? [{ bearer: [] }, { session: [] }]
        : spec.access === "user"
          ? [{ session: [] }]
          : spec.access === "public" && spec.path === "/evaluate"
            ? [{}, { bearer: [] }]
            : [],
    // Who may call it (openapi-registry.ts `Access`): the compatibility gate refuses a stricter level.
    "x-access": spec.access,
    ...(parameters.length ? { parameters } : {}),
    ...(spec.requestBody
      ? {
          requestBody: {
            required: spec.requestBody.required,
            content: { "application/json": { schema: convert(spec.requestBody.schema) } },
          },
        }
      : {}),
    responses,
  };
}

let cached: Json | null = null;

/**
 * The OpenAPI 3.1 document of the API, generated from the routes' own valibot schemas
 * (`@valibot/to-json-schema`, JSON Schema 2020-12, which OpenAPI 3.1 uses). Built once per isolate.
 */
export function openApiDocument(): Json {
  if (cached) return cached;
  const paths: Record<string, Json> = {};
  for (const spec of ROUTE_SPECS) {
    const path = (paths[spec.path] ??= {});
    path[spec.method] = operation(spec);
  }
  cached = {
    openapi: "3.1.0",
    info: {
      title: "AI Factory Planner API",
      version: APP_VERSION,
      description:
        "Build, lease or buy tokens: evaluate scenarios, save them, store immutable plans and pull them into spreadsheets. Errors use one envelope: `{ error: { code, message, requestId, issues[] } }`. Human docs: /api/docs.",
    },
    servers: [{ url: "/api/v1" }],
    components: {
      securitySchemes: {
        session: {
          type: "apiKey",
          in: "cookie",
          name: "__Secure-aifp.session_token",
          description:
            "A web session (sign in at /api/v1/auth/sign-in/email). Writes must carry the app's own `Origin` (CSRF).",
        },
        bearer: {
          type: "http",
          scheme: "bearer",
          description: "An API key (`aifp_live_…`), only in the Authorization header.",
        },
      },
      schemas: Object.fromEntries(COMPONENTS.map(([name, schema]) => [name, convert(schema, schema)])),
    },
    paths,
  };
  return cached;
}
