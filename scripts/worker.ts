// `npm run worker`: a sync worker process. Run as many as you like, on any machines that share the
// database; set SYNC_WORKER=off on the web processes to keep syncs out of them.
//
// SIGTERM or SIGINT: syncs in flight stop after the page they are writing commits and go back to the
// queue (the next worker resumes them from their checkpoint); the queue and the database pool close;
// the process exits 0. A second signal, or a shutdown still running after SHUTDOWN_DEADLINE_MS,
// exits at once with 1.
import { loadDotEnv, requireConfiguration } from "./lib/load-env.ts";
import { prepareAppDatabase } from "./lib/app-database.ts";
import { handleSignalsOurselves } from "./lib/database.ts";
import { log } from "../app/lib/log.server.ts";
import { onShutdown } from "./lib/shutdown.ts";

const WORKER_STOP_MS = 20_000;

loadDotEnv();
await prepareAppDatabase();
await requireConfiguration();
await handleSignalsOurselves();
const runtime = await import("../app/ingest/background.server.ts");
const { offlineAccessToken } = await import("../app/access-token.server.ts");
await runtime.startProcessWorker({ force: true, tokens: offlineAccessToken });
log.info("worker running", { pid: process.pid });

onShutdown("worker", () => runtime.shutdown(WORKER_STOP_MS));
