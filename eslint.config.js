import js from "@eslint/js";
import tseslint from "typescript-eslint";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import importX from "eslint-plugin-import-x";
import { createTypeScriptImportResolver } from "eslint-import-resolver-typescript";

export default tseslint.config(
  {
    ignores: [
      "build/",
      "node_modules/",
      "data/",
      "test-results/",
      "playwright-report/",
      ".scratch/",
      "models/db/migrations/",
      "tests/unit/fixtures/",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  { files: ["**/*.{js,mjs}"], languageOptions: { globals: globals.node } },
  {
    files: ["**/*.{ts,tsx}"],
    languageOptions: {
      globals: { ...globals.node, ...globals.browser },
      // Type-aware rules: a promise nobody awaits loses its error and its ordering.
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { "react-hooks": reactHooks },
    rules: {
      "react-hooks/rules-of-hooks": "error",
      "react-hooks/exhaustive-deps": "warn",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-console": "off",
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: { attributes: false } }],
    },
  },
  {
    // No import cycles (issue 9): a cycle makes module order decide what is defined at load time.
    // The TypeScript resolver reads tsconfig's paths (~/*, #models/*), so aliased imports count.
    // Product code only: following every import of the tests doubles the lint time for no gain.
    files: ["models/**/*.ts", "app/**/*.{ts,tsx}", "server/**/*.ts", "server.ts", "scripts/**/*.ts"],
    plugins: { "import-x": importX },
    settings: {
      // Without the TypeScript extensions and parser, the rule cannot read a .ts dependency and
      // passes every cycle in silence (a planted three-file cycle went unreported).
      "import-x/extensions": [".ts", ".tsx", ".js", ".mjs"],
      "import-x/parsers": { "@typescript-eslint/parser": [".ts", ".tsx"] },
      "import-x/resolver-next": [createTypeScriptImportResolver({ project: "./tsconfig.json" })],
    },
    rules: { "import-x/no-cycle": ["error", { ignoreExternal: true }] },
  },
  {
    // The running server (and the demo it seeds) never reaches into scripts/: those are the
    // command-line tools around it (seed, migrate, bench), not parts of it.
    files: ["server.ts", "server/**/*.ts", "demo/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ group: ["**/scripts/*", "./scripts/*"], message: "The server does not import scripts/." }] }],
    },
  },
  {
    // Layering (ARCHITECTURE.md): models never import from app, and only models/db touches drivers.
    files: ["models/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["~/*", "../app/*", "../../app/*", "@remix-run/*", "react"], message: "models/ is framework-free and never imports from app/." },
          ],
        },
      ],
    },
  },
  {
    files: ["app/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [
            { name: "pg", message: "Only models/db talks to the driver." },
            { name: "@electric-sql/pglite", message: "Only models/db talks to the driver." },
            { name: "drizzle-orm", message: "Queries live in models/." },
          ],
        },
      ],
    },
  },
);
