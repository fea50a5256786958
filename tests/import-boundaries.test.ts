import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { projectRoot } from "../scripts/lib/database.ts";

// The rooms' boundaries (docs: "Rooms" in the architecture notes, README "Layout"), checked on the
// import graph a process really loads: every static or dynamic import, except `import type` and
// `export type`, which TypeScript erases. ESLint's no-restricted-imports (eslint.config.js) catches a
// forbidden direct import; this follows the chains through other modules.

const app = path.join(projectRoot, "app");

/** The specifiers a module loads, as written. */
function importsOf(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && !node.importClause?.isTypeOnly) {
      found.push((node.moduleSpecifier as ts.StringLiteral).text);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && !node.isTypeOnly) {
      found.push((node.moduleSpecifier as ts.StringLiteral).text);
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      found.push(node.arguments[0].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function resolveLocal(from: string, specifier: string): string {
  const base = path.resolve(path.dirname(from), specifier);
  const file = [base, `${base}.ts`, `${base}.tsx`, path.join(base, "index.ts")].find((candidate) =>
    statSync(candidate, { throwIfNoEntry: false })?.isFile(),
  );
  if (!file) throw new Error(`${path.relative(projectRoot, from)}: cannot resolve ${specifier}`);
  return file;
}

/** Every project module (relative to the root) and package a module loads, directly or not. */
function loadedBy(entry: string): { modules: Set<string>; packages: Set<string> } {
  const modules = new Set<string>();
  const packages = new Set<string>();
  const pending = [path.join(projectRoot, entry)];
  while (pending.length) {
    const file = pending.pop()!;
    const name = path.relative(projectRoot, file);
    if (modules.has(name)) continue;
    modules.add(name);
    for (const specifier of importsOf(file)) {
      if (specifier.startsWith(".")) pending.push(resolveLocal(file, specifier));
      else packages.add(specifier);
    }
  }
  modules.delete(entry);
  return { modules, packages };
}

const ingestModules = readdirSync(path.join(app, "ingest"), { recursive: true, encoding: "utf8" })
  .filter((name) => /\.tsx?$/.test(name) && !name.endsWith(".test.ts"))
  .map((name) => `app/ingest/${name}`);

describe("import boundaries", () => {
  it("app/shopify.server.ts loads neither pg-boss nor the sync engine, and is not part of an import circle", () => {
    const { modules, packages } = loadedBy("app/shopify.server.ts");
    expect([...packages].filter((name) => name.startsWith("pg-boss"))).toEqual([]);
    expect(
      [...modules].filter((name) =>
        ["jobs.server.ts", "sync.server.ts", "background.server.ts", "upsert.server.ts"].some(
          (engine) => name === `app/ingest/${engine}`,
        ),
      ),
    ).toEqual([]);
    expect(modules.has("app/shopify.server.ts")).toBe(false);
  });

  it.each(ingestModules)("%s loads nothing of Remix or of app/shopify.server.ts", (entry) => {
    const { modules, packages } = loadedBy(entry);
    expect(modules.has("app/shopify.server.ts")).toBe(false);
    expect(
      [...packages].filter((name) => name.startsWith("@remix-run/") || name.startsWith("@shopify/shopify-app-remix")),
    ).toEqual([]);
  });
});
