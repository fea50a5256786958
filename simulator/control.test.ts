/* eslint-disable @typescript-eslint/no-explicit-any -- JSON payloads */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator } from "./index.ts";
import type { Simulator } from "./index.ts";
import { admin, control, fetchAll } from "../tests/support/simulator-client.ts";

let sim: Simulator;
let token: string;

function cents(s: string): number {
  const [w, f = ""] = s.split(".");
  const sign = w.startsWith("-") ? -1 : 1;
  return sign * (Math.abs(Number(w)) * 100 + Number((f + "00").slice(0, 2)));
}

beforeAll(async () => {
  sim = await startSimulator({
    apps: [{ apiKey: "c", apiSecret: "cs", scopes: ["read_orders", "read_products", "read_customers"] }],
    shops: [{ name: "ctl", seed: 21, orders: 400, customers: 80, products: 20, plan: "unlimited" }],
  });
  token = sim.installApp("ctl", "c").accessToken;
});
afterAll(() => sim.close());

// Over 120 lines as the list of its tests, each of them short: they share the simulator above.
describe("control surface", () => {
  it("creates, updates and deletes orders with events, updated_at bumps and truth changes", async () => {
    const before = sim.truth("ctl");
    const products = await fetchAll(sim, "ctl", "products", "limit=250", token);
    const variant = products[0].variants[0];
    const customers = await fetchAll(sim, "ctl", "customers", "limit=250", token);
    const cust = customers[5];
    const created = await control(sim, "POST", "shops/ctl/orders", {
      line_items: [{ variant_id: variant.id, quantity: 2 }],
      customer_id: cust.id,
      shipping_lines: [{ title: "Ship", price: "5.00" }],
    });
    expect(created.status).toBe(200);
    const order = created.json;
    expect(order.line_items[0].variant_id).toBe(variant.id);
    expect(order.customer.id).toBe(cust.id);
    const expectedSubtotal = cents(variant.price) * 2;
    expect(cents(order.subtotal_price)).toBe(expectedSubtotal);
    expect(cents(order.total_price)).toBe(expectedSubtotal + 500 + cents(order.total_tax));
    const after = sim.truth("ctl");
    expect(cents(after.totals.gross) - cents(before.totals.gross)).toBe(cents(order.total_price));
    expect(after.counts.orders).toBe(before.counts.orders + 1);
    const events = await admin(sim, "ctl", "events.json?filter=Order&verb=create", token);
    expect(events.json.events.map((e: any) => e.subject_id)).toContain(order.id);

    // update bumps updated_at and is visible to updated_at_min syncs
    const old = (await admin(sim, "ctl", "orders.json?status=any&limit=1", token)).json.orders[0];
    const mark = old.updated_at;
    const upd = await control(sim, "PUT", `shops/ctl/orders/${old.id}`, { note: "gift", tags: ["a", "b"] });
    expect(upd.json.note).toBe("gift");
    expect(upd.json.tags).toBe("a, b");
    expect(Date.parse(upd.json.updated_at)).toBeGreaterThan(Date.parse(mark));
    const changed = await fetchAll(
      sim,
      "ctl",
      "orders",
      `status=any&limit=250&updated_at_min=${encodeURIComponent(upd.json.updated_at)}`,
      token,
    );
    expect(changed.map((o) => o.id)).toContain(old.id);

    // refund reduces net revenue by the refund amount
    const t0 = sim.truth("ctl");
    const refunded = await control(sim, "POST", `shops/ctl/orders/${order.id}/refund`, {
      lineItems: [{ lineItemId: order.line_items[0].id, quantity: 1 }],
    });
    expect(refunded.status).toBe(200);
    expect(refunded.json.financial_status).toBe("partially_refunded");
    const refund = refunded.json.refunds.at(-1);
    expect(refund.refund_line_items[0].quantity).toBe(1);
    const amount = cents(refund.transactions[0].amount);
    const t1 = sim.truth("ctl");
    expect(cents(t0.totals.net) - cents(t1.totals.net)).toBe(amount);
    expect(cents(refunded.json.current_total_price)).toBe(cents(order.total_price) - amount);

    // cancelling removes it from the counted orders
    const cancelled = await control(sim, "POST", `shops/ctl/orders/${order.id}/cancel`, { reason: "customer" });
    expect(cancelled.json.cancel_reason).toBe("customer");
    const t2 = sim.truth("ctl");
    expect(t2.totals.orders).toBe(t1.totals.orders - 1);
    expect(t2.counts.cancelledOrders).toBe(t1.counts.cancelledOrders + 1);

    // deletion is discoverable through events.json
    const since = (await admin(sim, "ctl", "events/count.json", token)).json.count;
    expect(since).toBeGreaterThan(0);
    const del = await control(sim, "DELETE", `shops/ctl/orders/${order.id}`);
    expect(del.status).toBe(200);
    expect((await admin(sim, "ctl", `orders/${order.id}.json`, token)).status).toBe(404);
    const destroyed = await admin(sim, "ctl", "events.json?filter=Order,Product&verb=destroy", token);
    const ev = destroyed.json.events.find((e: any) => e.subject_id === order.id);
    expect(ev).toMatchObject({ subject_type: "Order", verb: "destroy" });
    expect(ev.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/);
    const recent = await admin(
      sim,
      "ctl",
      `events.json?verb=destroy&created_at_min=${encodeURIComponent(ev.created_at)}`,
      token,
    );
    expect(recent.json.events.length).toBeGreaterThan(0);
    expect(sim.truth("ctl").counts.orders).toBe(before.counts.orders);
  });

  it("keeps customer orders_count and total_spent consistent with their orders", async () => {
    const orders = await fetchAll(sim, "ctl", "orders", "status=any&limit=250", token);
    const customers = await fetchAll(sim, "ctl", "customers", "limit=250", token);
    const counts = new Map<number, number>();
    const spent = new Map<number, number>();
    for (const o of orders) {
      if (!o.customer) continue;
      counts.set(o.customer.id, (counts.get(o.customer.id) ?? 0) + 1);
      if (o.test || o.cancelled_at) continue;
      const refunded = o.refunds
        .flatMap((r: any) => r.transactions)
        .filter((t: any) => t.kind === "refund" && t.status === "success")
        .reduce((a: number, t: any) => a + cents(t.amount), 0);
      spent.set(o.customer.id, (spent.get(o.customer.id) ?? 0) + cents(o.total_price) - refunded);
    }
    for (const c of customers) {
      expect(c.orders_count).toBe(counts.get(c.id) ?? 0);
      expect(cents(c.total_spent)).toBe(spent.get(c.id) ?? 0);
    }
  });

  it("manages products and customers, plan, scopes and protected data", async () => {
    const p = await control(sim, "POST", "shops/ctl/products", {
      title: "Control Mug",
      variants: [{ price: "9.99", sku: "CM-1", inventory_quantity: 4 }],
    });
    expect(p.json.variants[0].price).toBe("9.99");
    const upd = await control(sim, "PUT", `shops/ctl/products/${p.json.id}`, {
      variants: [{ id: p.json.variants[0].id, price: "11.00" }],
    });
    expect(upd.json.variants[0].price).toBe("11.00");
    const got = await admin(sim, "ctl", `products/${p.json.id}.json`, token);
    expect(got.json.product.variants[0].price).toBe("11.00");
    const order = await control(sim, "POST", "shops/ctl/orders", {
      line_items: [{ variant_id: p.json.variants[0].id, quantity: 1 }],
    });
    expect(order.json.line_items[0].price).toBe("11.00");
    expect(order.json.customer).toBeUndefined();
    expect((await control(sim, "DELETE", `shops/ctl/products/${p.json.id}`)).status).toBe(200);
    expect((await admin(sim, "ctl", `products/${p.json.id}.json`, token)).status).toBe(404);
    const c = await control(sim, "POST", "shops/ctl/customers", {
      first_name: "Ada",
      last_name: "L",
      email: "ada@example.com",
    });
    expect(c.json.orders_count).toBe(0);
    const withOrder = await control(sim, "POST", "shops/ctl/orders", { customer_id: c.json.id });
    expect(withOrder.json.customer.email).toBe("ada@example.com");
    const blocked = await control(sim, "DELETE", `shops/ctl/customers/${c.json.id}`);
    expect(blocked.status).toBe(422);
    expect((await control(sim, "PUT", "shops/ctl/plan", { plan: "shopify_plus" })).status).toBe(200);
    const shop = await admin(sim, "ctl", "shop.json", token);
    expect(shop.json.shop.plan_name).toBe("shopify_plus");
    expect(shop.headers["x-shopify-shop-api-call-limit"]).toMatch(/\/400$/);
    expect((await control(sim, "PUT", "shops/ctl/plan", { plan: "nope" })).status).toBe(422);
    await control(sim, "PUT", "shops/ctl/protected-customer-data", { approved: false });
    expect((await admin(sim, "ctl", "customers.json", token)).status).toBe(403);
    await control(sim, "PUT", "shops/ctl/protected-customer-data", { approved: true });
    await control(sim, "PUT", "shops/ctl/apps/c/scopes", { scopes: ["read_products"] });
    expect((await admin(sim, "ctl", "orders.json", token)).status).toBe(403);
    await control(sim, "PUT", "shops/ctl/apps/c/scopes", {
      scopes: ["read_orders", "read_products", "read_customers"],
    });
    const truth = await control(sim, "GET", "shops/ctl/truth");
    expect(truth.json.counts.orders).toBe(sim.truth("ctl").counts.orders);
    const added = await control(sim, "POST", "shops", { name: "fresh", orders: 5 });
    expect(added.json.domain).toBe("fresh.myshopify.com");
    const list = await control(sim, "GET", "shops");
    expect(list.json.map((s: any) => s.name)).toEqual(["ctl", "fresh"]);
    expect((await control(sim, "GET", "shops/nope/truth")).status).toBe(404);
  });
});

describe("timestamps", () => {
  it("formats timestamps with the shop's DST-correct offset", async () => {
    const s = await startSimulator({
      apps: [{ apiKey: "t", apiSecret: "ts", scopes: ["read_orders"] }],
      shops: [
        { name: "ny", orders: 600, days: 365, timezone: "America/New_York", plan: "unlimited" },
        { name: "syd", orders: 300, days: 365, timezone: "Australia/Sydney", plan: "unlimited" },
        { name: "kol", orders: 50, timezone: "Asia/Kolkata", plan: "unlimited" },
      ],
    });
    try {
      for (const [shop, tz] of [
        ["ny", "America/New_York"],
        ["syd", "Australia/Sydney"],
        ["kol", "Asia/Kolkata"],
      ]) {
        const t = s.installApp(shop, "t").accessToken;
        const orders = await fetchAll(
          s,
          shop,
          "orders",
          "status=any&limit=250&fields=id,created_at,processed_at,updated_at",
          t,
        );
        const offsets = new Set<string>();
        for (const o of orders) {
          for (const k of ["created_at", "processed_at", "updated_at"]) {
            const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})([+-]\d{2}:\d{2})$/.exec(o[k])!;
            expect(m).not.toBeNull();
            offsets.add(m[7]);
            // the wall clock in the string is the zone's wall clock for that instant
            const parts = new Intl.DateTimeFormat("en-CA", {
              timeZone: tz,
              hourCycle: "h23",
              year: "numeric",
              month: "2-digit",
              day: "2-digit",
              hour: "2-digit",
              minute: "2-digit",
              second: "2-digit",
            }).formatToParts(new Date(o[k]));
            const get = (ty: string) => parts.find((p) => p.type === ty)!.value;
            expect(
              `${get("year")}-${get("month")}-${get("day")}T${get("hour")}:${get("minute")}:${get("second")}`,
            ).toBe(o[k].slice(0, 19));
          }
        }
        if (shop === "ny") expect([...offsets].sort()).toEqual(["-04:00", "-05:00"]);
        if (shop === "syd") expect([...offsets].sort()).toEqual(["+10:00", "+11:00"]);
        if (shop === "kol") expect([...offsets]).toEqual(["+05:30"]);
      }
    } finally {
      await s.close();
    }
  });

  it("holds records no real store has: a NUL in a name or tags, an amount past what an app stores", async () => {
    const customers = await fetchAll(sim, "ctl", "customers", "limit=250", token);
    const named = await control(sim, "PUT", `shops/ctl/customers/${customers[0].id}`, {
      first_name: "Ann\u0000e",
      tags: "vip\u0000",
    });
    expect(named.json).toMatchObject({ first_name: "Ann\u0000e", tags: "vip\u0000" });

    const orders = await fetchAll(sim, "ctl", "orders", "limit=250&status=any", token);
    const order = orders[3];
    const line = order.line_items[0];
    const changed = await control(sim, "PUT", `shops/ctl/orders/${order.id}`, {
      total_price: "100000000000000000000",
      line_items: [{ id: line.id, price: "1000000000000000.00" }],
    });
    expect(changed.status).toBe(200);
    const served = (await fetchAll(sim, "ctl", "orders", `limit=250&status=any&ids=${order.id}`, token))[0];
    expect(served.total_price).toBe("100000000000000000000");
    expect(served.total_price_set.shop_money.amount).toBe("100000000000000000000");
    expect(served.line_items[0].price).toBe("1000000000000000.00");
    expect(served.line_items[0].price_set.shop_money.amount).toBe("1000000000000000.00");
    expect(served.updated_at > order.updated_at).toBe(true);

    const refused = await control(sim, "PUT", `shops/ctl/orders/${order.id}`, { line_items: [{ id: 1, price: "1" }] });
    expect(refused.status).toBe(422);
  });
});
