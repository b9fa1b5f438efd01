/**
 * The OpenAPI compatibility differ behind the v1 gate (docs/decisions/013-api-compatibility-gate.md).
 *
 * `diffOpenApi(baseline, current)` walks every operation of the baseline and reports what a
 * client written against the baseline could trip over in the current document ("breaking"),
 * and what is new ("additive", informational). Pure: no I/O, so it runs in Node (its own unit
 * tests) and in workerd (the gate test that fetches the live `/api/v1/openapi.json`).
 *
 * Direction matters. A request schema may only get looser (accept more); a response schema may
 * only promise more (never drop, retype or null out what it promised). Concretely:
 * - breaking: a removed path, method, response status, response media type or response header;
 *   a removed response property, or one no longer required, or newly nullable; a property whose
 *   type changed (a response type outside the old set, a request type no longer accepted); an
 *   enum value (or union variant) removed, in a request or a response; a request property
 *   removed or newly required, a new required query/header parameter or request body, a request
 *   bound tightened (`maxLength`, `minimum`, …), a newly closed request object; and a route's
 *   access made stricter (`x-access`, or the `security` alternatives when that is absent).
 * - additive: new paths, methods, statuses, properties, enum values, variants, optional
 *   parameters, and looser access.
 *
 * Every change names the path, the method and a JSON pointer (RFC 6901) into the document the
 * change is visible in: the current one, or the baseline for something removed. Through a
 * `$ref`, the pointer continues inside the referenced component (`/components/schemas/Scenario/…`).
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

export type ChangeKind =
  | "path-removed"
  | "method-removed"
  | "response-status-removed"
  | "response-media-type-removed"
  | "response-header-removed"
  | "property-removed"
  | "property-no-longer-required"
  | "property-newly-required"
  | "type-changed"
  | "nullable-changed"
  | "enum-value-removed"
  | "enum-added"
  | "variant-removed"
  | "additional-properties-closed"
  | "constraint-tightened"
  | "parameter-removed"
  | "parameter-newly-required"
  | "request-body-newly-required"
  | "request-body-removed"
  | "request-media-type-removed"
  | "access-stricter"
  | "path-added"
  | "method-added"
  | "response-status-added"
  | "property-added"
  | "enum-value-added"
  | "variant-added"
  | "parameter-added"
  | "access-looser";

export interface Change {
  kind: ChangeKind;
  /** The OpenAPI path, e.g. `/scenarios/{id}`. */
  path: string;
  /** Lower-case HTTP method; empty for a removed or added path. */
  method: string;
  /** JSON pointer (RFC 6901) into the current document, or into the baseline for a removal. */
  pointer: string;
  message: string;
}

export interface OpenApiDiff {
  breaking: Change[];
  additive: Change[];
}

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;

/**
 * Who may call a route, as the caller classes it admits (the API's `x-access` values:
 * workers/api/src/openapi-registry.ts). Access is stricter when a class that could call it no
 * longer can.
 */
const CALLERS_BY_ACCESS: Record<string, readonly string[]> = {
  public: [
    "anonymous",
    "link",
    "person",
    "session-viewer",
    "session-editor",
    "session-admin",
    "key-viewer",
    "key-editor",
    "key-admin",
  ],
  link: ["link"],
  user: ["person", "session-viewer", "session-editor", "session-admin"],
  viewer: ["session-viewer", "session-editor", "session-admin", "key-viewer", "key-editor", "key-admin"],
  editor: ["session-editor", "session-admin", "key-editor", "key-admin"],
  admin: ["session-admin", "key-admin"],
};

/** Request bounds that, when lowered (upper bounds) or raised (lower bounds), refuse what was accepted. */
const UPPER_BOUNDS = ["maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties"] as const;
const LOWER_BOUNDS = ["minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties"] as const;

/** Escape one JSON-pointer segment (RFC 6901: `~` → `~0`, `/` → `~1`). */
export function pointerSegment(segment: string): string {
  return segment.replace(/~/g, "~0").replace(/\//g, "~1");
}

function join(pointer: string, ...segments: (string | number)[]): string {
  return pointer + segments.map((segment) => `/${pointerSegment(String(segment))}`).join("");
}

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function objectAt(value: Json | undefined, key: string): JsonObject | undefined {
  if (!isObject(value)) return undefined;
  const child = value[key];
  return isObject(child) ? child : undefined;
}

function show(value: Json | undefined): string {
  return JSON.stringify(value ?? null);
}

type Direction = "request" | "response";

interface Context {
  baseline: JsonObject;
  current: JsonObject;
  path: string;
  method: string;
  diff: OpenApiDiff;
  /** `$ref` pairs already compared in this operation (recursive schemas terminate). */
  seenRefs: Set<string>;
}

function report(context: Context, breaking: boolean, kind: ChangeKind, pointer: string, message: string): void {
  const change: Change = { kind, path: context.path, method: context.method, pointer, message };
  const list = breaking ? context.diff.breaking : context.diff.additive;
  // The same component reached twice in one operation reports once.
  if (
    !list.some(
      (seen) =>
        seen.kind === kind && seen.pointer === pointer && seen.method === change.method && seen.path === change.path,
    )
  )
    list.push(change);
}

/** Follow a local `$ref` (`#/components/…`); returns the target and its pointer. */
function resolve(document: JsonObject, schema: JsonObject, pointer: string): { schema: JsonObject; pointer: string } {
  let current = schema;
  let at = pointer;
  for (let hops = 0; typeof current.$ref === "string" && hops < 32; hops++) {
    const ref = current.$ref;
    if (!ref.startsWith("#/")) throw new Error(`${at}: only local $refs are supported, got ${ref}`);
    let target: Json | undefined = document;
    for (const raw of ref.slice(2).split("/")) {
      const segment = raw.replace(/~1/g, "/").replace(/~0/g, "~");
      target = isObject(target) ? target[segment] : undefined;
    }
    if (!isObject(target)) throw new Error(`${at}: $ref ${ref} does not resolve`);
    current = target;
    at = ref.slice(1);
  }
  return { schema: current, pointer: at };
}

interface Shape {
  nullable: boolean;
  /** The non-null alternatives, each with its pointer. */
  branches: { schema: JsonObject; pointer: string }[];
}

/** A schema as "maybe null" plus its non-null alternatives (anyOf/oneOf flattened one level). */
function shapeOf(document: JsonObject, schema: JsonObject, pointer: string): Shape {
  const resolved = resolve(document, schema, pointer);
  const union = Array.isArray(resolved.schema.anyOf) ? "anyOf" : Array.isArray(resolved.schema.oneOf) ? "oneOf" : null;
  if (union) {
    const shape: Shape = { nullable: false, branches: [] };
    (resolved.schema[union] as Json[]).forEach((branch, index) => {
      if (!isObject(branch)) return;
      const inner = shapeOf(document, branch, join(resolved.pointer, union, index));
      shape.nullable ||= inner.nullable;
      shape.branches.push(...inner.branches);
    });
    return shape;
  }
  const types = typesOf(resolved.schema);
  if (types.length === 1 && types[0] === "null") return { nullable: true, branches: [] };
  return { nullable: types.includes("null"), branches: [resolved] };
}

function typesOf(schema: JsonObject): string[] {
  if (typeof schema.type === "string") return [schema.type];
  if (Array.isArray(schema.type)) return schema.type.filter((type): type is string => typeof type === "string");
  if ("const" in schema) return [schema.const === null ? "null" : jsonType(schema.const)];
  return [];
}

function jsonType(value: Json | undefined): string {
  if (value === null || value === undefined) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

/** Non-null types of a branch; "number" admits "integer". Empty means "any". */
function nonNullTypes(schema: JsonObject): string[] {
  return typesOf(schema).filter((type) => type !== "null");
}

function typeCovers(wider: string[], narrower: string[]): boolean {
  if (wider.length === 0) return true;
  if (narrower.length === 0) return false;
  return narrower.every((type) => wider.includes(type) || (type === "integer" && wider.includes("number")));
}

/** Enum values a branch admits (`enum` or `const`), or null for "not an enumeration". */
function enumOf(schema: JsonObject): Json[] | null {
  if (Array.isArray(schema.enum)) return schema.enum;
  if ("const" in schema) return [schema.const ?? null];
  return null;
}

/** What identifies a union branch across versions: its types plus the `const` of a discriminator. */
function branchKey(document: JsonObject, branch: { schema: JsonObject; pointer: string }): string {
  const types = nonNullTypes(branch.schema).sort().join("|") || "any";
  const properties = objectAt(branch.schema, "properties");
  const discriminators: string[] = [];
  for (const [name, property] of Object.entries(properties ?? {})) {
    if (!isObject(property)) continue;
    const resolved = resolve(document, property, branch.pointer).schema;
    if ("const" in resolved) discriminators.push(`${name}=${show(resolved.const)}`);
  }
  const constValue = "const" in branch.schema ? `=${show(branch.schema.const)}` : "";
  return `${types}${constValue}${discriminators.length ? `{${discriminators.sort().join(",")}}` : ""}`;
}

function describeBranch(key: string): string {
  return key.replace(/\{/, " with ").replace(/\}$/, "");
}

function compareSchema(
  context: Context,
  direction: Direction,
  baseSchema: JsonObject,
  basePointer: string,
  curSchema: JsonObject,
  curPointer: string,
): void {
  const baseRef = typeof baseSchema.$ref === "string" ? baseSchema.$ref : null;
  const curRef = typeof curSchema.$ref === "string" ? curSchema.$ref : null;
  if (baseRef !== null || curRef !== null) {
    const pair = `${direction} ${baseRef ?? basePointer} ${curRef ?? curPointer}`;
    if (context.seenRefs.has(pair)) return;
    context.seenRefs.add(pair);
  }
  const base = shapeOf(context.baseline, baseSchema, basePointer);
  const cur = shapeOf(context.current, curSchema, curPointer);
  const curAt = cur.branches[0]?.pointer ?? resolve(context.current, curSchema, curPointer).pointer;

  if (direction === "response" && !base.nullable && cur.nullable)
    report(context, true, "nullable-changed", curAt, "the response may now be null");
  if (direction === "request" && base.nullable && !cur.nullable)
    report(context, true, "nullable-changed", curAt, "null is no longer accepted");

  if (base.branches.length <= 1 && cur.branches.length <= 1) {
    const baseBranch = base.branches[0];
    const curBranch = cur.branches[0];
    if (baseBranch && curBranch) compareBranch(context, direction, baseBranch, curBranch);
    return;
  }
  // Unions: match alternatives by their types and discriminator constants.
  const curByKey = new Map(cur.branches.map((branch) => [branchKey(context.current, branch), branch]));
  const baseKeys = new Set<string>();
  for (const baseBranch of base.branches) {
    const key = branchKey(context.baseline, baseBranch);
    baseKeys.add(key);
    const match = curByKey.get(key);
    if (match) compareBranch(context, direction, baseBranch, match);
    else
      report(
        context,
        true,
        "variant-removed",
        baseBranch.pointer,
        `the ${direction} alternative ${describeBranch(key)} is gone (baseline pointer)`,
      );
  }
  for (const [key, branch] of curByKey) {
    if (!baseKeys.has(key))
      report(context, false, "variant-added", branch.pointer, `new ${direction} alternative ${describeBranch(key)}`);
  }
}

function compareBranch(
  context: Context,
  direction: Direction,
  base: { schema: JsonObject; pointer: string },
  cur: { schema: JsonObject; pointer: string },
): void {
  const baseTypes = nonNullTypes(base.schema);
  const curTypes = nonNullTypes(cur.schema);
  const typeBreaks = direction === "response" ? !typeCovers(baseTypes, curTypes) : !typeCovers(curTypes, baseTypes);
  if (typeBreaks) {
    report(
      context,
      true,
      "type-changed",
      cur.pointer,
      `type was ${baseTypes.join("|") || "any"}, now ${curTypes.join("|") || "any"}`,
    );
    return; // Comparing the insides of a different type would only add noise.
  }

  const baseEnum = enumOf(base.schema);
  const curEnum = enumOf(cur.schema);
  if (baseEnum && curEnum) {
    for (const value of baseEnum)
      if (!curEnum.some((candidate) => show(candidate) === show(value)))
        report(context, true, "enum-value-removed", cur.pointer, `enum value ${show(value)} removed`);
    for (const value of curEnum)
      if (!baseEnum.some((candidate) => show(candidate) === show(value)))
        report(context, false, "enum-value-added", cur.pointer, `enum value ${show(value)} added`);
  } else if (!baseEnum && curEnum && direction === "request") {
    report(context, true, "enum-added", cur.pointer, `now only accepts ${curEnum.map(show).join(", ")}`);
  }

  if (direction === "request") compareBounds(context, base.schema, cur);

  // Objects.
  const baseProperties = objectAt(base.schema, "properties") ?? {};
  const curProperties = objectAt(cur.schema, "properties") ?? {};
  const baseRequired = new Set(Array.isArray(base.schema.required) ? base.schema.required.map(String) : []);
  const curRequired = new Set(Array.isArray(cur.schema.required) ? cur.schema.required.map(String) : []);
  for (const [name, baseProperty] of Object.entries(baseProperties)) {
    const curProperty = curProperties[name];
    if (!isObject(baseProperty)) continue;
    if (!isObject(curProperty)) {
      report(
        context,
        true,
        "property-removed",
        join(base.pointer, "properties", name),
        `${direction} property "${name}" was removed or renamed (baseline pointer)`,
      );
      continue;
    }
    if (direction === "response" && baseRequired.has(name) && !curRequired.has(name))
      report(
        context,
        true,
        "property-no-longer-required",
        join(cur.pointer, "properties", name),
        `response property "${name}" may now be absent`,
      );
    compareSchema(
      context,
      direction,
      baseProperty,
      join(base.pointer, "properties", name),
      curProperty,
      join(cur.pointer, "properties", name),
    );
  }
  for (const name of Object.keys(curProperties)) {
    if (name in baseProperties) {
      if (direction === "request" && curRequired.has(name) && !baseRequired.has(name))
        report(
          context,
          true,
          "property-newly-required",
          join(cur.pointer, "properties", name),
          `request property "${name}" is now required`,
        );
      continue;
    }
    if (direction === "request" && curRequired.has(name))
      report(
        context,
        true,
        "property-newly-required",
        join(cur.pointer, "properties", name),
        `new required request property "${name}"`,
      );
    else report(context, false, "property-added", join(cur.pointer, "properties", name), `new property "${name}"`);
  }
  if (
    direction === "request" &&
    base.schema.additionalProperties !== false &&
    cur.schema.additionalProperties === false
  )
    report(
      context,
      true,
      "additional-properties-closed",
      join(cur.pointer, "additionalProperties"),
      "the request object no longer accepts other properties",
    );

  // Arrays.
  const baseItems = objectAt(base.schema, "items");
  const curItems = objectAt(cur.schema, "items");
  if (baseItems && curItems)
    compareSchema(context, direction, baseItems, join(base.pointer, "items"), curItems, join(cur.pointer, "items"));
}

function compareBounds(context: Context, base: JsonObject, cur: { schema: JsonObject; pointer: string }): void {
  for (const bound of UPPER_BOUNDS) {
    const before = base[bound];
    const after = cur.schema[bound];
    if (typeof after === "number" && (typeof before !== "number" || after < before))
      report(
        context,
        true,
        "constraint-tightened",
        join(cur.pointer, bound),
        `${bound} was ${show(before)}, now ${after}`,
      );
  }
  for (const bound of LOWER_BOUNDS) {
    const before = base[bound];
    const after = cur.schema[bound];
    if (typeof after === "number" && (typeof before !== "number" || after > before))
      report(
        context,
        true,
        "constraint-tightened",
        join(cur.pointer, bound),
        `${bound} was ${show(before)}, now ${after}`,
      );
  }
  const beforePattern = base.pattern;
  const afterPattern = cur.schema.pattern;
  if (typeof afterPattern === "string" && afterPattern !== beforePattern)
    report(
      context,
      true,
      "constraint-tightened",
      join(cur.pointer, "pattern"),
      `pattern was ${show(beforePattern)}, now ${show(afterPattern)}`,
    );
}

function parameterKey(parameter: JsonObject): string {
  const where = typeof parameter.in === "string" ? parameter.in : JSON.stringify(parameter.in);
  const name = typeof parameter.name === "string" ? parameter.name : JSON.stringify(parameter.name);
  return `${where}:${where === "header" ? name.toLowerCase() : name}`;
}

function parametersOf(
  document: JsonObject,
  pathItem: JsonObject,
  operation: JsonObject,
  operationPointer: string,
  pathPointer: string,
): Map<string, { schema: JsonObject; pointer: string }> {
  const found = new Map<string, { schema: JsonObject; pointer: string }>();
  const add = (list: Json | undefined, pointer: string) => {
    if (!Array.isArray(list)) return;
    list.forEach((raw, index) => {
      if (!isObject(raw)) return;
      const parameter = resolve(document, raw, join(pointer, "parameters", index));
      found.set(parameterKey(parameter.schema), parameter);
    });
  };
  add(pathItem.parameters, pathPointer); // Path-level first; operation-level overrides.
  add(operation.parameters, operationPointer);
  return found;
}

function compareParameters(
  context: Context,
  base: Map<string, { schema: JsonObject; pointer: string }>,
  cur: Map<string, { schema: JsonObject; pointer: string }>,
): void {
  for (const [key, baseParameter] of base) {
    const curParameter = cur.get(key);
    if (!curParameter) {
      report(
        context,
        true,
        "parameter-removed",
        baseParameter.pointer,
        `parameter ${key} was removed (baseline pointer)`,
      );
      continue;
    }
    if (curParameter.schema.required === true && baseParameter.schema.required !== true)
      report(
        context,
        true,
        "parameter-newly-required",
        join(curParameter.pointer, "required"),
        `parameter ${key} is now required`,
      );
    const baseSchema = objectAt(baseParameter.schema, "schema");
    const curSchema = objectAt(curParameter.schema, "schema");
    if (baseSchema && curSchema)
      compareSchema(
        context,
        "request",
        baseSchema,
        join(baseParameter.pointer, "schema"),
        curSchema,
        join(curParameter.pointer, "schema"),
      );
  }
  for (const [key, curParameter] of cur) {
    if (base.has(key)) continue;
    if (curParameter.schema.required === true)
      report(
        context,
        true,
        "parameter-newly-required",
        join(curParameter.pointer, "required"),
        `new required parameter ${key}`,
      );
    else report(context, false, "parameter-added", curParameter.pointer, `new optional parameter ${key}`);
  }
}

function compareRequestBody(
  context: Context,
  baseOperation: JsonObject,
  basePointer: string,
  curOperation: JsonObject,
  curPointer: string,
): void {
  const baseBodyRaw = objectAt(baseOperation, "requestBody");
  const curBodyRaw = objectAt(curOperation, "requestBody");
  const curBody = curBodyRaw ? resolve(context.current, curBodyRaw, join(curPointer, "requestBody")) : undefined;
  const baseBody = baseBodyRaw ? resolve(context.baseline, baseBodyRaw, join(basePointer, "requestBody")) : undefined;
  if (!baseBody) {
    if (curBody && curBody.schema.required === true)
      report(context, true, "request-body-newly-required", curBody.pointer, "a request body is now required");
    return;
  }
  if (!curBody) {
    report(
      context,
      true,
      "request-body-removed",
      baseBody.pointer,
      "the request body is no longer accepted (baseline pointer)",
    );
    return;
  }
  if (curBody.schema.required === true && baseBody.schema.required !== true)
    report(
      context,
      true,
      "request-body-newly-required",
      join(curBody.pointer, "required"),
      "the request body is now required",
    );
  const baseContent = objectAt(baseBody.schema, "content") ?? {};
  const curContent = objectAt(curBody.schema, "content") ?? {};
  for (const [mediaType, baseMedia] of Object.entries(baseContent)) {
    const curMedia = curContent[mediaType];
    const baseMediaPointer = join(baseBody.pointer, "content", mediaType);
    if (!isObject(curMedia)) {
      report(
        context,
        true,
        "request-media-type-removed",
        baseMediaPointer,
        `${mediaType} is no longer accepted (baseline pointer)`,
      );
      continue;
    }
    const baseSchema = objectAt(baseMedia, "schema");
    const curSchema = objectAt(curMedia, "schema");
    if (baseSchema && curSchema)
      compareSchema(
        context,
        "request",
        baseSchema,
        join(baseMediaPointer, "schema"),
        curSchema,
        join(curBody.pointer, "content", mediaType, "schema"),
      );
  }
}

function compareResponses(
  context: Context,
  baseOperation: JsonObject,
  basePointer: string,
  curOperation: JsonObject,
  curPointer: string,
): void {
  const baseResponses = objectAt(baseOperation, "responses") ?? {};
  const curResponses = objectAt(curOperation, "responses") ?? {};
  for (const [status, baseRaw] of Object.entries(baseResponses)) {
    if (!isObject(baseRaw)) continue;
    const baseResponse = resolve(context.baseline, baseRaw, join(basePointer, "responses", status));
    const curRaw = curResponses[status];
    if (!isObject(curRaw)) {
      report(
        context,
        true,
        "response-status-removed",
        baseResponse.pointer,
        `response ${status} was removed (baseline pointer)`,
      );
      continue;
    }
    const curResponse = resolve(context.current, curRaw, join(curPointer, "responses", status));
    const curHeaders = Object.keys(objectAt(curResponse.schema, "headers") ?? {}).map((name) => name.toLowerCase());
    for (const name of Object.keys(objectAt(baseResponse.schema, "headers") ?? {}))
      if (!curHeaders.includes(name.toLowerCase()))
        report(
          context,
          true,
          "response-header-removed",
          join(baseResponse.pointer, "headers", name),
          `response ${status} no longer sends ${name} (baseline pointer)`,
        );
    const baseContent = objectAt(baseResponse.schema, "content") ?? {};
    const curContent = objectAt(curResponse.schema, "content") ?? {};
    for (const [mediaType, baseMedia] of Object.entries(baseContent)) {
      const curMedia = curContent[mediaType];
      const baseMediaPointer = join(baseResponse.pointer, "content", mediaType);
      if (!isObject(curMedia)) {
        report(
          context,
          true,
          "response-media-type-removed",
          baseMediaPointer,
          `response ${status} is no longer ${mediaType} (baseline pointer)`,
        );
        continue;
      }
      const baseSchema = objectAt(baseMedia, "schema");
      const curSchema = objectAt(curMedia, "schema");
      if (baseSchema && curSchema)
        compareSchema(
          context,
          "response",
          baseSchema,
          join(baseMediaPointer, "schema"),
          curSchema,
          join(curResponse.pointer, "content", mediaType, "schema"),
        );
    }
  }
  for (const status of Object.keys(curResponses))
    if (!(status in baseResponses))
      report(context, false, "response-status-added", join(curPointer, "responses", status), `new response ${status}`);
}

function securityAlternatives(operation: JsonObject, document: JsonObject): string[] {
  const security = Array.isArray(operation.security)
    ? operation.security
    : Array.isArray(document.security)
      ? document.security
      : [];
  if (security.length === 0) return ["(none)"];
  return security.map((requirement) =>
    isObject(requirement) ? Object.keys(requirement).sort().join("+") || "(none)" : "(none)",
  );
}

function compareAccess(
  context: Context,
  baseOperation: JsonObject,
  curOperation: JsonObject,
  curPointer: string,
): void {
  const baseAccess = baseOperation["x-access"];
  const curAccess = curOperation["x-access"];
  if (typeof baseAccess === "string" && typeof curAccess === "string") {
    if (baseAccess === curAccess) return;
    const before = CALLERS_BY_ACCESS[baseAccess];
    const after = CALLERS_BY_ACCESS[curAccess];
    if (!before || !after) {
      report(
        context,
        true,
        "access-stricter",
        join(curPointer, "x-access"),
        `access changed from ${baseAccess} to ${curAccess} (unknown level)`,
      );
      return;
    }
    const lost = before.filter((caller) => !after.includes(caller));
    if (lost.length > 0)
      report(
        context,
        true,
        "access-stricter",
        join(curPointer, "x-access"),
        `access was ${baseAccess}, now ${curAccess}: ${lost.join(", ")} may no longer call it`,
      );
    else
      report(
        context,
        false,
        "access-looser",
        join(curPointer, "x-access"),
        `access was ${baseAccess}, now ${curAccess}`,
      );
    return;
  }
  // Without x-access on both sides: every way of calling it the baseline allowed must remain.
  const before = securityAlternatives(baseOperation, context.baseline);
  const after = securityAlternatives(curOperation, context.current);
  const lost = before.filter((alternative) => !after.includes(alternative));
  if (lost.length > 0)
    report(
      context,
      true,
      "access-stricter",
      join(curPointer, "security"),
      `security alternatives removed: ${lost.join(", ")}`,
    );
}

/**
 * Compare `current` against `baseline` (two OpenAPI 3.x documents as parsed JSON) and list every
 * breaking and every additive change, each with its path, method and JSON pointer. Pure.
 */
export function diffOpenApi(baseline: Json, current: Json): OpenApiDiff {
  if (!isObject(baseline) || !isObject(baseline.paths))
    throw new Error("baseline: expected an OpenAPI document with paths");
  if (!isObject(current) || !isObject(current.paths))
    throw new Error("current: expected an OpenAPI document with paths");
  const diff: OpenApiDiff = { breaking: [], additive: [] };
  const basePaths = baseline.paths;
  const curPaths = current.paths;
  for (const [path, basePathItem] of Object.entries(basePaths)) {
    if (!isObject(basePathItem)) continue;
    const pathPointer = join("", "paths", path);
    const curPathItem = curPaths[path];
    const pathContext: Context = { baseline, current, path, method: "", diff, seenRefs: new Set() };
    if (!isObject(curPathItem)) {
      report(pathContext, true, "path-removed", pathPointer, `path ${path} was removed (baseline pointer)`);
      continue;
    }
    for (const method of METHODS) {
      const baseOperation = objectAt(basePathItem, method);
      const curOperation = objectAt(curPathItem, method);
      const operationPointer = join(pathPointer, method);
      const context: Context = { baseline, current, path, method, diff, seenRefs: new Set() };
      if (!baseOperation) {
        if (curOperation)
          report(context, false, "method-added", operationPointer, `new operation ${method.toUpperCase()} ${path}`);
        continue;
      }
      if (!curOperation) {
        report(
          context,
          true,
          "method-removed",
          operationPointer,
          `${method.toUpperCase()} ${path} was removed (baseline pointer)`,
        );
        continue;
      }
      compareAccess(context, baseOperation, curOperation, operationPointer);
      compareParameters(
        context,
        parametersOf(baseline, basePathItem, baseOperation, operationPointer, pathPointer),
        parametersOf(current, curPathItem, curOperation, operationPointer, pathPointer),
      );
      compareRequestBody(context, baseOperation, operationPointer, curOperation, operationPointer);
      compareResponses(context, baseOperation, operationPointer, curOperation, operationPointer);
    }
  }
  for (const path of Object.keys(curPaths))
    if (!(path in basePaths))
      report(
        { baseline, current, path, method: "", diff, seenRefs: new Set() },
        false,
        "path-added",
        join("", "paths", path),
        `new path ${path}`,
      );
  return diff;
}

/** One line per change: `BREAKING post /scenarios #/paths/~1scenarios/post/…: message`. */
export function formatChanges(changes: Change[], label = "BREAKING"): string {
  return changes
    .map(
      (change) =>
        `${label} ${change.method || "*"} ${change.path} #${change.pointer} [${change.kind}]: ${change.message}`,
    )
    .join("\n");
}
