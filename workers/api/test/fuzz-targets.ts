import { smallScenario } from "./fixtures.ts";

/** The write routes the fuzz covers, with their valid bodies and fields (shared by fuzz-*.test.ts, fuzz-harness.ts). */

export type Path = (string | number)[];

export interface Target {
  name: string;
  method: "POST" | "PATCH";
  path: (org: OrgCtx) => string;
  auth: "admin" | "member" | "none";
  base: () => Record<string, unknown>;
  /** Keys of the body that are required. */
  required: Path[];
  /** Paths whose value may be replaced by a wrong type or bad number. */
  fields: Path[];
  /** Keys the schema allows at top level (extra-key mutation must avoid them). */
  allowedTopKeys: string[];
  ifMatch?: boolean;
}

/** One organisation's keys and objects; requests rotate over several so no key meets its rate limit. */
export interface OrgCtx {
  adminKeys: string[];
  memberKeys: string[];
  scenarioId: string;
  planId: string;
  quoteId: string;
}

export const scenarioRequired: Path[] = [
  ["startMonth"],
  ["horizonYears"],
  ["finance"],
  ["workload"],
  ["options"],
  ["finance", "discountRatePerYear"],
  ["workload", "requestsPerDay"],
  ["options", 0, "kind"],
  ["options", 0, "id"],
];
export const scenarioFields: Path[] = [
  ["startMonth"],
  ["horizonYears"],
  ["finance", "discountRatePerYear"],
  ["workload", "requestsPerDay"],
  ["workload", "outputTokensPerRequest"],
  ["options"],
  ["options", 0, "kind"],
  ["options", 0, "priceUsdPerInstanceHour"],
  ["options", 1, "usdPerMillionInputTokens"],
];
export const prefixed = (prefix: string, paths: Path[]): Path[] => paths.map((path) => [prefix, ...path]);

export const TARGETS: Target[] = [
  {
    name: "create org",
    method: "POST",
    path: () => "/orgs",
    auth: "none",
    base: () => ({ name: "Fuzz org" }),
    required: [["name"]],
    fields: [["name"], ["keyName"]],
    allowedTopKeys: ["name", "keyName"],
  },
  {
    name: "create key",
    method: "POST",
    path: () => "/keys",
    auth: "admin",
    base: () => ({ name: "fuzz", role: "member", expiresInDays: 30 }),
    required: [["name"]],
    fields: [["name"], ["role"], ["expiresInDays"]],
    allowedTopKeys: ["name", "role", "expiresInDays"],
  },
  {
    name: "create scenario",
    method: "POST",
    path: () => "/scenarios",
    auth: "member",
    base: () => ({ name: "fuzz", scenario: smallScenario() }),
    required: [["scenario"], ...prefixed("scenario", scenarioRequired)],
    fields: [["name"], ["scenario"], ...prefixed("scenario", scenarioFields)],
    allowedTopKeys: ["name", "scenario"],
  },
  {
    name: "update scenario",
    method: "PATCH",
    path: (org) => `/scenarios/${org.scenarioId}`,
    auth: "member",
    base: () => ({ name: "fuzz", scenario: smallScenario() }),
    required: prefixed("scenario", scenarioRequired),
    fields: [["name"], ["scenario"], ...prefixed("scenario", scenarioFields)],
    allowedTopKeys: ["name", "scenario"],
    ifMatch: true,
  },
  {
    name: "create plan",
    method: "POST",
    path: (org) => `/scenarios/${org.scenarioId}/plans`,
    auth: "member",
    base: () => ({ name: "fuzz plan" }),
    required: [],
    fields: [["name"]],
    allowedTopKeys: ["name"],
  },
  {
    name: "create link",
    method: "POST",
    path: (org) => `/plans/${org.planId}/links`,
    auth: "member",
    base: () => ({ format: "monthly.csv", expiresInSeconds: 3600 }),
    required: [["format"]],
    fields: [["format"], ["expiresInSeconds"]],
    allowedTopKeys: ["format", "expiresInSeconds"],
  },
  {
    name: "create quote",
    method: "POST",
    path: () => "/quotes",
    auth: "admin",
    base: () => ({
      targetKind: "sku",
      targetId: "dell-poweredge-xe9680",
      unitPriceUsd: 265000,
      discount: 0.05,
      validUntil: "2099-12-31",
      note: "fuzz",
    }),
    required: [["targetKind"], ["targetId"], ["validUntil"]],
    fields: [["targetKind"], ["targetId"], ["unitPriceUsd"], ["discount"], ["validUntil"], ["note"]],
    allowedTopKeys: ["targetKind", "targetId", "unitPriceUsd", "discount", "validUntil", "note"],
  },
  {
    name: "update quote",
    method: "PATCH",
    path: (org) => `/quotes/${org.quoteId}`,
    auth: "admin",
    base: () => ({ discount: 0.1, note: "fuzz" }),
    required: [],
    fields: [["unitPriceUsd"], ["discount"], ["validUntil"], ["note"]],
    allowedTopKeys: ["unitPriceUsd", "discount", "validUntil", "note"],
    ifMatch: true,
  },
  {
    name: "evaluate",
    method: "POST",
    path: () => "/evaluate",
    auth: "none",
    base: () => smallScenario(),
    required: scenarioRequired,
    fields: scenarioFields,
    allowedTopKeys: ["name", "startMonth", "horizonYears", "finance", "workload", "site", "options", "comparison"],
  },
  {
    name: "optimise",
    method: "POST",
    path: () => "/optimise",
    auth: "none",
    base: () => ({ scenario: smallScenario(), optimise: { periodMonths: 12 } }),
    required: [["scenario"], ...prefixed("scenario", scenarioRequired)],
    fields: [["scenario"], ...prefixed("scenario", scenarioFields), ["optimise", "periodMonths"]],
    allowedTopKeys: ["scenario", "optimise"],
  },
  {
    name: "risk",
    method: "POST",
    path: () => "/risk",
    auth: "none",
    base: () => ({ scenario: smallScenario(), risk: { samples: 100, seed: 1 } }),
    required: [["scenario"], ...prefixed("scenario", scenarioRequired)],
    fields: [["scenario"], ...prefixed("scenario", scenarioFields), ["risk", "samples"], ["risk", "seed"]],
    allowedTopKeys: ["scenario", "risk"],
  },
];
