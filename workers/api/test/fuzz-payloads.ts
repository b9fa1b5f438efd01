import { env } from "cloudflare:test";
import fc from "fast-check";
import { type Path, type Target } from "./fuzz-targets.ts";

/** The fuzz's seed, counts and payload generator (shared by fuzz-*.test.ts through fuzz-harness.ts). */

/** Payloads per write route (issue #19: at least 10,000). */
export const RUNS = Number(env.FUZZ_RUNS || 10_000);
/** The run's seed: `FUZZ_SEED` to replay a logged one, else a fresh one per run. */
export const SEED = env.FUZZ_SEED ? Number(env.FUZZ_SEED) : Date.now() % 2_147_483_647;
/** Requests in flight at once (the handler awaits D1 and the rate limiter; batches overlap them). */
export const BATCH = 32;
/**
 * Of each route's payloads, this many are the heavy kinds (1 MB bodies, 100,000-element arrays,
 * 10,000-deep nesting), spread evenly: they test one code path (the body cap and the nesting
 * check, before any route code) and cost ~100x a small payload each.
 */
export const HEAVY_PER_ROUTE = 30;

export const HOSTILE_STRINGS = [
  "",
  "   ",
  "\u0000",
  "\uD800",
  "\u202Egnp.exe",
  "'; DROP TABLE scenarios; --",
  '" OR 1=1 --',
  "=cmd|' /C calc'!A0",
  "+SUM(1)",
  "@import",
  "-1",
  "__proto__",
  "constructor",
  "../../etc/passwd",
  "%00",
  "\\u0000",
  "x".repeat(300),
  "é".repeat(150),
  "🙂".repeat(60),
];

export const PROTECTED_KEYS = [
  "org_id",
  "orgId",
  "id",
  "version",
  "status",
  "key_hash",
  "keyHash",
  "createdAt",
  "revokedAt",
  "__proto__",
  "constructor",
  "prototype",
  "scenarioVersion",
  "priceBookVersion",
];

/** Values that are the wrong type or out of range for the field at `path`. */
export function badValuesFor(path: Path): unknown[] {
  const leaf = String(path[path.length - 1]);
  const wrongTypes: unknown[] = [null, true, [], {}, [1, 2], { $gt: "" }];
  if (["name", "keyName"].includes(leaf))
    return [...wrongTypes, 42, "", "   ", "x".repeat(201), "é".repeat(101), "🙂".repeat(51)];
  if (leaf === "role") return [...wrongTypes, "owner", "ADMIN", "", 1];
  if (leaf === "format") return [...wrongTypes, "pdf", "csv", "", "XLSX", "monthly.csv "];
  if (leaf === "expiresInDays") return [...wrongTypes, 0, -1, 1.5, 3651, 1e308, "30", -0.5];
  if (leaf === "expiresInSeconds") return [...wrongTypes, 0, 59, 1.5, 604_801, 1e308, "3600"];
  if (leaf === "scenario") return [null, true, [], "scenario", 0, { name: "only a name" }];
  if (leaf === "startMonth") return [...wrongTypes, "2027-13", "2027-1", "27-01", "", 202701];
  if (leaf === "horizonYears") return [...wrongTypes, 0, -1, "5"];
  if (leaf === "discountRatePerYear") return [...wrongTypes, "9%", -2];
  if (leaf === "requestsPerDay" || leaf === "outputTokensPerRequest") return [...wrongTypes, -1, "lots"];
  if (leaf === "options")
    return [
      null,
      [],
      {},
      "options",
      Array.from({ length: 101 }, (_, i) => ({
        kind: "api",
        id: `o${i}`,
        usdPerMillionInputTokens: 1,
        usdPerMillionOutputTokens: 1,
      })),
    ];
  if (leaf === "kind") return [...wrongTypes, "rent", "", "BUILD", 0];
  // Quote fields (null is valid for unitPriceUsd and note, so it is not among their bad values).
  if (leaf === "targetKind") return [...wrongTypes, "server", "", "SKU", 1];
  if (leaf === "targetId") return [...wrongTypes, "", "no-such-server", 42, "x".repeat(201)];
  if (leaf === "unitPriceUsd") return [true, [], {}, { $gt: "" }, 0, -1, 2e9, "265000", "NaN"];
  if (leaf === "discount") return [...wrongTypes, 1, -0.1, 1.5, "0.05"];
  if (leaf === "validUntil") return [...wrongTypes, "2027-02-30", "2020-01-01", "31/12/2099", "", 20991231];
  // Risk and optimiser settings: any integer seed within ±2^52 is valid, so -1 is not a bad value.
  if (leaf === "seed") return [...wrongTypes, 1.5, 2 ** 53, "1", "NaN"];
  if (leaf === "samples") return [...wrongTypes, 0, -1, 1.5, 10_001, 1e308, "100"];
  if (leaf === "periodMonths") return [...wrongTypes, 0, -1, 1.5, 7, 1e308, "12"];
  if (leaf === "note") return [true, [], {}, { $gt: "" }, 42, "x".repeat(501)];
  return [...wrongTypes, -1, "NaN"];
}

export function getAt(target: unknown, path: Path): unknown {
  return path.reduce<unknown>((value, key) => (value as Record<string | number, unknown> | undefined)?.[key], target);
}

export function setAt(target: Record<string, unknown>, path: Path, value: unknown, remove = false): boolean {
  let node: unknown = target;
  for (const key of path.slice(0, -1)) {
    node = (node as Record<string | number, unknown>)[key];
    if (node === null || typeof node !== "object") return false;
  }
  const last = path[path.length - 1] as string | number;
  const parent = node as Record<string | number, unknown>;
  if (!(last in parent) && remove) return false;
  if (remove) {
    if (Array.isArray(parent)) return false;
    delete parent[last];
  } else parent[last] = value;
  return true;
}

export interface FuzzRequest {
  target: Target;
  mutation: string;
  body: string | ReadableStream<Uint8Array>;
  contentType: string | null;
}

export type Mutation =
  | "drop"
  | "wrongType"
  | "extraKey"
  | "protectedKey"
  | "malformed"
  | "nonJson"
  | "oversize"
  | "deep"
  | "hugeArray"
  | "topLevel"
  | "duplicateKey";

export const MALFORMED = [
  "{",
  "[1,2",
  '{"name":}',
  "\u0000",
  "NaN",
  "{'name':'x'}",
  '{"name":"x",}',
  "undefined",
  '{"name":"x"} trailing',
  "\uFEFF{",
  "",
];

export function build(target: Target, mutation: Mutation, pick: number, hostile: string): FuzzRequest | null {
  const body = target.base();
  // Hostile strings ride along in a text field; the mutation below keeps the body invalid.
  if ("name" in body && typeof body.name === "string") body.name = hostile || "fuzz";
  const json = (value: unknown) => ({ target, mutation, body: JSON.stringify(value), contentType: "application/json" });
  switch (mutation) {
    case "drop": {
      if (target.required.length === 0) return null;
      const path = target.required[pick % target.required.length] as Path;
      return setAt(body, path, undefined, true) ? json(body) : null;
    }
    case "wrongType": {
      const path = target.fields[pick % target.fields.length] as Path;
      const values = badValuesFor(path);
      if (getAt(body, path.slice(0, -1)) === undefined) return null;
      setAt(body, path, values[Math.floor(pick / target.fields.length) % values.length]);
      return json(body);
    }
    case "extraKey": {
      const key = `unknown_${hostile.replace(/[^a-z]/gi, "").slice(0, 10) || "field"}`;
      body[key] = hostile;
      return json(body);
    }
    case "protectedKey": {
      const candidates = PROTECTED_KEYS.filter((key) => !target.allowedTopKeys.includes(key));
      const key = candidates[pick % candidates.length] as string;
      // Written as raw JSON so "__proto__" is a real own key on the wire.
      const text = JSON.stringify(body);
      return {
        target,
        mutation,
        body: `${text.slice(0, -1)},${JSON.stringify(key)}:${JSON.stringify(pick % 2 ? "org_attacker" : { admin: true })}}`,
        contentType: "application/json",
      };
    }
    case "malformed":
      return { target, mutation, body: MALFORMED[pick % MALFORMED.length] as string, contentType: "application/json" };
    case "nonJson": {
      const types = [
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        null,
        "application/xml",
        "text/csv",
        "application/jsonx",
      ];
      return {
        target,
        mutation,
        body: JSON.stringify(target.base()),
        contentType: types[pick % types.length] as string | null,
      };
    }
    case "oversize": {
      if (pick % 2 === 0) return json({ ...body, padding: "x".repeat(1_000_050) });
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          const chunk = new TextEncoder().encode(" ".repeat(65_536));
          for (let i = 0; i < 17; i++) controller.enqueue(chunk);
          controller.close();
        },
      });
      return { target, mutation, body: stream, contentType: "application/json" };
    }
    case "deep": {
      const depth = 10_000;
      return { target, mutation, body: `${"[".repeat(depth)}${"]".repeat(depth)}`, contentType: "application/json" };
    }
    case "hugeArray":
      return json(
        pick % 2
          ? new Array(100_000).fill(0)
          : { ...body, [target.allowedTopKeys[0] as string]: new Array(100_000).fill(hostile) },
      );
    case "topLevel":
      return json([null, 42, "string", [], true][pick % 5]);
    case "duplicateKey": {
      const key = target.allowedTopKeys[0] as string;
      const text = JSON.stringify(body);
      return {
        target,
        mutation,
        body: `${text.slice(0, -1)},${JSON.stringify(key)}:[]}`,
        contentType: "application/json",
      };
    }
  }
}

/** The cheap kinds, drawn for most payloads (wrong types three times as often: most fields). */
export const CHEAP_MUTATIONS: Mutation[] = [
  "drop",
  "wrongType",
  "wrongType",
  "wrongType",
  "extraKey",
  "protectedKey",
  "malformed",
  "nonJson",
  "topLevel",
  "duplicateKey",
];
export const HEAVY_MUTATIONS: Mutation[] = ["oversize", "deep", "hugeArray"];

/** The payloads of one route: `RUNS` of them from `seed`, {@link HEAVY_PER_ROUTE} of the heavy kinds. */
export function payloadsFor(target: Target, seed: number): FuzzRequest[] {
  const draw = (mutations: Mutation[], count: number, salt: number): FuzzRequest[] => {
    if (count <= 0) return [];
    const out: FuzzRequest[] = [];
    // Some draws build nothing (a drop on a route without required keys): draw more until enough.
    for (let round = 0; out.length < count && round < 10; round++) {
      const sample = fc.sample(
        fc.tuple(fc.constantFrom(...mutations), fc.nat({ max: 10_000 }), fc.constantFrom(...HOSTILE_STRINGS)),
        { numRuns: 2 * (count - out.length), seed: seed + salt + round * 7919 },
      );
      for (const [mutation, pick, hostile] of sample) {
        const request = build(target, mutation, pick, hostile);
        if (request) out.push(request);
        if (out.length === count) break;
      }
    }
    return out;
  };
  const heavyCount = Math.min(HEAVY_PER_ROUTE, Math.floor(RUNS / 10));
  const heavy = draw(HEAVY_MUTATIONS, heavyCount, 1);
  const cheap = draw(CHEAP_MUTATIONS, RUNS - heavy.length, 0);
  // Heavy ones spread through the run, not bunched at one end.
  const step = Math.max(1, Math.floor(cheap.length / Math.max(1, heavy.length)));
  const all: FuzzRequest[] = [];
  cheap.forEach((request, index) => {
    all.push(request);
    if (index % step === step - 1 && heavy.length > 0) all.push(heavy.shift() as FuzzRequest);
  });
  return [...all, ...heavy];
}
