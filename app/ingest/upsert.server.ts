import type pg from "pg";
import type { CustomerRow, OrderRow, ProductRow } from "./mappers.ts";

// The one way rows get into the database, for sync pages and webhooks alike: one statement per table
// per batch (INSERT … SELECT FROM json_to_recordset … ON CONFLICT), idempotent, and never back in time: a row
// is only replaced by a version whose updated_at is at least as new. Child rows (variants, line
// items, refunds) are replaced together with the parents that were written, in the caller's
// transaction. Records Shopify deleted (deleted_record) are not brought back.
//
// These statements go straight to node-postgres (the driver under Prisma's adapter, sharing its pool):
// array parameters through Prisma's raw-query path cost about four times as much per page. A batch
// travels as one JSON parameter: JSON.stringify is native, where per-element array escaping is not.

/** A connection inside a transaction (pg.PoolClient). */
export type Sql = Pick<pg.PoolClient, "query">;

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
  try {
    await client.query(options.unflushed ? "BEGIN; SET LOCAL synchronous_commit = off" : "BEGIN");
    const result = await work(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
export type ResourceName = "products" | "customers" | "orders";

export interface WriteResult {
  written: number;
  /** Rows not written because the stored version is newer or the record was deleted. */
  stale: number;
}

/** A table written from rows: [SQL column, row key, PostgreSQL type], `id` first. */
interface TableSpec {
  table: string;
  columns: [column: string, key: string, type: string][];
  /** SET expressions replacing `column = EXCLUDED.column` for some columns. */
  onUpdate?: Record<string, string>;
}

// Child rows are serialised without their own children.
const withoutChildren = (key: string, value: unknown) =>
  key === "variants" || key === "lineItems" || key === "refunds" ? undefined : value;

function insertSql(spec: TableSpec, parent: { resource: boolean }): string {
  const first = parent.resource ? 3 : 2;
  const names = spec.columns.map(([column]) => column);
  const values = spec.columns.map(([, key]) => `t."${key}"`);
  const recordset = spec.columns.map(([, key, type]) => `"${key}" ${type}`).join(", ");
  const sets = spec.columns
    .slice(1)
    .map(([column]) => `${column} = ${spec.onUpdate?.[column] ?? `EXCLUDED.${column}`}`);
  const tracked = names.includes("shopify_updated_at") && parent.resource;
  return `INSERT INTO ${spec.table} (shop_id, ${names.join(", ")}${tracked ? ", synced_at" : ""})
    SELECT $1, ${values.join(", ")}${tracked ? ", now()" : ""}
    FROM json_to_recordset($${first}::json) AS t(${recordset})
    ${
      parent.resource
        ? `WHERE NOT EXISTS (SELECT 1 FROM deleted_record d WHERE d.shop_id = $1 AND d.resource = $2 AND d.id = t."id")`
        : ""
    }
    ON CONFLICT (shop_id, id) DO UPDATE SET ${sets.join(", ")}${tracked ? ", synced_at = now()" : ""}
    ${tracked ? `WHERE ${spec.table}.shopify_updated_at <= EXCLUDED.shopify_updated_at RETURNING id, xmax = 0 AS inserted` : ""}`;
}

const statements = new Map<TableSpec, string>();
function statement(spec: TableSpec, resource: boolean): string {
  let text = statements.get(spec);
  if (!text) statements.set(spec, (text = insertSql(spec, { resource })));
  return text;
}

interface ParentsWritten {
  /** Every parent written. */
  written: Set<string>;
  /** Those that existed before (their old children are replaced). */
  replaced: string[];
}

/** Upserts parent rows (never back in time, never a deleted record). */
async function upsertParents(
  db: Sql,
  spec: TableSpec,
  shopId: number,
  resource: ResourceName,
  rows: object[],
): Promise<ParentsWritten> {
  // `xmax = 0` holds for a row this statement inserted and not for one it updated: PostgreSQL's
  // documented marker of the deleting/locking transaction, set by ON CONFLICT DO UPDATE.
  const result = await db.query<{ id: string; inserted: boolean }>(statement(spec, true), [
    shopId,
    resource,
    JSON.stringify(rows, withoutChildren),
  ]);
  const written = new Set<string>();
  const replaced: string[] = [];
  for (const row of result.rows) {
    const id = String(row.id);
    written.add(id);
    if (!row.inserted) replaced.push(id);
  }
  return { written, replaced };
}

/**
 * Replaces the children of the written parents with `rows`. Children only exist beside their parent
 * (both are written and deleted together), so a newly inserted parent has none to delete: a first
 * import never scans the child tables.
 */
async function replaceChildren(
  db: Sql,
  spec: TableSpec,
  parentColumn: string,
  shopId: number,
  parents: ParentsWritten,
  rows: object[],
): Promise<void> {
  await deleteChildren(db, spec, parentColumn, shopId, parents.replaced);
  if (rows.length > 0) await db.query(statement(spec, false), [shopId, JSON.stringify(rows, withoutChildren)]);
}

async function deleteChildren(
  db: Sql,
  spec: TableSpec,
  parentColumn: string,
  shopId: number,
  parentIds: string[],
): Promise<void> {
  if (parentIds.length === 0) return;
  await db.query(`DELETE FROM ${spec.table} WHERE shop_id = $1 AND ${parentColumn} = ANY($2::bigint[])`, [
    shopId,
    parentIds,
  ]);
}

const productTable: TableSpec = {
  table: "product",
  columns: [
    ["id", "id", "bigint"],
    ["title", "title", "text"],
    ["handle", "handle", "text"],
    ["vendor", "vendor", "text"],
    ["product_type", "productType", "text"],
    ["status", "status", "text"],
    ["tags", "tags", "text"],
    ["variant_count", "variantCount", "int"],
    ["shopify_created_at", "createdAt", "timestamptz"],
    ["shopify_updated_at", "updatedAt", "timestamptz"],
  ],
};

const variantTable: TableSpec = {
  table: "product_variant",
  columns: [
    ["id", "id", "bigint"],
    ["product_id", "productId", "bigint"],
    ["title", "title", "text"],
    ["sku", "sku", "text"],
    ["price", "price", "numeric"],
    ["compare_at_price", "compareAtPrice", "numeric"],
    ["position", "position", "int"],
    ["inventory_item_id", "inventoryItemId", "bigint"],
    ["inventory_quantity", "inventoryQuantity", "int"],
    ["shopify_updated_at", "updatedAt", "timestamptz"],
  ],
};

// A customer whose data was redacted (customers/redact) keeps its personal columns empty.
const personal = ["email", "first_name", "last_name", "phone", "city", "province", "country_code"];
const customerTable: TableSpec = {
  table: "customer",
  columns: [
    ["id", "id", "bigint"],
    ["email", "email", "text"],
    ["first_name", "firstName", "text"],
    ["last_name", "lastName", "text"],
    ["phone", "phone", "text"],
    ["city", "city", "text"],
    ["province", "province", "text"],
    ["country_code", "countryCode", "text"],
    ["state", "state", "text"],
    ["tags", "tags", "text"],
    ["accepts_marketing", "acceptsMarketing", "boolean"],
    ["orders_count", "ordersCount", "int"],
    ["total_spent", "totalSpent", "numeric"],
    ["currency", "currency", "text"],
    ["shopify_created_at", "createdAt", "timestamptz"],
    ["shopify_updated_at", "updatedAt", "timestamptz"],
  ],
  onUpdate: Object.fromEntries(
    personal.map((column) => [column, `CASE WHEN customer.redacted_at IS NULL THEN EXCLUDED.${column} END`]),
  ),
};

const orderTable: TableSpec = {
  table: '"order"',
  columns: [
    ["id", "id", "bigint"],
    ["name", "name", "text"],
    ["order_number", "orderNumber", "int"],
    ["customer_id", "customerId", "bigint"],
    ["email", "email", "text"],
    ["currency", "currency", "text"],
    ["total_price", "totalPrice", "numeric"],
    ["subtotal_price", "subtotalPrice", "numeric"],
    ["total_tax", "totalTax", "numeric"],
    ["total_discounts", "totalDiscounts", "numeric"],
    ["total_shipping", "totalShipping", "numeric"],
    ["total_refunded", "totalRefunded", "numeric"],
    ["financial_status", "financialStatus", "text"],
    ["fulfillment_status", "fulfillmentStatus", "text"],
    ["cancelled_at", "cancelledAt", "timestamptz"],
    ["cancel_reason", "cancelReason", "text"],
    ["closed_at", "closedAt", "timestamptz"],
    ["test", "test", "boolean"],
    ["source_name", "sourceName", "text"],
    ["tags", "tags", "text"],
    ["processed_at", "processedAt", "timestamptz"],
    ["shopify_created_at", "createdAt", "timestamptz"],
    ["shopify_updated_at", "updatedAt", "timestamptz"],
  ],
  // The contact address of a redacted customer's orders stays erased.
  onUpdate: {
    email: `CASE WHEN EXISTS (SELECT 1 FROM customer c WHERE c.shop_id = $1 AND c.id = EXCLUDED.customer_id
                              AND c.redacted_at IS NOT NULL) THEN NULL ELSE EXCLUDED.email END`,
  },
};

const lineItemTable: TableSpec = {
  table: "order_line_item",
  columns: [
    ["id", "id", "bigint"],
    ["order_id", "orderId", "bigint"],
    ["product_id", "productId", "bigint"],
    ["variant_id", "variantId", "bigint"],
    ["title", "title", "text"],
    ["variant_title", "variantTitle", "text"],
    ["sku", "sku", "text"],
    ["vendor", "vendor", "text"],
    ["quantity", "quantity", "int"],
    ["price", "price", "numeric"],
    ["total_discount", "totalDiscount", "numeric"],
  ],
};

const refundTable: TableSpec = {
  table: "refund",
  columns: [
    ["id", "id", "bigint"],
    ["order_id", "orderId", "bigint"],
    ["amount", "amount", "numeric"],
    ["note", "note", "text"],
    ["created_at", "createdAt", "timestamptz"],
    ["processed_at", "processedAt", "timestamptz"],
  ],
};

export async function writeProducts(db: Sql, shopId: number, rows: ProductRow[]): Promise<WriteResult> {
  if (rows.length === 0) return { written: 0, stale: 0 };
  const parents = await upsertParents(db, productTable, shopId, "products", rows);
  const fresh = rows.filter((r) => parents.written.has(r.id));
  await replaceChildren(
    db,
    variantTable,
    "product_id",
    shopId,
    parents,
    fresh.flatMap((r) => r.variants),
  );
  return { written: parents.written.size, stale: rows.length - parents.written.size };
}

export async function writeCustomers(db: Sql, shopId: number, rows: CustomerRow[]): Promise<WriteResult> {
  if (rows.length === 0) return { written: 0, stale: 0 };
  const { written } = await upsertParents(db, customerTable, shopId, "customers", rows);
  return { written: written.size, stale: rows.length - written.size };
}

export async function writeOrders(db: Sql, shopId: number, rows: OrderRow[]): Promise<WriteResult> {
  if (rows.length === 0) return { written: 0, stale: 0 };
  const parents = await upsertParents(db, orderTable, shopId, "orders", rows);
  const fresh = rows.filter((r) => parents.written.has(r.id));
  await replaceChildren(
    db,
    lineItemTable,
    "order_id",
    shopId,
    parents,
    fresh.flatMap((r) => r.lineItems),
  );
  await replaceChildren(
    db,
    refundTable,
    "order_id",
    shopId,
    parents,
    fresh.flatMap((r) => r.refunds),
  );
  return { written: parents.written.size, stale: rows.length - parents.written.size };
}

const parentTables: Record<ResourceName, string> = { products: "product", customers: "customer", orders: '"order"' };
const childTables: Record<ResourceName, TableSpec[]> = {
  products: [variantTable],
  customers: [],
  orders: [lineItemTable, refundTable],
};
const parentColumn: Record<ResourceName, string> = { products: "product_id", customers: "", orders: "order_id" };

/** Records Shopify deleted: remove them with their child rows, and remember the deletion. */
export async function deleteRecords(db: Sql, shopId: number, resource: ResourceName, ids: string[]): Promise<number> {
  if (ids.length === 0) return 0;
  await db.query(
    `INSERT INTO deleted_record (shop_id, resource, id) SELECT $1, $2, unnest($3::bigint[]) ON CONFLICT DO NOTHING`,
    [shopId, resource, ids],
  );
  for (const child of childTables[resource]) {
    await deleteChildren(db, child, parentColumn[resource], shopId, ids);
  }
  const deleted = await db.query(
    `DELETE FROM ${parentTables[resource]} WHERE shop_id = $1 AND id = ANY($2::bigint[])`,
    [shopId, ids],
  );
  return deleted.rowCount ?? 0;
}
