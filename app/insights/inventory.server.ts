import prisma, { pool } from "../db.server.ts";
import { resolveShop } from "../shops/resolve.server.ts";
import { parseInventoryQuery, parseLowStockThreshold } from "./inventory-query.ts";
import { addDays, todayIn } from "./range.ts";
import { InsightsInputError } from "./errors.ts";
import { dataState, findShop, shopInfo } from "./shop.server.ts";
import type { InventoryQuery, InventoryReport, InventoryRow, InventorySort } from "./types.ts";

// Inventory per variant: units on hand (Shopify's inventory_quantity), value at cost when the
// variant has one and at retail price otherwise, net units sold over the last 30 days (from the
// product_sales_day rollup), and days of cover = on hand ÷ (units sold ÷ 30). Oversold variants
// (negative stock) are out of stock and worth nothing.

/** Days of sales that days of cover averages over. */
export const SALES_WINDOW_DAYS = 30;

const SORT_COLUMNS: Record<InventorySort, string> = {
  product: "product_title, variant_position, variant_id",
  on_hand: "on_hand",
  value: "value",
  units_sold: "units_sold",
  days_of_cover: "days_of_cover",
};

function orderBy(query: InventoryQuery): string {
  const direction = query.direction === "desc" ? "DESC" : "ASC";
  const columns = SORT_COLUMNS[query.sort];
  if (query.sort === "product")
    return columns
      .split(", ")
      .map((c) => `${c} ${direction}`)
      .join(", ");
  // Variants without an estimate (nothing sold) sort after every estimate, either way.
  return `${columns} ${direction} NULLS LAST, product_title, variant_position, variant_id`;
}

const VIEW_FILTERS = { all: "true", low: "status = 'low'", out: "status = 'out'" } as const;

const INVENTORY_SQL = `
  WITH sold AS (
    SELECT variant_id, sum(net_units)::int AS units FROM product_sales_day
     WHERE shop_id = $1 AND day BETWEEN $2 AND $3 GROUP BY variant_id
  ), stock AS (
    SELECT v.product_id, p.title AS product_title, v.id AS variant_id, v.title AS variant_title,
           coalesce(v.position, 0) AS variant_position, v.sku, coalesce(v.inventory_quantity, 0) AS on_hand,
           v.price, v.cost, coalesce(v.cost, v.price) * greatest(coalesce(v.inventory_quantity, 0), 0) AS value,
           coalesce(s.units, 0) AS units_sold,
           CASE WHEN coalesce(s.units, 0) > 0
                THEN round(greatest(coalesce(v.inventory_quantity, 0), 0) / (s.units / ${SALES_WINDOW_DAYS}.0), 1) END
             AS days_of_cover,
           CASE WHEN coalesce(v.inventory_quantity, 0) <= 0 THEN 'out'
                WHEN v.inventory_quantity <= $4 THEN 'low' ELSE 'ok' END AS status
      FROM product_variant v
      JOIN product p ON p.shop_id = v.shop_id AND p.id = v.product_id
      LEFT JOIN sold s ON s.variant_id = v.id
     WHERE v.shop_id = $1
  )`;

// Output names differ from the stock columns: ORDER BY must sort the numbers, not their text.
interface StockRow {
  product: string;
  product_title: string;
  variant: string;
  variant_title: string | null;
  sku: string | null;
  on_hand: number;
  price_text: string;
  cost_text: string | null;
  value_text: string;
  units_sold: number;
  cover: string | null;
  status: InventoryRow["status"];
}

export async function inventoryReport(
  shopDomain: string,
  params: URLSearchParams,
  now: Date = new Date(),
): Promise<InventoryReport> {
  const parsed = parseInventoryQuery(params);
  if (!parsed.ok) throw new InsightsInputError(parsed.field, parsed.message);
  const query = parsed.value;
  const shop = await findShop(shopDomain);
  const today = todayIn(shop.timezone, now);
  const args = [shop.id, addDays(today, -(SALES_WINDOW_DAYS - 1)), today, shop.lowStockThreshold];
  const [{ state }, totals, page] = await Promise.all([
    dataState(shop),
    pool.query<{
      products: number;
      variants: number;
      units: string;
      value: string;
      costed: number;
      low: number;
      out: number;
      matching: number;
    }>(
      `${INVENTORY_SQL}
       SELECT count(DISTINCT product_id)::int AS products, count(*)::int AS variants,
              coalesce(sum(greatest(on_hand, 0)), 0)::text AS units, coalesce(sum(value), 0)::numeric(20,2)::text AS value,
              count(cost)::int AS costed, count(*) FILTER (WHERE status = 'low')::int AS low,
              count(*) FILTER (WHERE status = 'out')::int AS out,
              count(*) FILTER (WHERE ${VIEW_FILTERS[query.view]})::int AS matching
         FROM stock`,
      args,
    ),
    pool.query<StockRow>(
      `${INVENTORY_SQL}
       SELECT product_id::text AS product, product_title, variant_id::text AS variant, variant_title, sku, on_hand,
              price::numeric(20,2)::text AS price_text, cost::numeric(20,2)::text AS cost_text,
              value::numeric(20,2)::text AS value_text, units_sold, days_of_cover::text AS cover, status
         FROM stock WHERE ${VIEW_FILTERS[query.view]}
        ORDER BY ${orderBy(query)}
        LIMIT ${query.pageSize} OFFSET ${(query.page - 1) * query.pageSize}`,
      args,
    ),
  ]);
  const t = totals.rows[0];
  return {
    shop: shopInfo(shop),
    state,
    lowStockThreshold: shop.lowStockThreshold,
    totals: {
      products: t.products,
      variants: t.variants,
      unitsOnHand: Number(t.units),
      value: t.value,
      valuedAt: t.costed === 0 ? "retail" : t.costed === t.variants ? "cost" : "mixed",
      lowStock: t.low,
      outOfStock: t.out,
    },
    query,
    rows: page.rows.map((row) => ({
      productId: row.product,
      productTitle: row.product_title,
      variantId: row.variant,
      variantTitle: row.variant_title,
      sku: row.sku,
      onHand: row.on_hand,
      price: row.price_text,
      unitCost: row.cost_text,
      value: row.value_text,
      valuedAt: row.cost_text === null ? "retail" : "cost",
      unitsSold30d: row.units_sold,
      daysOfCover: row.cover === null ? null : Number(row.cover),
      status: row.status,
    })),
    matching: t.matching,
  };
}

/** The merchant's low-stock threshold: variants with at most this many units (and some) are low. */
export async function setLowStockThreshold(shopDomain: string, threshold: unknown): Promise<number> {
  const parsed = parseLowStockThreshold(typeof threshold === "number" ? String(threshold) : threshold);
  if (!parsed.ok) throw new InsightsInputError(parsed.field, parsed.message);
  const shop = await resolveShop(prisma, shopDomain, { includeUninstalled: true });
  if (!shop) throw new InsightsInputError("shop", "This store has not been set up yet; reload the app.");
  await prisma.shop.update({ where: { id: shop.id }, data: { lowStockThreshold: parsed.value } });
  return parsed.value;
}
