import { z } from "zod";
import { pool } from "../db.server.ts";
import { productSalesSplit } from "./overview.server.ts";
import { resolveRange, todayIn } from "./range.ts";
import { InsightsInputError, NotFoundError } from "./errors.ts";
import { findShop, shopInfo } from "./shop.server.ts";
import {
  cursorPage,
  cursorParams,
  cursorValue,
  decodeCursor,
  encodeCursor,
  isRecordId,
  parseListQuery,
  searchText,
} from "./lists.server.ts";
import type { ProductDetail, ProductListReport, ProductListRow, ProductListSort } from "./types.ts";

// The Products page: the shop's imported products with their variants' stock and prices, read only.
// By title or newest first; search by title or a variant's SKU; filters by product type and tag;
// keyset pages with signed cursors. A product's page adds its units sold and net sales over a date
// range (the overview's presets), from the read model.

export const PRODUCT_PAGE_SIZE = 50;
const SORTS = ["title", "newest"] as const;

const Query = z.object({
  q: searchText.optional(),
  product_type: searchText.optional(),
  tag: searchText.optional(),
  sort: z.enum(SORTS).default("title"),
  ...cursorParams,
});

const literal = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The shop's products matching `params`, a page at a time. */
export async function productList(shopDomain: string, params: URLSearchParams): Promise<ProductListReport> {
  const query = parseListQuery(Query, params);
  const shop = await findShop(shopDomain);
  const cursorText = query.after ?? query.before;
  const byTitle = query.sort === "title";
  // A title cursor holds the lowercased title; a newest one only the id.
  const value = byTitle ? cursorValue.text : cursorValue.none;
  const cursor = cursorText
    ? decodeCursor<string | null>(shopDomain, query.sort, value, cursorText, query.after ? "after" : "before")
    : null;
  const backwards = Boolean(query.before);
  // Titles read A to Z, newest from the highest id; a "before" page reads the other way.
  const forwards = byTitle ? !backwards : backwards;
  const where = ["p.shop_id = $1"];
  const values: unknown[] = [shop.id];
  const add = (clause: (param: string) => string, value: unknown) => {
    values.push(value);
    where.push(clause(`$${values.length}`));
  };
  const search = query.q?.trim();
  if (search) {
    add(
      (p) => `(lower(p.title) LIKE ${p} OR EXISTS (SELECT 1 FROM product_variant v
                 WHERE v.shop_id = p.shop_id AND v.product_id = p.id AND lower(v.sku) LIKE ${p}))`,
      `%${literal(search.toLowerCase())}%`,
    );
  }
  if (query.product_type) add((p) => `lower(p.product_type) = lower(${p})`, query.product_type.trim());
  // Shopify's tags are one comma-separated string: "summer, sale".
  if (query.tag) {
    add(
      (p) => `lower(${p}) = ANY (SELECT lower(trim(t)) FROM unnest(string_to_array(p.tags, ',')) t)`,
      query.tag.trim(),
    );
  }
  if (cursor) {
    const op = forwards ? ">" : "<";
    if (byTitle) {
      values.push(cursor.value, cursor.id);
      where.push(`(lower(p.title), p.id) ${op} ($${values.length - 1}::text, $${values.length}::bigint)`);
    } else {
      add((p) => `p.id ${op} ${p}::bigint`, cursor.id);
    }
  }
  const order = forwards ? "ASC" : "DESC";
  const { rows } = await pool.query<ProductListRow & { sortValue: string }>(
    `SELECT p.id::text AS id, p.title, p.status, p.product_type AS "productType", p.vendor, p.tags,
            v.variants, v.inventory, v.min_price AS "minPrice", v.max_price AS "maxPrice",
            lower(p.title) AS "sortValue"
       FROM product p
       LEFT JOIN LATERAL (
         SELECT count(*)::int AS variants, coalesce(sum(inventory_quantity), 0)::int AS inventory,
                min(price)::numeric(20,2)::text AS min_price, max(price)::numeric(20,2)::text AS max_price
           FROM product_variant WHERE shop_id = p.shop_id AND product_id = p.id) v ON true
      WHERE ${where.join(" AND ")}
      ORDER BY ${byTitle ? `lower(p.title) ${order}, ` : ""}p.id ${order}
      LIMIT ${PRODUCT_PAGE_SIZE + 1}`,
    values,
  );
  const page = cursorPage(rows, PRODUCT_PAGE_SIZE, {
    backwards,
    fromCursor: cursor !== null,
    position: (row) => encodeCursor(shopDomain, query.sort, { value: byTitle ? row.sortValue : null, id: row.id }),
  });
  return {
    shop: shopInfo(shop),
    query: {
      q: query.q ?? "",
      productType: query.product_type ?? null,
      tag: query.tag ?? null,
      sort: query.sort as ProductListSort,
    },
    rows: page.rows.map(({ sortValue: _sortValue, ...row }) => row),
    previousCursor: page.previousCursor,
    nextCursor: page.nextCursor,
  };
}

/** One product: its variants' stock and prices, and its units sold and net sales over a range. */
export async function productDetail(
  shopDomain: string,
  id: string,
  params: URLSearchParams,
  now: Date = new Date(),
): Promise<ProductDetail> {
  if (!isRecordId(id)) throw new NotFoundError("Product");
  const shop = await findShop(shopDomain);
  const resolved = resolveRange(params, todayIn(shop.timezone, now));
  if (!resolved.ok) throw new InsightsInputError(resolved.field, resolved.message);
  const range = resolved.value.range;
  const { rows } = await pool.query(
    `SELECT id::text AS id, title, status, product_type AS "productType", vendor, tags, handle
       FROM product WHERE shop_id = $1 AND id = $2::bigint`,
    [shop.id, id],
  );
  if (rows.length === 0) throw new NotFoundError("Product");
  const { monthsFrom, monthsTo } = await productSalesSplit(pool, shop.id, range);
  const [variants, sales] = await Promise.all([
    pool.query(
      `SELECT id::text AS id, title, sku, price::numeric(20,2)::text AS price,
              inventory_quantity AS "inventoryQuantity"
         FROM product_variant WHERE shop_id = $1 AND product_id = $2::bigint ORDER BY position NULLS LAST, id`,
      [shop.id, id],
    ),
    pool.query<{ netSales: string; netUnits: number }>(
      `SELECT coalesce(sum(net_sales), 0)::numeric(20,2)::text AS "netSales", coalesce(sum(net_units), 0)::int AS "netUnits"
         FROM (SELECT net_sales, net_units FROM product_sales_month
                WHERE shop_id = $1 AND product_id = $2::bigint AND month >= $5 AND month < $6
               UNION ALL
               SELECT net_sales, net_units FROM product_sales_day
                WHERE shop_id = $1 AND product_id = $2::bigint AND day >= $3 AND day < $5
               UNION ALL
               SELECT net_sales, net_units FROM product_sales_day
                WHERE shop_id = $1 AND product_id = $2::bigint AND day >= $6 AND day <= $4) s`,
      [shop.id, id, range.from, range.to, monthsFrom, monthsTo],
    ),
  ]);
  return {
    ...(rows[0] as Omit<ProductDetail, "shop" | "range" | "variants" | "netSales" | "netUnits">),
    shop: shopInfo(shop),
    range: resolved.value,
    variants: variants.rows as ProductDetail["variants"],
    netSales: sales.rows[0].netSales,
    netUnits: sales.rows[0].netUnits,
  };
}
