import pg from "pg";
import { lockShop } from "./shop-lock.server.ts";
import type { Sql } from "./sql.ts";

// The insights read model, kept in step with the orders it summarizes inside the transaction that
// writes them (sync pages, webhooks and deletions alike): daily sales, daily and monthly sales per
// product and variant, and per-customer order statistics.
//
// What an order contributes is defined once, in SQL: the views `sales_event` and
// `product_sales_event` (prisma/migrations/…_insights_read_model). Writing a batch of orders:
//   1. lock the batch's orders that already exist and read what they contribute now (`capture`);
//   2. write the rows;
//   3. add (what the batch's orders contribute now) − (what was captured) to the rollups, in one
//      statement per table, keys in sorted order so concurrent writers never deadlock (`apply`).
// A first import writes its pages without the read model and builds it once at its end; a full
// resync rebuilds it too (`rebuildReadModel`).
//
// Writers hold a shared per-shop advisory lock and a rebuild an exclusive one, so a rebuild never
// interleaves with the deltas of a concurrent webhook; and each writer holds a lock per order it
// writes, so two writers of one order take turns.

/** pg_advisory_xact_lock's first key for the read model ("RM" in ASCII), apart from the sync run's 8731 and 8732 (sync-run.server.ts). */
const READ_MODEL_LOCK = 0x524d;

/** Local calendar day of a timestamp in the shop's timezone. */
const localDay = (column: string) =>
  `(${column} AT TIME ZONE (SELECT coalesce(timezone, 'UTC') FROM shop WHERE id = $1))::date`;

/** What a set of existing orders contributed before a write, as column arrays (numerics as text). */
export interface Captured {
  days: {
    day: string[];
    orders: number[];
    gross: string[];
    discounts: string[];
    returns: string[];
    shipping: string[];
    taxes: string[];
  };
  products: { day: string[]; productId: string[]; variantId: string[]; netSales: string[]; netUnits: number[] };
  customers: string[];
}

const EMPTY: Captured = {
  days: { day: [], orders: [], gross: [], discounts: [], returns: [], shipping: [], taxes: [] },
  products: { day: [], productId: [], variantId: [], netSales: [], netUnits: [] },
  customers: [],
};

/**
 * Before orders are written or deleted: locks those of `ids` that exist and returns what they
 * contribute now, or null when none exists (a first import).
 */
export async function captureOrders(db: Sql, shopId: number, ids: string): Promise<Captured | null> {
  await db.query("SELECT pg_advisory_xact_lock_shared($1, $2)", [READ_MODEL_LOCK, shopId]);
  // Each order's own lock, taken whether or not it exists yet: two webhooks of a new order (its
  // orders/create and the orders/updated of its first refund) otherwise both capture nothing and
  // both add it. In id order, so concurrent writers never deadlock.
  await db.query(
    `SELECT pg_advisory_xact_lock(hashtextextended($1::text || ':' || id, ${READ_MODEL_LOCK}))
       FROM unnest($2::bigint[]) AS id ORDER BY id`,
    [shopId, ids],
  );
  const locked = await db.query<{ id: string }>(
    `SELECT id FROM "order" WHERE shop_id = $1 AND id = ANY($2::bigint[]) ORDER BY id FOR UPDATE`,
    [shopId, ids],
  );
  if (locked.rowCount === 0) return null;
  const existing = `{${locked.rows.map((row) => row.id).join(",")}}`;
  // Statements after the lock: they see every commit the lock waited for. One at a time: a
  // transaction's connection runs one query at a time (pg queues the rest, and pg 9 refuses them).
  const days = await db.query<Captured["days"]>(
    `SELECT coalesce(array_agg(day::text), '{}') AS day, coalesce(array_agg(orders), '{}') AS orders,
            coalesce(array_agg(gross::text), '{}') AS gross, coalesce(array_agg(discounts::text), '{}') AS discounts,
            coalesce(array_agg(returns::text), '{}') AS returns, coalesce(array_agg(shipping::text), '{}') AS shipping,
            coalesce(array_agg(taxes::text), '{}') AS taxes
       FROM (SELECT ${localDay("e.at")} AS day, sum(e.orders)::int AS orders, sum(e.gross) AS gross,
                    sum(e.discounts) AS discounts, sum(e.returns) AS returns, sum(e.shipping) AS shipping,
                    sum(e.taxes) AS taxes
               FROM sales_event e WHERE e.shop_id = $1 AND e.order_id = ANY($2::bigint[]) GROUP BY 1) g`,
    [shopId, existing],
  );
  const products = await db.query<Captured["products"]>(
    `SELECT coalesce(array_agg(day::text), '{}') AS day, coalesce(array_agg(product_id::text), '{}') AS "productId",
            coalesce(array_agg(variant_id::text), '{}') AS "variantId",
            coalesce(array_agg(net_sales::text), '{}') AS "netSales", coalesce(array_agg(net_units), '{}') AS "netUnits"
       FROM (SELECT ${localDay("e.at")} AS day, e.product_id, e.variant_id, sum(e.net_sales) AS net_sales,
                    sum(e.net_units)::int AS net_units
               FROM product_sales_event e WHERE e.shop_id = $1 AND e.order_id = ANY($2::bigint[]) GROUP BY 1, 2, 3) g`,
    [shopId, existing],
  );
  const customers = await db.query<{ customers: string[] }>(
    `SELECT coalesce(array_agg(DISTINCT customer_id::text), '{}') AS customers
       FROM "order" WHERE shop_id = $1 AND id = ANY($2::bigint[]) AND customer_id IS NOT NULL`,
    [shopId, existing],
  );
  return { days: days.rows[0], products: products.rows[0], customers: customers.rows[0].customers };
}

const SALES_DAY_SQL = `
  INSERT INTO sales_day AS s (shop_id, day, orders, gross, discounts, returns, shipping, taxes)
  SELECT $1, day, sum(orders), sum(gross), sum(discounts), sum(returns), sum(shipping), sum(taxes)
    FROM (SELECT ${localDay("e.at")} AS day, e.orders, e.gross, e.discounts, e.returns, e.shipping, e.taxes
            FROM sales_event e WHERE e.shop_id = $1 AND e.order_id = ANY($2::bigint[])
          UNION ALL
          SELECT day, -orders, -gross, -discounts, -returns, -shipping, -taxes
            FROM unnest($3::date[], $4::int[], $5::numeric[], $6::numeric[], $7::numeric[], $8::numeric[], $9::numeric[])
                 AS old(day, orders, gross, discounts, returns, shipping, taxes)) delta
   GROUP BY day ORDER BY day
  ON CONFLICT (shop_id, day) DO UPDATE SET
    orders = s.orders + EXCLUDED.orders, gross = s.gross + EXCLUDED.gross,
    discounts = s.discounts + EXCLUDED.discounts, returns = s.returns + EXCLUDED.returns,
    shipping = s.shipping + EXCLUDED.shipping, taxes = s.taxes + EXCLUDED.taxes`;

const PRODUCT_SALES_SQL = `
  WITH delta AS (
    SELECT day, product_id, variant_id, sum(net_sales) AS net_sales, sum(net_units)::int AS net_units
      FROM (SELECT ${localDay("e.at")} AS day, e.product_id, e.variant_id, e.net_sales, e.net_units
              FROM product_sales_event e WHERE e.shop_id = $1 AND e.order_id = ANY($2::bigint[])
            UNION ALL
            SELECT day, product_id, variant_id, -net_sales, -net_units
              FROM unnest($3::date[], $4::bigint[], $5::bigint[], $6::numeric[], $7::int[])
                   AS old(day, product_id, variant_id, net_sales, net_units)) d
     GROUP BY 1, 2, 3
  ), daily AS (
    INSERT INTO product_sales_day AS p (shop_id, day, product_id, variant_id, net_sales, net_units)
    SELECT $1, day, product_id, variant_id, net_sales, net_units FROM delta ORDER BY day, product_id, variant_id
    ON CONFLICT (shop_id, day, product_id, variant_id) DO UPDATE SET
      net_sales = p.net_sales + EXCLUDED.net_sales, net_units = p.net_units + EXCLUDED.net_units
  )
  INSERT INTO product_sales_month AS m (shop_id, month, product_id, net_sales, net_units)
  SELECT $1, date_trunc('month', day)::date, product_id, sum(net_sales), sum(net_units) FROM delta
   GROUP BY 2, 3 ORDER BY 2, 3
  ON CONFLICT (shop_id, month, product_id) DO UPDATE SET
    net_sales = m.net_sales + EXCLUDED.net_sales, net_units = m.net_units + EXCLUDED.net_units`;

/** Each listed order's customer figures: counted (not test) orders, their local days and sales. */
const customerOrders = (where: string) => `
  SELECT o.customer_id, count(*)::int AS orders, min(${localDay("o.processed_at")}) AS first_day,
         max(${localDay("o.processed_at")}) AS last_day,
         sum(CASE WHEN o.cancelled_at IS NULL THEN o.gross_sales - o.discounts - o.refunded_returns ELSE 0 END) AS net_sales,
         sum(o.gross_sales - o.discounts) AS placed_sales
    FROM "order" o
   WHERE o.shop_id = $1 AND NOT o.test AND o.customer_id IS NOT NULL AND ${where}
   GROUP BY o.customer_id`;

// New orders only: their figures add to what each customer had.
const CUSTOMERS_ADD_SQL = `
  INSERT INTO customer_stats AS c (shop_id, customer_id, orders, first_day, last_day, net_sales, placed_sales)
  SELECT $1, customer_id, orders, first_day, last_day, net_sales, placed_sales
    FROM (${customerOrders("o.id = ANY($2::bigint[])")}) n ORDER BY customer_id
  ON CONFLICT (shop_id, customer_id) DO UPDATE SET
    orders = c.orders + EXCLUDED.orders, first_day = least(c.first_day, EXCLUDED.first_day),
    last_day = greatest(c.last_day, EXCLUDED.last_day), net_sales = c.net_sales + EXCLUDED.net_sales,
    placed_sales = c.placed_sales + EXCLUDED.placed_sales`;

// Orders that changed or went: their customers' figures are computed again from all their orders.
const CUSTOMERS_RECOMPUTE_SQL = `
  WITH affected AS (
    SELECT unnest($3::bigint[]) AS customer_id
    UNION SELECT customer_id FROM "order" WHERE shop_id = $1 AND id = ANY($2::bigint[]) AND customer_id IS NOT NULL
  ), fresh AS (${customerOrders("o.customer_id IN (SELECT customer_id FROM affected)")}
  ), gone AS (
    DELETE FROM customer_stats c WHERE c.shop_id = $1 AND c.customer_id IN (SELECT customer_id FROM affected)
       AND c.customer_id NOT IN (SELECT customer_id FROM fresh)
  )
  INSERT INTO customer_stats AS c (shop_id, customer_id, orders, first_day, last_day, net_sales, placed_sales)
  SELECT $1, customer_id, orders, first_day, last_day, net_sales, placed_sales FROM fresh ORDER BY customer_id
  ON CONFLICT (shop_id, customer_id) DO UPDATE SET
    orders = EXCLUDED.orders, first_day = EXCLUDED.first_day, last_day = EXCLUDED.last_day,
    net_sales = EXCLUDED.net_sales, placed_sales = EXCLUDED.placed_sales`;

/**
 * After orders `ids` were written (or deleted): adds what they contribute now minus what
 * `captured` recorded before. Same transaction as the write, after `captureOrders`.
 */
export async function applyOrders(db: Sql, shopId: number, ids: string, captured: Captured | null): Promise<void> {
  const old = captured ?? EMPTY;
  const d = old.days;
  await db.query(SALES_DAY_SQL, [shopId, ids, d.day, d.orders, d.gross, d.discounts, d.returns, d.shipping, d.taxes]);
  const p = old.products;
  await db.query(PRODUCT_SALES_SQL, [shopId, ids, p.day, p.productId, p.variantId, p.netSales, p.netUnits]);
  if (captured) {
    if (captured.customers.length > 0) {
      // Lock the customers' rows first, so the figures read next include any concurrent commit.
      await db.query(
        "SELECT 1 FROM customer_stats WHERE shop_id = $1 AND customer_id = ANY($2::bigint[]) ORDER BY customer_id FOR UPDATE",
        [shopId, captured.customers],
      );
    }
    await db.query(CUSTOMERS_RECOMPUTE_SQL, [shopId, ids, captured.customers]);
  } else {
    await db.query(CUSTOMERS_ADD_SQL, [shopId, ids]);
  }
}

// The read model's tables computed from the shop's rows. `day` limits a part to local days from
// `from` (inclusive) to `to` (exclusive), either end open; days never straddle two parts.
const dayRange = (column: string, from: number, to: number) =>
  `${from ? ` AND ${column} >= $${from}` : ""}${to ? ` AND ${column} < $${to}` : ""}`;

async function buildSalesDays(db: Sql, shopId: number): Promise<void> {
  await db.query("DELETE FROM sales_day WHERE shop_id = $1", [shopId]);
  await db.query(
    `INSERT INTO sales_day (shop_id, day, orders, gross, discounts, returns, shipping, taxes)
     SELECT $1, ${localDay("e.at")}, sum(e.orders), sum(e.gross), sum(e.discounts), sum(e.returns),
            sum(e.shipping), sum(e.taxes)
       FROM sales_event e WHERE e.shop_id = $1 GROUP BY 2`,
    [shopId],
  );
}

/** Daily product sales of the local days in [from, to) (dates, null = open), e.g. half of them. */
async function buildProductDays(db: Sql, shopId: number, from: string | null, to: string | null): Promise<void> {
  const params = [shopId, ...(from ? [from] : []), ...(to ? [to] : [])];
  const [f, t] = [from ? 2 : 0, to ? (from ? 3 : 2) : 0];
  await db.query(`DELETE FROM product_sales_day WHERE shop_id = $1${dayRange("day", f, t)}`, params);
  // The bounds as instants (the local midnights), so each branch of the view reads an index range.
  const instant = (n: number) =>
    `($${n}::date::timestamp AT TIME ZONE (SELECT coalesce(timezone, 'UTC') FROM shop WHERE id = $1))`;
  const bounds = `${f ? ` AND e.at >= ${instant(f)}` : ""}${t ? ` AND e.at < ${instant(t)}` : ""}`;
  await db.query(
    `INSERT INTO product_sales_day (shop_id, day, product_id, variant_id, net_sales, net_units)
     SELECT $1, ${localDay("e.at")}, e.product_id, e.variant_id, sum(e.net_sales), sum(e.net_units)
       FROM product_sales_event e WHERE e.shop_id = $1${bounds} GROUP BY 2, 3, 4`,
    params,
  );
}

async function buildProductMonths(db: Sql, shopId: number): Promise<void> {
  await db.query("DELETE FROM product_sales_month WHERE shop_id = $1", [shopId]);
  await db.query(
    `INSERT INTO product_sales_month (shop_id, month, product_id, net_sales, net_units)
     SELECT $1, date_trunc('month', day)::date, product_id, sum(net_sales), sum(net_units)
       FROM product_sales_day WHERE shop_id = $1 GROUP BY 2, 3`,
    [shopId],
  );
}

async function buildCustomers(db: Sql, shopId: number): Promise<void> {
  await db.query("DELETE FROM customer_stats WHERE shop_id = $1", [shopId]);
  await db.query(
    `INSERT INTO customer_stats (shop_id, customer_id, orders, first_day, last_day, net_sales, placed_sales)
     SELECT $1, customer_id, orders, first_day, last_day, net_sales, placed_sales FROM (${customerOrders("true")}) c`,
    [shopId],
  );
}

/**
 * Recomputes the shop's whole read model from its rows in the caller's transaction: after a full
 * resync and on a change of timezone, while the figures are on show (they change in one commit).
 */
export async function rebuildReadModel(db: Sql, shopId: number): Promise<void> {
  await lockShop(db, shopId);
  await db.query("SELECT pg_advisory_xact_lock($1, $2)", [READ_MODEL_LOCK, shopId]);
  await db.query("SET LOCAL work_mem = '64MB'");
  await buildSalesDays(db, shopId);
  await buildProductDays(db, shopId, null, null);
  await buildProductMonths(db, shopId);
  await buildCustomers(db, shopId);
  await db.query("UPDATE shop SET read_model_stale = false WHERE id = $1", [shopId]);
}

/**
 * Builds the read model of a shop whose figures are not on show (read_model_stale: a first import,
 * or a build that never finished): one set-based build costs far less than a million small updates.
 * Its parts run at once on connections of their own (daily product sales, the largest, in two halves
 * of the shop's days), while a connection outside the pool holds the read model's lock so no writer
 * adds a delta meanwhile. The shop is unmarked only once every part has committed: a build that
 * fails or dies is done again by the next sync.
 */
export async function buildReadModel(pool: pg.Pool, shopId: number): Promise<void> {
  const lock = new pg.Client(pool.options);
  lock.on("error", () => {});
  await lock.connect();
  try {
    await lock.query("BEGIN");
    await lockShop(lock, shopId);
    await lock.query("SELECT pg_advisory_xact_lock($1, $2)", [READ_MODEL_LOCK, shopId]);
    // The local day that splits the shop's orders in two.
    const { rows } = await lock.query<{ middle: string | null }>(
      `SELECT (percentile_disc(0.5) WITHIN GROUP (ORDER BY ${localDay("processed_at")}))::text AS middle
         FROM "order" WHERE shop_id = $1`,
      [shopId],
    );
    const middle = rows[0].middle;
    const part = async (build: (sql: Sql) => Promise<void>) => {
      const sql = await pool.connect();
      try {
        await sql.query("BEGIN; SET LOCAL work_mem = '64MB'");
        await lockShop(sql, shopId);
        await build(sql);
        await sql.query("COMMIT");
        sql.release();
      } catch (error) {
        sql.release(true);
        throw error;
      }
    };
    const parts = await Promise.allSettled([
      part((sql) => buildProductDays(sql, shopId, null, middle)),
      ...(middle ? [part((sql) => buildProductDays(sql, shopId, middle, null))] : []),
      part(async (sql) => {
        await buildSalesDays(sql, shopId);
        await buildCustomers(sql, shopId);
      }),
    ]);
    const failed = parts.find((p): p is PromiseRejectedResult => p.status === "rejected");
    if (failed) throw failed.reason;
    await buildProductMonths(lock, shopId);
    await lock.query("UPDATE shop SET read_model_stale = false WHERE id = $1", [shopId]);
    await lock.query("COMMIT");
  } finally {
    await lock.end().catch(() => {});
  }
}

/** A first import writes its orders without the read model: figures wait for rebuildReadModel. */
export async function deferReadModel(db: Sql, shopId: number): Promise<void> {
  await db.query("UPDATE shop SET read_model_stale = true WHERE id = $1", [shopId]);
}
