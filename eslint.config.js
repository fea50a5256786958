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
  // The rooms' boundaries are dependency-cruiser's (.dependency-cruiser.cjs, run by `npm run lint`).
  // The configuration has one reader (app/lib/env.server.ts): the app's other modules import env().
  {
    files: ["app/**/*.{ts,tsx}"],
    ignores: ["app/lib/env.server.ts", "**/*.test.ts"],
    rules: {
      "no-restricted-properties": [
        "error",
        {
          object: "process",
          property: "env",
          message: "Read the configuration through app/lib/env.server.ts (env(), logSettings()).",
        },
      ],
    },
  },
  // A function longer than a screen is hard to read whole: source functions stay under 120 lines, or
  // say on the line before why they do not.
  {
    files: ["app/**/*.{ts,tsx}", "scripts/**/*.ts", "simulator/**/*.ts", "bench/**/*.ts"],
    ignores: ["**/*.test.ts", "**/*.test.tsx"],
    rules: {
      "max-lines-per-function": ["error", { max: 120, skipBlankLines: true, skipComments: true }],
    },
  },
  {
    files: ["**/*.cjs"],
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);
