// Ground truth of Shopify's sales report (gross sales, discounts, returns, net sales, shipping, taxes,
// total sales, orders, customers) for a range of local days. Computed from the REST order objects the
// simulator serves (generated or overlay), never from the app. See README.md "Sales report truth".
import type { JsonObject } from "./types.ts";
import { buildProduct, parseIsoSec } from "./records.ts";
import type { Store } from "./store.ts";
import { SimError } from "./store.ts";
import { cachedDateInZone, dateInZone, isoInZone, money, toCents } from "./time.ts";
import type { SalesDay, SalesHour, SalesMoney, SalesTruth, SalesTruthRange } from "./types.ts";

/** The report's sums (all cents): of one event, of a day or an hour, or of the range. */
interface Acc {
  gross: number;
  discounts: number;
  returns: number;
  shipping: number;
  taxes: number;
  orders: number;
}

/** Signed contribution of one dated event (all cents). */
interface SalesEvent extends Acc {
  sec: number;
  day: string;
  /** Per line: product/variant ids and the change of net sales and units. */
  lines: { productId: number | null; variantId: number | null; sales: number; units: number }[];
}

interface ParsedOrder {
  customerId: number | null;
  placement: SalesEvent;
  events: SalesEvent[];
}

interface Parsed {
  version: number;
  orders: ParsedOrder[];
  inventory: SalesTruth["inventory"];
}

const cache = new WeakMap<Store, Parsed>();

const sumAmounts = (list: unknown, key = "amount"): number =>
  ((list ?? []) as JsonObject[]).reduce((a, x) => a + toCents(x[key]), 0);

function emptyEvent(sec: number, day: string): SalesEvent {
  return { sec, day, gross: 0, discounts: 0, returns: 0, shipping: 0, taxes: 0, orders: 0, lines: [] };
}

/** The dated events of one order (null for test orders: they never count). */
export function orderSalesEvents(o: JsonObject, dayOf: (sec: number) => string): SalesEvent[] | null {
  if (o.test === true) return null;
  const lineById = new Map<number, JsonObject>();
  for (const li of (o.line_items ?? []) as JsonObject[]) lineById.set(li.id, li);
  const isGift = (li: JsonObject | undefined) => li?.gift_card === true;

  // 1. placement
  const placedSec = parseIsoSec(o.processed_at) ?? parseIsoSec(o.created_at) ?? 0;
  const placement = emptyEvent(placedSec, dayOf(placedSec));
  placement.orders = 1;
  const perLine = new Map<number, { li: JsonObject; net: number; refundedSub: number; refundedQty: number }>();
  for (const li of (o.line_items ?? []) as JsonObject[]) {
    if (isGift(li)) continue;
    const qty = Number(li.quantity ?? 0);
    const gross = toCents(li.price) * qty;
    const disc = sumAmounts(li.discount_allocations);
    placement.gross += gross;
    placement.discounts += disc;
    placement.lines.push({
      productId: li.product_id ?? null,
      variantId: li.variant_id ?? null,
      sales: gross - disc,
      units: qty,
    });
    perLine.set(li.id, { li, net: gross - disc, refundedSub: 0, refundedQty: 0 });
  }
  for (const line of (o.shipping_lines ?? []) as JsonObject[])
    placement.shipping += toCents(line.price) - sumAmounts(line.discount_allocations);
  placement.taxes = toCents(o.total_tax);
  const events = [placement];

  // 2. refunds
  let allReturns = 0,
    allShipping = 0,
    allTax = 0;
  for (const r of (o.refunds ?? []) as JsonObject[]) {
    const sec = parseIsoSec(r.created_at) ?? parseIsoSec(r.processed_at) ?? placedSec;
    const ev = emptyEvent(sec, dayOf(sec));
    for (const rl of (r.refund_line_items ?? []) as JsonObject[]) {
      const li = lineById.get(rl.line_item_id) ?? (rl.line_item as JsonObject | undefined);
      if (isGift(li)) continue;
      const sub = toCents(rl.subtotal);
      const qty = Number(rl.quantity ?? 0);
      ev.returns += sub;
      ev.taxes -= toCents(rl.total_tax);
      ev.lines.push({ productId: li?.product_id ?? null, variantId: li?.variant_id ?? null, sales: -sub, units: -qty });
      const pl = perLine.get(rl.line_item_id);
      if (pl) {
        pl.refundedSub += sub;
        pl.refundedQty += qty;
      }
    }
    for (const adj of (r.order_adjustments ?? []) as JsonObject[]) {
      if (adj.kind === "refund_discrepancy") ev.returns += -toCents(adj.amount);
      else if (adj.kind === "shipping_refund") {
        ev.shipping -= -toCents(adj.amount);
        ev.taxes -= -toCents(adj.tax_amount);
      }
    }
    allReturns += ev.returns;
    allShipping += ev.shipping;
    allTax += ev.taxes;
    events.push(ev);
  }

  // 3. cancellation: whatever is left of the order is returned
  const cancelledSec = o.cancelled_at ? parseIsoSec(o.cancelled_at) : null;
  if (cancelledSec !== null) {
    const ev = emptyEvent(cancelledSec, dayOf(cancelledSec));
    ev.returns = placement.gross - placement.discounts - allReturns;
    ev.taxes = -(placement.taxes + allTax);
    ev.shipping = -(placement.shipping + allShipping);
    for (const pl of perLine.values()) {
      ev.lines.push({
        productId: pl.li.product_id ?? null,
        variantId: pl.li.variant_id ?? null,
        sales: -(pl.net - pl.refundedSub),
        units: -(Number(pl.li.quantity ?? 0) - pl.refundedQty),
      });
    }
    events.push(ev);
  }
  return events;
}

function parse(store: Store): Parsed {
  const hit = cache.get(store);
  if (hit && hit.version === store.version) return hit;
  const tz = store.params.timezone;
  const dayOf = cachedDateInZone(tz);
  const orders: ParsedOrder[] = [];
  for (let i = 0; i < store.orders.n; i++) {
    if (store.isOrderDeleted(i)) continue;
    const events = orderSalesEvents(store.orderRaw(i), dayOf);
    if (!events) continue;
    // the order's `customer.id` as served (orderRaw leaves the embedded customer out)
    const customer = store.orders.customer[i];
    orders.push({ customerId: customer >= 0 ? store.customers.ids[customer] : null, placement: events[0], events });
  }
  const inventory: SalesTruth["inventory"] = [];
  for (let k = 0; k < store.productIndex.n; k++) {
    if (store.productIndexById(store.productIndex.ids[k]) !== k) continue; // deleted
    const p = store.productOverlay.get(k) ?? buildProduct(store, store.products[k]);
    for (const v of p.variants as JsonObject[])
      inventory.push({
        variantId: v.id,
        productId: p.id,
        inventoryQuantity: Number(v.inventory_quantity ?? 0),
        price: money(toCents(v.price)),
      });
  }
  inventory.sort((a, b) => a.variantId - b.variantId);
  const out = { version: store.version, orders, inventory };
  cache.set(store, out);
  return out;
}

// ------------------------------------------------------------------ ranges and hours

const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MAX_DAYS = 3700;

function dayNumber(v: unknown, name: string): number {
  const m = typeof v === "string" ? DAY_RE.exec(v) : null;
  if (m) {
    const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
    const d = new Date(t);
    if (d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() + 1 === Number(m[2]) && d.getUTCDate() === Number(m[3]))
      return t / 86_400_000;
  }
  throw new SimError(400, { errors: { [name]: "must be a calendar date YYYY-MM-DD" } });
}

function dayString(n: number): string {
  return new Date(n * 86_400_000).toISOString().slice(0, 10);
}

/** Validates a range; throws SimError 400 with `{"errors":{…}}`. */
export function validateSalesRange(range: Partial<SalesTruthRange>): {
  from: string;
  to: string;
  today: string | null;
} {
  const from = dayNumber(range.from, "from");
  const to = dayNumber(range.to, "to");
  if (from > to) throw new SimError(400, { errors: { to: "must not be before from" } });
  if (to - from + 1 > MAX_DAYS) throw new SimError(400, { errors: { to: `range is limited to ${MAX_DAYS} days` } });
  const today = range.today === undefined || range.today === null ? null : dayString(dayNumber(range.today, "today"));
  return { from: dayString(from), to: dayString(to), today };
}

/** Bucket key of an instant: local wall-clock hour plus the offset in force. */
function hourKey(sec: number, tz: string): string {
  const iso = isoInZone(sec, tz);
  return iso.slice(0, 13) + iso.slice(19);
}

/** The local hours of `day` in chronological order (23 or 25 on DST changes), from the IANA zone. */
export function localHours(day: string, tz: string): { key: string; hour: string; start: string }[] {
  const base = Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10))) / 1000;
  const out: { key: string; hour: string; start: string }[] = [];
  const seen = new Set<string>();
  // offsets are within -12h..+14h and transitions fall on quarter hours
  for (let t = base - 15 * 3600; t < base + 37 * 3600; t += 900) {
    if (dateInZone(t, tz) !== day) continue;
    const iso = isoInZone(t, tz);
    const key = iso.slice(0, 13) + iso.slice(19);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ key, hour: iso.slice(0, 13) + ":00", start: iso });
  }
  return out;
}

// ------------------------------------------------------------------ the report

const zero = (): Acc => ({ gross: 0, discounts: 0, returns: 0, shipping: 0, taxes: 0, orders: 0 });

function add(a: Acc, e: SalesEvent): void {
  a.gross += e.gross;
  a.discounts += e.discounts;
  a.returns += e.returns;
  a.shipping += e.shipping;
  a.taxes += e.taxes;
  a.orders += e.orders;
}

const netOf = (a: Acc) => a.gross - a.discounts - a.returns;
const totalOf = (a: Acc) => netOf(a) + a.shipping + a.taxes;

function moneyOf(a: Acc): SalesMoney {
  return {
    grossSales: money(a.gross),
    discounts: money(a.discounts),
    returns: money(a.returns),
    netSales: money(netOf(a)),
    shipping: money(a.shipping),
    taxes: money(a.taxes),
    totalSales: money(totalOf(a)),
  };
}

/** Integer division rounded half-up (towards +∞ on ties). */
function divHalfUp(num: number, den: number): number {
  return Math.floor((2 * num + den) / (2 * den));
}

export function computeSalesTruth(store: Store, range: SalesTruthRange): SalesTruth {
  const { from, to, today } = validateSalesRange(range);
  const tz = store.params.timezone;
  const { orders, inventory } = parse(store);
  const counts = (day: string) => today === null || day <= today;
  const inRange = (day: string) => day >= from && day <= to && counts(day);

  const figures = zero();
  let placedNet = 0;
  const days = new Map<string, Acc>();
  for (let n = dayNumber(from, "from"), end = dayNumber(to, "to"); n <= end; n++) days.set(dayString(n), zero());
  const hours = from === to ? localHours(from, tz) : null;
  const hourAcc = new Map<string, Acc>();
  if (hours) for (const h of hours) hourAcc.set(h.key, zero());
  const byProduct = new Map<number, { sales: number; units: number }>();
  const byVariant = new Map<number, number>();
  const byCustomer = new Map<number, { sales: number; orders: number }>();
  // customers: counted orders ever (up to `today`) and the first one's day
  const ordersEver = new Map<number, number>();
  const firstPlaced = new Map<number, { sec: number; day: string }>();
  const inRangeCustomers = new Set<number>();

  for (const o of orders) {
    const customerId = o.customerId;
    if (customerId !== null && counts(o.placement.day)) {
      ordersEver.set(customerId, (ordersEver.get(customerId) ?? 0) + 1);
      const f = firstPlaced.get(customerId);
      if (!f || o.placement.sec < f.sec) firstPlaced.set(customerId, { sec: o.placement.sec, day: o.placement.day });
    }
    for (const e of o.events) {
      if (!inRange(e.day)) continue;
      add(figures, e);
      add(days.get(e.day)!, e);
      if (hourAcc.size > 0) {
        const h = hourAcc.get(hourKey(e.sec, tz));
        if (h) add(h, e);
      }
      if (e.orders > 0) placedNet += e.gross - e.discounts;
      for (const l of e.lines) {
        if (l.productId !== null) {
          const p = byProduct.get(l.productId) ?? { sales: 0, units: 0 };
          p.sales += l.sales;
          p.units += l.units;
          byProduct.set(l.productId, p);
        }
        if (l.variantId !== null) byVariant.set(l.variantId, (byVariant.get(l.variantId) ?? 0) + l.units);
      }
      if (customerId !== null) {
        const c = byCustomer.get(customerId) ?? { sales: 0, orders: 0 };
        c.sales += netOf(e);
        c.orders += e.orders;
        byCustomer.set(customerId, c);
        if (e.orders > 0) inRangeCustomers.add(customerId);
      }
    }
  }

  let returning = 0,
    newCustomers = 0;
  for (const customerId of inRangeCustomers) {
    if ((ordersEver.get(customerId) ?? 0) > 1) returning++;
    const f = firstPlaced.get(customerId);
    if (f && f.day >= from && f.day <= to) newCustomers++;
  }
  const customers = inRangeCustomers.size;
  const byDay: SalesDay[] = [...days.entries()].map(([date, a]) => ({ date, ...moneyOf(a), orders: a.orders }));
  const byHour: SalesHour[] | null = hours
    ? hours.map((h) => {
        const a = hourAcc.get(h.key)!;
        return {
          hour: h.hour,
          start: h.start,
          totalSales: money(totalOf(a)),
          netSales: money(netOf(a)),
          orders: a.orders,
        };
      })
    : null;
  return {
    shop: store.domain,
    currency: store.params.currency,
    timezone: tz,
    from,
    to,
    figures: {
      ...moneyOf(figures),
      orders: figures.orders,
      averageOrderValue: figures.orders > 0 ? money(divHalfUp(placedNet, figures.orders)) : null,
    },
    customers: {
      customers,
      returningCustomers: returning,
      returningCustomerRate: customers > 0 ? returning / customers : null,
      newCustomers,
    },
    byDay,
    byHour,
    byProduct: [...byProduct.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([productId, p]) => ({ productId, netSales: money(p.sales), netUnits: p.units })),
    byVariant: [...byVariant.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([variantId, netUnits]) => ({ variantId, netUnits })),
    byCustomer: [...byCustomer.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([customerId, c]) => ({ customerId, netSales: money(c.sales), orders: c.orders })),
    inventory: inventory.map((v) => ({ ...v })),
  };
}
