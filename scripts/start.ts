// `npm start`: the production web server, after applying pending migrations. Without DATABASE_URL it
// runs on the embedded PostgreSQL, which lives as long as this process.
//
// SIGTERM or SIGINT stops it in order: readiness turns 503 and the port closes; requests in flight
// finish (up to HTTP_DRAIN_MS); the in-app worker's syncs stop after their page in flight commits and
// go back to the queue; the queue and the database pools close; the process exits 0. A second signal,
// or a shutdown still running after SHUTDOWN_DEADLINE_MS, exits at once with 1.
import { existsSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import { handleSignalsOurselves, projectRoot } from "./lib/database.ts";
import { prepareAppDatabase } from "./lib/app-database.ts";
import { loadDotEnv, requireConfiguration } from "./lib/load-env.ts";
import { serveApp } from "./lib/http-server.ts";
import { log } from "../app/lib/log.server.ts";
import { onShutdown } from "./lib/shutdown.ts";

const HTTP_DRAIN_MS = 10_000;
const WORKER_STOP_MS = 15_000;

interface AppEntry {
  beginShutdown?: () => void;
  shutdown?: (timeoutMs?: number) => Promise<void>;
}

loadDotEnv();
const serverBuild = path.join(projectRoot, "build/server/index.js");
if (!existsSync(serverBuild)) {
  log.error("no build found: run `npm run build` first", { path: serverBuild });
  process.exit(1);
}
await prepareAppDatabase();
await requireConfiguration();
await handleSignalsOurselves();
process.env.NODE_ENV ??= "production";
process.setSourceMapsEnabled(true);

const build = (await import(pathToFileURL(serverBuild).href)) as ServerBuild;
const entry = build.entry.module as AppEntry;
const http = await serveApp(build, {
  port: Number(process.env.PORT || 3000),
  host: process.env.HOST || undefined,
  clientDir: path.join(projectRoot, "build/client"),
  log,
});
log.info("web server listening", { url: http.url, port: http.port, pid: process.pid });

onShutdown(
  "web server",
  async () => {
    entry.beginShutdown?.();
    const { forcedConnections } = await http.close(HTTP_DRAIN_MS);
    if (forcedConnections > 0) log.warn("requests cut off at the drain deadline", { forcedConnections });
    await entry.shutdown?.(WORKER_STOP_MS);
  },
  () => ({ inFlight: http.inFlight() }),
);
