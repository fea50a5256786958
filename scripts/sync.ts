// `npm run sync -- --shop NAME.myshopify.com [--full]`: one sync in the foreground, with a progress
// line, then the run's summary. It takes the shop's turn like a queued sync (one per shop at a time).
import { parseArgs } from "node:util";
import { loadDotEnv, requireConfiguration } from "./lib/load-env.ts";
import { prepareAppDatabase } from "./lib/app-database.ts";

const { values } = parseArgs({
  options: {
    shop: { type: "string" },
    full: { type: "boolean", default: false },
    help: { type: "boolean", default: false },
  },
});
if (values.help || !values.shop) {
  console.log(
    "Usage: npm run sync -- --shop NAME.myshopify.com [--full]\n\n  --full  re-read everything instead of only what changed since the last sync",
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
const { findOrQueueRun } = await import("../app/ingest/sync-run.server.ts");
const { runSync } = await import("../app/ingest/sync.server.ts");
const { offlineAccessToken } = await import("../app/shops/access-token.server.ts");
const { formatProgress, formatSummary } = await import("../app/ingest/progress-format.ts");

const claimed = await findOrQueueRun(prisma, shop, "cli", { full: values.full }).catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
if (!claimed.created) {
  console.error(`A sync of ${shop} is already ${claimed.run.status} (run ${claimed.run.id}).`);
  process.exit(1);
}
const stop = new AbortController();
process.once("SIGINT", () => stop.abort());
const interactive = process.stdout.isTTY;
try {
  const result = await runSync(
    { db: prisma, pool, token: offlineAccessToken(shop) },
    {
      shop,
      trigger: "cli",
      full: values.full,
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
  console.error(`\n${(error as Error).message}`);
  process.exit(1);
}
