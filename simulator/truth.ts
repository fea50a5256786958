// Ground truth of a shop, computed from the generator's own records (never from the app).
// See README.md "Revenue definition".
import type { Store } from "./store.ts";
import type { DayTruth, GroundTruth } from "./types.ts";
import { cachedDateInZone, money } from "./time.ts";

export const REVENUE_DEFINITION =
  "An order counts when test is false and cancelled_at is null. Net revenue = total_price minus the sum of its refund " +
  'transactions with kind "refund" and status "success". Orders are dated by processed_at in the shop\'s IANA timezone ' +
  "(YYYY-MM-DD). Per product revenue = line price x quantity minus the line's discount allocations (counted orders only). " +
  "A customer is new on the day of their first counted order and returning on any later day with a counted order.";

const cache = new WeakMap<Store, { version: number; truth: GroundTruth }>();

export function computeTruth(store: Store): GroundTruth {
  const hit = cache.get(store);
  if (hit && hit.version === store.version) return hit.truth;
  const tz = store.params.timezone;
  const o = store.orders;
  const days = new Map<
    string,
    { orders: number; gross: number; refunds: number; newC: Set<number>; retC: Set<number> }
  >();
  const byProduct = new Map<number, { cents: number; qty: number }>();
  const byCustomer = new Map<number, { net: number; orders: number }>();
  const firstDay = new Map<number, string>();
  const customerOrders: { customerId: number; day: string }[] = [];
  let orders = 0,
    lineItems = 0,
    refunds = 0,
    cancelled = 0,
    test = 0,
    counted = 0,
    gross = 0,
    refundTotal = 0;
  const dayOf = cachedDateInZone(tz);
  for (let i = 0; i < o.n; i++) {
    if (store.isOrderDeleted(i)) continue;
    const f = store.orderFacts(i);
    orders++;
    lineItems += f.lines.length;
    refunds += f.refundCount;
    if (f.cancelled) cancelled++;
    if (f.test) test++;
    if (f.test || f.cancelled) continue;
    counted++;
    gross += f.totalCents;
    refundTotal += f.refundedCents;
    const day = dayOf(f.processedAt);
    let d = days.get(day);
    if (!d) {
      d = { orders: 0, gross: 0, refunds: 0, newC: new Set(), retC: new Set() };
      days.set(day, d);
    }
    d.orders++;
    d.gross += f.totalCents;
    d.refunds += f.refundedCents;
    for (const l of f.lines) {
      if (l.productId === null) continue;
      const p = byProduct.get(l.productId) ?? { cents: 0, qty: 0 };
      p.cents += l.cents;
      p.qty += l.quantity;
      byProduct.set(l.productId, p);
    }
    const customer = o.customer[i];
    if (customer >= 0) {
      const customerId = store.customers.ids[customer];
      const c = byCustomer.get(customerId) ?? { net: 0, orders: 0 };
      c.net += f.totalCents - f.refundedCents;
      c.orders++;
      byCustomer.set(customerId, c);
      const firstOrderDay = firstDay.get(customerId);
      if (firstOrderDay === undefined || day < firstOrderDay) firstDay.set(customerId, day);
      customerOrders.push({ customerId, day });
    }
  }
  for (const { customerId, day } of customerOrders) {
    const d = days.get(day)!;
    if (firstDay.get(customerId) === day) d.newC.add(customerId);
    else d.retC.add(customerId);
  }
  const returningDistinct = new Set<number>();
  for (const d of days.values()) for (const c of d.retC) returningDistinct.add(c);
  const byDay: DayTruth[] = [...days.entries()]
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([date, d]) => ({
      date,
      orders: d.orders,
      gross: money(d.gross),
      refunds: money(d.refunds),
      net: money(d.gross - d.refunds),
      newCustomers: d.newC.size,
      returningCustomers: d.retC.size,
    }));
  const net = gross - refundTotal;
  const c = store.counts();
  const truth: GroundTruth = {
    shop: store.domain,
    currency: store.params.currency,
    timezone: tz,
    revenueDefinition: REVENUE_DEFINITION,
    counts: {
      products: c.products,
      variants: c.variants,
      customers: c.customers,
      orders,
      lineItems,
      refunds,
      countedOrders: counted,
      cancelledOrders: cancelled,
      testOrders: test,
    },
    totals: {
      gross: money(gross),
      refunds: money(refundTotal),
      net: money(net),
      orders: counted,
      averageOrderValue: money(counted > 0 ? Math.round(net / counted) : 0),
      newCustomers: firstDay.size,
      returningCustomers: returningDistinct.size,
    },
    byDay,
    byProduct: [...byProduct.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([productId, p]) => ({ productId, revenue: money(p.cents), quantity: p.qty })),
    byCustomer: [...byCustomer.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([customerId, v]) => ({ customerId, net: money(v.net), orders: v.orders })),
  };
  cache.set(store, { version: store.version, truth });
  return truth;
}
