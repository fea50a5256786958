import type { PrismaClient, SyncRun } from "@prisma/client";
import type { RestClientStats } from "./rest-client.ts";
import type { SyncProgress, SyncTrigger } from "./sync-progress.ts";
import { resolveShop } from "../shops/resolve.server.ts";

// sync_run: a shop's syncs, queued, running and ended, as the merchant's sync pages and the CLI read
// them. The only module that writes it.

// Advisory locks take two int keys: the first says what is locked, the second is the shop's id, so
// each shop has its own lock of each kind. The first keys are the app's own constants; they only
// have to differ from each other and from the read model's (read-model.server.ts).
/** pg_advisory_xact_lock's first key while a trigger finds or queues a shop's run. */
const QUEUE_LOCK = 8731;
/** pg_advisory_lock's first key for "a sync of this shop is running", held for the whole run. */
export const RUN_LOCK = 8732;

const PROGRESS_INTERVAL_MS = 500;
/** Waits between attempts at writing a run's end while the database is away: about 15 s in all. */
const END_WRITE_DELAYS_MS = [250, 500, 1000, 2000, 4000, 4000, 4000];

/** `write`, tried again after each of END_WRITE_DELAYS_MS while it fails; the last failure is thrown. */
async function persist<T>(write: () => Promise<T>): Promise<T> {
  for (const delay of END_WRITE_DELAYS_MS) {
    try {
      return await write();
    } catch {
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
  return write();
}

export interface FoundOrQueuedRun {
  run: SyncRun;
  /** false when the shop already had a sync queued or running: that run is returned instead. */
  created: boolean;
}

/** A new queued run for the shop, unless one is already queued or running (then that one). */
export async function findOrQueueRun(
  db: PrismaClient,
  shop: string,
  trigger: SyncTrigger,
  options: { full?: boolean } = {},
): Promise<FoundOrQueuedRun> {
  return db.$transaction(async (tx) => {
    const found = await resolveShop(tx, shop);
    if (!found) throw new Error(`${shop} has not installed the app.`);
    // Serialises triggers of one shop across processes.
    await tx.$executeRawUnsafe("SELECT pg_advisory_xact_lock($1, $2)", QUEUE_LOCK, found.id);
    const active = await tx.syncRun.findFirst({
      where: { shopId: found.id, status: { in: ["queued", "running"] } },
      orderBy: { id: "desc" },
    });
    // A running run is alive while its holder keeps the shop's run lock (runSync holds it on a
    // connection of its own): a holder that died left no lock, and its run is taken over at once.
    const holderGone =
      active?.status === "running" &&
      (
        await tx.$queryRawUnsafe<{ free: boolean }[]>(
          "SELECT pg_try_advisory_xact_lock($1, $2) AS free",
          RUN_LOCK,
          found.id,
        )
      )[0].free;
    if (active && !holderGone) return { run: active, created: false };
    if (active) {
      await tx.syncRun.update({
        where: { id: active.id },
        data: { status: "failed", error: "The worker running this sync stopped.", finishedAt: new Date() },
      });
    }
    const run = await tx.syncRun.create({
      data: { shopId: found.id, trigger, full: options.full ?? false, status: "queued" },
    });
    return { run, created: true };
  });
}

/** The run under way: the one queued for it (jobs, the CLI), or a new one. */
export async function startRun(
  db: PrismaClient,
  run: { id?: number; shopId: number; trigger: SyncTrigger; full: boolean; startedAt: Date },
): Promise<SyncRun> {
  const { startedAt } = run;
  if (run.id) {
    return db.syncRun.update({
      where: { id: run.id },
      data: { status: "running", startedAt, heartbeatAt: startedAt, error: null },
    });
  }
  return db.syncRun.create({
    data: {
      shopId: run.shopId,
      trigger: run.trigger,
      full: run.full,
      status: "running",
      startedAt,
      heartbeatAt: startedAt,
    },
  });
}

/** A job that threw goes back to the queue with the reason; the queue's retry resumes it. */
export async function requeueRun(db: PrismaClient, runId: number, error: string): Promise<void> {
  await db.syncRun.update({ where: { id: runId }, data: { status: "queued", error } });
}

/** A job that threw on its last attempt: the run ends failed. */
export async function failRun(db: PrismaClient, runId: number, error: string): Promise<void> {
  await db.syncRun.update({ where: { id: runId }, data: { status: "failed", error, finishedAt: new Date() } });
}

/** Keeps the run's row current for the progress bar, at most every PROGRESS_INTERVAL_MS. */
export class RunReporter {
  private lastFlush = 0;
  private writing: Promise<unknown> = Promise.resolve();
  private readonly db: PrismaClient;
  private readonly progress: SyncProgress;
  private readonly stats: RestClientStats;
  private readonly onProgress?: (progress: SyncProgress) => void;

  constructor(
    db: PrismaClient,
    progress: SyncProgress,
    stats: RestClientStats,
    onProgress?: (p: SyncProgress) => void,
  ) {
    this.db = db;
    this.progress = progress;
    this.stats = stats;
    this.onProgress = onProgress;
  }

  update(): void {
    this.takeStats();
    this.onProgress?.(this.progress);
    if (Date.now() - this.lastFlush >= PROGRESS_INTERVAL_MS) void this.flush(false);
  }

  /** Writes the progress now; `final` also writes the run's end and reports it once more. */
  async flush(final: boolean): Promise<void> {
    this.lastFlush = Date.now();
    this.takeStats();
    const p = this.progress;
    const data = {
      status: p.status,
      resources: JSON.parse(JSON.stringify(p.resources)),
      apiCalls: p.apiCalls,
      throttled: p.throttled,
      retries: p.retries,
      warnings: p.warnings,
      error: p.error,
      heartbeatAt: new Date(),
      ...(final ? { finishedAt: p.finishedAt } : {}),
    };
    const write = () => this.db.syncRun.update({ where: { id: p.runId }, data });
    // A run's end is written even across a short database outage (the one that may have ended it):
    // otherwise it would read "running" until the next run takes it over, without its reason.
    this.writing = this.writing.then(() => (final ? persist(write) : write())).catch(() => {});
    await this.writing;
    if (final) this.onProgress?.(p);
  }

  private takeStats(): void {
    Object.assign(this.progress, {
      apiCalls: this.stats.calls,
      throttled: this.stats.throttled,
      retries: this.stats.retries,
    });
  }
}
