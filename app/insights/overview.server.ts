import { pool } from "../db.server.ts";
import { bucketOf, bucketsFor, resolveRange, todayIn } from "./range.ts";
import { InsightsInputError } from "./errors.ts";
import { findShop, shopInfo, dataState, type ShopRecord } from "./shop.server.ts";
import type {
  CustomerFigures,
  CustomerRank,
  DateRange,
  Granularity,
  OverviewReport,
  ProductRank,
  SalesFigures,
  SeriesPoint,
} from "./types.ts";

// The overview: Shopify's sales figures, customer figures, charts and rankings for a date range and
// its comparison period. Everything is read from the read model (sales_day, product_sales_day and
// _month, customer_stats; app/ingest/read-model.server.ts), never by scanning a shop's orders:
// a year of a million orders is 365 rows of sales_day. Only a single day's hourly chart, the
// customers whose orders span a past range, and top customers over short ranges read the ledger
// (the sales_event view) itself, through its timestamp indexes.

type Db = Pick<typeof pool, "query">;

/** `column` within a range of local days ($2, $3) in the shop's zone ($4): [from 00:00, to + 1 day 00:00). */
const within = (column: string) =>
  `${column} >= ($2::date::timestamp AT TIME ZONE $4) AND ${column} < (($3::date + 1)::timestamp AT TIME ZONE $4)`;

const money = (column: string) => `coalesce(${column}, 0)::numeric(20,2)::text`;

/** Shopify's sales figures for a range, summed from the daily rollup. */
export async function salesFigures(db: Db, shopId: number, range: DateRange): Promise<SalesFigures> {
  const { rows } = await db.query<SalesFigures>(
    `SELECT ${money("sum(gross)")} AS "grossSales", ${money("sum(discounts)")} AS discounts,
            ${money("sum(returns)")} AS returns,
            ${money("sum(gross - discounts - returns)")} AS "netSales",
            ${money("sum(shipping)")} AS shipping, ${money("sum(taxes)")} AS taxes,
            ${money("sum(gross - discounts - returns + shipping + taxes)")} AS "totalSales",
            coalesce(sum(orders), 0)::int AS orders,
            CASE WHEN sum(orders) > 0 THEN round(sum(gross - discounts) / sum(orders), 2)::numeric(20,2)::text END
              AS "averageOrderValue"
       FROM sales_day WHERE shop_id = $1 AND day BETWEEN $2 AND $3`,
    [shopId, range.from, range.to],
  );
  return rows[0];
}

/**
 * Customer figures for a range. New customers and those whose only order is in the range come from
 * customer_stats (each customer's first and last order day). Customers who ordered in the range:
 * when nobody's last order is after the range (any range that ends today), those whose last order
 * day is in or after its start; otherwise the distinct customers of the range's orders, read from
 * the orders' (shop, processed_at) index alone.
 */
export async function customerFigures(db: Db, shop: ShopRecord, range: DateRange): Promise<CustomerFigures> {
  const { rows } = await db.query<{ fresh: number; single: number; later: boolean }>(
    `SELECT count(*)::int AS fresh, count(*) FILTER (WHERE orders = 1)::int AS single,
            EXISTS (SELECT 1 FROM customer_stats WHERE shop_id = $1 AND last_day > $3) AS later
       FROM customer_stats WHERE shop_id = $1 AND first_day BETWEEN $2 AND $3`,
    [shop.id, range.from, range.to],
  );
  const { fresh, single, later } = rows[0];
  const { rows: ordered } = later
    ? await db.query<{ count: number }>(
        `SELECT count(*)::int AS count FROM (
           SELECT DISTINCT customer_id FROM "order"
            WHERE shop_id = $1 AND ${within("processed_at")}
              AND NOT test AND customer_id IS NOT NULL) c`,
        [shop.id, range.from, range.to, shop.timezone],
      )
    : await db.query<{ count: number }>(
        `SELECT count(*)::int AS count FROM customer_stats WHERE shop_id = $1 AND last_day >= $2`,
        [shop.id, range.from],
      );
  const customers = ordered[0].count;
  const returningCustomers = customers - single;
  return {
    customers,
    returningCustomers,
    returningCustomerRate: customers > 0 ? returningCustomers / customers : null,
    newCustomers: fresh,
  };
}

/** Zero-filled chart buckets for a range: hours from the ledger for one day, else the daily rollup. */
export async function salesSeries(
  db: Db,
  shop: ShopRecord,
  range: DateRange,
  granularity: Granularity,
): Promise<SeriesPoint[]> {
  const totals = new Map<string, SeriesPoint>();
  if (granularity === "hour") {
    const { rows } = await db.query<SeriesPoint>(
      `SELECT to_char("at" AT TIME ZONE $4, 'YYYY-MM-DD"T"HH24:00') AS bucket,
              sum(gross - discounts - returns + shipping + taxes)::text AS "totalSales",
              sum(gross - discounts - returns)::text AS "netSales", sum(orders)::int AS orders
         FROM sales_event WHERE shop_id = $1 AND ${within('"at"')} GROUP BY 1`,
      [shop.id, range.from, range.to, shop.timezone],
    );
    for (const row of rows) totals.set(row.bucket, row);
  } else {
    const { rows } = await db.query<SeriesPoint>(
      `SELECT day::text AS bucket, (gross - discounts - returns + shipping + taxes)::text AS "totalSales",
              (gross - discounts - returns)::text AS "netSales", orders
         FROM sales_day WHERE shop_id = $1 AND day BETWEEN $2 AND $3`,
      [shop.id, range.from, range.to],
    );
    for (const row of rows) {
      const key = bucketOf(row.bucket, granularity);
      const point = totals.get(key);
      totals.set(
        key,
        point
          ? {
              bucket: key,
              totalSales: addMoney(point.totalSales, row.totalSales),
              netSales: addMoney(point.netSales, row.netSales),
              orders: point.orders + row.orders,
            }
          : { ...row, bucket: key },
      );
    }
  }
  return bucketsFor(range, granularity, shop.timezone).map((bucket) => {
    const point = totals.get(bucket);
    return point
      ? { bucket, totalSales: toCents(point.totalSales), netSales: toCents(point.netSales), orders: point.orders }
      : { bucket, totalSales: "0.00", netSales: "0.00", orders: 0 };
  });
}

// Sums of NUMERIC(19,4) text, exactly, as integer ten-thousandths.
function units(amount: string): bigint {
  const negative = amount.startsWith("-");
  const [whole, fraction = ""] = (negative ? amount.slice(1) : amount).split(".");
  const value = BigInt(whole || "0") * 10000n + BigInt((fraction + "0000").slice(0, 4));
  return negative ? -value : value;
}

function addMoney(a: string, b: string): string {
  const total = units(a) + units(b);
  const abs = total < 0n ? -total : total;
  return `${total < 0n ? "-" : ""}${abs / 10000n}.${(abs % 10000n).toString().padStart(4, "0")}`;
}

/** A 4-place amount as 2 places (the inputs are cents, so nothing is rounded away). */
function toCents(amount: string): string {
  const total = units(amount);
  const abs = total < 0n ? -total : total;
  const cents = (abs + 50n) / 100n;
  return `${total < 0n && cents > 0n ? "-" : ""}${cents / 100n}.${(cents % 100n).toString().padStart(2, "0")}`;
}

/**
 * How product sales over a range are read: whole months [monthsFrom, monthsTo) from
 * product_sales_month, days [from, monthsFrom) and [monthsTo, to] from product_sales_day. The month
 * holding `to` is whole when `to` is its last day or nothing is booked after `to`.
 */
export async function productSalesSplit(
  db: Db,
  shopId: number,
  range: DateRange,
): Promise<{ monthsFrom: string; monthsTo: string }> {
  const firstWholeMonth = range.from.slice(8) === "01" ? range.from : nextMonth(range.from);
  const { rows: later } = await db.query<{ later: boolean }>(
    "SELECT EXISTS (SELECT 1 FROM product_sales_day WHERE shop_id = $1 AND day > $2) AS later",
    [shopId, range.to],
  );
  const monthsEnd =
    endOfMonth(range.to) === range.to || !later[0].later ? nextMonth(range.to) : `${range.to.slice(0, 7)}-01`;
  const monthsFrom = firstWholeMonth < monthsEnd ? firstWholeMonth : nextDay(range.to);
  return { monthsFrom, monthsTo: firstWholeMonth < monthsEnd ? monthsEnd : monthsFrom };
}

/**
 * Net sales and net units per product over a range: whole months from product_sales_month, the
 * ragged ends from product_sales_day (productSalesSplit). The month holding the range's last day counts as whole when
 * nothing was booked after that day (a range ending today), so a preset reads at most a few ragged
 * days at its start: a year is about 13 × products + 4 days × variants rows.
 */
export async function topProducts(
  db: Db,
  shopId: number,
  range: DateRange,
  limit = 10,
): Promise<{ byNetSales: ProductRank[]; byUnits: ProductRank[] }> {
  const { monthsFrom, monthsTo } = await productSalesSplit(db, shopId, range);
  // Totals once, ranked twice: the rows in either top list.
  const { rows } = await db.query<ProductRank & { bySales: number; byUnits: number }>(
    `WITH totals AS (
       SELECT product_id, sum(net_sales) AS net_sales, sum(net_units)::int AS net_units FROM (
         SELECT product_id, net_sales, net_units FROM product_sales_month
          WHERE shop_id = $1 AND month >= $4 AND month < $5
         UNION ALL
         SELECT product_id, net_sales, net_units FROM product_sales_day
          WHERE shop_id = $1 AND day >= $2 AND day < $4
         UNION ALL
         SELECT product_id, net_sales, net_units FROM product_sales_day
          WHERE shop_id = $1 AND day >= $5 AND day <= $3
       ) t GROUP BY product_id
     ), ranked AS (
       SELECT *, row_number() OVER (ORDER BY net_sales DESC, net_units DESC, product_id) AS by_sales,
                 row_number() OVER (ORDER BY net_units DESC, net_sales DESC, product_id) AS by_units
         FROM totals
     )
     SELECT r.product_id::text AS "productId",
            coalesce(p.title, (SELECT li.title FROM order_line_item li
                                WHERE li.shop_id = $1 AND li.product_id = r.product_id LIMIT 1),
                     'Deleted product') AS title,
            r.net_sales::numeric(20,2)::text AS "netSales", r.net_units AS "netUnits",
            r.by_sales::int AS "bySales", r.by_units::int AS "byUnits"
       FROM ranked r
       LEFT JOIN product p ON p.shop_id = $1 AND p.id = r.product_id
      WHERE r.by_sales <= $6 OR r.by_units <= $6`,
    [shopId, range.from, range.to, monthsFrom, monthsTo, limit],
  );
  const top = (rank: "bySales" | "byUnits") =>
    rows
      .filter((row) => row[rank] <= limit)
      .sort((a, b) => a[rank] - b[rank])
      .map(({ productId, title, netSales, netUnits }) => ({ productId, title, netSales, netUnits }));
  return { byNetSales: top("bySales"), byUnits: top("byUnits") };
}

function nextMonth(day: string): string {
  const year = Number(day.slice(0, 4));
  const month = Number(day.slice(5, 7));
  return month === 12 ? `${year + 1}-01-01` : `${year}-${String(month + 1).padStart(2, "0")}-01`;
}

function nextDay(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString().slice(0, 10);
}

function endOfMonth(day: string): string {
  const first = nextMonth(day);
  const date = new Date(`${first}T00:00:00Z`);
  date.setUTCDate(0);
  return date.toISOString().slice(0, 10);
}

/** Orders in a range up to which top customers are found by one grouped read of the range. */
const DIRECT_CUSTOMER_RANKING_ORDERS = 20_000;
/** The heaviest customers whose exact figures give the first floor. */
const SEED_CUSTOMERS = 40;
/** Customers above the floor beyond which one grouped read of the range is cheaper. */
const MAX_BOUNDED_CANDIDATES = 20_000;

interface CustomerNet {
  customerId: string;
  netSales: string;
  orders: number;
}

/** A customer's events of the range (customer_sales_event), for each customer `candidates` selects. */
const exactForCandidates = (candidates: string) => `
  SELECT c.customer_id::text AS "customerId", s.net_sales::numeric(20,2)::text AS "netSales", s.orders
    FROM (${candidates}) c
   CROSS JOIN LATERAL (
     SELECT coalesce(sum(e.net_sales), 0) AS net_sales, coalesce(sum(e.orders), 0)::int AS orders
       FROM customer_sales_event e
      WHERE e.shop_id = $1 AND e.customer_id = c.customer_id AND ${within("e.at")}) s`;

/**
 * Top customers of a long range by bounds instead of by reading every customer of the range: no
 * customer's net sales in a range exceed what they ever placed (customer_stats.placed_sales), as
 * long as no event of the shop takes net sales back up. The heaviest customers of the range give a
 * floor (their tenth best); every customer who placed at least that much is then computed exactly,
 * and nobody else can reach the list. Null when bounds cannot decide (such an event exists, the floor
 * is not positive, or too many customers are above it), for the caller to group instead.
 */
export async function rankCustomersByBounds(
  db: Db,
  shop: ShopRecord,
  range: DateRange,
  limit = 10,
): Promise<CustomerNet[] | null> {
  const params = [shop.id, range.from, range.to, shop.timezone];
  const { rows: guard } = await db.query<{ raising: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM refund WHERE shop_id = $1 AND returns < 0)
         OR EXISTS (SELECT 1 FROM "order" WHERE shop_id = $1 AND cancelled_at IS NOT NULL
                       AND gross_sales - discounts - refunded_returns < 0) AS raising`,
    [shop.id],
  );
  if (guard[0].raising) return null;
  // Customers with an order in the range (the only ones who can have positive net sales in it).
  const active = `FROM customer_stats WHERE shop_id = $1 AND last_day >= $2 AND first_day <= $3`;
  const { rows: seeds } = await db.query<CustomerNet>(
    `${exactForCandidates(`SELECT customer_id ${active} ORDER BY placed_sales DESC LIMIT ${SEED_CUSTOMERS}`)}
      ORDER BY s.net_sales DESC, c.customer_id LIMIT ${limit}`,
    params,
  );
  if (seeds.length < limit || units(seeds[limit - 1].netSales) <= 0n) return null;
  const floor = seeds[limit - 1].netSales;
  const above = (floorParam: string) => `SELECT customer_id ${active} AND placed_sales >= ${floorParam}::numeric`;
  const { rows: count } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM (${above("$4")} LIMIT ${MAX_BOUNDED_CANDIDATES + 1}) c`,
    [shop.id, range.from, range.to, floor],
  );
  if (count[0].n > MAX_BOUNDED_CANDIDATES) return null;
  const { rows } = await db.query<CustomerNet>(
    `${exactForCandidates(above("$5"))} ORDER BY s.net_sales DESC, c.customer_id LIMIT ${limit}`,
    [...params, floor],
  );
  return rows;
}

/**
 * Customers by net sales in a range: one grouped read of the range's events when it holds few
 * orders (or when bounds cannot decide), else by bounds (rankCustomersByBounds).
 */
export async function topCustomers(
  db: Db,
  shop: ShopRecord,
  range: DateRange,
  ordersInRange: number,
  limit = 10,
): Promise<CustomerRank[]> {
  const best =
    (ordersInRange > DIRECT_CUSTOMER_RANKING_ORDERS ? await rankCustomersByBounds(db, shop, range, limit) : null) ??
    (
      await db.query<CustomerNet>(
        `SELECT customer_id::text AS "customerId", sum(net_sales)::numeric(20,2)::text AS "netSales",
                sum(orders)::int AS orders
           FROM customer_sales_event e WHERE shop_id = $1 AND ${within("e.at")} AND customer_id IS NOT NULL
          GROUP BY customer_id ORDER BY sum(net_sales) DESC, customer_id LIMIT ${limit}`,
        [shop.id, range.from, range.to, shop.timezone],
      )
    ).rows;
  if (best.length === 0) return [];
  const { rows: people } = await db.query<{
    id: string;
    firstName: string | null;
    lastName: string | null;
    email: string | null;
    redacted: boolean;
  }>(
    `SELECT id::text, first_name AS "firstName", last_name AS "lastName", email, redacted_at IS NOT NULL AS redacted
       FROM customer WHERE shop_id = $1 AND id = ANY($2::bigint[])`,
    [shop.id, best.map((b) => b.customerId)],
  );
  const byId = new Map(people.map((p) => [p.id, p]));
  return best.map((b) => {
    const person = byId.get(b.customerId);
    const name = [person?.firstName, person?.lastName].filter(Boolean).join(" ");
    return {
      customerId: b.customerId,
      name: person && !person.redacted && name ? name : null,
      email: person && !person.redacted ? person.email : null,
      redacted: person?.redacted ?? false,
      netSales: b.netSales,
      orders: b.orders,
    };
  });
}

/** Everything the overview page shows, for the shop signed in and the range in `params`. */
export async function overviewReport(
  shopDomain: string,
  params: URLSearchParams,
  now: Date = new Date(),
): Promise<OverviewReport> {
  const shop = await findShop(shopDomain);
  const resolved = resolveRange(params, todayIn(shop.timezone, now));
  if (!resolved.ok) throw new InsightsInputError(resolved.field, resolved.message);
  const range = resolved.value;
  const { state, importProgress } = await dataState(shop);
  const customerDataAvailable = shop.protectedCustomerData !== false;
  const compare = range.compareRange;

  // The current figures first (their order count picks how top customers are ranked), then every
  // other read at once.
  const current = await salesFigures(pool, shop.id, range.range);
  const [previous, series, previousSeries, products, customers, previousCustomers, ranking] = await Promise.all([
    compare ? salesFigures(pool, shop.id, compare) : null,
    salesSeries(pool, shop, range.range, range.granularity),
    compare ? salesSeries(pool, shop, compare, range.granularity) : null,
    topProducts(pool, shop.id, range.range),
    customerDataAvailable ? customerFigures(pool, shop, range.range) : null,
    customerDataAvailable && compare ? customerFigures(pool, shop, compare) : null,
    customerDataAvailable ? topCustomers(pool, shop, range.range, current.orders) : null,
  ]);
  return {
    shop: shopInfo(shop),
    state,
    importProgress,
    range,
    current,
    previous,
    customers,
    previousCustomers,
    customerDataAvailable,
    series,
    previousSeries,
    topProducts: products,
    topCustomers: ranking,
  };
}
