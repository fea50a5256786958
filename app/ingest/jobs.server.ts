import { PgBoss, type JobWithMetadata } from "pg-boss";
import type { PrismaClient } from "@prisma/client";
import { runSync, SyncInterrupted, type SyncDependencies, type SyncTrigger } from "./sync.server.ts";
import { failRun, findOrQueueRun, requeueRun, type FoundOrQueuedRun } from "./sync-run.server.ts";
import { purgeShop, type PurgeJob } from "../shops/purge.server.ts";
import { resolveShop } from "../shops/resolve.server.ts";
import { log as processLog, type Logger } from "../lib/log.server.ts";

// Background work on pg-boss, in the app's own PostgreSQL: any number of worker processes on any
// number of machines share the queues. One sync per shop at a time, everywhere: the queue is
// `stately` per shop (one queued and one active job) and workers take at most one job per shop
// (group concurrency), so a large shop never holds more than one worker while others wait.

export const SYNC_QUEUE = "shop-sync";
// Periodic work: each shop's scheduled sync and the purge of shops past their grace period. The
// queue keeps its first name, under which deployed databases hold its schedule.
export const PERIODIC_QUEUE = "shop-sync-schedule";
export const PURGE_QUEUE = "shop-purge";

export interface SyncJob {
  runId: number;
  shop: string;
  full: boolean;
}

export async function startQueue(connectionString: string): Promise<PgBoss> {
  const boss = new PgBoss({ connectionString, schema: "pgboss", connectionTimeoutMillis: 10_000 });
  boss.on("error", (error) => processLog.error("job queue error", { error }));
  try {
    await boss.start();
  } catch (error) {
    // Its pool and timers go too, so a later attempt starts clean.
    await boss.stop({ graceful: false }).catch(() => {});
    throw error;
  }
  const existing = new Set((await boss.getQueues()).map((q) => q.name));
  if (!existing.has(SYNC_QUEUE)) {
    // Retries resume from the run's checkpoints; the heartbeat lets another worker take over a job
    // whose worker died.
    await boss.createQueue(SYNC_QUEUE, {
      policy: "stately",
      retryLimit: 5,
      retryDelay: 5,
      retryBackoff: true,
      heartbeatSeconds: 30,
      expireInSeconds: 6 * 3600,
    });
  }
  if (!existing.has(PERIODIC_QUEUE)) await boss.createQueue(PERIODIC_QUEUE, { policy: "singleton" });
  if (!existing.has(PURGE_QUEUE)) await boss.createQueue(PURGE_QUEUE, { retryLimit: 3 });
  return boss;
}

export type EnqueueResult = FoundOrQueuedRun;

/** Queues a sync for the shop, or returns the one already queued or running. */
export async function enqueueSync(
  boss: PgBoss,
  db: PrismaClient,
  shop: string,
  trigger: SyncTrigger,
  options: { full?: boolean } = {},
): Promise<EnqueueResult> {
  const result = await findOrQueueRun(db, shop, trigger, options);
  if (result.created) {
    const job: SyncJob = { runId: result.run.id, shop, full: options.full ?? false };
    await boss.send(SYNC_QUEUE, job, { singletonKey: shop, group: { id: shop } });
  }
  return result;
}

export interface WorkerOptions {
  db: PrismaClient;
  /** Dependencies of one shop's sync (its token source, client settings). */
  syncDependencies(shop: string): SyncDependencies;
  concurrency: number;
  /** Minutes between scheduled incremental syncs of every installed shop; 0 = none. */
  intervalMinutes: number;
  graceDays: number;
  /** The process's logger unless given; lines carry shop, runId and jobId. */
  log?: Logger;
}

export interface SyncWorker {
  /** Syncs in flight stop after the page they are writing commits, and their runs go back to the queue. */
  interrupt(): void;
  /** interrupt(), then waits for the jobs in flight (at most `timeoutMs`) and closes the queue's connections. */
  stop(timeoutMs?: number): Promise<void>;
}

export async function startWorker(boss: PgBoss, options: WorkerOptions): Promise<SyncWorker> {
  const { db } = options;
  const log = options.log ?? processLog;
  const stopping = new AbortController();
  // Hands a run back to the queue, for the next worker (this one or another) to resume.
  const handBack = (job: SyncJob) => boss.send(SYNC_QUEUE, job, { singletonKey: job.shop, group: { id: job.shop } });

  await boss.work(
    SYNC_QUEUE,
    {
      localConcurrency: options.concurrency,
      groupConcurrency: 1,
      batchSize: 1,
      pollingIntervalSeconds: 1,
      includeMetadata: true,
    },
    async ([job]: JobWithMetadata<SyncJob>[]) => {
      const { runId, shop, full } = job.data;
      const jobLog = log.child({ shop, runId, jobId: job.id });
      if (stopping.signal.aborted) {
        await handBack(job.data);
        jobLog.info("sync job handed back: this worker is stopping");
        return;
      }
      const run = await db.syncRun.findUnique({ where: { id: runId } });
      if (!run || !["queued", "running"].includes(run.status)) return;
      try {
        await runSync(
          { ...options.syncDependencies(shop), log: jobLog },
          { shop, trigger: run.trigger as SyncTrigger, full, runId, signal: stopping.signal },
        );
      } catch (error) {
        if (!(error instanceof SyncInterrupted)) {
          // Thrown (not a run that ended failed): the database went away, another process holds the
          // shop's sync. The queue's retry resumes the run from its checkpoints; only the last one
          // that fails ends it.
          const last = job.retryCount >= job.retryLimit;
          jobLog.error(last ? "sync job failed for good" : "sync job failed; the queue retries it", { error });
          const message = (error as Error).message;
          await (last ? failRun : requeueRun)(db, runId, message).catch(() => {});
          throw error;
        }
        // Stopped after a committed page: hand the run straight back to the queue for the next worker.
        await handBack(job.data);
        jobLog.info("sync job handed back; it resumes on the next worker");
      }
    },
  );

  await boss.work(PERIODIC_QUEUE, async () => {
    const shops = await db.shop.findMany({ where: { uninstalledAt: null }, select: { domain: true } });
    for (const { domain } of shops) {
      await enqueueSync(boss, db, domain, "schedule").catch((error: Error) =>
        log.warn("scheduled sync not queued", { shop: domain, error }),
      );
    }
    const expired = await db.shop.findMany({
      where: { uninstalledAt: { lt: new Date(Date.now() - options.graceDays * 86400_000) } },
      select: { domain: true },
    });
    for (const { domain } of expired) await boss.send(PURGE_QUEUE, { shop: domain } satisfies PurgeJob);
    log.info("scheduled syncs queued", { shops: shops.length, purges: expired.length });
  });
  if (options.intervalMinutes > 0) {
    const minutes = options.intervalMinutes;
    await boss.schedule(
      PERIODIC_QUEUE,
      minutes < 60 ? `*/${minutes} * * * *` : `0 */${Math.round(minutes / 60)} * * *`,
    );
  } else {
    await boss.unschedule(PERIODIC_QUEUE).catch(() => {});
  }

  await boss.work<PurgeJob>(PURGE_QUEUE, async ([job]) => {
    const shop = await resolveShop(db, job.data.shop, { includeUninstalled: true });
    // A reinstall within the grace period cancels the purge (shop/redact does not wait for it).
    if (!job.data.redact && !shop?.uninstalledAt) return;
    await purgeShop(db, job.data.shop);
    log.info(job.data.redact ? "shop data purged (shop/redact)" : "shop data purged after uninstall", {
      shop: job.data.shop,
      jobId: job.id,
    });
  });

  const interrupt = () => {
    if (stopping.signal.aborted) return;
    stopping.abort(new SyncInterrupted());
    // No new syncs here: a run handed back must go to another worker, not bounce back to this one.
    void boss.offWork(SYNC_QUEUE, { wait: false }).catch(() => {});
  };
  return {
    interrupt,
    async stop(timeoutMs = 30_000) {
      interrupt();
      await boss.stop({ graceful: true, timeout: timeoutMs });
    },
  };
}
