import type { TestProject } from "vitest/node";
import pg from "pg";
import { createDatabase, databaseServer, databaseUrl, dropDatabases } from "../../scripts/lib/database.ts";
import { runPrisma } from "../../scripts/lib/prisma.ts";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import path from "node:path";
import { projectRoot } from "../../scripts/lib/database.ts";

// The server build that tests/support/app-server.ts serves; built fresh so tests never see stale code.
async function buildApp() {
  // A production build, as shipped (Vitest's NODE_ENV=test would bundle React's development build).
  await promisify(execFile)(path.join(projectRoot, "node_modules/.bin/remix"), ["vite:build"], {
    cwd: projectRoot,
    env: { ...process.env, NODE_ENV: "production" },
  });
}

declare module "vitest" {
  export interface ProvidedContext {
    databaseAdminUrl: string;
    databaseTemplate: string;
    databasePrefix: string;
  }
}

// One PostgreSQL server for the run (DATABASE_URL's, or an embedded one), one migrated template
// database, and from it a fresh database for every test file (tests/support/test-database.ts).
export default async function setup(project: TestProject) {
  await buildApp();
  const server = await databaseServer("postgres-test", 54330);
  const prefix = `si_test_${process.pid}_`;
  const template = `${prefix}template`;
  await createDatabase(server.adminUrl, template);
  await runPrisma(["migrate", "deploy"], databaseUrl(server.adminUrl, template), { quiet: true });

  project.provide("databaseAdminUrl", server.adminUrl);
  project.provide("databaseTemplate", template);
  project.provide("databasePrefix", prefix);

  return async () => {
    const client = new pg.Client({ connectionString: server.adminUrl });
    await client.connect();
    const { rows } = await client.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE $1", [
      `${prefix}%`,
    ]);
    await client.end();
    await dropDatabases(
      server.adminUrl,
      rows.map((row) => row.datname),
    );
    await server.stop();
  };
}
