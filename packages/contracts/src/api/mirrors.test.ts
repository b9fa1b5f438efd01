/**
 * No mirrors of the wire contract (issue 20, ADR 034): the web app and the CLI take the API's
 * shapes from `@aifp/contracts/api`; a file of theirs that declares an interface or type with
 * the name of a contract export is a hand-kept copy that drifts (a field added in the API
 * compiles in the copy and breaks at run time). The export names are read by the TypeScript
 * compiler from the contracts' own barrel, not listed here, so a new contract is covered at once.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, "../../../..");

/** Every name `@aifp/contracts/api` exports: schemas, constants, interfaces and types. */
function contractExportNames(): Set<string> {
  const entry = path.join(here, "index.ts");
  const program = ts.createProgram([entry], {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    allowImportingTsExtensions: true,
    noEmit: true,
    skipLibCheck: true,
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(entry);
  const symbol = source && checker.getSymbolAtLocation(source);
  if (!symbol) throw new Error("could not read the exports of packages/contracts/src/api/index.ts");
  return new Set(checker.getExportsOfModule(symbol).map((item) => item.name));
}

/** Source files of a consumer: TypeScript and Svelte, tests included, node_modules and builds not. */
function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name === "node_modules" || name.startsWith(".")) continue;
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...sourceFiles(full));
    else if (/\.(ts|svelte)$/.test(name) && !name.endsWith(".d.ts")) out.push(full);
  }
  return out;
}

/**
 * `interface X`, `type X =` (or `type X<T> =`) and `class X` declared in a file; imports and
 * re-exports (`import { type X }`, `export type { X }`) are not declarations.
 */
export function declaredTypeNames(text: string): string[] {
  const declaration =
    /^[ \t]*(?:export[ \t]+)?(?:declare[ \t]+)?(?:(?:interface|class)[ \t]+(\w+)|type[ \t]+(\w+)[ \t]*(?:<[^>\n]*>)?[ \t]*=)/gm;
  return [...text.matchAll(declaration)].map((match) => (match[1] ?? match[2])!);
}

/** The consumers that must not copy the contract: the web app and the CLI. */
const CONSUMER_DIRS = ["apps/web/src", "packages/cli/src"];

describe("no web or CLI file mirrors a contract of @aifp/contracts/api", () => {
  const contracts = contractExportNames();

  it("reads the contract's exports (schemas and types)", () => {
    // A few the web app reads, so an empty or broken read cannot pass the check below.
    for (const name of ["Quote", "QuoteSchema", "Me", "Member", "ApiKey", "ProposalContent", "ApiRoutes"])
      expect(contracts.has(name), name).toBe(true);
  });

  it("finds declarations the way the check reads them", () => {
    const text = [
      "export interface Quote {",
      "}",
      "type Me = { kind: string };",
      "  export type Page<T> = { data: T[] };",
      "import { type Invitation, type Role } from './x';",
      "  type Member,",
      "export type { ApiKey };",
    ].join("\n");
    expect(declaredTypeNames(text)).toEqual(["Quote", "Me", "Page"]);
  });

  it("no consumer file declares a type named like a contract export", () => {
    const mirrors: string[] = [];
    for (const dir of CONSUMER_DIRS)
      for (const file of sourceFiles(path.join(repoRoot, dir)))
        for (const name of declaredTypeNames(readFileSync(file, "utf8")))
          if (contracts.has(name)) mirrors.push(`${path.relative(repoRoot, file)}: ${name}`);
    expect(mirrors, "import these from @aifp/contracts/api instead of declaring them").toEqual([]);
  });
});
