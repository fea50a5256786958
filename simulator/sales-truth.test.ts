/* eslint-disable @typescript-eslint/no-explicit-any -- JSON payloads */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator } from "./index.ts";
import type { SalesMoney, SalesTruth, Simulator } from "./index.ts";
import { control } from "../tests/support/simulator-client.ts";

let sim: Simulator;

/** "12.50" -> 1250 */
function cents(s: string): number {
  const neg = s.startsWith("-");
  const [w, f = ""] = s.replace("-", "").split(".");
  return (neg ? -1 : 1) * (Number(w) * 100 + Number((f + "00").slice(0, 2)));
}

/** The local calendar date of a timestamp the simulator served (its offset is the shop's). */
const localDay = (iso: string) => iso.slice(0, 10);

const MONEY = ["grossSales", "discounts", "returns", "netSales", "shipping", "taxes", "totalSales"] as const;

function moneyOf(x: SalesMoney): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of MONEY) out[k] = x[k];
  return out;
}

function expectMoney(
  x: SalesMoney,
  e: { gross?: number; discounts?: number; returns?: number; shipping?: number; taxes?: number },
): void {
  const gross = e.gross ?? 0,
    discounts = e.discounts ?? 0,
    returns = e.returns ?? 0,
    shipping = e.shipping ?? 0,
    taxes = e.taxes ?? 0;
  const net = gross - discounts - returns;
  const f = (c: number) => (c < 0 ? "-" : "") + (Math.abs(c) / 100).toFixed(2);
  expect(moneyOf(x)).toEqual({
    grossSales: f(gross),
    discounts: f(discounts),
    returns: f(returns),
    netSales: f(net),
    shipping: f(shipping),
    taxes: f(taxes),
    totalSales: f(net + shipping + taxes),
  });
}

/** Products of a shop: [variant id, product id] of the first variant of each product. */
function variants(shop: string): { variantId: number; productId: number }[] {
  const inv = sim.salesTruth(shop, { from: "2026-01-01", to: "2026-01-01" }).inventory;
  const seen = new Set<number>();
  return inv.filter((v) => (seen.has(v.productId) ? false : (seen.add(v.productId), true)));
}

const ALL = { from: "2026-01-01", to: "2030-12-31" };

beforeAll(async () => {
  const clean = { orders: 0, customers: 0, products: 4, plan: "unlimited" as const, now: "2030-01-01T12:00:00Z" };
  sim = await startSimulator({
    shops: [
      { name: "ny", ...clean },
      { name: "cx", ...clean },
      { name: "gift", ...clean },
      { name: "disc", ...clean },
      { name: "cust", ...clean },
      { name: "dst", ...clean },
      { name: "eu", ...clean, currency: "EUR", timezone: "Europe/Berlin" },
      {
        name: "gen",
        seed: 5,
        orders: 1500,
        customers: 200,
        products: 25,
        timezone: "America/Los_Angeles",
        currency: "CAD",
      },
    ],
  });
});
afterAll(() => sim.close());

// Over 120 lines as the list of its tests, each of them short: they share the simulator above.
describe("sales report truth: hand-checked cases", () => {
  it("books a discounted order on its day and a later partial refund with shipping on the refund's day", () => {
    const [v1] = variants("ny");
    const cust = sim.control.createCustomer("ny", { first_name: "Ada", last_name: "Lovelace" });
    const order = sim.control.createOrder("ny", {
      line_items: [{ variant_id: v1.variantId, quantity: 2, price: "100.00" }],
      discount_codes: [{ code: "TEN", amount: 10, type: "percentage" }],
      shipping_lines: [{ title: "Standard", price: "10.00" }],
      processed_at: "2026-06-10T10:00:00-04:00",
      customer_id: cust.id,
    });
    // 200.00 - 20.00 discount = 180.00; tax 7.25% of 180.00 = 13.05; + 10.00 shipping
    expect(order.total_tax).toBe("13.05");
    expect(order.total_price).toBe("203.05");
    const placed = sim.salesTruth("ny", { from: "2026-06-10", to: "2026-06-10" });
    expect(placed.currency).toBe("USD");
    expect(placed.timezone).toBe("America/New_York");
    expectMoney(placed.figures, { gross: 20000, discounts: 2000, shipping: 1000, taxes: 1305 });
    expect(placed.figures.orders).toBe(1);
    expect(placed.figures.averageOrderValue).toBe("180.00");
    expect(placed.byProduct).toEqual([{ productId: v1.productId, netSales: "180.00", netUnits: 2 }]);
    expect(placed.byVariant).toEqual([{ variantId: v1.variantId, netUnits: 2 }]);
    expect(placed.byCustomer).toEqual([{ customerId: cust.id, netSales: "180.00", orders: 1 }]);
    expect(placed.customers).toEqual({
      customers: 1,
      returningCustomers: 0,
      returningCustomerRate: 0,
      newCustomers: 1,
    });
    expect(placed.byHour?.length).toBe(24);
    expect(placed.byHour?.find((h) => h.hour === "2026-06-10T10:00")).toMatchObject({
      totalSales: "203.05",
      netSales: "180.00",
      orders: 1,
    });

    const refunded = sim.control.refundOrder("ny", order.id, {
      lineItems: [{ lineItemId: order.line_items[0].id, quantity: 1 }],
      shipping: true,
    });
    const refund = refunded.refunds[0];
    // one of two units: 90.00 and its tax 7.25% = 6.53 (rounded half-up), plus 10.00 shipping
    expect(refund.refund_line_items[0].subtotal).toBe("90.00");
    expect(refund.refund_line_items[0].total_tax).toBe("6.53");
    expect(refund.transactions[0].amount).toBe("106.53");
    const day = localDay(refund.created_at);
    expect(day > "2026-06-10").toBe(true);
    const onRefundDay = sim.salesTruth("ny", { from: day, to: day });
    expectMoney(onRefundDay.figures, { returns: 9000, shipping: -1000, taxes: -653 });
    expect(onRefundDay.figures.orders).toBe(0);
    expect(onRefundDay.figures.averageOrderValue).toBeNull();
    expect(onRefundDay.customers.customers).toBe(0);
    expect(onRefundDay.customers.returningCustomerRate).toBeNull();
    expect(onRefundDay.byProduct).toEqual([{ productId: v1.productId, netSales: "-90.00", netUnits: -1 }]);
    expect(onRefundDay.byVariant).toEqual([{ variantId: v1.variantId, netUnits: -1 }]);
    expect(onRefundDay.byCustomer).toEqual([{ customerId: cust.id, netSales: "-90.00", orders: 0 }]);
    // the placement's day is not touched by the later refund
    expect(sim.salesTruth("ny", { from: "2026-06-10", to: "2026-06-10" }).figures).toEqual(placed.figures);
    const all = sim.salesTruth("ny", ALL);
    expectMoney(all.figures, { gross: 20000, discounts: 2000, returns: 9000, taxes: 1305 - 653 });
    // total sales over all time = what the customer finally paid
    expect(cents(all.figures.totalSales)).toBe(cents(refunded.current_total_price));
  });

  it("nets a cancelled order to zero over all time (shipping discount and shipping tax included)", () => {
    const [, v2] = variants("cx");
    const input = {
      line_items: [{ variant_id: v2.variantId, quantity: 3, price: "50.00" }],
      shipping_lines: [{ title: "Express", price: "7.50", discount: "2.50" }],
      tax_shipping: true,
      processed_at: "2026-06-11T12:00:00-04:00",
    };
    const b = sim.control.createOrder("cx", input);
    // lines 150.00 taxed 10.88; shipping 7.50 - 2.50 = 5.00 taxed 0.36
    expect(b.shipping_lines[0].discounted_price).toBe("5.00");
    expect(b.shipping_lines[0].discount_allocations[0].amount).toBe("2.50");
    expect(b.shipping_lines[0].tax_lines[0].price).toBe("0.36");
    expect(b.subtotal_price).toBe("150.00");
    expect(b.total_discounts).toBe("2.50");
    expect(b.total_tax).toBe("11.24");
    expect(b.total_price).toBe("166.24");
    const placed = sim.salesTruth("cx", { from: "2026-06-11", to: "2026-06-11" });
    expectMoney(placed.figures, { gross: 15000, shipping: 500, taxes: 1124 });

    // one unit refunded (50.00 + 3.63 tax), then cancelled without refund: the rest is returned on that day
    const r = sim.control.refundOrder("cx", b.id, { lineItems: [{ lineItemId: b.line_items[0].id, quantity: 1 }] });
    expect(r.refunds[0].refund_line_items[0].total_tax).toBe("3.63");
    const cancelled = sim.control.cancelOrder("cx", b.id);
    const day = localDay(cancelled.cancelled_at);
    expect(localDay(r.refunds[0].created_at)).toBe(day);
    const later = sim.salesTruth("cx", { from: day, to: day });
    expectMoney(later.figures, { returns: 15000, shipping: -500, taxes: -1124 });
    expect(later.byProduct).toEqual([{ productId: v2.productId, netSales: "-150.00", netUnits: -3 }]);

    // cancelled with a full refund (shipping and its tax refunded too)
    const b2 = sim.control.createOrder("cx", input);
    const c2 = sim.control.cancelOrder("cx", b2.id, { refund: true });
    const adj = c2.refunds[0].order_adjustments.find((a: any) => a.kind === "shipping_refund");
    expect(adj).toMatchObject({ amount: "-5.00", tax_amount: "-0.36" });
    expect(c2.refunds[0].transactions[0].amount).toBe("166.24");

    const all = sim.salesTruth("cx", ALL);
    expectMoney(all.figures, { gross: 30000, returns: 30000 });
    expect(all.figures.orders).toBe(2); // cancelled orders are still placed orders
    expect(all.byProduct).toEqual([{ productId: v2.productId, netSales: "0.00", netUnits: 0 }]);
    expect(all.byVariant).toEqual([{ variantId: v2.variantId, netUnits: 0 }]);
  });

  it("excludes gift-card lines, test orders and deleted orders", () => {
    const [v1, v2] = variants("gift");
    const g = sim.control.createOrder("gift", {
      line_items: [
        { variant_id: v1.variantId, quantity: 1, price: "40.00" },
        { variant_id: v2.variantId, quantity: 2, price: "25.00", gift_card: true },
      ],
      discount_codes: [{ code: "FIVER", amount: "10.00", type: "fixed_amount" }],
      processed_at: "2026-07-01T09:00:00-04:00",
    });
    const gc = g.line_items[1];
    expect(gc).toMatchObject({ gift_card: true, taxable: false, tax_lines: [], discount_allocations: [] });
    expect(g.line_items[0].discount_allocations[0].amount).toBe("10.00");
    // 40.00 + 50.00 gift cards - 10.00 = 80.00; tax only on the 30.00 left of the taxable line = 2.18
    expect(g.total_line_items_price).toBe("90.00");
    expect(g.subtotal_price).toBe("80.00");
    expect(g.total_tax).toBe("2.18");
    expect(g.total_price).toBe("82.18");
    // ignored: a test order and a deleted order on the same day
    sim.control.createOrder("gift", {
      line_items: [{ variant_id: v1.variantId, quantity: 5 }],
      processed_at: "2026-07-01T10:00:00-04:00",
      test: true,
    });
    const doomed = sim.control.createOrder("gift", {
      line_items: [{ variant_id: v1.variantId, quantity: 7 }],
      processed_at: "2026-07-01T11:00:00-04:00",
    });
    sim.control.deleteOrder("gift", doomed.id);

    const day = sim.salesTruth("gift", { from: "2026-07-01", to: "2026-07-01" });
    expectMoney(day.figures, { gross: 4000, discounts: 1000, taxes: 218 });
    expect(day.figures.orders).toBe(1);
    expect(day.byProduct).toEqual([{ productId: v1.productId, netSales: "30.00", netUnits: 1 }]);
    expect(day.byVariant).toEqual([{ variantId: v1.variantId, netUnits: 1 }]);

    // refunding everything: the gift-card refund line is not a return
    const r = sim.control.refundOrder("gift", g.id, {});
    expect(r.refunds[0].refund_line_items).toHaveLength(2);
    const all = sim.salesTruth("gift", ALL);
    expectMoney(all.figures, { gross: 4000, discounts: 1000, returns: 3000 });
    expect(all.byVariant).toEqual([{ variantId: v1.variantId, netUnits: 0 }]);
  });

  it("books an amount-only refund as a refund discrepancy", () => {
    const [v1] = variants("disc");
    const o = sim.control.createOrder("disc", {
      line_items: [{ variant_id: v1.variantId, quantity: 1, price: "20.00" }],
      taxes: false,
      processed_at: "2026-07-02T09:00:00-04:00",
    });
    const before = sim.salesTruth("disc", ALL);
    const r = sim.control.refundOrder("disc", o.id, { amount: "5.00" });
    const refund = r.refunds[0];
    expect(refund.refund_line_items).toEqual([]);
    expect(refund.order_adjustments).toMatchObject([{ kind: "refund_discrepancy", amount: "-5.00" }]);
    expect(refund.transactions[0].amount).toBe("5.00");
    const after = sim.salesTruth("disc", ALL);
    expect(cents(after.figures.returns) - cents(before.figures.returns)).toBe(500);
    expect(after.figures.taxes).toBe(before.figures.taxes);
    // per product only refund lines count
    expect(after.byProduct).toEqual(before.byProduct);
    // more than is left: capped, and the discrepancy is what was really returned
    const r2 = sim.control.refundOrder("disc", o.id, { amount: "100.00" });
    expect(r2.refunds[1].transactions[0].amount).toBe("15.00");
    expect(r2.refunds[1].order_adjustments).toMatchObject([{ kind: "refund_discrepancy", amount: "-15.00" }]);
    const done = sim.salesTruth("disc", { from: "2026-07-02", to: localDay(r2.refunds[1].created_at) });
    expectMoney(done.figures, { gross: 2000, returns: 2000 }); // placed and fully returned inside the range
  });

  it("counts customers, returning and new customers, and rounds the average half-up", () => {
    const [v1] = variants("cust");
    const c1 = sim.control.createCustomer("cust", { first_name: "One" });
    const c2 = sim.control.createCustomer("cust", { first_name: "Two" });
    const order = (price: string, day: string, customer_id?: number) =>
      sim.control.createOrder("cust", {
        line_items: [{ variant_id: v1.variantId, quantity: 1, price }],
        taxes: false,
        processed_at: `${day}T12:00:00-04:00`,
        ...(customer_id ? { customer_id } : {}),
      });
    order("10.00", "2026-05-01", c1.id);
    order("20.00", "2026-05-03", c1.id);
    order("30.00", "2026-05-03", c2.id);
    order("40.00", "2026-05-03"); // guest
    order("5.00", "2026-05-05", c2.id);
    order("10.00", "2026-05-07");
    order("10.01", "2026-05-07");

    const d3 = sim.salesTruth("cust", { from: "2026-05-03", to: "2026-05-03" });
    expect(d3.figures.orders).toBe(3);
    expect(d3.figures.averageOrderValue).toBe("30.00");
    expect(d3.customers).toEqual({ customers: 2, returningCustomers: 2, returningCustomerRate: 1, newCustomers: 1 });
    expect(d3.byCustomer).toEqual([
      { customerId: c1.id, netSales: "20.00", orders: 1 },
      { customerId: c2.id, netSales: "30.00", orders: 1 },
    ]);
    // as of 2026-05-03, C2's later order does not exist yet
    const asOf = sim.salesTruth("cust", { from: "2026-05-03", to: "2026-05-03", today: "2026-05-03" });
    expect(asOf.customers).toEqual({
      customers: 2,
      returningCustomers: 1,
      returningCustomerRate: 0.5,
      newCustomers: 1,
    });
    const d12 = sim.salesTruth("cust", { from: "2026-05-01", to: "2026-05-02" });
    expect(d12.customers).toEqual({ customers: 1, returningCustomers: 1, returningCustomerRate: 1, newCustomers: 1 });
    const d15 = sim.salesTruth("cust", { from: "2026-05-01", to: "2026-05-05" });
    expect(d15.customers).toEqual({ customers: 2, returningCustomers: 2, returningCustomerRate: 1, newCustomers: 2 });
    expect(d15.byDay.map((d) => [d.date, d.orders])).toEqual([
      ["2026-05-01", 1],
      ["2026-05-02", 0],
      ["2026-05-03", 3],
      ["2026-05-04", 0],
      ["2026-05-05", 1],
    ]);
    // 20.01 / 2 = 10.005 -> 10.01
    expect(sim.salesTruth("cust", { from: "2026-05-07", to: "2026-05-07" }).figures.averageOrderValue).toBe("10.01");
  });

  it("cuts days and hours in the shop's timezone, DST included", () => {
    const [v1] = variants("dst");
    const at = (processed_at: string) =>
      sim.control.createOrder("dst", {
        line_items: [{ variant_id: v1.variantId, quantity: 1, price: "1.00" }],
        taxes: false,
        processed_at,
      });
    at("2026-03-07T23:30:00-05:00"); // 2026-03-08 in UTC, 03-07 in New York
    at("2026-03-08T01:30:00-05:00");
    at("2026-03-08T03:30:00-04:00"); // an hour after the previous one: 02:xx does not exist
    at("2026-11-01T01:30:00-04:00");
    at("2026-11-01T01:30:00-05:00"); // the repeated hour
    at("2026-11-01T23:59:59-05:00");
    at("2026-11-02T00:00:00-05:00");

    const march = sim.salesTruth("dst", { from: "2026-03-07", to: "2026-03-09" });
    expect(march.byHour).toBeNull();
    expect(march.byDay.map((d) => [d.date, d.orders, d.grossSales])).toEqual([
      ["2026-03-07", 1, "1.00"],
      ["2026-03-08", 2, "2.00"],
      ["2026-03-09", 0, "0.00"],
    ]);
    const spring = sim.salesTruth("dst", { from: "2026-03-08", to: "2026-03-08" }).byHour!;
    expect(spring).toHaveLength(23);
    expect(spring.map((h) => h.hour)).not.toContain("2026-03-08T02:00");
    expect(spring.filter((h) => h.orders > 0).map((h) => h.hour)).toEqual(["2026-03-08T01:00", "2026-03-08T03:00"]);
    expect(spring[0].start).toBe("2026-03-08T00:00:00-05:00");
    expect(spring[2].start).toBe("2026-03-08T03:00:00-04:00");

    const fall = sim.salesTruth("dst", { from: "2026-11-01", to: "2026-11-01" });
    expect(fall.figures.orders).toBe(3);
    const hours = fall.byHour!;
    expect(hours).toHaveLength(25);
    const ones = hours.filter((h) => h.hour === "2026-11-01T01:00");
    expect(ones.map((h) => [h.start, h.orders, h.totalSales])).toEqual([
      ["2026-11-01T01:00:00-04:00", 1, "1.00"],
      ["2026-11-01T01:00:00-05:00", 1, "1.00"],
    ]);
    expect(hours.at(-1)).toMatchObject({ hour: "2026-11-01T23:00", orders: 1 });
    expect(sim.salesTruth("dst", { from: "2026-11-02", to: "2026-11-02" }).byHour![0]).toMatchObject({
      hour: "2026-11-02T00:00",
      orders: 1,
    });
    // a range crossing the fall-back change
    const nov = sim.salesTruth("dst", { from: "2026-10-31", to: "2026-11-02" });
    expect(nov.byDay.map((d) => d.orders)).toEqual([0, 3, 1]);
  });

  it("uses the shop's own currency and timezone", () => {
    const [v1] = variants("eu");
    const o = sim.control.createOrder("eu", {
      line_items: [{ variant_id: v1.variantId, quantity: 1, price: "10.00" }],
      shipping_lines: [{ title: "DHL", price: "4.90" }],
      processed_at: "2026-06-10T23:30:00Z", // 01:30 on 06-11 in Berlin
    });
    expect(o.processed_at).toBe("2026-06-11T01:30:00+02:00");
    expect(o.total_tax).toBe("2.00"); // 20% VAT
    const t = sim.salesTruth("eu", { from: "2026-06-10", to: "2026-06-11" });
    expect(t.currency).toBe("EUR");
    expect(t.timezone).toBe("Europe/Berlin");
    expect(t.byDay.map((d) => [d.date, d.totalSales])).toEqual([
      ["2026-06-10", "0.00"],
      ["2026-06-11", "16.90"],
    ]);
    const h = sim.salesTruth("eu", { from: "2026-06-11", to: "2026-06-11" }).byHour!;
    expect(h.find((x) => x.orders > 0)?.hour).toBe("2026-06-11T01:00");
    // the New York shop has nothing on 06-11
    expect(sim.salesTruth("ny", { from: "2026-06-11", to: "2026-06-11" }).figures.orders).toBe(0);
  });
});

describe("sales report truth: consistency on a generated store", () => {
  const sumOf = (rows: SalesMoney[], k: (typeof MONEY)[number]) => rows.reduce((a, r) => a + cents(r[k]), 0);

  it("adds up: days to figures, hours to the day, net + shipping + taxes to total", () => {
    const t: SalesTruth = sim.salesTruth("gen", { from: "2026-01-01", to: "2026-12-31" });
    expect(t.byDay).toHaveLength(365);
    for (const k of MONEY) expect(sumOf(t.byDay, k)).toBe(cents(t.figures[k]));
    expect(t.byDay.reduce((a, d) => a + d.orders, 0)).toBe(t.figures.orders);
    for (const d of [...t.byDay, t.figures]) {
      expect(cents(d.netSales)).toBe(cents(d.grossSales) - cents(d.discounts) - cents(d.returns));
      expect(cents(d.totalSales)).toBe(cents(d.netSales) + cents(d.shipping) + cents(d.taxes));
    }
    // over all time: total sales = total price minus refunds of counted orders; cancelled ones net to zero
    const g = sim.truth("gen");
    expect(t.figures.totalSales).toBe(g.totals.net);
    expect(t.figures.orders).toBe(g.counts.orders - g.counts.testOrders);
    // every customer's first order is in the range; cancelled orders count for customers (not in the old truth)
    expect(t.customers.newCustomers).toBe(t.customers.customers);
    expect(t.customers.customers).toBeGreaterThanOrEqual(g.totals.newCustomers);
    expect(t.byVariant.reduce((a, v) => a + v.netUnits, 0)).toBe(t.byProduct.reduce((a, p) => a + p.netUnits, 0));

    const busy = t.byDay.reduce((a, d) => (d.orders > a.orders ? d : a));
    const one = sim.salesTruth("gen", { from: busy.date, to: busy.date });
    expect(one.byDay).toEqual([busy]);
    const hours = one.byHour!;
    expect(hours.length).toBeGreaterThanOrEqual(23);
    expect(hours.reduce((a, h) => a + h.orders, 0)).toBe(busy.orders);
    expect(hours.reduce((a, h) => a + cents(h.totalSales), 0)).toBe(cents(busy.totalSales));
    expect(hours.reduce((a, h) => a + cents(h.netSales), 0)).toBe(cents(busy.netSales));
    expect(t.inventory.length).toBeGreaterThan(25);
    expect(t.inventory.map((v) => v.variantId)).toEqual([...t.inventory.map((v) => v.variantId)].sort((a, b) => a - b));
  });

  it("follows mutations and answers over HTTP", async () => {
    const range = { from: "2026-01-01", to: "2030-12-31" };
    const before = sim.salesTruth("gen", range);
    const o = sim.control.createOrder("gen", { processed_at: "2026-09-01T12:00:00-07:00", taxes: false });
    const r = sim.control.refundOrder("gen", o.id, { amount: "1.00" });
    const after = sim.salesTruth("gen", range);
    expect(cents(after.figures.grossSales) - cents(before.figures.grossSales)).toBe(cents(o.total_line_items_price));
    expect(cents(after.figures.returns) - cents(before.figures.returns)).toBe(100);
    expect(cents(after.figures.totalSales) - cents(before.figures.totalSales)).toBe(cents(r.current_total_price));

    const http = await control(sim, "GET", `shops/gen/truth/sales?from=${range.from}&to=${range.to}`);
    expect(http.status).toBe(200);
    expect(http.json).toEqual(after);
    const asOf = await control(sim, "GET", "shops/gen/truth/sales?from=2026-09-01&to=2026-09-01&today=2026-09-01");
    expect(asOf.status).toBe(200);
    expect(asOf.json.byHour).toHaveLength(24);
    for (const q of [
      "from=2026-02-30&to=2026-03-01",
      "from=2026-03-02&to=2026-03-01",
      "from=2026-03-01",
      "from=20260301&to=2026-03-01",
      "from=2026-03-01&to=2026-03-01&today=tomorrow",
    ]) {
      const bad = await control(sim, "GET", `shops/gen/truth/sales?${q}`);
      expect(bad.status, q).toBe(400);
      expect(bad.json.errors, q).toBeTypeOf("object");
    }
    expect(() => sim.salesTruth("gen", { from: "2026-03-02", to: "2026-03-01" })).toThrow();
  });
});
