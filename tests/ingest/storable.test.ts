/* eslint-disable @typescript-eslint/no-explicit-any -- REST payloads as the simulator serves them */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma, { pool } from "../../app/db.server.ts";
import { runSync } from "../../app/ingest/sync.server.ts";
import { customerList } from "../../app/insights/customers.server.ts";
import { apiKey, shopIdOf, startHarness, storedTotals, truthTotals, type Harness } from "../support/ingest-harness.ts";
import { startAppServer, type AppServer } from "../support/app-server.ts";
import { fetchAll } from "../support/simulator-client.ts";
import { webhookSubscriptions } from "../../scripts/lib/webhook-subscriptions.ts";

// Text and numbers from Shopify that PostgreSQL cannot take as they come: a NUL in any text, amounts
// past NUMERIC(19,4). The first is made storable, the second fails its record alone; neither stops a
// sync or answers a webhook with a 500. Through the real path: the simulator over HTTPS, the app's
// sync and its built server, a real PostgreSQL.

let app: AppServer;
let h: Harness;

beforeAll(async () => {
  app = await startAppServer();
  h = await startHarness(prisma, [], {
    rateLimits: false,
    webhookRetry: { attempts: 2, baseDelayMs: 20, timeoutMs: 5000 },
  });
});

afterAll(async () => {
  await h?.close();
  await app?.close();
  await prisma.$disconnect();
});

const sync = (shop: string) => runSync(h.deps(shop), { shop, trigger: "manual" });

/** The resource's pass stands closed: no cursor, no pass in flight, a watermark. */
async function passClosed(shop: string, resource: string) {
  const state = await prisma.syncState.findUniqueOrThrow({
    where: { shopId_resource: { shopId: await shopIdOf(prisma, shop), resource } },
  });
  return state.cursor === null && state.passStartedAt === null && state.watermark !== null;
}

/** The simulator's name of a shop. */
const name = (shop: string) => shop.replace(".myshopify.com", "");

/** Every order the simulator serves, as the app asks for them. */
async function servedOrders(shop: string): Promise<any[]> {
  return fetchAll(h.sim, name(shop), "orders", "limit=250&status=any", h.tokens.get(shop)!);
}

/** The stored orders' totals and line counts, by id. */
async function storedOrders(shop: string) {
  const { rows } = await pool.query<{ id: string; totalPrice: string; lines: number }>(
    `SELECT o.id::text AS id, o.total_price::text AS "totalPrice",
            (SELECT count(*)::int FROM order_line_item l WHERE l.shop_id = o.shop_id AND l.order_id = o.id) AS lines
       FROM "order" o WHERE o.shop_id = $1`,
    [await shopIdOf(prisma, shop)],
  );
  return new Map(rows.map((row) => [row.id, row]));
}

/** Whether every order but `except` is stored with Shopify's total and lines, and whether `except` is. */
async function ordersExactBut(shop: string, except: number) {
  const [served, stored] = await Promise.all([servedOrders(shop), storedOrders(shop)]);
  const others = served.filter((o) => o.id !== except);
  const wrong = others.filter((o) => {
    const row = stored.get(String(o.id));
    return !row || Number(row.totalPrice) !== Number(o.total_price) || row.lines !== o.line_items.length;
  });
  return {
    others: others.length,
    stored: stored.size,
    wrong: wrong.map((o) => o.id),
    except: stored.has(String(except)),
  };
}

describe("text with a NUL character", () => {
  it("a customer named Ann\\u0000e: the sync succeeds, every customer is stored, the name without the NUL", async () => {
    const shop = await h.install({ name: "nul-name", seed: 41, products: 10, customers: 151, orders: 120 });
    const customers = await fetchAll(h.sim, name(shop), "customers", "limit=250", h.tokens.get(shop)!);
    const ann = customers[17];
    h.sim.control.updateCustomer(shop, ann.id, { first_name: "Ann\u0000e", last_name: "Zed\u0000" });

    const first = await sync(shop);
    expect(first.status).toBe("succeeded");
    expect(first.resources.customers).toMatchObject({ fetched: 151, written: 151, skipped: 0 });
    expect(await storedTotals(prisma, shop)).toEqual(truthTotals(h.sim, shop));
    const stored = await prisma.customer.findFirstOrThrow({ where: { id: BigInt(ann.id) } });
    expect(stored).toMatchObject({ firstName: "Anne", lastName: "Zed" });
    const found = await customerList(shop, new URLSearchParams({ q: "Anne Zed" }));
    expect(found.rows.map((row) => row.id)).toEqual([String(ann.id)]);

    // Every later sync succeeds too (the customer is read again once changed).
    h.sim.control.updateCustomer(shop, ann.id, { tags: "vip\u0000, early" });
    const second = await sync(shop);
    expect(second.status).toBe("succeeded");
    expect(second.resources.customers).toMatchObject({ skipped: 0 });
    expect((await prisma.customer.findFirstOrThrow({ where: { id: BigInt(ann.id) } })).tags).toBe("vip, early");
  });

  it("a product webhook with a NUL in its tags is answered 200 and stored without it; a lone surrogate as U+FFFD", async () => {
    const shop = await h.install({ name: "nul-hook", seed: 42, products: 10, customers: 20, orders: 30 });
    expect((await sync(shop)).status).toBe("succeeded");
    const c = h.sim.control;
    c.setWebhooks(apiKey, webhookSubscriptions(app.url));
    try {
      const product = await prisma.product.findFirstOrThrow({ where: { shopId: await shopIdOf(prisma, shop) } });
      c.updateProduct(shop, Number(product.id), { tags: "sale\u0000, \ud83d" });
      await c.flushWebhooks();
      const deliveries = c.deliveries({ shop, topic: "products/update" });
      expect(deliveries).toHaveLength(1);
      expect(deliveries[0].attempts.map((a) => a.status)).toEqual([200]);
      const stored = await prisma.product.findFirstOrThrow({ where: { shopId: product.shopId, id: product.id } });
      // The NUL removed; node-postgres sends the lone surrogate as UTF-8's replacement character.
      expect(stored.tags).toBe("sale, \ufffd");
    } finally {
      c.setWebhooks(apiKey, []);
    }
  });
});

describe("an amount past what the app stores", () => {
  it("skips that order alone with its id in the run's warnings; the others are exact and the pass completes", async () => {
    const shop = await h.install({ name: "huge-total", seed: 43, products: 10, customers: 40, orders: 600 });
    const served = await servedOrders(shop);
    // Guest orders, so no customer's figures change with them.
    const bad = served.slice(250, 500).find((o) => !o.customer);
    h.sim.control.updateOrder(shop, bad.id, { total_price: "100000000000000000000" });

    const first = await sync(shop);
    expect(first.resources.orders).toMatchObject({ fetched: 600, written: 599, skipped: 1, status: "done" });
    expect(first.warnings).toEqual([
      `Order ${bad.id} was not imported: total_price: 100000000000000000000 is beyond the amounts the app stores (under 10^15).`,
    ]);
    expect(first.status).toBe("partial");
    const run = await prisma.syncRun.findUniqueOrThrow({ where: { id: first.runId } });
    expect(run.warnings).toEqual(first.warnings);
    expect(await passClosed(shop, "orders")).toBe(true);
    expect(await ordersExactBut(shop, bad.id)).toEqual({ others: 599, stored: 599, wrong: [], except: false });

    // A line price past it fails its order the same way, naming the line; the version stored before
    // stays (still in Shopify, only not storable as it is now). The first order, made storable in
    // Shopify again, is imported.
    h.sim.control.updateOrder(shop, bad.id, { total_price: bad.total_price });
    const other = served.slice(0, 250).find((o) => !o.customer);
    const line = other.line_items[0];
    h.sim.control.updateOrder(shop, other.id, { line_items: [{ id: line.id, price: "1000000000000000.00" }] });
    const second = await sync(shop);
    expect(second.status).toBe("partial");
    expect(second.warnings).toEqual([
      `Order ${other.id} was not imported: order line item ${line.id} price: 1000000000000000.00 is beyond the amounts the app stores (under 10^15).`,
    ]);
    const stored = await storedOrders(shop);
    expect(Number(stored.get(String(bad.id))?.totalPrice)).toBe(Number(bad.total_price));
    expect(Number(stored.get(String(other.id))?.totalPrice)).toBe(Number(other.total_price));

    // Once Shopify's record is storable again, the next sync succeeds and every order is exact.
    h.sim.control.updateOrder(shop, other.id, { line_items: [{ id: line.id, price: line.price }] });
    const third = await sync(shop);
    expect(third.status).toBe("succeeded");
    expect(third.warnings).toEqual([]);
    expect(await ordersExactBut(shop, 0)).toEqual({ others: 600, stored: 600, wrong: [], except: false });
    expect(await storedTotals(prisma, shop)).toEqual(truthTotals(h.sim, shop));
  });
});

describe("sums past what one record may hold", () => {
  it("a day whose orders each fit but whose sum does not: the import and its read model complete", async () => {
    const shop = await h.install({ name: "huge-day", seed: 45, products: 10, customers: 40, orders: 400 });
    const served = await servedOrders(shop);
    // Two guest orders of one local day (the simulator writes times in the shop's offset), each with a
    // line of 9 × 10^14: every order fits NUMERIC(19,4), their day's gross sales do not.
    const byDay = new Map<string, any[]>();
    for (const order of served.filter((o) => !o.customer && !o.cancelled_at && !o.test && o.refunds.length === 0)) {
      const day = String(order.processed_at).slice(0, 10);
      byDay.set(day, [...(byDay.get(day) ?? []), order]);
    }
    const [day, pair] = [...byDay].find(([, orders]) => orders.length >= 2)!;
    const setLine = (order: any, amount: number) => {
      const line = order.line_items[0];
      h.sim.control.updateOrder(shop, order.id, {
        line_items: [{ id: line.id, price: (amount / line.quantity).toFixed(2) }],
      });
    };
    for (const order of pair.slice(0, 2)) setLine(order, 900_000_000_000_000);

    // A first import: the read model is built in one pass at its end.
    const first = await sync(shop);
    expect(first).toMatchObject({ status: "succeeded", warnings: [] });
    const shopId = await shopIdOf(prisma, shop);
    expect((await prisma.shop.findUniqueOrThrow({ where: { id: shopId } })).readModelStale).toBe(false);
    const { rows } = await pool.query<{ gross: string }>(
      "SELECT gross::text FROM sales_day WHERE shop_id = $1 AND day = $2",
      [shopId, day],
    );
    expect(Number(rows[0].gross)).toBeGreaterThanOrEqual(1_800_000_000_000_000);

    // Kept in step by an incremental sync (the day's row gets the difference): one of them changes.
    setLine(pair[0], 800_000_000_000_000);
    const next = await sync(shop);
    expect(next).toMatchObject({ status: "succeeded", warnings: [] });
    expect(await storedTotals(prisma, shop)).toEqual(truthTotals(h.sim, shop));
  });
});

describe("a page PostgreSQL refuses for its data", () => {
  it("is written record by record: only the refused order is skipped, with a warning, and the pass completes", async () => {
    const shop = await h.install({ name: "refused-page", seed: 44, products: 10, customers: 40, orders: 600 });
    const served = await servedOrders(shop);
    const bad = served.slice(250, 500).find((o) => !o.customer);
    h.sim.control.updateOrder(shop, bad.id, { tags: "refused-by-check" });
    // A rule of this database the mapping knows nothing of: PostgreSQL refuses the row (SQLSTATE 23514).
    await pool.query(
      `ALTER TABLE "order" ADD CONSTRAINT order_tags_checked CHECK (tags NOT LIKE '%refused-by-check%')`,
    );
    try {
      const first = await sync(shop);
      expect(first.resources.orders).toMatchObject({ fetched: 600, written: 599, skipped: 1, status: "done" });
      expect(first.warnings).toEqual([
        `Order ${bad.id} was not imported: the database refused it (new row for relation "order" violates check constraint "order_tags_checked").`,
      ]);
      expect(await passClosed(shop, "orders")).toBe(true);
      expect(await ordersExactBut(shop, bad.id)).toEqual({ others: 599, stored: 599, wrong: [], except: false });
      // The read model, built at the end of the first import, holds the orders stored.
      const { rows } = await pool.query<{ orders: number }>(
        "SELECT coalesce(sum(orders), 0)::int AS orders FROM sales_day WHERE shop_id = $1",
        [await shopIdOf(prisma, shop)],
      );
      expect(rows[0].orders).toBe(served.filter((o) => o.id !== bad.id && !o.test).length);

      // Made storable in Shopify, it is imported by the next sync, which succeeds.
      h.sim.control.updateOrder(shop, bad.id, { tags: "accepted" });
      const next = await sync(shop);
      expect(next.status).toBe("succeeded");
      expect(next.warnings).toEqual([]);
      expect(await ordersExactBut(shop, 0)).toEqual({ others: 600, stored: 600, wrong: [], except: false });
    } finally {
      await pool.query(`ALTER TABLE "order" DROP CONSTRAINT order_tags_checked`);
    }
  });
});
