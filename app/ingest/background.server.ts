import type { PgBoss } from "pg-boss";
import prisma, { pool } from "../db.server.ts";
import { env } from "../lib/env.server.ts";
import { log } from "../lib/log.server.ts";
import type { AccessTokenSource } from "./rest-client.ts";
import {
  enqueueSync,
  PURGE_QUEUE,
  startQueue,
  startWorker,
  type EnqueueResult,
  type SyncWorker,
} from "./jobs.server.ts";
import type { PurgeJob } from "../shops/purge.server.ts";
import type { SyncTrigger } from "./sync-progress.ts";
import { handleRecordWebhook, type WebhookDeliveryInput, type WebhookOutcome } from "./webhooks.server.ts";

// The process's queue connection and, unless SYNC_WORKER=off, the worker running inside it. The
// process that owns them (the web server, `npm run worker`) starts the worker with the shops' token
// source and stops both on its way out: shutdown().

declare global {
  var queueGlobal: Promise<PgBoss> | undefined;
  var workerGlobal: Promise<SyncWorker | undefined> | undefined;
}

/** The queue, connected on first use; a failed connection is tried again by the next call. */
export function queue(): Promise<PgBoss> {
  globalThis.queueGlobal ??= startQueue(env().DATABASE_URL).catch((error: unknown) => {
    globalThis.queueGlobal = undefined;
    throw error;
  });
  return globalThis.queueGlobal;
}

export interface ProcessWorkerOptions {
  /** Each shop's access token (app/access-token.server.ts: the offline session's). */
  tokens: (shop: string) => AccessTokenSource;
  /** Start it even with SYNC_WORKER=off (`npm run worker`). */
  force?: boolean;
}

export async function startProcessWorker(options: ProcessWorkerOptions): Promise<SyncWorker | undefined> {
  const config = env();
  if (config.SYNC_WORKER === "off" && !options.force) return undefined;
  globalThis.workerGlobal ??= (async () => {
    const worker = await startWorker(await queue(), {
      db: prisma,
      syncDependencies: (shop) => ({ db: prisma, pool, token: options.tokens(shop) }),
      concurrency: config.SYNC_CONCURRENCY,
      intervalMinutes: config.SYNC_INTERVAL_MINUTES,
      graceDays: config.UNINSTALL_GRACE_DAYS,
    });
    log.info("sync worker started", {
      concurrency: config.SYNC_CONCURRENCY,
      intervalMinutes: config.SYNC_INTERVAL_MINUTES,
    });
    return worker;
  })().catch((error: unknown) => {
    globalThis.workerGlobal = undefined;
    throw error;
  });
  return globalThis.workerGlobal;
}

/** Syncs in flight stop after their current page; their runs go back to the queue. */
export async function interruptSyncs(): Promise<void> {
  const worker = await globalThis.workerGlobal?.catch(() => undefined);
  worker?.interrupt();
}

/**
 * Stops the worker (waiting for its syncs' pages in flight to commit, at most `timeoutMs`), the
 * queue's connections and the database pool. The process's last step before it exits.
 */
export async function shutdown(timeoutMs = 20_000): Promise<void> {
  const worker = await globalThis.workerGlobal?.catch(() => undefined);
  const boss = await globalThis.queueGlobal?.catch(() => undefined);
  globalThis.workerGlobal = undefined;
  globalThis.queueGlobal = undefined;
  if (worker) {
    await worker.stop(timeoutMs);
    log.info("sync worker stopped");
  } else if (boss) {
    await boss.stop({ graceful: true, timeout: timeoutMs });
  }
  await prisma.$disconnect();
}

/**
 * A sync the merchant asked for from the app: queued on the shop's queue, or the run already queued
 * or running returned instead (clicks, a second tab and the schedule never start a second run).
 */
export async function requestSync(shop: string, options: { full: boolean }): Promise<EnqueueResult> {
  return enqueueSync(await queue(), prisma, shop, "manual", { full: options.full });
}

/**
 * The queue as the tenant's lifecycle uses it (install, shop/redact): the process starting the engine
 * provides it to app/lifecycle/queue.server.ts, whose ShopQueue it fits.
 */
export const shopQueue = {
  queueSync: async (shop: string, trigger: SyncTrigger): Promise<EnqueueResult> =>
    enqueueSync(await queue(), prisma, shop, trigger),
  queuePurge: async (job: PurgeJob) => {
    await (await queue()).send(PURGE_QUEUE, job);
  },
};

/** An orders/*, products/* or customers/* webhook, written through this process's database pool. */
export function receiveRecordWebhook(input: WebhookDeliveryInput): Promise<WebhookOutcome> {
  return handleRecordWebhook(prisma, pool, input);
}
