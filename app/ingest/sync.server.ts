import type { PrismaClient } from "@prisma/client";
import pg from "pg";
import {
  AdminRestClient,
  ShopifyApiError,
  type AccessTokenSource,
  type RestClientOptions,
  type RestPage,
} from "./rest-client.ts";
import { LeakyBucketThrottle, rateForPlan } from "./throttle.ts";
import { fetchShopDetails } from "./shop-details.server.ts";
import { resolveShop } from "../shops/resolve.server.ts";
import { resources } from "./resources/index.ts";
import { inTransaction } from "./upsert.server.ts";
import { apiVersion } from "../lib/api-version.ts";
import { threadDecoder, type PageDecoder } from "./decoder.server.ts";
import { rebuildReadModel } from "./read-model.server.ts";
import { log as processLog, type Logger } from "../lib/log.server.ts";
import { timeReadModel, type SyncProgress, type SyncTrigger } from "./sync-progress.ts";
import { LockLost, SyncAlreadyRunning, SyncInterrupted } from "./sync-errors.ts";
import { readCheckpoints } from "./sync-state.server.ts";
import { syncResource } from "./sync-pass.server.ts";
import { applyDeletionEvents } from "./deletions.server.ts";
import { RUN_LOCK, RunReporter, startRun } from "./sync-run.server.ts";

// The sync engine: pages every declared resource through Shopify's Link cursors at the store's API
// ceiling, writes each page in one transaction, checkpoints the next cursor once that page and all
// before it have committed, and moves the resource's updated_at watermark forward only when a pass
// completes. A worker that dies loses at most the page in flight; the next run continues from the
// checkpoint. This module runs one sync: the shop's lock, the order of the steps, the outcome.
// What a pass reads is planned in sync-plan.ts, a pass runs in sync-pass.server.ts, where passes
// stand is kept by sync-state.server.ts, deletions by deletions.server.ts, and the run by
// sync-run.server.ts.

export type { ResourceProgress, SyncProgress, SyncStatus, SyncTrigger } from "./sync-progress.ts";
export { PROTECTED_DATA_WARNING } from "./sync-progress.ts";
export { LockLost, SyncAlreadyRunning, SyncInterrupted } from "./sync-errors.ts";

export interface SyncRequest {
  shop: string;
  trigger: SyncTrigger;
  full?: boolean;
  /** A run queued beforehand (jobs, the CLI); otherwise one is created. */
  runId?: number;
  /** Stops the run after the page in flight has committed; the run can then be resumed. */
  signal?: AbortSignal;
  onProgress?: (progress: SyncProgress) => void;
}

export interface SyncDependencies {
  db: PrismaClient;
  /** The pool page writes go through (the one under `db`). */
  pool: pg.Pool;
  token: AccessTokenSource;
  client?: Pick<RestClientOptions, "backoff" | "maxRetries" | "timeoutMs">;
  /** Where pages are parsed, mapped and encoded: the process's decoding thread unless given. */
  decoder?: PageDecoder;
  /** Where the run logs (lines carry shop, runId and resource); the process's logger unless given. */
  log?: Logger;
}

export async function runSync(deps: SyncDependencies, request: SyncRequest): Promise<SyncProgress> {
  const { db, pool } = deps;
  const shop = await resolveShop(db, request.shop, { includeUninstalled: true });
  if (!shop) throw new Error(`Unknown shop ${request.shop}: it has not installed the app.`);
  if (shop.uninstalledAt) throw new Error(`${request.shop} has uninstalled the app.`);
  // The shop's run lock lives on a connection of its own for the whole run: it goes with the
  // connection, so a holder that dies (kill -9, a lost machine) frees it at once for the next run.
  // Outside the pool: a process running as many syncs as its pool has connections would otherwise
  // have every connection holding a lock and no sync able to write a page.
  const holder = new pg.Client(pool.options);
  // Losing that connection (the database restarted, the network dropped) loses the lock: the run
  // stops at once rather than go on beside a run another worker may now start.
  const lost = new AbortController();
  holder.on("error", () => lost.abort(new LockLost(shop.domain)));
  try {
    await holder.connect();
    const { rows } = await holder.query<{ held: boolean }>("SELECT pg_try_advisory_lock($1, $2) AS held", [
      RUN_LOCK,
      shop.id,
    ]);
    if (!rows[0].held) throw new SyncAlreadyRunning(shop.domain);
    return await runHeld(deps, request, shop, lost.signal);
  } finally {
    // Closing the connection frees the lock.
    await holder.end().catch(() => {});
  }
}

async function runHeld(
  deps: SyncDependencies,
  request: SyncRequest,
  shop: NonNullable<Awaited<ReturnType<SyncDependencies["db"]["shop"]["findUnique"]>>>,
  lockLost: AbortSignal,
): Promise<SyncProgress> {
  const { db, pool } = deps;
  const startedAt = new Date();
  const run = await startRun(db, {
    id: request.runId,
    shopId: shop.id,
    trigger: request.trigger,
    full: request.full ?? false,
    startedAt,
  });

  const signal = request.signal ? AbortSignal.any([request.signal, lockLost]) : lockLost;
  const client = new AdminRestClient({
    shop: shop.domain,
    apiVersion,
    token: deps.token,
    throttle: new LeakyBucketThrottle({ initialRate: rateForPlan(shop.plan) }),
    signal,
    ...deps.client,
  });
  const progress: SyncProgress = {
    runId: run.id,
    shop: shop.domain,
    status: "running",
    resources: {},
    apiCalls: 0,
    throttled: 0,
    retries: 0,
    warnings: [],
    error: null,
    readModelSeconds: 0,
    startedAt,
    finishedAt: null,
  };
  const reporter = new RunReporter(db, progress, client.stats, request.onProgress);
  const log = (deps.log ?? processLog).child({ shop: shop.domain, runId: run.id });
  log.info("sync started", { trigger: run.trigger, full: request.full ?? run.full });

  try {
    const shopPage = await fetchShopDetails(client);
    // The run's start on Shopify's clock: deletions after it are read by the next run.
    const shopClock = serverTime(shopPage);
    const details = shopPage.body;
    await db.shop.update({ where: { id: shop.id }, data: details });
    // Days are the shop's calendar days: a new timezone moves every order to its new local day.
    if (shop.timezone && shop.timezone !== details.timezone)
      await timeReadModel(progress, () => inTransaction(pool, (sql) => rebuildReadModel(sql, shop.id)));
    const checkpoints = await readCheckpoints(db, shop.id);
    client.throttle.rate = Math.max(client.throttle.rate, rateForPlan(details.plan));

    const full = request.full ?? (run.full || false);
    const outcomes = await Promise.allSettled(
      resources.map((resource) =>
        syncResource({
          db,
          pool,
          client,
          shopId: shop.id,
          resource,
          checkpoint: checkpoints.get(resource.name) ?? null,
          full,
          progress,
          onPage: () => reporter.update(),
          shopClock,
          readModelStale: shop.readModelStale,
          decoder: deps.decoder ?? threadDecoder(),
          signal,
          log: log.child({ resource: resource.name }),
        }),
      ),
    );
    const failure = outcomes.find((o): o is PromiseRejectedResult => o.status === "rejected");
    if (failure) throw failure.reason;
    await applyDeletionEvents({
      db,
      pool,
      client,
      shopId: shop.id,
      shopClock,
      progress,
      onPage: () => reporter.update(),
    });
    // A full resync (not the first import, which built the read model page by page) rebuilds it
    // from the rows, so anything it may have drifted by is gone.
    if (
      checkpoints.get("orders")?.watermark &&
      progress.resources.orders?.mode === "full" &&
      progress.resources.orders.status === "done"
    ) {
      await timeReadModel(progress, () => inTransaction(pool, (sql) => rebuildReadModel(sql, shop.id)));
    }
    const forbidden = Object.values(progress.resources).some((r) => r?.status === "forbidden");
    progress.status = forbidden || progress.warnings.length > 0 ? "partial" : "succeeded";
  } catch (error) {
    if (request.signal?.aborted) {
      // Graceful stop: the run goes back to the queue and resumes from its checkpoints.
      progress.status = "queued";
      await reporter.flush(true);
      log.info("sync interrupted; it resumes from its last checkpoint", { pages: pagesOf(progress) });
      throw new SyncInterrupted();
    }
    progress.status = "failed";
    progress.error = describe(lockLost.aborted ? lockLost.reason : error);
  }
  progress.finishedAt = new Date();
  await reporter.flush(true);
  const summary = {
    status: progress.status,
    durationMs: progress.finishedAt.getTime() - startedAt.getTime(),
    written: Object.fromEntries(Object.entries(progress.resources).map(([name, r]) => [name, r?.written ?? 0])),
    pages: pagesOf(progress),
    apiCalls: progress.apiCalls,
    throttled: progress.throttled,
    retries: progress.retries,
  };
  if (progress.status === "failed") log.error("sync failed", { ...summary, error: progress.error });
  else log.info("sync finished", { ...summary, warnings: progress.warnings.length });
  return progress;
}

const pagesOf = (progress: SyncProgress) =>
  Object.values(progress.resources).reduce((sum, r) => sum + (r?.pages ?? 0), 0);

function serverTime(page: RestPage<unknown>): Date {
  return page.date ?? new Date();
}

// SQLSTATE classes and driver messages of a database that went away (a restart, a network cut), as
// against a statement it refused.
const DATABASE_GONE_CODES = /^(08|57P0)|^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE)$/;
const DATABASE_GONE_MESSAGES = /Connection terminated|not queryable|terminating connection|the database system is/i;

function databaseGone(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (
    (typeof code === "string" && DATABASE_GONE_CODES.test(code)) ||
    (error instanceof Error && DATABASE_GONE_MESSAGES.test(error.message))
  );
}

function describe(error: unknown): string {
  if (databaseGone(error)) {
    const reason = error instanceof Error ? error.message : String(error);
    return `The database connection was lost during the sync (${reason}); the sync stopped and resumes on the next run.`;
  }
  if (error instanceof ShopifyApiError) {
    if (error.status === 401)
      return "Shopify refused the access token (401): the app needs to be opened again from Shopify admin.";
    return `${error.message}${error.requestId ? ` (request ${error.requestId})` : ""}`;
  }
  return error instanceof Error ? error.message : String(error);
}
