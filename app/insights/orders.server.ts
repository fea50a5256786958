import { z } from "zod";
import { pool } from "../db.server.ts";
import { InsightsInputError, NotFoundError } from "./errors.ts";
import { findShop, shopInfo, type ShopRecord } from "./shop.server.ts";
import {
  calendarDay,
  cursorPage,
  cursorParams,
  cursorValue,
  decodeCursor,
  encodeCursor,
  isRecordId,
  parseListQuery,
  searchText,
} from "./lists.server.ts";
import type { OrderDetail, OrderListReport, OrderListRow, OrderListSort } from "./types.ts";

export { encodeCursor } from "./lists.server.ts";

// The Orders page: the shop's imported orders, read only, newest first by default, with search by
// order name or number, filters (date range in the shop's timezone, payment and fulfillment status)
// and keyset pagination: each page starts after the last row of the one before, through the
// (shop, processed_at) and (shop, order_number) indexes, so the millionth row costs what the first
// does. Cursors are signed for the shop, so a tampered or foreign cursor is refused.

export const ORDER_PAGE_SIZE = 50;
export const FINANCIAL_STATUSES = [
  "pending",
  "authorized",
  "partially_paid",
  "paid",
  "partially_refunded",
  "refunded",
  "voided",
] as const;
/** Shopify's fulfillment_status, with "unfulfilled" for the null Shopify sends. */
export const FULFILLMENT_STATUSES = ["fulfilled", "partial", "unfulfilled", "restocked"] as const;
const SORTS = ["date", "number"] as const;
/** An order's number as its index holds it (a missing number sorts as the largest). */
const NO_NUMBER = 2147483647;
const NUMBER_KEY = `coalesce(o.order_number, ${NO_NUMBER})`;

const Query = z.object({
  q: searchText.optional(),
  financial_status: z.enum(FINANCIAL_STATUSES).optional(),
  fulfillment_status: z.enum(FULFILLMENT_STATUSES).optional(),
  from: calendarDay("from").optional(),
  to: calendarDay("to").optional(),
  sort: z.enum(SORTS).default("date"),
  direction: z.enum(["asc", "desc"]).default("desc"),
  ...cursorParams,
});

/** "#1001", "1001" or "1001 " as an order number; null when the search is not one. */
function orderNumberOf(search: string): number | null {
  const match = /^#?\s*(\d{1,9})$/.exec(search.trim());
  return match ? Number(match[1]) : null;
}

function parseQuery(params: URLSearchParams) {
  const query = parseListQuery(Query, params);
  if (query.from && query.to && query.from > query.to) {
    throw new InsightsInputError(
      "from",
      `The start date ("from", ${query.from}) is after the end date ("to", ${query.to}).`,
    );
  }
  return query;
}

type Query = ReturnType<typeof parseQuery>;

/** The shop's orders matching `params`, a page at a time. */
export async function orderList(shopDomain: string, params: URLSearchParams): Promise<OrderListReport> {
  const query = parseQuery(params);
  const shop = await findShop(shopDomain);
  const cursorText = query.after ?? query.before;
  // A date cursor holds the row's instant; a number cursor its order number, null for none.
  const value = query.sort === "date" ? cursorValue.instant : cursorValue.int;
  const cursor = cursorText
    ? decodeCursor<string | number | null>(shopDomain, query.sort, value, cursorText, query.after ? "after" : "before")
    : null;
  // Rows are read in the page's direction; a "before" page is read backwards and turned around.
  const backwards = Boolean(query.before);
  const descending = (query.direction === "desc") !== backwards;
  const { where, values } = filters(shop, query);
  if (cursor) {
    values.push(cursor.value, cursor.id);
    const a = `$${values.length - 1}`;
    const b = `$${values.length}`;
    const cast = query.sort === "date" ? "::timestamptz" : "::int";
    where.push(
      query.sort === "date"
        ? `(o.processed_at, o.id) ${descending ? "<" : ">"} (${a}${cast}, ${b}::bigint)`
        : `(${NUMBER_KEY}, o.id) ${descending ? "<" : ">"} (coalesce(${a}${cast}, ${NO_NUMBER}), ${b}::bigint)`,
    );
  }
  const order = descending ? "DESC" : "ASC";
  const sortKey = query.sort === "date" ? "o.processed_at" : NUMBER_KEY;
  const { rows } = await pool.query<OrderListRow & { sortValue: Date | number | null }>(
    `SELECT o.id::text AS id, o.name, o.order_number AS "orderNumber", o.processed_at AS "processedAt",
            o.financial_status AS "financialStatus", o.fulfillment_status AS "fulfillmentStatus",
            o.cancelled_at IS NOT NULL AS cancelled, o.test,
            o.total_price::numeric(20,2)::text AS "totalPrice", o.currency,
            o.customer_id::text AS "customerId",
            CASE WHEN c.redacted_at IS NOT NULL THEN NULL
                 ELSE nullif(trim(concat_ws(' ', c.first_name, c.last_name)), '') END AS "customerName",
            c.redacted_at IS NOT NULL AS "customerRedacted",
            ${query.sort === "date" ? "o.processed_at" : "o.order_number"} AS "sortValue"
       FROM "order" o
       LEFT JOIN customer c ON c.shop_id = o.shop_id AND c.id = o.customer_id
      WHERE ${where.join(" AND ")}
      ORDER BY ${sortKey} ${order}, o.id ${order}
      LIMIT ${ORDER_PAGE_SIZE + 1}`,
    values,
  );
  const page = cursorPage(rows, ORDER_PAGE_SIZE, {
    backwards,
    fromCursor: cursor !== null,
    position: (row) =>
      encodeCursor(shopDomain, query.sort, {
        value: row.sortValue instanceof Date ? row.sortValue.toISOString() : row.sortValue,
        id: row.id,
      }),
  });
  return {
    shop: shopInfo(shop),
    query: {
      q: query.q ?? "",
      financialStatus: query.financial_status ?? null,
      fulfillmentStatus: query.fulfillment_status ?? null,
      from: query.from ?? null,
      to: query.to ?? null,
      sort: query.sort as OrderListSort,
      direction: query.direction,
    },
    rows: page.rows.map(({ sortValue: _sortValue, processedAt, ...row }) => ({
      ...row,
      processedAt: new Date(processedAt).toISOString(),
    })),
    previousCursor: page.previousCursor,
    nextCursor: page.nextCursor,
  };
}

function filters(shop: ShopRecord, query: Query): { where: string[]; values: unknown[] } {
  const where = ["o.shop_id = $1"];
  const values: unknown[] = [shop.id];
  const add = (clause: (param: string) => string, value: unknown) => {
    values.push(value);
    where.push(clause(`$${values.length}`));
  };
  const search = query.q?.trim();
  if (search) {
    const number = orderNumberOf(search);
    if (number !== null) add((p) => `${NUMBER_KEY} = ${p}::int`, number);
    else add((p) => `lower(o.name) = lower(${p})`, search);
  }
  if (query.financial_status) add((p) => `o.financial_status = ${p}`, query.financial_status);
  if (query.fulfillment_status === "unfulfilled") where.push("o.fulfillment_status IS NULL");
  else if (query.fulfillment_status) add((p) => `o.fulfillment_status = ${p}`, query.fulfillment_status);
  if (query.from) {
    values.push(query.from, shop.timezone);
    where.push(`o.processed_at >= ($${values.length - 1}::date::timestamp AT TIME ZONE $${values.length})`);
  }
  if (query.to) {
    values.push(query.to, shop.timezone);
    where.push(`o.processed_at < (($${values.length - 1}::date + 1)::timestamp AT TIME ZONE $${values.length})`);
  }
  return { where, values };
}

/** One order with its lines, refunds and totals, if the shop has it. */
export async function orderDetail(shopDomain: string, id: string): Promise<OrderDetail> {
  if (!isRecordId(id)) throw new NotFoundError("Order");
  const shop = await findShop(shopDomain);
  const { rows } = await pool.query(
    `SELECT o.id::text AS id, o.name, o.order_number AS "orderNumber", o.processed_at AS "processedAt",
            o.financial_status AS "financialStatus", o.fulfillment_status AS "fulfillmentStatus",
            o.cancelled_at AS "cancelledAt", o.cancel_reason AS "cancelReason", o.test, o.currency, o.tags,
            o.subtotal_price::numeric(20,2)::text AS subtotal, o.total_discounts::numeric(20,2)::text AS discounts,
            o.total_shipping::numeric(20,2)::text AS shipping, o.total_tax::numeric(20,2)::text AS taxes,
            o.total_price::numeric(20,2)::text AS total, o.total_refunded::numeric(20,2)::text AS refunded,
            (o.total_price - o.total_refunded)::numeric(20,2)::text AS "netPayment",
            o.customer_id::text AS "customerId",
            CASE WHEN c.redacted_at IS NOT NULL THEN NULL
                 ELSE nullif(trim(concat_ws(' ', c.first_name, c.last_name)), '') END AS "customerName",
            CASE WHEN c.redacted_at IS NOT NULL THEN NULL ELSE coalesce(c.email, o.email) END AS "customerEmail",
            c.redacted_at IS NOT NULL AS "customerRedacted"
       FROM "order" o
       LEFT JOIN customer c ON c.shop_id = o.shop_id AND c.id = o.customer_id
      WHERE o.shop_id = $1 AND o.id = $2::bigint`,
    [shop.id, id],
  );
  if (rows.length === 0) throw new NotFoundError("Order");
  const [lines, refunds] = await Promise.all([
    pool.query(
      `SELECT id::text AS id, product_id::text AS "productId", title, variant_title AS "variantTitle", sku,
              quantity, price::numeric(20,2)::text AS price, total_discount::numeric(20,2)::text AS discount,
              (price * quantity - total_discount)::numeric(20,2)::text AS total, gift_card AS "giftCard",
              refunded_quantity AS "refundedQuantity"
         FROM order_line_item WHERE shop_id = $1 AND order_id = $2::bigint ORDER BY id`,
      [shop.id, id],
    ),
    pool.query(
      `SELECT id::text AS id, created_at AS "createdAt", amount::numeric(20,2)::text AS amount, note,
              returns::numeric(20,2)::text AS returns, shipping::numeric(20,2)::text AS shipping,
              taxes::numeric(20,2)::text AS taxes
         FROM refund WHERE shop_id = $1 AND order_id = $2::bigint ORDER BY created_at, id`,
      [shop.id, id],
    ),
  ]);
  const order = rows[0] as Omit<OrderDetail, "shop" | "lines" | "refunds" | "processedAt" | "cancelledAt"> & {
    processedAt: Date;
    cancelledAt: Date | null;
  };
  return {
    ...order,
    shop: shopInfo(shop),
    processedAt: order.processedAt.toISOString(),
    cancelledAt: order.cancelledAt?.toISOString() ?? null,
    lines: lines.rows as OrderDetail["lines"],
    refunds: (refunds.rows as (OrderDetail["refunds"][number] & { createdAt: Date })[]).map((r) => ({
      ...r,
      createdAt: new Date(r.createdAt).toISOString(),
    })),
  };
}
