import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma, { pool } from "../../app/db.server.ts";
import type { CustomerRow } from "../../app/ingest/resources/customers.ts";
import type { LineItemRow, OrderRow } from "../../app/ingest/resources/orders.ts";
import { deleteRecords, inTransaction, writeRows } from "../../app/ingest/upsert.server.ts";

// The write path on its own: parents never go back in time, and an order's line items and refunds
// are exactly those of the version last written, whether the order was new or already stored.

let shopId: number;

beforeAll(async () => {
  shopId = (await prisma.shop.create({ data: { domain: "upsert-test.myshopify.com" } })).id;
});

afterAll(async () => {
  await prisma.$disconnect();
});

function lineItem(orderId: string, id: string, quantity = 1): LineItemRow {
  return {
    id,
    orderId,
    productId: "10",
    variantId: "20",
    title: `Item ${id}`,
    variantTitle: null,
    sku: null,
    vendor: null,
    quantity,
    price: "5.00",
    totalDiscount: "0",
    giftCard: false,
    refundedQuantity: 0,
    refundedSubtotal: "0",
  };
}

function order(id: string, updatedAt: string, lineItems: LineItemRow[], refunds: OrderRow["refunds"] = []): OrderRow {
  return {
    id,
    name: `#${id}`,
    orderNumber: Number(id),
    customerId: null,
    email: null,
    currency: "USD",
    totalPrice: "10.00",
    subtotalPrice: "10.00",
    totalTax: "0",
    totalDiscounts: "0",
    totalShipping: "0",
    totalRefunded: refunds.length ? "5.0000" : "0",
    grossSales: "5.00",
    discounts: "0",
    netShipping: "0",
    refundedReturns: "0",
    refundedShipping: "0",
    refundedTaxes: "0",
    financialStatus: "paid",
    fulfillmentStatus: null,
    cancelledAt: null,
    cancelReason: null,
    closedAt: null,
    test: false,
    sourceName: "web",
    tags: null,
    processedAt: "2026-01-01T00:00:00Z",
    createdAt: "2026-01-01T00:00:00Z",
    updatedAt,
    lineItems,
    refunds,
    refundLines: [],
  };
}

const write = (rows: OrderRow[]) => inTransaction(pool, (sql) => writeRows(sql, shopId, "orders", rows));

async function children(orderId: string) {
  const where = { shopId, orderId: BigInt(orderId) };
  const items = await prisma.orderLineItem.findMany({ where, orderBy: { id: "asc" } });
  const refunds = await prisma.refund.findMany({ where });
  return { items: items.map((i) => [String(i.id), i.quantity]), refunds: refunds.map((r) => String(r.id)) };
}

describe("order writes", () => {
  it("replaces the children of a stored order and leaves other orders' children alone", async () => {
    await write([
      order("1", "2026-01-01T00:00:00Z", [lineItem("1", "101"), lineItem("1", "102")]),
      order("2", "2026-01-01T00:00:00Z", [lineItem("2", "201")]),
    ]);
    // Order 1 loses a line item, changes another and gains a refund; order 3 is new in the same batch.
    const refund = {
      id: "901",
      orderId: "1",
      customerId: null,
      test: false,
      amount: "5.0000",
      note: null,
      createdAt: "2026-01-02T00:00:00Z",
      processedAt: null,
      returns: "5.00",
      shipping: "0",
      taxes: "0",
    };
    const result = await write([
      order("1", "2026-01-02T00:00:00Z", [lineItem("1", "102", 3)], [refund]),
      order("3", "2026-01-02T00:00:00Z", [lineItem("3", "301")]),
    ]);

    expect(result).toEqual({ written: 2, unchanged: 0 });
    expect(await children("1")).toEqual({ items: [["102", 3]], refunds: ["901"] });
    expect(await children("2")).toEqual({ items: [["201", 1]], refunds: [] });
    expect(await children("3")).toEqual({ items: [["301", 1]], refunds: [] });
  });

  it("keeps the newer version and its children when an older one arrives", async () => {
    const result = await write([order("1", "2026-01-01T12:00:00Z", [lineItem("1", "101"), lineItem("1", "103")])]);

    expect(result).toEqual({ written: 0, unchanged: 1 });
    expect(await children("1")).toEqual({ items: [["102", 3]], refunds: ["901"] });
  });

  it("removes a deleted order's children and does not bring the order back", async () => {
    await inTransaction(pool, (sql) => deleteRecords(sql, shopId, "orders", ["2"]));
    const result = await write([order("2", "2026-02-01T00:00:00Z", [lineItem("2", "202")])]);

    expect(result).toEqual({ written: 0, unchanged: 1 });
    expect(await children("2")).toEqual({ items: [], refunds: [] });
    expect(await prisma.order.count({ where: { shopId, id: 2n } })).toBe(0);
  });
});

describe("text values", () => {
  it("arrive exactly as Shopify sent them, whatever characters they hold", async () => {
    const awkward = [
      'He said "hi"',
      'back\\slash \\"',
      "{braces}, commas, NULL",
      "NULL",
      "",
      " padded ",
      "line\nbreak\ttab",
      "Zoë 🛍️ 東京",
    ];
    const customers: CustomerRow[] = awkward.map((text, i) => ({
      id: String(500 + i),
      email: text,
      firstName: text,
      lastName: null,
      phone: null,
      city: text,
      province: null,
      countryCode: null,
      state: "enabled",
      tags: text,
      acceptsMarketing: i % 2 === 0,
      ordersCount: i,
      totalSpent: "12.34",
      currency: "EUR",
      createdAt: "2026-01-01T00:00:00+09:00",
      updatedAt: "2026-01-01T00:00:00Z",
    }));
    await inTransaction(pool, (sql) => writeRows(sql, shopId, "customers", customers));

    const stored = await prisma.customer.findMany({ where: { shopId, id: { gte: 500n } }, orderBy: { id: "asc" } });
    expect(stored.map((c) => [c.email, c.firstName, c.lastName, c.city, c.tags])).toEqual(
      awkward.map((text) => [text, text, null, text, text]),
    );
    expect(stored.map((c) => c.acceptsMarketing)).toEqual(awkward.map((_, i) => i % 2 === 0));
    expect(stored[0].shopifyCreatedAt?.toISOString()).toBe("2025-12-31T15:00:00.000Z");
    expect(String(stored[0].totalSpent)).toBe("12.34");
  });
});

describe("one statement at a time", () => {
  it("an update of stored orders, read model kept in step, never sends a query while another is running", async () => {
    await write([order("70", "2026-01-01T00:00:00Z", [lineItem("70", "7001")])]);
    // A transaction's connection as pg 9 will have it: a second query while one runs is refused.
    const overlaps: string[] = [];
    const client = await pool.connect();
    let running = false;
    const strict = {
      query: (async (...args: Parameters<typeof client.query>) => {
        if (running) overlaps.push(String(args[0]).trim().slice(0, 60));
        running = true;
        try {
          return await (client.query as (...a: unknown[]) => Promise<unknown>)(...args);
        } finally {
          running = false;
        }
      }) as typeof client.query,
    };
    try {
      await client.query("BEGIN");
      const result = await writeRows(strict, shopId, "orders", [
        order("70", "2026-01-03T00:00:00Z", [lineItem("70", "7001", 2)]),
      ]);
      await client.query("COMMIT");
      expect(result).toEqual({ written: 1, unchanged: 0 });
    } finally {
      client.release();
    }
    expect(overlaps).toEqual([]);
    expect((await children("70")).items).toEqual([["7001", 2]]);
  });
});
