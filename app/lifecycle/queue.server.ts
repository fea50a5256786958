import type { FoundOrQueuedRun } from "../ingest/sync-run.server.ts";
import type { SyncTrigger } from "../ingest/sync-progress.ts";
import type { PurgeJob } from "../shops/purge.server.ts";

// The job queue as the tenant's lifecycle uses it: an install queues the first import, shop/redact
// queues the purge. The process that starts the sync engine provides it (app/entry.server.tsx), so
// this room, and app/shopify.server.ts whose afterAuth records installs, never load pg-boss or the
// engine themselves.

export interface ShopQueue {
  /** Queues a sync of the shop, or answers with the run already queued or running. */
  queueSync(shop: string, trigger: SyncTrigger): Promise<FoundOrQueuedRun>;
  queuePurge(job: PurgeJob): Promise<void>;
}

let provided: ShopQueue | undefined;

export function provideShopQueue(queue: ShopQueue): void {
  provided = queue;
}

export function shopQueue(): ShopQueue {
  if (!provided)
    throw new Error("No job queue was provided to app/lifecycle: the process starting the sync engine provides it.");
  return provided;
}
