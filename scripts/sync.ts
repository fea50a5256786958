// `npm run sync -- --shop NAME.myshopify.com [--full] [--take-over]`: one sync in the foreground, with
// a progress line, then the run's summary. It takes the shop's turn like a queued sync (one per shop at
// a time). A run already queued waits for a worker; `--take-over` runs that run here instead (for a
// machine with no worker running), and the shop's run lock still keeps it to one process at a time.
import { parseArgs } from "node:util";
import { loadDotEnv, requireConfiguration } from "./lib/load-env.ts";
import { prepareAppDatabase } from "./lib/app-database.ts";

const { values } = parseArgs({
  options: {
    shop: { type: "string" },
    full: { type: "boolean", default: false },
    "take-over": { type: "boolean", default: false },
    help: { type: "boolean", default: false },
  },
});
if (values.help || !values.shop) {
  console.log(
    "Usage: npm run sync -- --shop NAME.myshopify.com [--full] [--take-over]\n\n" +
      "  --full       re-read everything instead of only what changed since the last sync\n" +
      "  --take-over  run the shop's queued sync here rather than wait for a worker to take it",
  );
  process.exit(values.help ? 0 : 2);
}
const shop = values.shop.includes(".") ? values.shop : `${values.shop}.myshopify.com`;
// A person at a terminal reads this: the progress line and the summary, plus warnings in words.
process.env.LOG_FORMAT ??= "pretty";
process.env.LOG_LEVEL ??= "warn";

loadDotEnv();
await prepareAppDatabase();
await requireConfiguration();
const { default: prisma, pool } = await import("../app/db.server.ts");
const { failRun, findOrQueueRun } = await import("../app/ingest/sync-run.server.ts");
const { runSync, SyncInterrupted } = await import("../app/ingest/sync.server.ts");
const { STOPPED_FROM_CLI } = await import("../app/ingest/sync-errors.ts");
const { offlineAccessToken } = await import("../app/access-token.server.ts");
const { formatProgress, formatSummary } = await import("../app/ingest/progress-format.ts");

const claimed = await findOrQueueRun(prisma, shop, "cli", { full: values.full }).catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
const takeOver = !claimed.created && values["take-over"];
if (!claimed.created && !takeOver) {
  const { status, id } = claimed.run;
  console.error(
    status === "queued"
      ? `A sync of ${shop} is already queued (run ${id}) and waits for a worker. To run it here instead: npm run sync -- --shop ${shop} --take-over`
      : `A sync of ${shop} is already running (run ${id}).`,
  );
  process.exit(1);
}
if (takeOver) console.log(`Running the sync of ${shop} already ${claimed.run.status} here (run ${claimed.run.id}).`);
const stop = new AbortController();
process.once("SIGINT", () => stop.abort());
// Started by npm (which execs this process): once npm is gone (killed outright), stop as on Ctrl-C
// rather than go on unseen; the run goes back to the queue.
if (process.env.npm_lifecycle_event === "sync") {
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) stop.abort();
  }, 500).unref();
}
const interactive = process.stdout.isTTY;
try {
  const result = await runSync(
    { db: prisma, pool, token: offlineAccessToken(shop) },
    {
      shop,
      trigger: "cli",
      full: values.full || claimed.run.full,
      runId: claimed.run.id,
      signal: stop.signal,
      onProgress: (progress) => {
        if (interactive) process.stdout.write(`\r${formatProgress(progress)}\x1b[K`);
      },
    },
  );
  if (interactive) process.stdout.write("\n");
  console.log(formatSummary(result));
  await prisma.$disconnect();
  process.exit(result.status === "failed" ? 1 : 0);
} catch (error) {
  if (error instanceof SyncInterrupted) {
    // No queue holds this run (a job would hand it on): it ends here, and the next sync of the shop
    // continues from its checkpoints.
    await failRun(prisma, claimed.run.id, STOPPED_FROM_CLI).catch(() => {});
  }
  console.error(`\n${(error as Error).message}`);
  process.exit(1);
}
