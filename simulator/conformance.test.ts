/* eslint-disable @typescript-eslint/no-explicit-any -- JSON payloads */
import "@shopify/shopify-api/adapters/node";
import { Session } from "@shopify/shopify-api";
import { setGlobalDispatcher } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator } from "./index.ts";
import type { GroundTruth, Simulator } from "./index.ts";
import { shopifyLibrary } from "../tests/support/simulator-client.ts";

const KEY = "conf-key";
const SECRET = "conf-secret";
let sim: Simulator;

function cents(s: string | number): number {
  const [w, f = ""] = String(s).split(".");
  const sign = w.startsWith("-") ? -1 : 1;
  return sign * (Math.abs(Number(w)) * 100 + Number((f + "00").slice(0, 2)));
}
function money(c: number): string {
  return `${c < 0 ? "-" : ""}${Math.floor(Math.abs(c) / 100)}.${String(Math.abs(c) % 100).padStart(2, "0")}`;
}
function localDate(iso: string, tz: string): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: tz, year: "numeric", month: "2-digit", day: "2-digit" }).format(
    new Date(iso),
  );
}

beforeAll(async () => {
  sim = await startSimulator({
    apps: [{ apiKey: KEY, apiSecret: SECRET, scopes: ["read_orders", "read_products", "read_customers"] }],
    shops: [
      {
        name: "conform",
        seed: 11,
        orders: 1500,
        customers: 400,
        products: 80,
        days: 400,
        plan: "basic",
        timezone: "America/Los_Angeles",
      },
    ],
  });
  setGlobalDispatcher(sim.dispatcher());
});
afterAll(() => sim.close());

describe("conformance with @shopify/shopify-api's REST client", () => {
  it("fetches every order with pageInfo.nextPage and retries, matching the ground truth", async () => {
    const shopify = shopifyLibrary(KEY, SECRET);
    const { accessToken } = sim.installApp("conform", KEY);
    const session = new Session({
      id: "offline_conform.myshopify.com",
      shop: "conform.myshopify.com",
      state: "",
      isOnline: false,
      accessToken,
    });
    const client = new shopify.clients.Rest({ session });
    // transient failures the client must retry through
    sim.control.addFault({
      kind: "status",
      status: 503,
      shop: "conform",
      pathPrefix: "/admin/api/2026-01/orders",
      count: 1,
    });
    sim.control.addFault({ kind: "rate_limit", shop: "conform", pathPrefix: "/admin/api/2026-01/orders", count: 1 });
    sim.control.addFault({
      kind: "status",
      status: 500,
      shop: "conform",
      pathPrefix: "/admin/api/2026-01/orders",
      count: 1,
    });
    const orders: any[] = [];
    let params: { path: string; query: Record<string, string | number> } | undefined = {
      path: "orders",
      query: { status: "any", limit: 250 },
    };
    let pages = 0;
    while (params) {
      const res: any = await client.get({ path: params.path, query: params.query, tries: 4 });
      orders.push(...res.body.orders);
      pages++;
      params = res.pageInfo?.nextPage;
    }
    expect(pages).toBe(6);
    expect(sim.control.faults().every((f) => f.remaining === 0)).toBe(true);
    const truth: GroundTruth = sim.truth("conform");
    expect(orders.length).toBe(truth.counts.orders);
    expect(new Set(orders.map((o) => o.id)).size).toBe(orders.length);

    // recompute the dashboard sums from the API payloads alone
    const tz = "America/Los_Angeles";
    let gross = 0,
      refunds = 0,
      counted = 0,
      lineItems = 0,
      refundCount = 0;
    const byDay = new Map<string, { gross: number; refunds: number; orders: number }>();
    const byProduct = new Map<string, number>();
    const byCustomer = new Map<string, number>();
    for (const o of orders) {
      lineItems += o.line_items.length;
      refundCount += o.refunds.length;
      expect(o.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}-0[78]:00$/);
      expect(typeof o.total_price).toBe("string");
      if (o.test || o.cancelled_at) continue;
      counted++;
      const refunded = o.refunds
        .flatMap((r: any) => r.transactions)
        .filter((t: any) => t.kind === "refund" && t.status === "success")
        .reduce((a: number, t: any) => a + cents(t.amount), 0);
      const total = cents(o.total_price);
      expect(total).toBe(
        cents(o.subtotal_price) + cents(o.total_tax) + cents(o.total_shipping_price_set.shop_money.amount),
      );
      gross += total;
      refunds += refunded;
      const day = localDate(o.processed_at, tz);
      const d = byDay.get(day) ?? { gross: 0, refunds: 0, orders: 0 };
      d.gross += total;
      d.refunds += refunded;
      d.orders++;
      byDay.set(day, d);
      for (const li of o.line_items) {
        const disc = li.discount_allocations.reduce((a: number, x: any) => a + cents(x.amount), 0);
        byProduct.set(li.product_id, (byProduct.get(li.product_id) ?? 0) + cents(li.price) * li.quantity - disc);
      }
      if (o.customer) byCustomer.set(o.customer.id, (byCustomer.get(o.customer.id) ?? 0) + total - refunded);
    }
    expect(truth.totals.gross).toBe(money(gross));
    expect(truth.totals.refunds).toBe(money(refunds));
    expect(truth.totals.net).toBe(money(gross - refunds));
    expect(truth.totals.orders).toBe(counted);
    expect(truth.counts.lineItems).toBe(lineItems);
    expect(truth.counts.refunds).toBe(refundCount);
    expect(truth.counts.cancelledOrders).toBeGreaterThan(0);
    expect(truth.counts.testOrders).toBeGreaterThan(0);
    expect(refunds).toBeGreaterThan(0);
    expect(truth.byDay.map((d) => [d.date, d.gross, d.refunds, d.orders])).toEqual(
      [...byDay.entries()]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([date, d]) => [date, money(d.gross), money(d.refunds), d.orders]),
    );
    expect(truth.byProduct.map((p) => [String(p.productId), p.revenue])).toEqual(
      [...byProduct.entries()].sort(([a], [b]) => (BigInt(a) < BigInt(b) ? -1 : 1)).map(([id, c]) => [id, money(c)]),
    );
    expect(truth.byCustomer.map((c) => [String(c.customerId), c.net])).toEqual(
      [...byCustomer.entries()].sort(([a], [b]) => (BigInt(a) < BigInt(b) ? -1 : 1)).map(([id, c]) => [id, money(c)]),
    );
    const sumNew = truth.byDay.reduce((a, d) => a + d.newCustomers, 0);
    expect(sumNew).toBe(truth.totals.newCustomers);
    expect(truth.totals.newCustomers).toBe(byCustomer.size);
    expect(truth.totals.averageOrderValue).toBe(money(Math.round((gross - refunds) / counted)));
  });
});
