import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "../../app/db.server.ts";
import { redactCustomer } from "../../app/ingest/compliance.server.ts";
import { customerDetail, customerList } from "../../app/insights/customers.server.ts";
import { InsightsInputError, NotFoundError } from "../../app/insights/errors.ts";
import { todayIn } from "../../app/insights/range.ts";
import { runSync } from "../../app/ingest/sync.server.ts";
import { startHarness, type Harness } from "../support/ingest-harness.ts";
import { startAppServer, type AppServer } from "../support/app-server.ts";
import { embeddedPage, installSynced, walkPages } from "../support/embedded.ts";
import { newestFirst, shopifyCustomers, shopifyOrders } from "../support/shopify-records.ts";

// The Customers page's reads against the simulator's store: every customer once across pages,
// lifetime figures equal to the simulator's own sales-report truth, search, a redacted customer
// shown as redacted, and one shop never reaching another's customers. Expected lists come from
// Shopify's records (the simulator's store), never from the stored rows.

let app: AppServer;
let h: Harness;
const shops = { a: "", b: "" };
const TIMEZONE = "Europe/Paris";

beforeAll(async () => {
  app = await startAppServer();
  h = await startHarness(prisma, [], { rateLimits: false });
  for (const [key, seed, customers] of [
    ["a", 91, 130],
    ["b", 92, 30],
  ] as const) {
    shops[key] = await installSynced(h, {
      name: `customers-${key}`,
      seed,
      products: 12,
      customers,
      orders: 400,
      days: 150,
      timezone: TIMEZONE,
      currency: "EUR",
    });
  }
});

afterAll(async () => {
  await h?.close();
  await app?.close();
  await prisma.$disconnect();
});

const list = (shop: string, query: Record<string, string> = {}) => customerList(shop, new URLSearchParams(query));

const walk = (shop: string, query: Record<string, string>, between?: () => Promise<void>) =>
  walkPages((q) => list(shop, q), query, between);

/** The simulator's lifetime figures per customer: its sales-report truth over all its history. */
function lifetimeTruth(shop: string) {
  const truth = h.sim.salesTruth(shop, { from: "2025-01-01", to: todayIn(TIMEZONE, new Date()) });
  return new Map(truth.byCustomer.map((c) => [String(c.customerId), c]));
}

/** The shop's customers as Shopify has them, newest (highest id) first. */
const shopify = (shop: string) => shopifyCustomers(h.sim, shop).sort((x, y) => Number(y.id) - Number(x.id));

describe("the customers list", () => {
  it("pages through every customer newest first, then back", async () => {
    const customers = shopify(shops.a);
    expect(customers).toHaveLength(130);
    const seen = await walk(shops.a, {});
    expect(seen.map((r) => [r.id, r.name, r.email, r.redacted])).toEqual(
      customers.map((c) => [
        String(c.id),
        [c.first_name, c.last_name].filter(Boolean).join(" ") || null,
        c.email ?? null,
        false,
      ]),
    );
    const second = await list(shops.a, { after: (await list(shops.a, {})).nextCursor! });
    const first = await list(shops.a, { before: second.previousCursor! });
    expect(first.rows.map((r) => r.id)).toEqual(seen.slice(0, 50).map((r) => r.id));
  });

  it("ranks customers who ordered by lifetime net sales, equal to the simulator's truth", async () => {
    const truth = lifetimeTruth(shops.a);
    const ranked = await walk(shops.a, { sort: "net_sales" });
    const expected = [...truth.values()]
      .filter((c) => c.orders > 0)
      .sort((x, y) => Number(y.netSales) - Number(x.netSales) || y.customerId - x.customerId);
    expect(ranked.map((r) => [r.id, r.netSales, r.orders])).toEqual(
      expected.map((c) => [String(c.customerId), c.netSales, c.orders]),
    );
  });

  it("finds customers by part of a name or email, whatever the case, and takes wildcards literally", async () => {
    const customers = shopify(shops.a);
    const customer = customers.filter((c) => c.email && c.last_name)[7];
    const byEmail = await list(shops.a, { q: customer.email.toUpperCase() });
    expect(byEmail.rows.map((r) => r.id)).toEqual([String(customer.id)]);
    // A name's part matches wherever it is in the name or the email, as Shopify's records have them.
    const part = String(customer.last_name).slice(0, 4).toLowerCase();
    const byName = await walk(shops.a, { q: part });
    const matching = customers.filter((c) =>
      [c.first_name ?? "", c.last_name ?? "", c.email ?? ""].join(" ").toLowerCase().includes(part),
    );
    expect(matching.map((c) => String(c.id))).toContain(String(customer.id));
    expect(byName.map((r) => r.id)).toEqual(matching.map((c) => String(c.id)));
    for (const q of ["%", "_", "'; DROP TABLE customer; --", "客户"])
      expect((await list(shops.a, { q })).rows).toEqual([]);
    await expect(list(shops.a, { q: "a\u0007b" })).rejects.toThrow(InsightsInputError);
    await expect(list(shops.a, { sort: "spent" })).rejects.toThrow(InsightsInputError);
    await expect(list(shops.a, { after: "x.y" })).rejects.toThrow(InsightsInputError);
    const page = await list(shops.a, {});
    await expect(list(shops.a, { sort: "net_sales", after: page.nextCursor! })).rejects.toThrow(InsightsInputError);
    await expect(list(shops.b, { after: page.nextCursor! })).rejects.toThrow(InsightsInputError);
  });
});

describe("a customer's detail", () => {
  it("has the simulator's lifetime net sales and orders, and their orders newest first", async () => {
    const truth = lifetimeTruth(shops.a);
    const [best] = [...truth.values()].sort((x, y) => y.orders - x.orders);
    const detail = await customerDetail(shops.a, String(best.customerId));
    expect([detail.netSales, detail.orders]).toEqual([best.netSales, best.orders]);
    const theirs = newestFirst(shopifyOrders(h.sim, shops.a).filter((o) => o.customer?.id === best.customerId));
    expect(theirs.length).toBeGreaterThan(1);
    expect(detail.recentOrders.map((o) => o.id)).toEqual(theirs.slice(0, 50).map((o) => String(o.id)));
    expect(detail.firstOrderDay).not.toBeNull();
  });

  it("shows a redacted customer as redacted, in the list and on their page", async () => {
    const [customer] = await prisma.customer.findMany({ where: { shop: { domain: shops.b } }, take: 1 });
    await redactCustomer(prisma, shops.b, { customer: { id: customer.id.toString() } });
    const detail = await customerDetail(shops.b, customer.id.toString());
    expect(detail).toMatchObject({ redacted: true, name: null, email: null, phone: null, location: null });
    const row = (await walk(shops.b, {})).find((r) => r.id === customer.id.toString())!;
    expect(row).toMatchObject({ redacted: true, name: null, email: null });
  });

  it("is not found for another shop's customer, an unknown id or not an id", async () => {
    const [other] = await prisma.customer.findMany({ where: { shop: { domain: shops.b } }, take: 1 });
    for (const id of [other.id.toString(), "1", "abc", "-1", "1.5"]) {
      await expect(customerDetail(shops.a, id)).rejects.toThrow(NotFoundError);
    }
  });

  it("over HTTP: lists a shop's own customers and answers another shop's customer with a 404 page", async () => {
    const page = (path: string) => embeddedPage(app.url, shops.a, path);
    const [theirs] = await prisma.customer.findMany({ where: { shop: { domain: shops.b } }, take: 1 });
    const listed = await page("/app/customers");
    expect(listed.status).toBe(200);
    expect(await listed.text()).not.toContain(`/app/customers/${theirs.id}`);
    const foreign = await page(`/app/customers/${theirs.id}`);
    expect(foreign.status).toBe(404);
    expect(await foreign.text()).toContain("Customer not found");
  });
});

describe("a customer's figures after their orders change", () => {
  it("come from the stored orders, not Shopify's denormalized orders_count and total_spent", async () => {
    const truth = lifetimeTruth(shops.a);
    const [best] = [...truth.values()].sort((x, y) => y.orders - x.orders);
    const orders = await prisma.order.findMany({
      where: { shop: { domain: shops.a }, customerId: BigInt(best.customerId), cancelledAt: null, test: false },
      orderBy: { id: "asc" },
      take: 3,
    });
    expect(orders).toHaveLength(3);
    const c = h.sim.control;
    c.cancelOrder(shops.a, Number(orders[0].id), { reason: "customer", refund: true });
    c.refundOrder(shops.a, Number(orders[1].id), { amount: "2.00" });
    c.deleteOrder(shops.a, Number(orders[2].id));
    const result = await runSync(h.deps(shops.a), { shop: shops.a, trigger: "manual" });
    expect(result.status).toBe("succeeded");

    const after = lifetimeTruth(shops.a).get(String(best.customerId))!;
    expect(after.orders).toBe(best.orders - 1);
    const detail = await customerDetail(shops.a, String(best.customerId));
    expect([detail.netSales, detail.orders]).toEqual([after.netSales, after.orders]);
    const row = (await walk(shops.a, { sort: "net_sales" })).find((r) => r.id === String(best.customerId))!;
    expect(row.netSales).toBe(after.netSales);
  });
});
