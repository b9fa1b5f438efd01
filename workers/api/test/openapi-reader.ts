/**
 * An independent reader of the served OpenAPI document (issue #20, item 5). It knows nothing of
 * how the API declares its routes: it reads `/api/v1/openapi.json` as a client would and judges
 * it with a third-party JSON Schema validator, `@cfworker/json-schema` (an interpreter, so it runs
 * inside workerd, which refuses the code generation Ajv needs; ADR 041):
 *
 * - the document against the official OpenAPI 3.1 JSON Schema (`oas-3.1/schema.json`, vendored
 *   with its source in `oas-3.1/README.md`);
 * - a real response's JSON body against the schema the document declares for that path, method
 *   and status, `$ref`s resolved through the document itself;
 * - a request body against the document's request schema, so a test can send one the document
 *   rejects and see the API reject it too.
 */
import { type OutputUnit, type Schema, Validator, dereference, validate } from "@cfworker/json-schema";
import { expect } from "vitest";
import { api } from "./helpers.ts";
import oasSchema from "./oas-3.1/schema.json";

/** The JSON Schema dialect OpenAPI 3.1 schemas use. */
const DRAFT = "2020-12";
/** The base URI the document is registered under, so its `#/components/...` refs resolve in it. */
const DOCUMENT_URI = "https://planner.test/api/v1/openapi.json";
const HTTP_METHODS = new Set(["get", "put", "post", "delete", "options", "head", "patch", "trace"]);
export type HttpMethod = "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace";

type JsonObject = Record<string, unknown>;

/** The served document, exactly as a client gets it. */
export async function servedDocument(): Promise<JsonObject> {
  const response = await api("/openapi.json");
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type") ?? "").toMatch(/^application\/json/);
  return (await response.json()) as JsonObject;
}

/**
 * The official schema with its one dynamic reference made static. `$dynamicRef: "#meta"` (the
 * Schema Object's slot) is not implemented by the validator; with no extending dialect it resolves
 * to the only `$dynamicAnchor: meta`, `$defs/schema`, so a plain `$ref` there is the same check.
 */
function staticOasSchema(): Schema {
  const copy = structuredClone(oasSchema) as unknown;
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node !== null && typeof node === "object") {
      const object = node as JsonObject;
      if (object.$dynamicRef === "#meta") {
        delete object.$dynamicRef;
        object.$ref = "#/$defs/schema";
      }
      Object.values(object).forEach(visit);
    }
  };
  visit(copy);
  return copy as Schema;
}

/** Every way `document` breaks the official OpenAPI 3.1 schema (empty when it is valid). */
export function openApiViolations(document: unknown): OutputUnit[] {
  const result = new Validator(staticOasSchema(), DRAFT, false).validate(document);
  return result.valid ? [] : result.errors;
}

/** One line per error, for an assertion message a person can act on. */
export function describeErrors(errors: readonly OutputUnit[]): string {
  return errors
    .slice(0, 20)
    .map((error) => `${error.instanceLocation}: ${error.error} (${error.keywordLocation})`)
    .join("\n");
}

/** Follow an OpenAPI `$ref` (`#/components/responses/X`) inside the document. */
function resolveLocal(document: JsonObject, node: unknown): unknown {
  let current = node;
  for (let hops = 0; hops < 10; hops++) {
    const ref = (current as JsonObject | undefined)?.$ref;
    if (typeof ref !== "string") return current;
    expect(ref.startsWith("#/"), `only local $refs are followed: ${ref}`).toBe(true);
    current = ref
      .slice(2)
      .split("/")
      .map((segment) => segment.replaceAll("~1", "/").replaceAll("~0", "~"))
      .reduce<unknown>((object, key) => (object as JsonObject | undefined)?.[key], document);
  }
  return current;
}

/** A reader over one served document: looks schemas up by path, method and status. */
export class OpenApiReader {
  private readonly document: JsonObject;
  private readonly lookup: ReturnType<typeof dereference>;

  constructor(document: JsonObject) {
    // A copy with an `$id`, indexed once: every `$ref` in it resolves against the document.
    this.document = { ...structuredClone(document), $id: DOCUMENT_URI };
    this.lookup = dereference(this.document as Schema);
  }

  static async served(): Promise<OpenApiReader> {
    return new OpenApiReader(await servedDocument());
  }

  private operation(method: HttpMethod, path: string): JsonObject {
    const item = resolveLocal(this.document, (this.document.paths as JsonObject)[path]) as JsonObject | undefined;
    const operation = item?.[method] as JsonObject | undefined;
    expect(operation, `the document has no operation ${method.toUpperCase()} ${path}`).toBeDefined();
    return operation!;
  }

  /** The response object the document declares for a status (`4XX`, then `default`, when it is not listed). */
  private declaredResponse(method: HttpMethod, path: string, status: number): JsonObject | undefined {
    const responses = this.operation(method, path).responses as JsonObject;
    const declared = responses[String(status)] ?? responses[`${String(status)[0]}XX`] ?? responses.default;
    return resolveLocal(this.document, declared) as JsonObject | undefined;
  }

  /** The `application/json` schema of a declared response, if it has one (CSV, PDF and 204 do not). */
  jsonResponseSchema(method: HttpMethod, path: string, status: number): Schema | undefined {
    const content = this.declaredResponse(method, path, status)?.content as JsonObject | undefined;
    return (content?.["application/json"] as JsonObject | undefined)?.schema as Schema | undefined;
  }

  /** The JSON schema the document declares for a response; fails the test when there is none. */
  responseSchema(method: HttpMethod, path: string, status: number): Schema {
    const where = `${method.toUpperCase()} ${path} ${status}`;
    expect(this.declaredResponse(method, path, status), `${where} is not a declared response`).toBeDefined();
    const schema = this.jsonResponseSchema(method, path, status);
    expect(schema, `${where} declares no application/json schema`).toBeDefined();
    return schema!;
  }

  /** The JSON schema the document declares for a request body. */
  requestSchema(method: HttpMethod, path: string): Schema {
    const body = resolveLocal(this.document, this.operation(method, path).requestBody) as JsonObject | undefined;
    const media = (body?.content as JsonObject | undefined)?.["application/json"] as JsonObject | undefined;
    expect(media?.schema, `${method.toUpperCase()} ${path} declares no application/json request body`).toBeDefined();
    return media!.schema as Schema;
  }

  /** Every way `value` breaks `schema` (a schema taken from this document). */
  violations(value: unknown, schema: Schema): OutputUnit[] {
    const result = validate(value, schema, DRAFT, this.lookup, false);
    return result.valid ? [] : result.errors;
  }

  /** Every `$ref` in the document, with whether it points at something in it. */
  references(): { ref: string; resolves: boolean }[] {
    const found: { ref: string; resolves: boolean }[] = [];
    const visit = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(visit);
      else if (node !== null && typeof node === "object") {
        const ref = (node as JsonObject).$ref;
        if (typeof ref === "string")
          found.push({ ref, resolves: ref.startsWith("#/") && resolveLocal(this.document, node) !== undefined });
        Object.values(node).forEach(visit);
      }
    };
    visit(this.document);
    return found;
  }

  /** Every operation of the document as `[method, path]`. */
  operations(): [HttpMethod, string][] {
    return Object.entries(this.document.paths as JsonObject).flatMap(([path, item]) =>
      Object.keys(resolveLocal(this.document, item) as JsonObject)
        .filter((key): key is HttpMethod => HTTP_METHODS.has(key))
        .map((method): [HttpMethod, string] => [method, path]),
    );
  }

  /** The statuses an operation declares. */
  statuses(method: HttpMethod, path: string): string[] {
    return Object.keys(this.operation(method, path).responses as JsonObject);
  }

  /**
   * Assert a real response conforms to the document: it has the status the test expects, that
   * status is declared for the operation, and its JSON body validates against the declared
   * schema. Returns the body for further checks.
   */
  async expectConforms(response: Response, method: HttpMethod, path: string, status: number): Promise<unknown> {
    const text = await response.text();
    expect(response.status, `${method.toUpperCase()} ${path}: ${text.slice(0, 500)}`).toBe(status);
    const schema = this.responseSchema(method, path, response.status);
    expect(response.headers.get("content-type") ?? "", `${method} ${path} ${response.status}`).toMatch(
      /^application\/json/,
    );
    const body = JSON.parse(text) as unknown;
    const errors = this.violations(body, schema);
    expect(
      errors,
      `${method.toUpperCase()} ${path} ${response.status} breaks the document:\n${describeErrors(errors)}\n${text.slice(0, 500)}`,
    ).toEqual([]);
    return body;
  }
}
