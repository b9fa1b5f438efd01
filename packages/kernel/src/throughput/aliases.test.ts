import { describe, expect, test } from "vitest";
import { ACCELERATOR_ALIASES, MODEL_ALIASES, resolveName } from "./aliases.ts";

const ACCELERATORS = [
  "H200-SXM-141GB",
  "H200-SXM-141GB-CTS",
  "H200-NVL-141GB",
  "H100-SXM-80GB",
  "MI325X-256GB",
  "B200-SXM-180GB",
];

describe("accelerator aliases", () => {
  test("H200 means the SXM board, not the CTS or NVL variants", () => {
    expect(resolveName("H200", ACCELERATORS, ACCELERATOR_ALIASES)).toEqual({
      key: "H200-SXM-141GB",
      requested: "H200",
      via: "alias",
    });
    expect(resolveName("h100", ACCELERATORS, ACCELERATOR_ALIASES)).toMatchObject({
      key: "H100-SXM-80GB",
      via: "alias",
    });
  });

  test("exact keys win, case-insensitively", () => {
    expect(resolveName("h200-sxm-141gb-cts", ACCELERATORS, ACCELERATOR_ALIASES)).toMatchObject({
      key: "H200-SXM-141GB-CTS",
      via: "exact",
    });
  });

  test("a unique prefix resolves; an ambiguous one lists the candidates", () => {
    expect(resolveName("MI325X", ACCELERATORS, {})).toMatchObject({ key: "MI325X-256GB", via: "prefix" });
    expect(resolveName("H200", ACCELERATORS, {})).toEqual({
      requested: "H200",
      candidates: ["H200-NVL-141GB", "H200-SXM-141GB", "H200-SXM-141GB-CTS"],
    });
  });

  test("an alias whose target is absent from the data does not resolve to it", () => {
    expect(resolveName("B300", ACCELERATORS, ACCELERATOR_ALIASES)).toEqual({ requested: "B300", candidates: [] });
  });
});

describe("model aliases", () => {
  test("llama2-70b means the -99 accuracy variant when the data keeps benchmark names", () => {
    expect(resolveName("llama2-70b", ["llama2-70b-99", "llama2-70b-99.9"], MODEL_ALIASES)).toMatchObject({
      key: "llama2-70b-99",
      via: "alias",
    });
  });

  test("benchmark names resolve to the catalog's merged model key", () => {
    expect(resolveName("llama2-70b-99", ["llama2-70b", "deepseek-r1"], MODEL_ALIASES)).toMatchObject({
      key: "llama2-70b",
      via: "alias",
    });
    expect(resolveName("llama2-70b-99.9", ["llama2-70b"], MODEL_ALIASES)).toMatchObject({
      key: "llama2-70b",
      via: "alias",
    });
    expect(resolveName("llama2-70b", ["llama2-70b"], MODEL_ALIASES)).toMatchObject({ key: "llama2-70b", via: "exact" });
  });
});
