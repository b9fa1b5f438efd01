// ESLint (flat config) with typescript-eslint and eslint-plugin-svelte; Prettier formats.
// The import boundaries of docs/architecture.md are enforced here, not by memory:
//   {kernel, formats} ← catalog ← contracts ← {workers/api, apps/web, cli};  db ← workers/api.
// docs/architecture.md draws the floors.
import js from "@eslint/js";
import svelte from "eslint-plugin-svelte";
import globals from "globals";
import ts from "typescript-eslint";

const forbid = (...patterns) => ({
  "no-restricted-imports": ["error", { patterns: patterns.map(([group, message]) => ({ group, message })) }],
});

export default ts.config(
  {
    ignores: [
      "**/node_modules/",
      ".wrangler/",
      "**/.svelte-kit/",
      "apps/web/build/",
      "test-results/",
      "bench-results/",
      "packages/catalog/generated/",
    ],
  },
  js.configs.recommended,
  ...ts.configs.recommended,
  ...svelte.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
    },
  },
  {
    files: ["**/*.svelte", "**/*.svelte.ts"],
    languageOptions: { parserOptions: { parser: ts.parser, extraFileExtensions: [".svelte"] } },
  },
  {
    files: ["packages/kernel/src/**/*.ts"],
    ignores: ["**/*.test.ts"],
    rules: forbid(
      [
        ["@aifp/*", "drizzle-orm", "drizzle-orm/*", "hono", "hono/*", "valibot"],
        "The kernel is pure TypeScript with no dependencies on other packages.",
      ],
      [["node:*", "fs", "path", "child_process"], "The kernel does no I/O."],
    ),
  },
  {
    files: ["packages/formats/src/**/*.ts"],
    ignores: ["**/*.test.ts"],
    rules: forbid(
      [["@aifp/*", "drizzle-orm", "hono", "valibot"], "formats is the bottom floor: no other package."],
      [["node:*"], "formats runs in the browser and in workerd too: no Node built-ins."],
    ),
  },
  {
    files: ["packages/catalog/src/**/*.ts"],
    rules: forbid([
      ["@aifp/contracts", "@aifp/db", "@aifp/api", "@aifp/web", "drizzle-orm", "hono"],
      "catalog may depend only on the kernel and formats.",
    ]),
  },
  {
    files: ["packages/contracts/src/**/*.ts"],
    rules: forbid([
      ["@aifp/db", "@aifp/api", "@aifp/web", "drizzle-orm", "hono"],
      "contracts are wire shapes: kernel and catalog only.",
    ]),
  },
  {
    files: ["workers/api/src/routes/**/*.ts"],
    rules: forbid([
      ["drizzle-orm", "drizzle-orm/*", "@aifp/db"],
      "Route handlers are HTTP only: database access goes through services/.",
    ]),
  },
  {
    files: ["apps/web/src/**/*.{ts,svelte}"],
    rules: forbid([
      ["@aifp/db", "drizzle-orm", "drizzle-orm/*", "hono", "hono/*"],
      "The web app talks to the API, never to the database.",
    ]),
  },
);
