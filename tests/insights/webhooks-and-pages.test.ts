import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "../../app/db.server.ts";
import { runSync } from "../../app/ingest/sync.server.ts";
import { overviewReport } from "../../app/insights/overview.server.ts";
import { todayIn } from "../../app/insights/range.ts";
import { formatMoney } from "../../app/components/format.ts";
import { apiKey, startHarness, type Harness } from "../support/ingest-harness.ts";
import { startAppServer, type AppServer } from "../support/app-server.ts";
import { embeddedPage, storeOfflineSession } from "../support/embedded.ts";
import { webhookSubscriptions } from "../../scripts/lib/webhook-subscriptions.ts";

// Figures after Shopify's webhooks (created, refunded, cancelled, deleted and test orders, delivered
// twice and newest first), and the pages over HTTP: each shop sees its own figures only, and bad
// parameters get a 400 with a message.

let app: AppServer;
let h: Harness;
const TIMEZONE = "America/Los_Angeles";

beforeAll(async () => {
  app = await startAppServer();
  h = await startHarness(prisma, [], {
    rateLimits: false,
    webhookRetry: { attempts: 5, baseDelayMs: 20, timeoutMs: 5000 },
    webhooks: webhookSubscriptions(app.url),
  });
});

afterAll(async () => {
  await h?.close();
  await app?.close();
  await prisma.$disconnect();
});

async function figuresEqualTruth(shop: string, from: string) {
  const to = todayIn(TIMEZONE, new Date());
  const got = await overviewReport(shop, new URLSearchParams({ range: "custom", from, to, compare: "none" }));
  const truth = h.sim.salesTruth(shop, { from, to });
  expect(got.current).toEqual(truth.figures);
  expect(got.customers).toEqual(truth.customers);
  expect(got.topCustomers!.map((c) => c.netSales)).toEqual(
    truth.byCustomer
      .map((c) => c.netSales)
      .sort((a, b) => Number(b) - Number(a))
      .slice(0, 10),
  );
  return got;
}

describe("figures after webhooks", () => {
  it("equal the truth after orders are created, refunded, cancelled, deleted and flagged test", async () => {
    const shop = await h.install({
      name: "hooked-figures",
      seed: 51,
      products: 15,
      customers: 60,
      orders: 300,
      days: 90,
      timezone: TIMEZONE,
      currency: "CAD",
    });
    expect((await runSync(h.deps(shop), { shop, trigger: "manual" })).status).toBe("succeeded");
    const before = await figuresEqualTruth(shop, "2026-07-01");

    const c = h.sim.control;
    // Each delivered twice, newest first.
    c.setWebhooks(apiKey, webhookSubscriptions(app.url), { duplicates: true, shuffle: true });
    const ids = (
      await prisma.order.findMany({ where: { shop: { domain: shop } }, orderBy: { id: "desc" }, take: 5 })
    ).map((o) => Number(o.id));
    const variant = h.sim.salesTruth(shop, { from: "2026-07-01", to: "2026-07-01" }).inventory[0].variantId;
    const customer = h.sim.truth(shop).byCustomer[0].customerId;
    const created = c.createOrder(shop, { line_items: [{ variant_id: variant, quantity: 3 }], customer_id: customer });
    c.refundOrder(shop, Number(created.id), {
      lineItems: [{ lineItemId: Number((created.line_items as { id: number }[])[0].id), quantity: 1 }],
    });
    c.refundOrder(shop, ids[0], { amount: "2.00" });
    c.cancelOrder(shop, ids[1], { refund: true });
    c.deleteOrder(shop, ids[2]);
    c.updateOrder(shop, ids[3], { test: true });
    await c.flushWebhooks();
    expect(c.deliveries({ shop }).every((d) => d.state === "delivered")).toBe(true);

    const after = await figuresEqualTruth(shop, "2026-07-01");
    expect(after.current.orders).toBe(before.current.orders + 1 - 2);
    c.setWebhooks(apiKey, webhookSubscriptions(app.url));
  });
});

const escapeHtml = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

describe("pages over HTTP", () => {
  const shops = ["page-a", "page-b"].map((name) => `${name}.myshopify.com`);

  beforeAll(async () => {
    for (const [i, name] of ["page-a", "page-b"].entries()) {
      const shop = await h.install({ name, seed: 60 + i, products: 8, customers: 30, orders: 120 + 80 * i, days: 60 });
      expect((await runSync(h.deps(shop), { shop, trigger: "manual" })).status).toBe("succeeded");
      await storeOfflineSession(h, shop);
    }
  });

  const page = (shop: string, path: string, query: Record<string, string> = {}) =>
    embeddedPage(app.url, shop, path, query);

  it("shows a shop its own figures, whatever shop another parameter names", async () => {
    const [a, b] = shops;
    const range = { range: "custom", from: "2026-08-01", to: "2026-11-01", compare: "none" };
    const truthA = h.sim.salesTruth(a, range);
    const truthB = h.sim.salesTruth(b, range);
    expect(truthA.figures.orders).not.toBe(truthB.figures.orders);
    const money = (amount: string) => formatMoney(amount, { locale: "en", currency: "USD" });
    const response = await page(a, "/app", range);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain(money(truthA.figures.totalSales));
    expect(html).not.toContain(money(truthB.figures.totalSales));
    // In Shopify admin: Shopify's App Bridge and Inter font, and the app's own icon.
    expect(html).toContain("https://cdn.shopify.com/shopifycloud/app-bridge.js");
    expect(html).toContain("https://cdn.shopify.com/static/fonts/inter/v4/styles.css");
    expect(html).toContain('href="/favicon.svg"');
    // A session token for shop A with shop B in the URL is not a way into shop B.
    const crossed = await page(a, "/app", { ...range, shop: b });
    expect(await crossed.text()).not.toContain(money(truthB.figures.totalSales));
  });

  it.each([
    [{ range: "last_week" }, /range/i],
    [{ range: "custom", from: "2026-10-10", to: "2026-10-01" }, /before|after|reversed|earlier/i],
    [{ range: "last_30_days", compare: "bogus" }, /compar/i],
  ])("answers %o with a 400 and a message, as data and as a page", async (query, message) => {
    const data = await page(shops[0], "/app.data", query);
    expect(data.status).toBe(400);
    const error = (await overviewReport(shops[0], new URLSearchParams(query)).catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(message);
    expect(await data.text()).toContain(JSON.stringify(error.message));
    const document = await page(shops[0], "/app", query);
    expect(document.status).toBe(400);
    const html = await document.text();
    expect(html).toContain(escapeHtml(error.message).slice(0, 40));
    expect(html).not.toMatch(/at \w+ \(.*\.ts:\d+/); // no stack trace
  });

  it("answers a bad inventory query with a 400 and a message", async () => {
    const data = await page(shops[0], "/app/inventory.data", { sort: "price; DROP TABLE" });
    expect(data.status).toBe(400);
    expect(await data.text()).toMatch(/sort/);
    const document = await page(shops[0], "/app/inventory", { page: "0" });
    expect(document.status).toBe(400);
    expect(await document.text()).toContain("page");
  });
});
