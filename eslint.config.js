import js from "@eslint/js";
import tseslint from "typescript-eslint";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";

export default tseslint.config(
  { ignores: ["build/", ".cache/", ".data/", "node_modules/", "public/build/", "extensions/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    plugins: { "react-hooks": reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
      // One import style: a relative import names its file with the extension, as Node needs to run
      // the scripts, tests and benches (Vite accepts it too).
      "no-restricted-syntax": [
        "error",
        ...["ImportDeclaration", "ExportAllDeclaration", "ExportNamedDeclaration", "ImportExpression"].map((node) => ({
          selector: `${node} > Literal.source[value=/^\\.\\.?\\/(?!.*\\.(ts|tsx|js|cjs|mjs|json|css|svg)(\\?[a-z]+)?$)/]`,
          message: "Name the imported file with its extension (.ts or .tsx).",
        })),
      ],
    },
  },
  // Type-aware checks: a promise nobody awaits or catches, a promise where a callback's result is
  // ignored, and a switch over a union that forgets a member.
  {
    files: ["**/*.ts", "**/*.tsx"],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      "@typescript-eslint/switch-exhaustiveness-check": ["error", { considerDefaultExhaustiveForUnions: true }],
    },
  },
  // The rooms' boundaries (tests/import-boundaries.test.ts follows the same rules through indirect imports).
  {
    files: ["app/ingest/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: [
                "@remix-run/*",
                "@shopify/shopify-app-remix",
                "@shopify/shopify-app-remix/*",
                "**/shopify.server*",
              ],
              message:
                "app/ingest is driven by jobs, webhooks and the CLI alike: it knows nothing of Remix and is handed its token source where a process starts it.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["app/routes/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["**/db.server*", "@prisma/client", "pg"],
              message:
                "Routes call a room (app/shops, app/ingest, app/insights); they never reach the database themselves.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["**/*.cjs"],
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);
