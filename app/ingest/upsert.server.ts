import type pg from "pg";
import { resourceNamed, resourceTables } from "./resources/index.ts";
import type { ResourceName } from "./resources/names.ts";
import { encodeBatch, splitBatch, type Batch, type ChildTable, type TableSpec } from "./resources/tables.ts";
import { applyOrders, captureOrders } from "./read-model.server.ts";
import { lockShop } from "./shop-lock.server.ts";
import type { Sql } from "./sql.ts";

// The one way rows get into the database, for sync pages and webhooks alike: one statement per table
// per batch (INSERT … SELECT FROM unnest(column arrays) … ON CONFLICT), idempotent, and never back in
// time: a row is only replaced by a version whose updated_at is at least as new. Child rows (variants,
// line items, refunds) are replaced together with the parents that were written, in the caller's
// transaction. Records Shopify deleted (deleted_record) are not brought back.
//
// Ties on updated_at (Shopify's is to the second, and an order often changes several times in one)
// are settled by when Shopify last saw the version: a webhook's X-Shopify-Triggered-At, a page's
// Date. On a tie the version seen later wins, so duplicated, reordered deliveries of one second's
// states end on the newest. (A page's Date is cut to the second: where it cannot order a page
// against a webhook of the same second, the webhook of the newer state, triggered later, still wins.)
//
// These statements go straight to node-postgres (the driver under Prisma's adapter, sharing its pool):
// array parameters through Prisma's raw-query path cost about four times as much per page. Batches
// arrive encoded (tables.ts), so the sync can encode its pages off the main thread.

/**
 * Runs `work` in one transaction on a connection of the pool. `unflushed` commits without waiting for
 * the flush to disk (synchronous_commit off), for writes a crash may lose because they are repeated.
 */
export async function inTransaction<T>(
  pool: pg.Pool,
  work: (sql: Sql) => Promise<T>,
  options: { unflushed?: boolean } = {},
): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query(options.unflushed ? "BEGIN; SET LOCAL synchronous_commit = off" : "BEGIN");
    const result = await work(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    // A connection that cannot even roll back is closed rather than handed to the next caller.
    broken = await client.query("ROLLBACK").then(
      () => false,
      () => true,
    );
    throw error;
  } finally {
    client.release(broken);
  }
}
export interface WriteResult {
  written: number;
  /** Rows not written because the stored version is newer or the record was deleted. */
  unchanged: number;
}

/** Shopify ids as one bigint[] literal; anything but digits is refused. */
function idList(ids: readonly string[]): string {
  for (const id of ids) if (!/^\d{1,19}$/.test(id)) throw new Error(`Not a Shopify id: ${JSON.stringify(id)}`);
  return `{${ids.join(",")}}`;
}

// Parent statements take $1 shop, $2 resource and the columns from $3; child statements take $1 shop,
// $2 the parents written (only their children are written) and the columns from $3.
function insertSql(spec: TableSpec, child?: ChildTable): string {
  const names = spec.columns.map(([column]) => column);
  const arrays = spec.columns.map(([, , type], i) => `$${3 + i}::${type}[]`);
  const sets = spec.columns
    .slice(1)
    .map(([column]) => `${column} = ${spec.onUpdate?.[column] ?? `EXCLUDED.${column}`}`);
  const tracked = names.includes("shopify_updated_at") && !child;
  const seenAt = `$${3 + names.length}::timestamptz`;
  const filter = child
    ? `WHERE u.${child.parentColumn} = ANY($2::bigint[])`
    : `WHERE NOT EXISTS (SELECT 1 FROM deleted_record d WHERE d.shop_id = $1 AND d.resource = $2 AND d.id = u.id)`;
  return `INSERT INTO ${spec.table} (shop_id, ${names.join(", ")}${tracked ? ", synced_at, shopify_seen_at" : ""})
    SELECT $1, ${names.map((n) => `u.${n}`).join(", ")}${tracked ? `, now(), ${seenAt}` : ""}
    FROM unnest(${arrays.join(", ")}) AS u(${names.join(", ")})
    ${filter}
    ON CONFLICT (shop_id, id) DO UPDATE SET ${sets.join(", ")}${tracked ? ", synced_at = now(), shopify_seen_at = EXCLUDED.shopify_seen_at" : ""}
    ${tracked ? `WHERE ${newer(spec.table)} RETURNING id, xmax = 0 AS inserted` : ""}`;
}

/** The incoming version (EXCLUDED) may replace the stored one: newer, or as new and seen no earlier. */
const newer = (table: string) => `${table}.shopify_updated_at < EXCLUDED.shopify_updated_at
    OR (${table}.shopify_updated_at = EXCLUDED.shopify_updated_at
        AND (${table}.shopify_seen_at IS NULL OR EXCLUDED.shopify_seen_at >= ${table}.shopify_seen_at))`;

const statements = new Map<TableSpec, string>();
function statement(spec: TableSpec, child?: ChildTable): string {
  let text = statements.get(spec);
  if (!text) statements.set(spec, (text = insertSql(spec, child)));
  return text;
}

interface ParentsWritten {
  /** Every parent written. */
  written: string[];
  /** Those that existed before (their old children are replaced). */
  replaced: string[];
}

/** Upserts parent rows (never back in time, never a deleted record). */
async function upsertParents(
  db: Sql,
  spec: TableSpec,
  shopId: number,
  batch: Batch,
  seenAt: string | null,
): Promise<ParentsWritten> {
  // `xmax = 0` holds for a row this statement inserted and not for one it updated: PostgreSQL's
  // marker of the updating transaction, which ON CONFLICT DO UPDATE sets.
  const result = await db.query<{ id: string; inserted: boolean }>(statement(spec), [
    shopId,
    batch.resource,
    ...batch.parents.columns,
    seenAt,
  ]);
  const written: string[] = [];
  const replaced: string[] = [];
  for (const row of result.rows) {
    const id = String(row.id);
    written.push(id);
    if (!row.inserted) replaced.push(id);
  }
  return { written, replaced };
}

async function deleteChildren(db: Sql, child: ChildTable, shopId: number, parentIds: readonly string[]): Promise<void> {
  if (parentIds.length === 0) return;
  await db.query(`DELETE FROM ${child.spec.table} WHERE shop_id = $1 AND ${child.parentColumn} = ANY($2::bigint[])`, [
    shopId,
    idList(parentIds),
  ]);
}

/**
 * Writes an encoded batch: its records, then the children of the records written, replacing their
 * old children. Children only exist beside their parent (both are written and deleted together), so
 * a newly inserted parent has none to delete, and a first import never scans the child tables.
 */
export async function writeBatch(
  db: Sql,
  shopId: number,
  batch: Batch,
  options: {
    readModel?: "maintain" | "deferred";
    /** When Shopify last saw these versions (Triggered-At, a page's Date): settles updated_at ties. */
    seenAt?: string | null;
  } = {},
): Promise<WriteResult> {
  if (batch.parents.count === 0) return { written: 0, unchanged: 0 };
  await lockShop(db, shopId);
  const tables = resourceTables[batch.resource];
  // Orders carry the insights read model along (read-model.server.ts), unless a first import builds
  // it once at its end; `id` is the first column.
  const orderIds = batch.resource === "orders" && options.readModel !== "deferred" ? batch.parents.columns[0] : null;
  const captured = orderIds ? await captureOrders(db, shopId, orderIds) : null;
  const parents = await upsertParents(db, tables.parent, shopId, batch, options.seenAt ?? null);
  const written = idList(parents.written);
  if (parents.written.length < batch.parents.count) {
    // Not written because the stored version is newer: still seen in Shopify now, which a full
    // pass's reconciliation (sync.server.ts) reads from synced_at.
    await db.query(
      `UPDATE ${tables.parent.table} SET synced_at = now()
        WHERE shop_id = $1 AND id = ANY($2::bigint[]) AND id <> ALL($3::bigint[])`,
      [shopId, batch.parents.columns[0], written],
    );
  }
  for (const [i, child] of tables.children.entries()) {
    await deleteChildren(db, child, shopId, parents.replaced);
    const rows = batch.children[i];
    if (rows.count > 0 && parents.written.length > 0) {
      await db.query(statement(child.spec, child), [shopId, written, ...rows.columns]);
    }
  }
  if (orderIds) await applyOrders(db, shopId, orderIds, captured);
  return { written: parents.written.length, unchanged: batch.parents.count - parents.written.length };
}

/**
 * PostgreSQL refused the data itself (SQLSTATE class 22, data exception: a value out of range, bad
 * text; or 23514, a check constraint), not the connection or the transaction: another record of the
 * same batch would have been written.
 */
export function isDataException(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && (code.startsWith("22") || code === "23514");
}

/** A record PostgreSQL refused, and its words. */
export interface RefusedRecord {
  id: string;
  reason: string;
}

/**
 * Writes an encoded batch one record at a time (each with its children, under a savepoint of the
 * caller's transaction), for a batch whose single write PostgreSQL refused for its data: records it
 * refuses again are left out and returned, the others are written as writeBatch would. Any other
 * error (the connection, the transaction) is thrown as it comes.
 */
export async function writeRecordByRecord(
  db: Sql,
  shopId: number,
  batch: Batch,
  options: Parameters<typeof writeBatch>[3] = {},
): Promise<WriteResult & { refused: RefusedRecord[] }> {
  const result = { written: 0, unchanged: 0, refused: [] as RefusedRecord[] };
  for (const record of splitBatch(resourceNamed(batch.resource), batch)) {
    await db.query("SAVEPOINT record");
    try {
      const one = await writeBatch(db, shopId, record.batch, options);
      await db.query("RELEASE SAVEPOINT record");
      result.written += one.written;
      result.unchanged += one.unchanged;
    } catch (error) {
      if (!isDataException(error)) throw error;
      await db.query("ROLLBACK TO SAVEPOINT record");
      result.refused.push({ id: record.id, reason: (error as Error).message });
    }
  }
  return result;
}

/**
 * Records still in Shopify that were not written (they could not be stored): the version stored
 * before, if any, stays and counts as seen, so a full pass's reconciliation does not delete it.
 */
export async function confirmRecords(
  db: Sql,
  shopId: number,
  resource: ResourceName,
  ids: readonly (string | null)[],
): Promise<void> {
  const known = ids.filter((id): id is string => id !== null && /^\d{1,18}$/.test(id));
  if (known.length === 0) return;
  await db.query(
    `UPDATE ${resourceTables[resource].parent.table} SET synced_at = now() WHERE shop_id = $1 AND id = ANY($2::bigint[])`,
    [shopId, idList(known)],
  );
}

/** Writes mapped rows of a resource (encoding them here). */
export function writeRows(
  db: Sql,
  shopId: number,
  resource: ResourceName,
  rows: readonly object[],
  seenAt: string | null = null,
) {
  return writeBatch(db, shopId, encodeBatch(resourceNamed(resource), rows), { seenAt });
}

/** Records Shopify deleted: remove them with their child rows, and remember the deletion. */
export async function deleteRecords(db: Sql, shopId: number, resource: ResourceName, ids: string[]): Promise<number> {
  if (ids.length === 0) return 0;
  await lockShop(db, shopId);
  const captured = resource === "orders" ? await captureOrders(db, shopId, idList(ids)) : null;
  await db.query(
    `INSERT INTO deleted_record (shop_id, resource, id) SELECT $1, $2, unnest($3::bigint[]) ON CONFLICT DO NOTHING`,
    [shopId, resource, idList(ids)],
  );
  const tables = resourceTables[resource];
  for (const child of tables.children) await deleteChildren(db, child, shopId, ids);
  const deleted = await db.query(`DELETE FROM ${tables.parent.table} WHERE shop_id = $1 AND id = ANY($2::bigint[])`, [
    shopId,
    idList(ids),
  ]);
  if (captured) await applyOrders(db, shopId, idList(ids), captured);
  return deleted.rowCount ?? 0;
}
