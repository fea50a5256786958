import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "../../app/db.server.ts";
import { runSync } from "../../app/ingest/sync.server.ts";
import { orderDetail, orderList } from "../../app/insights/orders.server.ts";
import { InsightsInputError, NotFoundError } from "../../app/insights/errors.ts";
import { startHarness, type Harness } from "../support/ingest-harness.ts";
import { startAppServer, type AppServer } from "../support/app-server.ts";
import { embeddedPage, installSynced, walkPages } from "../support/embedded.ts";
import { apiVersion } from "../../app/lib/api-version.ts";

// The Orders page's reads against the simulator's store: every page in order with nothing repeated
// or skipped (also while new orders arrive), search, filters and dates in the shop's timezone, the
// detail equal to Shopify's own record, signed cursors, and one shop never reaching another's orders.

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

async function storedOrders(shop: string) {
  return prisma.order.findMany({
    where: { shop: { domain: shop } },
    orderBy: [{ processedAt: "desc" }, { id: "desc" }],
  });
}

describe("the orders list", () => {
  it("pages through every order newest first, and back again, with nothing repeated or skipped", async () => {
    const stored = await storedOrders(shops.a);
    expect(stored.length).toBe(h.sim.truth(shops.a).counts.orders);
    const forwards = await walk(shops.a, {});
    expect(forwards.map((r) => r.id)).toEqual(stored.map((o) => o.id.toString()));
    // Backwards from the last page: the same rows.
    const last = await list(shops.a, { after: (await list(shops.a, {})).nextCursor! });
    expect(last.previousCursor).not.toBeNull();
    const back = await list(shops.a, { before: last.previousCursor! });
    expect(back.rows.map((r) => r.id)).toEqual(forwards.slice(0, 50).map((r) => r.id));
    expect(back.previousCursor).toBeNull();
  });

  it("neither repeats nor skips a row while new orders arrive between pages", async () => {
    const before = (await storedOrders(shops.a)).map((o) => o.id.toString());
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
    const stored = await storedOrders(shops.a);
    const numbers = stored.map((o) => o.orderNumber!).sort((x, y) => x - y);
    const ascending = await walk(shops.a, { sort: "number", direction: "asc" });
    expect(ascending.map((r) => r.orderNumber)).toEqual(numbers);
    const descending = await walk(shops.a, { sort: "number", direction: "desc" });
    expect(descending.map((r) => r.orderNumber)).toEqual([...numbers].reverse());
  });

  it("finds an order by name or number", async () => {
    const [order] = await prisma.order.findMany({ where: { shop: { domain: shops.a } }, take: 1, skip: 17 });
    for (const q of [order.name, order.name.toLowerCase(), String(order.orderNumber), ` #${order.orderNumber} `]) {
      expect((await list(shops.a, { q })).rows.map((r) => r.id)).toEqual([order.id.toString()]);
    }
  });

  it.each([['\'; DROP TABLE "order"; --'], ["注文 #１００１"], ["%"], ["_"], ["#"], ["🧾"]])(
    "answers the search %j with no rows, not an error",
    async (q) => {
      expect((await list(shops.a, { q })).rows).toEqual([]);
    },
  );

  it("filters by payment and fulfillment status and by days in the shop's timezone", async () => {
    const stored = await storedOrders(shops.a);
    const refunded = await walk(shops.a, { financial_status: "refunded" });
    expect(refunded.map((r) => r.id)).toEqual(
      stored.filter((o) => o.financialStatus === "refunded").map((o) => o.id.toString()),
    );
    expect(refunded.length).toBeGreaterThan(0);
    const unfulfilled = await walk(shops.a, { fulfillment_status: "unfulfilled" });
    expect(unfulfilled.map((r) => r.id)).toEqual(
      stored.filter((o) => o.fulfillmentStatus === null).map((o) => o.id.toString()),
    );
    // Days are Tokyo's: an order at 23:30 UTC on the 9th is on the 10th there.
    const inTokyo = (d: Date) => new Intl.DateTimeFormat("en-CA", { timeZone: TIMEZONE }).format(d);
    const day = inTokyo(stored[40].processedAt);
    const onDay = await walk(shops.a, { from: day, to: day });
    expect(onDay.map((r) => r.id)).toEqual(
      stored.filter((o) => inTokyo(o.processedAt) === day).map((o) => o.id.toString()),
    );
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
    const [stored] = await prisma.order.findMany({
      where: { shop: { domain: shops.a }, totalRefunded: { gt: 0 } },
      take: 1,
    });
    expect(stored).toBeDefined();
    const response = await fetch(`https://${shops.a}/admin/api/${apiVersion}/orders/${stored.id}.json`, {
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
    const detail = await orderDetail(shops.a, stored.id.toString());
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
