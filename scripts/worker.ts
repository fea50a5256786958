// `npm run worker`: a sync worker process. Run as many as you like, on any machines that share the
// database; set SYNC_WORKER=off on the web processes to keep syncs out of them.
import { loadDotEnv, requireConfiguration } from "./lib/load-env.ts";
import { prepareAppDatabase } from "./lib/app-database.ts";

loadDotEnv();
await prepareAppDatabase();
await requireConfiguration();
const { startProcessWorker } = await import("../app/ingest/runtime.server.ts");
await startProcessWorker({ force: true });
console.log("Sync worker running; Ctrl-C stops it after the pages in flight commit.");
