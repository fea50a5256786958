import type { PgBoss } from "pg-boss";
import prisma, { pool } from "../db.server.ts";
import { env } from "../lib/env.server.ts";
import { offlineAccessToken } from "./access-token.server.ts";
import { enqueueSync, startQueue, startWorker, type EnqueueResult, type Worker } from "./jobs.server.ts";

// The process's queue connection and, unless SYNC_WORKER=off, the worker running inside it.

declare global {
  var queueGlobal: Promise<PgBoss> | undefined;
  var workerGlobal: Promise<Worker | undefined> | undefined;
}

export function queue(): Promise<PgBoss> {
  globalThis.queueGlobal ??= startQueue(env().DATABASE_URL);
  return globalThis.queueGlobal;
}

export async function startProcessWorker(options: { force?: boolean } = {}): Promise<Worker | undefined> {
  const config = env();
  if (config.SYNC_WORKER === "off" && !options.force) return undefined;
  globalThis.workerGlobal ??= (async () => {
    const worker = await startWorker(await queue(), {
      db: prisma,
      syncDependencies: (shop) => ({ db: prisma, pool, token: offlineAccessToken(shop) }),
      concurrency: config.SYNC_CONCURRENCY,
      intervalMinutes: config.SYNC_INTERVAL_MINUTES,
      graceDays: config.UNINSTALL_GRACE_DAYS,
    });
    for (const signal of ["SIGTERM", "SIGINT"] as const) {
      process.once(signal, () => {
        void worker.stop().finally(() => process.exit(0));
      });
    }
    return worker;
  })();
  return globalThis.workerGlobal;
}

/**
 * A sync the merchant asked for from the app: queued on the shop's queue, or the run already queued
 * or running returned instead (clicks, a second tab and the schedule never start a second run).
 */
export async function requestSync(shop: string, options: { full: boolean }): Promise<EnqueueResult> {
  return enqueueSync(await queue(), prisma, shop, "manual", { full: options.full });
}
