import { z } from "zod";
import { pool } from "../db.server.ts";
import { NotFoundError } from "./errors.ts";
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
import type { CustomerDetail, CustomerListReport, CustomerListRow, CustomerListSort } from "./types.ts";

// The Customers page: the shop's imported customers, read only. Newest first (Shopify's customer id
// grows with creation) or by lifetime net sales (customers who have ordered, from customer_stats,
// the read model's per-customer figures); search by name or email; keyset pages with signed
// cursors. Figures are the app's own, computed from the stored orders by Shopify's definitions, not
// Shopify's denormalized orders_count and total_spent. Redacted customers show as redacted.

export const CUSTOMER_PAGE_SIZE = 50;
const SORTS = ["newest", "net_sales"] as const;

const Query = z.object({
  q: searchText.optional(),
  sort: z.enum(SORTS).default("newest"),
  ...cursorParams,
});

/** LIKE's wildcards in a search, taken literally. */
const literal = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The shop's customers matching `params`, a page at a time. */
export async function customerList(shopDomain: string, params: URLSearchParams): Promise<CustomerListReport> {
  const query = parseListQuery(Query, params);
  const shop = await findShop(shopDomain);
  const cursorText = query.after ?? query.before;
  const byNetSales = query.sort === "net_sales";
  // A net-sales cursor holds the customer's net sales; a newest one only the id.
  const value = byNetSales ? cursorValue.decimal : cursorValue.none;
  const cursor = cursorText
    ? decodeCursor<string | null>(shopDomain, query.sort, value, cursorText, query.after ? "after" : "before")
    : null;
  const backwards = Boolean(query.before);
  const descending = !backwards;
  const where = ["c.shop_id = $1"];
  const values: unknown[] = [shop.id];
  const search = query.q?.trim();
  if (search) {
    values.push(`%${literal(search.toLowerCase())}%`);
    const p = `$${values.length}`;
    // The expression of the trigram index customer_search_idx. Redacted customers have nothing left to match.
    where.push(
      `lower(coalesce(c.first_name, '') || ' ' || coalesce(c.last_name, '') || ' ' || coalesce(c.email, '')) LIKE ${p}`,
    );
  }
  if (byNetSales) where.push("s.customer_id IS NOT NULL");
  if (cursor) {
    const op = descending ? "<" : ">";
    if (byNetSales) {
      values.push(cursor.value, cursor.id);
      where.push(`(s.net_sales, s.customer_id) ${op} ($${values.length - 1}::numeric, $${values.length}::bigint)`);
    } else {
      values.push(cursor.id);
      where.push(`c.id ${op} $${values.length}::bigint`);
    }
  }
  const order = descending ? "DESC" : "ASC";
  const { rows } = await pool.query<CustomerListRow & { sortValue: string | null }>(
    `SELECT c.id::text AS id,
            CASE WHEN c.redacted_at IS NULL THEN nullif(trim(concat_ws(' ', c.first_name, c.last_name)), '') END AS name,
            CASE WHEN c.redacted_at IS NULL THEN c.email END AS email,
            c.redacted_at IS NOT NULL AS redacted,
            CASE WHEN c.redacted_at IS NULL THEN nullif(concat_ws(', ', c.city, c.country_code), '') END AS location,
            coalesce(s.orders, 0) AS orders, coalesce(s.net_sales, 0)::numeric(20,2)::text AS "netSales",
            s.last_day::text AS "lastOrderDay", s.net_sales::text AS "sortValue"
       FROM customer c
       ${byNetSales ? "JOIN" : "LEFT JOIN"} customer_stats s ON s.shop_id = c.shop_id AND s.customer_id = c.id
      WHERE ${where.join(" AND ")}
      ORDER BY ${byNetSales ? `s.net_sales ${order}, s.customer_id ${order}` : `c.id ${order}`}
      LIMIT ${CUSTOMER_PAGE_SIZE + 1}`,
    values,
  );
  const page = cursorPage(rows, CUSTOMER_PAGE_SIZE, {
    backwards,
    fromCursor: cursor !== null,
    position: (row) => encodeCursor(shopDomain, query.sort, { value: byNetSales ? row.sortValue : null, id: row.id }),
  });
  return {
    shop: shopInfo(shop),
    customerDataAvailable: shop.protectedCustomerData !== false,
    query: { q: query.q ?? "", sort: query.sort as CustomerListSort },
    rows: page.rows.map(({ sortValue: _sortValue, ...row }) => row),
    previousCursor: page.previousCursor,
    nextCursor: page.nextCursor,
  };
}

/** One customer with their figures and latest orders, if the shop has them. */
export async function customerDetail(shopDomain: string, id: string): Promise<CustomerDetail> {
  if (!isRecordId(id)) throw new NotFoundError("Customer");
  const shop = await findShop(shopDomain);
  const { rows } = await pool.query(
    `SELECT c.id::text AS id, c.redacted_at IS NOT NULL AS redacted,
            CASE WHEN c.redacted_at IS NULL THEN nullif(trim(concat_ws(' ', c.first_name, c.last_name)), '') END AS name,
            CASE WHEN c.redacted_at IS NULL THEN c.email END AS email,
            CASE WHEN c.redacted_at IS NULL THEN c.phone END AS phone,
            CASE WHEN c.redacted_at IS NULL THEN nullif(concat_ws(', ', c.city, c.province, c.country_code), '') END
              AS location,
            c.tags, c.shopify_created_at AS "createdAt",
            coalesce(s.orders, 0) AS orders, coalesce(s.net_sales, 0)::numeric(20,2)::text AS "netSales",
            CASE WHEN s.orders > 0 THEN round(s.placed_sales / s.orders, 2)::numeric(20,2)::text END
              AS "averageOrderValue",
            s.first_day::text AS "firstOrderDay", s.last_day::text AS "lastOrderDay"
       FROM customer c
       LEFT JOIN customer_stats s ON s.shop_id = c.shop_id AND s.customer_id = c.id
      WHERE c.shop_id = $1 AND c.id = $2::bigint`,
    [shop.id, id],
  );
  if (rows.length === 0) throw new NotFoundError("Customer");
  const { rows: orders } = await pool.query(
    `SELECT id::text AS id, name, processed_at AS "processedAt", financial_status AS "financialStatus",
            cancelled_at IS NOT NULL AS cancelled, test, total_price::numeric(20,2)::text AS "totalPrice", currency
       FROM "order" WHERE shop_id = $1 AND customer_id = $2::bigint
      ORDER BY processed_at DESC, id DESC LIMIT 50`,
    [shop.id, id],
  );
  const customer = rows[0] as Omit<CustomerDetail, "shop" | "recentOrders" | "createdAt"> & { createdAt: Date | null };
  return {
    ...customer,
    shop: shopInfo(shop),
    createdAt: customer.createdAt?.toISOString() ?? null,
    recentOrders: (orders as (CustomerDetail["recentOrders"][number] & { processedAt: Date })[]).map((o) => ({
      ...o,
      processedAt: new Date(o.processedAt).toISOString(),
    })),
  };
}
