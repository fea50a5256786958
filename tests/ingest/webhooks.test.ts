import { createHmac, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma, { pool } from "../../app/db.server.ts";
import { purgeShop, TABLES_PURGED_BY_NAME } from "../../app/shops/purge.server.ts";
import { lockShop, ShopGone } from "../../app/ingest/shop-lock.server.ts";
import { deleteRecords, inTransaction } from "../../app/ingest/upsert.server.ts";
import { runSync } from "../../app/ingest/sync.server.ts";
import { WEBHOOK_BODY_LIMIT } from "../../app/lib/webhook-body.ts";
import { PERIODIC_QUEUE, PURGE_QUEUE } from "../../app/ingest/jobs.server.ts";
import { queue, startProcessWorker } from "../../app/ingest/background.server.ts";
import { offlineAccessToken } from "../../app/access-token.server.ts";
import type { SyncWorker } from "../../app/ingest/jobs.server.ts";
import {
  apiKey,
  apiSecret,
  shopIdOf,
  startHarness,
  storedTotals,
  truthTotals,
  type Harness,
} from "../support/ingest-harness.ts";
import { startAppServer, type AppServer } from "../support/app-server.ts";
import { webhookSubscriptions } from "../../scripts/lib/webhook-subscriptions.ts";
import { apiVersion } from "../../app/lib/api-version.ts";

let app: AppServer;
let h: Harness;
let worker: SyncWorker | undefined;

beforeAll(async () => {
  app = await startAppServer();
  h = await startHarness(prisma, [], {
    rateLimits: false,
    webhookRetry: { attempts: 5, baseDelayMs: 20, timeoutMs: 5000 },
    webhooks: subscriptions(),
  });
});

afterAll(async () => {
  await worker?.stop();
  await h?.close();
  await app?.close();
  await prisma.$disconnect();
});

const subscriptions = () => webhookSubscriptions(app.url);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Queues the periodic pass (scheduled syncs, purges past the grace period) and waits until the worker has run it. */
async function periodicPass(): Promise<void> {
  const boss = await queue();
  const id = await boss.send(PERIODIC_QUEUE, {});
  expect(id).not.toBeNull();
  await expect
    .poll(async () => (await boss.findJobs(PERIODIC_QUEUE, { id: id! }))[0]?.state, { timeout: 20_000, interval: 100 })
    .toBe("completed");
}

/** Every table of the public schema with a shop_id column, read from the catalog (a new one is covered). */
async function tenantTables(): Promise<string[]> {
  const rows = await prisma.$queryRaw<{ table_name: string }[]>`
    SELECT c.table_name FROM information_schema.columns c
      JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
     WHERE c.table_schema = 'public' AND c.column_name = 'shop_id' AND t.table_type = 'BASE TABLE'
     ORDER BY 1`;
  return rows.map((row) => row.table_name);
}

/** Whether the shop exists, and the rows any table still holds for it (`id` read before any purge). */
async function shopRows(domain: string, id: number) {
  const shop = await prisma.shop.findUnique({ where: { domain } });
  const counts = await Promise.all(
    (await tenantTables()).map(async (table) => {
      const [{ n }] = await prisma.$queryRawUnsafe<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM "${table}" WHERE shop_id = $1`,
        id,
      );
      return n;
    }),
  );
  const byDomain = await Promise.all([
    prisma.session.count({ where: { shop: domain } }),
    prisma.webhookDelivery.count({ where: { shop: domain } }),
  ]);
  return { shop: shop !== null, rows: [...counts, ...byDomain].reduce((a, b) => a + b, 0) };
}

describe("record webhooks", () => {
  it("end equal to the truth when delivered twice, out of order and racing a sync", async () => {
    const shop = await h.install({ name: "hooks", seed: 21, products: 20, customers: 100, orders: 400 });
    await runSync(h.deps(shop), { shop, trigger: "manual" });
    h.sim.control.setWebhooks(apiKey, subscriptions(), { duplicates: true, shuffle: true });
    const c = h.sim.control;
    const orders = (
      await prisma.order.findMany({ where: { shop: { domain: shop } }, orderBy: { id: "asc" }, take: 3 })
    ).map((o) => Number(o.id));
    c.updateOrder(shop, orders[0], { tags: "first" });
    await sleep(1100); // a second later on Shopify's clock, so the two versions are ordered
    c.updateOrder(shop, orders[0], { tags: "second" });
    c.refundOrder(shop, orders[1], { amount: "3.50" });
    const created = c.createOrder(shop);
    c.deleteOrder(shop, orders[2]);
    const product = await prisma.product.findFirstOrThrow({ where: { shop: { domain: shop } } });
    c.deleteProduct(shop, Number(product.id));
    c.createProduct(shop);
    const customer = await prisma.customer.findFirstOrThrow({
      where: { shop: { domain: shop } },
      orderBy: { id: "desc" },
    });
    c.deleteCustomer(shop, Number(customer.id));

    const [sync] = await Promise.all([runSync(h.deps(shop), { shop, trigger: "manual" }), c.flushWebhooks()]);
    expect(sync.status).toBe("succeeded");
    await c.flushWebhooks();

    const deliveries = c.deliveries({ shop });
    expect(deliveries.every((d) => d.state === "delivered")).toBe(true);
    expect(deliveries.some((d) => d.duplicate)).toBe(true);
    expect(await storedTotals(prisma, shop)).toEqual(truthTotals(h.sim, shop));
    const first = await prisma.order.findFirstOrThrow({ where: { shop: { domain: shop }, id: BigInt(orders[0]) } });
    expect(first.tags).toBe("second");
    expect(await prisma.order.count({ where: { shop: { domain: shop }, id: BigInt(created.id) } })).toBe(1);
    expect(await prisma.customer.count({ where: { shop: { domain: shop }, id: customer.id } })).toBe(0);
    // Each delivery was handled once, whatever the number of copies.
    const handled = await prisma.webhookDelivery.count({ where: { shop } });
    expect(handled).toBe(new Set(deliveries.map((d) => d.webhookId)).size);
    h.sim.control.setWebhooks(apiKey, subscriptions());
  });

  it("never regress a record whose states share one updated_at second, delivered twice and newest first", async () => {
    const shop = await h.install({ name: "ties", seed: 28, products: 5, customers: 30, orders: 80 });
    await runSync(h.deps(shop), { shop, trigger: "manual" });
    const c = h.sim.control;
    const orders = (
      await prisma.order.findMany({
        where: { shop: { domain: shop }, cancelledAt: null, test: false },
        orderBy: { id: "asc" },
        take: 12,
      })
    ).map((o) => Number(o.id));
    const shopify = async (id: number) => {
      const response = await fetch(`https://${shop}/admin/api/${apiVersion}/orders/${id}.json`, {
        headers: { "x-shopify-access-token": h.tokens.get(shop)! },
      });
      const { order } = (await response.json()) as {
        order: { tags: string; cancelled_at: string | null; financial_status: string; updated_at: string };
      };
      return order;
    };
    for (let round = 0; round < 3; round++) {
      // Every change of an order in the same second: Shopify's updated_at cannot tell them apart.
      c.setWebhooks(apiKey, subscriptions(), { duplicates: true, shuffle: true });
      for (const id of orders) {
        c.updateOrder(shop, id, { tags: `round ${round}` });
        c.refundOrder(shop, id, { amount: "1.00" });
        if (round === 2) c.cancelOrder(shop, id, { reason: "customer", refund: true });
      }
      await c.flushWebhooks();
      for (const id of orders) {
        const [stored, truth] = await Promise.all([
          prisma.order.findFirstOrThrow({ where: { shop: { domain: shop }, id: BigInt(id) } }),
          shopify(id),
        ]);
        expect({
          tags: stored.tags,
          cancelled: stored.cancelledAt?.getTime() ?? null,
          status: stored.financialStatus,
          updated: stored.shopifyUpdatedAt.getTime(),
        }).toEqual({
          tags: truth.tags,
          cancelled: truth.cancelled_at ? Date.parse(truth.cancelled_at) : null,
          status: truth.financial_status,
          updated: Date.parse(truth.updated_at),
        });
      }
    }
    expect(c.deliveries({ shop }).filter((d) => d.duplicate).length).toBeGreaterThan(0);
    expect(await storedTotals(prisma, shop)).toEqual(truthTotals(h.sim, shop));
    c.setWebhooks(apiKey, subscriptions());
  });

  it("refuses a forged HMAC with 401 and writes nothing", async () => {
    const shop = await h.install({ name: "forged", seed: 22, products: 1, customers: 1, orders: 1 });
    const body = JSON.stringify({
      id: 991,
      name: "#9001",
      created_at: "2026-01-01T00:00:00Z",
      updated_at: "2026-01-01T00:00:00Z",
    });
    const send = (hmac: string) =>
      fetch(`${app.url}/webhooks/records`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-shopify-topic": "orders/create",
          "x-shopify-shop-domain": shop,
          "x-shopify-api-version": apiVersion,
          "x-shopify-webhook-id": randomUUID(),
          "x-shopify-hmac-sha256": hmac,
        },
        body,
      });
    const forged = await send(createHmac("sha256", "someone-else").update(body).digest("base64"));
    expect(forged.status).toBe(401);
    expect(await prisma.webhookDelivery.count({ where: { shop } })).toBe(0);
    expect(await prisma.order.count({ where: { shop: { domain: shop } } })).toBe(0);
    // The same request signed with the app's secret passes the HMAC check; the order lacks fields
    // Shopify always sends, so it is refused with a reason, and nothing is written.
    const genuine = await send(createHmac("sha256", apiSecret).update(body).digest("base64"));
    expect(genuine.status).toBe(422);
    expect(await genuine.text()).toMatch(/fields and types/);
    expect(await prisma.webhookDelivery.count({ where: { shop } })).toBe(0);
  });

  describe("bad input", () => {
    const signed = (shop: string, topic: string, body: string | ReadableStream<Uint8Array>, hmacOf = body) =>
      fetch(
        `${app.url}/webhooks/${topic.startsWith("customers/data") || topic.endsWith("redact") ? "compliance" : "records"}`,
        {
          method: "POST",
          headers: {
            "content-type": "application/json",
            "x-shopify-topic": topic,
            "x-shopify-shop-domain": shop,
            "x-shopify-api-version": apiVersion,
            "x-shopify-webhook-id": randomUUID(),
            "x-shopify-hmac-sha256": createHmac("sha256", apiSecret)
              .update(typeof hmacOf === "string" ? hmacOf : "")
              .digest("base64"),
          },
          body,
          duplex: "half",
        } as RequestInit,
      );

    it("answers 400 to a signed body that is not JSON, and 422 to a delete without a numeric id", async () => {
      const shop = await h.install({ name: "garbage-in", seed: 25, products: 1, customers: 1, orders: 3 });
      await runSync(h.deps(shop), { shop, trigger: "manual" });
      const notJson = await signed(shop, "orders/create", "{not json");
      expect(notJson.status).toBe(400);
      expect(await notJson.text()).toMatch(/not JSON/);
      for (const id of ['"abc"', "-1", "1.5", "null", '"1; DROP TABLE"']) {
        const response = await signed(shop, "orders/delete", `{"id": ${id}}`);
        expect(response.status).toBe(422);
      }
      expect(await prisma.order.count({ where: { shop: { domain: shop } } })).toBe(3);
      expect(await prisma.webhookDelivery.count({ where: { shop } })).toBe(0);
    });

    it("refuses bodies over the cap with 413, declared or streamed, before reading them whole", async () => {
      const shop = await h.install({ name: "big-body", seed: 26, products: 1, customers: 1, orders: 1 });
      const big = `{"id": 1, "padding": "${"x".repeat(WEBHOOK_BODY_LIMIT)}"}`;
      expect((await signed(shop, "orders/create", big)).status).toBe(413);
      // No content-length: chunks of 1 MB until the cap is passed.
      let sent = 0;
      const chunk = new Uint8Array(1024 * 1024).fill(32);
      const stream = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent > 3 * WEBHOOK_BODY_LIMIT) return controller.close();
          sent += chunk.byteLength;
          controller.enqueue(chunk);
        },
      });
      const streamed = await signed(shop, "orders/create", stream, "");
      expect(streamed.status).toBe(413);
    });

    it("answers 404 for a shop that never installed, and writes nothing for it, compliance included", async () => {
      const stranger = "never-installed.myshopify.com";
      const order = await signed(stranger, "orders/delete", '{"id": 123}');
      expect(order.status).toBe(404);
      for (const topic of ["customers/data_request", "customers/redact", "shop/redact"]) {
        const response = await signed(stranger, topic, JSON.stringify({ shop_domain: stranger, customer: { id: 1 } }));
        expect(response.status).toBe(200);
      }
      expect(await prisma.complianceRequest.count({ where: { shop: stranger } })).toBe(0);
      expect(await prisma.webhookDelivery.count({ where: { shop: stranger } })).toBe(0);
      expect(await prisma.shop.count({ where: { domain: stranger } })).toBe(0);
    });
  });
});

describe("leaving", () => {
  beforeAll(async () => {
    worker = await startProcessWorker({ force: true, tokens: offlineAccessToken });
  });

  it("app/uninstalled removes sessions at once and, after the grace period, every row of the shop", async () => {
    const shop = await h.install({ name: "leaver", seed: 23, products: 10, customers: 30, orders: 120 });
    const other = await h.install({ name: "stayer", seed: 24, products: 10, customers: 30, orders: 120 });
    await Promise.all([shop, other].map((s) => runSync(h.deps(s), { shop: s, trigger: "manual" })));
    await prisma.session.create({ data: { id: `offline_${shop}`, shop, state: "x", accessToken: "t" } });
    const id = await shopIdOf(prisma, shop);
    expect((await shopRows(shop, id)).rows).toBeGreaterThan(500);

    h.sim.control.uninstall(shop, apiKey);
    await h.sim.control.flushWebhooks();
    const after = await prisma.shop.findUniqueOrThrow({ where: { domain: shop } });
    expect(after.uninstalledAt).not.toBeNull();
    expect(await prisma.session.count({ where: { shop } })).toBe(0);

    // Within the grace period the scheduled pass runs and queues no purge; once it has passed, the
    // pass queues the purge, which removes the shop.
    const boss = await queue();
    const purgesOf = async () => (await boss.findJobs(PURGE_QUEUE, { data: { shop } })).length;
    await periodicPass();
    expect(await purgesOf()).toBe(0);
    expect(await shopRows(shop, id)).toEqual({ shop: true, rows: expect.any(Number) });
    await prisma.shop.update({
      where: { domain: shop },
      data: { uninstalledAt: new Date(Date.now() - 3 * 86400_000) },
    });
    await periodicPass();
    expect(await purgesOf()).toBe(1);
    await expect.poll(async () => (await shopRows(shop, id)).shop, { timeout: 20_000, interval: 200 }).toBe(false);
    expect(await shopRows(shop, id)).toEqual({ shop: false, rows: 0 });
    expect(await storedTotals(prisma, other)).toEqual(truthTotals(h.sim, other));
  });

  it("shop/redact removes every row of the shop", async () => {
    const shop = await h.install({ name: "redacted", seed: 25, products: 10, customers: 30, orders: 120 });
    await runSync(h.deps(shop), { shop, trigger: "manual" });
    const id = await shopIdOf(prisma, shop);
    expect((await shopRows(shop, id)).rows).toBeGreaterThan(500);
    h.sim.control.sendCompliance(shop, apiKey, "shop/redact");
    await h.sim.control.flushWebhooks();
    await expect.poll(async () => (await shopRows(shop, id)).shop, { timeout: 20_000, interval: 200 }).toBe(false);
    expect(await shopRows(shop, id)).toEqual({ shop: false, rows: 0 });
  });

  it("every table holding a shop's rows cascades from the shop or is purged by name", async () => {
    const cascading = await prisma.$queryRaw<{ table_name: string }[]>`
      SELECT conrelid::regclass::text AS table_name FROM pg_constraint
       WHERE contype = 'f' AND confrelid = 'shop'::regclass AND confdeltype = 'c'`;
    const covered = new Set([...cascading.map((row) => row.table_name.replaceAll('"', "")), ...TABLES_PURGED_BY_NAME]);
    const tables = await tenantTables();
    expect(tables.filter((table) => !covered.has(table))).toEqual([]);
    expect(TABLES_PURGED_BY_NAME.filter((table) => !tables.includes(table))).toEqual([]);
  });

  it("a purge waits for a transaction writing the shop's rows, and nothing is written after it", async () => {
    const shop = await h.install({ name: "raced", seed: 26, products: 5, customers: 10, orders: 30 });
    await runSync(h.deps(shop), { shop, trigger: "manual" });
    const id = await shopIdOf(prisma, shop);
    // A writer mid-transaction, its row in a table without a foreign key not yet committed.
    const writer = await pool.connect();
    await writer.query("BEGIN");
    await lockShop(writer, id);
    await writer.query("INSERT INTO sales_day (shop_id, day, orders) VALUES ($1, '2001-01-01', 1)", [id]);
    let purged = false;
    const purge = purgeShop(prisma, shop).then(() => (purged = true));
    await sleep(500);
    expect(purged).toBe(false);
    await writer.query("COMMIT");
    writer.release();
    await purge;
    expect(await shopRows(shop, id)).toEqual({ shop: false, rows: 0 });
    await expect(inTransaction(pool, (sql) => deleteRecords(sql, id, "orders", ["1"]))).rejects.toBeInstanceOf(
      ShopGone,
    );
  });

  it("customers/redact erases the customer's personal data; customers/data_request reports it", async () => {
    const shop = await h.install({ name: "privacy", seed: 26, products: 5, customers: 20, orders: 80 });
    await runSync(h.deps(shop), { shop, trigger: "manual" });
    const withOrders = await prisma.order.findFirstOrThrow({
      where: { shop: { domain: shop }, customerId: { not: null } },
    });
    const customerId = Number(withOrders.customerId);
    h.sim.control.sendCompliance(shop, apiKey, "customers/data_request", { customerId });
    h.sim.control.sendCompliance(shop, apiKey, "customers/redact", { customerId });
    await h.sim.control.flushWebhooks();
    const request = await prisma.complianceRequest.findFirstOrThrow({
      where: { shop, topic: "customers/data_request" },
    });
    expect((request.report as { customer: { id: string } }).customer.id).toBe(String(customerId));
    const customer = await prisma.customer.findFirstOrThrow({
      where: { shop: { domain: shop }, id: BigInt(customerId) },
    });
    expect(customer).toMatchObject({ email: null, firstName: null, lastName: null, phone: null });
    expect(customer.redactedAt).not.toBeNull();
    expect(
      await prisma.order.count({
        where: { shop: { domain: shop }, customerId: BigInt(customerId), email: { not: null } },
      }),
    ).toBe(0);
    // A later sync does not bring the personal data back.
    await runSync(h.deps(shop), { shop, trigger: "manual", full: true });
    expect(
      (await prisma.customer.findFirstOrThrow({ where: { shop: { domain: shop }, id: BigInt(customerId) } })).email,
    ).toBeNull();
  });
});
