import type { PrismaClient } from "@prisma/client";
import type pg from "pg";
import { inTransaction } from "./upsert.server.ts";
import type { ResourceName } from "./resources/names.ts";
import type { Checkpoint, PassPlan } from "./sync-plan.ts";

// sync_state: where each resource's sync stands. The watermark of the last completed pass, the pass in
// flight (its filter, its start on both clocks, its next page) and the deletions cursor. The only
// module that reads or writes it.

// A commit lost in a crash is a page fetched again by the next run (writes are idempotent and the
// checkpoint never runs ahead of the pages), so waiting for each commit's flush to disk buys nothing.
export const UNFLUSHED = { unflushed: true };

/** Every resource's checkpoint of the shop; a resource never synced has none. */
export async function readCheckpoints(db: PrismaClient, shopId: number): Promise<Map<ResourceName, Checkpoint>> {
  const rows = await db.syncState.findMany({ where: { shopId } });
  return new Map(rows.map((row) => [row.resource as ResourceName, row]));
}

/**
 * Before a pass reads its first page: the deletions cursor starts here if it has not yet (so a first
 * pass that is stopped, fails or dies still has its deletions read by the run that completes it), and a
 * new pass notes its start on the database's clock for reconciling. Returns that start, or null when
 * a pass resumed from before it was recorded (it then reconciles nothing).
 */
export async function openPass(
  pool: pg.Pool,
  shopId: number,
  resource: ResourceName,
  plan: PassPlan,
): Promise<Date | null> {
  const { rows } = await pool.query<{ opened: Date | null }>(
    `INSERT INTO sync_state (shop_id, resource, events_since, pass_opened_at, updated_at)
     VALUES ($1, $2, $3, CASE WHEN $4 THEN NULL ELSE now() END, now())
     ON CONFLICT (shop_id, resource) DO UPDATE SET
       events_since = coalesce(sync_state.events_since, EXCLUDED.events_since),
       pass_opened_at = CASE WHEN $4 THEN sync_state.pass_opened_at ELSE EXCLUDED.pass_opened_at END,
       updated_at = now()
     RETURNING pass_opened_at AS opened`,
    [shopId, resource, plan.eventsSince, plan.resumed],
  );
  return rows[0].opened;
}

export interface PassPosition {
  /** The page after the one committed. */
  next: string;
  full: boolean;
  updatedAtMin: Date | null;
  /** The pass's start on Shopify's clock. */
  startedAt: Date;
}

/** A page and every page before it have committed: the pass goes on from the next one. */
export async function advanceCursor(
  pool: pg.Pool,
  shopId: number,
  resource: ResourceName,
  position: PassPosition,
): Promise<void> {
  await inTransaction(
    pool,
    (sql) =>
      sql.query(
        `INSERT INTO sync_state (shop_id, resource, cursor, pass_full, pass_since, pass_started_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, now())
         ON CONFLICT (shop_id, resource) DO UPDATE SET
           cursor = EXCLUDED.cursor, pass_full = EXCLUDED.pass_full, pass_since = EXCLUDED.pass_since,
           pass_started_at = EXCLUDED.pass_started_at, updated_at = now()`,
        [shopId, resource, position.next, position.full, position.updatedAtMin, position.startedAt],
      ),
    UNFLUSHED,
  );
}

/**
 * The pass's last page has committed: nothing is in flight any more, and the watermark moves up to the
 * pass's start on Shopify's clock, where the next incremental pass reads from.
 */
export async function closePass(pool: pg.Pool, shopId: number, resource: ResourceName, startedAt: Date): Promise<void> {
  await inTransaction(
    pool,
    (sql) =>
      sql.query(
        `INSERT INTO sync_state (shop_id, resource, watermark, updated_at)
         VALUES ($1, $2, $3, now())
         ON CONFLICT (shop_id, resource) DO UPDATE SET
           cursor = NULL, pass_full = NULL, pass_since = NULL, pass_started_at = NULL, pass_opened_at = NULL,
           watermark = EXCLUDED.watermark, updated_at = now()`,
        [shopId, resource, startedAt],
      ),
    UNFLUSHED,
  );
}

/** Forgets the pass in flight's next page (Shopify refused it): the next attempt starts a new pass. */
export async function dropCursor(db: PrismaClient, shopId: number, resource: ResourceName): Promise<void> {
  await db.syncState.update({ where: { shopId_resource: { shopId, resource } }, data: { cursor: null } });
}

/** The deletions cursors (Shopify's clock) of those resources that have one. */
export async function readEventCursors(
  db: PrismaClient,
  shopId: number,
  resources: readonly ResourceName[],
): Promise<(Date | null)[]> {
  const rows = await db.syncState.findMany({ where: { shopId, resource: { in: [...resources] } } });
  return rows.map((row) => row.eventsSince);
}

/** Deletions before `to` have been applied: the next read of events starts there. */
export async function moveEventCursors(
  db: PrismaClient,
  shopId: number,
  resources: readonly ResourceName[],
  to: Date,
): Promise<void> {
  await db.syncState.updateMany({ where: { shopId, resource: { in: [...resources] } }, data: { eventsSince: to } });
}
