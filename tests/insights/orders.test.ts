import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "../../app/db.server.ts";
import { runSync } from "../../app/ingest/sync.server.ts";
import { orderDetail, orderList } from "../../app/insights/orders.server.ts";
import { InsightsInputError, NotFoundError } from "../../app/insights/errors.ts";
import { startHarness, type Harness } from "../support/ingest-harness.ts";
import { startAppServer, type AppServer } from "../support/app-server.ts";
import { embeddedPage, installSynced, walkPages } from "../support/embedded.ts";
import { apiVersion } from "../../app/lib/api-version.ts";
import type { OrderListRow } from "../../app/insights/types.ts";
import type { JsonObject } from "../../simulator/index.ts";
import { newestFirst, shopifyOrders } from "../support/shopify-records.ts";

// The Orders page's reads against the simulator's store: every page in order with nothing repeated
// or skipped (also while new orders arrive), search, filters and dates in the shop's timezone, the
// detail equal to Shopify's own record, signed cursors, and one shop never reaching another's orders.
// Expected lists come from Shopify's records (the simulator's store), never from the stored rows.

let app: AppServer;
let h: Harness;
const shops = { a: "", b: "" };
const TIMEZONE = "Asia/Tokyo";

beforeAll(async () => {
  app = await startAppServer();
  h = await startHarness(prisma, [], { rateLimits: false });
  for (const [key, seed, orders] of [
    ["a", 81, 420],
    ["b", 82, 90],
  ] as const) {
    shops[key] = await installSynced(h, {
      name: `orders-${key}`,
      seed,
      products: 15,
      customers: 60,
      orders,
      days: 120,
      timezone: TIMEZONE,
      currency: "JPY",
    });
  }
});

afterAll(async () => {
  await h?.close();
  await app?.close();
  await prisma.$disconnect();
});

const list = (shop: string, query: Record<string, string> = {}) => orderList(shop, new URLSearchParams(query));

/** Every page from the first, forwards; `between` runs after each page. */
const walk = (shop: string, query: Record<string, string>, between?: () => Promise<void>) =>
  walkPages((q) => list(shop, q), query, between);

/** The shop's orders as Shopify has them, newest first. */
const shopifyList = (shop: string) => newestFirst(shopifyOrders(h.sim, shop));
const ids = (orders: JsonObject[]) => orders.map((o) => String(o.id));

/** What a list row shows of an order, from Shopify's record and from the row, to compare. */
const fromShopify = (o: JsonObject) => ({
  id: String(o.id),
  name: o.name,
  orderNumber: o.order_number,
  processedAt: new Date(o.processed_at).toISOString(),
  financialStatus: o.financial_status ?? null,
  fulfillmentStatus: o.fulfillment_status ?? null,
  cancelled: o.cancelled_at != null,
  test: o.test === true,
  totalPrice: Number(o.total_price),
  currency: o.currency,
  customerId: o.customer ? String(o.customer.id) : null,
});
const fromRow = (r: OrderListRow) => ({
  id: r.id,
  name: r.name,
  orderNumber: r.orderNumber,
  processedAt: r.processedAt,
  financialStatus: r.financialStatus,
  fulfillmentStatus: r.fulfillmentStatus,
  cancelled: r.cancelled,
  test: r.test,
  totalPrice: Number(r.totalPrice),
  currency: r.currency,
  customerId: r.customerId,
});

describe("the orders list", () => {
  it("pages through every order newest first, and back again, with nothing repeated or skipped", async () => {
    const orders = shopifyList(shops.a);
    expect(orders).toHaveLength(420);
    const forwards = await walk(shops.a, {});
    expect(forwards.map(fromRow)).toEqual(orders.map(fromShopify));
    // Backwards from the last page: the same rows.
    const last = await list(shops.a, { after: (await list(shops.a, {})).nextCursor! });
    expect(last.previousCursor).not.toBeNull();
    const back = await list(shops.a, { before: last.previousCursor! });
    expect(back.rows.map((r) => r.id)).toEqual(forwards.slice(0, 50).map((r) => r.id));
    expect(back.previousCursor).toBeNull();
  });

  it("neither repeats nor skips a row while new orders arrive between pages", async () => {
    const before = ids(shopifyList(shops.a));
    const variant = h.sim.salesTruth(shops.a, { from: "2026-01-01", to: "2026-01-01" }).inventory[0].variantId;
    const seen = await walk(shops.a, {}, async () => {
      h.sim.control.createOrder(shops.a, { line_items: [{ variant_id: variant, quantity: 1 }] });
      await runSync(h.deps(shops.a), { shop: shops.a, trigger: "manual" });
    });
    // The new orders are newer than the first page: the walk sees exactly the orders it started with.
    expect(seen.map((r) => r.id)).toEqual(before);
    expect((await list(shops.a, {})).rows[0].id).not.toBe(before[0]);
  });

  it("sorts by order number both ways, across pages", async () => {
    const numbers = shopifyList(shops.a)
      .map((o) => o.order_number as number)
      .sort((x, y) => x - y);
    const ascending = await walk(shops.a, { sort: "number", direction: "asc" });
    expect(ascending.map((r) => r.orderNumber)).toEqual(numbers);
    const descending = await walk(shops.a, { sort: "number", direction: "desc" });
    expect(descending.map((r) => r.orderNumber)).toEqual([...numbers].reverse());
  });

  it("finds an order by name or number", async () => {
    const order = shopifyList(shops.a)[17];
    for (const q of [order.name, order.name.toLowerCase(), String(order.order_number), ` #${order.order_number} `]) {
      expect((await list(shops.a, { q })).rows.map((r) => r.id)).toEqual([String(order.id)]);
    }
  });

  it.each([['\'; DROP TABLE "order"; --'], ["注文 #１００１"], ["%"], ["_"], ["#"], ["🧾"]])(
    "answers the search %j with no rows, not an error",
    async (q) => {
      expect((await list(shops.a, { q })).rows).toEqual([]);
    },
  );

  it("filters by payment and fulfillment status and by days in the shop's timezone", async () => {
    const orders = shopifyList(shops.a);
    const refunded = orders.filter((o) => o.financial_status === "refunded");
    expect(refunded.length).toBeGreaterThan(0);
    expect((await walk(shops.a, { financial_status: "refunded" })).map((r) => r.id)).toEqual(ids(refunded));
    const unfulfilled = orders.filter((o) => o.fulfillment_status == null);
    expect(unfulfilled.length).toBeGreaterThan(0);
    expect(unfulfilled.length).toBeLessThan(orders.length);
    expect((await walk(shops.a, { fulfillment_status: "unfulfilled" })).map((r) => r.id)).toEqual(ids(unfulfilled));
    const fulfilled = orders.filter((o) => o.fulfillment_status === "fulfilled");
    expect(fulfilled.length).toBeGreaterThan(0);
    expect((await walk(shops.a, { fulfillment_status: "fulfilled" })).map((r) => r.id)).toEqual(ids(fulfilled));
    // Days are Tokyo's: an order at 23:30 UTC on the 9th is on the 10th there.
    const inTokyo = (iso: string) => new Intl.DateTimeFormat("en-CA", { timeZone: TIMEZONE }).format(new Date(iso));
    const day = inTokyo(orders[40].processed_at);
    const onDay = orders.filter((o) => inTokyo(o.processed_at) === day);
    expect(onDay.length).toBeGreaterThan(0);
    expect((await walk(shops.a, { from: day, to: day })).map((r) => r.id)).toEqual(ids(onDay));
  });

  it.each([
    [{ financial_status: "bogus" }, "financial_status"],
    [{ sort: "total; DROP" }, "sort"],
    [{ direction: "sideways" }, "direction"],
    [{ from: "2026-13-45x" }, "from"],
    [{ from: "2026-10-10", to: "2026-10-01" }, "from"],
    [{ q: "x".repeat(101) }, "q"],
    [{ q: "#10\u000001" }, "q"],
    [{ after: "not-a-cursor" }, "after"],
  ])("refuses %o with a message naming %s", async (query, field) => {
    const error = await list(shops.a, query).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InsightsInputError);
    expect((error as InsightsInputError).field).toBe(field);
  });

  it("refuses a tampered cursor, another sort's and another shop's", async () => {
    const page = await list(shops.a, {});
    const cursor = page.nextCursor!;
    const [payload, mac] = cursor.split(".");
    const forged = Buffer.from(JSON.stringify(["date", "2099-01-01T00:00:00.000Z", "1"])).toString("base64url");
    for (const [shop, query] of [
      [shops.a, { after: `${forged}.${mac}` }],
      [shops.a, { after: `${payload}.${mac.slice(0, -2)}AA` }],
      [shops.a, { after: cursor, sort: "number" }],
      [shops.b, { after: cursor }],
    ] as const) {
      await expect(list(shop, query)).rejects.toThrow(InsightsInputError);
    }
  });
});

describe("an order's detail", () => {
  it("equals Shopify's record of it", async () => {
    const refunded = shopifyList(shops.a).find((o) => (o.refunds as unknown[]).length > 0);
    expect(refunded).toBeDefined();
    const response = await fetch(`https://${shops.a}/admin/api/${apiVersion}/orders/${refunded!.id}.json`, {
      headers: { "x-shopify-access-token": h.tokens.get(shops.a)! },
    });
    const shopify = (await response.json()).order as {
      name: string;
      total_price: string;
      subtotal_price: string;
      total_tax: string;
      line_items: { id: number; quantity: number; price: string; title: string }[];
      refunds: { id: number }[];
    };
    const detail = await orderDetail(shops.a, String(refunded!.id));
    expect(detail.name).toBe(shopify.name);
    expect(Number(detail.total)).toBe(Number(shopify.total_price));
    expect(Number(detail.subtotal)).toBe(Number(shopify.subtotal_price));
    expect(Number(detail.taxes)).toBe(Number(shopify.total_tax));
    expect(detail.lines.map((l) => [l.id, l.quantity, Number(l.price), l.title])).toEqual(
      shopify.line_items.map((l) => [String(l.id), l.quantity, Number(l.price), l.title]),
    );
    expect(detail.refunds.map((r) => r.id).sort()).toEqual(shopify.refunds.map((r) => String(r.id)).sort());
  });

  it("is not found for another shop's order, an unknown id or not an id", async () => {
    const [other] = await prisma.order.findMany({ where: { shop: { domain: shops.b } }, take: 1 });
    for (const id of [other.id.toString(), "1", "abc", "1e3", "-5", "99999999999999999999"]) {
      await expect(orderDetail(shops.a, id)).rejects.toThrow(NotFoundError);
    }
  });
});

describe("over HTTP", () => {
  const page = (shop: string, path: string, query: Record<string, string> = {}) =>
    embeddedPage(app.url, shop, path, query);

  it("shows a shop's orders, answers another shop's order with a 404 page and bad filters with a 400 banner", async () => {
    const [mine] = await prisma.order.findMany({ where: { shop: { domain: shops.a } }, take: 1 });
    const [theirs] = await prisma.order.findMany({ where: { shop: { domain: shops.b } }, take: 1 });
    const listPage = await page(shops.a, "/app/orders");
    expect(listPage.status).toBe(200);
    const html = await listPage.text();
    expect(html).toContain((await list(shops.a, {})).rows[0].name);
    expect(html).not.toContain(`/app/orders/${theirs.id}`);

    const detail = await page(shops.a, `/app/orders/${mine.id}`);
    expect(detail.status).toBe(200);
    expect(await detail.text()).toContain(mine.name);
    const foreign = await page(shops.a, `/app/orders/${theirs.id}`);
    expect(foreign.status).toBe(404);
    expect(await foreign.text()).toContain("Order not found");

    const bad = await page(shops.a, "/app/orders", { financial_status: "bogus" });
    expect(bad.status).toBe(400);
    const text = await bad.text();
    expect(text).toContain("financial_status");
    expect(text).not.toMatch(/at \w+ \(.*\.ts:\d+/);
  });
});
