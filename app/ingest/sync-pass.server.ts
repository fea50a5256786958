import type { PrismaClient } from "@prisma/client";
import type pg from "pg";
import { ShopifyApiError, type AdminRestClient, type RestPage } from "./rest-client.ts";
import type { ResourceDefinition } from "./resources/index.ts";
import { confirmRecords, inTransaction, isDataException, writeBatch, writeRecordByRecord } from "./upsert.server.ts";
import type { PageDecoder } from "./decoder.server.ts";
import { buildReadModel, deferReadModel } from "./read-model.server.ts";
import type { DecodedPage } from "./decode-page.ts";
import { PAGE_SIZE, planPass, type Checkpoint, type PassPlan } from "./sync-plan.ts";
import { advanceCursor, closePass, dropCursor, openPass, UNFLUSHED } from "./sync-state.server.ts";
import { reconcile } from "./deletions.server.ts";
import {
  noteSkippedRecord,
  PROTECTED_DATA_WARNING,
  timeReadModel,
  type ResourceProgress,
  type SyncProgress,
} from "./sync-progress.ts";
import { LockLost, SyncInterrupted } from "./sync-errors.ts";
import type { Logger } from "../lib/log.server.ts";

// One pass over one resource: pages through Shopify's Link cursors, writes each page in a transaction
// of its own, and checkpoints the next cursor once that page and all before it have committed.

/** Page transactions of one resource in flight at once. */
const PAGE_WRITERS = 3;

export interface PassContext {
  db: PrismaClient;
  pool: pg.Pool;
  client: AdminRestClient;
  shopId: number;
  resource: ResourceDefinition;
  /** Where the resource's sync stood when the run started; null if it was never synced. */
  checkpoint: Checkpoint | null;
  /** A full pass was asked for. */
  full: boolean;
  /** The run's start on Shopify's clock (shop.json's Date). */
  shopClock: Date;
  /** The shop's read model awaits a build (shop.read_model_stale when the run started). */
  readModelStale: boolean;
  progress: SyncProgress;
  /** Called after each committed page. */
  onPage: () => void;
  decoder: PageDecoder;
  signal?: AbortSignal;
  log: Logger;
}

export async function syncResource(ctx: PassContext): Promise<void> {
  const { db, shopId, resource, progress } = ctx;
  const plan = planPass(ctx.checkpoint, { full: ctx.full, shopClock: ctx.shopClock });
  const passOpenedAt = await openPass(ctx.pool, shopId, resource.name, plan);
  // A shop's first import of orders builds the insights read model once, at the end of the pass; so
  // does any pass after a build that never finished (the process died between the last page and it).
  const deferred = resource.name === "orders" && (plan.firstImport || ctx.readModelStale);
  if (plan.resumed) ctx.log.info("pass resumed from its checkpoint", { mode: plan.mode });
  if (deferred) await inTransaction(ctx.pool, (sql) => deferReadModel(sql, shopId));

  const entry: ResourceProgress = {
    status: "running",
    mode: plan.mode,
    resumed: plan.resumed,
    total: null,
    pages: 0,
    fetched: 0,
    written: 0,
    unchanged: 0,
    skipped: 0,
    deleted: 0,
  };
  progress.resources[resource.name] = entry;

  try {
    await readPages(ctx, plan, entry, deferred, plan.mayReconcile ? passOpenedAt : null);
    if (deferred) await timeReadModel(progress, () => buildReadModel(ctx.pool, shopId));
    entry.status = "done";
  } catch (error) {
    if (resource.protectedCustomerData && error instanceof ShopifyApiError && error.status === 403) {
      entry.status = "forbidden";
      ctx.log.warn("Shopify refused customer data (403): protected customer data is not approved");
      if (!progress.warnings.includes(PROTECTED_DATA_WARNING)) progress.warnings.push(PROTECTED_DATA_WARNING);
      await db.shop.update({ where: { id: shopId }, data: { protectedCustomerData: false } });
      return;
    }
    if (plan.resumed && error instanceof ShopifyApiError && error.status === 400 && entry.pages === 0) {
      // Shopify no longer accepts the saved cursor: start the pass again (writes are idempotent).
      await dropCursor(db, shopId, resource.name);
      ctx.log.warn("saved cursor refused by Shopify; restarting the pass");
      return syncResource({ ...ctx, checkpoint: { ...ctx.checkpoint!, cursor: null } });
    }
    entry.status = ctx.signal?.aborted && !(ctx.signal.reason instanceof LockLost) ? "running" : "failed";
    throw error;
  }
  if (resource.protectedCustomerData) {
    await db.shop.update({ where: { id: shopId }, data: { protectedCustomerData: true } });
  }
}

/**
 * The pass's pages, from its cursor to the last. Pages are fetched one ahead and written by up to
 * PAGE_WRITERS transactions at once; each page's checkpoint is saved only once it and every page
 * before it have committed. `reconcileSince`: the pass's start on the database's clock when, once
 * complete, it removes the rows it did not see.
 */
async function readPages(
  ctx: PassContext,
  plan: PassPlan,
  entry: ResourceProgress,
  deferred: boolean,
  reconcileSince: Date | null,
): Promise<void> {
  const { client, resource, shopId, pool } = ctx;
  const query = {
    ...resource.baseQuery,
    ...(plan.updatedAtMin ? { updated_at_min: plan.updatedAtMin.toISOString() } : {}),
  };
  if (!plan.resumed) {
    const { fields: _fields, ...filters } = query as Record<string, string>;
    const count = await client.get<{ count: number }>(resource.path.replace(".json", "/count.json"), filters);
    entry.total = count.body.count;
  }
  const pages = client.pages<DecodedPage>(
    resource.path,
    { ...query, limit: PAGE_SIZE },
    plan.cursor ?? undefined,
    (bytes) => ctx.decoder.decode(resource.name, bytes),
  );
  let passStartedAt = plan.startedAt;
  let pending: Promise<IteratorResult<RestPage<DecodedPage>>> = pages.next();
  let checkpointed: Promise<void> = Promise.resolve();
  const writing: Promise<void>[] = [];
  for (;;) {
    const result = await pending;
    if (result.done) break;
    const page = result.value;
    // The pass's start on Shopify's clock: its first page's Date.
    const startedAt = (passStartedAt ??= page.date ?? new Date());
    pending = page.next ? pages.next() : Promise.resolve({ done: true, value: undefined });
    pending.catch(() => {}); // observed on the next turn of the loop
    const { next } = page;
    const { fetched } = page.body;
    noteSkipped(ctx, page.body, entry);
    const written = writePage(ctx, page.body, entry, deferred, page.date ?? null);
    checkpointed = Promise.all([checkpointed, written]).then(async () => {
      if (next) {
        await advanceCursor(pool, shopId, resource.name, {
          next,
          full: plan.mode === "full",
          updatedAtMin: plan.updatedAtMin,
          startedAt,
        });
      } else {
        if (reconcileSince) entry.deleted += await reconcile(pool, shopId, resource.name, reconcileSince, ctx.log);
        await closePass(pool, shopId, resource.name, startedAt);
      }
      entry.pages += 1;
      entry.fetched += fetched;
      ctx.onPage();
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
}

/** Records not stored (skipped when mapped, or refused when written): into the run's warnings and log. */
function noteRecordsSkipped(
  ctx: PassContext,
  entry: ResourceProgress,
  skipped: readonly { id: string | null; reason: string }[],
): void {
  entry.skipped += skipped.length;
  for (const { id, reason } of skipped) {
    ctx.log.warn("record skipped", { recordId: id ?? null, reason });
    noteSkippedRecord(ctx.progress, ctx.resource.name, id, reason);
  }
}

/** The page's skipped records and warnings, into the run's progress and log. */
function noteSkipped(ctx: PassContext, page: DecodedPage, entry: ResourceProgress): void {
  noteRecordsSkipped(ctx, entry, page.skipped);
  for (const warning of page.warnings) {
    if (!ctx.progress.warnings.includes(warning)) ctx.progress.warnings.push(warning);
  }
}

/**
 * A decoded page's rows, written in one transaction; `seenAt` is the page's Date, for ties. Should
 * PostgreSQL refuse the page for its data (a value the mapping's check let through), the page is
 * written again record by record: the records it refuses are skipped with a warning and the pass
 * goes on. Any other failure (the connection, the transaction) fails the page as before.
 */
async function writePage(
  ctx: PassContext,
  page: DecodedPage,
  entry: ResourceProgress,
  deferred: boolean,
  seenAt: Date | null,
): Promise<void> {
  const options = { readModel: deferred ? "deferred" : "maintain", seenAt: seenAt?.toISOString() ?? null } as const;
  const { shopId, resource } = ctx;
  const skippedIds = page.skipped.map(({ id }) => id);
  let result;
  try {
    result = await inTransaction(
      ctx.pool,
      async (sql) => {
        const written = await writeBatch(sql, shopId, page.batch, options);
        await confirmRecords(sql, shopId, resource.name, skippedIds);
        return written;
      },
      UNFLUSHED,
    );
  } catch (error) {
    if (!isDataException(error)) throw error;
    ctx.log.warn("page refused for its data; writing it record by record", { reason: (error as Error).message });
    const byRecord = await inTransaction(
      ctx.pool,
      async (sql) => {
        const written = await writeRecordByRecord(sql, shopId, page.batch, options);
        await confirmRecords(sql, shopId, resource.name, [...skippedIds, ...written.refused.map(({ id }) => id)]);
        return written;
      },
      UNFLUSHED,
    );
    noteRecordsSkipped(
      ctx,
      entry,
      byRecord.refused.map(({ id, reason }) => ({ id, reason: `the database refused it (${reason})` })),
    );
    result = byRecord;
  }
  entry.written += result.written;
  entry.unchanged += result.unchanged;
}
