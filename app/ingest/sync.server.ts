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
import { mapShop, type ShopJson } from "./mappers.ts";
import { resources, type ResourceDefinition } from "./resources.ts";
import { deleteRecords, inTransaction, writeBatch, type ResourceName } from "./upsert.server.ts";
import { resourceTables } from "./tables.ts";
import { apiVersion } from "./api-version.ts";
import { threadDecoder, type PageDecoder } from "./decoder.server.ts";
import { buildReadModel, deferReadModel, rebuildReadModel } from "./read-model.server.ts";
import type { DecodedPage } from "./page-decoder.ts";
import { log as processLog, type Logger } from "../lib/log.server.ts";

// The sync engine: pages every declared resource through Shopify's Link cursors at the store's API
// ceiling, writes each page in one transaction, checkpoints the next cursor once that page and all
// before it have committed, and moves the resource's updated_at watermark forward only when a pass
// completes. A worker that dies
// loses at most the page in flight; the next run continues from the checkpoint.

export type SyncTrigger = "install" | "manual" | "schedule" | "cli" | "webhook";
export type SyncStatus = "queued" | "running" | "succeeded" | "partial" | "failed";

/** How far back of the last pass's start an incremental pass looks, for clock skew and late writes. */
export const WATERMARK_OVERLAP_MS = 2 * 60_000;
const PAGE_SIZE = 250;
const PROGRESS_INTERVAL_MS = 500;
/** Page transactions of one resource in flight at once. */
const PAGE_WRITERS = 3;

export const PROTECTED_DATA_WARNING =
  "Customer data needs Shopify's protected customer data approval: customers were not imported; orders keep their customer ids.";

export interface ResourceProgress {
  status: "pending" | "running" | "done" | "forbidden" | "failed";
  mode: "full" | "incremental";
  resumed: boolean;
  total: number | null;
  pages: number;
  fetched: number;
  written: number;
  stale: number;
  skipped: number;
  deleted: number;
}

export interface SyncRequest {
  shop: string;
  trigger: SyncTrigger;
  full?: boolean;
  /** A run queued beforehand (jobs); otherwise one is created. */
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

export interface SyncProgress {
  runId: number;
  shop: string;
  status: SyncStatus;
  resources: Partial<Record<ResourceName, ResourceProgress>>;
  apiCalls: number;
  throttled: number;
  retries: number;
  warnings: string[];
  error: string | null;
  /** Seconds spent building the insights read model from the rows (first import, full resync). */
  readModelSeconds: number;
  startedAt: Date;
  finishedAt: Date | null;
}

export class SyncInterrupted extends Error {
  constructor() {
    super("The sync was stopped; it resumes from its last checkpoint.");
    this.name = "SyncInterrupted";
  }
}

/** pg_advisory_lock's first key for "a sync of this shop is running" (claiming a run uses 8731). */
export const RUN_LOCK = 8732;

/** The connection holding the shop's run lock was lost mid-run. */
export class LockLost extends Error {
  constructor(shop: string) {
    super(
      `The database connection holding the sync lock of ${shop} was lost; the sync stopped and resumes on the next run.`,
    );
    this.name = "LockLost";
  }
}

/** Refused: another process runs a sync of the shop right now. */
export class SyncAlreadyRunning extends Error {
  constructor(shop: string) {
    super(`A sync of ${shop} is already running.`);
    this.name = "SyncAlreadyRunning";
  }
}

export async function runSync(deps: SyncDependencies, request: SyncRequest): Promise<SyncProgress> {
  const { db, pool } = deps;
  const shop = await db.shop.findUnique({ where: { domain: request.shop } });
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
  const run = request.runId
    ? await db.syncRun.update({
        where: { id: request.runId },
        data: { status: "running", startedAt, heartbeatAt: startedAt, error: null },
      })
    : await db.syncRun.create({
        data: {
          shopId: shop.id,
          trigger: request.trigger,
          full: request.full ?? false,
          status: "running",
          startedAt,
          heartbeatAt: startedAt,
        },
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
  const reporter = new ProgressReporter(db, progress, client, request.onProgress);
  const log = (deps.log ?? processLog).child({ shop: shop.domain, runId: run.id });
  log.info("sync started", { trigger: run.trigger, full: request.full ?? run.full });

  try {
    const shopPage = await client.get<{ shop: ShopJson }>("shop.json");
    const { body } = shopPage;
    // The run's start on Shopify's clock: deletions after it are read by the next run.
    const shopClock = serverTime(shopPage);
    const details = mapShop(body.shop);
    await db.shop.update({ where: { id: shop.id }, data: details });
    // Days are the shop's calendar days: a new timezone moves every order to its new local day.
    if (shop.timezone && shop.timezone !== details.timezone)
      await timed(progress, () => inTransaction(pool, (sql) => rebuildReadModel(sql, shop.id)));
    const ordersState = await db.syncState.findUnique({
      where: { shopId_resource: { shopId: shop.id, resource: "orders" } },
    });
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
          full,
          progress,
          reporter,
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
    await applyDeletions(db, pool, client, shop.id, shopClock, progress, reporter);
    // A full resync (not the first import, which built the read model page by page) rebuilds it
    // from the rows, so anything it may have drifted by is gone.
    if (
      ordersState?.watermark &&
      progress.resources.orders?.mode === "full" &&
      progress.resources.orders.status === "done"
    ) {
      await timed(progress, () => inTransaction(pool, (sql) => rebuildReadModel(sql, shop.id)));
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

interface ResourceContext {
  db: PrismaClient;
  pool: pg.Pool;
  client: AdminRestClient;
  shopId: number;
  resource: ResourceDefinition;
  full: boolean;
  progress: SyncProgress;
  reporter: ProgressReporter;
  /** The run's start on Shopify's clock (shop.json's Date). */
  shopClock: Date;
  /** The shop's read model awaits a build (shop.read_model_stale when the run started). */
  readModelStale: boolean;
  decoder: PageDecoder;
  signal?: AbortSignal;
  log: Logger;
}

async function syncResource(ctx: ResourceContext): Promise<void> {
  const { db, client, shopId, resource, progress, reporter } = ctx;
  const state = await db.syncState.findUnique({ where: { shopId_resource: { shopId, resource: resource.name } } });

  // Continue a pass in flight unless a full pass was asked for and the one in flight is incremental.
  const resuming = Boolean(state?.cursor) && !(ctx.full && !state?.passFull);
  const passFull = resuming ? Boolean(state?.passFull) : ctx.full || !state?.watermark;
  const passSince = resuming
    ? (state?.passSince ?? null)
    : passFull
      ? null
      : new Date(state!.watermark!.getTime() - WATERMARK_OVERLAP_MS);
  let passStartedAt = resuming ? (state?.passStartedAt ?? null) : null;
  const passOpenedAt = await openPass(ctx, resuming, state?.passStartedAt ?? null);
  // A shop's first import of orders builds the insights read model once, at the end of the pass; so
  // does any pass after a build that never finished (the process died between the last page and it).
  const deferred = resource.name === "orders" && ((passFull && !state?.watermark) || ctx.readModelStale);
  if (resuming) ctx.log.info("pass resumed from its checkpoint", { mode: passFull ? "full" : "incremental" });
  if (deferred) await inTransaction(ctx.pool, (sql) => deferReadModel(sql, shopId));

  const entry: ResourceProgress = {
    status: "running",
    mode: passFull ? "full" : "incremental",
    resumed: resuming,
    total: null,
    pages: 0,
    fetched: 0,
    written: 0,
    stale: 0,
    skipped: 0,
    deleted: 0,
  };
  progress.resources[resource.name] = entry;

  const query = {
    ...resource.baseQuery,
    ...(passSince ? { updated_at_min: passSince.toISOString() } : {}),
  };
  try {
    if (!resuming) {
      const { fields: _fields, ...filters } = query as Record<string, string>;
      const count = await client.get<{ count: number }>(resource.path.replace(".json", "/count.json"), filters);
      entry.total = count.body.count;
    }
    const pages = client.pages<DecodedPage>(
      resource.path,
      { ...query, limit: PAGE_SIZE },
      resuming ? state!.cursor! : undefined,
      (bytes) => ctx.decoder.decode(resource.name, bytes),
    );
    // Pages are fetched one ahead and written by up to PAGE_WRITERS transactions at once; each
    // page's checkpoint is saved only once it and every page before it have committed.
    let pending: Promise<IteratorResult<RestPage<DecodedPage>>> = pages.next();
    let checkpointed: Promise<void> = Promise.resolve();
    const writing: Promise<void>[] = [];
    for (;;) {
      const result = await pending;
      if (result.done) break;
      const page = result.value;
      const startedAt = (passStartedAt ??= serverTime(page));
      pending = page.next ? pages.next() : Promise.resolve({ done: true, value: undefined });
      pending.catch(() => {}); // observed on the next turn of the loop
      const { next } = page;
      const { fetched } = page.body;
      report(ctx, page.body, entry);
      const written = writeRows(ctx, page.body, entry, deferred, page.date ?? null);
      checkpointed = Promise.all([checkpointed, written]).then(async () => {
        if (!next && passFull && passOpenedAt) entry.deleted += await reconcile(ctx, passOpenedAt);
        await saveCheckpoint(ctx, next, passFull, passSince, startedAt);
        entry.pages += 1;
        entry.fetched += fetched;
        reporter.update();
      });
      checkpointed.catch(() => {}); // observed below, in order
      writing.push(checkpointed);
      if (writing.length >= PAGE_WRITERS) await writing.shift();
      if (ctx.signal?.aborted && next) {
        await checkpointed;
        throw ctx.signal.reason ?? new SyncInterrupted();
      }
    }
    await checkpointed;
    if (deferred) await timed(progress, () => buildReadModel(ctx.pool, shopId));
    entry.status = "done";
  } catch (error) {
    if (resource.protectedCustomerData && error instanceof ShopifyApiError && error.status === 403) {
      entry.status = "forbidden";
      ctx.log.warn("Shopify refused customer data (403): protected customer data is not approved");
      if (!progress.warnings.includes(PROTECTED_DATA_WARNING)) progress.warnings.push(PROTECTED_DATA_WARNING);
      await db.shop.update({ where: { id: shopId }, data: { protectedCustomerData: false } });
      return;
    }
    if (resuming && error instanceof ShopifyApiError && error.status === 400 && entry.pages === 0) {
      // Shopify no longer accepts the saved cursor: start the pass again (writes are idempotent).
      await db.syncState.update({
        where: { shopId_resource: { shopId, resource: resource.name } },
        data: { cursor: null },
      });
      ctx.log.warn("saved cursor refused by Shopify; restarting the pass");
      return syncResource(ctx);
    }
    entry.status = ctx.signal?.aborted && !(ctx.signal.reason instanceof LockLost) ? "running" : "failed";
    throw error;
  }
  if (resource.protectedCustomerData) {
    await db.shop.update({ where: { id: shopId }, data: { protectedCustomerData: true } });
  }
}

/**
 * Before a pass reads its first page: the deletions cursor starts here if it has not yet (so a first
 * pass that is stopped, fails or dies still has its deletions read by the run that completes it), and a
 * new pass notes its start on the database's clock for `reconcile`. Returns that start, or null when
 * a pass resumed from before it was recorded (it then reconciles nothing).
 */
async function openPass(ctx: ResourceContext, resuming: boolean, passStartedAt: Date | null): Promise<Date | null> {
  const eventsSince = passStartedAt && passStartedAt < ctx.shopClock ? passStartedAt : ctx.shopClock;
  const { rows } = await ctx.pool.query<{ opened: Date | null }>(
    `INSERT INTO sync_state (shop_id, resource, events_since, pass_opened_at, updated_at)
     VALUES ($1, $2, $3, CASE WHEN $4 THEN NULL ELSE now() END, now())
     ON CONFLICT (shop_id, resource) DO UPDATE SET
       events_since = coalesce(sync_state.events_since, EXCLUDED.events_since),
       pass_opened_at = CASE WHEN $4 THEN sync_state.pass_opened_at ELSE EXCLUDED.pass_opened_at END,
       updated_at = now()
     RETURNING pass_opened_at AS opened`,
    [ctx.shopId, ctx.resource.name, eventsSince, resuming],
  );
  return rows[0].opened;
}

/**
 * At the end of a full pass, once every page has committed: the shop's records of this resource that
 * the pass neither wrote nor confirmed were deleted in Shopify without an event or webhook reaching
 * us (customers have no deletion events at all). They go as any deletion does, with their children
 * and read-model entries. A pass that does not complete never gets here, so it deletes nothing.
 */
async function reconcile(ctx: ResourceContext, openedAt: Date): Promise<number> {
  const table = resourceTables[ctx.resource.name].parent.table;
  let deleted = 0;
  for (;;) {
    const { rows } = await ctx.pool.query<{ id: string }>(
      `SELECT id::text FROM ${table} WHERE shop_id = $1 AND synced_at < $2 ORDER BY id LIMIT 1000`,
      [ctx.shopId, openedAt],
    );
    if (rows.length === 0) return deleted;
    const ids = rows.map((row) => row.id);
    deleted += await inTransaction(ctx.pool, (sql) => deleteRecords(sql, ctx.shopId, ctx.resource.name, ids));
    ctx.log.info("records no longer in Shopify removed", { count: ids.length });
  }
}

/** The page's skipped records and warnings, into the run's progress and log. */
function report(ctx: ResourceContext, page: DecodedPage, entry: ResourceProgress): void {
  entry.skipped += page.skipped.length;
  for (const { id, reason } of page.skipped) ctx.log.warn("record skipped", { recordId: id ?? null, reason });
  for (const warning of page.warnings) {
    if (!ctx.progress.warnings.includes(warning)) ctx.progress.warnings.push(warning);
  }
}

// A commit lost in a crash is a page fetched again by the next run (writes are idempotent and the
// checkpoint never runs ahead of the pages), so waiting for each commit's flush to disk buys nothing.
const UNFLUSHED = { unflushed: true };

async function writeRows(
  ctx: ResourceContext,
  page: DecodedPage,
  entry: ResourceProgress,
  deferred: boolean,
  seenAt: Date | null,
): Promise<void> {
  const readModel = deferred ? "deferred" : "maintain";
  const result = await inTransaction(
    ctx.pool,
    (sql) => writeBatch(sql, ctx.shopId, page.batch, { readModel, seenAt: seenAt?.toISOString() ?? null }),
    UNFLUSHED,
  );
  entry.written += result.written;
  entry.stale += result.stale;
}

/** Where the pass stands after a committed page; on its last page, the watermark moves up. */
async function saveCheckpoint(
  ctx: ResourceContext,
  next: string | undefined,
  passFull: boolean,
  passSince: Date | null,
  passStartedAt: Date,
): Promise<void> {
  const finished = !next;
  await inTransaction(
    ctx.pool,
    (sql) =>
      sql.query(
        `INSERT INTO sync_state (shop_id, resource, cursor, pass_full, pass_since, pass_started_at, watermark, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, now())
         ON CONFLICT (shop_id, resource) DO UPDATE SET
           cursor = EXCLUDED.cursor, pass_full = EXCLUDED.pass_full, pass_since = EXCLUDED.pass_since,
           pass_started_at = EXCLUDED.pass_started_at, watermark = coalesce(EXCLUDED.watermark, sync_state.watermark),
           pass_opened_at = CASE WHEN EXCLUDED.cursor IS NULL THEN NULL ELSE sync_state.pass_opened_at END,
           updated_at = now()`,
        [
          ctx.shopId,
          ctx.resource.name,
          next ?? null,
          finished ? null : passFull,
          finished ? null : passSince,
          finished ? null : passStartedAt,
          finished ? passStartedAt : null,
        ],
      ),
    UNFLUSHED,
  );
}

// Deletions since the last run, from events.json (verb=destroy). Shopify records no events for
// customers; their deletions arrive by the customers/delete webhook only.
async function applyDeletions(
  db: PrismaClient,
  pool: pg.Pool,
  client: AdminRestClient,
  shopId: number,
  shopClock: Date,
  progress: SyncProgress,
  reporter: ProgressReporter,
): Promise<void> {
  const subjects = resources.filter((r) => r.eventSubject);
  const states = await db.syncState.findMany({ where: { shopId, resource: { in: subjects.map((r) => r.name) } } });
  const since = states.map((s) => s.eventsSince).filter((d): d is Date => d !== null);
  const oldest = since.length === subjects.length ? new Date(Math.min(...since.map((d) => d.getTime()))) : null;
  if (oldest) {
    const query = {
      filter: subjects.map((r) => r.eventSubject).join(","),
      verb: "destroy",
      created_at_min: new Date(oldest.getTime() - WATERMARK_OVERLAP_MS).toISOString(),
      limit: PAGE_SIZE,
    };
    for await (const page of client.pages<{ events: { subject_id: number; subject_type: string }[] }>(
      "events.json",
      query,
    )) {
      for (const resource of subjects) {
        const ids = page.body.events
          .filter((e) => e.subject_type === resource.eventSubject)
          .map((e) => String(e.subject_id));
        const deleted = await inTransaction(pool, (sql) => deleteRecords(sql, shopId, resource.name, ids));
        const entry = progress.resources[resource.name];
        if (entry) entry.deleted += deleted;
      }
      reporter.update();
    }
  }
  // Deletions before this run are applied now (or, on a first sync, were never imported).
  await db.syncState.updateMany({
    where: { shopId, resource: { in: subjects.map((r) => r.name) } },
    data: { eventsSince: shopClock },
  });
}

async function timed(progress: SyncProgress, work: () => Promise<void>): Promise<void> {
  const started = performance.now();
  try {
    await work();
  } finally {
    progress.readModelSeconds += (performance.now() - started) / 1000;
  }
}

const pagesOf = (progress: SyncProgress) =>
  Object.values(progress.resources).reduce((sum, r) => sum + (r?.pages ?? 0), 0);

function serverTime(page: RestPage<unknown>): Date {
  return page.date ?? new Date();
}

function describe(error: unknown): string {
  if (error instanceof ShopifyApiError) {
    if (error.status === 401)
      return "Shopify refused the access token (401): the app needs to be opened again from Shopify admin.";
    return `${error.message}${error.requestId ? ` (request ${error.requestId})` : ""}`;
  }
  return error instanceof Error ? error.message : String(error);
}

/** Keeps the SyncRun row current for the progress bar, at most every PROGRESS_INTERVAL_MS. */
class ProgressReporter {
  private lastFlush = 0;
  private writing: Promise<unknown> = Promise.resolve();
  private readonly db: PrismaClient;
  private readonly progress: SyncProgress;
  private readonly client: AdminRestClient;
  private readonly onProgress?: (progress: SyncProgress) => void;

  constructor(
    db: PrismaClient,
    progress: SyncProgress,
    client: AdminRestClient,
    onProgress?: (p: SyncProgress) => void,
  ) {
    this.db = db;
    this.progress = progress;
    this.client = client;
    this.onProgress = onProgress;
  }

  update(): void {
    Object.assign(this.progress, {
      apiCalls: this.client.stats.calls,
      throttled: this.client.stats.throttled,
      retries: this.client.stats.retries,
    });
    this.onProgress?.(this.progress);
    if (Date.now() - this.lastFlush >= PROGRESS_INTERVAL_MS) void this.flush(false);
  }

  async flush(final: boolean): Promise<void> {
    this.lastFlush = Date.now();
    Object.assign(this.progress, {
      apiCalls: this.client.stats.calls,
      throttled: this.client.stats.throttled,
      retries: this.client.stats.retries,
    });
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
    this.writing = this.writing.then(() => this.db.syncRun.update({ where: { id: p.runId }, data })).catch(() => {});
    await this.writing;
    if (final) this.onProgress?.(p);
  }
}
