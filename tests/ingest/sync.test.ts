import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "../../app/db.server.ts";
import { AdminRestClient, PageTooLargeError } from "../../app/ingest/rest-client.ts";
import { runSync, SyncInterrupted, PROTECTED_DATA_WARNING } from "../../app/ingest/sync.server.ts";
import { startHarness, storedTotals, truthTotals, type Harness } from "../support/ingest-harness.ts";
import { inlineDecoder, type PageDecoder } from "../../app/ingest/decoder.server.ts";
import { apiVersion } from "../../app/lib/api-version.ts";

let h: Harness;

beforeAll(async () => {
  h = await startHarness(prisma, [], { rateLimits: false });
});
afterAll(async () => {
  await h?.close();
  await prisma.$disconnect();
});

/** Runs a sync of `shop` and stops it once `resource` has committed `pages` pages. */
async function stopAfter(shop: string, resource: "orders" | "customers", pages: number, full = false) {
  const stop = new AbortController();
  await expect(
    runSync(h.deps(shop), {
      shop,
      trigger: "manual",
      full,
      signal: stop.signal,
      onProgress: (p) => {
        if ((p.resources[resource]?.pages ?? 0) >= pages) stop.abort(new SyncInterrupted());
      },
    }),
  ).rejects.toBeInstanceOf(SyncInterrupted);
}

describe("full sync", () => {
  it("imports a seeded store exactly: counts per resource and revenue to the cent", async () => {
    const shop = await h.install({
      name: "full-exact",
      seed: 11,
      products: 40,
      customers: 300,
      orders: 1500,
      days: 120,
    });
    const result = await runSync(h.deps(shop), { shop, trigger: "manual" });
    expect(result.status).toBe("succeeded");
    expect(await storedTotals(prisma, shop)).toEqual(truthTotals(h.sim, shop));
    expect(result.resources.orders).toMatchObject({
      mode: "full",
      total: 1500,
      fetched: 1500,
      written: 1500,
      skipped: 0,
    });
    const stored = await prisma.shop.findUniqueOrThrow({ where: { domain: shop } });
    const truth = h.sim.truth(shop);
    expect(stored).toMatchObject({ currency: truth.currency, timezone: truth.timezone, protectedCustomerData: true });
    const run = await prisma.syncRun.findUniqueOrThrow({ where: { id: result.runId } });
    expect(run).toMatchObject({ status: "succeeded", apiCalls: result.apiCalls });
    expect(run.finishedAt).not.toBeNull();
  });
});

describe("incremental sync", () => {
  it("fetches only what changed and ends equal to the truth, deletions included", async () => {
    const shop = await h.install({ name: "incremental", seed: 12, products: 30, customers: 200, orders: 900 });
    expect((await runSync(h.deps(shop), { shop, trigger: "manual" })).status).toBe("succeeded");

    const c = h.sim.control;
    const [first, second, third, fourth] = (
      await prisma.order.findMany({ orderBy: { id: "asc" }, take: 4, where: { shop: { domain: shop } } })
    ).map((o) => Number(o.id));
    c.createOrder(shop);
    c.createOrder(shop);
    c.updateOrder(shop, first, { note: "gift wrap", tags: "vip" });
    c.refundOrder(shop, second, { amount: "5.00" });
    c.cancelOrder(shop, third, { reason: "customer" });
    c.deleteOrder(shop, fourth);
    const products = await prisma.product.findMany({
      orderBy: { id: "asc" },
      take: 2,
      where: { shop: { domain: shop } },
    });
    c.updateProduct(shop, Number(products[0].id), { title: "Renamed" });
    c.deleteProduct(shop, Number(products[1].id));
    c.createProduct(shop);
    const customer = await prisma.customer.findFirstOrThrow({
      where: { shop: { domain: shop } },
      orderBy: { id: "asc" },
    });
    c.updateCustomer(shop, Number(customer.id), { tags: "wholesale" });

    const result = await runSync(h.deps(shop), { shop, trigger: "manual" });
    expect(result.status).toBe("succeeded");
    expect(result.resources.orders).toMatchObject({ mode: "incremental", fetched: 5, deleted: 1 });
    expect(result.resources.products).toMatchObject({ mode: "incremental", fetched: 2, deleted: 1 });
    expect(result.resources.customers?.mode).toBe("incremental");
    // New orders also touch their customers (orders_count, total_spent).
    expect(result.resources.customers!.fetched).toBeLessThanOrEqual(3);
    expect(result.resources.customers!.fetched).toBeGreaterThanOrEqual(1);
    expect(await storedTotals(prisma, shop)).toEqual(truthTotals(h.sim, shop));
    expect(
      (await prisma.product.findFirstOrThrow({ where: { id: products[0].id, shop: { domain: shop } } })).title,
    ).toBe("Renamed");

    const full = await runSync(h.deps(shop), { shop, trigger: "manual", full: true });
    expect(full.resources.orders).toMatchObject({ mode: "full", fetched: 901 });
    expect(await storedTotals(prisma, shop)).toEqual(truthTotals(h.sim, shop));
  });
});

describe("resuming", () => {
  it("continues from the checkpoint after being stopped mid-run, with no duplicates and fewer calls than a restart", async () => {
    const shop = await h.install({ name: "resume", seed: 13, products: 20, customers: 100, orders: 3000 });
    await stopAfter(shop, "orders", 4);
    const partial = await prisma.order.count({ where: { shop: { domain: shop } } });
    expect(partial).toBeGreaterThanOrEqual(1000);
    expect(partial).toBeLessThan(3000);
    const state = await prisma.syncState.findFirstOrThrow({ where: { resource: "orders", shop: { domain: shop } } });
    expect(state.cursor).toContain("page_info=");

    const resumed = await runSync(h.deps(shop), { shop, trigger: "manual" });
    expect(resumed.status).toBe("succeeded");
    expect(resumed.resources.orders).toMatchObject({ mode: "full", resumed: true });
    expect(resumed.resources.orders!.fetched).toBe(3000 - partial);
    expect(await storedTotals(prisma, shop)).toEqual(truthTotals(h.sim, shop));

    const restart = await runSync(h.deps(shop), { shop, trigger: "manual", full: true });
    expect(resumed.apiCalls).toBeLessThan(restart.apiCalls);
  });
});

describe("deletions", () => {
  const ids = async (shop: string, table: "order" | "product") =>
    (
      await prisma.$queryRawUnsafe<{ id: bigint }[]>(
        `SELECT t.id FROM "${table}" t JOIN shop s ON s.id = t.shop_id WHERE s.domain = $1 ORDER BY t.id LIMIT 3`,
        shop,
      )
    ).map((row) => Number(row.id));

  it("are applied after a first sync that stopped mid-way and resumed, so no figure keeps a deleted order", async () => {
    const shop = await h.install({
      name: "deleted-while-stopped",
      seed: 31,
      products: 20,
      customers: 100,
      orders: 3000,
    });
    await stopAfter(shop, "orders", 3);
    const c = h.sim.control;
    const orders = await ids(shop, "order");
    const [product] = await ids(shop, "product");
    for (const id of orders) c.deleteOrder(shop, id);
    c.deleteProduct(shop, product);

    const resumed = await runSync(h.deps(shop), { shop, trigger: "manual" });
    expect(resumed.status).toBe("succeeded");
    expect(resumed.resources.orders).toMatchObject({ resumed: true, deleted: 3 });
    expect(resumed.resources.products!.deleted).toBe(1);
    expect(await storedTotals(prisma, shop)).toEqual(truthTotals(h.sim, shop));
    const all = { from: "2020-01-01", to: "2029-12-31" };
    const sales = await prisma.$queryRawUnsafe<{ net: string }[]>(
      `SELECT coalesce(sum(gross - discounts - returns), 0)::numeric(20,2)::text AS net
         FROM sales_day d JOIN shop s ON s.id = d.shop_id WHERE s.domain = $1`,
      shop,
    );
    expect(sales[0].net).toBe(h.sim.salesTruth(shop, all).figures.netSales);
  });

  it("are applied after a first sync that failed, by the next run", async () => {
    const shop = await h.install({ name: "deleted-after-failure", seed: 32, products: 10, customers: 50, orders: 800 });
    const c = h.sim.control;
    // Products complete; orders fail: the run fails before it reads any deletion.
    c.addFault({
      kind: "status",
      status: 401,
      shop,
      pathPrefix: `/admin/api/${apiVersion}/orders/count.json`,
      count: 1,
    });
    expect((await runSync(h.deps(shop), { shop, trigger: "manual" })).status).toBe("failed");
    c.clearFaults();
    const [product] = await ids(shop, "product");
    c.deleteProduct(shop, product);
    const next = await runSync(h.deps(shop), { shop, trigger: "manual" });
    expect(next.status).toBe("succeeded");
    expect(next.resources.products!.deleted).toBe(1);
    expect(await storedTotals(prisma, shop)).toEqual(truthTotals(h.sim, shop));
  });

  it("a completed full pass removes what vanished without an event; an interrupted one removes nothing", async () => {
    const shop = await h.install({ name: "reconcile", seed: 33, products: 10, customers: 2500, orders: 300 });
    expect((await runSync(h.deps(shop), { shop, trigger: "manual" })).status).toBe("succeeded");
    // Shopify records no event when a customer is deleted: with the customers/delete webhook lost,
    // only a full pass can notice.
    const idle = await prisma.customer.findFirstOrThrow({
      where: { shop: { domain: shop }, ordersCount: 0 },
      orderBy: { id: "desc" },
    });
    h.sim.control.deleteCustomer(shop, Number(idle.id));
    const incremental = await runSync(h.deps(shop), { shop, trigger: "manual" });
    expect(incremental.resources.customers?.deleted).toBe(0);
    expect(await prisma.customer.count({ where: { shop: { domain: shop }, id: idle.id } })).toBe(1);

    await stopAfter(shop, "customers", 1, true);
    expect(await prisma.customer.count({ where: { shop: { domain: shop }, id: idle.id } })).toBe(1);
    expect(await storedTotals(prisma, shop)).not.toEqual(truthTotals(h.sim, shop));

    const completed = await runSync(h.deps(shop), { shop, trigger: "manual" });
    expect(completed.resources.customers).toMatchObject({ mode: "full", resumed: true, deleted: 1 });
    expect(await prisma.customer.count({ where: { shop: { domain: shop }, id: idle.id } })).toBe(0);
    expect(await storedTotals(prisma, shop)).toEqual(truthTotals(h.sim, shop));
  });
});

describe("faults", () => {
  it("ends exact through bursts of 429, 5xx, timeouts, resets and malformed pages", async () => {
    const shop = await h.install({ name: "faulty", seed: 14, products: 25, customers: 150, orders: 1200 });
    const c = h.sim.control;
    c.addFault({ kind: "rate_limit", shop, count: 3 });
    c.addFault({ kind: "status", status: 503, shop, pathPrefix: `/admin/api/${apiVersion}/orders.json`, count: 2 });
    c.addFault({ kind: "status", status: 500, shop, pathPrefix: `/admin/api/${apiVersion}/customers.json`, count: 1 });
    c.addFault({ kind: "timeout", shop, pathPrefix: `/admin/api/${apiVersion}/orders.json`, count: 1 });
    c.addFault({ kind: "reset", shop, pathPrefix: `/admin/api/${apiVersion}/products.json`, count: 1 });
    c.addFault({ kind: "truncate", shop, pathPrefix: `/admin/api/${apiVersion}/orders.json`, count: 1 });
    c.addFault({ kind: "malformed", shop, pathPrefix: `/admin/api/${apiVersion}/customers.json`, count: 1 });
    const result = await runSync(h.deps(shop), { shop, trigger: "manual" });
    c.clearFaults();
    expect(result.status).toBe("succeeded");
    expect(result.throttled).toBeGreaterThanOrEqual(1);
    expect(result.retries).toBeGreaterThanOrEqual(7);
    expect(await storedTotals(prisma, shop)).toEqual(truthTotals(h.sim, shop));
  });

  it("backs off before reading a malformed page again, as it does for any retryable failure", async () => {
    const shop = await h.install({ name: "garbled", seed: 17, products: 3, customers: 3, orders: 30 });
    h.sim.control.addFault({ kind: "malformed", shop, pathPrefix: `/admin/api/${apiVersion}/orders.json`, count: 4 });
    const retries: { reason: string; delayMs: number }[] = [];
    const client = new AdminRestClient({
      shop,
      apiVersion,
      token: { get: async () => h.tokens.get(shop)! },
      backoff: { baseMs: 40, maxMs: 1000 },
      onRetry: ({ reason, delayMs }) => retries.push({ reason, delayMs }),
    });
    const started = performance.now();
    let orders = 0;
    for await (const page of client.pages<{ orders: unknown[] }>("orders.json", { limit: 250, status: "any" })) {
      orders += page.body.orders.length;
    }
    const elapsed = performance.now() - started;
    h.sim.control.clearFaults();
    expect(orders).toBe(30);
    expect(retries).toHaveLength(4);
    // Capped exponential with jitter: attempt n waits between base·2ⁿ/2 and base·2ⁿ.
    retries.forEach(({ delayMs }, n) => {
      expect(delayMs).toBeGreaterThanOrEqual((40 * 2 ** n) / 2);
      expect(delayMs).toBeLessThanOrEqual(40 * 2 ** n);
    });
    expect(elapsed).toBeGreaterThanOrEqual(retries.reduce((sum, r) => sum + r.delayMs, 0));
  });

  it("fails the run with a clear error when the token is revoked", async () => {
    const shop = await h.install({ name: "revoked", seed: 15, products: 5, customers: 5, orders: 5 });
    h.sim.control.addFault({ kind: "revoke_token", shop });
    const result = await runSync(h.deps(shop), { shop, trigger: "manual" });
    h.sim.control.clearFaults();
    expect(result.status).toBe("failed");
    expect(result.error).toMatch(/401/);
  });
});

describe("protected customer data", () => {
  it("marks the run partial with a warning; products and orders stay exact and keep customer ids", async () => {
    const shop = await h.install({
      name: "no-pcd",
      seed: 16,
      products: 20,
      customers: 120,
      orders: 700,
      protectedCustomerData: false,
    });
    const result = await runSync(h.deps(shop), { shop, trigger: "manual" });
    expect(result.status).toBe("partial");
    expect(result.warnings).toContain(PROTECTED_DATA_WARNING);
    expect(result.resources.customers?.status).toBe("forbidden");
    expect(await storedTotals(prisma, shop)).toEqual(truthTotals(h.sim, shop, { customers: false }));
    const withCustomer = await prisma.order.count({ where: { shop: { domain: shop }, customerId: { not: null } } });
    expect(withCustomer).toBeGreaterThan(0);
    expect(await prisma.order.count({ where: { shop: { domain: shop }, email: { not: null } } })).toBe(0);
    expect((await prisma.shop.findUniqueOrThrow({ where: { domain: shop } })).protectedCustomerData).toBe(false);
  });
});

describe("tenancy", () => {
  it("keeps two shops syncing at once apart", async () => {
    const a = await h.install({ name: "tenant-a", seed: 17, products: 15, customers: 80, orders: 600 });
    const b = await h.install({ name: "tenant-b", seed: 18, products: 25, customers: 60, orders: 800 });
    const [ra, rb] = await Promise.all([
      runSync(h.deps(a), { shop: a, trigger: "manual" }),
      runSync(h.deps(b), { shop: b, trigger: "manual" }),
    ]);
    expect([ra.status, rb.status]).toEqual(["succeeded", "succeeded"]);
    expect(await storedTotals(prisma, a)).toEqual(truthTotals(h.sim, a));
    expect(await storedTotals(prisma, b)).toEqual(truthTotals(h.sim, b));
  });
});

describe("a sync meeting pages too large to decode", () => {
  it("halves the page size until pages decode, and ends exact", async () => {
    const shop = await h.install({ name: "wholesale", seed: 77, products: 30, customers: 200, orders: 700 });
    // A decoder that can hold at most 100 orders a page.
    const pageSizes: number[] = [];
    const decoder: PageDecoder = {
      async decode(resource, bytes) {
        const page = await inlineDecoder.decode(resource, bytes);
        if (resource === "orders") {
          if (page.fetched > 100) throw new PageTooLargeError(`${page.fetched} orders`);
          pageSizes.push(page.fetched);
        }
        return page;
      },
    };
    h.sim.control.resetStats();
    const result = await runSync(h.deps(shop, { decoder }), { shop, trigger: "manual" });

    expect(result.status).toBe("succeeded");
    expect(await storedTotals(prisma, shop)).toEqual(truthTotals(h.sim, shop));
    // 250 → 125 → 62 records a page, and the pages after keep the smaller size.
    expect(pageSizes).toEqual([62, 62, 62, 62, 62, 62, 62, 62, 62, 62, 62, 18]);
    expect(result.resources.orders).toMatchObject({ pages: 12, fetched: 700, written: 700 });
    expect(result.retries).toBe(2);
  });
});
