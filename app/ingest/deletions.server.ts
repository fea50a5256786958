import type { PrismaClient } from "@prisma/client";
import type pg from "pg";
import type { AdminRestClient } from "./rest-client.ts";
import { resources, resourceTables } from "./resources/index.ts";
import { deleteRecords, inTransaction } from "./upsert.server.ts";
import type { ResourceName } from "./resources/names.ts";
import { deletionEventsSince, PAGE_SIZE } from "./sync-plan.ts";
import { moveEventCursors, readEventCursors } from "./sync-state.server.ts";
import type { SyncProgress } from "./sync-progress.ts";
import type { Logger } from "../lib/log.server.ts";

// Records deleted in Shopify, found two ways: its deletion events since the last run, and, at the end
// of a full pass, the shop's rows the pass did not see. Deleted like any deletion, with their children
// and read-model entries.

export interface EventsContext {
  db: PrismaClient;
  pool: pg.Pool;
  client: AdminRestClient;
  shopId: number;
  /** The run's start on Shopify's clock: deletions after it are read by the next run. */
  shopClock: Date;
  progress: SyncProgress;
  /** Called after each page of events has been applied. */
  onPage: () => void;
}

/**
 * Deletions since the last run, from events.json (verb=destroy). Shopify records no events for
 * customers; their deletions arrive by the customers/delete webhook only.
 */
export async function applyDeletionEvents(ctx: EventsContext): Promise<void> {
  const { db, shopId } = ctx;
  const subjects = resources.filter((r) => r.eventSubject);
  const names = subjects.map((r) => r.name);
  const since = deletionEventsSince(await readEventCursors(db, shopId, names), subjects.length);
  if (since) {
    const query = {
      filter: subjects.map((r) => r.eventSubject).join(","),
      verb: "destroy",
      created_at_min: since.toISOString(),
      limit: PAGE_SIZE,
    };
    for await (const page of ctx.client.pages<{ events: { subject_id: number; subject_type: string }[] }>(
      "events.json",
      query,
    )) {
      for (const resource of subjects) {
        const ids = page.body.events
          .filter((e) => e.subject_type === resource.eventSubject)
          .map((e) => String(e.subject_id));
        const deleted = await inTransaction(ctx.pool, (sql) => deleteRecords(sql, shopId, resource.name, ids));
        const entry = ctx.progress.resources[resource.name];
        if (entry) entry.deleted += deleted;
      }
      ctx.onPage();
    }
  }
  // Deletions before this run are applied now (or, on a first sync, were never imported).
  await moveEventCursors(db, shopId, names, ctx.shopClock);
}

/**
 * At the end of a full pass, once every page has committed: the shop's records of this resource that
 * the pass neither wrote nor confirmed (their synced_at is before `openedAt`, the pass's start on the
 * database's clock) were deleted in Shopify without an event or webhook reaching us (customers have no
 * deletion events at all). A pass that does not complete never gets here, so it deletes nothing.
 */
export async function reconcile(
  pool: pg.Pool,
  shopId: number,
  resource: ResourceName,
  openedAt: Date,
  log: Logger,
): Promise<number> {
  const table = resourceTables[resource].parent.table;
  let deleted = 0;
  for (;;) {
    const { rows } = await pool.query<{ id: string }>(
      `SELECT id::text FROM ${table} WHERE shop_id = $1 AND synced_at < $2 ORDER BY id LIMIT 1000`,
      [shopId, openedAt],
    );
    if (rows.length === 0) return deleted;
    const ids = rows.map((row) => row.id);
    deleted += await inTransaction(pool, (sql) => deleteRecords(sql, shopId, resource, ids));
    log.info("records no longer in Shopify removed", { count: ids.length });
  }
}
