import type pg from "pg";
import type { CustomerRow, LineItemRow, OrderRow, ProductRow, RefundRow, VariantRow } from "./mappers.ts";

// The one way rows get into the database, for sync pages and webhooks alike: one statement per table
// per batch (INSERT … SELECT FROM unnest … ON CONFLICT), idempotent, and never back in time: a row
// is only replaced by a version whose updated_at is at least as new. Child rows (variants, line
// items, refunds) are replaced together with the parents that were written, in the caller's
// transaction. Records Shopify deleted (deleted_record) are not brought back.
//
// These statements go straight to node-postgres (the driver under Prisma's adapter, sharing its pool):
// array parameters through Prisma's raw-query path cost about four times as much per page.

/** A connection inside a transaction (pg.PoolClient). */
export type Sql = Pick<pg.PoolClient, "query">;

/** Runs `work` in one transaction on a connection of the pool. */
export async function inTransaction<T>(pool: pg.Pool, work: (sql: Sql) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
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

function column<T, V>(rows: T[], pick: (row: T) => V): V[] {
  return rows.map(pick);
}

async function upsertParents(
  db: Sql,
  text: string,
  shopId: number,
  resource: ResourceName,
  params: unknown[],
): Promise<Set<string>> {
  const written = await db.query<{ id: string }>(text, [shopId, resource, ...params]);
  return new Set(written.rows.map((row) => String(row.id)));
}

// Shared tail of every parent upsert: skip tombstoned ids, only move forward in time.
const notDeleted = (table: string) =>
  `WHERE NOT EXISTS (SELECT 1 FROM deleted_record d WHERE d.shop_id = $1 AND d.resource = $2 AND d.id = ${table}.id)`;

export async function writeProducts(db: Sql, shopId: number, rows: ProductRow[]): Promise<WriteResult> {
  if (rows.length === 0) return { written: 0, stale: 0 };
  const written = await upsertParents(
    db,
    `INSERT INTO product (shop_id, id, title, handle, vendor, product_type, status, tags, variant_count,
                          shopify_created_at, shopify_updated_at, synced_at)
     SELECT $1, t.id, t.title, t.handle, t.vendor, t.product_type, t.status, t.tags, t.variant_count,
            t.created_at, t.updated_at, now()
     FROM unnest($3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::int[],
                 $11::timestamptz[], $12::timestamptz[])
          AS t(id, title, handle, vendor, product_type, status, tags, variant_count, created_at, updated_at)
     ${notDeleted("t")}
     ON CONFLICT (shop_id, id) DO UPDATE SET
       title = EXCLUDED.title, handle = EXCLUDED.handle, vendor = EXCLUDED.vendor,
       product_type = EXCLUDED.product_type, status = EXCLUDED.status, tags = EXCLUDED.tags,
       variant_count = EXCLUDED.variant_count, shopify_created_at = EXCLUDED.shopify_created_at,
       shopify_updated_at = EXCLUDED.shopify_updated_at, synced_at = now()
     WHERE product.shopify_updated_at <= EXCLUDED.shopify_updated_at
     RETURNING id`,
    shopId,
    "products",
    [
      column(rows, (r) => r.id),
      column(rows, (r) => r.title),
      column(rows, (r) => r.handle),
      column(rows, (r) => r.vendor),
      column(rows, (r) => r.productType),
      column(rows, (r) => r.status),
      column(rows, (r) => r.tags),
      column(rows, (r) => r.variantCount),
      column(rows, (r) => r.createdAt),
      column(rows, (r) => r.updatedAt),
    ],
  );
  const variants = rows.filter((r) => written.has(r.id)).flatMap((r) => r.variants);
  await replaceChildren(db, "product_variant", "product_id", shopId, [...written]);
  await insertVariants(db, shopId, variants);
  return { written: written.size, stale: rows.length - written.size };
}

async function replaceChildren(db: Sql, table: string, parentColumn: string, shopId: number, parentIds: string[]) {
  if (parentIds.length === 0) return;
  await db.query(`DELETE FROM ${table} WHERE shop_id = $1 AND ${parentColumn} = ANY($2::bigint[])`, [
    shopId,
    parentIds,
  ]);
}

async function insertVariants(db: Sql, shopId: number, rows: VariantRow[]) {
  if (rows.length === 0) return;
  await db.query(
    `INSERT INTO product_variant (shop_id, id, product_id, title, sku, price, compare_at_price, position,
                                  inventory_item_id, inventory_quantity, shopify_updated_at)
     SELECT $1, t.* FROM unnest($2::bigint[], $3::bigint[], $4::text[], $5::text[], $6::numeric[], $7::numeric[],
                                $8::int[], $9::bigint[], $10::int[], $11::timestamptz[])
       AS t(id, product_id, title, sku, price, compare_at_price, position, inventory_item_id, inventory_quantity, updated_at)
     ON CONFLICT (shop_id, id) DO UPDATE SET
       product_id = EXCLUDED.product_id, title = EXCLUDED.title, sku = EXCLUDED.sku, price = EXCLUDED.price,
       compare_at_price = EXCLUDED.compare_at_price, position = EXCLUDED.position,
       inventory_item_id = EXCLUDED.inventory_item_id, inventory_quantity = EXCLUDED.inventory_quantity,
       shopify_updated_at = EXCLUDED.shopify_updated_at`,
    [
      shopId,
      column(rows, (r) => r.id),
      column(rows, (r) => r.productId),
      column(rows, (r) => r.title),
      column(rows, (r) => r.sku),
      column(rows, (r) => r.price),
      column(rows, (r) => r.compareAtPrice),
      column(rows, (r) => r.position),
      column(rows, (r) => r.inventoryItemId),
      column(rows, (r) => r.inventoryQuantity),
      column(rows, (r) => r.updatedAt),
    ],
  );
}

export async function writeCustomers(db: Sql, shopId: number, rows: CustomerRow[]): Promise<WriteResult> {
  if (rows.length === 0) return { written: 0, stale: 0 };
  // A customer whose data was redacted (customers/redact) keeps its personal columns empty.
  const pii = (name: string) => `${name} = CASE WHEN customer.redacted_at IS NULL THEN EXCLUDED.${name} END`;
  const written = await upsertParents(
    db,
    `INSERT INTO customer (shop_id, id, email, first_name, last_name, phone, city, province, country_code, state, tags,
                           accepts_marketing, orders_count, total_spent, currency, shopify_created_at,
                           shopify_updated_at, synced_at)
     SELECT $1, t.id, t.email, t.first_name, t.last_name, t.phone, t.city, t.province, t.country_code, t.state, t.tags,
            t.accepts_marketing, t.orders_count, t.total_spent, t.currency, t.created_at, t.updated_at, now()
     FROM unnest($3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[],
                 $11::text[], $12::text[], $13::boolean[], $14::int[], $15::numeric[], $16::text[],
                 $17::timestamptz[], $18::timestamptz[])
          AS t(id, email, first_name, last_name, phone, city, province, country_code, state, tags, accepts_marketing,
               orders_count, total_spent, currency, created_at, updated_at)
     ${notDeleted("t")}
     ON CONFLICT (shop_id, id) DO UPDATE SET
       ${["email", "first_name", "last_name", "phone", "city", "province", "country_code"].map(pii).join(", ")},
       state = EXCLUDED.state, tags = EXCLUDED.tags, accepts_marketing = EXCLUDED.accepts_marketing,
       orders_count = EXCLUDED.orders_count, total_spent = EXCLUDED.total_spent, currency = EXCLUDED.currency,
       shopify_created_at = EXCLUDED.shopify_created_at, shopify_updated_at = EXCLUDED.shopify_updated_at,
       synced_at = now()
     WHERE customer.shopify_updated_at <= EXCLUDED.shopify_updated_at
     RETURNING id`,
    shopId,
    "customers",
    [
      column(rows, (r) => r.id),
      column(rows, (r) => r.email),
      column(rows, (r) => r.firstName),
      column(rows, (r) => r.lastName),
      column(rows, (r) => r.phone),
      column(rows, (r) => r.city),
      column(rows, (r) => r.province),
      column(rows, (r) => r.countryCode),
      column(rows, (r) => r.state),
      column(rows, (r) => r.tags),
      column(rows, (r) => r.acceptsMarketing),
      column(rows, (r) => r.ordersCount),
      column(rows, (r) => r.totalSpent),
      column(rows, (r) => r.currency),
      column(rows, (r) => r.createdAt),
      column(rows, (r) => r.updatedAt),
    ],
  );
  return { written: written.size, stale: rows.length - written.size };
}

export async function writeOrders(db: Sql, shopId: number, rows: OrderRow[]): Promise<WriteResult> {
  if (rows.length === 0) return { written: 0, stale: 0 };
  const written = await upsertParents(
    db,
    `INSERT INTO "order" (shop_id, id, name, order_number, customer_id, email, currency, total_price, subtotal_price,
                          total_tax, total_discounts, total_shipping, total_refunded, financial_status,
                          fulfillment_status, cancelled_at, cancel_reason, closed_at, test, source_name, tags,
                          processed_at, shopify_created_at, shopify_updated_at, synced_at)
     SELECT $1, t.*, now()
     FROM unnest($3::bigint[], $4::text[], $5::int[], $6::bigint[], $7::text[], $8::text[], $9::numeric[],
                 $10::numeric[], $11::numeric[], $12::numeric[], $13::numeric[], $14::numeric[], $15::text[],
                 $16::text[], $17::timestamptz[], $18::text[], $19::timestamptz[], $20::boolean[], $21::text[],
                 $22::text[], $23::timestamptz[], $24::timestamptz[], $25::timestamptz[])
          AS t(id, name, order_number, customer_id, email, currency, total_price, subtotal_price, total_tax,
               total_discounts, total_shipping, total_refunded, financial_status, fulfillment_status, cancelled_at,
               cancel_reason, closed_at, test, source_name, tags, processed_at, created_at, updated_at)
     ${notDeleted("t")}
     ON CONFLICT (shop_id, id) DO UPDATE SET
       name = EXCLUDED.name, order_number = EXCLUDED.order_number, customer_id = EXCLUDED.customer_id,
       email = CASE WHEN EXISTS (SELECT 1 FROM customer c WHERE c.shop_id = $1 AND c.id = EXCLUDED.customer_id
                                 AND c.redacted_at IS NOT NULL) THEN NULL ELSE EXCLUDED.email END,
       currency = EXCLUDED.currency, total_price = EXCLUDED.total_price,
       subtotal_price = EXCLUDED.subtotal_price, total_tax = EXCLUDED.total_tax,
       total_discounts = EXCLUDED.total_discounts, total_shipping = EXCLUDED.total_shipping,
       total_refunded = EXCLUDED.total_refunded, financial_status = EXCLUDED.financial_status,
       fulfillment_status = EXCLUDED.fulfillment_status, cancelled_at = EXCLUDED.cancelled_at,
       cancel_reason = EXCLUDED.cancel_reason, closed_at = EXCLUDED.closed_at, test = EXCLUDED.test,
       source_name = EXCLUDED.source_name, tags = EXCLUDED.tags, processed_at = EXCLUDED.processed_at,
       shopify_created_at = EXCLUDED.shopify_created_at, shopify_updated_at = EXCLUDED.shopify_updated_at,
       synced_at = now()
     WHERE "order".shopify_updated_at <= EXCLUDED.shopify_updated_at
     RETURNING id`,
    shopId,
    "orders",
    [
      column(rows, (r) => r.id),
      column(rows, (r) => r.name),
      column(rows, (r) => r.orderNumber),
      column(rows, (r) => r.customerId),
      column(rows, (r) => r.email),
      column(rows, (r) => r.currency),
      column(rows, (r) => r.totalPrice),
      column(rows, (r) => r.subtotalPrice),
      column(rows, (r) => r.totalTax),
      column(rows, (r) => r.totalDiscounts),
      column(rows, (r) => r.totalShipping),
      column(rows, (r) => r.totalRefunded),
      column(rows, (r) => r.financialStatus),
      column(rows, (r) => r.fulfillmentStatus),
      column(rows, (r) => r.cancelledAt),
      column(rows, (r) => r.cancelReason),
      column(rows, (r) => r.closedAt),
      column(rows, (r) => r.test),
      column(rows, (r) => r.sourceName),
      column(rows, (r) => r.tags),
      column(rows, (r) => r.processedAt),
      column(rows, (r) => r.createdAt),
      column(rows, (r) => r.updatedAt),
    ],
  );
  const fresh = rows.filter((r) => written.has(r.id));
  const ids = [...written];
  await replaceChildren(db, "order_line_item", "order_id", shopId, ids);
  await replaceChildren(db, "refund", "order_id", shopId, ids);
  await insertLineItems(
    db,
    shopId,
    fresh.flatMap((r) => r.lineItems),
  );
  await insertRefunds(
    db,
    shopId,
    fresh.flatMap((r) => r.refunds),
  );
  return { written: written.size, stale: rows.length - written.size };
}

async function insertLineItems(db: Sql, shopId: number, rows: LineItemRow[]) {
  if (rows.length === 0) return;
  await db.query(
    `INSERT INTO order_line_item (shop_id, id, order_id, product_id, variant_id, title, variant_title, sku, vendor,
                                  quantity, price, total_discount)
     SELECT $1, t.* FROM unnest($2::bigint[], $3::bigint[], $4::bigint[], $5::bigint[], $6::text[], $7::text[],
                                $8::text[], $9::text[], $10::int[], $11::numeric[], $12::numeric[])
       AS t(id, order_id, product_id, variant_id, title, variant_title, sku, vendor, quantity, price, total_discount)
     ON CONFLICT (shop_id, id) DO UPDATE SET
       order_id = EXCLUDED.order_id, product_id = EXCLUDED.product_id, variant_id = EXCLUDED.variant_id,
       title = EXCLUDED.title, variant_title = EXCLUDED.variant_title, sku = EXCLUDED.sku, vendor = EXCLUDED.vendor,
       quantity = EXCLUDED.quantity, price = EXCLUDED.price, total_discount = EXCLUDED.total_discount`,
    [
      shopId,
      column(rows, (r) => r.id),
      column(rows, (r) => r.orderId),
      column(rows, (r) => r.productId),
      column(rows, (r) => r.variantId),
      column(rows, (r) => r.title),
      column(rows, (r) => r.variantTitle),
      column(rows, (r) => r.sku),
      column(rows, (r) => r.vendor),
      column(rows, (r) => r.quantity),
      column(rows, (r) => r.price),
      column(rows, (r) => r.totalDiscount),
    ],
  );
}

async function insertRefunds(db: Sql, shopId: number, rows: RefundRow[]) {
  if (rows.length === 0) return;
  await db.query(
    `INSERT INTO refund (shop_id, id, order_id, amount, note, created_at, processed_at)
     SELECT $1, t.* FROM unnest($2::bigint[], $3::bigint[], $4::numeric[], $5::text[], $6::timestamptz[],
                                $7::timestamptz[])
       AS t(id, order_id, amount, note, created_at, processed_at)
     ON CONFLICT (shop_id, id) DO UPDATE SET
       order_id = EXCLUDED.order_id, amount = EXCLUDED.amount, note = EXCLUDED.note,
       created_at = EXCLUDED.created_at, processed_at = EXCLUDED.processed_at`,
    [
      shopId,
      column(rows, (r) => r.id),
      column(rows, (r) => r.orderId),
      column(rows, (r) => r.amount),
      column(rows, (r) => r.note),
      column(rows, (r) => r.createdAt),
      column(rows, (r) => r.processedAt),
    ],
  );
}

const tables: Record<ResourceName, string> = { products: "product", customers: "customer", orders: '"order"' };

const children: Record<ResourceName, { table: string; parent: string }[]> = {
  products: [{ table: "product_variant", parent: "product_id" }],
  customers: [],
  orders: [
    { table: "order_line_item", parent: "order_id" },
    { table: "refund", parent: "order_id" },
  ],
};

/** Records Shopify deleted: remove them with their child rows, and remember the deletion. */
export async function deleteRecords(db: Sql, shopId: number, resource: ResourceName, ids: string[]): Promise<number> {
  if (ids.length === 0) return 0;
  await db.query(
    `INSERT INTO deleted_record (shop_id, resource, id) SELECT $1, $2, unnest($3::bigint[]) ON CONFLICT DO NOTHING`,
    [shopId, resource, ids],
  );
  for (const child of children[resource]) await replaceChildren(db, child.table, child.parent, shopId, ids);
  const deleted = await db.query(`DELETE FROM ${tables[resource]} WHERE shop_id = $1 AND id = ANY($2::bigint[])`, [
    shopId,
    ids,
  ]);
  return deleted.rowCount ?? 0;
}
