import { describe, expect, it } from "vitest";
import { type Change, type ChangeKind, type Json, diffOpenApi, formatChanges, pointerSegment } from "./openapi-diff.ts";

type Doc = { [key: string]: Json };

/** A small but realistic v1 document: a strict create body with a union, a list with a query, a $ref'd component. */
function baseline(): Doc {
  return {
    openapi: "3.1.0",
    info: { title: "t", version: "1" },
    components: {
      schemas: {
        Widget: {
          type: "object",
          properties: {
            id: { type: "string" },
            size: { type: "integer" },
            colour: { enum: ["red", "green"] },
            note: { anyOf: [{ type: "string" }, { type: "null" }] },
            parts: { type: "array", items: { type: "object", properties: { n: { type: "number" } }, required: ["n"] } },
          },
          required: ["id", "size", "colour", "parts"],
        },
        Error: { type: "object", properties: { error: { type: "object" } }, required: ["error"] },
      },
    },
    paths: {
      "/widgets": {
        get: {
          "x-access": "viewer",
          parameters: [
            { name: "limit", in: "query", required: false, schema: { type: "integer", minimum: 1, maximum: 100 } },
            { name: "colour", in: "query", required: false, schema: { type: "string", enum: ["red", "green"] } },
          ],
          responses: {
            "200": {
              description: "ok",
              headers: { ETag: { schema: { type: "string" } } },
              content: {
                "application/json": {
                  schema: {
                    type: "object",
                    properties: { data: { type: "array", items: { $ref: "#/components/schemas/Widget" } } },
                    required: ["data"],
                  },
                },
              },
            },
            "401": {
              description: "no",
              content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
            },
          },
        },
        post: {
          "x-access": "editor",
          requestBody: {
            required: true,
            content: {
              "application/json": {
                schema: {
                  type: "object",
                  properties: {
                    name: { type: "string", maxLength: 200 },
                    kind: { type: "string", enum: ["small", "large"] },
                    option: {
                      anyOf: [
                        {
                          type: "object",
                          properties: { kind: { const: "lease" }, priceUsd: { type: "number" } },
                          required: ["kind", "priceUsd"],
                        },
                        {
                          type: "object",
                          properties: { kind: { const: "api" }, usdPerToken: { type: "number" } },
                          required: ["kind"],
                        },
                      ],
                    },
                  },
                  required: ["name"],
                  additionalProperties: false,
                },
              },
            },
          },
          responses: {
            "201": {
              description: "created",
              content: { "application/json": { schema: { $ref: "#/components/schemas/Widget" } } },
            },
          },
        },
      },
      "/widgets/{id}": {
        get: {
          "x-access": "viewer",
          parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
          responses: {
            "200": {
              description: "ok",
              content: { "application/json": { schema: { $ref: "#/components/schemas/Widget" } } },
            },
          },
        },
      },
    },
  };
}

/** A deep copy of the baseline changed by `edit`. */
function changed(edit: (doc: Doc) => void): Doc {
  const doc = structuredClone(baseline());
  edit(doc);
  return doc;
}

// Edits address the test documents by JSON pointer (the same pointers the differ reports).
const WIDGET = "/components/schemas/Widget";
const CREATE_BODY = "/paths/~1widgets/post/requestBody/content/application~1json/schema";
const LIST = "/paths/~1widgets/get";

function parent(doc: Doc, pointer: string): { container: Json; key: string } {
  const segments = pointer
    .slice(1)
    .split("/")
    .map((segment) => segment.replace(/~1/g, "/").replace(/~0/g, "~"));
  const key = segments.pop();
  let container: Json = doc;
  for (const segment of segments) {
    const next: Json | undefined = Array.isArray(container)
      ? container[Number(segment)]
      : typeof container === "object" && container !== null
        ? container[segment]
        : undefined;
    if (next === undefined) throw new Error(`test data: nothing at ${segment} of ${pointer}`);
    container = next;
  }
  if (key === undefined || typeof container !== "object" || container === null)
    throw new Error(`test data: ${pointer} has no parent`);
  return { container, key };
}

/** Set the value at `pointer`. */
function set(doc: Doc, pointer: string, value: Json): void {
  const { container, key } = parent(doc, pointer);
  if (Array.isArray(container)) container[Number(key)] = value;
  else if (typeof container === "object" && container !== null) container[key] = value;
}

/** The value at `pointer`. */
function get(doc: Doc, pointer: string): Json {
  const { container, key } = parent(doc, pointer);
  const value = Array.isArray(container) ? container[Number(key)] : (container as Doc)[key];
  if (value === undefined) throw new Error(`test data: nothing at ${pointer}`);
  return value;
}

/** Delete the member at `pointer` (an array element is spliced out). */
function remove(doc: Doc, pointer: string): void {
  const { container, key } = parent(doc, pointer);
  if (Array.isArray(container)) container.splice(Number(key), 1);
  else delete (container as Doc)[key];
}

/** Append to the array at `pointer`. */
function push(doc: Doc, pointer: string, value: Json): void {
  const array = get(doc, pointer);
  if (!Array.isArray(array)) throw new Error(`test data: ${pointer} is not an array`);
  array.push(value);
}

function only(changes: Change[]): Change {
  expect(changes, formatChanges(changes)).toHaveLength(1);
  return changes[0]!;
}

describe("diffOpenApi: identical documents", () => {
  it("reports nothing", () => {
    expect(diffOpenApi(baseline(), baseline())).toEqual({ breaking: [], additive: [] });
  });
});

describe("diffOpenApi: each breaking kind is detected with its path, method and pointer", () => {
  const cases: {
    name: string;
    edit: (doc: Doc) => void;
    kind: ChangeKind;
    path: string;
    method: string;
    pointer: string;
  }[] = [
    {
      name: "a removed path",
      edit: (doc) => remove(doc, "/paths/~1widgets~1{id}"),
      kind: "path-removed",
      path: "/widgets/{id}",
      method: "",
      pointer: "/paths/~1widgets~1{id}",
    },
    {
      name: "a removed method",
      edit: (doc) => remove(doc, "/paths/~1widgets/post"),
      kind: "method-removed",
      path: "/widgets",
      method: "post",
      pointer: "/paths/~1widgets/post",
    },
    {
      name: "a removed response status",
      edit: (doc) => remove(doc, `${LIST}/responses/401`),
      kind: "response-status-removed",
      path: "/widgets",
      method: "get",
      pointer: "/paths/~1widgets/get/responses/401",
    },
    {
      name: "a removed response header",
      edit: (doc) => remove(doc, `${LIST}/responses/200/headers/ETag`),
      kind: "response-header-removed",
      path: "/widgets",
      method: "get",
      pointer: "/paths/~1widgets/get/responses/200/headers/ETag",
    },
    {
      name: "a removed response media type",
      edit: (doc) => {
        set(
          doc,
          `${LIST}/responses/200/content/text~1csv`,
          get(doc, `${LIST}/responses/200/content/application~1json`),
        );
        remove(doc, `${LIST}/responses/200/content/application~1json`);
      },
      kind: "response-media-type-removed",
      path: "/widgets",
      method: "get",
      pointer: "/paths/~1widgets/get/responses/200/content/application~1json",
    },
    {
      name: "a renamed response property (top level)",
      edit: (doc) => {
        const schema = `${LIST}/responses/200/content/application~1json/schema`;
        set(doc, `${schema}/properties/items`, get(doc, `${schema}/properties/data`));
        remove(doc, `${schema}/properties/data`);
        set(doc, `${schema}/required`, ["items"]);
      },
      kind: "property-removed",
      path: "/widgets",
      method: "get",
      pointer: "/paths/~1widgets/get/responses/200/content/application~1json/schema/properties/data",
    },
    {
      name: "a response property no longer required",
      edit: (doc) => set(doc, `${WIDGET}/required`, ["id", "colour", "parts"]),
      kind: "property-no-longer-required",
      path: "/widgets",
      method: "get",
      pointer: "/components/schemas/Widget/properties/size",
    },
    {
      name: "a response property type changed",
      edit: (doc) => set(doc, `${WIDGET}/properties/size`, { type: "string" }),
      kind: "type-changed",
      path: "/widgets",
      method: "get",
      pointer: "/components/schemas/Widget/properties/size",
    },
    {
      name: "a response property now nullable",
      edit: (doc) => set(doc, `${WIDGET}/properties/id`, { type: ["string", "null"] }),
      kind: "nullable-changed",
      path: "/widgets",
      method: "get",
      pointer: "/components/schemas/Widget/properties/id",
    },
    {
      name: "a response enum value removed",
      edit: (doc) => set(doc, `${WIDGET}/properties/colour`, { enum: ["red"] }),
      kind: "enum-value-removed",
      path: "/widgets",
      method: "get",
      pointer: "/components/schemas/Widget/properties/colour",
    },
    {
      name: "a nested array item property removed",
      edit: (doc) => {
        set(doc, `${WIDGET}/properties/parts/items/properties`, {});
        set(doc, `${WIDGET}/properties/parts/items/required`, []);
      },
      kind: "property-removed",
      path: "/widgets",
      method: "get",
      pointer: "/components/schemas/Widget/properties/parts/items/properties/n",
    },
    {
      name: "a new required request property",
      edit: (doc) => {
        set(doc, `${CREATE_BODY}/properties/owner`, { type: "string" });
        set(doc, `${CREATE_BODY}/required`, ["name", "owner"]);
      },
      kind: "property-newly-required",
      path: "/widgets",
      method: "post",
      pointer: "/paths/~1widgets/post/requestBody/content/application~1json/schema/properties/owner",
    },
    {
      name: "an optional request property made required",
      edit: (doc) => set(doc, `${CREATE_BODY}/required`, ["name", "kind"]),
      kind: "property-newly-required",
      path: "/widgets",
      method: "post",
      pointer: "/paths/~1widgets/post/requestBody/content/application~1json/schema/properties/kind",
    },
    {
      name: "a request property removed from a strict body",
      edit: (doc) => remove(doc, `${CREATE_BODY}/properties/kind`),
      kind: "property-removed",
      path: "/widgets",
      method: "post",
      pointer: "/paths/~1widgets/post/requestBody/content/application~1json/schema/properties/kind",
    },
    {
      name: "an accepted request enum value removed",
      edit: (doc) => set(doc, `${CREATE_BODY}/properties/kind/enum`, ["small"]),
      kind: "enum-value-removed",
      path: "/widgets",
      method: "post",
      pointer: "/paths/~1widgets/post/requestBody/content/application~1json/schema/properties/kind",
    },
    {
      name: "a request union variant removed",
      edit: (doc) => {
        remove(doc, `${CREATE_BODY}/properties/option/anyOf/1`);
      },
      kind: "variant-removed",
      path: "/widgets",
      method: "post",
      pointer: "/paths/~1widgets/post/requestBody/content/application~1json/schema/properties/option/anyOf/1",
    },
    {
      name: "a request property type narrowed (number to integer)",
      edit: (doc) => set(doc, `${CREATE_BODY}/properties/option/anyOf/0/properties/priceUsd/type`, "integer"),
      kind: "type-changed",
      path: "/widgets",
      method: "post",
      pointer:
        "/paths/~1widgets/post/requestBody/content/application~1json/schema/properties/option/anyOf/0/properties/priceUsd",
    },
    {
      name: "a request bound tightened",
      edit: (doc) => set(doc, `${CREATE_BODY}/properties/name/maxLength`, 100),
      kind: "constraint-tightened",
      path: "/widgets",
      method: "post",
      pointer: "/paths/~1widgets/post/requestBody/content/application~1json/schema/properties/name/maxLength",
    },
    {
      name: "a newly required query parameter",
      edit: (doc) =>
        push(doc, `${LIST}/parameters`, {
          name: "owner",
          in: "query",
          required: true,
          schema: { type: "string" },
        }),
      kind: "parameter-newly-required",
      path: "/widgets",
      method: "get",
      pointer: "/paths/~1widgets/get/parameters/2/required",
    },
    {
      name: "an optional query parameter made required",
      edit: (doc) => set(doc, `${LIST}/parameters/0/required`, true),
      kind: "parameter-newly-required",
      path: "/widgets",
      method: "get",
      pointer: "/paths/~1widgets/get/parameters/0/required",
    },
    {
      name: "a query enum value removed",
      edit: (doc) => set(doc, `${LIST}/parameters/1/schema/enum`, ["green"]),
      kind: "enum-value-removed",
      path: "/widgets",
      method: "get",
      pointer: "/paths/~1widgets/get/parameters/1/schema",
    },
    {
      name: "a query parameter removed",
      edit: (doc) => remove(doc, `${LIST}/parameters/1`),
      kind: "parameter-removed",
      path: "/widgets",
      method: "get",
      pointer: "/paths/~1widgets/get/parameters/1",
    },
    {
      name: "a route's access made stricter",
      edit: (doc) => set(doc, "/paths/~1widgets/post/x-access", "admin"),
      kind: "access-stricter",
      path: "/widgets",
      method: "post",
      pointer: "/paths/~1widgets/post/x-access",
    },
    {
      name: "a route moved from keys-and-sessions to sessions only",
      edit: (doc) => set(doc, `${LIST}/x-access`, "user"),
      kind: "access-stricter",
      path: "/widgets",
      method: "get",
      pointer: "/paths/~1widgets/get/x-access",
    },
  ];

  for (const testCase of cases) {
    it(testCase.name, () => {
      const diff = diffOpenApi(baseline(), changed(testCase.edit));
      // A shared component (Widget) is reported once under each operation using it: all the same change.
      for (const other of diff.breaking) expect([other.kind, other.pointer]).toEqual([testCase.kind, testCase.pointer]);
      const change = only(
        diff.breaking.filter((other) => other.path === testCase.path && other.method === testCase.method),
      );
      expect({ kind: change.kind, path: change.path, method: change.method, pointer: change.pointer }).toEqual({
        kind: testCase.kind,
        path: testCase.path,
        method: testCase.method,
        pointer: testCase.pointer,
      });
      expect(change.message.length).toBeGreaterThan(0);
    });
  }

  it("a change inside a shared component is reported under every operation that uses it", () => {
    const diff = diffOpenApi(
      baseline(),
      changed((doc) => remove(doc, `${WIDGET}/properties/colour`)),
    );
    expect(diff.breaking.map((change) => `${change.method} ${change.path}`).sort()).toEqual([
      "get /widgets",
      "get /widgets/{id}",
      "post /widgets",
    ]);
    for (const change of diff.breaking) expect(change.pointer).toBe("/components/schemas/Widget/properties/colour");
  });

  it("access without x-access: a removed security alternative is stricter", () => {
    const strip = (doc: Doc) => {
      remove(doc, `${LIST}/x-access`);
      set(doc, `${LIST}/security`, [{ bearer: [] }, { session: [] }]);
    };
    const before = changed(strip);
    const after = changed((doc) => {
      strip(doc);
      set(doc, `${LIST}/security`, [{ session: [] }]);
    });
    expect(only(diffOpenApi(before, after).breaking).kind).toBe("access-stricter");
    expect(diffOpenApi(after, before).breaking).toEqual([]);
  });
});

describe("diffOpenApi: additions pass", () => {
  const cases: { name: string; edit: (doc: Doc) => void; kinds: ChangeKind[] }[] = [
    {
      name: "a new path",
      edit: (doc) =>
        set(doc, "/paths/~1quotes", {
          get: { "x-access": "admin", responses: { "200": { description: "ok" } } },
        }),
      kinds: ["path-added"],
    },
    {
      name: "a new method on an existing path",
      edit: (doc) =>
        set(doc, "/paths/~1widgets~1{id}/delete", {
          "x-access": "editor",
          responses: { "204": { description: "gone" } },
        }),
      kinds: ["method-added"],
    },
    {
      name: "a new response status",
      edit: (doc) => set(doc, `${LIST}/responses/429`, { description: "slow down" }),
      kinds: ["response-status-added"],
    },
    {
      name: "a new response property",
      edit: (doc) => set(doc, `${WIDGET}/properties/weightKg`, { type: "number" }),
      kinds: ["property-added"],
    },
    {
      name: "a new optional request property",
      edit: (doc) => set(doc, `${CREATE_BODY}/properties/note`, { type: "string" }),
      kinds: ["property-added"],
    },
    {
      name: "a new enum value (request and response)",
      edit: (doc) => {
        push(doc, `${CREATE_BODY}/properties/kind/enum`, "medium");
        push(doc, `${WIDGET}/properties/colour/enum`, "blue");
      },
      kinds: ["enum-value-added", "enum-value-added"],
    },
    {
      name: "a new request union variant",
      edit: (doc) =>
        push(doc, `${CREATE_BODY}/properties/option/anyOf`, {
          type: "object",
          properties: { kind: { const: "buy" } },
          required: ["kind"],
        }),
      kinds: ["variant-added"],
    },
    {
      name: "a new optional query parameter",
      edit: (doc) =>
        push(doc, `${LIST}/parameters`, {
          name: "cursor",
          in: "query",
          required: false,
          schema: { type: "string" },
        }),
      kinds: ["parameter-added"],
    },
    {
      name: "looser access",
      edit: (doc) => set(doc, "/paths/~1widgets/post/x-access", "viewer"),
      kinds: ["access-looser"],
    },
    {
      name: "a request bound relaxed, a request type widened, a request property made optional",
      edit: (doc) => {
        set(doc, `${CREATE_BODY}/properties/name/maxLength`, 500);
        set(doc, `${CREATE_BODY}/properties/option/anyOf/0/properties/priceUsd/type`, ["number", "string"]);
        set(doc, `${CREATE_BODY}/required`, []);
      },
      kinds: [],
    },
    {
      name: "a response type narrowed and made non-null",
      edit: (doc) => {
        set(doc, `${WIDGET}/properties/note`, { type: "string" });
        set(doc, `${WIDGET}/properties/parts/items/properties/n/type`, "integer");
      },
      kinds: [],
    },
  ];
  for (const testCase of cases) {
    it(testCase.name, () => {
      const diff = diffOpenApi(baseline(), changed(testCase.edit));
      expect(diff.breaking, formatChanges(diff.breaking)).toEqual([]);
      // A shared component touched once shows under each operation using it: compare the kinds seen.
      expect([...new Set(diff.additive.map((change) => change.kind))].sort()).toEqual(
        [...new Set(testCase.kinds)].sort(),
      );
    });
  }
});

describe("diffOpenApi: recursion, bad input and formatting", () => {
  it("terminates on a recursive schema and still sees changes inside it", () => {
    const tree = (leafType: string): Doc => ({
      openapi: "3.1.0",
      components: {
        schemas: {
          Node: {
            type: "object",
            properties: {
              value: { type: leafType },
              children: { type: "array", items: { $ref: "#/components/schemas/Node" } },
            },
          },
        },
      },
      paths: {
        "/tree": {
          get: {
            responses: {
              "200": {
                description: "ok",
                content: { "application/json": { schema: { $ref: "#/components/schemas/Node" } } },
              },
            },
          },
        },
      },
    });
    expect(diffOpenApi(tree("string"), tree("string")).breaking).toEqual([]);
    expect(only(diffOpenApi(tree("string"), tree("number")).breaking).pointer).toBe(
      "/components/schemas/Node/properties/value",
    );
  });

  it("refuses a document without paths, naming which side", () => {
    expect(() => diffOpenApi({ openapi: "3.1.0" }, baseline())).toThrow(/baseline: expected an OpenAPI document/);
    expect(() => diffOpenApi(baseline(), [])).toThrow(/current: expected an OpenAPI document/);
  });

  it("escapes pointer segments per RFC 6901 and formats one line per change", () => {
    expect(pointerSegment("application/json")).toBe("application~1json");
    expect(pointerSegment("a~b")).toBe("a~0b");
    const diff = diffOpenApi(
      baseline(),
      changed((doc) => remove(doc, "/paths/~1widgets/post")),
    );
    expect(formatChanges(diff.breaking)).toBe(
      "BREAKING post /widgets #/paths/~1widgets/post [method-removed]: POST /widgets was removed (baseline pointer)",
    );
  });
});
